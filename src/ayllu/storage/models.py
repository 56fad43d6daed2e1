"""Tables of a node: each assembly's record, its entries (exact signed bytes), bodies and checkpoints.

The database is a cache of the record, never its authority: every row that matters holds the exact
signed bytes, so `ayllu verify` re-checks everything from them and trusts no derived column.
"""

from django.db import models
from django.utils import timezone

from ayllu.core.federations.offices import OfficeTaken

OFFICE_TAKEN = OfficeTaken.type


def empty_frontier() -> dict[str, object]:
    """The Merkle frontier of a record with no entries (see core.merkle.Frontier.as_json)."""
    return {"size": 0, "peaks": []}


class Record(models.Model):
    """One assembly's record: its head and the Merkle frontier for incremental roots."""

    log = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=200, default="")
    head_seq = models.BigIntegerField(default=0)
    head_hash = models.CharField(max_length=64, default="")
    # core.merkle.Frontier over entries 1..head_seq: enough to extend the tree and compute its root
    # without reading earlier entries.
    frontier = models.JSONField(default=empty_frontier)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "ayllu_record"

    def __str__(self) -> str:
        return f"record {self.log[:12]} ({self.head_seq} entries)"


class Entry(models.Model):
    """One sealed entry: the exact canonical header bytes and columns copied from them for lookups."""

    record = models.ForeignKey(Record, on_delete=models.PROTECT, related_name="entries")
    seq = models.BigIntegerField()
    hash = models.CharField(max_length=64)
    header = models.BinaryField()
    act_id = models.CharField(max_length=64)
    type = models.CharField(max_length=64)
    author = models.CharField(max_length=64)

    class Meta:
        db_table = "ayllu_entry"
        constraints = [
            models.UniqueConstraint(fields=["record", "seq"], name="entry_unique_seq"),
            models.UniqueConstraint(fields=["record", "act_id"], name="entry_unique_act"),
            models.CheckConstraint(condition=models.Q(seq__gte=1), name="entry_seq_positive"),
        ]
        indexes = [
            models.Index(fields=["record", "hash"], name="entry_hash_idx"),
            # the few entries that name a federation office's holder: a federation's page finds the
            # federations below it among its hundreds of members by them (queries/federation_offices.py)
            models.Index(
                fields=["record"], name="entry_office_taken_idx", condition=models.Q(type=OFFICE_TAKEN)
            ),
        ]

    def __str__(self) -> str:
        return f"entry {self.seq} of {self.record_id}"


class Body(models.Model):
    """An entry body kept by (hash, vis); `raw` is null once erased for privacy (the chain still holds).

    The same bytes posted once public and once members-only are two rows: each act signed its own
    visibility, and erasing one must not erase, hide or expose the other.
    """

    record = models.ForeignKey(Record, on_delete=models.PROTECT, related_name="bodies")
    hash = models.CharField(max_length=64)
    vis = models.CharField(max_length=16)
    raw = models.BinaryField(null=True)
    erased = models.BooleanField(default=False)

    class Meta:
        db_table = "ayllu_body"
        constraints = [
            models.UniqueConstraint(fields=["record", "hash", "vis"], name="body_unique_hash_vis"),
            models.CheckConstraint(
                condition=models.Q(erased=True, raw__isnull=True) | models.Q(erased=False, raw__isnull=False),
                name="body_erased_iff_no_raw",
            ),
        ]

    def __str__(self) -> str:
        return f"body {self.hash[:12]} ({self.vis})"


class Checkpoint(models.Model):
    """A node-signed checkpoint (size, root) over a record, kept as the exact signed bytes."""

    record = models.ForeignKey(Record, on_delete=models.PROTECT, related_name="checkpoints")
    size = models.BigIntegerField()
    root = models.CharField(max_length=64)
    signed = models.BinaryField()
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "ayllu_checkpoint"
        constraints = [models.UniqueConstraint(fields=["record", "size"], name="checkpoint_unique_size")]

    def __str__(self) -> str:
        return f"checkpoint {self.size} of {self.record_id}"


