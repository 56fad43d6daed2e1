"""A federation's offices, passed by turn among its member assemblies (docs/federation-bodies.md).

The federation's charter lists its offices (`federation.offices`: convenor, delegate to the next level,
spokesperson, ...), each with a term and a burden. Each term starts when the previous one ends, the
first at the founding (or at the entry after the amendment that adds the office); when it starts,
replay asks the rotation engine (core/cargos/rotation, the same one that passes a cargo among
households) whose turn it is, with the member assemblies in place of households. So the turn depends
only on the record: every replica names the same assembly at the same moment. When no assembly may
take it (every one holds as many offices as the charter allows), the term stays empty: the federation
decides.

The assembly whose turn it is names the person by its own decision, at home:

- office.accredited {federation, office, until} (home record): a member who holds, now and at least
  until `until`, a cargo with the power `office_in:<federation>:<office>` (given by the home
  assembly's decision, or by its own turn order) states that they serve that office for the assembly
  until `until`. The home rules check the cargo, as for a delegate's credential (credentials.py).
- federation.office_taken {assembly, cites, credential} (federation record, anyone's key): cites that
  credential and carries its public body. Replay checks, by the proof and the body alone: the entry is
  the named assembly's, an office credential for this federation and an office of its charter, not
  ended, not cited before, and the office's current term is that assembly's turn. The holder is the
  credential's signer; they hold the office until the credential or the term ends, whichever is first.
  A later credential of the same assembly names someone else for the rest of the term.

Terms end by themselves: nobody's act is needed for the next assembly's turn to begin.
"""

from dataclasses import dataclass
from typing import Any

from ayllu.core.assembly.acts import HEX, LIST, NAME, OBJECT, TIME, Act, act_field, act_kind
from ayllu.core.assembly.citing import refuse_own_record
from ayllu.core.assembly.events import Context, Event, applies, rule
from ayllu.core.assembly.state import AssemblyState, FederationOffices, OfficeHolder, OfficeTerm, copy_state
from ayllu.core.cargos.powers import office_in
from ayllu.core.cargos.rotation import (
    ASK_ASSEMBLY,
    YEAR_MS,
    Household,
    RotationFacts,
    RotationRules,
    Service,
    get_next_turn,
    list_turn_order,
)
from ayllu.core.cargos.rotation import Cargo as RotationCargo
from ayllu.core.charter.rules import FederationRules, OfficeSpec
from ayllu.core.errors import DomainError
from ayllu.core.federations.cited import CitingAct, assembly_citation, read_cited
from ayllu.core.federations.credentials import holding_end
from ayllu.core.federations.errors import (
    CitedOtherAssembly,
    CredentialExpired,
    CredentialOtherFederation,
    CredentialUsed,
    NoOfficeCargo,
    NotAnOfficeCredential,
    NotAssemblysTurn,
    UnknownOffice,
)
from ayllu.core.federations.reads import OfficeHolderRead, OfficeRead, TermRead, TurnRead

OFFICE_ACCREDITED = "office.accredited"


@act_kind
class OfficeAccredited(Act):
    type = OFFICE_ACCREDITED
    name = "accredit-office"
    summary = (
        "State that you serve a federation's office for the assembly: the credential the federation cites"
    )
    cited_elsewhere = True

    federation: str = act_field(HEX, help="the federation's log id")
    office: str = act_field(NAME, help="the office, as the federation's charter names it")
    until: int = act_field(TIME, help="when the credential ends (no later than your cargo's term)")


@act_kind
class OfficeTaken(CitingAct):
    type = "federation.office_taken"
    name = "cite-office"
    summary = (
        "Cite into a federation the credential of the person an assembly names to the office it has by turn"
    )

    assembly: str = act_field(HEX, help="the log id of the assembly whose turn it is")
    cites: list[Any] = act_field(
        LIST, help='[citation of the office credential], e.g. "[$(ayllu cite HOME_LOG SEQ)]"'
    )
    credential: dict[str, Any] = act_field(OBJECT, help="the credential's body, as the cited entry signs it")


@dataclass(frozen=True, slots=True)
class OfficeCredentialIssued(Event):
    seq: int
    member: str
    federation: str
    office: str
    until: int


@dataclass(frozen=True, slots=True)
class OfficeHolderNamed(Event):
    office: str
    start: int
    key: str
    since: int
    until: int
    seq: int
    credential: tuple[str, int, str]


# --- the home record: the office credential -----------------------------------------------------------


