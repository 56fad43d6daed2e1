"""Appending to a record: check every act, lock the record, replay, seal, write, receipt."""

from collections.abc import Callable, Iterable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, connection, transaction

from ayllu.core.assembly.acts import WORDS_NOT_HELD, split_content, taking_in_types, waiting_types
from ayllu.core.assembly.replay import ACT_KINDS, AssemblyState, apply_entry, try_act
from ayllu.core.assembly.texts import (
    check_member_name_unlike,
    check_names,
    check_not_look_alike,
    check_texts,
    chosen_name_in,
    households_in,
    names_in,
)
from ayllu.core.errors import (
    BadAuthorSignature,
    BodyTooLarge,
    DuplicateAct,
    MalformedBody,
    MalformedEntry,
    RuleError,
    WrongBodyHash,
    WrongLog,
)
from ayllu.core.ledger.checkpoints import Receipt, sign_receipt
from ayllu.core.ledger.keys import ACT_CONTEXT, verify_signature
from ayllu.core.ledger.merkle import Frontier
from ayllu.core.ledger.record import (
    RULE_VIS,
    Act,
    Body,
    Entry,
    SignedAct,
    check_act_fields,
    log_id_for,
    max_body_bytes,
    parse_entry,
    seal_entry,
    sha256_hex,
    words_key,
)
from ayllu.storage import clock, models, replayed, served, writes
from ayllu.storage.db import ID_CHUNK, HeldAct, lock_record, lock_record_finding, write_transaction
from ayllu.storage.errors import RecordExists
from ayllu.storage.replayed import Replayed

from ..citations import check_cited_here
from .checkpoints import do_refresh_checkpoint
from .state import catch_up_unlocked, node_keypair, take_current_state


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
        if (body.hash, body.vis) != act.body_key():
            raise WrongBodyHash(body=body.hash)
        # Bodies built from fields were checked by make_body; a body sent whole (signed act, device
        # signing) is checked here, or the node would seal an entry its own verifier refuses.
        for part in (body, body.words):
            if part is not None and len(part.raw) > max_body_bytes(act.type):
                raise BodyTooLarge(size=len(part.raw), limit=max_body_bytes(act.type))
        # New acts only: replay leaves the words of records written before the policy as they are.
        content = _content_of(act, body)
        check_texts(content)
        cites_in = getattr(ACT_KINDS.get(act.type), "cites_in", "")
        if cites_in:
            # What every replica checks (the proofs) is replayed below; what this node holds of the
            # cited records is checked here, so a forked or rolled-back entry is never cited.
            check_cited_here(ACT_KINDS[act.type].parse(content))
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


def _content_of(act: Act, body: Body) -> dict[str, Any]:
    """All an act says, rule data and words; refuse what a replica could not replay from public data.

    New acts are written in format 2 (docs/record-format.md, section 13): a format-1 act is taken only
    when its one body is public (the founding, and clients written before format 2), so every body a
    rule needs stays readable by every replica.
    """
    if not act.split:
        if act.vis != RULE_VIS:
            raise MalformedEntry(field="v", reason="old_format", value=act.v)
        return body.content()
    if body.words is None or (body.words.hash, body.words.vis) != words_key(act, body):
        raise WrongBodyHash(body=body.words.hash if body.words is not None else "", reason="words")
    kind = ACT_KINDS.get(act.type)
    if kind is None:
        return body.content()  # replay refuses it as unknown_entry_type
    return split_content(kind, body, seq=0)


def _check_chosen_name(state: AssemblyState, item: _Prepared) -> None:
    """A member's new name may not look like another member's (new acts only, like the text policy)."""
    act = item.signed.act
    parts = [p.content() for p in (item.body, item.body.words) if p is not None]
    chosen = next((n for n in (chosen_name_in(act.type, c) for c in parts) if n is not None), None)
    if chosen is None:
        return
    me = state.key_owner.get(act.author, act.author)
    others = (n for member, (n, _) in state.member_names.items() if member != me and n != WORDS_NOT_HELD)
    check_member_name_unlike(chosen, others=others)


def _require_signatures(prepared: Sequence[_Prepared], results: Iterable[list[bool]]) -> None:
    checked = [ok for oks in results for ok in oks]
    for item, ok in zip(prepared, checked, strict=True):
        if not ok:
            raise BadAuthorSignature(author=item.signed.act.author, act=item.act_id)


