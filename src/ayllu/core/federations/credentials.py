"""A delegate's credential: the home assembly's entry a federation cites to seat its delegate.

Acts (body fields in braces), in the home assembly's record:
- delegate.accredited {federation, until}: a member who holds, now and at least until `until`, a cargo
  with the power `represent_in:<federation>` (the federation's log id) states that they represent the
  assembly there until `until`. The home record's rules check the cargo; the federation's replay reads
  the credential's body from the seat that cites it (seats.py) and checks it by proof alone.

Why an act of its own rather than citing the decision that gave the cargo: a cargo is given by a
decision whose effect only the home record's replay computes, or by turn, with no entry at all; a
replica of the federation that holds no home record could check neither. The credential states in its
own public body what the home rules checked, so every replica reads the same thing (decision 0018).
"""

from dataclasses import dataclass

from ayllu.core.assembly.acts import HEX, TIME, Act, act_field, act_kind
from ayllu.core.assembly.citing import refuse_own_record
from ayllu.core.assembly.events import Context, Event, applies, rule
from ayllu.core.assembly.state import AssemblyState, Credential
from ayllu.core.assembly.words import ReadModel
from ayllu.core.cargos.powers import cargo_powers, represent_in
from ayllu.core.federations.errors import NoFederationCargo

ACCREDITED = "delegate.accredited"


@act_kind
class DelegateAccredited(Act):
    type = ACCREDITED
    name = "accredit"
    summary = "State that you represent the assembly in a federation: the credential the federation cites"
    cited_elsewhere = True

    federation: str = act_field(HEX, help="the federation's log id")
    until: int = act_field(TIME, help="when the credential ends (no later than your cargo's term)")


@dataclass(frozen=True, slots=True)
class CredentialIssued(Event):
    seq: int
    time: int
    member: str
    federation: str
    until: int


def holding_end(state: AssemblyState, member: str, power: str, *, now: int) -> int:
    """Until when `member` holds, from `now`, a cargo carrying `power` (0: they hold none now); in a
    federation, one of its offices whose charter gives it `power` (decision 0029)."""
    return max(
        office_holding_end(state, member, power, now=now),
        max(
            (
                cargo.holders[member]
                for name, cargo in state.cargos.items()
                if cargo.held_by(member, now=now) and power in cargo_powers(state, name)
            ),
            default=0,
        ),
    )


def office_holding_end(state: AssemblyState, key: str, power: str, *, now: int) -> int:
    """Until when `key` holds, from `now`, an office of the federation whose charter gives it `power`
    (0: they hold none now, or the record is not a federation)."""
    rules = state.charter.federation if state.charter is not None else None
    if rules is None:
        return 0
    with_power = {o.office for o in rules.offices if power in o.powers}
    return max(
        (
            holder.until
            for office, terms in state.offices.terms.items()
            if office in with_power
            for term in terms
            for holder in term.holders
            if holder.key == key and holder.holds(now=now)
        ),
        default=0,
    )


@rule(DelegateAccredited)
def decide_accredit(state: AssemblyState, act: DelegateAccredited, ctx: Context) -> list[Event]:
    """A credential for a federation, by a member holding the cargo that represents the assembly there."""
    refuse_own_record(state, act.federation, field="federation", seq=ctx.seq)
    end = holding_end(state, ctx.author, represent_in(act.federation), now=ctx.time)
    if act.until <= ctx.time or end < act.until:
        raise NoFederationCargo(
            seq=ctx.seq, member=ctx.author, federation=act.federation, until=act.until, holds_until=end
        )
    return [CredentialIssued(ctx.seq, ctx.time, ctx.author, act.federation, act.until)]


@applies(CredentialIssued)
def apply_credential(state: AssemblyState, event: CredentialIssued) -> None:
    credential = Credential(event.seq, event.time, event.member, event.federation, event.until)
    state.credentials[event.seq] = credential


@dataclass(frozen=True, slots=True)
class CredentialRead(ReadModel):
    """A credential a delegate (`member`) issued at `seq` (`time`) for a federation, valid until `until`;
    `runs` whether it still does at the time asked. Ids, keys and times only: it carries no words."""

    seq: int
    time: int
    member: str
    until: int
    runs: bool


def list_credentials(state: AssemblyState, *, federation: str, now: int) -> list[CredentialRead]:
    """The credentials this assembly's delegates issued for `federation`, newest first, and whether each
    still runs at `now`. Ids, keys and times only: a credential carries no words."""
    return [
        CredentialRead(seq=c.seq, time=c.time, member=c.member, until=c.until, runs=c.until > now)
        for c in sorted(state.credentials.values(), key=lambda c: -c.seq)
        if c.federation == federation
    ]
