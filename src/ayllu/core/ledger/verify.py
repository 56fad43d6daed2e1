"""Verify a whole record: every byte, signature, link, body, rule, checkpoint and receipt.

Verification runs in two stages. `check_entry_batch` does the expensive work per entry (canonical
parse, both Ed25519 signatures, hashing) and is a top-level function over a batch of raw headers, so
a caller may run batches in other processes through `map_batches` (core itself starts none). The
sequential stage then walks the results in order and checks what needs the previous entry: seq, prev,
log, that no act appears twice, bodies, the assembly's rules by replay, and the Merkle tree with the
checkpoints and receipts presented as evidence. The report names the first position that fails.
"""

import enum
import hashlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol, TypeVar

from ayllu.core.assembly import replay
from ayllu.core.errors import (
    BadAuthorSignature,
    BadNodeSignature,
    BodyTooLarge,
    BrokenChain,
    DomainError,
    DuplicateAct,
    EntryFromTheFuture,
    InconsistentCheckpoint,
    MalformedBody,
    MalformedEntry,
    MissingBody,
    ReceiptNotHonoured,
    SeqGap,
    WrongBodyHash,
    WrongLog,
)
from ayllu.core.ledger.checked_texts import checked_checkpoint, known_header, note_checked_header
from ayllu.core.ledger.checkpoints import Checkpoint, Receipt, parse_receipt
from ayllu.core.ledger.citations import Citation
from ayllu.core.ledger.keys import ACT_CONTEXT, ENTRY_CONTEXT, verify_signature
from ayllu.core.ledger.merkle import EMPTY_ROOT, Frontier
from ayllu.core.ledger.record import (
    RULE_VIS,
    Act,
    Body,
    BodyKey,
    Entry,
    max_body_bytes,
    parse_entry,
    with_words,
    words_key,
)

DEFAULT_VISIBLE = frozenset({"public", "members"})
BODY_NEEDED = "body_needed_for_rules"  # the reason replay gives when a rule needs a body it was not given


class Erased(enum.Enum):
    """The marker a body lookup returns for a body erased for privacy: accepted, never replayed."""

    ERASED = "erased"


ERASED = Erased.ERASED

# Looks a body up by (hash, visibility): two acts may carry the same bytes under different visibilities,
# and each is kept, erased and shown on its own.
BodyLookup = Callable[[BodyKey], Body | Erased | None]
# Is handed each replayed act's citations, as read by replay (steps 1 to 4 of record-format.md 14.2);
# may raise a DomainError, which stops verification at that entry.
CitedHook = Callable[[Entry, tuple[Citation, ...]], None]


@dataclass(frozen=True, slots=True)
class Problem:
    """Why a record fails: the first bad position `seq` (None when no entry is to blame) and a code."""

    seq: int | None
    code: str
    detail: dict[str, Any]


@dataclass(frozen=True, slots=True)
class VerifyReport:
    """The outcome: `size`, `head` and `root` describe the prefix of the record that verified.

    `replayed` counts the entries whose rules were re-checked: it falls short of `size` when a body this
    verifier may not see (or an erased one) was needed by a rule, after which the state is unknown.
    """

    ok: bool
    size: int
    head: str
    root: str
    problem: Problem | None = None
    replayed: int = 0


class Rejected(NamedTuple):
    """An entry that failed the per-entry checks, as the DomainError code and detail."""

    code: str
    detail: dict[str, Any]


class Checked(NamedTuple):
    """The fields of an entry whose bytes and both signatures hold, plus its hash and act id."""

    seq: int
    prev: str
    time: int
    log: str
    type: str
    author: str
    vis: str
    body: str
    nonce: str
    asig: str
    node: str
    nsig: str
    hash: str
    act_id: str
    v: int

    def entry(self, raw: bytes) -> Entry:
        """The entry these checked fields describe."""
        act = Act(self.log, self.type, self.author, self.vis, self.body, self.nonce, self.v)
        return Entry(raw, self.seq, self.prev, self.time, act, self.asig, self.node, self.nsig, self.hash)


