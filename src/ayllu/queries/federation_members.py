"""The federation page's forms for acting as the federation's member (decision 0029): per delegate
standing now (or office holder) whose home record this node holds, the member acts the core would take
from their key now: tabling a proposal, and closing each question whose time came. Each form is signed
in the browser with the device key kept for the delegate's home assembly (`data-key-log`).

Whether each act is offered is the core's answer (`allowed.refusal`, the rule replay runs): nothing here
says who stands.
"""

from typing import Any

from ayllu.core.assembly.allowed import refusal
from ayllu.core.assembly.state import AssemblyState
from ayllu.core.federations.joining import (
    JOIN,
    LEAVE,
    MembershipCited,
    MembershipDecided,
    membership_question,
)
from ayllu.core.ledger.canonical import canonical_bytes
from ayllu.core.proposals.questions import QuestionClosed
from ayllu.core.proposals.tabling import ProposalTabled
from ayllu.storage import models

from .federation_votes import _cited as cited_entry
from .replayed import read_state

# What the probe of "may table" carries: the rule reads no words, so any title does.
_PROBE = {"matter": "ordinary", "title": "-", "text": "", "effect": {}}


def list_member_forms(federation: str, *, now: int) -> list[dict[str, Any]]:
    """Per standing delegate whose home record is held here (first seated first): their key, assembly
    (log id and name), whether they may table a proposal now, and the questions they may close now."""

    def read(state: AssemblyState) -> tuple[list[tuple[str, str]], list[int], AssemblyState]:
        seats = [
            (s.key, s.assembly)
            for m in state.member_assemblies.values()
            for s in sorted(m.seats, key=lambda s: s.seq)
            if s.stands(now=now)
        ]
        open_questions = sorted(q.id for q in state.questions.values() if not q.closed_seq)
        return seats, open_questions, state

    seats, questions, state = read_state(federation, read)
    if not seats:
        return []
    names = dict(models.Record.objects.filter(log__in={a for _, a in seats}).values_list("log", "name"))
    probe = ProposalTabled.parse(_PROBE)
    forms = []
    for key, assembly in seats:
        if assembly not in names:
            continue
        tables = refusal(state, key=key, act=probe, time=now) is None
        closes = [
            {"question": q, "proposal": state.questions[q].proposal}
            for q in questions
            if refusal(state, key=key, act=QuestionClosed.parse({"question": q}), time=now) is None
        ]
        if tables or closes:
            forms.append(
                {"key": key, "assembly": assembly, "name": names[assembly], "table": tables, "close": closes}
            )
    return forms


def is_federation(log: str) -> bool:
    """True when the record held here under `log` is a federation (its charter has a `federation` block)."""
    return bool(
        read_state(log, lambda state: state.charter is not None and state.charter.federation is not None)
    )


def list_membership_forms(federation: str, *, home: str, key: str, now: int) -> list[dict[str, Any]]:
    """The forms joining or leaving `federation` takes for the assembly `home` (the record the reader is
    logged in to, held here) and its member `key`: stating the home's decision (a "yes" mandate on
    `membership:join|leave` naming the federation) once it holds, and citing each statement into the
    federation while the federation's rules would take it. Each is the whole body, offered only where the
    core would accept it now."""
    if home == federation:
        return []

    def read_home(state: AssemblyState) -> tuple[list[dict[str, Any]], list[int]]:
        stated = {
            (action, decision)
            for fed, action, decision in state.membership_stated.values()
            if fed == federation
        }
        forms = []
        for action in (JOIN, LEAVE):
            act = MembershipDecided.parse({"federation": federation, "action": action})
            mandate = state.mandates.get((federation, membership_question(action)))
            if mandate is None or (action, mandate.proposal) in stated:
                continue
            if refusal(state, key=key, act=act, time=now) is None:
                forms.append({"kind": "state", "action": action, "body": _json(act.content())})
        statements = [seq for seq, (fed, _, _) in state.membership_stated.items() if fed == federation]
        return forms, statements

    forms, statements = read_state(home, read_home)
    if not statements:
        return forms
    state = read_state(federation, lambda found: found)
    for seq in sorted(statements)[-2:]:  # the latest join and leave are the only ones ever taken
        cited = cited_entry(home, seq)
        if cited is None:
            continue
        act = MembershipCited.parse({"assembly": home, "cites": [cited[0]], "decision": cited[1]})
        if refusal(state, key=key, act=act, time=now) is None:
            forms.append({"kind": "cite", "action": cited[1]["action"], "body": _json(act.content())})
    return forms


def _json(content: dict[str, Any]) -> str:
    return canonical_bytes(content).decode("utf-8")