SIGNATURE_CHUNK = 250
# Acts that wait outside the record (decision 0011): once one enters, its waiting row goes.
WAITING_TYPES = waiting_types()
TAKING_IN_TYPES = taking_in_types()


def check_signed_act(log: str, *, signed_act: SignedAct, body: Body) -> str:
    """Check an act as an append would before taking the lock (form, body, texts, signature); its id."""
    prepared, signatures = _prepare(log, [(signed_act, body)], map)
    _require_signatures(prepared, signatures)
    return prepared[0].act_id


def act_content(act: Act, body: Body) -> dict[str, Any]:
    """All a checked act says (rule data and the words this node holds)."""
    return _content_of(act, body)


def taken_in_by(act: Act, body: Body) -> tuple[str, ...]:
    """The keys of strangers whose waiting acts a member's act takes into the record before itself."""
    kind = ACT_KINDS.get(act.type)
    if kind is None or act.type not in TAKING_IN_TYPES:
        return ()
    return kind.parse(_content_of(act, body)).keys_taken_in()


def check_act_fits_locked(record: models.Record, *, signed_act: SignedAct, body: Body) -> None:
    """Raise what the rules would if the act were the record's next entry now; change nothing.

    The caller holds the record's write lock. The same new-act policies as an append apply (a
    household may not look like another one).
    """
    _refuse_acts_already_in(record, [_Prepared(signed_act, body, signed_act.act.id())])
    with replayed.folding_lock(record.log):
        draft = take_current_state(record)
        try:
            act = signed_act.act
            state = draft.state
            households = households_in(act.type, body.content())
            if body.words is not None:
                households += households_in(act.type, body.words.content())
            names = (name for name, _ in state.household_names.values())
            check_not_look_alike(households, existing=[*state.households, *names])
            kind = ACT_KINDS[act.type]
            try_act(state, key=act.author, act=kind.parse(_content_of(act, body)), time=state.last_time)
        finally:
            # Tried, never applied (try_act decides on the state without changing it): given back as it was.
            replayed.publish(record.log, draft)


def _refuse_acts_already_in(record: models.Record, items: Sequence[_Prepared]) -> None:
    """Refuse an act the record already holds before any rule sees it.

    A client resending an act it is not sure arrived gets `duplicate_act` naming the entry that holds
    it, not the refusal the rules would give a second, different act (`already_voted`).
    """
    ids = [i.act_id for i in items]
    for start in range(0, len(ids), ID_CHUNK):  # under SQLite's limit on a query's parameters
        chunk = ids[start : start + ID_CHUNK]
        rows = models.Entry.objects.filter(record=record, act_id__in=chunk)
        _refuse_held(rows.order_by("seq").values_list("act_id", "seq", "hash").first())


def _refuse_held(held: HeldAct | None) -> None:
    if held is not None:
        act_id, seq, entry = held
        raise DuplicateAct(act=act_id, first_seq=seq, entry=entry)


