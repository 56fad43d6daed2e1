"""A member reaching words the assembly may erase finds the way to propose it where the words are shown:
the record page, a proposal's page (its text, objections, amendments, comments) and the minutes (each
proposal, objection and note); an outsider finds none, nor does anyone once the words are erased."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from factories.scenes import meeting_with_everyone
from factories.stored import StoredAssembly, act, erase_words, found_with_officers, log_in_as


def _erasure_links(html: str) -> set[int]:
    """The entries a page links to the erasure proposal of (`?entrada=<seq>` on a Spanish page)."""
    return {int(seq) for seq in re.findall(r'borrado/\?entrada=(\d+)" data-ayllu-erase-entry', html)}


@pytest.fixture
def scene(db: None) -> tuple[StoredAssembly, int, dict[str, int]]:
    """A meeting where a proposal was tabled, objected to and commented on, with a minute-keeper's note."""
    assembly = found_with_officers("Junta Vecinal Alto Lima")
    a, b, c, _ = assembly.members
    meeting = meeting_with_everyone(assembly)
    content = {"matter": "ordinary", "title": "Tanque", "text": "Diez Bs.", "effect": {}, "meeting": meeting}
    proposal = act(assembly, a, "proposal.tabled", content)
    seqs = {
        "proposal": proposal,
        "objection": act(assembly, c, "objection.raised", {"proposal": proposal, "reason": "Es mucho."}),
        "comment": act(assembly, b, "comment.posted", {"proposal": proposal, "text": "Bien, si es mensual."}),
        "note": act(assembly, b, "minutes.note_added", {"meeting": meeting, "text": "Se compra arena."}),
    }
    return assembly, meeting, seqs


def test_the_proposal_and_minutes_pages_link_each_erasable_entry_for_a_member(
    scene: tuple[StoredAssembly, int, dict[str, int]],
) -> None:
    # given
    assembly, meeting, seqs = scene
    with translation.override("es"):
        proposal_page = reverse("web:proposal", kwargs={"log": assembly.log, "proposal_id": seqs["proposal"]})
        minutes_page = reverse("web:minutes", kwargs={"log": assembly.log, "meeting_id": meeting})
        erasure = reverse("web:new_matter_proposal", kwargs={"log": assembly.log, "matter": "erasure"})
    member, outsider = Client(), Client()
    log_in_as(member, assembly.log, assembly.members[3])
    # when
    on_proposal = member.get(proposal_page)
    on_minutes = member.get(minutes_page)
    # then a member finds the link beside each entry's words; an outsider finds none
    assert on_proposal.status_code == on_minutes.status_code == 200
    assert _erasure_links(on_proposal.content.decode()) == {
        seqs["proposal"],
        seqs["objection"],
        seqs["comment"],
    }
    assert _erasure_links(on_minutes.content.decode()) == {seqs["proposal"], seqs["objection"], seqs["note"]}
    assert _erasure_links(outsider.get(proposal_page).content.decode()) == set()
    assert _erasure_links(outsider.get(minutes_page).content.decode()) == set()
    # and the link leads to the erasure's form for that entry
    form = member.get(f"{erasure}?entrada={seqs['comment']}")
    assert (
        form.status_code == 200 and f'name="effect.entry" value="{seqs["comment"]}"' in form.content.decode()
    )


def test_words_already_erased_are_not_offered_for_erasure(
    scene: tuple[StoredAssembly, int, dict[str, int]],
) -> None:
    # given the comment's author erased it
    assembly, _, seqs = scene
    erase_words(assembly, assembly.members[1], entry=seqs["comment"])
    member = Client()
    log_in_as(member, assembly.log, assembly.members[3])
    # when
    with translation.override("es"):
        address = reverse("web:proposal", kwargs={"log": assembly.log, "proposal_id": seqs["proposal"]})
    page = member.get(address).content.decode()
    # then
    assert seqs["comment"] not in _erasure_links(page)
    assert seqs["proposal"] in _erasure_links(page)


def test_no_erasure_link_where_the_core_would_refuse_the_proposal(
    scene: tuple[StoredAssembly, int, dict[str, int]],
) -> None:
    # given the assembly suspended a member in the meeting (by majority): the core refuses what they table
    assembly, meeting, seqs = scene
    a, b, c, d = assembly.members
    suspension = act(
        assembly,
        a,
        "proposal.tabled",
        {
            "matter": "suspension",
            "title": "Suspensión",
            "text": "",
            "effect": {"member": d.public},
            "meeting": meeting,
        },
    )
    question = act(assembly, a, "question.opened", {"proposal": suspension})
    for member in (a, b, c):
        act(assembly, member, "vote.cast", {"question": question, "choice": "yes"})
    act(assembly, a, "question.closed", {"question": question})
    suspended, active = Client(), Client()
    log_in_as(suspended, assembly.log, d)
    log_in_as(active, assembly.log, c)
    with translation.override("es"):
        proposal_page = reverse("web:proposal", kwargs={"log": assembly.log, "proposal_id": seqs["proposal"]})
        minutes_page = reverse("web:minutes", kwargs={"log": assembly.log, "meeting_id": meeting})
        record_page = reverse("web:record", kwargs={"log": assembly.log})
    # when
    pages = [
        suspended.get(address).content.decode() for address in (proposal_page, minutes_page, record_page)
    ]
    # then the suspended member is offered no erasure; an active member still is, on every page
    assert [_erasure_links(page) for page in pages] == [set(), set(), set()]
    assert all(
        seqs["proposal"] in _erasure_links(active.get(a).content.decode())
        for a in (proposal_page, minutes_page)
    )
    assert seqs["comment"] in _erasure_links(active.get(record_page).content.decode())


def test_the_erasure_link_keeps_its_separator_on_its_line(
    scene: tuple[StoredAssembly, int, dict[str, int]],
) -> None:
    # given a member on a narrow phone, where "· Proponer que se borren sus palabras" wraps
    assembly, _, seqs = scene
    member = Client()
    log_in_as(member, assembly.log, assembly.members[3])
    with translation.override("es"):
        address = reverse("web:proposal", kwargs={"log": assembly.log, "proposal_id": seqs["proposal"]})
        # when
        page = member.get(address).content.decode()
    # then every "·" before the link is bound to it (no-break space, in a span that does not wrap)
    glued = re.findall(r'<span class="with-sep">·&nbsp;<a class="more" href="[^"]*\?entrada=(\d+)"', page)
    assert (
        {int(seq) for seq in glued}
        == _erasure_links(page)
        == {
            seqs["proposal"],
            seqs["objection"],
            seqs["comment"],
        }
    )
    assert re.findall(r" · <a [^>]*data-ayllu-erase-entry", page) == []
