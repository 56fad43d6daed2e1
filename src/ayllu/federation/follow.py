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
from ayllu.actions.known_checkpoints import mismatch_evidence
from ayllu.core.errors import DomainError
from ayllu.core.ledger import evidence as ev
from ayllu.core.ledger.checkpoints import Checkpoint, Receipt, parse_checkpoint, parse_receipt
from ayllu.core.ledger.merkle import root_of
from ayllu.core.ledger.record import Body, BodyKey, Entry, parse_entry
from ayllu.core.ledger.succession import RECORD_MOVED
from ayllu.core.ledger.verify import ERASED, Checked, Erased, Rejected
from ayllu.core.ledger.witness import parse_cosignature
from ayllu.queries import replication as q
from ayllu.queries.record import get_body
from ayllu.storage.errors import RecordNotFound

from .client import Peer, PeerError

DEFAULT_BATCH = 2000
MAX_RANGE = 5000  # the most entries a node serves in one answer (views.MAX_RANGE)
VISIBLE_TO_FOLLOWERS = frozenset({"public"})

Progress = Callable[[int, int], None]


@dataclass(slots=True)
class FollowResult:
    """How one sync of one record went: sizes, the problem that stopped it, evidence found."""

    log: str
    size: int = 0
    target: int = 0
    stored: int = 0
    # How many of the `size` entries held here had their rules replayed (all, unless a rule needed a
    # body this node may not read: records written before format 2).
    replayed: int = 0
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
    """Every receipt must be honoured: a receipt broken or beyond what was served fails the sync."""
    size, _ = _local(log)
    for receipt in receipts:
        if receipt.log != log:
            continue
        if receipt.seq > size:
            _keep(result, ev.withheld_evidence(receipt, served=size), source)
            _fail(result, "receipt_not_honoured", seq=receipt.seq, reason="missing", node=receipt.node)
            continue
        mine = _stored_entry(log, receipt.seq)
        if mine is not None and mine.hash != receipt.entry:
            if mine.node == receipt.node:
                _keep(result, ev.receipt_fork_evidence(receipt, mine), source)
            _fail(result, "receipt_not_honoured", seq=receipt.seq, reason="fork", node=receipt.node)


def _fail(result: FollowResult, problem: str, **detail: Any) -> None:
    """Name the sync's problem, unless an earlier one already did (the first is the one to report)."""
    if not result.problem:
        result.problem, result.detail = problem, detail


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
    mismatch = mismatch_evidence(checkpoint, entries)
    if mismatch is not None:
        _keep(result, mismatch, peer.url)
    if checkpoint.size:
        # Two histories differ at every seq after the first difference: the last one shows the fork.
        _broken_chain(result, peer, log, checkpoint.size)
    result.problem = "diverged"
    result.detail = {"size": checkpoint.size, "node": checkpoint.node}


@dataclass(slots=True)
class _Sync:
    """One sync of one record from one peer: what is fixed for its duration."""

    peer: Peer
    log: str
    checkpoint: Checkpoint
    signer: bool  # the peer is the node that signed the checkpoint (a mirror's lag proves nothing)
    known: Checkpoint | None  # the largest checkpoint by that node known here, seen or cosigned
    result: FollowResult
    visible: frozenset[str]
    map_batches: Callable[..., Iterable[Any]]


def _refused(
    sync: _Sync, exc: act.Refused, *, size: int, raws: Sequence[bytes], checked: Sequence[Checked | Rejected]
) -> None:
    result, log = sync.result, sync.log
    result.problem, result.detail = str(exc.detail.get("problem", exc.code)), dict(exc.detail)
    if result.problem == "broken_chain" and exc.detail.get("seq") == size + 1:
        _broken_chain(result, sync.peer, log, size)
    elif result.problem == "seq_gap" and sync.signer and all(isinstance(c, Checked) for c in checked):
        # The node signed for every entry up to its checkpoint, and twice skipped one of them (a line
        # damaged on the way is a rejected line, not a skipped entry).
        gap = int(exc.detail.get("seq", size + 1)) - 1
        if gap < sync.checkpoint.size:
            _keep(result, ev.withheld_evidence(sync.checkpoint, served=gap), sync.peer.url)
            result.problem = "withheld"
    elif result.problem == "inconsistent_with_known" and sync.known is not None:
        held = q.iter_entries_in_range(log, first=1, last=size) if size else ()
        stored = [parse_entry(raw) for raw in held]
        served = [parse_entry(raw) for raw in raws[: sync.known.size - size]]
        mismatch = mismatch_evidence(sync.known, [*stored, *served])
        if mismatch is not None:
            _keep(result, mismatch, sync.peer.url)


