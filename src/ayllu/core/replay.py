"""Replaying a record's entries into the assembly's state, re-checking every rule on the way.

Every replica calls `apply_entry` for each entry in order. An entry that is validly signed but breaks a
rule raises a `RuleError`, and the record that holds it does not verify. This module is the single entry
point; the rules themselves live in the subject modules (charter, members, decisions, ...).
"""

from dataclasses import dataclass, field, replace
from typing import Any

from .errors import AlreadyFounded, MalformedBody, NotAMember, NotFounded, UnknownEntryType, WrongLog
from .record import Body, Entry, log_id_for

FOUNDED = "assembly.founded"
MEMBER_ADMITTED = "member.admitted"
NOTICE_POSTED = "notice.posted"


@dataclass(frozen=True, slots=True)
class AssemblyState:
    """What replay knows about one assembly after some prefix of its record."""

    log: str
    size: int = 0
    name: str = ""
    members: frozenset[str] = field(default_factory=frozenset)


def initial_state(log: str) -> AssemblyState:
    """The state of a record before its first entry."""
    return AssemblyState(log=log)


def apply_entry(state: AssemblyState, entry: Entry, body: Body | None) -> AssemblyState:
    """Fold one entry into the state; raise a RuleError if it breaks a rule.

    `body` is None when this replica may not see the body (confidential): rules that need the content
    of such a body cannot be re-checked by that replica, and entries whose rules need content must not
    be confidential.
    """
    if entry.log != state.log:
        raise WrongLog(seq=entry.seq, expected=state.log, found=entry.log)
    if state.size == 0:
        if entry.type != FOUNDED:
            raise NotFounded(seq=entry.seq, type=entry.type)
        content = _content(entry, body)
        if body is None or log_id_for(body) != state.log:
            raise WrongLog(seq=entry.seq, reason="log_not_derived_from_founding_body")
        founders = content.get("founders")
        if not isinstance(founders, list) or entry.author not in founders:
            raise NotAMember(seq=entry.seq, author=entry.author)
        name = content.get("name")
        return replace(state, size=1, name=name if isinstance(name, str) else "", members=frozenset(founders))
    if entry.author not in state.members:
        raise NotAMember(seq=entry.seq, author=entry.author)
    if entry.type == FOUNDED:
        raise AlreadyFounded(seq=entry.seq)
    if entry.type == MEMBER_ADMITTED:
        member = _content(entry, body).get("member")
        if not isinstance(member, str):
            raise MalformedBody(seq=entry.seq, field="member")
        return replace(state, size=state.size + 1, members=state.members | {member})
    if entry.type == NOTICE_POSTED:
        return replace(state, size=state.size + 1)
    raise UnknownEntryType(seq=entry.seq, type=entry.type)


def _content(entry: Entry, body: Body | None) -> dict[str, Any]:
    if body is None:
        raise MalformedBody(seq=entry.seq, reason="body_needed_for_rules")
    return body.content()
