"""Comments on a closed proposal: the rules take them (notes after the decision, such as how it is being
carried out), and the page says the decision is taken, marks the comments written after it and offers
the form as a note's."""

import pytest
from django.test import Client
from django.utils import translation

from ayllu.actions.record import forget_replayed_state
from factories.scenes import consent_decided_with_answered_objection, meeting_with_everyone
from factories.stored import StoredAssembly, act, found_with_officers, log_in_as, page_url

DECIDED_NOTE = "La asamblea ya decidió esta propuesta."
UNDECIDED_NOTE = "Esta propuesta se cerró sin una decisión."


@pytest.fixture
def assembly(db: None) -> StoredAssembly:
    forget_replayed_state()
    return found_with_officers("Junta Vecinal Villa Esperanza")


def _page(client: Client, assembly: StoredAssembly, proposal: int) -> str:
    with translation.override("es"):
        response = client.get(page_url("proposal", "es", log=assembly.log, proposal_id=proposal))
    assert response.status_code == 200
    return response.content.decode()


def test_a_comment_after_the_decision_is_a_note_marked_after_it(assembly: StoredAssembly) -> None:
    # given: a decided proposal, commented before and after its decision
    ids = consent_decided_with_answered_objection(assembly, meeting_with_everyone(assembly))
    proposal = ids["proposal"]
    # when: a member reports on the work after it was decided (the rules take it)
    act(
        assembly,
        assembly.members[2],
        "comment.posted",
        {"proposal": proposal, "text": "Ya compramos la arena."},
    )
    member = Client()
    log_in_as(member, assembly.log, assembly.members[3])
    page = _page(member, assembly, proposal)
    # then the page says the decision is taken, and the comment is marked as written after it
    assert DECIDED_NOTE in page and "quedan como notas posteriores" in page
    assert "Ya compramos la arena." in page and "después de la decisión" in page
    # and the form is a note's, not a comment that could still change the proposal
    assert "Su nota" in page and "Su comentario" not in page
    # and an outsider reads the same explanation, with no form
    outsider = _page(Client(), assembly, proposal)
    assert DECIDED_NOTE in outsider and "Su nota" not in outsider


def test_a_proposal_in_discussion_asks_for_comments_as_before(assembly: StoredAssembly) -> None:
    # given
    a, b = assembly.members[:2]
    proposal = act(
        assembly,
        b,
        "proposal.tabled",
        {"matter": "ordinary", "title": "Pintar la sede", "text": "", "effect": {}},
    )
    act(assembly, a, "comment.posted", {"proposal": proposal, "text": "¿De qué color?"})
    member = Client()
    log_in_as(member, assembly.log, a)
    # when
    page = _page(member, assembly, proposal)
    # then
    assert "Su comentario" in page and "¿De qué color?" in page
    assert DECIDED_NOTE not in page and UNDECIDED_NOTE not in page and "después de la decisión" not in page


def test_a_withdrawn_proposal_says_it_was_closed_without_a_decision(assembly: StoredAssembly) -> None:
    # given
    b = assembly.members[1]
    proposal = act(
        assembly,
        b,
        "proposal.tabled",
        {"matter": "ordinary", "title": "Pintar la sede", "text": "", "effect": {}},
    )
    act(assembly, b, "proposal.withdrawn", {"proposal": proposal})
    # when
    page = _page(Client(), assembly, proposal)
    # then
    assert UNDECIDED_NOTE in page and DECIDED_NOTE not in page