def _download_and_store(sync: _Sync, *, size: int, batch: int, progress: Progress | None) -> int:
    """Fetch, verify and store batches up to the checkpoint's size; return the size stored."""
    peer, log, checkpoint, result = sync.peer, sync.log, sync.checkpoint, sync.result
    fetch = _Prefetch(peer, log)
    try:
        while size < checkpoint.size:
            last = min(size + batch, checkpoint.size)
            downloaded, bodies = fetch.get(size + 1, last)
            if last < checkpoint.size:
                fetch.ahead(last + 1, min(last + batch, checkpoint.size))
            check = partial(
                _fresh, size=size, log=log, source=peer.url, result=result, map_batches=sync.map_batches
            )
            raws, checked = check(downloaded)
            for attempt in (1, 2):  # ask once more: one bad answer may be a stale or lost response
                if not raws:
                    if attempt == 1:
                        downloaded, bodies = fetch.get(size + 1, last)
                        raws, checked = check(downloaded)
                        continue
                    if sync.signer:  # only the signer is to blame for not serving
                        _keep(result, ev.withheld_evidence(checkpoint, served=size), peer.url)
                    result.problem = "withheld"
                    return size
                try:
                    tip = act.do_extend_replica(
                        log,
                        raws=raws,
                        bodies=_bodies(bodies),
                        visible=sync.visible,
                        checked=checked,
                        known=sync.known,
                    )
                    break
                except act.Refused as exc:
                    if attempt == 1 and exc.detail.get("problem") == "seq_gap":
                        downloaded, bodies = fetch.get(size + 1, last)
                        raws, checked = check(downloaded)
                        continue
                    _refused(sync, exc, size=size, raws=raws, checked=checked)
                    return size
            result.stored += tip.size - size
            size = tip.size
            if progress is not None:
                progress(size, checkpoint.size)
    finally:
        fetch.close()
    return size


def _fill_bodies(peer: Peer, log: str, *, visible: frozenset[str], batch: int) -> None:
    """Fetch the bodies of entries already held that this node may now see but lacks (a delegation)."""
    missing = q.list_missing_bodies(log, visible=visible)
    while missing:
        first = missing[0][0]
        last = min(first + batch - 1, first + MAX_RANGE - 1)
        wanted = {(h, vis) for seq, h, vis in missing if seq <= last}
        act.do_fill_bodies(log, served=peer.bodies(log, first=first, last=last), wanted=wanted)
        missing = [item for item in missing if item[0] > last]


MOVE_WINDOW = 1000  # how far back from our head a follower looks for where a moved record went on


def _take_move(sync: _Sync, size: int, *, batch: int) -> int | None:
    """After a divergence, follow the record's move if the peer's branch starts with one; return the
    new size, or None when the branches differ otherwise (then nothing is changed).

    The first seq where the peer's entries differ from ours must hold a `record.moved` (checked by
    replay) and our entries from there on must be sealed by the node the record moved away from; those
    are kept as evidence against that node, which kept sealing where its members moved the record.
    """
    peer, log, result = sync.peer, sync.log, sync.result
    first = max(1, size - MOVE_WINDOW + 1)
    ours = {
        parse_entry(raw).seq: parse_entry(raw).hash
        for raw in q.iter_entries_in_range(log, first=first, last=size)
    }
    served = [
        parse_entry(raw) for raw in peer.entries(log, first=first, last=min(size, sync.checkpoint.size))
    ]
    at = next((e.seq for e in sorted(served, key=lambda e: e.seq) if ours.get(e.seq) != e.hash), None)
    if at is None and sync.checkpoint.size > size and served:
        at = size + 1
    if at is not None and at == first > 1:
        # The branches differ already at the window's start: the old node sealed more than a window
        # after the move. Where they part is found by halving.
        at = _first_difference(peer, log, differs_at=first)
    if at is None or at > sync.checkpoint.size:
        return None
    last = min(at + batch - 1, sync.checkpoint.size)
    raws = peer.entries(log, first=at, last=last)
    try:
        dropped = act.do_take_move(
            log, at=at, raws=raws, bodies=_bodies(peer.bodies(log, first=at, last=last)), visible=sync.visible
        )
    except act.Refused:
        _sealed_after_our_move(sync, raws, at=at)
        return None
    move = _stored_entry(log, at)
    body = get_body(log, move.act.body, vis=move.act.vis) if move is not None else None
    if move is not None and isinstance(body, Body):
        _keep(result, ev.sealed_after_move_evidence(dropped[0], move, body), peer.url)
    result.problem, result.detail = "", {}
    stored, _ = _local(log)
    result.stored += stored - (at - 1)
    return stored


