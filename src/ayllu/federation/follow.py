"""Following a peer's record: fetch, verify everything, store; detect forks, rollbacks and withholding.

One sync (`follow_record`) asks the peer for its latest checkpoint, compares it with every checkpoint
seen before from that node, then fetches the entries this node lacks in batches with their bodies.
Each batch is checked in full (bytes, signatures, chain, acts, bodies, rule replay) and stored in one
transaction, so an interrupted sync resumes from the last stored batch and nothing unverified is ever
stored. Transport noise (a line repeated, lines out of order, a short answer) is tolerated; anything
signed that contradicts what this node holds becomes evidence, kept and passed on to peers.
"""

from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from ayllu.actions import replication as act
from ayllu.core.errors import DomainError
from ayllu.core.ledger import evidence as ev
from ayllu.core.ledger.checkpoints import Checkpoint, Receipt, parse_checkpoint, parse_receipt
from ayllu.core.ledger.merkle import root_of
from ayllu.core.ledger.record import Body, BodyKey, Entry, parse_entry
from ayllu.core.ledger.verify import ERASED, Checked, Erased, Rejected
from ayllu.core.ledger.witness import parse_cosignature
from ayllu.queries import replication as q
from ayllu.storage.errors import RecordNotFound

from .client import Peer, PeerError

DEFAULT_BATCH = 2000
VISIBLE_TO_FOLLOWERS = frozenset({"public"})

Progress = Callable[[int, int], None]


@dataclass(slots=True)
class FollowResult:
    """How one sync of one record went: sizes, the problem that stopped it, evidence found."""

    log: str
    size: int = 0
    target: int = 0
    stored: int = 0
    problem: str = ""
    detail: dict[str, Any] = field(default_factory=dict)
    evidence: list[ev.Evidence] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problem


def _local(log: str) -> tuple[int, str]:
    try:
        size, head, _ = q.get_record_tip(log)
    except RecordNotFound:
        return 0, ""
    return size, head


def _stored_entry(log: str, seq: int) -> Entry | None:
    raws = list(q.iter_entries_in_range(log, first=seq, last=seq)) if seq >= 1 else []
    return parse_entry(raws[0]) if raws else None


def _keep(result: FollowResult, raw: bytes, source: str) -> None:
    stored = act.do_store_evidence(raw, source=source)
    if stored is not None:
        result.evidence.append(stored)


def _check_fork(result: FollowResult, log: str, served: Entry, source: str) -> None:
    """A validly sealed entry at a seq this node holds: a fork when its hash differs, by the same node."""
    mine = _stored_entry(log, served.seq)
    if mine is not None and mine.hash != served.hash and mine.node == served.node:
        _keep(result, ev.fork_evidence(mine, served), source)


def _sorted_batch(
    raws: Sequence[bytes], checked: Sequence[Checked | Rejected]
) -> tuple[list[bytes], list[Checked | Rejected]]:
    """Drop repeated lines and order by seq: transport noise must not stop an honest sync."""
    seen: set[bytes] = set()
    pairs = []
    for raw, result in zip(raws, checked, strict=True):
        if raw in seen:
            continue
        seen.add(raw)
        pairs.append((raw, result))
    pairs.sort(key=lambda p: p[1].seq if isinstance(p[1], Checked) else 1 << 62)
    return [p[0] for p in pairs], [p[1] for p in pairs]


def _bodies(served: dict[BodyKey, Body | None]) -> dict[BodyKey, Body | Erased]:
    return {key: ERASED if b is None else b for key, b in served.items()}


class _Prefetch:
    """Downloads the next range of entries and bodies while the current one is verified and stored."""

    def __init__(self, peer: Peer, log: str) -> None:
        self.peer, self.log = peer, log
        self.pool = ThreadPoolExecutor(max_workers=1)
        self.pending: tuple[tuple[int, int], Future[_Download]] | None = None

    def _download(self, first: int, last: int) -> "_Download":
        raws = self.peer.entries(self.log, first=first, last=last)
        return raws, self.peer.bodies(self.log, first=first, last=last)

    def get(self, first: int, last: int) -> "_Download":
        pending, self.pending = self.pending, None
        if pending is not None and pending[0] == (first, last):
            return pending[1].result()
        return self._download(first, last)

    def ahead(self, first: int, last: int) -> None:
        self.pending = ((first, last), self.pool.submit(self._download, first, last))

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


