"""Reminders reach exactly the members they concern, once, in their language, over a real SMTP server."""

import pytest

from ayllu.actions.notifications import BACKOFF_MS, MAX_ATTEMPTS, do_claim, do_remove_contact
from ayllu.notify.channels import EmailChannel
from ayllu.notify.delivery import _send_member, claim_ms, deliver_once, enqueue_due, quiet_until
from ayllu.notify.messages import Message
from ayllu.queries.notifications import (
    EMAIL,
    NotificationPrefs,
    get_notification_prefs,
    list_due_messages,
    list_member_reminders,
    list_outbox,
)
from ayllu.storage.models import OutboxMessage
from factories.stored import act

from .conftest import ADDRESSES, DAY_MS, HOUR_MS, SECRET_MEETING, SECRET_PROPOSAL, Council, settings_for
from .smtp import Inbox


def test_the_reminders_of_a_member_are_what_concerns_them(council: Council) -> None:
    # given the council (member 3 voted on the public question)
    # when each member's reminders are asked for
    kinds = {
        i: sorted(r.id.split(":")[0] for r in list_member_reminders(council.log, member=m, now=council.now))
        for i, m in enumerate(council.members)
    }
    # then everyone hears of both meetings, the one starting soon twice (convened, starting); the private
    # question closes within a day; only those who have not voted hear of the public question
    everyone = [
        "meeting-convened",
        "meeting-convened",
        "meeting-starting",
        "question-closing",
        "question-opened",
    ]
    assert kinds[3] == everyone
    assert kinds[0] == kinds[1] == kinds[2] == sorted([*everyone, "question-opened"])


def test_each_reminder_reaches_exactly_its_members_once_in_their_language(
    council: Council, smtp: Inbox
) -> None:
    # given members 0 (Spanish), 1 and 3 (English) with an address, member 2 without
    # when the deliverer runs twice
    first = deliver_once(now=council.now)
    second = deliver_once(now=council.now)
    # then every reminder went once to each member it concerns, and the second pass sent nothing
    assert first.sent == 6 + 6 + 5
    assert second.queued == 0 and second.sent == 0
    assert (
        len(smtp.to(ADDRESSES[0])) == 6
        and len(smtp.to(ADDRESSES[1])) == 6
        and len(smtp.to(ADDRESSES[3])) == 5
    )
    assert smtp.to(ADDRESSES[2]) == []
    assert len(smtp.messages) == 17
    # in each member's language
    assert "Junta Vecinal Avisos: Votación abierta: Arreglar la cancha" in smtp.subjects(ADDRESSES[0])
    assert "Junta Vecinal Avisos: A vote is open: Arreglar la cancha" in smtp.subjects(ADDRESSES[1])
    assert "Junta Vecinal Avisos: A vote is open: Arreglar la cancha" not in smtp.subjects(ADDRESSES[3])


def test_nothing_members_only_leaves_the_node_in_an_email(council: Council, smtp: Inbox) -> None:
    # given a members-only meeting and a members-only proposal being voted on
    # when every reminder is delivered
    deliver_once(now=council.now)
    # then no message holds their words: they say a meeting or a vote, and link to its page
    assert smtp.messages
    for message in smtp.messages:
        raw = message.as_string() + Inbox.text(message)
        assert SECRET_MEETING not in raw and SECRET_PROPOSAL not in raw
        assert "Reunion reservada" not in raw and "deuda" not in raw
    closing = [m for m in smtp.to(ADDRESSES[1]) if "Voting closes soon" in str(m["Subject"])]
    assert [str(m["Subject"]).strip() for m in closing] == [
        "Junta Vecinal Avisos: Voting closes soon on a proposal"
    ]
    body = Inbox.text(closing[0])
    assert f"/en/assembly/{council.log}/proposals/" in body


class Crash(BaseException):
    """The deliverer's process dying: not an error a channel reports, nothing catches it."""


class CrashingAfter(EmailChannel):
    """E-mail that kills the deliverer right after handing over its `after`-th message."""

    def __init__(self, after: int) -> None:
        self.left = after

    def send(self, address: str, message: Message, *, skip: frozenset[str] = frozenset()) -> None:
        super().send(address, message)
        self.left -= 1
        if self.left == 0:
            raise Crash()


