"""Writes of federation: storing verified entries from a peer, checkpoints seen, cosignatures, evidence.

A follower stores nothing it has not verified: `do_extend_replica` checks a batch of entries in full
(`core.verify.check_entry_batch` for bytes and signatures, `core.extend.extend` for chain, acts,
bodies and rule replay) and writes the whole batch in one transaction, or nothing. Checkpoints a peer
serves are compared with every checkpoint seen before from the same node; contradictions become
evidence (`core.evidence`), which is stored only after it re-verifies.
"""

from collections.abc import Callable, Iterable, Sequence
from functools import partial
from typing import Any

from django.db import IntegrityError, connection

from ayllu.core.assembly.erasure import WordsErased
from ayllu.core.assembly.replay import ACT_KINDS, apply_entry, read_act
from ayllu.core.assembly.texts import check_storable
from ayllu.core.errors import CitationError, DomainError, InconsistentCheckpoint, MalformedBody, WrongBodyHash
from ayllu.core.ledger import evidence as ev
from ayllu.core.ledger.checkpoints import Checkpoint, parse_checkpoint
from ayllu.core.ledger.extend import Refused, Tip, empty_tip, extend
from ayllu.core.ledger.merkle import Frontier, consistency_proof, root_of
from ayllu.core.ledger.record import (
    Body,
    BodyKey,
    Entry,
    body_for_replay,
    body_keys,
    parse_entry,
    sha256_hex,
    words_key,
)
from ayllu.core.ledger.succession import RECORD_MOVED
from ayllu.core.ledger.verify import BODY_NEEDED, Checked, Erased, Rejected, check_entry_batch
from ayllu.core.ledger.witness import Cosignature, decide_cosign, parse_cosignature
from ayllu.storage import clock, models, replayed, served
from ayllu.storage.db import translate_db_errors, write_transaction
from ayllu.storage.errors import RecordNotFound

from .citations import check_cited_here
from .record import erase_words_of, node_keypair

__all__ = [
    "Refused",
    "RulesNeedBodies",
    "check_replica",
    "do_check_replayable",
    "do_cosign_checkpoint",
    "do_extend_replica",
    "do_fill_bodies",
    "do_note_checkpoint",
    "do_note_cited_checkpoint",
    "do_note_follow",
    "do_store_cosignature",
    "do_store_evidence",
    "do_take_move",
    "find_cosigned",
    "find_own_cosignature",
    "forget_tips",
]

_tips: dict[str, Tip] = {}


def forget_tips() -> None:
    """Drop every cached follower tip (tests use it to force a rebuild from the database)."""
    _tips.clear()


def _stored_body(row: tuple[str, str, Any, bool]) -> Body | None:
    _, vis, raw, erased = row
    return None if erased or raw is None else Body(bytes(raw), vis)


def _rebuild_tip(record: models.Record, *, below: int | None = None) -> Tip:
    """Replay the stored (already verified) entries to the tip: no signature is checked twice.

    With `below`, only the entries before that seq: the tip a branch starting there extends."""
    tip = empty_tip(record.log)
    rows = models.Entry.objects.filter(record=record).order_by("seq").values_list("header", flat=True)
    if below is not None:
        rows = rows.filter(seq__lt=below)
    rows_of_bodies = models.Body.objects.filter(record=record).values_list("hash", "vis", "raw", "erased")
    bodies: dict[BodyKey, Body | None] = {}
    erased: set[BodyKey] = set()
    for row in rows_of_bodies:
        bodies[(row[0], row[1])] = _stored_body(row)
        if row[3]:
            erased.add((row[0], row[1]))
    for raw in rows.iterator(chunk_size=2000):
        entry = parse_entry(bytes(raw))
        if erased:
            gone = [key for key in body_keys(entry.act, bodies.get) if key in erased]
            if gone:
                tip.erased[entry.seq] = gone[0]
        if entry.act.split:
            tip.split_seen = True
        if tip.state is not None:
            body = body_for_replay(entry.act, bodies.get)
            try:
                tip.state = apply_entry(tip.state, entry, body)
                tip.replayed = entry.seq
            except MalformedBody as exc:
                if body is not None or exc.detail.get("reason") != BODY_NEEDED:
                    raise
                tip.state = None
        tip.size, tip.head = entry.seq, entry.hash
        if below is not None:
            tip.frontier = tip.frontier.append(entry.hash)
    if below is None:
        tip.frontier = Frontier.from_json(record.frontier)
    return tip


