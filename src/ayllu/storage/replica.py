"""Tables of federation: records this node follows, checkpoints it has seen, cosignatures, evidence.

Like the record's tables, every row that matters holds exact signed bytes, so anything here can be
re-checked from them; the other columns are copied out for lookups. The entries a follower mirrors go
into the record's own tables (models.Record, Entry, Body, Checkpoint), only after they verified.
"""

from django.db import models
from django.utils import timezone


class Follow(models.Model):
    """A record this node mirrors from a peer at `url`, and how the last sync went."""

    log = models.CharField(max_length=64)
    url = models.CharField(max_length=500)
    size = models.BigIntegerField(default=0)
    problem = models.CharField(max_length=64, default="")
    updated = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "ayllu_follow"
        constraints = [models.UniqueConstraint(fields=["log", "url"], name="follow_unique_source")]

    def __str__(self) -> str:
        return f"follow {self.log[:12]} from {self.url}"


class SeenCheckpoint(models.Model):
    """A checkpoint some node served us, kept to catch it later serving a smaller or other record."""

    log = models.CharField(max_length=64)
    node = models.CharField(max_length=64)
    size = models.BigIntegerField()
    time = models.BigIntegerField()
    hash = models.CharField(max_length=64, unique=True)
    signed = models.BinaryField()

    class Meta:
        db_table = "ayllu_seen_checkpoint"
        indexes = [models.Index(fields=["log", "node", "size"], name="seen_checkpoint_idx")]

    def __str__(self) -> str:
        return f"seen checkpoint {self.size} of {self.log[:12]} by {self.node[:12]}"


class Cosigned(models.Model):
    """A witness's cosignature of a checkpoint (ours or a peer's), with the checkpoint's exact bytes."""

    log = models.CharField(max_length=64)
    witness = models.CharField(max_length=64)
    size = models.BigIntegerField()
    checkpoint = models.BinaryField()
    cosignature = models.BinaryField()
    hash = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "ayllu_cosigned"
        indexes = [models.Index(fields=["log", "witness", "size"], name="cosigned_idx")]

    def __str__(self) -> str:
        return f"cosignature of {self.log[:12]} size {self.size} by {self.witness[:12]}"


class Evidence(models.Model):
    """Self-verifying evidence of a node's misbehaviour (core.evidence), found here or sent by a peer."""

    hash = models.CharField(max_length=64, unique=True)
    kind = models.CharField(max_length=32)
    log = models.CharField(max_length=64)
    node = models.CharField(max_length=64)
    seq = models.BigIntegerField()
    raw = models.BinaryField()
    source = models.CharField(max_length=500, default="")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "ayllu_evidence"
        indexes = [models.Index(fields=["log", "-created"], name="evidence_log_idx")]
        # One piece per kind, node and position, even when two syncs store pieces at once.
        constraints = [
            models.UniqueConstraint(fields=["log", "kind", "node", "seq"], name="evidence_once_per_position")
        ]

    def __str__(self) -> str:
        return f"{self.kind} by {self.node[:12]} in {self.log[:12]}"


MIRROR_VISIBLE = frozenset({"public"})


def mirrored_logs() -> frozenset[str]:
    """Every record this node mirrors from a peer, in one query."""
    return frozenset(Follow.objects.values_list("log", flat=True))


def bodies_required_here(
    log: str, *, sealed_here: frozenset[str], mirrored: frozenset[str] | None = None
) -> frozenset[str]:
    """The visibilities whose bodies this node must hold for `log`: `sealed_here` for its own records,
    only `public` for a record it mirrors (peers serve mirrors no other bodies; docs/federation.md).
    `mirrored`: `mirrored_logs()` when read already for many records (no query then)."""
    is_mirror = Follow.objects.filter(log=log).exists() if mirrored is None else log in mirrored
    return MIRROR_VISIBLE if is_mirror else sealed_here
