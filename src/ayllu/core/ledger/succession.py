"""Succession: the assembly moves its record to another node, by an act a quorum of members endorse.

A record is sealed by one node at a time. The first entry's node is the record's node; from then on
every entry must be sealed by the record's node, until a `record.moved` act names a new one:

    body = {"node": new node key, "after": entry hash the move continues from (= the entry's prev),
            "endorsements": [{"key": member key, "sig": sig}]}

Each endorsement is a member's signature ENDORSE_CONTEXT || canonical(move statement) where the
statement is {"v": 1, "type": "record.moved", "log", "node", "after"}: it names the record, the new
node and the exact place, so it cannot be replayed elsewhere or later. The move needs endorsements
from more than half of the active members (counted by member, not by key). The move entry itself may
be sealed by the old node (a planned move) or the new one (the old node is lost or captured); every
later entry by the new node only, so followers reject anything the old node seals after the move.
"""

from dataclasses import dataclass
from typing import Any

from ayllu.core.assembly.acts import HEX, KEY, LIST, Act, act_field, act_kind
from ayllu.core.assembly.events import Context, Event, applies, rule
from ayllu.core.assembly.state import AssemblyState
from ayllu.core.errors import MalformedBody, RuleError
from ayllu.core.federations.standing import is_federation, member_base, stands_in, voices
from ayllu.core.ledger.canonical import canonical_bytes
from ayllu.core.ledger.keys import ENDORSE_CONTEXT, HEX_SIGNATURE_LENGTH, Keypair, is_hex, verify_signature
from ayllu.core.ledger.record import Entry

RECORD_MOVED = "record.moved"


class NotTheRecordsNode(RuleError):
    """An entry sealed by a node that is not the record's node (after a move: the old node)."""

    code = "not_the_records_node"


class MoveNotEndorsed(RuleError):
    """A move without endorsements from more than half of the active members."""

    code = "move_not_endorsed"


class BadMoveEndorsement(RuleError):
    code = "bad_move_endorsement"


def move_statement(*, log: str, node: str, after: str) -> dict[str, Any]:
    """What each member endorses to move record `log` to `node`, continuing after entry `after`."""
    return {"v": 1, "type": RECORD_MOVED, "log": log, "node": node, "after": after}


def endorse_move(member: Keypair, *, log: str, node: str, after: str) -> dict[str, str]:
    """A member's endorsement of a move (made on the member's own device)."""
    message = canonical_bytes(move_statement(log=log, node=node, after=after))
    return {"key": member.public, "sig": member.sign(ENDORSE_CONTEXT, message)}


def build_move_content(*, node: str, after: str, endorsements: list[dict[str, str]]) -> dict[str, Any]:
    """The body content of a `record.moved` act."""
    return {"node": node, "after": after, "endorsements": endorsements}


def check_sealer(state: AssemblyState, entry: Entry) -> None:
    """Raise NotTheRecordsNode unless `entry` is sealed by the record's node (or moves it)."""
    if entry.type == RECORD_MOVED and entry.act.vis != "public":
        # Every replica must be able to check who may seal next, so a move is always public.
        raise MalformedBody(seq=entry.seq, field="vis", value=entry.act.vis)
    if not state.node or entry.node == state.node:
        return
    if entry.type == RECORD_MOVED:
        return  # decide_move checks the move's own sealer once it has read the body
    raise NotTheRecordsNode(seq=entry.seq, node=entry.node, records_node=state.node)


def note_sealer(state: AssemblyState, entry: Entry) -> None:
    """Remember the first entry's node as the record's node (called once the entry has replayed)."""
    if not state.node:
        state.node = entry.node


@act_kind
class RecordMoved(Act):
    type = RECORD_MOVED
    name = "move-record"
    summary = "Move the record to another node (with endorsements of more than half of the members)"

    node: str = act_field(KEY, help="the new node's key")
    after: str = act_field(HEX, help="the hash of the entry the move continues from")
    endorsements: list[dict[str, str]] = act_field(LIST, help="[{key, sig}] members' endorsements")


@dataclass(frozen=True, slots=True)
class NodeChanged(Event):
    node: str


@rule(RecordMoved)
def decide_move(state: AssemblyState, act: RecordMoved, ctx: Context) -> list[Event]:
    """Check a move's place and endorsements; from then on its node seals the record."""
    if act.after != ctx.prev:
        raise MalformedBody(seq=ctx.seq, field="after", expected=ctx.prev)
    if ctx.node not in (state.node, act.node):
        raise NotTheRecordsNode(seq=ctx.seq, node=ctx.node, records_node=state.node)
    endorsed = _endorsing_members(state, act, log=state.log, seq=ctx.seq, now=ctx.time)
    counted, base = voices(state, endorsed, now=ctx.time), member_base(state)
    if 2 * counted <= base:
        raise MoveNotEndorsed(seq=ctx.seq, endorsed=counted, active=base)
    return [NodeChanged(node=act.node)]


@applies(NodeChanged)
def apply_node_changed(state: AssemblyState, event: NodeChanged) -> None:
    state.node = event.node


def _endorsing_members(state: AssemblyState, act: RecordMoved, *, log: str, seq: int, now: int) -> set[str]:
    message = canonical_bytes(move_statement(log=log, node=act.node, after=act.after))
    members: set[str] = set()
    for item in act.endorsements:
        if not isinstance(item, dict) or set(item) != {"key", "sig"}:
            raise MalformedBody(seq=seq, field="endorsements")
        key, sig = item["key"], item["sig"]
        if not is_hex(sig, HEX_SIGNATURE_LENGTH) or not verify_signature(key, ENDORSE_CONTEXT, message, sig):
            raise BadMoveEndorsement(seq=seq, key=key)
        if is_federation(state):
            # A federation's members are the keys standing in it at the move (decision 0030); each
            # counts for its member assembly (`voices`).
            if not stands_in(state, key, now=now):
                raise BadMoveEndorsement(seq=seq, key=key, reason="not_an_active_member")
            member = key
        else:
            owner = state.key_owner.get(key)
            if owner is None or not state.is_active(owner):
                raise BadMoveEndorsement(seq=seq, key=key, reason="not_an_active_member")
            member = owner
        if member in members:
            raise MalformedBody(seq=seq, field="endorsements", reason="duplicate", member=member)
        members.add(member)
    return members
