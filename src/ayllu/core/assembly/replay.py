"""Replaying a record's entries into the assembly's state, re-checking every rule on the way.

Every replica calls `apply_entry` for each entry in order. An entry that is validly signed but breaks a
rule raises a `RuleError` (codes in rule_errors.py), and the record that holds it does not verify. This
module is the single entry point; the rules live in the subject modules (founding, members, meetings,
proposals), and docs/charter.md lists every act.

Each act's rule decides what it does (events) without changing the state; only then are the events
applied (events.py, decision 0005). State contract: `apply_entry(state, entry, body) -> state` folds
the entry into `state` in place and returns it (or a copy, when terms of cargos start before the entry),
so replaying a long record costs what each entry changes. Callers must treat the state they pass in as
consumed and use the returned one. When `apply_entry` raises, the state passed in is exactly as it
was: a write path may try a new act against its live state and drop the act if it raises.
"""

from collections.abc import Sequence

from ayllu.core.assembly import citing, erasure, notices  # noqa: F401  (register their act kinds)
from ayllu.core.assembly.acts import ACT_KINDS, Act, Signer, prose_fields, split_content
from ayllu.core.assembly.events import Context, Event, apply_events, decide
from ayllu.core.assembly.rule_errors import KeyReplaced, MemberSuspended, TimeWentBack
from ayllu.core.assembly.state import AssemblyState, copy_state
from ayllu.core.cargos import acts as cargo_acts  # noqa: F401  (registers its act kinds)
from ayllu.core.cargos.terms import advance_turns, turns_due
from ayllu.core.charter import members  # noqa: F401  (registers its act kinds)
from ayllu.core.charter.founding import FOUNDED, check_founding_log
from ayllu.core.errors import MalformedBody, NotAMember, NotFounded, RuleError, UnknownEntryType, WrongLog
from ayllu.core.federations import (  # noqa: F401  (their act kinds)
    credentials,
    joining,
    mandated,
    ratification,
    recall_cited,
    seats,
    standing,
    voting,
)
from ayllu.core.federations import offices as federation_offices
from ayllu.core.federations import petitions as federation_petitions  # noqa: F401  (registers its act kinds)
from ayllu.core.federations import plenary as federation_plenary  # noqa: F401  (registers its act kinds)
from ayllu.core.federations import recall_vote as federation_recall_vote  # noqa: F401  (its act kinds)
from ayllu.core.federations.errors import NotASeatedDelegate
from ayllu.core.ledger import succession
from ayllu.core.ledger.record import Body, Entry
from ayllu.core.mandates import acts as mandates  # noqa: F401  (registers its act kinds)
from ayllu.core.mandates import recall  # noqa: F401  (registers its act kinds)
from ayllu.core.meetings import acts as meetings  # noqa: F401  (registers its act kinds)
from ayllu.core.meetings import floor  # noqa: F401  (registers its act kinds)
from ayllu.core.proposals import objections, questions, tabling  # noqa: F401  (register their act kinds)
from ayllu.core.sortition import acts as draws  # noqa: F401  (registers its act kinds)

__all__ = ["ACT_KINDS", "FOUNDED", "AssemblyState", "apply_entry", "copy_state", "initial_state"]

# Every record type replay knows: every act kind the subjects define, the founding among them.
ACT_TYPES = frozenset(ACT_KINDS)


def initial_state(log: str) -> AssemblyState:
    """The state of a record before its first entry."""
    return AssemblyState(log=log)


def apply_entry(
    state: AssemblyState, entry: Entry, body: Body | None, *, act: Act | None = None, keep: bool = True
) -> AssemblyState:
    """Fold one entry into the state (see the module docstring); raise if it breaks a rule.

    `act` is the act `body` states when the caller read it already (`read_act`), so it is not read twice.
    `keep=False` is for a caller that drops the state when an entry is refused (a verifier, which stops
    there): the terms that come due start in the state itself instead of a copy of it.

    `body` is None when this replica may not see the body (confidential, erased, or members-only for a
    public verifier). Acts whose rules read nothing of the body (`Act.rules_read_body`) replay without
    it; every other act's rules need its content, so replay then raises `malformed_body` with reason
    "body_needed_for_rules", and a verifier stops checking rules there (see verify.py).
    """
    if entry.log != state.log:
        raise WrongLog(seq=entry.seq, expected=state.log, found=entry.log)
    if entry.time < state.last_time:
        raise TimeWentBack(seq=entry.seq, time=entry.time, previous=state.last_time)
    succession.check_sealer(state, entry)
    if state.size == 0:
        if entry.type != FOUNDED:
            raise NotFounded(seq=entry.seq, type=entry.type)
        check_founding_log(state, entry, body)
    else:
        if turns_due(state, now=entry.time):
            # Terms of cargos filled by turn start when their time comes, before the entry that reaches
            # it. They start on a copy, so an entry refused afterwards leaves the caller's state as it
            # was (the write path tries acts on its live state).
            state = copy_state(state) if keep else state
            advance_turns(state, now=entry.time, seq=entry.seq)
        # A federation's offices pass by turn among its member assemblies the same way (offices.py).
        state = federation_offices.at_moment(state, now=entry.time, copy=keep)
    _act(state, entry, body, act)
    succession.note_sealer(state, entry)
    state.size += 1
    state.last_time = entry.time
    return state


