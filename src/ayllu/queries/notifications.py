"""Reads for notifications: what concerns a member now, their settings, and their outbox.

Reminders come from the replayed state and the clock (`core.assembly.reminders`); settings and the
outbox are rows of this node only (`storage.models.NotificationSettings`, `OutboxMessage`), never in the
record (decision 0014). A reminder's words reach a message only as an outsider may read them: a message
leaves the node, and the charter has no rule letting members-only words leave it.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from django.conf import settings

from ayllu.core.assembly.reminders import TURN_DAYS, Reminder, list_reminders_of
from ayllu.core.assembly.words import shown_to
from ayllu.core.federations.plenary import is_plenary
from ayllu.storage import models
from ayllu.storage.keyfiles import load_or_create_push_key_file, push_public_key
from ayllu.storage.member_settings import MemberSettings, kept_settings

from .federations import list_federations_awaiting
from .pages import get_members_only
from .replayed import read_state

EMAIL = "email"
PUSH = "push"


@dataclass(frozen=True, slots=True)
class PushDevice:
    """A device the member subscribed to Web Push: the push service's URL and the keys (base64url) a
    message is encrypted to (RFC 8291)."""

    endpoint: str
    p256dh: str
    auth: str


@dataclass(frozen=True, slots=True)
class NotificationPrefs(MemberSettings):
    """A member's settings for one assembly (the defaults when they saved none), with what the node keeps
    beside them."""

    last_digest: int = 0
    saved: bool = False  # False: the member saved nothing yet, these are the defaults
    devices: tuple[PushDevice, ...] = ()  # where Web Push reaches them (decision 0017)


@dataclass(frozen=True, slots=True)
class Reachable:
    """A member who may be reached by e-mail, with their settings."""

    log: str
    member: str
    prefs: NotificationPrefs


@dataclass(frozen=True, slots=True)
class ShownReminder:
    """A reminder as a message may carry it: `title` and `body` (the name of the federation it comes
    from) are its public words, or "" when they are not public."""

    id: str
    kind: str
    at: int
    about: int
    cargo: str
    title: str
    body: str = ""
    flag: str = ""  # a flagged vote's mandate flag
    plenary: bool = False  # about a federation's plenary (its title is shown in the reader's language)


@dataclass(frozen=True, slots=True)
class OutboxShown:
    """One message of a member's outbox, as they see it on their settings page and in the API."""

    reminder: str
    channel: str
    status: str
    attempts: int
    next_attempt: int
    failure: str  # the class of its last failure (notify.channels.FAILURES); "" when none
    created: int
    sent: int | None


@dataclass(frozen=True, slots=True)
class OutboxItem(OutboxShown):
    """One message of the outbox, with what the deliverer needs besides."""

    id: int
    last_error: str = ""  # the far end's technical answer: for the node's operators only
    taken_by: frozenset[str] = frozenset()  # the devices that took it already (a retry skips them)


def _prefs(row: models.NotificationSettings, devices: tuple[PushDevice, ...] = ()) -> NotificationPrefs:
    return NotificationPrefs(**kept_settings(row), last_digest=row.last_digest, saved=True, devices=devices)


def _devices(rows: Iterable[models.PushSubscription]) -> tuple[PushDevice, ...]:
    return tuple(PushDevice(r.endpoint, r.p256dh, r.auth) for r in rows)


def get_push_public_key() -> str:
    """The node's VAPID public key (base64url) browsers subscribe with; the key is created on first use
    in the node's data dir (AYLLU_PUSH_KEY_FILE)."""
    return push_public_key(load_or_create_push_key_file(Path(settings.AYLLU_PUSH_KEY_FILE)))


def list_push_devices(log: str, *, member: str) -> tuple[PushDevice, ...]:
    """The devices `member` of `log` subscribed to Web Push, oldest first."""
    rows = models.PushSubscription.objects.filter(record__log=log, member=member).order_by("id")
    return _devices(rows)


def get_notification_prefs(log: str, *, member: str) -> NotificationPrefs:
    """`member`'s settings for `log`, or the defaults when they saved none."""
    row = models.NotificationSettings.objects.filter(record__log=log, member=member).first()
    devices = list_push_devices(log, member=member)
    return NotificationPrefs(devices=devices) if row is None else _prefs(row, devices)