class VerificationRun(models.Model):
    """The outcome of one `verify` of a whole record by this node."""

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="verifications")
    ok = models.BooleanField()
    size = models.BigIntegerField()
    # How many entries had their rules replayed (docs/record-format.md 8.8): `size` when all of them.
    # None for runs kept before this was counted.
    replayed = models.BigIntegerField(null=True, default=None)
    head = models.CharField(max_length=64, default="")
    problem_code = models.CharField(max_length=64, default="")
    problem_seq = models.BigIntegerField(null=True)
    problem_detail = models.TextField(default="")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()

    class Meta:
        db_table = "ayllu_verification_run"
        indexes = [models.Index(fields=["record", "-finished_at"], name="verification_latest_idx")]

    def __str__(self) -> str:
        return f"verification of {self.record_id}: {'ok' if self.ok else self.problem_code}"


class ServedSeal(models.Model):
    """What this node last verified of a record (size, head, Merkle root), sealed with its node key.

    Written in the same transaction as every append, sync and import; the node checks the rows it
    serves against it (storage/served.py). `mac` is keyed by the node's secret key, so a database edit
    cannot move the seal along with altered rows; "" means nothing is sealed yet. A problem found in the
    rows is kept here so every process of the node sees it.
    """

    record = models.OneToOneField(Record, on_delete=models.CASCADE, related_name="served")
    size = models.BigIntegerField(default=0)
    head = models.CharField(max_length=64, default="")
    root = models.CharField(max_length=64, default="")
    mac = models.CharField(max_length=64, default="")
    problem_code = models.CharField(max_length=64, default="")
    problem_seq = models.BigIntegerField(null=True)
    problem_detail = models.TextField(default="")
    checked = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "ayllu_served_seal"

    def __str__(self) -> str:
        return f"served seal of {self.record_id} at {self.size}"


class FoundingDraft(models.Model):
    """A founding being prepared on this node: not part of any record until every founder has signed.

    See ayllu.actions.founding_drafts: founders file their device keys, the content is frozen, each
    founder endorses it, the first founder signs the founding act, and only then is a record created.
    """

    draft = models.CharField(max_length=32, unique=True)
    node = models.CharField(max_length=64)
    name = models.CharField(max_length=200)
    charter = models.JSONField()
    # The canonical founding content every founder endorses; empty until every founder filed a key.
    content = models.TextField(default="")
    log = models.CharField(max_length=64, default="")
    created = models.DateTimeField(default=timezone.now)
    # The last step any founder took (opening, filing a key, endorsing, signing): a draft untouched for
    # AYLLU_FOUNDING_DRAFT_DAYS has expired and is deleted (`ayllu prune-drafts`, or the next opening).
    touched = models.DateTimeField(default=timezone.now)
    # The hash of the opening form's nonce with what it asked (name, households): the same form sent
    # again answers this draft, uncounted, instead of opening a second one. Empty when none was sent.
    request = models.CharField(max_length=64, default="", blank=True)

    class Meta:
        db_table = "ayllu_founding_draft"
        indexes = [
            models.Index(fields=["touched"], name="founding_draft_touched_idx"),
            models.Index(fields=["request"], name="founding_draft_request_idx"),
        ]

    def __str__(self) -> str:
        return f"founding draft {self.draft}"


class FoundingSeat(models.Model):
    """One founder's place in a draft: their household, secret link, device key and endorsement."""

    founding = models.ForeignKey(FoundingDraft, on_delete=models.CASCADE, related_name="seats")
    position = models.PositiveSmallIntegerField()
    household = models.CharField(max_length=64)
    token = models.CharField(max_length=32, unique=True)
    key = models.CharField(max_length=64, default="")
    sig = models.CharField(max_length=128, default="")

    class Meta:
        db_table = "ayllu_founding_seat"
        constraints = [
            models.UniqueConstraint(fields=["founding", "position"], name="founding_seat_position"),
        ]

    def __str__(self) -> str:
        return f"seat {self.position} of {self.founding_id}"


