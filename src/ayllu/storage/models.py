"""Tables of a node: each assembly's record, its entries (exact signed bytes), bodies and checkpoints.

The database is a cache of the record, never its authority: every row that matters holds the exact
signed bytes, so `ayllu verify` re-checks everything from them and trusts no derived column.
"""

from django.db import models
from django.utils import timezone


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
        indexes = [models.Index(fields=["record", "hash"], name="entry_hash_idx")]

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

    class Meta:
        db_table = "ayllu_founding_draft"
        indexes = [models.Index(fields=["touched"], name="founding_draft_touched_idx")]

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
    "VerificationRun",
]