def test_a_deliverer_killed_mid_batch_loses_nothing_and_sends_nothing_twice(
    council: Council, smtp: Inbox
) -> None:
    # given a deliverer that dies right after its fifth send, before marking it
    with pytest.raises(Crash):
        deliver_once(now=council.now, channels=[CrashingAfter(5)])
    assert len(smtp.messages) == 5
    # when another deliverer runs at once, and again once the dead one's claim has expired
    deliver_once(now=council.now)
    deliver_once(now=council.now + claim_ms())
    # then every message was delivered; only the one sent but not marked went twice
    subjects = [(str(m["To"]), str(m["Subject"]).strip()) for m in smtp.messages]
    assert len(set(subjects)) == 17
    assert len(subjects) == 18
    assert OutboxMessage.objects.filter(status=OutboxMessage.SENT).count() == 17


def test_quiet_hours_hold_messages_until_they_end(council: Council, smtp: Inbox) -> None:
    # given member 1 (at UTC-4) is quiet for two hours from the hour it is now there
    hour = (council.now - 4 * HOUR_MS) // HOUR_MS % 24
    quiet = {"quiet_start": hour, "quiet_end": (hour + 2) % 24}
    settings_for(council.log, council.members[1], email=ADDRESSES[1], language="en", **quiet)
    wake = quiet_until(get_notification_prefs(council.log, member=council.members[1]), now=council.now)
    assert council.now + HOUR_MS < wake <= council.now + 2 * HOUR_MS
    # when the deliverer runs now, and again when the quiet hours end
    deliver_once(now=council.now)
    assert smtp.to(ADDRESSES[1]) == [] and len(smtp.to(ADDRESSES[0])) == 6
    held = OutboxMessage.objects.filter(member=council.members[1])
    assert {(m.status, m.next_attempt) for m in held} == {(OutboxMessage.PENDING, wake)}
    deliver_once(now=wake)
    # then member 1 hears then of what still concerns them: the members-only meeting has begun meanwhile,
    # so its two reminders are dropped, not sent late
    assert smtp.subjects(ADDRESSES[1]) == [
        "Junta Vecinal Avisos: A vote is open on a proposal",
        "Junta Vecinal Avisos: A vote is open: Arreglar la cancha",
        "Junta Vecinal Avisos: Meeting convened: Asamblea de diciembre",
        "Junta Vecinal Avisos: Voting closes soon on a proposal",
    ]
    assert held.filter(status=OutboxMessage.DROPPED).count() == 2


def test_quiet_hours_are_counted_in_the_members_own_time() -> None:
    # given quiet hours from 22:00 to 7:00 at UTC-4
    prefs = NotificationPrefs(email="a@example.org", quiet_start=22, quiet_end=7, utc_offset=-240)
    midnight_utc = 1_780_000_000_000 // DAY_MS * DAY_MS
    # then 02:00 UTC (22:00 there) is quiet until 11:00 UTC (7:00 there); 11:00 UTC is not quiet
    assert quiet_until(prefs, now=midnight_utc + 2 * HOUR_MS) == midnight_utc + 11 * HOUR_MS
    assert quiet_until(prefs, now=midnight_utc + 10 * HOUR_MS + 59 * 60_000) == midnight_utc + 11 * HOUR_MS
    assert quiet_until(prefs, now=midnight_utc + 11 * HOUR_MS) == 0
    assert quiet_until(prefs, now=midnight_utc + 1 * HOUR_MS) == 0
    # and a span within one day (13:00 to 15:00 there) holds only inside it
    siesta = NotificationPrefs(quiet_start=13, quiet_end=15, utc_offset=-240)
    assert quiet_until(siesta, now=midnight_utc + 17 * HOUR_MS) == midnight_utc + 19 * HOUR_MS
    assert quiet_until(siesta, now=midnight_utc + 19 * HOUR_MS) == 0


