"""Extending a verified record with entries from elsewhere: the check a follower runs before storing.

A follower holds a verified prefix of a record (its `Tip`: size, head, Merkle frontier, replayed
state). `extend` takes the next entries' exact header bytes, with the per-entry results of
`verify.check_entry_batch` (which the caller may compute in other processes), and checks every rule of
docs/record-format.md section 11 that needs the entries before: log, seq, prev, that no act repeats,
the bodies, and rule replay. It returns the new tip and the parsed entries, or raises `Refused` naming
the first bad position. It checks the whole batch before returning, so a caller stores all or nothing.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from ayllu.core.assembly import replay
from ayllu.core.errors import (
    BrokenChain,
    DomainError,
    DuplicateAct,
    MalformedBody,
    SeqGap,
    WrongLog,
)
from ayllu.core.ledger.merkle import Frontier
from ayllu.core.ledger.record import Body, BodyKey, Entry
from ayllu.core.ledger.verify import (
    BODY_NEEDED,
    BodyLookup,
    Checked,
    Rejected,
    read_body,
    unauthorised_erasures,
)


class Refused(DomainError):
    """An entry a follower must not store; `code` of the first failure is in detail["problem"]."""

    code = "entry_refused"


@dataclass(slots=True)
class Tip:
    """What a follower has verified of one record; `state` is None once replay needed an unseen body."""

    log: str
    size: int
    head: str
    frontier: Frontier
    state: replay.AssemblyState | None
    replayed: int
    split_seen: bool = False
    # Bodies held as erased, by seq, until an erasure act names them (see `unauthorised_erasures`).
    erased: dict[int, BodyKey] = field(default_factory=dict)

    def check_erasures(self) -> None:
        """Raise `Refused` for the first body held as erased that no erasure act up to here names.

        Call it at the end of what the source holds: the act that allows an erasure comes after the
        entry whose words it erases, perhaps in a later batch.
        """
        if self.state is None:
            return
        bad = unauthorised_erasures(self.state, self.erased)
        if bad:
            hash, vis = self.erased[bad[0]]
            raise Refused(seq=bad[0], problem="unauthorised_erasure", body=hash, vis=vis)


def empty_tip(log: str) -> Tip:
    """The tip of a record of which nothing is held yet."""
    return Tip(log, 0, "", Frontier(), replay.initial_state(log), 0)


def _refuse(seq: int, error: DomainError) -> Refused:
    return Refused(seq=seq, problem=error.code, **{k: v for k, v in error.detail.items() if k != "seq"})


def extend(
    tip: Tip,
    raws: Sequence[bytes],
    checked: Sequence[Checked | Rejected],
    *,
    bodies: BodyLookup,
    visible: frozenset[str],
    earlier_acts: Mapping[str, int],
    on_entry: Callable[[Entry, Body | None], None] | None = None,
    not_after: int | None = None,
) -> list[Entry]:
    """Check `raws` as the entries after `tip`, advancing `tip` in place only if all of them hold.

    `earlier_acts` maps the act ids of this batch already in the stored record to their seq. On
    failure `tip` may have been partly advanced: callers rebuild it (see actions.replication).
    `not_after` (ms) refuses an entry dated later (`verify.check_not_future`).
    """
    entries: list[Entry] = []
    acts: dict[str, int] = {}
    for raw, result in zip(raws, checked, strict=True):
        seq = tip.size + 1
        if isinstance(result, Rejected):
            raise Refused(
                seq=seq, problem=result.code, **{k: v for k, v in result.detail.items() if k != "seq"}
            )
        if result.log != tip.log:
            raise _refuse(seq, WrongLog(expected=tip.log, found=result.log))
        if result.seq != seq:
            raise _refuse(seq, SeqGap(expected=seq, found=result.seq))
        if result.prev != tip.head:
            raise _refuse(seq, BrokenChain(expected=tip.head, found=result.prev))
        first = earlier_acts.get(result.act_id, acts.get(result.act_id))
        if first is not None:
            raise _refuse(seq, DuplicateAct(first_seq=first, act=result.act_id))
        entry = result.entry(raw)
        try:
            body = read_body(tip, entry, bodies=bodies, visible=visible, not_after=not_after)
        except DomainError as exc:
            raise _refuse(seq, exc) from None
        if tip.state is not None:
            _replay(tip, entry, body)
        acts[result.act_id] = seq
        tip.size, tip.head = seq, result.hash
        tip.frontier = tip.frontier.append(result.hash)
        entries.append(entry)
        if on_entry is not None:
            on_entry(entry, body)
    return entries


def _replay(tip: Tip, entry: Entry, body: Body | None) -> None:
    assert tip.state is not None
    try:
        tip.state = replay.apply_entry(tip.state, entry, body)
    except MalformedBody as exc:
        if body is None and exc.detail.get("reason") == BODY_NEEDED:
            tip.state = None  # this follower may not see the body: it can check no further rules
            return
        raise _refuse(entry.seq, exc) from None
    except DomainError as exc:
        raise _refuse(entry.seq, exc) from None
    tip.replayed = entry.seq