def check_replica(log: str) -> int:
    """How many entries of this node's copy of `log` had their rules replayed; raise `Refused` for a
    body held as erased that no erasure act names (checked once the copy is all the source holds)."""
    record = models.Record.objects.filter(log=log).first()
    if record is None:
        raise RecordNotFound(log=log)
    tip = _tip_for(record, log)
    _tips[log] = tip
    tip.check_erasures()
    return tip.replayed


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
    known: Checkpoint | None = None,
) -> Tip:
    """Verify entries that follow this node's copy of record `log` and store them all, or none.

    `bodies` are the served bodies by (hash, vis), as the record addresses them (record-format.md 4).
    `known` is the largest checkpoint this node knows of the record's sealer: a batch that reaches
    its size must reach its root too, so no branch inconsistent with it is ever stored.

    Raises `Refused` naming the first entry that fails; nothing of the batch is stored then.
    """
    if checked is None:
        checked = check_batch(raws)
    served.require_writable(log)
    _check_citations(raws, checked, bodies)
    with write_transaction(log=log):
        record = models.Record.objects.select_for_update().filter(log=log).first()
        tip = _tip_for(record, log)
        ids = [c.act_id for c in checked if isinstance(c, Checked)]
        earlier = dict(
            models.Entry.objects.filter(record=record, act_id__in=ids).values_list("act_id", "seq")
            if record is not None
            else ()
        )
        on_entry = None if known is None else partial(_check_known, known=known, tip=tip)
        erased_before = _erased_words(tip)
        entries = _extend(tip, raws, checked, bodies, visible, earlier, on_entry)
        _refuse_if_kept_to_members(tip, visible)
        if not entries:
            _tips[log] = tip
            return tip
        if record is None:
            record = models.Record.objects.create(log=log, name=_founding_name(entries[0], bodies))
        _store(record, entries, checked, bodies, tip, erased_before=erased_before)
    _tips[log] = tip
    return tip


def _check_citations(
    raws: Sequence[bytes], checked: Sequence[Checked | Rejected], bodies: dict[BodyKey, Body | Erased]
) -> None:
    """Check the citations the served entries carry against this node's copies of the cited records.

    Before the write transaction, so that the evidence of a fork or a rollback is kept although the
    batch is refused: a follower refuses what the sealer should not have appended. An act that does not
    read is left to replay, which refuses it with its own code.
    """
    for raw, item in zip(raws, checked, strict=True):
        if not isinstance(item, Checked) or not getattr(ACT_KINDS.get(item.type), "cites_in", ""):
            continue
        entry = item.entry(raw)
        body = bodies.get(entry.act.body_key())
        try:
            act = read_act(ACT_KINDS[entry.type], entry, body if isinstance(body, Body) else None)
        except DomainError:
            continue
        try:
            if act is not None:
                check_cited_here(act)
        except CitationError as exc:
            detail = {k: v for k, v in exc.detail.items() if k not in ("seq", "evidence", "held", "cited")}
            raise Refused(seq=entry.seq, problem=exc.code, **detail) from None