def _append_locked(
    record: models.Record,
    items: Sequence[_Prepared],
    signatures: Iterable[list[bool]] | None,
    *,
    checked: int = 0,
) -> tuple[list[Entry], Replayed]:
    """Append `items` to a locked record; the first `checked` of them are known not to be in it."""
    _refuse_acts_already_in(record, items[checked:])
    draft = take_current_state(record)
    node = node_keypair()
    state, seq, head = draft.state, record.head_seq, record.head_hash
    frontier = Frontier.from_json(record.frontier)
    entries: list[Entry] = []
    # Node time is informational but may not go back (replay checks it): a clock behind the record's
    # last entry, e.g. after importing from a node whose clock ran ahead, stamps that entry's time.
    now = max(clock.now_ms(), state.last_time)
    erased_before = frozenset(state.erased_words)
    for item in items:
        entry = seal_entry(item.signed, seq=seq + 1, prev=head, time=now, node=node)
        try:
            # New acts only, like the text policy: a household may not look like another one.
            # Format 2: ids in the rule body, a new household's name in the words (this node holds them).
            households = households_in(item.signed.act.type, item.body.content())
            if item.body.words is not None:
                households += households_in(item.signed.act.type, item.body.words.content())
            names = (name for name, _ in state.household_names.values())
            check_not_look_alike(households, existing=[*state.households, *names])
            _check_chosen_name(state, item)
            state = apply_entry(state, entry, item.body)
        except RuleError:
            if not entries:
                # A broken rule changes nothing (replay's contract): the state is still the head's.
                replayed.publish(record.log, draft)
            raise
        frontier = frontier.append(entry.hash)
        entries.append(entry)
        seq, head = entry.seq, entry.hash
    if signatures is not None:
        _require_signatures(items, signatures)
    # Refused when the rows changed since they were checked; else the seal covers the new head.
    served.extend_seal(record, frontier=frontier, head=head)
    # The unique (record, act_id) constraint refuses an act replayed into the record without a query
    # of its own; the whole transaction rolls back on the way out.
    writes.insert_entries(
        record,
        ((e.seq, e.hash, e.raw, i.act_id, e.type, e.author) for e, i in zip(entries, items, strict=True)),
    )
    parts = [part for i in items for part in (i.body, i.body.words) if part is not None]
    writes.insert_bodies(record, {part.key: (*part.key, part.raw) for part in parts}.values())
    waited = [i.signed.act.author for i in items if i.signed.act.type in WAITING_TYPES]
    if waited:
        # In the record now (taken in, or replayed from elsewhere): no longer waiting on this node.
        models.WaitingAct.objects.filter(record=record, type__in=WAITING_TYPES, author__in=waited).delete()
    for words_of in sorted(state.erased_words - erased_before):
        # Erased by their author or by a decision: rules never read words, so no replay, before or
        # after a restart, needs them again.
        erase_words_of(record, words_of)
    writes.update_head(
        record, seq=seq, head=head, frontier=frontier.as_json(), name=state.name or record.name
    )
    before, draft.state = draft.seq, state
    replayed.fold_entries(draft, ((e, i.body) for e, i in zip(entries, items, strict=True)), applied=True)
    replayed.estimate_after(draft, before=before)
    return entries, draft


def _keep_after_commit(log: str, draft: Replayed, *, outer: bool) -> None:
    """Publish the state an append made once it is committed, before the next writer in the queue takes
    the lock: on_commit runs inside write_transaction, before its writer queue is released. Until then
    readers keep the state at the committed head; a rolled-back append publishes nothing.

    Cached after the queue was released (as before), the next writer often found no state (the
    locked append takes it out) and replayed the whole record while every other writer waited. Inside
    an `outer` transaction (no queue is taken then) it is cached at once, as before: if that
    transaction rolls back, the head no longer matches and the next append replays from the database.
    """
    if outer:
        replayed.publish(log, draft)
    else:
        transaction.on_commit(lambda: replayed.publish(log, draft))


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
    served.require_writable(log)
    catch_up_unlocked(log)
    if map_batches is map:
        # In this process: check before taking the lock, so a forged act never waits for it.
        _require_signatures(prepared, signatures)
    outer = connection.in_atomic_block
    with ExitStack() as folding, write_transaction(log=log):
        # The lock's statement also finds the first acts if the record holds them (a resend).
        record, held = lock_record_finding(log, [p.act_id for p in prepared[:ID_CHUNK]])
        _refuse_held(held)
        # Held from taking the state until it is published (at the commit) or given up: readers who
        # find no state wait for it rather than replay the record.
        folding.enter_context(replayed.folding_lock(log))
        signed = None if map_batches is map else signatures
        entries, draft = _append_locked(record, prepared, signed, checked=ID_CHUNK)
        _keep_after_commit(log, draft, outer=outer)
    if any(ACT_KINDS[item.signed.act.type].cited_elsewhere for item in prepared):
        # Another record's act will cite it (a seat its credential, a vote its mandate): sign a
        # checkpoint covering it now, with the write, so that no page has to when it is read.
        do_refresh_checkpoint(log)
    return _receipt(entries[-1])


def do_append(log: str, *, signed_act: SignedAct, body: Body) -> Receipt:
    """Append one signed act with its body; return the node's receipt (seq, entry hash)."""
    return do_append_many(log, items=[(signed_act, body)])


