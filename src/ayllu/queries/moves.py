"""Moves of a record to another node under way on this node: who endorsed each, how many more are
needed, and whether the reader may endorse one or sign the `record.moved` act (docs/federation.md, 5).

Endorsements are node state (`actions.moves`); what counts is what the core counts: an endorsement by a
key that is an active member's current key, once per member, at the record's head. Whether the act may
be signed is the core's own rule (`decide_move`), tried as the next entry sealed by this node.
"""

from dataclasses import dataclass

from ayllu.core.assembly.events import decide
from ayllu.core.assembly.replay import AssemblyState, context_of
from ayllu.core.errors import DomainError
from ayllu.core.ledger.canonical import canonical_bytes
from ayllu.core.ledger.succession import RecordMoved, build_move_content
from ayllu.storage import models

from .replayed import get_head, read_state


@dataclass(frozen=True, slots=True)
class MoveUnderWay:
    """One move, to `node`, at the record's head."""

    node: str
    endorsers: tuple[str, ...]  # member ids, in the order they endorsed
    endorsements: tuple[dict[str, str], ...]
    mine: bool  # the reader endorsed it
    here: bool  # the move is to this node
    # The canonical body of the `record.moved` act, and whether the reader may sign it now
    body: str
    may_sign: bool


@dataclass(frozen=True, slots=True)
class Moves:
    head: str
    sealer: str  # the node that seals the record now
    this_node: str
    active: int
    needed: int  # endorsements a move needs: more than half of the active members
    may_endorse: bool  # the reader is an active member
    moves: tuple[MoveUnderWay, ...]


def get_moves(log: str, *, key: str, this_node: str, now: int) -> Moves:
    """The moves of record `log` under way on this node, as the reader with `key` ("" for none) sees them."""
    _, head = get_head(log)
    rows = list(
        models.MoveEndorsement.objects.filter(log=log, after=head)
        .order_by("created", "pk")
        .values_list("node", "member", "key", "sig")
    )

    def read(state: AssemblyState) -> Moves:
        reader = state.key_owner.get(key, "") if key else ""
        by_node: dict[str, list[tuple[str, dict[str, str]]]] = {}
        for node, member, signer, sig in rows:
            # What replay counts: a current key of an active member (a key replaced since no longer signs).
            if state.key_owner.get(signer) == member and state.is_active(member):
                by_node.setdefault(node, []).append((member, {"key": signer, "sig": sig}))
        moves = []
        for node, found in by_node.items():
            endorsements = tuple(e for _, e in found)
            act = RecordMoved(node=node, after=head, endorsements=list(endorsements))
            ready = 2 * len(found) > state.active_count
            moves.append(
                MoveUnderWay(
                    node=node,
                    endorsers=tuple(m for m, _ in found),
                    endorsements=endorsements,
                    mine=bool(reader) and reader in {m for m, _ in found},
                    here=node == this_node,
                    body=_body_text(node, head, endorsements) if ready else "",
                    may_sign=ready and _may_move(state, act, key=key, head=head, node=this_node, now=now),
                )
            )
        moves.sort(key=lambda m: (-len(m.endorsers), m.node))
        return Moves(
            head=head,
            sealer=state.node,
            this_node=this_node,
            active=state.active_count,
            needed=state.active_count // 2 + 1,
            may_endorse=bool(reader) and state.is_active(reader),
            moves=tuple(moves),
        )

    return read_state(log, read)


def _body_text(node: str, head: str, endorsements: tuple[dict[str, str], ...]) -> str:
    content = build_move_content(node=node, after=head, endorsements=list(endorsements))
    return canonical_bytes(content).decode("utf-8")


def _may_move(state: AssemblyState, act: RecordMoved, *, key: str, head: str, node: str, now: int) -> bool:
    """Whether the core would accept `act` signed by `key` as the next entry, sealed here by `node`."""
    if not key:
        return False
    try:
        time = max(now, state.last_time)
        ctx = context_of(state, RecordMoved, seq=state.size + 1, time=time, key=key, prev=head, node=node)
        decide(state, act, ctx)
    except DomainError:
        return False
    return True
