"""Delivery that survives: queue what is due, then send the outbox, marking each message as it goes.

One pass (`deliver_once`):
1. for every member who may be reached, ask the record and the clock what concerns them
   (`queries.notifications.list_member_reminders`) and queue one outbox row per reminder and channel;
   the row is unique, so a reminder already queued (sent or not) is never queued again;
2. take the due pending rows in a batch; for each member, drop those that no longer concern them (they
   voted, the meeting began), hold them through quiet hours or until the next daily digest, and send the
   rest. Each row is claimed first (its next attempt moved ahead, only if no other deliverer did), and
   marked sent in its own transaction right after its channel took it.

At least once, with de-duplication: a deliverer killed between a send and its mark sends that one message
again after the claim expires; one killed anywhere else loses nothing and sends nothing twice. A failed
send is tried again with exponential backoff (or after the wait the far end asked for, when longer), and
is a dead letter after `MAX_ATTEMPTS`, or at once when the far end refused it for good (an SMTP 5xx, a
push service's 4xx). A retry skips the devices that took the message already.
"""

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings

from ayllu.actions.notifications import (
    do_claim,
    do_drop,
    do_enqueue_many,
    do_mark_digest_sent,
    do_mark_failed,
    do_mark_sent,
    do_postpone,
)
from ayllu.queries.notifications import (
    NotificationPrefs,
    OutboxItem,
    Reachable,
    ShownReminder,
    get_assembly_name,
    get_notification_prefs,
    list_due_messages,
    list_member_reminders,
    list_members_reminders,
    list_reachable,
)
from ayllu.storage import clock
from ayllu.storage.errors import RecordNotFound
from ayllu.storage.periodic import run_every, start_daemon

from .channels import UNKNOWN, Channel, EmailChannel, PushChannel, SendFailed
from .messages import Message, render_cached

log_ = logging.getLogger(__name__)

HOUR_MS = 3600 * 1000
DAY_MS = 24 * HOUR_MS


@dataclass(frozen=True, slots=True)
class Pass:
    """What one pass did: rows queued, messages sent, rows dropped, held and failed."""

    queued: int = 0
    sent: int = 0
    dropped: int = 0
    held: int = 0
    failed: int = 0


def quiet_until(prefs: NotificationPrefs, *, now: int) -> int:
    """When the member's quiet hours end, if `now` is inside them; otherwise 0."""
    start, end = prefs.quiet_start, prefs.quiet_end
    if start is None or end is None or start == end:
        return 0
    local = now + prefs.utc_offset * 60_000
    hour = local // HOUR_MS % 24
    inside = start <= hour < end if start < end else hour >= start or hour < end
    if not inside:
        return 0
    hour_start = local - local % HOUR_MS
    return hour_start + ((end - hour) % 24) * HOUR_MS - prefs.utc_offset * 60_000


def enqueue_due(*, now: int, channels: Sequence[Channel]) -> int:
    """Queue every reminder due now for every member who may be reached; return how many rows are new.
    Each assembly is read once for all its members (the turn order and the terms held, once)."""
    by_log: dict[str, list[Reachable]] = {}
    for reach in list_reachable():
        by_log.setdefault(reach.log, []).append(reach)
    queued = 0
    days = settings.AYLLU_TURN_NOTICE_DAYS
    for log, reachable in by_log.items():
        found = list_members_reminders(log, members=[r.member for r in reachable], now=now, turn_days=days)
        for channel in channels:
            wanted = {
                reach.member: [r.id for r in found[reach.member]]
                for reach in reachable
                if channel.address(reach.prefs)
            }
            queued += do_enqueue_many(log, wanted=wanted, channel=channel.name, now=now)
    return queued


def claim_ms() -> int:
    """How long a claimed message waits before it is due again (AYLLU_DELIVER_CLAIM_SECONDS)."""
    return int(float(settings.AYLLU_DELIVER_CLAIM_SECONDS) * 1000)


def _claimed(items: list[OutboxItem], *, now: int) -> list[OutboxItem]:
    until = now + claim_ms()
    return [i for i in items if do_claim(i.id, seen=i.next_attempt, until=until)]