class MoveEndorsement(models.Model):
    """A member's endorsement, kept on this node until it is signed into a `record.moved` act, of moving
    record `log` to node `node`, continuing after entry `after` (core/ledger/succession.py).

    Node state, not record, like a founding draft: an endorsement names the exact place, so once the
    record's head moves past `after` it can no longer be used and is no longer shown.
    """

    log = models.CharField(max_length=64)
    node = models.CharField(max_length=64)
    after = models.CharField(max_length=64)
    # The member id and the key that signed: an endorsement counts once per member.
    member = models.CharField(max_length=64)
    key = models.CharField(max_length=64)
    sig = models.CharField(max_length=128)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "ayllu_move_endorsement"
        constraints = [
            models.UniqueConstraint(
                fields=["log", "after", "node", "member"], name="move_endorsement_member"
            ),
        ]

    def __str__(self) -> str:
        return f"endorsement of moving {self.log} to {self.node}"


class WaitingAct(models.Model):
    """An act a stranger signed, waiting outside the record until a member's act takes it in.

    Node state, not record (docs/decisions/0011-strangers-wait-outside.md): the exact act the stranger
    signed, its signature and its bodies are kept as they came, so the act that enters the record later
    is byte for byte the one signed. Deleted when it enters the record or when it expires
    (AYLLU_WAITING_DAYS; `ayllu prune`).
    """

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="waiting")
    act_id = models.CharField(max_length=64)
    type = models.CharField(max_length=64)
    author = models.CharField(max_length=64)
    # The act's canonical signing bytes (ACT_CONTEXT not included) and the author's signature over them.
    act = models.BinaryField()
    asig = models.CharField(max_length=128)
    # The body the act names (format 2: its public rule data) and, in format 2, its words body.
    body = models.BinaryField()
    words = models.BinaryField(null=True)
    address = models.CharField(max_length=64, default="")
    received = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "ayllu_waiting_act"
        constraints = [
            models.UniqueConstraint(fields=["act_id"], name="waiting_unique_act"),
            models.UniqueConstraint(fields=["record", "author", "type"], name="waiting_one_per_key"),
        ]
        indexes = [
            models.Index(fields=["received"], name="waiting_received_idx"),
            models.Index(fields=["address"], name="waiting_address_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.type} by {self.author[:12]} waiting for {self.record_id}"


class RateCounter(models.Model):
    """Attempts counted for one bucket (a client address or a key) in one fixed window of time.

    Kept in the database so that every worker process of a node counts on the same row (decision 0004);
    `storage.counters.bump_counter` adds one in a single atomic upsert.
    """

    bucket = models.CharField(max_length=200)
    # The window's number: seconds since the epoch divided by the window's length.
    slot = models.BigIntegerField()
    count = models.IntegerField(default=0)
    # Seconds since the epoch when the window ends; a row past it is only waiting to be deleted.
    expires = models.FloatField()

    class Meta:
        db_table = "ayllu_rate_counter"
        constraints = [models.UniqueConstraint(fields=["bucket", "slot"], name="rate_counter_bucket_slot")]
        indexes = [models.Index(fields=["expires"], name="rate_counter_expires_idx")]

    def __str__(self) -> str:
        return f"{self.bucket} in window {self.slot}: {self.count}"


# Federation tables live in their own module; importing them here registers them with the app.
from .replica import Cosigned, Evidence, Follow, SeenCheckpoint  # noqa: E402

__all__ = [
    "Body",
    "Checkpoint",
    "Cosigned",
    "Entry",
    "Evidence",
    "Follow",
    "FoundingDraft",
    "FoundingSeat",
    "RateCounter",
    "Record",
    "SeenCheckpoint",
    "ServedSeal",
    "VerificationRun",
    "WaitingAct",
]


class CalendarLink(models.Model):
    """A member's private calendar link: an unguessable token that reaches their own calendar feed.

    Not part of the record and not replicated: a node's convenience for phones that subscribe to a URL
    and cannot log in. Deleting the row revokes the link (its URL is a 404 from then on).
    """

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="calendar_links")
    member = models.CharField(max_length=128)
    token = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "ayllu_calendar_link"
        constraints = [
            models.UniqueConstraint(fields=["record", "member"], name="calendar_link_one_per_member"),
        ]

    def __str__(self) -> str:
        return f"calendar link of {self.member[:12]}"


class NotificationSettings(models.Model):
    """How a member of one assembly wants to hear of what concerns them, and where: their contact.

    Confidential and local to this node: never part of the record, never replicated, never exported, never
    shown to anyone but the member (decision 0014). The member sets and deletes it themselves; deleting
    the e-mail address deletes it at once (the row keeps only preferences).
    """

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="notification_settings")
    member = models.CharField(max_length=128)
    email = models.CharField(max_length=254, default="", blank=True)
    email_on = models.BooleanField(default=True)
    language = models.CharField(max_length=8, default="es")
    # Hours (0-23) in the member's own time, given by its offset from UTC in minutes: no message is sent
    # from `quiet_start` until `quiet_end`. Both None: no quiet hours.
    quiet_start = models.SmallIntegerField(null=True, blank=True)
    quiet_end = models.SmallIntegerField(null=True, blank=True)
    utc_offset = models.SmallIntegerField(default=-240)
    # One message a day with everything due instead of one per reminder; when the last one was sent (ms).
    digest = models.BooleanField(default=False)
    last_digest = models.BigIntegerField(default=0)
    updated = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "ayllu_notification_settings"
        constraints = [
            models.UniqueConstraint(fields=["record", "member"], name="notification_settings_one_per_member"),
        ]

    def __str__(self) -> str:
        return f"notification settings of {self.member[:12]}"


