"""Ratification reminders, from the home record, the federation's record held here and the clock: a
resolution awaiting a member assembly's answer reaches that assembly's active members once, and again a
day before its deadline; never once the answer is recorded at home, nor after the deadline; in each
member's language, naming the federation and the resolution only where their words are public."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from ayllu.actions.record import forget_replayed_state
from ayllu.messages import reminder_kind_words
from ayllu.notify.delivery import deliver_once
from ayllu.notify.messages import render_message
from ayllu.queries.notifications import list_member_reminders
from ayllu.queries.replayed import read_state
from factories.federations import ratify_at_home
from factories.federations_stored import ResolvedFederation, hold, resolved_federation
from factories.keys import pub
from factories.scenes import Clock

from .conftest import HOUR_MS, settings_for
from .smtp import Inbox

TITLE = "Paro cívico por el agua"
FEDERATION = "Federación de juntas vecinales"


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Clock:
    forget_replayed_state()
    clock = Clock()
    monkeypatch.setattr("ayllu.storage.clock.now_ms", clock)
    return clock


def _scene(fake: Clock, *, vis: str = "public", held: bool = True) -> ResolvedFederation:
    """The scene, with alto and bajo held on this node (`held`) or not yet (each is held once: the test
    holds it after its acts at home)."""
    scene = resolved_federation(fake, days=30, vis=vis)
    if held:
        hold(scene.alto)
        hold(scene.bajo)
    return scene


def _deadline(scene: ResolvedFederation) -> int:
    return read_state(scene.log, lambda s: s.resolutions[scene.resolution].deadline)


def _members(log: str) -> list[str]:
    return read_state(log, lambda s: sorted(m for m, r in s.members.items() if not r.suspended))


def _ratification_ids(log: str, *, now: int) -> dict[str, list[str]]:
    return {
        m: [r.id for r in list_member_reminders(log, member=m, now=now) if r.kind.startswith("ratification_")]
        for m in _members(log)
    }


def test_a_resolution_awaiting_the_answer_reaches_each_member_once_until_it_is_recorded(
    db: None, fake: Clock
) -> None:
    # given a resolution awaiting the answers of alto, bajo and sur (sur not held on this node); alto
    # decided and recorded its answer (not yet cited into the federation), bajo did nothing yet but
    # suspend flor
    scene = _scene(fake, held=False)
    ratify_at_home(scene.alto, scene.log, scene.resolution)
    question = scene.bajo.open_question(
        "dora", scene.bajo.table("dora", matter="suspension", effect={"member": pub("flor")})
    )
    scene.bajo.vote("dora", question, "yes")
    scene.bajo.vote("eva", question, "yes")
    scene.bajo.close_after_deadline("eva", question)
    fake.now = max(fake.now, scene.alto.clock + 1000, scene.bajo.clock + 1000)
    hold(scene.alto)
    hold(scene.bajo)
    due = f"ratification-due:{scene.log}:{scene.resolution}"
    closing = f"ratification-closing:{scene.log}:{scene.resolution}"
    deadline = _deadline(scene)
    # when each member is asked now
    # then each of bajo's active members hears of it once, and not yet that it closes soon; nobody of
    # alto, whose answer is recorded
    found = _ratification_ids(scene.bajo.log, now=fake.now)
    assert sorted(found) == sorted([pub("dora"), pub("eva")]) and all(ids == [due] for ids in found.values())
    flor = list_member_reminders(scene.bajo.log, member=pub("flor"), now=fake.now)
    assert [r.id for r in flor if r.kind.startswith("ratification_")] == []
    assert _ratification_ids(scene.alto.log, now=fake.now) == {m: [] for m in _members(scene.alto.log)}
    # when the clock comes within a day of the deadline
    # then bajo's members hear it closes soon too
    found = _ratification_ids(scene.bajo.log, now=deadline - 12 * HOUR_MS)
    assert all(ids == [due, closing] for ids in found.values())
    assert all(ids == [] for ids in _ratification_ids(scene.alto.log, now=deadline - HOUR_MS).values())
    # when the deadline has passed: nothing
    assert all(ids == [] for ids in _ratification_ids(scene.bajo.log, now=deadline).values())


def test_a_decision_under_way_is_linked_to_its_proposal(db: None, fake: Clock) -> None:
    # given alto tabled its ratification decision
    scene = _scene(fake, held=False)
    effect = {"federation": scene.log, "resolution": scene.resolution}
    proposal = scene.alto.table("ana", matter="ratification", effect=effect)
    fake.now = max(fake.now, scene.alto.clock + 1000)
    hold(scene.alto)
    member = _members(scene.alto.log)[0]
    # when its reminder is written
    shown = [
        r
        for r in list_member_reminders(scene.alto.log, member=member, now=fake.now)
        if r.kind == "ratification_due"
    ]
    message = render_message(shown, log=scene.alto.log, assembly="Alto", language="en", utc_offset=0)
    # then it links to the proposal where the member votes
    with translation.override("en"):
        page = reverse("web:proposal", kwargs={"log": scene.alto.log, "proposal_id": proposal})
    assert message.link == str(settings.AYLLU_PUBLIC_URL).rstrip("/") + page


def test_the_messages_name_the_federation_and_the_resolution_in_the_members_language(
    db: None, fake: Clock
) -> None:
    # given the resolution, public, within a day of its deadline
    scene = _scene(fake)
    member = _members(scene.alto.log)[0]
    now = _deadline(scene) - 12 * HOUR_MS
    shown = [
        r for r in list_member_reminders(scene.alto.log, member=member, now=now) if r.kind.startswith("rat")
    ]
    # when the messages are written in Spanish and English
    es = [
        render_message([r], log=scene.alto.log, assembly="Alto", language="es", utc_offset=0) for r in shown
    ]
    en = [
        render_message([r], log=scene.alto.log, assembly="Alto", language="en", utc_offset=0) for r in shown
    ]
    # then each names the federation and the resolution, and links to "our federations" on the home page
    assert [m.subject for m in es] == [
        f"Alto: {FEDERATION} pide a la asamblea ratificar: {TITLE}",
        f"Alto: Se acaba el plazo para ratificar: {TITLE}",
    ]
    assert [m.subject for m in en] == [
        f"Alto: {FEDERATION} asks the assembly to ratify: {TITLE}",
        f"Alto: The time to ratify ends soon: {TITLE}",
    ]
    assert "todavía no está registrada" in es[1].text and "it is not recorded yet" in en[1].text
    with translation.override("es"):
        home = reverse("web:assembly", kwargs={"log": scene.alto.log})
    assert es[0].link == str(settings.AYLLU_PUBLIC_URL).rstrip("/") + home + "#federations-title"


def test_a_members_only_resolution_reaches_members_without_its_words(
    db: None, fake: Clock, smtp: Inbox
) -> None:
    # given a resolution tabled members-only in the federation; a member of alto asked for e-mail
    # in Spanish, another in English
    scene = _scene(fake, vis="members")
    first, second = _members(scene.alto.log)[:2]
    settings_for(scene.alto.log, first, email="ana@example.org", language="es")
    settings_for(scene.alto.log, second, email="bea@example.org", language="en")
    # when the deliverer runs twice
    deliver_once(now=fake.now)
    again = deliver_once(now=fake.now)
    # then each got one message of it, in their language, naming the federation but not its words
    assert again.queued == 0 and again.sent == 0
    name = read_state(scene.alto.log, lambda s: s.name)
    assert [s for s in smtp.subjects("ana@example.org") if "ratificar" in s] == [
        f"{name}: {FEDERATION} pide a la asamblea ratificar una resolución"
    ]
    assert [s for s in smtp.subjects("bea@example.org") if "ratify" in s] == [
        f"{name}: {FEDERATION} asks the assembly to ratify a resolution"
    ]
    for message in smtp.messages:
        raw = message.as_string() + Inbox.text(message)
        assert "Paro" not in raw and "agua" not in raw
    # and what a push notification carries (the same message's subject, summary and link) neither
    shown = list_member_reminders(scene.alto.log, member=first, now=_deadline(scene) - HOUR_MS)
    assert {r.kind for r in shown} >= {"ratification_due", "ratification_closing"}
    for language in ("es", "en"):
        for r in shown:
            push = render_message([r], log=scene.alto.log, assembly=name, language=language, utc_offset=0)
            assert "Paro" not in push.subject + push.summary + push.link + push.text + push.html


def test_the_outbox_names_the_kinds_in_the_members_language() -> None:
    # given the ids of the two reminders
    ids = ("ratification-due:ab:3", "ratification-closing:ab:3")
    # when the member's page names them
    with translation.override("es"):
        es = [reminder_kind_words(i) for i in ids]
    with translation.override("en"):
        en = [reminder_kind_words(i) for i in ids]
    # then
    assert es == ["Una resolución espera ser ratificada", "Se acaba el plazo para ratificar"]
    assert en == ["A resolution awaits ratification", "The time to ratify ends soon"]
