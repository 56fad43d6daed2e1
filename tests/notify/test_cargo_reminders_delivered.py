"""The cargo (turns, terms, swaps), mandate, recall and alert reminders delivered end to end: over a real
SMTP server and a local push service that decrypts, each reaches exactly the members it concerns, once
per channel, in their language (tests/notify/test_reminders.py checks who they concern in the core; this,
that delivery carries each of them there)."""

from collections import Counter

from ayllu.actions.notifications import do_add_push_subscription
from ayllu.notify.delivery import deliver_once
from ayllu.queries.notifications import list_member_reminders
from ayllu.queries.pages import get_member_id
from ayllu.queries.replayed import read_state
from ayllu.storage.models import OutboxMessage
from factories.scenes import DAY_MS, NAMES, Clock, build_scene, clock

from .conftest import settings_for
from .pushservice import PushService, push_service
from .smtp import Inbox, smtp

__all__ = ["clock", "push_service", "smtp"]  # the fixtures, imported for the test below

SPANISH = ("ana", "carla", "eva")


def test_cargo_mandate_recall_and_alert_reminders_reach_exactly_their_members_once_by_each_channel(
    db: None, clock: Clock, smtp: Inbox, push_service: PushService
) -> None:
    # given the cargo scene with a swap offered to household Choque (eva, flor) and a mandate requested
    asm = build_scene(clock, draw=False)
    delegate = asm.holders("delegacion")[0]
    offering = next(n for n in NAMES if n not in (delegate, asm.holders("tesoreria")[0], "eva", "flor"))
    swap = asm.act(offering, "cargo.swap_proposed", {"cargo": "tesoreria", "household": "Choque"})
    request = asm.act(delegate, "mandate.requested", {"body": "fejuve", "question": "Peaje", "text": "?"})
    # and every member asking for e-mail (three in Spanish) and with a phone subscribed to push
    ids = {n: get_member_id(asm.log, key=asm.pub(n)) for n in NAMES}
    for n in NAMES:
        settings_for(asm.log, ids[n], email=f"{n}@example.org", language="es" if n in SPANISH else "en")
        browser = push_service.browser(n)
        do_add_push_subscription(
            asm.log,
            member=ids[n],
            endpoint=push_service.endpoint(n),
            p256dh=browser.p256dh,
            auth=browser.auth,
        )
    # (the day after the delegate's vote without a mandate, its alert is news too)
    reported = asm.ids["reported"]
    voted_at = read_state(asm.log, lambda s: next(a.time for a in s.delegate_acts if a.seq == reported))
    # (and a week before the treasurer's term ends, that term and the next households' turn)
    treasurer = asm.pub(asm.holders("tesoreria")[0])
    ending = read_state(asm.log, lambda s: s.cargos["tesoreria"].holders[treasurer])
    heard: dict[str, set[str]] = {n: set() for n in NAMES}
    for now in (clock.now, voted_at + DAY_MS, ending - 7 * DAY_MS + 1):
        smtp.messages.clear()
        push_service.received.clear()
        due = {n: list_member_reminders(asm.log, member=asm.pub(n), now=now) for n in NAMES}
        new = {n: [r for r in due[n] if r.id not in heard[n]] for n in NAMES}
        # when the deliverer runs twice
        first = deliver_once(now=now)
        again = deliver_once(now=now)
        # then each member got one e-mail and one push per reminder that concerns them and that they had
        # not heard of yet, and nothing more
        assert again.sent == again.queued == 0
        assert first.sent == 2 * sum(len(found) for found in new.values()) > 0
        for n in NAMES:
            mails = Counter(smtp.subjects(f"{n}@example.org"))
            pushes = Counter(p["title"] for p in push_service.to(n))
            assert sum(mails.values()) == sum(pushes.values()) == len(new[n]), n
            assert max(mails.values(), default=1) == 1 and mails == pushes, n
            # in their language
            links = [p["url"] for p in push_service.to(n)]
            assert all(f"/{'es' if n in SPANISH else 'en'}/" in link for link in links), n
            heard[n] |= {r.id for r in due[n]}
    # and the kinds delivered went to exactly the members they concern
    kinds = {
        f"swap-offered:{swap}": ["eva", "flor"],
        f"mandate-requested:{request}": [n for n in NAMES if n != delegate],
        f"vote-flagged:{reported}": [n for n in NAMES if n != delegate],
    }
    for reminder, members in kinds.items():
        sent_to = sorted({m.member for m in _sent(reminder)})
        assert sent_to == sorted(ids[n] for n in members), reminder
    assert {m.reminder.split(":")[0] for m in _sent("")} >= {
        "swap-offered",
        "mandate-requested",
        "report-overdue",
        "recall-petitioned",
        "vote-flagged",
        "term-ending",
        "turn-coming",
    }


def _sent(prefix: str) -> list[OutboxMessage]:
    return [m for m in OutboxMessage.objects.filter(status="sent") if m.reminder.startswith(prefix)]