@rule(OfficeAccredited)
def decide_accredit_office(state: AssemblyState, act: OfficeAccredited, ctx: Context) -> list[Event]:
    """An office credential, by a member holding the home cargo that serves that office."""
    refuse_own_record(state, act.federation, field="federation", seq=ctx.seq)
    end = holding_end(state, ctx.author, office_in(act.federation, act.office), now=ctx.time)
    if act.until <= ctx.time or end < act.until:
        raise NoOfficeCargo(
            seq=ctx.seq, member=ctx.author, federation=act.federation, office=act.office, holds_until=end
        )
    return [OfficeCredentialIssued(ctx.seq, ctx.author, act.federation, act.office, act.until)]


@applies(OfficeCredentialIssued)
def apply_office_credential(state: AssemblyState, event: OfficeCredentialIssued) -> None:
    state.offices.credentials[event.seq] = (event.member, event.federation, event.office, event.until)


# --- the turn among member assemblies -----------------------------------------------------------------


def office_specs(state: AssemblyState) -> tuple[OfficeSpec, ...]:
    """The offices of the charter in force (none for an assembly)."""
    rules = state.charter.federation if state.charter is not None else None
    return rules.offices if rules is not None else ()


def office_facts(state: AssemblyState, rules: FederationRules) -> RotationFacts:
    """The rotation engine's facts with member assemblies in place of households: each assembly is a
    household of one (itself), each office a cargo, each past term a service of the assembly."""
    known = {o.office for o in rules.offices}
    services = tuple(
        Service(t.office, t.assembly, t.assembly, t.start, t.end)
        for terms in state.offices.terms.values()
        for t in terms
        if t.assembly and t.office in known and t.end > t.start
    )
    limit = rules.offices_per_assembly
    return RotationFacts(
        seed=state.log,
        households=tuple(Household(a, (a,)) for a in sorted(state.member_assemblies)),
        cargos=tuple(RotationCargo(o.office, o.burden, o.term_ms) for o in rules.offices),
        services=services,
        rules=RotationRules(
            rest_ms=0,
            no_consecutive=True,
            max_cargos_per_person=limit,
            max_cargos_per_household=limit,
            when_nobody_eligible=(ASK_ASSEMBLY,),
        ),
    )


def offices_due(state: AssemblyState, *, now: int) -> bool:
    """True when a term of a federation office starts at or before `now` (or an office has no term yet)."""
    specs = office_specs(state)
    book = state.offices
    return any(o.office not in book.next_start or book.next_start[o.office] <= now for o in specs)


def advance_offices(state: AssemblyState, *, now: int) -> None:
    """Start every office term due by `now`, in the order they start (heaviest office first among
    terms starting together, as the forecast fills them). Changes `state` in place: replay calls it
    on a copy, before the first entry whose time reaches the term."""
    rules = state.rules.federation
    assert rules is not None
    book = state.offices
    for spec in rules.offices:
        # An office the charter just gained starts its first term at the last entry's time.
        book.next_start.setdefault(spec.office, state.last_time)
    specs = {o.office: o for o in rules.offices}
    while True:
        due = [
            (start, -specs[o].burden, o)
            for o, start in book.next_start.items()
            if o in specs and start <= now
        ]
        if not due:
            return
        start, _, office = min(due)
        spec = specs[office]
        try:
            turn = get_next_turn(office_facts(state, rules), cargo=office, at=start)
            assembly = turn.holders[0].household if turn.holders else ""
            outcome = turn.outcome
        except DomainError:
            assembly, outcome = "", ASK_ASSEMBLY
        book.terms.setdefault(office, []).append(
            OfficeTerm(office, assembly, start, start + spec.term_ms, outcome)
        )
        book.next_start[office] = start + spec.term_ms


def at_moment(state: AssemblyState, *, now: int, copy: bool = True) -> AssemblyState:
    """The state with every office term due by `now` started (a copy when any was due, unless `copy`
    is False: then in `state` itself)."""
    if state.charter is None or not offices_due(state, now=now):
        return state
    if copy:
        state = copy_state(state)
    advance_offices(state, now=now)
    return state


def current_term(book: FederationOffices, office: str, *, now: int) -> OfficeTerm | None:
    """The term of `office` running at `now`, if any."""
    return next((t for t in reversed(book.terms.get(office, [])) if t.start <= now < t.end), None)


# --- the federation record: the holder's credential cited in ------------------------------------------


def credential_cited(book: FederationOffices, cited: tuple[str, int]) -> bool:
    """True when the home entry `cited` (log, seq) already named an office holder."""
    return any(h.credential[:2] == cited for terms in book.terms.values() for t in terms for h in t.holders)