def _sealed_after_our_move(sync: _Sync, raws: Sequence[bytes], *, at: int) -> None:
    """Keep evidence against a node the record moved away from that still seals after the move: our
    entry at `at` is the `record.moved`, the peer's is a validly sealed entry after the same entry, by
    another node than the one the record moved to (checked again as the evidence is stored)."""
    move = _stored_entry(sync.log, at)
    served = [raw for raw in raws if parse_entry(raw).seq == at][:1]
    if move is None or move.type != RECORD_MOVED or not served:
        return
    if not isinstance(act.check_batch(served)[0], Checked):
        return
    theirs = parse_entry(served[0])
    body = get_body(sync.log, move.act.body, vis=move.act.vis)
    if theirs.prev != move.prev or theirs.node == move.node or not isinstance(body, Body):
        return
    try:
        _keep(sync.result, ev.sealed_after_move_evidence(theirs, move, body), sync.peer.url)
    except DomainError:
        return  # not evidence by the format's rules (another node than the one moved from, say)


def _first_difference(peer: Peer, log: str, *, differs_at: int) -> int | None:
    """The first seq at which the peer's entry is not ours, knowing they differ at `differs_at`; None
    when they differ from the founding on (another record, not a move).

    Two histories that differ at one seq differ at every later one (each entry names the one before),
    so one entry asked for at each halving step finds it: about 15 requests for 25,000 entries.
    """
    low, high = 1, differs_at
    while low < high:
        middle = (low + high) // 2
        ours = _stored_entry(log, middle)
        theirs = peer.entries(log, first=middle, last=middle)
        if ours is not None and len(theirs) == 1 and parse_entry(theirs[0]).hash == ours.hash:
            low = middle + 1
        else:
            high = middle
    return None if low == 1 else low


def _largest_known(log: str, node: str) -> Checkpoint | None:
    raw = q.get_largest_seen_checkpoint_bytes(log, node=node)
    return None if raw is None else parse_checkpoint(raw)


def _held_beyond(log: str, checkpoint: Checkpoint, size: int) -> Entry | None:
    """Our last entry, when it lies beyond the checkpoint and its signer sealed it."""
    last = _stored_entry(log, size) if size > checkpoint.size else None
    return last if last is not None and last.node == checkpoint.node else None


def _check_known(sync: _Sync, size: int) -> bool:
    """Hold the served checkpoint to the largest one known of its node; say whether to download.

    A node serving less than it signed before (a restored old backup, a rollback) is reported at
    once; a checkpoint of the same size with another root is an equivocation. Neither is followed.
    """
    checkpoint, known, result = sync.checkpoint, sync.known, sync.result
    if known is not None and known.size == checkpoint.size and known.root != checkpoint.root:
        if size >= checkpoint.size:  # the entries that differ show the fork too
            _check_behind(result, sync.peer, sync.log, checkpoint)
        result.problem, result.detail = "equivocation", {"size": known.size, "node": known.node}
        return False
    claimed = _held_beyond(sync.log, checkpoint, size)
    if known is not None and known.size > checkpoint.size and (claimed is None or known.size >= claimed.seq):
        proof: Checkpoint | Entry | None = known
    else:
        proof = claimed
    if proof is None:
        return True
    if not sync.signer:
        if size >= checkpoint.size:
            return True  # a mirror that lags: what it serves is a prefix of ours (checked after)
        _fail(result, "behind_known_checkpoint", size=checkpoint.size, known=known.size if known else 0)
        return False
    _keep(result, ev.withheld_evidence(proof, served=checkpoint.size), sync.peer.url)
    claimed_size = proof.size if isinstance(proof, Checkpoint) else proof.seq
    _fail(result, "rollback", size=claimed_size, served=checkpoint.size, node=checkpoint.node)
    return False