def _send_member(
    channel: Channel,
    log: str,
    member: str,
    items: list[OutboxItem],
    *,
    now: int,
    found: dict[str, list[ShownReminder]] | None = None,
) -> Pass:
    """Send `member`'s due `items`; `found` is what concerns the batch's members of `log` now, read once
    for them all (read here for this member alone when not given)."""
    prefs = get_notification_prefs(log, member=member)
    address = channel.address(prefs)
    try:
        if not address:
            shown: list[ShownReminder] = []
        elif found is not None:
            shown = found.get(member, [])
        else:
            shown = list_member_reminders(
                log, member=member, now=now, turn_days=settings.AYLLU_TURN_NOTICE_DAYS
            )
        current = {r.id: r for r in shown}
        assembly = get_assembly_name(log)
    except RecordNotFound:
        current, assembly = {}, ""
    stale = [i.id for i in items if i.reminder not in current]
    do_drop(stale)
    live = [i for i in items if i.reminder in current]
    hold = quiet_until(prefs, now=now)
    # The digest is daily per member, whatever the channel: one sent in this same pass (by another
    # channel, at this `now`) does not hold this channel's until tomorrow.
    if live and prefs.digest and not hold and prefs.last_digest < now < prefs.last_digest + DAY_MS:
        hold = prefs.last_digest + DAY_MS
    if hold:
        do_postpone([i.id for i in live], until=hold)
        return Pass(dropped=len(stale), held=len(live))
    live = _claimed(live, now=now)

    def render(reminders: list[ShownReminder]) -> Message:
        return render_cached(
            tuple(reminders), log=log, assembly=assembly, language=prefs.language, utc_offset=prefs.utc_offset
        )

    if prefs.digest and live:
        # A digest's rows failed and were kept together: the devices that took it are the same for all.
        skip = frozenset.intersection(*(i.taken_by for i in live))
        try:
            channel.send(address, render([current[i.reminder] for i in live]), skip=skip)
        except Exception as error:  # any refusal of the channel: counted, tried again later
            for item in live:
                _mark_failed(item, error, now=now)
            return Pass(dropped=len(stale), failed=len(live))
        do_mark_digest_sent(log, member=member, ids=[i.id for i in live], now=now)
        return Pass(sent=1, dropped=len(stale))
    sent = failed = 0
    for item in live:
        try:
            channel.send(address, render([current[item.reminder]]), skip=item.taken_by)
        except Exception as error:  # any refusal of the channel: counted, tried again later
            _mark_failed(item, error, now=now)
            failed += 1
            continue
        do_mark_sent([item.id], now=now)
        sent += 1
    return Pass(sent=sent, dropped=len(stale), failed=failed)


def _mark_failed(item: OutboxItem, error: Exception, *, now: int) -> None:
    """Count a failed send: with the class, the wait, the verdict and the devices a channel's
    `SendFailed` gives. The technical text goes to the operators' log and the outbox row, never to the
    member (their page says what the class means, in their language)."""
    text = f"{type(error).__name__}: {error}"
    log_.warning("message %s (%s) not sent: %s", item.id, item.channel, text)
    if isinstance(error, SendFailed):
        do_mark_failed(
            item.id,
            now=now,
            error=text,
            failure=error.failure,
            retry_after_ms=error.retry_after * 1000,
            permanent=error.permanent,
            taken_by=error.taken_by,
        )
    else:
        do_mark_failed(item.id, now=now, error=text, failure=UNKNOWN)


def send_due(*, now: int, channel: Channel, batch: int) -> Pass:
    """Send at most `batch` due messages of `channel`, member by member."""
    by_member: dict[tuple[str, str], list[OutboxItem]] = {}
    for log, member, item in list_due_messages(now=now, channel=channel.name, limit=batch):
        by_member.setdefault((log, member), []).append(item)
    by_log: dict[str, list[str]] = {}
    for log, member in by_member:
        by_log.setdefault(log, []).append(member)
    found: dict[str, dict[str, list[ShownReminder]]] = {}
    for log, members in by_log.items():
        try:  # each assembly read once for the batch's members (turn order, terms held, members-only)
            found[log] = list_members_reminders(
                log, members=members, now=now, turn_days=settings.AYLLU_TURN_NOTICE_DAYS
            )
        except RecordNotFound:
            found[log] = {}
    total = Pass()
    for (log, member), items in by_member.items():
        total = _add(total, _send_member(channel, log, member, items, now=now, found=found[log]))
    return total


def _add(a: Pass, b: Pass) -> Pass:
    return Pass(
        a.queued + b.queued, a.sent + b.sent, a.dropped + b.dropped, a.held + b.held, a.failed + b.failed
    )


def deliver_once(*, now: int | None = None, channels: Sequence[Channel] = (), batch: int = 0) -> Pass:
    """One pass: queue what is due, then send one batch per channel."""
    moment = clock.now_ms() if now is None else now
    chosen = list(channels) or [EmailChannel(), PushChannel()]
    queued = enqueue_due(now=moment, channels=chosen)
    total = Pass(queued=queued)
    for channel in chosen:
        total = _add(
            total, send_due(now=moment, channel=channel, batch=batch or settings.AYLLU_DELIVER_BATCH)
        )
    return total


def run_delivery(stop: threading.Event, *, seconds: float, channels: Sequence[Channel] = ()) -> None:
    """Pass after pass, `seconds` apart, until `stop` is set; a failing pass is logged and the next runs."""
    run_every(stop, lambda: deliver_once(channels=channels), seconds=seconds, what="a delivery pass")


def start_delivery_thread(*, seconds: float) -> tuple[threading.Thread, threading.Event]:
    """Run delivery in a daemon thread of this process (`ayllu serve` on a small node)."""
    return start_daemon(lambda stop: run_delivery(stop, seconds=seconds), name="ayllu-deliver")
