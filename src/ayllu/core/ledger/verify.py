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
from typing import Any, NamedTuple

from ayllu.core.assembly import replay
from ayllu.core.errors import (
    BadAuthorSignature,
    BadNodeSignature,
    BodyTooLarge,
    BrokenChain,
    DomainError,
    DuplicateAct,
    InconsistentCheckpoint,
    MalformedBody,
    MissingBody,
    ReceiptNotHonoured,
    SeqGap,
    WrongBodyHash,
    WrongLog,
)
from ayllu.core.ledger.checkpoints import Checkpoint, Receipt, parse_checkpoint, parse_receipt
from ayllu.core.ledger.keys import ACT_CONTEXT, ENTRY_CONTEXT, verify_signature
from ayllu.core.ledger.merkle import EMPTY_ROOT, Frontier
from ayllu.core.ledger.record import Act, Body, BodyKey, Entry, max_body_bytes, parse_entry

DEFAULT_VISIBLE = frozenset({"public", "members"})
BODY_NEEDED = "body_needed_for_rules"  # the reason replay gives when a rule needs a body it was not given


class Erased(enum.Enum):
    """The marker a body lookup returns for a body erased for privacy: accepted, never replayed."""

    ERASED = "erased"


ERASED = Erased.ERASED

# Looks a body up by (hash, visibility): two acts may carry the same bytes under different visibilities,
# and each is kept, erased and shown on its own.
BodyLookup = Callable[[BodyKey], Body | Erased | None]


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


def _without_nsig(raw: bytes, nsig: str) -> bytes:
    """The node's signed bytes: canonical(header without "nsig"), cut from the checked canonical header.

    Canonical JSON is its members in key order, and no string can hold `,"` unescaped, so removing the
    one member `,"nsig":"<hex>"` gives exactly the canonical form of the rest (as Entry.node_signing_bytes).
    """
    return raw.replace(b',"nsig":"' + nsig.encode() + b'"', b"", 1)


def _check_one(raw: bytes) -> Checked | Rejected:
    try:
        entry = parse_entry(raw)
        act = entry.act
        signed = act.signing_bytes()
        if not verify_signature(act.author, ACT_CONTEXT, signed, entry.asig):
            raise BadAuthorSignature(seq=entry.seq, author=act.author)
        if not verify_signature(entry.node, ENTRY_CONTEXT, _without_nsig(raw, entry.nsig), entry.nsig):
            raise BadNodeSignature(seq=entry.seq, node=entry.node)
    except DomainError as exc:
        return Rejected(exc.code, exc.detail)
    act_id = hashlib.sha256(ACT_CONTEXT + signed).hexdigest()
    return Checked(
        entry.seq, entry.prev, entry.time, act.log, act.type, act.author, act.vis, act.body, act.nonce,
        entry.asig, entry.node, entry.nsig, entry.hash, act_id,
    )  # fmt: skip


def check_entry_batch(raws: Sequence[bytes]) -> list[Checked | Rejected]:
    """Parse and check the signatures of a batch of raw headers; picklable, for `map_batches`."""
    return [_check_one(raw) for raw in raws]


class _Stop(Exception):
    def __init__(self, seq: int | None, code: str, detail: dict[str, Any]) -> None:
        super().__init__()
        self.problem = Problem(seq, code, detail)


def _stop(seq: int | None, error: DomainError, **extra: Any) -> _Stop:
    return _Stop(seq, error.code, {**error.detail, **extra})


@dataclass(frozen=True, slots=True)
class _Evidence:
    checkpoints: dict[int, list[tuple[int, Checkpoint]]]
    receipts: dict[int, list[tuple[int, Receipt]]]


def _parse_evidence(log: str, checkpoints: Iterable[bytes], receipts: Iterable[bytes]) -> _Evidence:
    by_size: dict[int, list[tuple[int, Checkpoint]]] = {}
    for i, raw in enumerate(checkpoints):
        try:
            cp = parse_checkpoint(raw)
        except DomainError as exc:
            raise _stop(None, exc, checkpoint=i) from None
        if cp.log != log:
            raise _stop(None, WrongLog(expected=log, found=cp.log), checkpoint=i)
        by_size.setdefault(cp.size, []).append((i, cp))
    by_seq: dict[int, list[tuple[int, Receipt]]] = {}
    for i, raw in enumerate(receipts):
        try:
            receipt = parse_receipt(raw)
        except DomainError as exc:
            raise _stop(None, exc, receipt=i) from None
        if receipt.log != log:
            raise _stop(None, WrongLog(expected=log, found=receipt.log), receipt=i)
        by_seq.setdefault(receipt.seq, []).append((i, receipt))
    return _Evidence(by_size, by_seq)


