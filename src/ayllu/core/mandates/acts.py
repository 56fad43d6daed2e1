"""Mandates: the assembly's positions on questions of another body, and its delegates' acts there.

A delegate to body B is whoever holds a cargo with the power `represent_in:B` at that moment. The
mandate belongs to the assembly, not to a person: whoever represents it in B carries it.

Decisions: matter "mandate" with effect {body, question, position}: from that decision on, the position
on (body, question) is `position` (a later mandate on the same question replaces it).

Acts (body fields in braces):
- mandate.requested {body, question, text}: a delegate of B asks the assembly for a position.
- delegate.voted {body, session, question, choice}: a delegate of B casts a vote in B through ayllu.
  Refused when the question has a mandate and `choice` differs (`contrary_to_mandate`), and when it has
  none and `choice` is not "abstain" (`no_mandate`: abstain, or request a mandate first).
- delegate.vote_reported {body, session, question, choice, delegate}: any member reports a vote cast in
  B outside ayllu by `delegate` (who held the power at some time). Accepted, and flagged when contrary
  to the mandate or cast without one.
- delegate.session_held {body, session}: any member records that B met; a report is then due.
- delegate.report_filed {body, session, text}: a delegate of B (now, or at the session) reports back.
Every session named by any of these acts owes a report within the charter's report time
(`cargos.report_days`); `list_report_flags` lists the overdue ones for every member to see.
"""

from typing import Any

from ayllu.core.assembly.bodies import MAX_ID, MAX_TITLE, get_str, only_fields
from ayllu.core.assembly.state import AssemblyState, DelegateAct, Mandate, Proposal, Session
from ayllu.core.assembly.words import MEMBERS_ONLY, said
from ayllu.core.cargos.errors import (
    ContraryToMandate,
    NoMandate,
    NotDelegate,
    ReportAlreadyFiled,
    UnknownSession,
)
from ayllu.core.cargos.powers import holds_power, represent_in
from ayllu.core.ledger.record import Entry

MANDATE_FIELDS = {"body", "question", "position"}
ABSTAIN = "abstain"
CONTRARY = "contrary_to_mandate"
WITHOUT_MANDATE = "without_mandate"


def check_mandate(state: AssemblyState, effect: dict[str, Any], *, seq: int) -> None:
    """Raise unless the mandate names a body, a question and a position."""
    get_str(effect, "body", seq=seq, limit=MAX_ID)
    get_str(effect, "question", seq=seq, limit=MAX_TITLE)
    get_str(effect, "position", seq=seq, limit=MAX_TITLE)


def apply_mandate(state: AssemblyState, proposal: Proposal, *, seq: int) -> None:
    effect = proposal.effect
    key = (effect["body"], effect["question"])
    state.mandates[key] = Mandate(effect["body"], effect["question"], effect["position"], proposal.id, seq)


def delegates_of(state: AssemblyState, body: str, *, now: int) -> list[str]:
    """The members who represent the assembly in `body` at `now`, sorted."""
    power = represent_in(body)
    return sorted(m for m in state.members if holds_power(state, m, power, now=now))


def was_delegate(state: AssemblyState, member: str, body: str) -> bool:
    """True when `member` ever held a cargo with the power to represent the assembly in `body`."""
    power = represent_in(body)
    return any(
        power in cargo.powers and any(t.member == member for t in cargo.terms)
        for cargo in state.cargos.values()
    )


def _body_fields(content: dict[str, Any], seq: int) -> tuple[str, str]:
    return get_str(content, "body", seq=seq, limit=MAX_ID), get_str(content, "session", seq=seq, limit=MAX_ID)


def _session(state: AssemblyState, entry: Entry, body: str, session: str) -> Session:
    record = state.sessions.get((body, session))
    if record is None:
        due = entry.time + state.rules.cargo.report_ms
        record = Session(body, session, entry.seq, entry.time, due, delegates_of(state, body, now=entry.time))
        state.sessions[(body, session)] = record
    return record


def _check_delegate(state: AssemblyState, entry: Entry, author: str, body: str) -> None:
    if not holds_power(state, author, represent_in(body), now=entry.time):
        raise NotDelegate(seq=entry.seq, member=author, body=body)


def do_mandate_requested(state: AssemblyState, entry: Entry, author: str, content: dict[str, Any]) -> None:
    only_fields(content, {"body", "question", "text"}, seq=entry.seq)
    body = get_str(content, "body", seq=entry.seq, limit=MAX_ID)
    question = get_str(content, "question", seq=entry.seq, limit=MAX_TITLE)
    text = get_str(content, "text", seq=entry.seq, empty=True)
    _check_delegate(state, entry, author, body)
    state.mandate_requests[entry.seq] = {"body": body, "question": question, "text": text, "by": author}


def do_delegate_voted(state: AssemblyState, entry: Entry, author: str, content: dict[str, Any]) -> None:
    seq = entry.seq
    only_fields(content, {"body", "session", "question", "choice"}, seq=seq)
    body, session = _body_fields(content, seq)
    question = get_str(content, "question", seq=seq, limit=MAX_TITLE)
    choice = get_str(content, "choice", seq=seq, limit=MAX_TITLE)
    _check_delegate(state, entry, author, body)
    flag = mandate_flag(state, body=body, question=question, choice=choice)
    if flag == CONTRARY:
        mandate = state.mandates[(body, question)]
        raise ContraryToMandate(seq=seq, question=question, choice=choice, position=mandate.position)
    if flag == WITHOUT_MANDATE:
        raise NoMandate(seq=seq, body=body, question=question, choice=choice)
    _session(state, entry, body, session)
    state.delegate_acts.append(
        DelegateAct(seq, entry.time, author, body, session, question, choice, cast=True)
    )