def list_reachable() -> list[Reachable]:
    """Every member of any assembly on this node who gave an e-mail address and keeps e-mail on, or
    subscribed a device to Web Push, and is still a member (a member who left is reached no more)."""
    rows = (
        models.NotificationSettings.objects.filter(email_on=True).exclude(email="").select_related("record")
    )
    subscribed: dict[tuple[str, str], list[models.PushSubscription]] = {}
    for sub in models.PushSubscription.objects.select_related("record").order_by("id"):
        subscribed.setdefault((sub.record.log, sub.member), []).append(sub)
    by_log: dict[str, dict[str, NotificationPrefs]] = {}
    for row in rows.order_by("record__log", "member"):
        devices = _devices(subscribed.pop((row.record.log, row.member), []))
        by_log.setdefault(row.record.log, {})[row.member] = _prefs(row, devices)
    for (log, member), subs in subscribed.items():  # devices, without an e-mail address to use
        setting = models.NotificationSettings.objects.filter(record__log=log, member=member).first()
        prefs = NotificationPrefs(email_on=False) if setting is None else _prefs(setting)
        by_log.setdefault(log, {})[member] = replace(prefs, email="", devices=_devices(subs))
    found = []
    for log, kept in sorted(by_log.items()):
        wanted = set(kept)
        current: set[str] = read_state(log, lambda state: {m for m in wanted if m in state.members})  # noqa: B023
        found += [Reachable(log, m, kept[m]) for m in sorted(kept) if m in current]
    return found


def list_member_reminders(
    log: str, *, member: str, now: int, turn_days: int = TURN_DAYS
) -> list[ShownReminder]:
    """What concerns `member` of `log` at `now`, its words shown as an outsider may read them."""
    return list_members_reminders(log, members=[member], now=now, turn_days=turn_days)[member]


def list_members_reminders(
    log: str, *, members: Sequence[str], now: int, turn_days: int = TURN_DAYS
) -> dict[str, list[ShownReminder]]:
    """`list_member_reminders` for each of `members` of `log`, the assembly read once for all."""
    awaited = list_federations_awaiting(log, now=now)
    found: dict[str, list[Reminder]]
    found, plenaries = read_state(
        log,
        lambda state: (
            list_reminders_of(state, now=now, members=members, turn_days=turn_days, awaited=awaited),
            frozenset(m for m in state.meetings if is_plenary(state, m)),
        ),
    )
    hidden = {log: get_members_only(log).seqs}
    shown: dict[str, tuple[str, str]] = {}  # one title and body per reminder, whoever it goes to

    def words(r: Reminder) -> tuple[str, str]:
        # A reminder's words are shown as to an outsider of the record that said them (its `source`: a
        # federation's words are hidden as its own record hides them).
        if r.id not in shown:
            source = r.source or log
            if source not in hidden:
                hidden[source] = get_members_only(source).seqs
            seen = hidden[source]
            shown[r.id] = (
                str(shown_to(r.title, seen, withheld="") or ""),
                str(shown_to(r.body, seen, withheld="") or ""),
            )
        return shown[r.id]

    return {
        member: [
            ShownReminder(
                r.id,
                r.kind,
                r.at,
                r.about,
                r.cargo,
                *words(r),
                flag=r.flag,
                plenary=r.kind.startswith("meeting_") and not r.source and r.about in plenaries,
            )
            for r in reminders
        ]
        for member, reminders in found.items()
    }


def get_assembly_name(log: str) -> str:
    """The assembly's name (public: the node's front page lists it)."""
    return read_state(log, lambda state: state.name)


def _item(row: models.OutboxMessage) -> OutboxItem:
    return OutboxItem(
        reminder=row.reminder,
        channel=row.channel,
        status=row.status,
        attempts=row.attempts,
        next_attempt=row.next_attempt,
        failure=row.failure,
        created=row.created,
        sent=row.sent,
        id=row.pk,
        last_error=row.last_error,
        taken_by=frozenset(row.taken_by.split()),
    )


def list_outbox(log: str, *, member: str, statuses: Iterable[str] = (), limit: int = 100) -> list[OutboxItem]:
    """`member`'s messages for `log`, newest first (only those of `statuses` when given)."""
    rows = models.OutboxMessage.objects.filter(record__log=log, member=member)
    if statuses:
        rows = rows.filter(status__in=list(statuses))
    return [_item(row) for row in rows.order_by("-created", "-pk")[:limit]]


def list_due_messages(*, now: int, channel: str, limit: int) -> list[tuple[str, str, OutboxItem]]:
    """Pending messages of `channel` whose time has come, as (log, member, message), oldest first."""
    rows = (
        models.OutboxMessage.objects.filter(status=models.OutboxMessage.PENDING, channel=channel)
        .filter(next_attempt__lte=now)
        .select_related("record")
        .order_by("next_attempt", "pk")[:limit]
    )
    return [(row.record.log, row.member, _item(row)) for row in rows]