def _act(state: AssemblyState, entry: Entry, body: Body | None, read: Act | None = None) -> None:
    kind = ACT_KINDS.get(entry.type)
    if kind is None:
        author_of(state, entry)  # a key that is no member's learns nothing more
        raise UnknownEntryType(seq=entry.seq, type=entry.type)
    act = read_act(kind, entry, body) if read is None else read
    ctx = context_of(
        state,
        kind,
        seq=entry.seq,
        time=entry.time,
        key=entry.author,
        prev=entry.prev,
        node=entry.node,
        hash=entry.hash,
    )
    events = decide(state, act, ctx, kind=kind)
    state.now = entry.time
    apply_events(state, events)
    if _erasable(kind, entry, body):
        state.words_by[entry.seq] = ctx.author or ctx.key


def _erasable(kind: type[Act], entry: Entry, body: Body | None) -> bool:
    """Whether the entry carries words an erasure act may take: its rules never need them."""
    if entry.act.split:
        return bool(prose_fields(kind))
    return not kind.rules_read_body


def read_act(kind: type[Act], entry: Entry, body: Body | None) -> Act | None:
    """The act an entry's body states; None for an act whose rules read no body when none is visible."""
    if body is None:
        if kind.rules_read_body:
            raise MalformedBody(seq=entry.seq, reason="body_needed_for_rules")
        return None
    if entry.act.split:
        return kind.parse(split_content(kind, body, seq=entry.seq), seq=entry.seq)
    return kind.parse(body.content(), seq=entry.seq)


def context_of(
    state: AssemblyState,
    kind: type[Act],
    *,
    seq: int,
    time: int,
    key: str,
    prev: str = "",
    node: str = "",
    hash: str = "",
) -> Context:
    """Who signs an act of `kind` with `key`: a member (active, unless the kind allows a suspended
    one), or a key that is not a member's; raise when the signer may not do acts of that kind.

    A founder signs before there are members (the founding's rule checks the key is a founder's);
    once the record is founded, a founding's signer is looked up like a member's, so a key that is no
    member's learns nothing more. In a federation, a member's act is signed by a delegate seated at
    `time` or a holder of one of its offices then, their key being their id (federations/standing.py).
    """
    if kind.signer is Signer.NON_MEMBER or (kind.signer is Signer.FOUNDER and state.size == 0):
        return Context(seq=seq, time=time, author="", key=key, prev=prev, node=node, hash=hash)
    if state.charter is not None and state.charter.federation is not None:
        # A federation's members are the delegates seated at the act's time (and its office holders);
        # its founders' keys stand only as seated delegates, once the founding is done.
        if not standing.stands_in(state, key, now=time):
            raise NotASeatedDelegate(seq=seq, key=key)
        return Context(seq=seq, time=time, author=key, key=key, prev=prev, node=node, hash=hash)
    author = author_by_key(state, key, seq=seq)
    if kind.signer is Signer.MEMBER and state.members[author].suspended and not kind.while_suspended:
        raise MemberSuspended(seq=seq, member=author)
    return Context(seq=seq, time=time, author=author, key=key, prev=prev, node=node, hash=hash)


def try_act(state: AssemblyState, *, key: str, act: Act, time: int) -> Sequence[Event]:
    """What `act` signed by `key` would do as the record's next entry at `time`; the state is unchanged."""
    seq = state.size + 1
    if state.size == 0:
        raise NotFounded(seq=seq, type=act.type)
    if time < state.last_time:
        raise TimeWentBack(seq=seq, time=time, previous=state.last_time)
    if turns_due(state, now=time):
        state = copy_state(state)
        advance_turns(state, now=time, seq=seq)
    state = federation_offices.at_moment(state, now=time)
    ctx = context_of(state, type(act), seq=seq, time=time, key=key)
    return decide(state, act, ctx)


def with_waiting(state: AssemblyState, waiting: Sequence[tuple[str, Act]]) -> AssemblyState:
    """The state as if the waiting acts (key, act) were the record's next entries, on a copy.

    What members see of strangers waiting outside the record (decision 0011): each act gets the seq it
    would have; an act the rules refuse (an applicant admitted meanwhile) is left out.
    """
    if not waiting:
        return state
    state = copy_state(state)
    for key, act in waiting:
        seq = state.size + 1
        try:
            ctx = context_of(state, type(act), seq=seq, time=state.last_time, key=key)
            events = decide(state, act, ctx)
        except RuleError:
            continue
        apply_events(state, events)
        state.size = seq
    return state


def author_of(state: AssemblyState, entry: Entry) -> str:
    """The member id behind the entry's key; raise NotAMember, or KeyReplaced for a replaced key."""
    return author_by_key(state, entry.author, seq=entry.seq)


def author_by_key(state: AssemblyState, key: str, *, seq: int) -> str:
    """The member id behind `key`; raise NotAMember, or KeyReplaced for a replaced key."""
    member = state.key_owner.get(key)
    if member is None:
        if key in state.replaced_keys:
            raise KeyReplaced(seq=seq, key=key, member=state.replaced_keys[key])
        raise NotAMember(seq=seq, author=key)
    return member
