"""Writes of federation: storing verified entries from a peer, checkpoints seen, cosignatures, evidence.

A follower stores nothing it has not verified: `do_extend_replica` checks a batch of entries in full
(`core.verify.check_entry_batch` for bytes and signatures, `core.extend.extend` for chain, acts,
bodies and rule replay) and writes the whole batch in one transaction, or nothing. Checkpoints a peer
serves are compared with every checkpoint seen before from the same node; contradictions become
evidence (`core.evidence`), which is stored only after it re-verifies.
"""

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import IntegrityError, connection
from django.utils import timezone

from ayllu.core.assembly.replay import apply_entry
from ayllu.core.assembly.texts import check_storable
from ayllu.core.errors import InconsistentCheckpoint, MalformedBody
from ayllu.core.ledger import evidence as ev
from ayllu.core.ledger.checkpoints import Checkpoint, parse_checkpoint
from ayllu.core.ledger.extend import Refused, Tip, empty_tip, extend
from ayllu.core.ledger.merkle import Frontier, consistency_proof, root_of
from ayllu.core.ledger.record import Body, BodyKey, Entry, parse_entry, sha256_hex
from ayllu.core.ledger.verify import BODY_NEEDED, Checked, Erased, Rejected, check_entry_batch
from ayllu.core.ledger.witness import Cosignature, decide_cosign, parse_cosignature
from ayllu.storage import clock, models
from ayllu.storage.db import translate_db_errors, write_transaction

from .record import node_keypair

__all__ = [
    "Refused",
    "do_cosign_checkpoint",
    "do_extend_replica",
    "do_note_checkpoint",
    "do_note_follow",
    "do_store_cosignature",
    "do_store_evidence",
    "forget_tips",
]

_tips: dict[str, Tip] = {}


def forget_tips() -> None:
    """Drop every cached follower tip (tests use it to force a rebuild from the database)."""
    _tips.clear()


def _stored_body(row: tuple[str, str, Any, bool]) -> Body | None:
    _, vis, raw, erased = row
    return None if erased or raw is None else Body(bytes(raw), vis)


def _rebuild_tip(record: models.Record) -> Tip:
    """Replay the stored (already verified) entries to the tip: no signature is checked twice."""
    tip = empty_tip(record.log)
    rows = models.Entry.objects.filter(record=record).order_by("seq").values_list("header", flat=True)
    bodies = {
        (row[0], row[1]): _stored_body(row)
        for row in models.Body.objects.filter(record=record).values_list("hash", "vis", "raw", "erased")
    }
    for raw in rows.iterator(chunk_size=2000):
        entry = parse_entry(bytes(raw))
        if tip.state is not None:
            body = bodies.get((entry.act.body, entry.act.vis))
            try:
                tip.state = apply_entry(tip.state, entry, body)
                tip.replayed = entry.seq
            except MalformedBody as exc:
                if body is not None or exc.detail.get("reason") != BODY_NEEDED:
                    raise
                tip.state = None
        tip.size, tip.head = entry.seq, entry.hash
    tip.frontier = Frontier.from_json(record.frontier)
    return tip


def _tip_for(record: models.Record | None, log: str) -> Tip:
    if record is None:
        return empty_tip(log)
    tip = _tips.pop(log, None)
    if tip is not None and tip.size == record.head_seq and tip.head == record.head_hash:
        return tip
    return _rebuild_tip(record)


