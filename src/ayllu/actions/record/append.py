"""Appending to a record: check every act, lock the record, replay, seal, write, receipt."""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, connection, transaction

from ayllu.core.assembly.replay import apply_entry
from ayllu.core.assembly.texts import check_names, check_not_look_alike, check_texts, households_in, names_in
from ayllu.core.errors import (
    BadAuthorSignature,
    BodyTooLarge,
    DuplicateAct,
    MissingBody,
    RuleError,
    WrongBodyHash,
    WrongLog,
)
from ayllu.core.ledger.checkpoints import Receipt, sign_receipt
from ayllu.core.ledger.keys import ACT_CONTEXT, verify_signature
from ayllu.core.ledger.merkle import Frontier
from ayllu.core.ledger.record import (
    Body,
    Entry,
    SignedAct,
    check_act_fields,
    log_id_for,
    max_body_bytes,
    seal_entry,
    sha256_hex,
)
from ayllu.storage import clock, models, writes
from ayllu.storage.db import lock_record, write_transaction
from ayllu.storage.errors import RecordExists

from .state import (
    Replayed,
    catch_up_unlocked,
    keep_state,
    node_keypair,
    replayed_states,
    take_current_state,
)


# --- appending -----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Prepared:
    signed: SignedAct
    body: Body
    act_id: str


def check_author_signatures(batch: Sequence[tuple[str, bytes, str]]) -> list[bool]:
    """Check (author, act signing bytes, signature) triples; picklable, for a process pool's map."""
    return [verify_signature(author, ACT_CONTEXT, signing, asig) for author, signing, asig in batch]


def _prepare(
    log: str, items: Sequence[tuple[SignedAct, Body]], map_batches: Callable[..., Iterable[Any]]
) -> tuple[list[_Prepared], Iterable[list[bool]]]:
    """Check every act's form, body, record and uniqueness; start checking the authors' signatures.

    The signature results come back lazily: with a process pool they are computed while the caller
    seals the entries, and `_require_signatures` must read them all before anything is stored.
    """
    prepared: list[_Prepared] = []
    triples: list[tuple[str, bytes, str]] = []
    seen: set[str] = set()
    for signed_act, body in items:
        act = signed_act.act
        check_act_fields(act)
        if act.log != log:
            raise WrongLog(expected=log, found=act.log)
        if body.hash != act.body or body.vis != act.vis:
            raise WrongBodyHash(body=body.hash)
        # Bodies built from fields were checked by make_body; a body sent whole (signed act, device
        # signing) is checked here, or the node would seal an entry its own verifier refuses.
        if len(body.raw) > max_body_bytes(act.type):
            raise BodyTooLarge(size=len(body.raw), limit=max_body_bytes(act.type))
        # New acts only: replay leaves the words of records written before the policy as they are.
        content = body.content()
        check_texts(content)
        check_names(names_in(act.type, content))
        signing = act.signing_bytes()
        act_id = sha256_hex(ACT_CONTEXT + signing)
        if act_id in seen:
            raise DuplicateAct(act=act_id)
        seen.add(act_id)
        prepared.append(_Prepared(signed_act, body, act_id))
        triples.append((act.author, signing, signed_act.asig))
    chunks = [triples[i : i + SIGNATURE_CHUNK] for i in range(0, len(triples), SIGNATURE_CHUNK)]
    return prepared, map_batches(check_author_signatures, chunks)


def _require_signatures(prepared: Sequence[_Prepared], results: Iterable[list[bool]]) -> None:
    checked = [ok for oks in results for ok in oks]
    for item, ok in zip(prepared, checked, strict=True):
        if not ok:
            raise BadAuthorSignature(author=item.signed.act.author, act=item.act_id)


SIGNATURE_CHUNK = 250
ID_CHUNK = 500


def _refuse_acts_already_in(record: models.Record, items: Sequence[_Prepared]) -> None:
    """Refuse an act the record already holds before any rule sees it.

    A client resending an act it is not sure arrived gets `duplicate_act` naming the entry that holds
    it, not the refusal the rules would give a second, different act (`already_voted`).
    """
    ids = [i.act_id for i in items]
    for start in range(0, len(ids), ID_CHUNK):  # under SQLite's limit on a query's parameters
        chunk = ids[start : start + ID_CHUNK]
        rows = models.Entry.objects.filter(record=record, act_id__in=chunk)
        found = rows.order_by("seq").values_list("act_id", "seq", "hash").first()
        if found is not None:
            act_id, seq, entry = found
            raise DuplicateAct(act=act_id, first_seq=seq, entry=entry)