def _without_nsig(raw: bytes, nsig: str) -> bytes:
    """The node's signed bytes: canonical(header without "nsig"), cut from the checked canonical header.

    Canonical JSON is its members in key order, and no string can hold `,"` unescaped, so removing the
    one member `,"nsig":"<hex>"` gives exactly the canonical form of the rest (as Entry.node_signing_bytes).
    """
    return raw.replace(b',"nsig":"' + nsig.encode() + b'"', b"", 1)


def _check_one(raw: bytes) -> Checked | Rejected:
    try:
        # These exact bytes may have been checked in this process already (as a citation of them).
        known = known_header(raw)
        entry = parse_entry(raw) if known is None else known
        act = entry.act
        signed = act.signing_bytes()
        if known is None:
            if not verify_signature(act.author, ACT_CONTEXT, signed, entry.asig):
                raise BadAuthorSignature(seq=entry.seq, author=act.author)
            if not verify_signature(entry.node, ENTRY_CONTEXT, _without_nsig(raw, entry.nsig), entry.nsig):
                raise BadNodeSignature(seq=entry.seq, node=entry.node)
    except DomainError as exc:
        return Rejected(exc.code, exc.detail)
    act_id = hashlib.sha256(ACT_CONTEXT + signed).hexdigest()
    return Checked(
        entry.seq, entry.prev, entry.time, act.log, act.type, act.author, act.vis, act.body, act.nonce,
        entry.asig, entry.node, entry.nsig, entry.hash, act_id, act.v,
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class Found:
    """An entry's body as a verifier holds it: `body` (a format-2 rule body carries its words when
    held), and the key of a body that was erased (None when nothing was)."""

    body: Body | None
    erased: BodyKey | None = None


class ErasedRuleData(DomainError):
    """A format-2 rule body was erased: rule data is public and may never be erased."""

    code = "unauthorised_erasure"


def look_up_body(entry: Entry, bodies: BodyLookup, visible: frozenset[str]) -> Found:
    """The body of `entry` (and, in format 2, its words) as `bodies` holds it, checked against the act.

    Raise MissingBody for a body whose visibility is in `visible` that is neither held nor erased,
    WrongBodyHash, BodyTooLarge, or the canonical-JSON error of a body that is not a canonical object.
    """
    act = entry.act
    key = act.body_key()
    found = _held(entry, bodies(key), key, visible | {RULE_VIS} if act.split else visible)
    if not act.split:
        return Found(None, key) if found is ERASED else Found(found)
    if found is ERASED:
        raise ErasedRuleData(seq=entry.seq, body=act.body, vis=RULE_VIS)
    assert isinstance(found, Body)
    words_at = words_key(act, found)
    if words_at is None:
        raise MalformedBody(seq=entry.seq, field="words")
    words = _held(entry, bodies(words_at), words_at, visible)
    if words is ERASED:
        return Found(with_words(found, None), words_at)
    return Found(with_words(found, words if isinstance(words, Body) else None))


def _held(
    entry: Entry, found: Body | Erased | None, key: BodyKey, visible: frozenset[str]
) -> Body | Erased | None:
    if found is ERASED or (found is None and key[1] not in visible):
        return found
    if found is None:
        raise MissingBody(seq=entry.seq, body=key[0], vis=key[1])
    assert isinstance(found, Body)
    if found.key != key:
        raise WrongBodyHash(seq=entry.seq, expected=key[0], found=found.hash, vis=found.vis)
    if len(found.raw) > max_body_bytes(entry.act.type):
        raise BodyTooLarge(seq=entry.seq, size=len(found.raw))
    try:
        found.content()  # canonical JSON of an object, whether or not a rule reads it
    except DomainError as exc:
        exc.detail = {**exc.detail, "body": found.hash}
        raise
    return found


def check_format_order(entry: Entry, *, split_seen: bool) -> bool:
    """Raise MalformedEntry for a non-public format-1 act after a format-2 one; return whether the
    record has a format-2 act so far. Once a record is written in format 2, every body a rule needs is
    public, so any replica may replay it to the end."""
    if entry.act.split:
        return True
    if split_seen and entry.act.vis != RULE_VIS:
        raise MalformedEntry(seq=entry.seq, field="v", reason="format_went_back", value=entry.act.v)
    return split_seen


def check_not_future(entry: Entry, not_after: int | None) -> None:
    """Raise EntryFromTheFuture for an entry dated after `not_after` (ms; None: no limit).

    Checkers that have a clock pass their time plus the allowed skew: an entry is not valid before its
    date, so a replica neither stores it nor replays up to it (record-format.md 11)."""
    if not_after is not None and entry.time > not_after:
        raise EntryFromTheFuture(seq=entry.seq, time=entry.time, not_after=not_after)


class Reader(Protocol):
    """What one who reads a record entry by entry keeps of it: whether a format-2 act came yet, and the
    bodies held as erased, by seq."""

    split_seen: bool
    erased: dict[int, BodyKey]


def read_body(
    reader: Reader, entry: Entry, *, bodies: BodyLookup, visible: frozenset[str], not_after: int | None
) -> Body | None:
    """The body of `entry` as held, once its date and format are checked against what `reader` read so
    far; a body held as erased is noted in `reader.erased`. Raise as the checks and `look_up_body` do."""
    check_not_future(entry, not_after)
    reader.split_seen = check_format_order(entry, split_seen=reader.split_seen)
    found = look_up_body(entry, bodies, visible)
    if found.erased is not None:
        reader.erased[entry.seq] = found.erased
    return found.body


def unauthorised_erasures(state: Any, erased: dict[int, BodyKey]) -> list[int]:
    """The seqs whose erased body no erasure act replayed into `state` names, smallest first."""
    return sorted(seq for seq in erased if seq not in state.erased_words)


def check_entry_batch(raws: Sequence[bytes]) -> list[Checked | Rejected]:
    """Parse and check the signatures of a batch of raw headers; picklable, for `map_batches`."""
    return [_check_one(raw) for raw in raws]


class _Stop(Exception):
    def __init__(self, seq: int | None, code: str, detail: dict[str, Any]) -> None:
        super().__init__()
        self.problem = Problem(seq, code, detail)


def _stop(seq: int | None, error: DomainError, **extra: Any) -> _Stop:
    return _Stop(seq, error.code, {**error.detail, **extra})


_Signed = TypeVar("_Signed", Checkpoint, Receipt)


@dataclass(frozen=True, slots=True)
class _Evidence:
    checkpoints: dict[int, list[tuple[int, Checkpoint]]]
    receipts: dict[int, list[tuple[int, Receipt]]]


def _parse_evidence(log: str, checkpoints: Iterable[bytes], receipts: Iterable[bytes]) -> _Evidence:
    by_size = _parsed_of(log, checkpoints, checked_checkpoint, lambda cp: cp.size, what="checkpoint")
    by_seq = _parsed_of(log, receipts, parse_receipt, lambda receipt: receipt.seq, what="receipt")
    return _Evidence(by_size, by_seq)


def _parsed_of(
    log: str,
    raws: Iterable[bytes],
    parse: Callable[[bytes], _Signed],
    key: Callable[[_Signed], int],
    *,
    what: str,
) -> dict[int, list[tuple[int, _Signed]]]:
    """Each of `raws` parsed, with its place in the list, by `key` (size or seq); stops at the first that
    does not parse or is of another record than `log`, naming its place (`what`: checkpoint, receipt)."""
    by_key: dict[int, list[tuple[int, _Signed]]] = {}
    for i, raw in enumerate(raws):
        try:
            parsed = parse(raw)
        except DomainError as exc:
            raise _stop(None, exc, **{what: i}) from None
        if parsed.log != log:
            raise _stop(None, WrongLog(expected=log, found=parsed.log), **{what: i})
        by_key.setdefault(key(parsed), []).append((i, parsed))
    return by_key


class _Walk:
    """The sequential stage: cheap checks that need the entries before, in stored order."""

    def __init__(
        self,
        log: str,
        *,
        bodies: BodyLookup,
        visible: frozenset[str],
        evidence: _Evidence,
        rules: bool,
        not_after: int | None,
        cited: CitedHook | None = None,
    ) -> None:
        self.log = log
        self.cited = cited
        self.not_after = not_after
        self.bodies = bodies
        self.visible = visible
        self.evidence = evidence
        self.size = 0
        self.head = ""
        self.frontier = Frontier()
        self.acts: dict[str, int] = {}
        self.state: Any = replay.initial_state(log) if rules else None
        self.replayed = 0
        self.split_seen = False
        self.erased: dict[int, BodyKey] = {}

    def take(self, raw: bytes, checked: Checked | Rejected) -> None:
        seq = self.size + 1
        if isinstance(checked, Rejected):
            raise _Stop(seq, checked.code, dict(checked.detail))
        if checked.log != self.log:
            raise _stop(seq, WrongLog(seq=checked.seq, expected=self.log, found=checked.log))
        if checked.seq != seq:
            raise _stop(seq, SeqGap(expected=seq, found=checked.seq))
        if checked.prev != self.head:
            raise _stop(seq, BrokenChain(seq=seq, expected=self.head, found=checked.prev))
        first = self.acts.get(checked.act_id)
        if first is not None:
            raise _stop(seq, DuplicateAct(seq=seq, first_seq=first, act=checked.act_id))
        entry = checked.entry(raw)
        kind = replay.ACT_KINDS.get(entry.type)
        if kind is not None and kind.cited_elsewhere:
            # Its signatures held (check_entry_batch): a citation of it, in another record verified
            # later in this process, need not check them again.
            note_checked_header(entry)
        try:
            body = read_body(self, entry, bodies=self.bodies, visible=self.visible, not_after=self.not_after)
        except DomainError as exc:
            raise _stop(seq, exc) from None
        if self.state is not None:
            self._replay(entry, body)
        self.size = seq
        self.head = checked.hash
        self.frontier = self.frontier.append(checked.hash)
        self.acts[checked.act_id] = seq
        self._check_evidence_at(seq)

    def _replay(self, entry: Entry, body: Body | None) -> None:
        act = None
        kind = replay.ACT_KINDS.get(entry.type)
        if self.cited is not None and kind is not None and kind.cites_in and body is not None:
            try:
                act = replay.read_act(kind, entry, body)
            except DomainError:
                act = None  # replay reads it again and refuses it, its checks in their order
        try:
            # A refused entry stops the walk, so no copy of the state is kept for it.
            self.state = replay.apply_entry(self.state, entry, body, act=act, keep=False)
            if self.cited is not None and act is not None:
                self.cited(entry, act.citations(seq=entry.seq))
        except MalformedBody as exc:
            if body is None and exc.detail.get("reason") == BODY_NEEDED:
                # Not a broken rule: this verifier may not see the body, so it can check no further rules.
                self.state = None
                return
            raise _stop(entry.seq, exc) from None
        except DomainError as exc:
            raise _stop(entry.seq, exc) from None
        self.replayed = entry.seq

    def _check_evidence_at(self, size: int) -> None:
        checkpoints = self.evidence.checkpoints.get(size, ())
        if checkpoints:
            root = self.frontier.root()
            for i, cp in checkpoints:
                if cp.root != root:
                    error: DomainError = InconsistentCheckpoint(
                        reason="root_differs", size=size, node=cp.node
                    )
                    raise _stop(size, error, checkpoint=i, expected=cp.root, found=root)
        for i, receipt in self.evidence.receipts.get(size, ()):
            if receipt.entry != self.head:
                error = ReceiptNotHonoured(reason="fork", seq=size, node=receipt.node)
                raise _stop(size, error, receipt=i, expected=receipt.entry, found=self.head)

    def check_erasures(self) -> None:
        """Fail on a body erased without an erasure act naming it (only known when rules replayed to
        the end: the act that allows an erasure may come anywhere after the entry)."""
        if self.state is None:
            return
        bad = unauthorised_erasures(self.state, self.erased)
        if bad:
            hash, vis = self.erased[bad[0]]
            raise _Stop(bad[0], "unauthorised_erasure", {"seq": bad[0], "body": hash, "vis": vis})

    def check_evidence_beyond(self) -> None:
        """Fail on evidence the record is too short to honour: a rollback or a withheld entry."""
        for i, cp in self.evidence.checkpoints.get(0, ()):
            if cp.root != EMPTY_ROOT:
                raise _stop(None, InconsistentCheckpoint(reason="root_differs", size=0), checkpoint=i)
        for size, cps in sorted(self.evidence.checkpoints.items()):
            roots = {cp.root for _, cp in cps}
            if size > self.size and len(roots) > 1:
                equivocation = InconsistentCheckpoint(reason="equivocation", size=size, roots=sorted(roots))
                raise _stop(None, equivocation, checkpoint=cps[-1][0])
        claims: list[tuple[int, str, int, DomainError]] = []
        for size, cps in self.evidence.checkpoints.items():
            if size > self.size:
                i, cp = cps[0]
                shorter = InconsistentCheckpoint(reason="record_shorter", size=size, node=cp.node)
                claims.append((size, "checkpoint", i, shorter))
        for seq, receipts in self.evidence.receipts.items():
            if seq > self.size:
                i, receipt = receipts[0]
                claims.append(
                    (seq, "receipt", i, ReceiptNotHonoured(reason="missing", seq=seq, node=receipt.node))
                )
        if claims:
            _, kind, i, claim = min(claims, key=lambda c: (c[0], c[1]))
            raise _stop(self.size + 1, claim, record_size=self.size, **{kind: i})


def _batches(entries: Iterable[bytes], size: int, kept: deque[list[bytes]]) -> Iterator[list[bytes]]:
    batch: list[bytes] = []
    for raw in entries:
        batch.append(raw)
        if len(batch) >= size:
            kept.append(batch)
            yield batch
            batch = []
    if batch:
        kept.append(batch)
        yield batch


def verify_record(
    log: str,
    entries: Iterable[bytes],
    *,
    bodies: BodyLookup,
    checkpoints: Iterable[bytes] = (),
    receipts: Iterable[bytes] = (),
    visible: frozenset[str] = DEFAULT_VISIBLE,
    map_batches: Callable[..., Iterable[list[Checked | Rejected]]] = map,
    batch_size: int = 2000,
    progress: Callable[[int], None] | None = None,
    rules: bool = True,
    not_after: int | None = None,
    cited: CitedHook | None = None,
) -> VerifyReport:
    """Verify record `log` from its exact header bytes in stored order; name the first failure.

    `bodies` looks a body up by (hash, visibility) and returns the Body, None (not held) or ERASED.
    Bodies whose visibility is in `visible` must be held or erased. `map_batches(check_entry_batch,
    batches)` may run the per-entry checks in other processes; it must yield results in the order of
    the batches. `rules=False` skips step 8 (the assembly's rules): what a structural verifier such as
    the browser's checks, so its expected outcomes can be written down (docs/record-vectors.json).
    `not_after` (ms) refuses entries dated later: a checker with a clock passes its time plus the skew
    it allows (`check_not_future`); without one, dates are only checked against each other.
    `cited` is handed the citations of each act whose rules replayed, as replay read them (a checker
    that compares them with its copies of the cited records, without reading the acts again).
    """
    walk: _Walk | None = None
    try:
        evidence = _parse_evidence(log, checkpoints, receipts)
        walk = _Walk(
            log,
            bodies=bodies,
            visible=visible,
            evidence=evidence,
            rules=rules,
            not_after=not_after,
            cited=cited,
        )
        kept: deque[list[bytes]] = deque()
        results = map_batches(check_entry_batch, _batches(entries, batch_size, kept))
        for checked_batch in results:
            for raw, checked in zip(kept.popleft(), checked_batch, strict=True):
                walk.take(raw, checked)
            if progress is not None:
                progress(walk.size)
        walk.check_evidence_beyond()
        walk.check_erasures()
    except _Stop as stop:
        if walk is None:
            return VerifyReport(False, 0, "", EMPTY_ROOT, stop.problem)
        return VerifyReport(False, walk.size, walk.head, walk.frontier.root(), stop.problem, walk.replayed)
    return VerifyReport(True, walk.size, walk.head, walk.frontier.root(), None, walk.replayed)
