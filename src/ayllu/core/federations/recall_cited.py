"""Recall reaches the federation: the home record states a delegate's withdrawal, anyone cites it there.

Acts (body fields in braces):
- delegate.withdrawn {federation, credential, at} (home record, any member): the credential `credential`
  (a `delegate.accredited` for `federation`) was issued under a term of a cargo representing the
  assembly there that a recall ended at `at` (the recall entry's time). The home rules refuse anything
  else (`not_withdrawn`). Its public body is what the federation reads, as for the credential.
- federation.recall_cited {cites, withdrawn} (federation record, anyone's key): one citation of that
  entry and its public body. Replay refuses another entry or body (`not_a_withdrawal`), a withdrawal for
  another federation, a credential that seated nobody (`unknown_seat`), a withdrawal cited before
  (`recall_already_cited`). From then on every seat on that credential stands only until `at`.

The race — a delegate votes after `at` but before the recall is cited — is closed on replay: when the
recall is cited, every open question's voices are read again, each assembly's voice being its latest
ballot whose seat stood at that ballot's own entry time; a vote cast after `at` counts for nothing,
whichever order the two entries arrived in. A federation question whose deadline passed closes only
after the charter's grace time (`federation.recall_grace_hours`, default 48), during which recalls may
still be cited (proposals/questions.py); a recall cited after the close changes nothing decided.
"""

from dataclasses import dataclass
from typing import Any

from ayllu.core.assembly.acts import HEX, INT_ID, LIST, OBJECT, TIME, Act, act_field, act_kind
from ayllu.core.assembly.events import Context, Event, applies, rule
from ayllu.core.assembly.state import AssemblyState
from ayllu.core.cargos.powers import cargo_powers, represent_in
from ayllu.core.federations.cited import CitingAct, one_citation, read_cited
from ayllu.core.federations.errors import (
    NotAWithdrawal,
    NotWithdrawn,
    RecallAlreadyCited,
    UnknownSeat,
)

WITHDRAWN = "delegate.withdrawn"


@act_kind
class DelegateWithdrawn(Act):
    type = WITHDRAWN
    name = "state-withdrawal"
    summary = "State that a recall ended a delegate's standing in a federation, for the federation to cite"
    cited_elsewhere = True

    federation: str = act_field(HEX, help="the federation's log id")
    credential: int = act_field(INT_ID, help="the seq of the recalled delegate's credential")
    at: int = act_field(TIME, help="when the recall ended their cargo (the recall entry's time)")


@act_kind
class RecallCited(CitingAct):
    type = "federation.recall_cited"
    name = "cite-recall"
    summary = "Cite a home assembly's recall of its delegate into the federation (anyone may)"

    cites: list[Any] = act_field(LIST, help='[citation of the withdrawal], e.g. "[$(ayllu cite HOME SEQ)]"')
    withdrawn: dict[str, Any] = act_field(OBJECT, help="the withdrawal's body, as the cited entry signs it")


@dataclass(frozen=True, slots=True)
class WithdrawalStated(Event):
    seq: int
    federation: str
    credential: int
    at: int


@dataclass(frozen=True, slots=True)
class RecallReached(Event):
    seq: int
    assembly: str
    credential: int
    at: int


def recalled_at(state: AssemblyState, credential: int, *, federation: str) -> int:
    """When a recall ended the term under which `credential` was issued for `federation` (0: it did not)."""
    issued = state.credentials.get(credential)
    if issued is None or issued.federation != federation:
        return 0
    power = represent_in(federation)
    for name, cargo in state.cargos.items():
        if power not in cargo_powers(state, name):
            continue
        for term in cargo.terms:
            under = term.start <= issued.time < term.end
            if term.member == issued.member and under and term.ended_by == "recall":
                return term.end
    return 0


@rule(DelegateWithdrawn)
def decide_state_withdrawal(state: AssemblyState, act: DelegateWithdrawn, ctx: Context) -> list[Event]:
    """State a recall of the delegate who issued `credential`, exactly as the home record decided it."""
    at = recalled_at(state, act.credential, federation=act.federation)
    if not at or at != act.at or at > ctx.time:
        raise NotWithdrawn(seq=ctx.seq, credential=act.credential, at=act.at, recalled_at=at)
    return [WithdrawalStated(ctx.seq, act.federation, act.credential, act.at)]


@applies(WithdrawalStated)
def apply_withdrawal_stated(state: AssemblyState, event: WithdrawalStated) -> None:
    state.withdrawals_stated[event.seq] = (event.federation, event.credential, event.at)


@rule(RecallCited)
def decide_cite_recall(state: AssemblyState, act: RecallCited, ctx: Context) -> list[Event]:
    """End the standing of the seats on a recalled delegate's credential at the recall's time."""
    citation = one_citation(state, act, ctx, reason="one_withdrawal")
    withdrawn = read_cited(citation, act.withdrawn, DelegateWithdrawn, seq=ctx.seq, refused=NotAWithdrawal)
    if withdrawn.federation != state.log:
        raise NotAWithdrawal(seq=ctx.seq, reason="other_federation")
    if (citation.log, withdrawn.credential) not in state.seats_by_credential:
        raise UnknownSeat(seq=ctx.seq, assembly=citation.log, credential=withdrawn.credential)
    if (citation.log, withdrawn.credential) in state.recalls_cited:
        raise RecallAlreadyCited(seq=ctx.seq, cited=state.recalls_cited[(citation.log, withdrawn.credential)])
    return [RecallReached(ctx.seq, citation.log, withdrawn.credential, withdrawn.at)]


@applies(RecallReached)
def apply_recall_reached(state: AssemblyState, event: RecallReached) -> None:
    state.recalls_cited[(event.assembly, event.credential)] = event.seq
    state.recalls_at[(event.assembly, event.credential)] = event.at
    seat = state.seats_by_credential[(event.assembly, event.credential)]
    seat.until = min(seat.until, event.at)
    _read_voices_again(state, assembly=event.assembly)


def _read_voices_again(state: AssemblyState, *, assembly: str) -> None:
    """Each open question's voice of `assembly`: its latest ballot whose seat stood at the ballot's time."""
    seats = state.member_assemblies[assembly].seats
    for question in state.questions.values():
        if question.closed_seq or assembly not in question.votes:
            continue
        standing = [
            b
            for b in state.delegation_ballots
            if b.assembly == assembly
            and b.question == question.id
            and any(
                s.key == b.key and s.credential[:2] == b.credential and s.stands(now=b.time) for s in seats
            )
        ]
        if standing:
            question.votes[assembly] = standing[-1].choice
            question.ballot_seqs[assembly] = standing[-1].seq
        else:
            del question.votes[assembly]
            question.ballot_seqs.pop(assembly, None)


def list_recalls_cited(state: AssemblyState) -> list[dict[str, Any]]:
    """The recalls cited into the federation, newest first: which assembly recalled which delegate (their
    key, the credential's seq in the home record), from when (`at`), and the citing entry. Ids, keys
    and times only: no words."""
    return [
        {
            "assembly": assembly,
            "credential_seq": credential,
            "key": state.seats_by_credential[(assembly, credential)].key,
            "at": state.recalls_at[(assembly, credential)],
            "seq": seq,
        }
        for (assembly, credential), seq in sorted(state.recalls_cited.items(), key=lambda item: -item[1])
    ]