def _append_locked(
    record: models.Record, items: Sequence[_Prepared], signatures: Iterable[list[bool]] | None
) -> tuple[list[Entry], Replayed]:
    _refuse_acts_already_in(record, items)
    replayed = take_current_state(record)
    node = node_keypair()
    state, seq, head = replayed.state, record.head_seq, record.head_hash
    frontier = Frontier.from_json(record.frontier)
    entries: list[Entry] = []
    # Node time is informational but may not go back (replay checks it): a clock behind the record's
    # last entry, e.g. after importing from a node whose clock ran ahead, stamps that entry's time.
    now = max(clock.now_ms(), state.last_time)
    for item in items:
        entry = seal_entry(item.signed, seq=seq + 1, prev=head, time=now, node=node)
        try:
            # New acts only, like the text policy: a household may not look like another one.
            households = households_in(item.signed.act.type, item.body.content())
            check_not_look_alike(households, existing=state.households)
            state = apply_entry(state, entry, item.body)
        except RuleError:
            if not entries:
                # A broken rule changes nothing (replay's contract): the state is still the head's.
                keep_state(record.log, replayed)
            raise
        frontier = frontier.append(entry.hash)
        entries.append(entry)
        seq, head = entry.seq, entry.hash
    if signatures is not None:
        _require_signatures(items, signatures)
    # The unique (record, act_id) constraint refuses an act replayed into the record without a query
    # of its own; the whole transaction rolls back on the way out.
    writes.insert_entries(
        record,
        ((e.seq, e.hash, e.raw, i.act_id, e.type, e.author) for e, i in zip(entries, items, strict=True)),
    )
    writes.insert_bodies(record, {i.body.key: (*i.body.key, i.body.raw) for i in items}.values())
    models.Record.objects.filter(pk=record.pk).update(
        head_seq=seq, head_hash=head, frontier=frontier.as_json(), name=state.name or record.name
    )
    return entries, Replayed(seq, head, state)


def _keep_after_commit(log: str, replayed: Replayed, *, outer: bool) -> None:
    """Cache the state an append made once it is committed, before the next writer in the queue takes
    the lock: on_commit runs inside write_transaction, before its writer queue is released.

    Cached after the queue was released (as before), the next writer often found no state (the
    locked append takes it out) and replayed the whole record while every other writer waited. Inside
    an `outer` transaction (no queue is taken then) it is cached at once, as before: if that
    transaction rolls back, the head no longer matches and the next append replays from the database.
    """
    if outer:
        keep_state(log, replayed)
    else:
        transaction.on_commit(lambda: keep_state(log, replayed))


def do_append_many(
    log: str, *, items: Sequence[tuple[SignedAct, Body]], map_batches: Callable[..., Iterable[Any]] = map
) -> Receipt:
    """Append signed acts with their bodies in one transaction; return the receipt of the last one.

    The last entry's hash commits, through the chain of `prev` hashes, to every entry before it, so
    one receipt covers the whole batch. `map_batches` (see `batch_mapper`) may check the authors'
    signatures in other processes.
    """
    if not items:
        raise ValueError("nothing to append")
    prepared, signatures = _prepare(log, items, map_batches)
    catch_up_unlocked(log)
    if map_batches is map:
        # In this process: check before taking the lock, so a forged act never waits for it.
        _require_signatures(prepared, signatures)
    outer = connection.in_atomic_block
    with write_transaction(log=log):
        record = lock_record(log)
        entries, replayed = _append_locked(record, prepared, None if map_batches is map else signatures)
        _keep_after_commit(log, replayed, outer=outer)
    last = entries[-1]
    return sign_receipt(node_keypair(), log=log, seq=last.seq, entry=last.hash, time=clock.now_ms())


def do_append(log: str, *, signed_act: SignedAct, body: Body) -> Receipt:
    """Append one signed act with its body; return the node's receipt (seq, entry hash)."""
    return do_append_many(log, items=[(signed_act, body)])


def do_found_assembly(*, signed_act: SignedAct, body: Body) -> Receipt:
    """Create a record from its founding act and body, and append that act as entry 1."""
    log = log_id_for(body)
    prepared, signatures = _prepare(log, [(signed_act, body)], map)
    _require_signatures(prepared, signatures)
    outer = connection.in_atomic_block
    with write_transaction(log=log):
        if models.Record.objects.filter(log=log).exists():
            raise RecordExists(log=log)
        try:
            with transaction.atomic():
                models.Record.objects.create(log=log)
        except IntegrityError:
            raise RecordExists(log=log) from None
        record = lock_record(log)
        replayed_states.pop(log, None)
        (entry,), replayed = _append_locked(record, prepared, None)
        _keep_after_commit(log, replayed, outer=outer)
    return sign_receipt(node_keypair(), log=log, seq=entry.seq, entry=entry.hash, time=clock.now_ms())


# --- erasure ------------------------------------------------------------------------------------
def do_erase_body(log: str, *, body_hash: str, vis: str) -> None:
    """Erase a body's content for privacy; its hash stays in the chain, so the record still verifies.

    Only the body kept under `vis` is erased: the same bytes posted under another visibility are
    another act's body. This only removes bytes from this node; who may ask for an erasure is the
    assembly's decision, taken elsewhere before this is called.
    """
    with write_transaction(log=log):
        record = lock_record(log)
        erased = models.Body.objects.filter(record=record, hash=body_hash, vis=vis).update(
            raw=None, erased=True
        )
        if not erased:
            raise MissingBody(body=body_hash, vis=vis)
    # Replay never reads an erased body again; the cached state already folded it in.