class OutboxMessage(models.Model):
    """One message to one member about one reminder through one channel: the outbox of delivery.

    Unique per (record, member, reminder, channel), so enqueueing again adds nothing. `status` moves from
    pending to sent, to dead after too many failed attempts (the member sees their dead letters), or to
    dropped when the reminder no longer concerns them by the time it could be sent. Times are ms.
    `taken_by` names, space-separated, the parts of the member's address that already took it when
    others refused it (for Web Push, a short hash of each device's endpoint): a retry skips them.
    `failure` is the class of the last failure (`notify.channels.FAILURES`), what the member is told;
    `last_error` its technical text, for the node's operators only.
    """

    PENDING, SENT, DEAD, DROPPED = "pending", "sent", "dead", "dropped"

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="outbox")
    member = models.CharField(max_length=128)
    reminder = models.CharField(max_length=200)
    channel = models.CharField(max_length=16)
    status = models.CharField(max_length=8, default=PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt = models.BigIntegerField()
    last_error = models.TextField(default="", blank=True)  # the technical text: for operators only
    failure = models.CharField(max_length=32, default="", blank=True)  # its class, shown to the member
    created = models.BigIntegerField()
    sent = models.BigIntegerField(null=True, blank=True)
    taken_by = models.TextField(default="", blank=True)

    class Meta:
        db_table = "ayllu_outbox"
        constraints = [
            models.UniqueConstraint(
                fields=["record", "member", "reminder", "channel"], name="outbox_once_per_member_and_channel"
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt"], name="outbox_due_idx")]

    def __str__(self) -> str:
        return f"{self.channel} {self.reminder} to {self.member[:12]} ({self.status})"


class PushSubscription(models.Model):
    """One device of a member that receives their notifications by Web Push: a contact, as an e-mail
    address is.

    `endpoint` is the push service's URL for that browser, `p256dh` and `auth` (base64url) the keys a
    message is encrypted to (RFC 8291). Confidential and local to this node: never part of the record,
    never replicated, never exported, shown to nobody but the member, removed by them (decision 0017).
    A browser has one subscription per node, so the same endpoint may serve a member in two assemblies;
    when the push service says it expired, every row with it goes.
    """

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="push_subscriptions")
    member = models.CharField(max_length=128)
    endpoint = models.CharField(max_length=1024)
    p256dh = models.CharField(max_length=128)
    auth = models.CharField(max_length=64)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "ayllu_push_subscription"
        constraints = [
            models.UniqueConstraint(
                fields=["record", "member", "endpoint"], name="push_subscription_once_per_device"
            ),
        ]

    def __str__(self) -> str:
        return f"push subscription of {self.member[:12]}"
