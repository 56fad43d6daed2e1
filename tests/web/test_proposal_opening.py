"""A proposal under deliberation says who opens its question and from when, instead of offering a form
the core would refuse; an objector who withdrew may consent, and the page's counts agree."""

import pytest
from django.test import Client

from ayllu.actions.record import forget_replayed_state
from factories.scenes import meeting_with_everyone
from factories.stored import StoredAssembly, act, found, found_with_officers, log_in_as

from .test_translations import visible_text


@pytest.fixture
def assembly(db: None) -> StoredAssembly:
    forget_replayed_state()
    return found("Junta Vecinal", members=4)


def test_between_meetings_the_page_says_from_when_the_question_can_be_opened(
    client: Client, assembly: StoredAssembly
) -> None:
    # given: a proposal tabled just now, under the default charter's three days of discussion
    proposal = act(
        assembly,
        assembly.members[1],
        "proposal.tabled",
        {"matter": "ordinary", "title": "Arreglar la cancha", "text": "", "effect": {}},
    )
    log_in_as(client, assembly.log, assembly.members[1])
    # when
    html = client.get(f"/es/asamblea/{assembly.log}/propuestas/{proposal}/").content.decode()
    # then: no form to open it, and words saying who may open it and from when
    text = visible_text(html, language="es")
    assert 'data-type="question.opened"' not in html
    assert "Cualquier miembro puede abrir la pregunta" in text
    assert "la pregunta se puede abrir desde el" in text


def test_in_a_meeting_the_proposer_is_told_the_chair_opens_the_question(db: None, client: Client) -> None:
    # given: a proposal tabled in a meeting whose chair is the first member (default meeting discussion)
    forget_replayed_state()
    assembly = found_with_officers("Junta Vecinal", charter=None)
    meeting = meeting_with_everyone(assembly)
    proposal = act(
        assembly,
        assembly.members[2],
        "proposal.tabled",
        {"matter": "ordinary", "title": "Pintar la sede", "text": "", "effect": {}, "meeting": meeting},
    )
    act(assembly, assembly.convenor, "question.opened", {"proposal": proposal})
    later = act(
        assembly,
        assembly.members[2],
        "proposal.tabled",
        {"matter": "ordinary", "title": "Comprar sillas", "text": "", "effect": {}, "meeting": meeting},
    )
    log_in_as(client, assembly.log, assembly.members[2])
    # when: the proposer reads the second proposal, not yet open
    html = client.get(f"/en/assembly/{assembly.log}/proposals/{later}/").content.decode()
    # then: the chair is named as the one who opens it
    text = visible_text(html, language="en")
    assert 'data-type="question.opened"' not in html
    assert "The chair of the meeting opens the question:" in text
    assert assembly.convenor.public[:8] in text