_Download = tuple[list[bytes], dict[BodyKey, Body | None]]


def _fresh(
    raws: Sequence[bytes],
    *,
    size: int,
    log: str,
    source: str,
    result: FollowResult,
    map_batches: Callable[..., Iterable[Any]],
) -> tuple[list[bytes], list[Checked | Rejected]]:
    """Check a downloaded batch's bytes and signatures; set aside entries this node already holds."""
    raws, checked = _sorted_batch(raws, act.check_batch(raws, map_batches=map_batches))
    fresh_raws, fresh = [], []
    for raw, item in zip(raws, checked, strict=True):
        if isinstance(item, Checked) and item.seq <= size:
            _check_fork(result, log, parse_entry(raw), source)  # e.g. a stale or replayed response
        else:
            fresh_raws.append(raw)
            fresh.append(item)
    return fresh_raws, fresh


def _broken_chain(result: FollowResult, peer: Peer, log: str, size: int) -> None:
    """Compare our entry at `size` with the peer's: validly sealed by one node and different is a fork."""
    served = peer.entries(log, first=size, last=size)
    if served:
        checked = act.check_batch(served)
        if isinstance(checked[0], Checked):
            _check_fork(result, log, parse_entry(served[0]), peer.url)


def _check_receipts(result: FollowResult, log: str, receipts: Sequence[Receipt], source: str) -> None:
    size, _ = _local(log)
    for receipt in receipts:
        if receipt.log != log:
            continue
        if receipt.seq > size:
            _keep(result, ev.withheld_evidence(receipt, served=size), source)
            continue
        mine = _stored_entry(log, receipt.seq)
        if mine is not None and mine.hash != receipt.entry and mine.node == receipt.node:
            _keep(result, ev.receipt_fork_evidence(receipt, mine), source)


def _checkpoint_matches(result: FollowResult, peer: Peer, log: str, checkpoint: Checkpoint) -> None:
    if act.do_store_checkpoint(log, checkpoint):
        return
    _check_behind(result, peer, log, checkpoint)
    result.problem = "checkpoint_mismatch"


def _check_behind(result: FollowResult, peer: Peer, log: str, checkpoint: Checkpoint) -> None:
    """The peer claims no more than we hold: its checkpoint must still be a prefix of our record."""
    entries = [parse_entry(raw) for raw in q.iter_entries_in_range(log, first=1, last=checkpoint.size)]
    if root_of([e.hash for e in entries]) == checkpoint.root:
        return
    if all(e.node == checkpoint.node for e in entries):
        _keep(result, ev.mismatch_evidence(checkpoint, entries), peer.url)
    if checkpoint.size:
        # Two histories differ at every seq after the first difference: the last one shows the fork.
        _broken_chain(result, peer, log, checkpoint.size)
    result.problem = "diverged"
    result.detail = {"size": checkpoint.size, "node": checkpoint.node}


def _download_and_store(
    peer: Peer,
    log: str,
    checkpoint: Checkpoint,
    *,
    size: int,
    batch: int,
    result: FollowResult,
    progress: Progress | None,
    map_batches: Callable[..., Iterable[Any]],
    visible: frozenset[str],
) -> int:
    """Fetch, verify and store batches up to the checkpoint's size; return the size stored."""
    fetch = _Prefetch(peer, log)
    try:
        while size < checkpoint.size:
            last = min(size + batch, checkpoint.size)
            downloaded, bodies = fetch.get(size + 1, last)
            if last < checkpoint.size:
                fetch.ahead(last + 1, min(last + batch, checkpoint.size))
            check = partial(
                _fresh, size=size, log=log, source=peer.url, result=result, map_batches=map_batches
            )
            raws, checked = check(downloaded)
            if not raws:  # ask once more: one empty answer may be a stale or lost response
                downloaded, bodies = fetch.get(size + 1, last)
                raws, checked = check(downloaded)
            if not raws:
                if peer.node_key() == checkpoint.node:  # only the signer is to blame for not serving
                    _keep(result, ev.withheld_evidence(checkpoint, served=size), peer.url)
                result.problem = "withheld"
                break
            try:
                tip = act.do_extend_replica(
                    log, raws=raws, bodies=_bodies(bodies), visible=visible, checked=checked
                )
            except act.Refused as exc:
                result.problem, result.detail = str(exc.detail.get("problem", exc.code)), dict(exc.detail)
                if result.problem == "broken_chain" and exc.detail.get("seq") == size + 1:
                    _broken_chain(result, peer, log, size)
                break
            result.stored += tip.size - size
            size = tip.size
            if progress is not None:
                progress(size, checkpoint.size)
    finally:
        fetch.close()
    return size