def do_take_move(
    log: str,
    *,
    at: int,
    raws: Sequence[bytes],
    bodies: dict[BodyKey, Body | Erased],
    visible: frozenset[str],
) -> list[Entry]:
    """Follow a record's move: replace the entries from `at` on, sealed by the node the record moved
    away from, with a served branch whose entry `at` is a `record.moved` that replays here.

    The members' decision, checked by replay (endorsements by more than half of the active members),
    settles which branch is the record; the old node's entries from `at` on are returned, as evidence
    against it. Raises Refused, storing nothing, unless every condition holds.
    """
    checked = check_batch(raws)
    with write_transaction(log=log):
        record = models.Record.objects.select_for_update().get(log=log)
        rows = models.Entry.objects.filter(record=record, seq__gte=at).order_by("seq")
        dropped = [parse_entry(bytes(raw)) for raw in rows.values_list("header", flat=True)]
        tip = _rebuild_tip(record, below=at)
        if tip.state is None:
            raise Refused(seq=at, problem="rules_need_bodies")
        sealer = tip.state.node
        first = checked[0] if checked else None
        moves = isinstance(first, Checked) and first.seq == at and first.type == RECORD_MOVED
        if not dropped or not moves or any(e.node != sealer for e in dropped):
            raise Refused(seq=at, problem="diverged")
        ids = [c.act_id for c in checked if isinstance(c, Checked)]
        earlier = dict(
            models.Entry.objects.filter(record=record, act_id__in=ids, seq__lt=at).values_list(
                "act_id", "seq"
            )
        )
        sealers: list[str] = []  # the record's node right after the move, as replay decided it

        def after_move(entry: Entry, body: Body | None) -> None:
            if entry.seq == at and tip.state is not None:
                sealers.append(tip.state.node)

        erased_before = _erased_words(tip)
        entries = _extend(tip, raws, checked, bodies, visible, earlier, after_move)
        if not sealers or sealers[0] == sealer:
            raise Refused(seq=at, problem="diverged")
        rows.delete()
        models.Checkpoint.objects.filter(record=record, size__gte=at).delete()
        _store(record, entries, checked, bodies, tip, erased_before=erased_before)
    _tips[log] = tip
    replayed.forget(log)
    return dropped


def _extend(
    tip: Tip,
    raws: Sequence[bytes],
    checked: Sequence[Checked | Rejected],
    bodies: dict[BodyKey, Body | Erased],
    visible: frozenset[str],
    earlier: dict[str, int],
    on_entry: Callable[[Entry, Body | None], None] | None,
) -> list[Entry]:
    """Verify and take entries onto `tip` as every follower does: served bodies, entries dated past this
    node's clock refused, acts already in the record (`earlier`, act id to seq) refused as replays."""
    return extend(
        tip,
        raws,
        checked,
        bodies=bodies.get,
        visible=visible,
        earlier_acts=earlier,
        on_entry=on_entry,
        not_after=clock.latest_valid_time(),
    )


def _erased_words(tip: Tip) -> frozenset[int]:
    """The entries whose words the rules erased up to `tip` (none known once replay stopped)."""
    return frozenset() if tip.state is None else frozenset(tip.state.erased_words)


def _check_known(entry: Entry, body: Body | None, *, known: Checkpoint, tip: Tip) -> None:
    """Refuse the batch when its entries reach the known checkpoint's size with another root.

    `extend` calls this once each entry is taken, so `tip` already covers `entry`."""
    if entry.seq == known.size and tip.frontier.root() != known.root:
        raise Refused(seq=entry.seq, problem="inconsistent_with_known", size=known.size, node=known.node)