def check_batch(raws: Sequence[bytes], *, map_batches: Callable[..., Iterable[Any]] = map) -> list[Any]:
    """Per-entry checks (canonical bytes, both signatures) of a batch, split for `map_batches`."""
    chunk = max(1, min(2000, len(raws) // 4 or 1))
    parts = [list(raws[i : i + chunk]) for i in range(0, len(raws), chunk)]
    checked: list[Checked | Rejected] = []
    for result in map_batches(check_entry_batch, parts):
        checked.extend(result)
    return checked


def do_extend_replica(
    log: str,
    *,
    raws: Sequence[bytes],
    bodies: dict[BodyKey, Body | Erased],
    visible: frozenset[str],
    checked: Sequence[Checked | Rejected] | None = None,
) -> Tip:
    """Verify entries that follow this node's copy of record `log` and store them all, or none.

    `bodies` are the served bodies by (hash, vis), as the record addresses them (record-format.md 4).

    Raises `Refused` naming the first entry that fails; nothing of the batch is stored then.
    """
    if checked is None:
        checked = check_batch(raws)
    with write_transaction(log=log):
        record = models.Record.objects.select_for_update().filter(log=log).first()
        tip = _tip_for(record, log)
        ids = [c.act_id for c in checked if isinstance(c, Checked)]
        earlier = dict(
            models.Entry.objects.filter(record=record, act_id__in=ids).values_list("act_id", "seq")
            if record is not None
            else ()
        )
        entries = extend(tip, raws, checked, bodies=bodies.get, visible=visible, earlier_acts=earlier)
        if not entries:
            _tips[log] = tip
            return tip
        if record is None:
            record = models.Record.objects.create(log=log, name=_founding_name(entries[0], bodies))
        _store(record, entries, checked, bodies, tip)
    _tips[log] = tip
    return tip


def _founding_name(entry: Entry, bodies: dict[BodyKey, Body | Erased]) -> str:
    body = bodies.get((entry.act.body, entry.act.vis))
    name = body.content().get("name") if isinstance(body, Body) else None
    # Refused here, the record is one a follower skips, going on with the others.
    return check_storable(name, field="name") if isinstance(name, str) else ""


# Table names are fixed in the models' Meta (db_table), so these statements are constants.
_INSERT_ENTRY = (
    "INSERT INTO ayllu_entry (record_id, seq, hash, header, act_id, type, author) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s)"
)
_INSERT_BODY = (
    "INSERT INTO ayllu_body (record_id, hash, vis, raw, erased) "
    "VALUES (%s, %s, %s, %s, %s) ON CONFLICT DO NOTHING"
)


def _store(
    record: models.Record,
    entries: list[Entry],
    checked: Sequence[Checked | Rejected],
    bodies: dict[BodyKey, Body | Erased],
    tip: Tip,
) -> None:
    # Plain executemany: building ORM objects and SQL for every row cost more than the inserts.
    act_ids = {c.hash: c.act_id for c in checked if isinstance(c, Checked)}
    entry_rows = [(record.pk, e.seq, e.hash, e.raw, act_ids[e.hash], e.type, e.author) for e in entries]
    # Only the bodies these entries name, each under the visibility its act signed.
    named = {(e.act.body, e.act.vis) for e in entries}
    body_rows = [
        (record.pk, h, vis, b.raw, False) if isinstance(b, Body) else (record.pk, h, vis, None, True)
        for (h, vis), b in bodies.items()
        if (h, vis) in named
    ]
    with connection.cursor() as cursor:
        cursor.executemany(_INSERT_ENTRY, entry_rows)
        if body_rows:
            cursor.executemany(_INSERT_BODY, body_rows)
    models.Record.objects.filter(pk=record.pk).update(
        head_seq=tip.size, head_hash=tip.head, frontier=tip.frontier.as_json()
    )


def do_store_checkpoint(log: str, checkpoint: Checkpoint) -> bool:
    """Keep a peer's checkpoint with the record when it matches what this node verified; say if kept."""
    with write_transaction(log=log):
        record = models.Record.objects.filter(log=log).first()
        if record is None or record.head_seq != checkpoint.size:
            return False
        if Frontier.from_json(record.frontier).root() != checkpoint.root:
            return False
        if not models.Checkpoint.objects.filter(record=record, size=checkpoint.size).exists():
            models.Checkpoint.objects.create(
                record=record, size=checkpoint.size, root=checkpoint.root, signed=checkpoint.raw
            )
    return True


# --- checkpoints seen and evidence ---------------------------------------------------------------
def _contradictions(checkpoint: Checkpoint) -> list[bytes]:
    found: list[bytes] = []
    seen = models.SeenCheckpoint.objects.filter(log=checkpoint.log, node=checkpoint.node)
    for raw in seen.values_list("signed", flat=True):
        other = parse_checkpoint(bytes(raw))
        if other.size == checkpoint.size and other.root != checkpoint.root:
            found.append(ev.equivocation_evidence(other, checkpoint))
        elif other.size > checkpoint.size and other.time < checkpoint.time:
            found.append(ev.rollback_evidence(other, checkpoint))
        elif checkpoint.size > other.size and checkpoint.time < other.time:
            found.append(ev.rollback_evidence(checkpoint, other))
    record = models.Record.objects.filter(log=checkpoint.log).first()
    if record is not None and record.head_seq > checkpoint.size:
        # We hold an entry the node sealed beyond the size it now claims: a rollback if sealed earlier.
        rows = models.Entry.objects.filter(record=record, seq__gt=checkpoint.size).order_by("-seq")
        for raw in rows.values_list("header", flat=True)[:50]:
            entry = parse_entry(bytes(raw))
            if entry.node == checkpoint.node and entry.time < checkpoint.time:
                found.append(ev.rollback_evidence(entry, checkpoint))
                break
    return found


def do_note_checkpoint(checkpoint: Checkpoint, *, source: str = "") -> list[ev.Evidence]:
    """Keep a checkpoint a peer served; return the evidence it yields against earlier ones (stored)."""
    found = [
        stored
        for raw in _contradictions(checkpoint)
        if (stored := do_store_evidence(raw, source=source)) is not None
    ]
    with translate_db_errors(log=checkpoint.log):
        models.SeenCheckpoint.objects.get_or_create(
            hash=sha256_hex(checkpoint.raw),
            defaults={
                "log": checkpoint.log,
                "node": checkpoint.node,
                "size": checkpoint.size,
                "time": checkpoint.time,
                "signed": checkpoint.raw,
            },
        )
    return found


def do_store_evidence(raw: bytes, *, source: str = "") -> ev.Evidence | None:
    """Re-verify evidence and keep it; return it, or None if it was already kept. Raise if invalid."""
    checked = ev.check_evidence(raw)
    with translate_db_errors(log=checked.log):
        try:
            _, created = models.Evidence.objects.get_or_create(
                hash=checked.id,
                defaults={
                    "kind": checked.kind,
                    "log": checked.log,
                    "node": checked.node,
                    "seq": checked.seq,
                    "raw": checked.raw,
                    "source": source[:500],
                },
            )
        except IntegrityError:
            created = False
    return checked if created else None


def do_note_follow(log: str, *, url: str, size: int, problem: str = "") -> None:
    """Remember that this node follows `log` from `url`, and how far the last sync got."""
    with translate_db_errors(log=log):
        models.Follow.objects.update_or_create(
            log=log, url=url, defaults={"size": size, "problem": problem[:64], "updated": timezone.now()}
        )


# --- witnessing ----------------------------------------------------------------------------------
def _last_cosigned(log: str, witness: str) -> Checkpoint | None:
    row = models.Cosigned.objects.filter(log=log, witness=witness).order_by("-size", "-pk").first()
    return None if row is None else parse_checkpoint(bytes(row.checkpoint))


def last_cosigned_size(log: str) -> int | None:
    """The size of the latest checkpoint of `log` this node cosigned, or None."""
    last = _last_cosigned(log, node_keypair().public)
    return None if last is None else last.size


def do_cosign_checkpoint(
    checkpoint: Checkpoint, *, proof: Sequence[str], local_hashes: Sequence[str] | None = None
) -> Cosignature:
    """Cosign a peer's checkpoint as this node, if it extends the last one cosigned here (persisted).

    `proof` is a consistency proof from the last cosigned checkpoint. When this node mirrors the
    record (`local_hashes`), the proof is computed here instead of trusting the peer's.
    """
    witness = node_keypair()
    with write_transaction(log=checkpoint.log):
        last = _last_cosigned(checkpoint.log, witness.public)
        if local_hashes is not None and len(local_hashes) >= checkpoint.size:
            mine = local_hashes[: checkpoint.size]
            if root_of(mine) != checkpoint.root:
                raise InconsistentCheckpoint(
                    reason="root_differs", size=checkpoint.size, node=checkpoint.node
                )
            if last is not None and last.size <= checkpoint.size:
                proof = consistency_proof(mine, old_size=last.size)
        if last is not None and last.size > checkpoint.size:
            raise InconsistentCheckpoint(reason="shrank", old_size=last.size, new_size=checkpoint.size)
        cosignature = decide_cosign(last, checkpoint, proof=proof, witness=witness, time=clock.now_ms())
        _keep_cosignature(checkpoint, cosignature)
    return cosignature


def _keep_cosignature(checkpoint: Checkpoint, cosignature: Cosignature) -> None:
    models.Cosigned.objects.get_or_create(
        hash=sha256_hex(cosignature.raw),
        defaults={
            "log": checkpoint.log,
            "witness": cosignature.witness,
            "size": checkpoint.size,
            "checkpoint": checkpoint.raw,
            "cosignature": cosignature.raw,
        },
    )


def do_store_cosignature(checkpoint_raw: bytes, cosignature_raw: bytes) -> Cosignature:
    """Keep a witness's cosignature of a checkpoint after checking both signatures and that they match."""
    checkpoint = parse_checkpoint(checkpoint_raw)
    cosignature = parse_cosignature(cosignature_raw)
    if not cosignature.covers(checkpoint):
        raise InconsistentCheckpoint(reason="cosignature_of_another_checkpoint", size=checkpoint.size)
    with translate_db_errors(log=checkpoint.log):
        _keep_cosignature(checkpoint, cosignature)
    return cosignature
