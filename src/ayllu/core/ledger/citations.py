"""Citations: an act in one record naming an entry of another record, with what proves it is there.

A citation is the canonical JSON object (docs/record-format.md section 14)

    {"v": 1, "log": L, "seq": i, "entry": entry hash, "header": exact header text,
     "checkpoint": exact checkpoint text, "proof": [audit path, leaf side first]}

Anyone can check it with SHA-256 and Ed25519 alone: the header is the cited entry, signed by its author
and its node; the checkpoint is signed; the audit path puts the entry in the checkpoint's tree. That is
"checked by proof only": it shows a node signed a record holding the entry, not that the record is the
cited assembly's only record, nor that its rules hold. A checker that holds the cited record also finds
out whether the checkpoint's node is the record's sealer at that size, whether the checkpoint agrees
with its copy (no fork), whether the node signed more before (no rollback), and whether the rules hold
up to the cited entry; a conflict is refused with evidence that anyone can re-check
(core/ledger/evidence.py).

The core neither reads storage nor fetches: the checker describes what it holds as a `HeldCopy`.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from ayllu.core.errors import (
    BadProof,
    CitationBadCheckpoint,
    CitationBadEntry,
    CitationBadProof,
    CitationError,
    CitationFork,
    CitationRolledBack,
    CitationRuleBroken,
    DomainError,
    EncodingError,
    MalformedCitation,
)
from ayllu.core.ledger.canonical import canonical_bytes, is_count, parse_canonical
from ayllu.core.ledger.checked_texts import (
    checked_checkpoint,
    checked_header,
    kept_for_process,
    known_checkpoint,
    known_header,
)
from ayllu.core.ledger.checkpoints import Checkpoint
from ayllu.core.ledger.evidence import equivocation_evidence, fork_evidence, rollback_evidence
from ayllu.core.ledger.keys import all_hex, is_hex
from ayllu.core.ledger.merkle import check_inclusion, root_of
from ayllu.core.ledger.record import FORMAT_VERSION, HASH_LENGTH, Body, Entry

CITATION_FIELDS = frozenset(("v", "log", "seq", "entry", "header", "checkpoint", "proof"))
# An audit path has one hash per level of the tree: 53 levels cover every size a seq may reach (2^53).
MAX_PROOF_LENGTH = 53
RECORD_MOVED = "record.moved"  # as core.ledger.succession names it (which imports the assembly layer)
T = TypeVar("T")

Checked = Literal["proof", "record", "rules"]


@dataclass(frozen=True, slots=True)
class Citation:
    """A well-formed citation whose header and checkpoint parse and whose signatures hold by their keys.

    `parse_citation` is the only way to make one, so holding a `Citation` means steps 1 to 3 of
    record-format.md 14.2 passed; `check_citation` does the rest.
    """

    log: str
    seq: int
    entry: str
    header: Entry
    checkpoint: Checkpoint
    proof: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        """The citation as the JSON object the record format defines (to put in an act's body)."""
        return {
            "v": FORMAT_VERSION,
            "log": self.log,
            "seq": self.seq,
            "entry": self.entry,
            "header": self.header.raw.decode("utf-8"),
            "checkpoint": self.checkpoint.raw.decode("utf-8"),
            "proof": list(self.proof),
        }

    def raw(self) -> bytes:
        """The citation's canonical bytes."""
        return canonical_bytes(self.as_json())


@dataclass(frozen=True, slots=True)
class HeldCopy:
    """What a checker holds of the cited record, as far as one citation needs it.

    `entry` is its entry at the cited seq (None beyond its copy); `root` its Merkle root at the
    checkpoint's size and `sealers` the keys that may sign a checkpoint of that size (both None beyond
    its copy); `sealer_now` the record's node at the copy's head (it confirms the signer of a checkpoint
    beyond the copy, the record having not moved since as far as the checker knows); `replayed` how
    many entries had their rules replayed, and `broken` the (seq, code) of the first entry whose rules
    fail, if any. `signed_before` holds checkpoints and entries signed by the
    checkpoint's node beyond the checkpoint's size, and `same_size` that node's checkpoints of that size:
    the candidates for rollback and equivocation evidence.
    """

    size: int
    entry: Entry | None
    root: str | None
    sealers: frozenset[str] | None
    sealer_now: str
    replayed: int
    broken: tuple[int, str] | None = None
    signed_before: tuple[Checkpoint | Entry, ...] = ()
    same_size: tuple[Checkpoint, ...] = ()


@dataclass(frozen=True, slots=True)
class CitationVerdict:
    """A citation that holds, and how far it was checked.

    `checked` is "proof" (by proof only: the checker does not hold the cited entry), "record" (its copy
    holds the same entry, and the same root at the checkpoint's size where it reaches it) or "rules"
    (also replayed the cited record's rules through the cited entry). `sealer_confirmed` says whether
    the checkpoint's node is known to be the record's sealer at that size; `ahead` that the checkpoint
    is larger than the checker's copy (follow the record to check the rest).
    """

    log: str
    seq: int
    entry: str
    type: str
    size: int
    node: str
    checked: Checked
    sealer_confirmed: bool
    held: int
    replayed: int
    ahead: bool


def _form(obj: object) -> dict[str, Any]:
    if not isinstance(obj, dict):
        raise MalformedCitation(field="object")
    if set(obj) != CITATION_FIELDS:
        missing, extra = sorted(CITATION_FIELDS - set(obj)), sorted(set(obj) - CITATION_FIELDS)
        raise MalformedCitation(field="fields", missing=missing, extra=extra)
    if obj["v"] != FORMAT_VERSION or isinstance(obj["v"], bool):
        raise MalformedCitation(field="v")
    if not is_hex(obj["log"], HASH_LENGTH):
        raise MalformedCitation(field="log")
    if not is_count(obj["seq"], minimum=1):
        raise MalformedCitation(field="seq")
    if not is_hex(obj["entry"], HASH_LENGTH):
        raise MalformedCitation(field="entry")
    for name in ("header", "checkpoint"):
        if not isinstance(obj[name], str):
            raise MalformedCitation(field=name)
    proof = obj["proof"]
    if not isinstance(proof, list) or len(proof) > MAX_PROOF_LENGTH:
        raise MalformedCitation(field="proof")
    if not all_hex(proof, HASH_LENGTH):
        raise MalformedCitation(field="proof")
    return obj


def _reason(exc: DomainError) -> dict[str, Any]:
    return {"reason": exc.code, **{("cause" if k == "reason" else k): v for k, v in exc.detail.items()}}


# The fields of a citation as a key, each of exactly the kind the form requires (an `int` `v` or `seq`,
# never a `bool`, which compares equal to it).
_KEY_KINDS = (("v", int), ("log", str), ("seq", int), ("entry", str), ("header", str), ("checkpoint", str))
CitationKey = tuple[int, str, int, str, str, str, tuple[str, ...]]


def _checked(check: Callable[[bytes], T], text: str, *, refused: type[CitationError]) -> T:
    """`check` of the text's UTF-8 bytes; raise `refused` with the reason it failed."""
    try:
        return check(text.encode("utf-8"))
    except (DomainError, UnicodeEncodeError) as exc:
        detail = _reason(exc) if isinstance(exc, DomainError) else {"reason": "not_json"}
        raise refused(**detail) from None


def _key(value: object) -> CitationKey | None:
    """The citation's exact fields as a key, or None for a value not of the citation's kinds."""
    if type(value) is not dict or value.keys() != CITATION_FIELDS:
        return None
    proof = value["proof"]
    if type(proof) is not list or any(type(p) is not str for p in proof):
        return None
    if any(type(value[name]) is not kind for name, kind in _KEY_KINDS):
        return None
    v, log, seq, entry, header, checkpoint = (value[name] for name, _ in _KEY_KINDS)
    return v, log, seq, entry, header, checkpoint, tuple(proof)


def _parse_key(key: CitationKey) -> Citation:
    fields = {name: part for (name, _), part in zip(_KEY_KINDS, key, strict=False)}
    return _parse({**fields, "proof": list(key[6])})


# A citation read whole once in this process (its proof too) is not read again: the same citation is
# read by replay and again to compare it with the copies held (core.ledger.checked_texts says why).
_READ = kept_for_process(_parse_key)


def parse_citation(value: object) -> Citation:
    """Read a citation (a JSON value, as found in an act's body): steps 1 to 4 of record-format.md 14.2.

    Raise MalformedCitation, CitationBadCheckpoint, CitationBadEntry or CitationBadProof, in that order.
    """
    key = _key(value)
    if key is None:
        return _parse(value)
    found = _READ.known(key)
    if found is not None:
        return found
    citation = _parse_key(key)
    # kept only when every text was checked here, none vouched for (core.ledger.checked_texts)
    if (
        known_header(citation.header.raw) is not None
        and known_checkpoint(citation.checkpoint.raw) is not None
    ):
        _READ.note(key, citation)
    return citation


def _parse(value: object) -> Citation:
    obj = _form(value)
    log, seq, entry_hash = obj["log"], obj["seq"], obj["entry"]
    checkpoint = _checked(checked_checkpoint, obj["checkpoint"], refused=CitationBadCheckpoint)
    if checkpoint.log != log:
        raise CitationBadCheckpoint(reason="wrong_log", expected=log, found=checkpoint.log)
    header = _checked(checked_header, obj["header"], refused=CitationBadEntry)
    if header.log != log:
        raise CitationBadEntry(reason="wrong_log", expected=log, found=header.log)
    if header.seq != seq:
        raise CitationBadEntry(reason="wrong_seq", expected=seq, found=header.seq)
    if header.hash != entry_hash:
        raise CitationBadEntry(reason="wrong_hash", expected=entry_hash, found=header.hash)
    proof = tuple(obj["proof"])
    try:
        check_inclusion(entry_hash, index=seq - 1, size=checkpoint.size, proof=proof, root=checkpoint.root)
    except BadProof as exc:
        raise CitationBadProof(**exc.detail) from None
    return Citation(log, seq, entry_hash, header, checkpoint, proof)


def parse_citation_bytes(raw: bytes) -> Citation:
    """Read a citation from its exact bytes, which must be canonical JSON (record-format.md section 2)."""
    return parse_citation(parse_canonical(raw))


# A citation is a few kilobytes (two signed texts, at most 53 hashes); a text past this is none.
MAX_CITATION_TEXT = 16_000


def read_citation_text(text: str) -> Citation:
    """Read a citation a person pasted or a client sent as text: its canonical bytes, space around it
    ignored. A text that does not read as canonical JSON is `malformed_citation` (field `text`, reason
    the reading code: `not_json`, `forbidden_value`, `non_canonical`), so the person is told it is the
    citation that is wrong, not an entry."""
    if len(text) > MAX_CITATION_TEXT:
        raise MalformedCitation(field="text", reason="too_large", length=len(text), limit=MAX_CITATION_TEXT)
    try:
        value = parse_canonical(text.strip().encode("utf-8", "surrogatepass"))
    except EncodingError as exc:
        raise MalformedCitation(field="text", reason=exc.code) from None
    return parse_citation(value)


def build_citation(header: Entry, *, checkpoint: Checkpoint, proof: Sequence[str]) -> Citation:
    """Make a citation of `header` from a checkpoint covering it and the audit path between them."""
    return parse_citation(
        {
            "v": FORMAT_VERSION,
            "log": header.log,
            "seq": header.seq,
            "entry": header.hash,
            "header": header.raw.decode("utf-8"),
            "checkpoint": checkpoint.raw.decode("utf-8"),
            "proof": list(proof),
        }
    )


def _text(raw: bytes) -> str:
    return raw.decode("utf-8")


def _check_rollback(citation: Citation, held: HeldCopy) -> None:
    checkpoint = citation.checkpoint
    for earlier in held.signed_before:
        size = earlier.size if isinstance(earlier, Checkpoint) else earlier.seq
        if earlier.node == checkpoint.node and size > checkpoint.size and earlier.time < checkpoint.time:
            raise CitationRolledBack(
                node=checkpoint.node,
                size=checkpoint.size,
                signed_before=size,
                evidence=_text(rollback_evidence(earlier, checkpoint)),
            )


def _check_fork(citation: Citation, held: HeldCopy) -> None:
    mine = held.entry
    if mine is not None and mine.hash != citation.entry:
        detail: dict[str, Any] = {
            "reason": "entry_differs",
            "seq": citation.seq,
            "held": _text(mine.raw),
            "cited": _text(citation.header.raw),
        }
        if mine.node == citation.header.node:
            detail["evidence"] = _text(fork_evidence(mine, citation.header))
        raise CitationFork(**detail)
    checkpoint = citation.checkpoint
    if held.root is not None and held.root != checkpoint.root:
        detail = {"reason": "root_differs", "size": checkpoint.size, "held_root": held.root}
        for other in held.same_size:
            same = other.node == checkpoint.node and other.size == checkpoint.size
            if same and other.root != checkpoint.root:
                detail["evidence"] = _text(equivocation_evidence(other, checkpoint))
                break
        raise CitationFork(**detail)


def check_citation(
    citation: Citation, *, held: HeldCopy | None = None, sealers: frozenset[str] | None = None
) -> CitationVerdict:
    """Check a parsed citation against what the checker holds of the cited record: steps 5 to 8 of
    record-format.md 14.2. Return how far it was checked, or raise the first failing step's error.

    `sealers`: keys the checker knows as the cited record's sealers when its copy does not reach the
    checkpoint's size (from a federation's membership, say); without them and without a copy, the
    checkpoint's node is reported as unconfirmed.
    """
    checkpoint = citation.checkpoint
    known = held.sealers if held is not None and held.sealers is not None else sealers
    if known is None and held is not None and checkpoint.node == held.sealer_now:
        known = frozenset((held.sealer_now,))
    if known is not None and checkpoint.node not in known:
        raise CitationBadCheckpoint(reason="not_the_sealer", node=checkpoint.node, sealers=sorted(known))
    if held is not None:
        _check_fork(citation, held)
        _check_rollback(citation, held)
        if held.broken is not None and held.broken[0] <= citation.seq:
            raise CitationRuleBroken(seq=held.broken[0], rule=held.broken[1])
    checked: Checked = "proof"
    if held is not None and held.entry is not None:
        checked = "rules" if held.replayed >= citation.seq else "record"
    return CitationVerdict(
        log=citation.log,
        seq=citation.seq,
        entry=citation.entry,
        type=citation.header.type,
        size=checkpoint.size,
        node=checkpoint.node,
        checked=checked,
        sealer_confirmed=known is not None,
        held=0 if held is None else held.size,
        replayed=0 if held is None else held.replayed,
        ahead=held is None or checkpoint.size > held.size,
    )


def sealers_at(entry: Entry, moved_to: str | None = None) -> frozenset[str]:
    """Who may sign a checkpoint of size `entry.seq`: the node that sealed that entry, and, when the entry
    is a `record.moved`, the node it moved the record to (`moved_to`, from its public body)."""
    return frozenset((entry.node,) if moved_to is None else (entry.node, moved_to))


def move_target(entry: Entry, body: Body | None) -> str | None:
    """The node a `record.moved` entry names (None for any other entry, or without its body)."""
    if entry.type != RECORD_MOVED or body is None:
        return None
    node = body.content().get("node")
    return node if isinstance(node, str) else None


def held_copy_of(
    entries: Sequence[Entry],
    *,
    citation: Citation,
    checkpoints: Sequence[Checkpoint] = (),
    replayed: int | None = None,
    broken: tuple[int, str] | None = None,
    body_of: Callable[[Entry], Body | None] = lambda _: None,
) -> HeldCopy:
    """Describe a whole copy held in memory (entries 1..n in order) for one citation: what a checker
    that holds the record in memory (tests, the vectors, an export file) passes to `check_citation`."""
    size, checkpoint = len(entries), citation.checkpoint
    within = checkpoint.size <= size
    last = entries[checkpoint.size - 1] if within and checkpoint.size else None
    signed_before: list[Checkpoint | Entry] = [
        c for c in checkpoints if c.node == checkpoint.node and c.size > checkpoint.size
    ]
    # The first entry the node sealed beyond the checkpoint is the earliest dated: the strongest witness.
    beyond = [e for e in entries[checkpoint.size :] if e.node == checkpoint.node]
    signed_before.extend(beyond[:1])
    return HeldCopy(
        size=size,
        entry=entries[citation.seq - 1] if citation.seq <= size else None,
        root=root_of([e.hash for e in entries[: checkpoint.size]]) if within else None,
        sealers=None if last is None else sealers_at(last, move_target(last, body_of(last))),
        sealer_now=entries[-1].node if entries else "",
        replayed=size if replayed is None else replayed,
        broken=broken,
        signed_before=tuple(signed_before),
        same_size=tuple(c for c in checkpoints if c.size == checkpoint.size),
    )