def _refuse_if_kept_to_members(tip: Tip, visible: frozenset[str]) -> None:
    """A node no member delegated does not mirror a record whose charter keeps it to members' nodes."""
    charter = None if tip.state is None else tip.state.charter
    if charter is not None and charter.replicas == "members" and "members" not in visible:
        raise Refused(seq=1, problem="record_kept_to_members")


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
    *,
    erased_before: frozenset[int],
) -> None:
    # Plain executemany: building ORM objects and SQL for every row cost more than the inserts.
    act_ids = {c.hash: c.act_id for c in checked if isinstance(c, Checked)}
    entry_rows = [(record.pk, e.seq, e.hash, e.raw, act_ids[e.hash], e.type, e.author) for e in entries]
    # Only the bodies these entries name, each under the visibility its act signed (format 2: the
    # public rule body, and the words its rule body names).
    named = {e.act.body_key() for e in entries}
    for e in entries:
        rule = bodies.get(e.act.body_key())
        if e.act.split and isinstance(rule, Body):
            named.add(words_key(e.act, rule) or e.act.body_key())
    body_rows = [
        (record.pk, h, vis, b.raw, False) if isinstance(b, Body) else (record.pk, h, vis, None, True)
        for (h, vis), b in bodies.items()
        if (h, vis) in named
    ]
    with connection.cursor() as cursor:
        cursor.executemany(_INSERT_ENTRY, entry_rows)
        if body_rows:
            cursor.executemany(_INSERT_BODY, body_rows)
    # Words the rules erased in this batch (by their author or by a decision): the source erased them
    # too, or will. A copy whose rules stopped replaying still honours its authors' erasure acts.
    gone: set[int] = set() if tip.state is None else set(tip.state.erased_words - erased_before)
    for e in entries:
        rule = bodies.get(e.act.body_key())
        if e.type == WordsErased.type and isinstance(rule, Body):
            gone.add(rule.content()["entry"])
    for seq in sorted(gone):
        erase_words_of(record, seq)
    # `record` is as locked, before this batch: the seal moves from its head to the tip's.
    served.extend_seal(record, frontier=tip.frontier, head=tip.head)
    models.Record.objects.filter(pk=record.pk).update(
        head_seq=tip.size, head_hash=tip.head, frontier=tip.frontier.as_json()
    )


class RulesNeedBodies(DomainError):
    """This node lacks bodies the record's rules read, so it cannot replay (nor seal) the record."""

    code = "rules_need_bodies"


def do_check_replayable(log: str) -> None:
    """Raise RulesNeedBodies unless this node can replay every rule of record `log` from what it holds."""
    record = models.Record.objects.filter(log=log).first()
    if record is None:
        raise RecordNotFound(log=log)
    _tips.pop(log, None)
    tip = _rebuild_tip(record)
    if tip.state is None:
        raise RulesNeedBodies(log=log, seq=tip.replayed + 1)
    _tips[log] = tip


def do_fill_bodies(log: str, *, served: dict[BodyKey, Body | None], wanted: set[BodyKey]) -> int:
    """Store served bodies that entries already held name but this node lacked; return how many.

    A follower that first mirrored a record without members-only bodies gets them this way once a
    member delegates it, without syncing the record again. Each body must hash to what its entry
    signed; erased ones are kept as erased.
    """
    rows = []
    for key in wanted:
        if key not in served:
            continue
        body = served[key]
        if body is not None and (body.hash, body.vis) != key:
            raise WrongBodyHash(expected=key[0], found=body.hash, vis=body.vis)
        if body is not None:
            body.content()  # canonical JSON of an object, as verification requires
        rows.append((key, body))
    with write_transaction(log=log):
        record = models.Record.objects.select_for_update().get(log=log)
        for (hash, vis), body in rows:
            models.Body.objects.get_or_create(
                record=record,
                hash=hash,
                vis=vis,
                defaults={"raw": None if body is None else body.raw, "erased": body is None},
            )
    _tips.pop(log, None)
    return len(rows)


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


# At most this many checkpoints of one size by one node are kept: the first of each root, and a node
# that signs another root for a size it signed before has equivocated already (that evidence is kept).
SEEN_PER_SIZE = 2


def do_note_checkpoint(checkpoint: Checkpoint, *, source: str = "") -> list[ev.Evidence]:
    """Keep a checkpoint a peer served; return the evidence it yields against earlier ones (stored).

    A checkpoint re-signed with the same size and root as one kept before is not kept again, so a node
    that signs a fresh checkpoint on every request does not make this table grow.
    """
    found = [
        stored
        for raw in _contradictions(checkpoint)
        if (stored := do_store_evidence(raw, source=source)) is not None
    ]
    with translate_db_errors(log=checkpoint.log):
        same_size = models.SeenCheckpoint.objects.filter(
            log=checkpoint.log, node=checkpoint.node, size=checkpoint.size
        )
        kept = [parse_checkpoint(bytes(raw)) for raw in same_size.values_list("signed", flat=True)]
        if len(kept) >= SEEN_PER_SIZE or any(k.root == checkpoint.root for k in kept):
            return found
        _keep_seen(checkpoint)
    return found


