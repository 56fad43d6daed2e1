"""Moves of a record to another node under way on this node: who endorsed each, how many more are
needed, and whether the reader may endorse one or sign the `record.moved` act (docs/federation.md, 5).

Endorsements are node state (`actions.moves`); what counts is what the core counts: an endorsement by a
key that is an active member's current key, once per member, at the record's head. In a federation
(decision 0033) the endorsers are keys standing in it now (a seated delegate, signing with the key their
device keeps for their home assembly; an office or cargo holder), each kept under its key, and what
counts is member assemblies through delegates standing, of the member assemblies (`standing.voices`,
`member_base`; decision 0030). Whether the act may be signed is the core's own rule (`decide_move`),
tried as the next entry sealed by this node.
"""

from dataclasses import dataclass

from ayllu.core.assembly.events import decide
from ayllu.core.assembly.replay import AssemblyState, context_of
from ayllu.core.errors import DomainError
from ayllu.core.federations.standing import is_federation, member_base, stands_in, voices
from ayllu.core.ledger.canonical import canonical_bytes
from ayllu.core.ledger.succession import RecordMoved, build_move_content
from ayllu.storage import models

from .replayed import get_head, read_state


@dataclass(frozen=True, slots=True)
class MoveUnderWay:
    """One move, to `node`, at the record's head."""

    node: str
    endorsers: tuple[str, ...]  # member ids (in a federation: keys), in the order they endorsed
    counted: int  # what counts of them against `Moves.active`: members, or member assemblies
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
    active: int  # the active members; in a federation its member assemblies
    needed: int  # endorsements a move needs: more than half of the active members (member assemblies)
    may_endorse: bool  # the reader is an active member (in a federation: stands in it now)
    federation: bool
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
        federation, base = is_federation(state), member_base(state)
        time = max(now, state.last_time)
        if federation:
            reader = key if key and stands_in(state, key, now=time) else ""
        else:
            reader = state.key_owner.get(key, "") if key else ""
        by_node: dict[str, list[tuple[str, dict[str, str]]]] = {}
        for node, member, signer, sig in rows:
            # What replay counts: a current key of an active member (a key replaced since no longer signs);
            # in a federation a key standing in it now, kept under itself.
            if federation:
                counts = member == signer and stands_in(state, signer, now=time)
            else:
                counts = state.key_owner.get(signer) == member and state.is_active(member)
            if counts:
                by_node.setdefault(node, []).append((member, {"key": signer, "sig": sig}))
        moves = []
        for node, found in by_node.items():
            endorsements = tuple(e for _, e in found)
            act = RecordMoved(node=node, after=head, endorsements=list(endorsements))
            counted = voices(state, [m for m, _ in found], now=time)
            ready = 2 * counted > base
            moves.append(
                MoveUnderWay(
                    node=node,
                    endorsers=tuple(m for m, _ in found),
                    counted=counted,
                    endorsements=endorsements,
                    mine=bool(reader) and reader in {m for m, _ in found},
                    here=node == this_node,
                    body=_body_text(node, head, endorsements) if ready else "",
                    may_sign=ready and _may_move(state, act, key=key, head=head, node=this_node, now=now),
                )
            )
        moves.sort(key=lambda m: (-m.counted, -len(m.endorsers), m.node))
        return Moves(
            head=head,
            sealer=state.node,
            this_node=this_node,
            active=base,
            needed=base // 2 + 1,
            may_endorse=bool(reader) and (federation or state.is_active(reader)),
            federation=federation,
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