def test_a_daily_digest_gathers_a_members_reminders_in_one_message_a_day(
    council: Council, smtp: Inbox
) -> None:
    # given member 0 asked for one e-mail a day
    settings_for(council.log, council.members[0], email=ADDRESSES[0], language="es", digest=True)
    # when the deliverer runs now, an hour later once a new meeting was convened, and a day later
    deliver_once(now=council.now)
    later = act(
        council.assembly,
        council.assembly.convenor,
        "meeting.convened",
        {"title": "Faena de limpieza", "starts": council.now + DAY_MS + 2 * HOUR_MS},
    )
    deliver_once(now=council.now + HOUR_MS)
    assert len(smtp.to(ADDRESSES[0])) == 1
    deliver_once(now=council.now + DAY_MS)
    # then the first digest held the six reminders of the moment, in Spanish; the new meeting waited for
    # the second, a day later
    first, second = smtp.to(ADDRESSES[0])
    assert str(first["Subject"]).strip() == "Junta Vecinal Avisos: 6 avisos para usted hoy"
    assert Inbox.text(first).count("Ábralo en su dispositivo") == 12  # six items, in text and HTML
    assert "Faena de limpieza" in Inbox.text(second)
    assert (
        OutboxMessage.objects.filter(member=council.members[0], reminder=f"meeting-convened:{later}")
        .get()
        .sent
    )
    # and the others were not held: they heard of each reminder on its own
    assert len(smtp.to(ADDRESSES[1])) > 1


class Refusing(EmailChannel):
    """A mail server that refuses every message."""

    def send(self, address: str, message: Message, *, skip: frozenset[str] = frozenset()) -> None:
        raise OSError("550 mailbox unavailable")


def test_a_message_refused_is_tried_again_later_then_is_a_dead_letter(council: Council) -> None:
    # given only member 3 has an address, and the server refuses everything
    settings_for(council.log, council.members[0], email="", language="es")
    settings_for(council.log, council.members[1], email="", language="en")
    # when the deliverer runs
    first = deliver_once(now=council.now, channels=[Refusing()])
    # then nothing is lost: every message waits, one minute later, then two, ...
    assert first.failed == 5 and first.sent == 0
    rows = OutboxMessage.objects.filter(member=council.members[3])
    assert {(m.status, m.attempts, m.next_attempt) for m in rows} == {
        (OutboxMessage.PENDING, 1, council.now + BACKOFF_MS)
    }
    assert deliver_once(now=council.now + BACKOFF_MS - 1, channels=[Refusing()]).failed == 0
    moment = council.now
    for attempt in range(2, MAX_ATTEMPTS + 1):
        moment += BACKOFF_MS * 2 ** (attempt - 2)
        deliver_once(now=moment, channels=[Refusing()])
    # until, after MAX_ATTEMPTS, the messages still due are dead letters with the server's answer
    dead = list_outbox(council.log, member=council.members[3], statuses=[OutboxMessage.DEAD])
    assert dead and all(
        m.attempts == MAX_ATTEMPTS and "550 mailbox unavailable" in m.last_error for m in dead
    )


def test_nothing_is_sent_to_a_member_who_left_turned_email_off_or_deleted_their_address(
    council: Council, smtp: Inbox
) -> None:
    # given the reminders queued for everyone
    deliver_once(now=council.now - 1, channels=[Refusing()])  # queued, and every send refused once
    # when member 0 leaves, member 1 turns e-mail off and member 3 deletes their address
    act(council.assembly, council.assembly.members[0], "member.left", {})
    settings_for(council.log, council.members[1], email=ADDRESSES[1], language="en", email_on=False)
    do_remove_contact(council.log, member=council.members[3])
    done = deliver_once(now=council.now + BACKOFF_MS)
    # then nothing is sent to them, and what waited for them is dropped
    assert smtp.messages == [] and done.sent == 0
    assert not OutboxMessage.objects.filter(status=OutboxMessage.PENDING).exists()
    assert OutboxMessage.objects.filter(status=OutboxMessage.DROPPED).count() == 17


def test_two_deliverers_never_send_the_same_message(council: Council, smtp: Inbox) -> None:
    # given the reminders queued, and deliverers A and B have both read the due messages of member 1
    enqueue_due(now=council.now, channels=[EmailChannel()])
    seen = [item for _, member, item in list_due_messages(now=council.now, channel=EMAIL, limit=100)]
    mine = [item for item in seen if OutboxMessage.objects.get(pk=item.id).member == council.members[1]]
    assert len(mine) == 6
    # when B claims them and is still sending, and A goes on with what it read
    assert all(do_claim(item.id, seen=item.next_attempt, until=council.now + claim_ms()) for item in mine)
    late = _send_member(EmailChannel(), council.log, council.members[1], mine, now=council.now)
    # then A sends nothing: B's claims came first
    assert late.sent == 0 and smtp.messages == []
    # and should B die before sending, the messages are due again once its claims expire, sent once
    assert deliver_once(now=council.now + claim_ms()).sent == 17
    assert deliver_once(now=council.now + claim_ms()).sent == 0
    assert len(smtp.to(ADDRESSES[1])) == 6