def do_note_cited_checkpoint(checkpoint: Checkpoint) -> list[ev.Evidence]:
    """Note the checkpoint a citation that holds carries, as seen from its node, when it is larger than
    every checkpoint seen from that node; return the evidence it yields against the largest (stored).

    A later sync of the cited record is then held to it (a forged record served with another root at
    its size, or fewer entries served by that node: docs/federation.md 4.1). Only the largest seen is
    read and parsed, so a federation whose acts carry thousands of citations notes each in a few
    queries (`do_note_checkpoint` compares a peer's checkpoint with every one seen).
    """
    seen = models.SeenCheckpoint.objects.filter(log=checkpoint.log, node=checkpoint.node)
    raw = seen.order_by("-size", "-time").values_list("signed", flat=True).first()
    largest = None if raw is None else parse_checkpoint(bytes(raw))
    found: list[bytes] = []
    if largest is not None and largest.size == checkpoint.size and largest.root != checkpoint.root:
        found.append(ev.equivocation_evidence(largest, checkpoint))
    elif largest is not None and largest.size < checkpoint.size and largest.time > checkpoint.time:
        found.append(ev.rollback_evidence(checkpoint, largest))
    kept = [stored for item in found if (stored := do_store_evidence(item, source="citation")) is not None]
    if largest is None or largest.size < checkpoint.size:
        with translate_db_errors(log=checkpoint.log):
            _keep_seen(checkpoint)
    return kept


def _keep_seen(checkpoint: Checkpoint) -> None:
    """Keep `checkpoint` among those seen from its node (once: its signed bytes name it)."""
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


def do_store_evidence(raw: bytes, *, source: str = "") -> ev.Evidence | None:
    """Re-verify evidence and keep it; return it, or None if it (or one like it) was already kept.

    An anchored checkpoint mismatch (core.ledger.evidence) is checked against this node's copy of the
    record and refused (InvalidEvidence, reason not_held) where this node cannot check it.
    One piece is kept per kind, node and position: a node that misbehaves the same way on every
    request (a fresh checkpoint each time) leaves one piece, not one per request. The database's
    constraint keeps it so when two syncs store pieces at once. Raise if invalid.
    """
    checked = ev.check_evidence(raw)
    with translate_db_errors(log=checked.log):
        if checked.needs_record:
            # An anchored checkpoint mismatch is kept only where this node's copy proves it.
            rows = models.Entry.objects.filter(record__log=checked.log, seq__lte=checked.seq).order_by("seq")
            ev.check_anchored(checked, list(rows.values_list("hash", flat=True)))
        alike = models.Evidence.objects.filter(
            log=checked.log, kind=checked.kind, node=checked.node, seq=checked.seq
        )
        if alike.exists():
            return None
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
            log=log,
            url=url,
            defaults={"size": size, "problem": problem[:64], "updated": clock.now_datetime()},
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


def find_cosigned(checkpoint: Checkpoint, *, witness: str) -> tuple[bytes, bytes] | None:
    """(checkpoint, cosignature) bytes of a cosignature by `witness` of the same log, size and root."""
    rows = models.Cosigned.objects.filter(log=checkpoint.log, witness=witness, size=checkpoint.size)
    for signed, cosignature in rows.values_list("checkpoint", "cosignature"):
        if parse_checkpoint(bytes(signed)).root == checkpoint.root:
            return bytes(signed), bytes(cosignature)
    return None


def find_own_cosignature(checkpoint: Checkpoint) -> tuple[bytes, bytes] | None:
    """This node's cosignature of a checkpoint with the same log, size and root, if it gave one."""
    return find_cosigned(checkpoint, witness=node_keypair().public)


def _keep_cosignature(checkpoint: Checkpoint, cosignature: Cosignature) -> None:
    # One cosignature per witness, size and root: the same tree cosigned again adds nothing.
    if find_cosigned(checkpoint, witness=cosignature.witness) is not None:
        return
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