def do_found_assembly(*, signed_act: SignedAct, body: Body) -> Receipt:
    """Create a record from its founding act and body, and append that act as entry 1."""
    log = log_id_for(body)
    prepared, signatures = _prepare(log, [(signed_act, body)], map)
    _require_signatures(prepared, signatures)
    if models.Record.objects.filter(log=log).exists():
        # Found before the write lock: a resent founding is not counted against its sender's address
        # (rate_limits.check_anonymous_act), so it must not take the lock. Checked again holding it.
        raise RecordExists(log=log)
    outer = connection.in_atomic_block
    with ExitStack() as folding, write_transaction(log=log):
        if models.Record.objects.filter(log=log).exists():
            raise RecordExists(log=log)
        try:
            with transaction.atomic():
                models.Record.objects.create(log=log)
        except IntegrityError:
            raise RecordExists(log=log) from None
        record = lock_record(log)
        folding.enter_context(replayed.folding_lock(log))
        replayed.forget(log)
        (entry,), draft = _append_locked(record, prepared, None)
        _keep_after_commit(log, draft, outer=outer)
    return _receipt(entry)


def _receipt(entry: Entry) -> Receipt:
    """The node's receipt for a sealed entry, timed with the entry, so the same entry always gets the
    same bytes (Ed25519 signatures are deterministic): a retry is answered with the first receipt."""
    return sign_receipt(node_keypair(), log=entry.log, seq=entry.seq, entry=entry.hash, time=entry.time)


@dataclass(frozen=True, slots=True)
class Submitted:
    """What a client's act came to: the receipt of the entry holding it, and whether that entry was
    already there before this request (a retry of an act the record holds)."""

    receipt: Receipt
    duplicate: bool = False


def receipt_of_held_act(log: str, signed_act: SignedAct) -> Receipt | None:
    """The receipt of the entry of record `log` holding this very act, or None."""
    act_id = sha256_hex(ACT_CONTEXT + signed_act.act.signing_bytes())
    raw = models.Entry.objects.filter(record__log=log, act_id=act_id).values_list("header", flat=True).first()
    return None if raw is None else _receipt(parse_entry(bytes(raw)))


def do_submit(log: str, *, signed_act: SignedAct, body: Body) -> Submitted:
    """Append one act a client sent; answer a resend of an act the record holds with its first receipt.

    A client that lost the node's answer cannot tell whether its act arrived; sending it again is safe.
    The resend is checked like any act (form, body, the author's signature), and the record's write
    lock finds it held before any rule runs, so a second, different act still meets the rules
    (`already_voted`) while the same act gets the receipt its first submission got.
    """
    try:
        return Submitted(do_append(log, signed_act=signed_act, body=body))
    except DuplicateAct:
        held = receipt_of_held_act(log, signed_act)
        if held is None:
            raise
        return Submitted(held, duplicate=True)


def do_submit_founding(*, signed_act: SignedAct, body: Body) -> Submitted:
    """Found an assembly; answer a resend of the founding act that created it with its first receipt."""
    try:
        return Submitted(do_found_assembly(signed_act=signed_act, body=body))
    except RecordExists:  # raised only once the act's form, body and signature were checked
        held = receipt_of_held_act(signed_act.act.log, signed_act)
        if held is None:
            raise
        return Submitted(held, duplicate=True)


# --- erasure ------------------------------------------------------------------------------------
def erase_words_of(record: models.Record, seq: int) -> None:
    """Delete the bytes of the words of entry `seq` (its format-2 words body, or a format-1 body no rule
    reads), once an erasure act naming it is in the record: the record keeps their hash and verifies."""
    raw = models.Entry.objects.filter(record=record, seq=seq).values_list("header", flat=True).first()
    if raw is None:
        raise MalformedBody(field="entry", value=seq)
    act = parse_entry(bytes(raw)).act
    key = act.body_key()
    if act.split:
        rule = models.Body.objects.filter(record=record, hash=key[0], vis=key[1]).values_list(
            "raw", flat=True
        )
        found = rule.first()
        if found is None:
            return  # this replica never held the rule body, so it holds no words either
        key = words_key(act, Body(bytes(found), RULE_VIS)) or key
    models.Body.objects.filter(record=record, hash=key[0], vis=key[1]).update(raw=None, erased=True)
