"""The federation page's forms for acting as the federation's member (decision 0029): per delegate
standing now (or office holder) whose home record this node holds, the member acts the core would take
from their key now: tabling a proposal, and closing each question whose time came. Each form is signed
in the browser with the device key kept for the delegate's home assembly (`data-key-log`).

Whether each act is offered is the core's answer (`allowed.refusal`, the rule replay runs): nothing here
says who stands.
"""

from dataclasses import dataclass
from typing import Any

from ayllu.core.assembly.allowed import refusal
from ayllu.core.assembly.state import AssemblyState
from ayllu.core.assembly.words import ReadModel
from ayllu.core.federations.credentials import DelegateAccredited
from ayllu.core.federations.joining import (
    JOIN,
    LEAVE,
    MembershipCited,
    MembershipDecided,
    membership_question,
)
from ayllu.core.federations.seats import DelegateSeated
from ayllu.core.ledger.canonical import canonical_bytes
from ayllu.core.proposals.questions import QuestionClosed
from ayllu.core.proposals.tabling import ProposalTabled
from ayllu.storage import models

from .federation_votes import _cited as cited_entry
from .replayed import read_state

# What the probe of "may table" carries: the rule reads no words, so any title does.
_PROBE = {"matter": "ordinary", "title": "-", "text": "", "effect": {}}


@dataclass(frozen=True, slots=True)
class CloseFormRead(ReadModel):
    """A question of the federation a delegate may close now, and its proposal."""

    question: int
    proposal: int


@dataclass(frozen=True, slots=True)
class MemberFormRead(ReadModel):
    """A standing delegate's acts as the federation's member: whether they may table a proposal now,
    and the questions they may close now."""

    key: str
    assembly: str
    name: str
    table: bool
    close: tuple[CloseFormRead, ...]


@dataclass(frozen=True, slots=True)
class MembershipFormRead(ReadModel):
    """A form joining or leaving takes: `state` the home's decision, or `cite` it into the federation;
    the whole body signed."""

    kind: str
    action: str
    body: str


@dataclass(frozen=True, slots=True)
class OfficeUpFormRead(ReadModel):
    """An office holder's step up to the higher federation: `accredit` (the credential, in record
    `log`) or `seat` (in the higher federation's record `log`), signed with the key kept for `home`."""

    kind: str
    log: str
    type: str
    key: str
    home: str
    name: str
    higher: str
    body: str


def list_member_forms(federation: str, *, now: int) -> list[MemberFormRead]:
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
        closes = tuple(
            CloseFormRead(question=q, proposal=state.questions[q].proposal)
            for q in questions
            if refusal(state, key=key, act=QuestionClosed.parse({"question": q}), time=now) is None
        )
        if tables or closes:
            forms.append(
                MemberFormRead(key=key, assembly=assembly, name=names[assembly], table=tables, close=closes)
            )
    return forms


def is_federation(log: str) -> bool:
    """True when the record held here under `log` is a federation (its charter has a `federation` block)."""
    return bool(
        read_state(log, lambda state: state.charter is not None and state.charter.federation is not None)
    )


def list_membership_forms(federation: str, *, home: str, key: str, now: int) -> list[MembershipFormRead]:
    """The forms joining or leaving `federation` takes for the assembly `home` (the record the reader is
    logged in to, held here) and its member `key`: stating the home's decision (a "yes" mandate on
    `membership:join|leave` naming the federation) once it holds, and citing each statement into the
    federation while the federation's rules would take it. Each is the whole body, offered only where the
    core would accept it now."""
    if home == federation:
        return []

    def read_home(state: AssemblyState) -> tuple[list[MembershipFormRead], list[int]]:
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
                forms.append(MembershipFormRead(kind="state", action=action, body=_json(act.content())))
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
            forms.append(
                MembershipFormRead(kind="cite", action=cited[1]["action"], body=_json(act.content()))
            )
    return forms


def _json(content: dict[str, Any]) -> str:
    return canonical_bytes(content).decode("utf-8")


def list_office_up_forms(federation: str, *, now: int) -> list[OfficeUpFormRead]:
    """Nesting (decision 0029): per office of the federation that represents it in a higher federation,
    held now by a person whose home record is held here: the credential they would issue in this record
    for the higher federation (until their office ends), while none of theirs runs; then, where this node
    holds the higher federation too, the seat it would take there. Each the whole body, signed with the
    key kept for the holder's home assembly, offered only where the core would take it now."""

    def read(state: AssemblyState) -> tuple[list[tuple[str, str, str, int]], dict[str, int], AssemblyState]:
        rules = state.charter.federation if state.charter is not None else None
        holders = []
        for spec in rules.offices if rules is not None else ():
            if not spec.represents:
                continue
            for term in state.offices.terms.get(spec.office, []):
                for holder in term.holders:
                    if holder.holds(now=now):
                        holders.append((spec.represents, holder.key, holder.credential[0], holder.until))
        issued = {
            f"{c.member}:{c.federation}": c.seq
            for c in sorted(state.credentials.values(), key=lambda c: c.seq)
            if c.until > now
        }
        return holders, issued, state

    holders, issued, state = read_state(federation, read)
    if not holders:
        return []
    names = dict(
        models.Record.objects.filter(log__in={h for _, _, h, _ in holders}).values_list("log", "name")
    )
    forms = []
    for higher, key, home, until in holders:
        if home not in names:
            continue
        seq = issued.get(f"{key}:{higher}")
        if seq is None:
            act: Any = DelegateAccredited.parse({"federation": higher, "until": until})
            if refusal(state, key=key, act=act, time=now) is None:
                forms.append(_up_form("accredit", federation, key, home, names[home], higher, act))
            continue
        cited = cited_entry(federation, seq)
        if cited is None or not models.Record.objects.filter(log=higher).exists():
            continue
        act = DelegateSeated.parse({"assembly": federation, "cites": [cited[0]], "credential": cited[1]})
        upper = read_state(higher, lambda found: found)
        if refusal(upper, key=key, act=act, time=now) is None:
            forms.append(_up_form("seat", higher, key, home, names[home], higher, act))
    return forms


def _up_form(kind: str, log: str, key: str, home: str, name: str, higher: str, act: Any) -> OfficeUpFormRead:
    body = _json(act.content())
    return OfficeUpFormRead(
        kind=kind, log=log, type=act.type, key=key, home=home, name=name, higher=higher, body=body
    )