def _check_seen(
    result: FollowResult, log: str, checkpoint: Checkpoint, size: int, source: str, *, signer: bool
) -> None:
    """A larger checkpoint by the same node, seen before or cosigned by witnesses, that it does not serve."""
    raw = q.get_largest_seen_checkpoint_bytes(log, node=checkpoint.node)
    largest = None if raw is None else parse_checkpoint(raw)
    if largest is not None and largest.size > size and largest.size > checkpoint.size:
        if signer:  # a mirror that lags proves nothing against the node that signed
            _keep(result, ev.withheld_evidence(largest, served=checkpoint.size), source)
        result.problem = result.problem or "withheld"


def follow_record(
    peer: Peer,
    log: str,
    *,
    batch: int = DEFAULT_BATCH,
    receipts: Sequence[bytes] = (),
    progress: Progress | None = None,
    map_batches: Callable[..., Iterable[Any]] = map,
    visible: frozenset[str] = VISIBLE_TO_FOLLOWERS,
) -> FollowResult:
    """Bring this node's copy of `log` up to the peer's latest checkpoint, verifying everything."""
    result = FollowResult(log)
    size, _ = _local(log)
    result.size = size
    # Noted first, so that a sync killed midway still leaves a record known to be a mirror.
    act.do_note_follow(log, url=peer.url, size=size, problem="syncing")
    try:
        raw = peer.checkpoint(log)
        if raw is None:
            result.problem = "no_checkpoint"
            return result
        checkpoint = parse_checkpoint(raw)
        if checkpoint.log != log:
            result.problem = "wrong_log"
            return result
        result.evidence += act.do_note_checkpoint(checkpoint, source=peer.url)
        result.target = checkpoint.size
        size = _download_and_store(
            peer,
            log,
            checkpoint,
            size=size,
            batch=batch,
            result=result,
            progress=progress,
            map_batches=map_batches,
            visible=visible,
        )
        if checkpoint.size < size:
            _check_behind(result, peer, log, checkpoint)
        elif size == checkpoint.size and not result.problem:
            _checkpoint_matches(result, peer, log, checkpoint)
        signer = peer.node_key() == checkpoint.node
        _check_seen(result, log, checkpoint, size, peer.url, signer=signer)
        parsed = [parse_receipt(r) for r in receipts]
        _check_receipts(result, log, parsed, peer.url)
    except PeerError as exc:
        result.problem, result.detail = exc.code, dict(exc.detail)
    except DomainError as exc:
        result.problem, result.detail = exc.code, dict(exc.detail)
    result.size = size
    act.do_note_follow(log, url=peer.url, size=size, problem=result.problem)
    return result


def learn_from_witnesses(witnesses: Sequence[Peer], log: str) -> list[ev.Evidence]:
    """Note every checkpoint of `log` that peers cosigned, so a node cannot later serve less unnoticed.

    Each cosignature and its checkpoint are checked before the checkpoint is noted; a witness that is
    down or serves something unreadable is skipped. Returns the evidence the checkpoints yield.
    """
    found: list[ev.Evidence] = []
    for witness in witnesses:
        try:
            pairs = witness.cosignatures(log)
        except PeerError:
            continue
        for checkpoint_raw, cosignature_raw in pairs:
            try:
                checkpoint = parse_checkpoint(checkpoint_raw)
                cosignature = parse_cosignature(cosignature_raw)
            except DomainError:
                continue
            if cosignature.covers(checkpoint) and checkpoint.log == log:
                found += act.do_note_checkpoint(checkpoint, source=witness.url)
    return found


def pass_on(evidence: Sequence[ev.Evidence], peers: Sequence[Peer]) -> int:
    """Send evidence to peers; return how many deliveries succeeded (a peer that is down is skipped)."""
    delivered = 0
    for item in evidence:
        for peer in peers:
            try:
                peer.post_evidence(item.raw)
                delivered += 1
            except PeerError:
                continue
    return delivered