class _Walk:
    """The sequential stage: cheap checks that need the entries before, in stored order."""

    def __init__(self, log: str, *, bodies: BodyLookup, visible: frozenset[str], evidence: _Evidence) -> None:
        self.log = log
        self.bodies = bodies
        self.visible = visible
        self.evidence = evidence
        self.size = 0
        self.head = ""
        self.frontier = Frontier()
        self.acts: dict[str, int] = {}
        self.state: Any = replay.initial_state(log)
        self.replayed = 0

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
        act = Act(checked.log, checked.type, checked.author, checked.vis, checked.body, checked.nonce)
        entry = Entry(
            raw, checked.seq, checked.prev, checked.time, act, checked.asig, checked.node, checked.nsig,
            checked.hash,
        )  # fmt: skip
        body = self._body(entry)
        if self.state is not None:
            self._replay(entry, body)
        self.size = seq
        self.head = checked.hash
        self.frontier = self.frontier.append(checked.hash)
        self.acts[checked.act_id] = seq
        self._check_evidence_at(seq)

    def _replay(self, entry: Entry, body: Body | None) -> None:
        try:
            self.state = replay.apply_entry(self.state, entry, body)
        except MalformedBody as exc:
            if body is None and exc.detail.get("reason") == BODY_NEEDED:
                # Not a broken rule: this verifier may not see the body, so it can check no further rules.
                self.state = None
                return
            raise _stop(entry.seq, exc) from None
        except DomainError as exc:
            raise _stop(entry.seq, exc) from None
        self.replayed = entry.seq

    def _body(self, entry: Entry) -> Body | None:
        found = self.bodies((entry.act.body, entry.act.vis))
        if found is ERASED:
            return None
        if found is None:
            if entry.act.vis in self.visible:
                raise _stop(entry.seq, MissingBody(seq=entry.seq, body=entry.act.body, vis=entry.act.vis))
            return None
        assert isinstance(found, Body)
        if found.hash != entry.act.body or found.vis != entry.act.vis:
            raise _stop(
                entry.seq,
                WrongBodyHash(seq=entry.seq, expected=entry.act.body, found=found.hash, vis=found.vis),
            )
        if len(found.raw) > max_body_bytes(entry.act.type):
            raise _stop(entry.seq, BodyTooLarge(seq=entry.seq, size=len(found.raw)))
        try:
            found.content()  # canonical JSON of an object, whether or not a rule reads it
        except DomainError as exc:
            raise _stop(entry.seq, exc, body=found.hash) from None
        return found

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
) -> VerifyReport:
    """Verify record `log` from its exact header bytes in stored order; name the first failure.

    `bodies` looks a body up by (hash, visibility) and returns the Body, None (not held) or ERASED.
    Bodies whose visibility is in `visible` must be held or erased. `map_batches(check_entry_batch,
    batches)` may run the per-entry checks in other processes; it must yield results in the order of
    the batches.
    """
    walk: _Walk | None = None
    try:
        evidence = _parse_evidence(log, checkpoints, receipts)
        walk = _Walk(log, bodies=bodies, visible=visible, evidence=evidence)
        kept: deque[list[bytes]] = deque()
        results = map_batches(check_entry_batch, _batches(entries, batch_size, kept))
        for checked_batch in results:
            for raw, checked in zip(kept.popleft(), checked_batch, strict=True):
                walk.take(raw, checked)
            if progress is not None:
                progress(walk.size)
        walk.check_evidence_beyond()
    except _Stop as stop:
        if walk is None:
            return VerifyReport(False, 0, "", EMPTY_ROOT, stop.problem)
        return VerifyReport(False, walk.size, walk.head, walk.frontier.root(), stop.problem, walk.replayed)
    return VerifyReport(True, walk.size, walk.head, walk.frontier.root(), None, walk.replayed)