@rule(OfficeTaken)
def decide_office_taken(state: AssemblyState, act: OfficeTaken, ctx: Context) -> list[Event]:
    """Name the office's holder for the assembly whose turn it is, on the credential cited."""
    citation = assembly_citation(
        state, act, ctx, assembly=act.assembly, reason="one_credential", other=CitedOtherAssembly
    )
    credential: OfficeAccredited = read_cited(
        citation, act.credential, OfficeAccredited, seq=ctx.seq, refused=NotAnOfficeCredential
    )
    if credential.federation != state.log:
        raise CredentialOtherFederation(seq=ctx.seq, federation=credential.federation)
    if credential.office not in {o.office for o in office_specs(state)}:
        raise UnknownOffice(seq=ctx.seq, office=credential.office)
    if credential.until <= ctx.time:
        raise CredentialExpired(seq=ctx.seq, until=credential.until)
    if credential_cited(state.offices, (citation.log, citation.seq)):
        raise CredentialUsed(seq=ctx.seq, log=citation.log, cited=citation.seq, reason="office")
    term = current_term(state.offices, credential.office, now=ctx.time)
    if term is None or term.assembly != act.assembly:
        raise NotAssemblysTurn(
            seq=ctx.seq, office=credential.office, assembly=act.assembly, turn=term.assembly if term else ""
        )
    held = (citation.log, citation.seq, citation.entry)
    until = min(credential.until, term.end)
    key = citation.header.author
    return [OfficeHolderNamed(credential.office, term.start, key, ctx.time, until, ctx.seq, held)]


@applies(OfficeHolderNamed)
def apply_office_holder(state: AssemblyState, event: OfficeHolderNamed) -> None:
    term = next(t for t in state.offices.terms[event.office] if t.start == event.start)
    for earlier in term.holders:
        # The assembly named someone else: whoever held it for the assembly holds it no longer.
        earlier.until = min(earlier.until, max(event.since, earlier.since + 1))
    term.holders.append(OfficeHolder(event.key, event.since, event.until, event.seq, event.credential))


# --- reads --------------------------------------------------------------------------------------------


def _term_read(term: OfficeTerm, *, now: int) -> TermRead:
    holder = term.holder(now=now)
    return TermRead(
        office=term.office,
        assembly=term.assembly,
        start=term.start,
        end=term.end,
        outcome=term.outcome,
        runs=term.start <= now < term.end,
        holder=holder.key if holder is not None else "",
        holders=tuple(
            OfficeHolderRead(
                key=h.key,
                since=h.since,
                until=h.until,
                seq=h.seq,
                holds=h.holds(now=now),
                suspended=h.suspended,
                suspended_by=h.suspended_by,
                credential_log=h.credential[0],
                credential_seq=h.credential[1],
            )
            for h in term.holders
        ),
    )


def list_offices(state: AssemblyState, *, now: int, ahead: int = 3) -> list[OfficeRead]:
    """Each office of the charter in force: its term and burden, the term running at `now` (whose turn,
    who holds it), the next `ahead` turns as the engine forecasts them, and the past terms (newest
    first). `state` must have its terms started up to `now` (`at_moment`). Ids, keys and times only."""
    rules = state.rules.federation if state.charter is not None else None
    if rules is None or not rules.offices:
        return []
    longest = max(o.term_ms for o in rules.offices)
    horizon = now + min(YEAR_MS, longest * (ahead + 1))
    try:
        forecast = list_turn_order(office_facts(state, rules), start=now, until=horizon)
    except DomainError:
        forecast = ()
    found = []
    for spec in rules.offices:
        terms = state.offices.terms.get(spec.office, [])
        running = current_term(state.offices, spec.office, now=now)
        coming = [
            t for t in forecast if t.cargo == spec.office and (running is None or t.start >= running.end)
        ]
        found.append(
            OfficeRead(
                office=spec.office,
                term_ms=spec.term_ms,
                burden=spec.burden,
                current=_term_read(running, now=now) if running is not None else None,
                next=tuple(
                    TurnRead(
                        assembly=t.holders[0].household if t.holders else "",
                        start=t.start,
                        end=t.end,
                        outcome=t.outcome,
                    )
                    for t in coming[:ahead]
                ),
                past=tuple(_term_read(t, now=now) for t in reversed(terms) if t.end <= now)[:12],
            )
        )
    return found


def list_office_terms(state: AssemblyState) -> list[OfficeTerm]:
    """Every office term the federation has started, in the order they started."""
    terms = [t for terms in state.offices.terms.values() for t in terms]
    return sorted(terms, key=lambda t: (t.start, t.office))