def do_vote_reported(state: AssemblyState, entry: Entry, author: str, content: dict[str, Any]) -> None:
    seq = entry.seq
    only_fields(content, {"body", "session", "question", "choice", "delegate"}, seq=seq)
    body, session = _body_fields(content, seq)
    question = get_str(content, "question", seq=seq, limit=MAX_TITLE)
    choice = get_str(content, "choice", seq=seq, limit=MAX_TITLE)
    delegate = get_str(content, "delegate", seq=seq, limit=MAX_ID)
    if not was_delegate(state, delegate, body):
        raise NotDelegate(seq=seq, member=delegate, body=body)
    flag = mandate_flag(state, body=body, question=question, choice=choice)
    _session(state, entry, body, session)
    state.delegate_acts.append(
        DelegateAct(
            seq, entry.time, delegate, body, session, question, choice, cast=False, flag=flag, reporter=author
        )
    )


def mandate_flag(state: AssemblyState, *, body: str, question: str, choice: str) -> str:
    """ "" when `choice` follows the mandate (or abstains without one); otherwise what is wrong with it."""
    mandate = state.mandates.get((body, question))
    if mandate is not None:
        return "" if choice == mandate.position else CONTRARY
    return "" if choice == ABSTAIN else WITHOUT_MANDATE


def do_session_held(state: AssemblyState, entry: Entry, author: str, content: dict[str, Any]) -> None:
    only_fields(content, {"body", "session"}, seq=entry.seq)
    body, session = _body_fields(content, entry.seq)
    _session(state, entry, body, session)


def do_report_filed(state: AssemblyState, entry: Entry, author: str, content: dict[str, Any]) -> None:
    seq = entry.seq
    only_fields(content, {"body", "session", "text"}, seq=seq)
    body, session = _body_fields(content, seq)
    get_str(content, "text", seq=seq)
    record = state.sessions.get((body, session))
    if record is None:
        raise UnknownSession(seq=seq, body=body, session=session)
    if author not in record.delegates:
        _check_delegate(state, entry, author, body)
    if record.report_seq:
        raise ReportAlreadyFiled(seq=seq, body=body, session=session, report=record.report_seq)
    record.report_seq, record.report_by = seq, author


MANDATE_ACTS = {
    "mandate.requested": do_mandate_requested,
    "delegate.voted": do_delegate_voted,
    "delegate.vote_reported": do_vote_reported,
    "delegate.session_held": do_session_held,
    "delegate.report_filed": do_report_filed,
}


# The reads below wrap every word in a `Said` naming the act that wrote it (core/assembly/words.py):
# a reader sees them through `words.shown_to`. Bodies' names are not wrapped yet (access-policy.md,
# known gaps).


def list_mandates(state: AssemblyState, *, body: str = "") -> list[dict[str, Any]]:
    """The assembly's mandates (of one body, or all), by body and question: the question and the
    position are the words of the proposal that decided it."""
    return [
        {
            "body": m.body,
            "question": said(m.question, m.proposal),
            "position": said(m.position, m.proposal),
            "proposal": m.proposal,
            "seq": m.seq,
            MEMBERS_ONLY: False,
        }
        for (b, _), m in sorted(state.mandates.items())
        if not body or b == body
    ]


def list_mandate_requests(state: AssemblyState, *, body: str = "") -> list[dict[str, Any]]:
    """Delegates' requests for a mandate (of one body, or all), oldest first: question and text are the
    words of `mandate.requested`."""
    return [
        {
            "seq": seq,
            "body": request["body"],
            "question": said(request["question"], seq),
            "text": said(request["text"], seq),
            "by": request["by"],
            MEMBERS_ONLY: False,
        }
        for seq, request in sorted(state.mandate_requests.items())
        if not body or request["body"] == body
    ]


def list_sessions(state: AssemblyState, *, now: int, body: str = "") -> list[dict[str, Any]]:
    """Sessions of other bodies, with who represented the assembly, the report and whether it is overdue.
    The session's name is the words of the first act that named it."""
    return [
        {
            "body": s.body,
            "session": said(s.session, s.seq),
            "seq": s.seq,
            "due": s.due,
            "delegates": list(s.delegates),
            "report": s.report_seq,
            "report_by": s.report_by,
            "overdue": not s.report_seq and now > s.due,
            MEMBERS_ONLY: False,
        }
        for s in sorted(state.sessions.values(), key=lambda s: s.seq)
        if not body or s.body == body
    ]


def list_report_flags(state: AssemblyState, *, now: int) -> list[dict[str, Any]]:
    """Overdue reports, shown to every member: the session, when it was due and who owed it."""
    return [s for s in list_sessions(state, now=now) if s["overdue"]]


def list_delegate_votes(state: AssemblyState, *, flagged_only: bool = False) -> list[dict[str, Any]]:
    """Delegates' votes in other bodies (cast through ayllu or reported), with their mandate flags: the
    session, the question and the choice are the words of the act that cast or reported the vote."""
    return [
        {
            "seq": a.seq,
            "delegate": a.delegate,
            "body": a.body,
            "session": said(a.session, a.seq),
            "question": said(a.question, a.seq),
            "choice": said(a.choice, a.seq),
            "cast": a.cast,
            "flag": a.flag,
            "reporter": a.reporter,
            MEMBERS_ONLY: False,
        }
        for a in state.delegate_acts
        if a.flag or not flagged_only
    ]
