"""Recall reminders, from the record and the clock: a petition gathering signatures reaches the members
who may still sign it, a recall vote the members who may still vote; the messages name the cargo, never
the petition's reason, and link to the page where the member acts."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from ayllu.notify.messages import render_message
from ayllu.queries.notifications import list_member_reminders
from ayllu.queries.replayed import read_state
from factories.scenes import DAY_MS, NAMES, CargoAssembly, Clock, build_scene, clock

__all__ = ["clock"]  # the fixture, imported for the tests below


def recall_reminders(asm: CargoAssembly, *, now: int) -> dict[str, list[str]]:
    """Each member's recall and closing reminder ids (by name) at `now`."""
    return {
        n: [
            r.id
            for r in list_member_reminders(asm.log, member=asm.pub(n), now=now)
            if r.kind in ("recall_petitioned", "recall_vote", "question_closing")
        ]
        for n in NAMES
    }


def test_a_recall_petition_reaches_those_who_may_still_sign_it_then_its_vote_those_who_may_vote(
    db: None, clock: Clock
) -> None:
    # given the cargo scene: a petition to recall the treasurer, signed by the member who opened it
    asm = build_scene(clock, draw=False)
    petition = asm.ids["petition"]
    treasurer = asm.holders("tesoreria")[0]
    signers = read_state(asm.log, lambda s: [m for m in s.recall_petitions[petition].signers])
    first = next(n for n in NAMES if asm.pub(n) in signers)
    # when each member's reminders are asked for
    found = recall_reminders(asm, now=clock.now)
    # then everyone but its signer and the treasurer is asked to sign it
    asked = [n for n in NAMES if f"recall-petitioned:{petition}" in found[n]]
    assert asked == [n for n in NAMES if n not in (first, treasurer)]
    # when a second member signs
    second = asked[0]
    asm.act(second, "recall.signed", {"petition": petition})
    # then they are asked no more; the others still are
    found = recall_reminders(asm, now=clock.now)
    assert [n for n in NAMES if f"recall-petitioned:{petition}" in found[n]] == asked[1:]
    # when a third signature opens the recall vote
    asm.act(asked[1], "recall.signed", {"petition": petition})
    question = read_state(asm.log, lambda s: s.recall_petitions[petition].question)
    found = recall_reminders(asm, now=clock.now)
    # then nobody is asked to sign any more; everyone but the treasurer is asked to vote
    assert not any(r.startswith("recall-petitioned:") for ids in found.values() for r in ids)
    assert [n for n in NAMES if f"recall-vote:{question}" in found[n]] == [n for n in NAMES if n != treasurer]
    assert not any(r.startswith("question-closing:") for ids in found.values() for r in ids)
    # when one votes, and the clock comes within a day of the vote's end (three days)
    voter = asked[0]
    asm.act(voter, "vote.cast", {"question": question, "choice": "yes"})
    found = recall_reminders(asm, now=clock.now + 2 * DAY_MS + 1)
    # then the voter hears nothing more of it; the others hear it closes soon
    assert found[voter] == []
    closing = [n for n in NAMES if f"question-closing:{question}" in found[n]]
    assert closing == [n for n in NAMES if n not in (treasurer, voter)]


def test_recall_messages_name_the_cargo_never_the_reason_and_link_to_where_one_acts(
    db: None, clock: Clock
) -> None:
    # given the scene's petition (its reason: "No rinde cuentas de la caja.")
    asm = build_scene(clock, draw=False)
    petition = asm.ids["petition"]
    treasurer = asm.holders("tesoreria")[0]
    shown = [
        r
        for n in NAMES
        if n != treasurer
        for r in list_member_reminders(asm.log, member=asm.pub(n), now=clock.now)
        if r.id == f"recall-petitioned:{petition}"
    ][:1]
    assert shown
    # when the messages are written in Spanish and English
    es = render_message(shown, log=asm.log, assembly="Junta", language="es", utc_offset=-240)
    en = render_message(shown, log=asm.log, assembly="Junta", language="en", utc_offset=-240)
    # then each names the cargo and links to the recall page; the reason leaves the node in neither
    assert en.subject == "Junta: A petition asks to recall the holder of tesoreria"
    assert es.subject == "Junta: Una petición pide revocar a quien tiene el cargo de tesoreria"
    for language, message in (("es", es), ("en", en)):
        with translation.override(language):
            page = reverse("web:recall", kwargs={"log": asm.log})
        assert message.link == str(settings.AYLLU_PUBLIC_URL).rstrip("/") + page
        assert "caja" not in message.subject + message.text + message.html + message.summary