def _prefix_matches(log: str, known: Checkpoint, size: int) -> bool:
    """Whether the entries stored here reach the known checkpoint's root at its size."""
    if size < known.size or known.size == 0:
        return True
    stored = q.get_checkpoint_bytes(log, size=known.size)
    if stored is not None and parse_checkpoint(stored).root == known.root:
        return True
    return root_of(q.list_entry_hashes(log, size=known.size)) == known.root


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
        checkpoint = peer.latest_checkpoint(log)
        if checkpoint is None:
            result.problem = "no_checkpoint"
            return result
        if checkpoint.log != log:
            result.problem = "wrong_log"
            return result
        known = _largest_known(log, checkpoint.node)
        result.evidence += act.do_note_checkpoint(checkpoint, source=peer.url)
        result.target = checkpoint.size
        sync = _Sync(
            peer, log, checkpoint, peer.node_key() == checkpoint.node, known, result, visible, map_batches
        )
        if visible != VISIBLE_TO_FOLLOWERS and size:
            _fill_bodies(peer, log, visible=visible, batch=batch)
        if known is not None and not _prefix_matches(log, known, size):
            _fail(result, "diverged", size=known.size, node=known.node)
        elif _check_known(sync, size):
            if known is not None and known.size > checkpoint.size:
                sync.known = None  # a lagging mirror's prefix is checked against ours below
            size = _download_and_store(sync, size=size, batch=batch, progress=progress)
            if checkpoint.size < size:
                _check_behind(result, peer, log, checkpoint)
            if result.problem in ("broken_chain", "diverged"):
                moved = _take_move(sync, size, batch=batch)
                if moved is not None:
                    size = _download_and_store(sync, size=moved, batch=batch, progress=progress)
            if size == checkpoint.size and not result.problem:
                _checkpoint_matches(result, peer, log, checkpoint)
        parsed = [parse_receipt(r) for r in receipts]
        _check_receipts(result, log, parsed, peer.url)
    except PeerError as exc:
        result.problem, result.detail = exc.code, dict(exc.detail)
    except DomainError as exc:
        result.problem, result.detail = exc.code, dict(exc.detail)
    result.size = size
    _check_rules(result, log)
    act.do_note_follow(log, url=peer.url, size=size, problem=result.problem)
    return result


def follow_short_of_known(peer: Peer, logs: Sequence[str], **options: Any) -> list[FollowResult]:
    """Follow from `peer` once more those of `logs` this node holds short of a checkpoint it noted
    since (a citation's, in a record synced after them): a peer serving fewer entries than its node
    signed for is then caught in the same round, with `withheld` evidence. `options` as `follow_record`."""
    return [follow_record(peer, log, **options) for log in q.list_held_short_of_seen(logs)]


def _check_rules(result: FollowResult, log: str) -> None:
    """How far the rules were replayed here, and whether every body held as erased was erased by an act."""
    try:
        result.replayed = act.check_replica(log)
    except act.Refused as exc:
        result.problem = result.problem or str(exc.detail.get("problem", exc.code))
        result.detail = result.detail or dict(exc.detail)
    except RecordNotFound:
        result.replayed = 0


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


def follow_federations(
    peers: Sequence[Peer],
    *,
    batch: int = DEFAULT_BATCH,
    map_batches: Callable[..., Iterable[Any]] = map,
    visible: frozenset[str] = VISIBLE_TO_FOLLOWERS,
    progress: Callable[[str], Progress | None] | None = None,
) -> list[FollowResult]:
    """Follow, from the first of `peers` that serves it, each record this node's assemblies' federations
    need and it does not hold (`queries.federations.list_records_to_follow`): the federations their
    records name, then the records those federations cite, level after level. A record no peer serves
    is left for the next round. No hand step: every `ayllu follow` round does this after its own logs."""
    from ayllu.queries.federations import list_records_to_follow

    served: dict[str, list[str]] = {}

    def serves(peer: Peer, log: str) -> bool:
        if peer.url not in served:
            try:
                served[peer.url] = peer.logs()
            except PeerError:
                served[peer.url] = []
        return log in served[peer.url]

    results: list[FollowResult] = []
    tried: set[str] = set()
    while todo := [log for log in list_records_to_follow() if log not in tried]:
        for log in todo:
            tried.add(log)
            peer = next((p for p in peers if serves(p, log)), None)
            if peer is not None:
                step = None if progress is None else progress(log)
                results.append(
                    follow_record(
                        peer, log, batch=batch, progress=step, map_batches=map_batches, visible=visible
                    )
                )
    return results
