"""Holding a copy of a record to the checkpoints this node has seen from the nodes that seal it.

A sync (federation/follow.py) and an import or restore of an export file (actions/record/verify.py)
share what is here: the compact evidence that a checkpoint is not the root of its node's entries, and
for a file's copy, which seen checkpoints bind it and the problem a sync would name when one does not
hold (docs/federation.md sections 2 and 4.1).
"""

from collections.abc import Sequence

from ayllu.core.errors import DomainError
from ayllu.core.ledger import evidence as ev
from ayllu.core.ledger.checkpoints import Checkpoint, parse_checkpoint
from ayllu.core.ledger.merkle import Frontier
from ayllu.core.ledger.record import Entry, parse_entry
from ayllu.core.ledger.verify import Problem, VerifyReport
from ayllu.storage import models

# The problems a copy held to a seen checkpoint is refused with, as a sync names them.
EQUIVOCATION, INCONSISTENT_WITH_KNOWN = "equivocation", "inconsistent_with_known"


def mismatch_evidence(checkpoint: Checkpoint, entries: Sequence[Entry]) -> bytes | None:
    """Compact evidence that `checkpoint` is not the root of `entries` (1..n), or None if none fits.

    The evidence starts from the largest checkpoint by the same node that `entries` do match, so it
    holds only the headers since then; it is made only when those are all sealed by that node. When
    the piece would be too large to pass on, it holds only the node's entry at the checkpoint's size
    (anchored: checked against a copy of the record).
    """
    bases: dict[int, list[Checkpoint]] = {}
    seen = models.SeenCheckpoint.objects.filter(
        log=checkpoint.log, node=checkpoint.node, size__lt=checkpoint.size
    ).order_by("size", "pk")
    for raw in seen.values_list("signed", flat=True):
        parsed = parse_checkpoint(bytes(raw))
        bases.setdefault(parsed.size, []).append(parsed)
    frontier, base, base_frontier = Frontier(), None, Frontier()
    for entry in entries:
        frontier = frontier.append(entry.hash)
        for candidate in bases.get(frontier.size, ()):
            if candidate.root == frontier.root():
                base, base_frontier = candidate, frontier
    if frontier.root() == checkpoint.root:
        return None
    after = list(entries[base_frontier.size :])
    if any(e.node != checkpoint.node for e in after):
        return None
    raw = ev.mismatch_evidence(checkpoint, after, base=base, frontier=base_frontier if base else None)
    if len(raw) <= ev.MAX_EVIDENCE_BYTES:
        return raw
    # Too many headers to pass on: the node's own entry at the checkpoint's size names them all, and
    # every node holding the record checks the root against its copy.
    head = entries[-1]
    return ev.anchored_mismatch_evidence(checkpoint, head) if head.seq == checkpoint.size else None


def seen_binding(log: str, entries: Sequence[bytes]) -> list[bytes]:
    """The checkpoints of `log` seen here (from a peer, a witness or a citation) that a copy holding
    `entries` must honour: each no larger than the copy, by the node that sealed the copy's entry at
    its size (so a node's checkpoints from after the record moved away from it bind nobody).

    A larger one binds nothing: a copy shorter than what its node signed is an earlier copy (a backup,
    a lagging mirror), not a forgery by itself; following the node later is held to it (rollback)."""
    rows = models.SeenCheckpoint.objects.filter(log=log, size__gte=1, size__lte=len(entries))
    binding: list[bytes] = []
    sealers: dict[int, str | None] = {}
    for size, node, raw in rows.order_by("size", "pk").values_list("size", "node", "signed"):
        if size not in sealers:
            try:
                sealers[size] = parse_entry(entries[size - 1]).node
            except DomainError:
                sealers[size] = None  # not an entry: verification refuses the copy there
        if sealers[size] == node:
            binding.append(bytes(raw))
    return binding


def held_to_seen(
    report: VerifyReport,
    *,
    entries: Sequence[bytes],
    binding: Sequence[bytes],
    seen: Sequence[bytes],
    source: str,
) -> VerifyReport:
    """`report` of a copy verified against the checkpoints `binding`, which end with the `seen` ones
    (`seen_binding`; before them, the file's own and those this node holds): when it
    failed on a seen one, the problem a sync names, with its evidence kept. The copy's checkpoint by
    that node of that size yields `equivocation`; else its entries yield `inconsistent_with_known` with
    `checkpoint_mismatch` evidence (as `federation.follow` does for a peer's)."""
    problem = report.problem
    index = -1 if problem is None else problem.detail.get("checkpoint", -1)
    first = len(binding) - len(seen)
    if problem is None or problem.code != "inconsistent_checkpoint" or not first <= index < len(binding):
        return report
    known = parse_checkpoint(seen[index - first])
    # The copy's own checkpoints at that size matched its entries (they come first), so one by the
    # same node signed another root than the one seen.
    carried = (parse_checkpoint(raw) for raw in binding[:first])
    other = next((cp for cp in carried if cp.size == known.size and cp.node == known.node), None)
    if other is not None:
        code, found = EQUIVOCATION, [ev.equivocation_evidence(known, other)]
    else:
        parsed = [parse_entry(raw) for raw in entries[: known.size]]
        mismatch = mismatch_evidence(known, parsed)
        code, found = INCONSISTENT_WITH_KNOWN, [] if mismatch is None else [mismatch]
    detail: dict[str, object] = {"size": known.size, "node": known.node}
    for raw in found:
        # Here, not at the top: actions.replication imports the write path, which imports this.
        from .replication import do_store_evidence

        try:
            do_store_evidence(raw, source=source)
        except DomainError:
            continue  # an anchored piece this node cannot check without the record: the refusal stands
        detail["evidence_id"] = ev.check_evidence(raw).id
    refused = Problem(known.size, code, detail)
    return VerifyReport(False, report.size, report.head, report.root, refused, report.replayed)
