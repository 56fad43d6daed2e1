"""Every kind of reminder the core can derive is told in the member's words wherever it reaches them: the
outbox and dead letters of their settings page (and the API's outbox), the e-mail and push of one
reminder, and the daily digest. A kind added to `core.assembly.reminders.KINDS` without words fails here.
"""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from ayllu.core.assembly.reminders import KINDS
from ayllu.messages import REMINDER_KINDS, reminder_kind_words
from ayllu.notify.messages import render_message
from ayllu.queries.notifications import ShownReminder, list_member_reminders
from ayllu.queries.replayed import read_state
from ayllu.storage.models import OutboxMessage, Record
from factories.scenes import DAY_MS, NAMES, Clock, build_scene, clock
from factories.stored import log_in_as

from .conftest import Council

__all__ = ["clock"]  # the fixture, imported for the tests below

LANGUAGES = ("en", "es")
AT = 1_767_225_600_000


def _id(kind: str) -> str:
    """A reminder id of `kind`, as the core writes it (its kind with hyphens, then the object)."""
    return f"{kind.replace('_', '-')}:7"


def shown(kind: str, *, words: bool) -> ShownReminder:
    """A reminder of `kind`, with a title, a federation's name and a cargo when `words`, else bare."""
    return ShownReminder(
        _id(kind),
        kind,
        AT,
        7,
        "convenor" if words else "",
        "Arreglar la cancha" if words else "",
        "Federación del Valle" if words else "",
    )


def render(reminders: list[ShownReminder], language: str) -> tuple[str, str, str, str, str]:
    message = render_message(reminders, log="a" * 64, assembly="Junta", language=language, utc_offset=-240)
    return message.subject, message.text, message.html, message.summary, message.link


def test_every_kind_has_words_for_the_outbox_in_english_and_spanish() -> None:
    # given every kind of reminder the core derives
    # then each has outbox words, and nothing else has
    assert set(REMINDER_KINDS) == set(KINDS)
    # when each reminder id is put in words in English and Spanish
    english = {k: translation.override("en")(reminder_kind_words)(_id(k)) for k in KINDS}
    spanish = {k: translation.override("es")(reminder_kind_words)(_id(k)) for k in KINDS}
    # then each kind reads differently from the others, translated, never as its id
    assert len(set(english.values())) == len(KINDS) == len(set(spanish.values()))
    for kind in KINDS:
        assert english[kind] != spanish[kind], kind
        for words in (english[kind], spanish[kind]):
            assert kind not in words and _id(kind).split(":")[0] not in words, kind
    # and an id of a kind this version does not know reads as a message of the assembly, not as an id
    with translation.override("es"):
        assert reminder_kind_words("alert-raised:3") == "Un mensaje de la asamblea"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("words", [True, False], ids=["with-words", "bare"])
def test_every_kind_is_told_in_words_in_an_email_and_a_push(db: None, language: str, words: bool) -> None:
    for kind in KINDS:
        # when a message of one reminder of this kind is written
        subject, text, html, summary, link = render([shown(kind, words=words)], language)
        # then its subject, body, push line and link are written, and no id or kind shows through
        assert subject.startswith("Junta: ") and len(subject) > len("Junta: ") + 5, kind
        assert summary and summary in text, kind
        assert link.startswith("http") and link in text, kind
        for part in (subject, text, html, summary):
            assert kind not in part and _id(kind) not in part, (kind, part)
    # and no two kinds say the same thing
    said = {
        render([shown(k, words=words)], language)[0] + render([shown(k, words=words)], language)[3]
        for k in KINDS
    }
    assert len(said) == len(KINDS)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_digest_of_every_kind_tells_each_in_words(db: None, language: str) -> None:
    # when a daily digest carries one reminder of every kind
    reminders = [shown(k, words=True) for k in KINDS]
    subject, text, html, summary, _ = render(reminders, language)
    singles = [render([r], language) for r in reminders]
    # then it counts them, and tells each as its own message would, with its link
    assert str(len(KINDS)) in subject
    for (one_subject, _t, _h, one_summary, one_link), kind in zip(singles, KINDS, strict=True):
        headline = one_subject.removeprefix("Junta: ")
        assert headline in summary and headline in text, kind
        assert one_summary in text and one_link in text, kind
        assert kind not in text + html + summary, kind


def test_the_words_of_both_languages_differ() -> None:
    # the Spanish catalogue has every headline (a kind left untranslated would read in English)
    for kind in KINDS:
        english = render_message(
            [shown(kind, words=False)], log="a" * 64, assembly="J", language="en", utc_offset=0
        )
        spanish = render_message(
            [shown(kind, words=False)], log="a" * 64, assembly="J", language="es", utc_offset=0
        )
        assert english.subject != spanish.subject, kind
        assert english.summary != spanish.summary, kind


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_outbox_page_and_api_name_every_kind_in_the_members_words(
    council: Council, client: Client, language: str
) -> None:
    # given member 1's outbox holds a sent message and a dead letter of every kind
    record = Record.objects.get(log=council.log)
    for kind in KINDS:
        for status in (OutboxMessage.SENT, OutboxMessage.DEAD):
            OutboxMessage.objects.create(
                record=record,
                member=council.members[1],
                reminder=f"{_id(kind)}:{status}",
                channel="email",
                status=status,
                attempts=1,
                next_attempt=council.now,
                created=council.now,
                failure="address_refused" if status == OutboxMessage.DEAD else "",
            )
    # when member 1 reads their settings page and their outbox through the API in `language`
    log_in_as(client, council.log, council.assembly.members[1])
    with translation.override(language):
        page = client.get(reverse("web:notifications", kwargs={"log": council.log})).content.decode()
        expected = {kind: reminder_kind_words(_id(kind)) for kind in KINDS}
    api = client.get(f"/api/assemblies/{council.log}/me/outbox", HTTP_ACCEPT_LANGUAGE=language).json()
    # then every kind is named in words, among the dead letters and the latest messages alike
    for kind, words in expected.items():
        escaped = words.replace("'", "&#x27;")
        assert page.count(escaped) >= 2, (kind, words)
        assert _id(kind) not in page and f"{kind.replace('_', '-')}:" not in page, kind
    assert {m["reminder_message"] for m in api} == set(expected.values())


def test_the_ids_the_core_writes_start_with_their_kind(db: None, clock: Clock) -> None:
    # given the cargo scene (turns, terms, a swap, a recall petition, questions, a meeting)
    asm = build_scene(clock, draw=False)
    # when every member's reminders are derived now and as the petition's vote is about to close
    petition = asm.ids["petition"]
    signers = read_state(asm.log, lambda s: set(s.recall_petitions[petition].signers))
    found = [r for n in NAMES for r in list_member_reminders(asm.log, member=asm.pub(n), now=clock.now)]
    for n in [n for n in NAMES if asm.pub(n) not in signers][:2]:
        asm.act(n, "recall.signed", {"petition": petition})
    found += [
        r
        for n in NAMES
        for r in list_member_reminders(asm.log, member=asm.pub(n), now=clock.now + 3 * DAY_MS - 1)
    ]
    # then each id starts with its kind, as the outbox reads it back (and kinds of both sorts were seen)
    assert {r.kind for r in found} >= {
        "recall_petitioned",
        "recall_vote",
        "question_closing",
        "report_overdue",
    }
    for r in found:
        assert r.id.split(":", 1)[0] == r.kind.replace("_", "-"), r.id
        assert reminder_kind_words(r.id) == str(REMINDER_KINDS[r.kind])
