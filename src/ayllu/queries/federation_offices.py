"""Reads of a federation's offices by turn and overflow petitions, and of what a home assembly may do
about them (docs/federation-bodies.md). Ids, keys, seqs and times only: no words of any act."""

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial

from ayllu.core.assembly.state import AssemblyState
from ayllu.core.assembly.words import ReadModel, fields_of
from ayllu.core.cargos.powers import OFFICE_IN, REPRESENT_IN, office_in
from ayllu.core.charter.rules import DAY_MS
from ayllu.core.errors import DomainError
from ayllu.core.federations.credentials import holding_end
from ayllu.core.federations.office_concentration import get_office_concentration
from ayllu.core.federations.offices import OfficeAccredited, OfficeTaken, at_moment, list_offices
from ayllu.core.federations.petitions import (
    CONVENE,
    SUSPEND,
    WITHDRAW,
    YES,
    PetitionBacked,
    list_petitions,
    petition_fields,
    petition_needs,
    petition_question,
    petition_target,
)
from ayllu.core.federations.plenary import list_plenaries
from ayllu.core.federations.reads import (
    AssemblyTermsRead,
    OfficeRead,
    PersonTermsRead,
    PetitionRead,
    RecallVoteRead,
    SittingRead,
    TermRead,
    TurnRead,
)
from ayllu.core.federations.recall_vote import list_recall_votes
from ayllu.core.ledger.keys import HEX_KEY_LENGTH, is_hex
from ayllu.core.ledger.record import Body, parse_entry
from ayllu.storage import models, reads

from .allowed import acts_allowed
from .cargos import MeasureRead, measure_read
from .citations import get_citation
from .federations import get_record_names
from .replayed import read_state


@dataclass(frozen=True, slots=True)
class PlenaryCalledRead(ReadModel):
    """A plenary a completed petition called: the entry, and when it starts."""

    seq: int
    time: int
    starts: int


@dataclass(frozen=True, slots=True)
class WithdrawnRead(ReadModel):
    """A resolution a completed petition withdrew, at entry `seq`."""

    resolution: int
    seq: int


@dataclass(frozen=True, slots=True)
class OfficeConcentrationRead(ReadModel):
    """Office terms per member assembly (by load) and per person (by terms, here and in the federations
    below), and the concentration measures of both."""

    assemblies: tuple[AssemblyTermsRead, ...]
    persons: tuple[PersonTermsRead, ...]
    assembly_measure: MeasureRead
    person_measure: MeasureRead


@dataclass(frozen=True, slots=True)
class OfficesAndPetitionsRead(ReadModel):
    """A federation's offices by turn, its petitions and what they brought about (plenaries, sittings,
    recall votes, withdrawals)."""

    offices: tuple[OfficeRead, ...]
    offices_per_assembly: int
    petition_assemblies: int
    petitions: tuple[PetitionRead, ...]
    plenaries: tuple[PlenaryCalledRead, ...]
    sittings: tuple[SittingRead, ...]
    recall_votes: tuple[RecallVoteRead, ...]
    withdrawn: tuple[WithdrawnRead, ...]


@dataclass(frozen=True, slots=True)
class FederationOfficesRead(OfficesAndPetitionsRead):
    """A federation's offices by turn, its petitions and what they brought about (plenaries, sittings,
    recall votes, withdrawals), and office terms per member assembly and per person (`concentration`)."""

    concentration: OfficeConcentrationRead


@dataclass(frozen=True, slots=True)
class _View:
    """A federation's offices read, and what a home assembly's view of it needs beside."""

    read: OfficesAndPetitionsRead
    log: str
    members: tuple[str, ...]
    resolutions: tuple[int, ...]
    cited_credentials: frozenset[tuple[str, int]]


def _federation_view(state: AssemblyState, *, now: int) -> _View | None:
    rules = state.charter.federation if state.charter is not None else None
    if rules is None:
        return None
    ahead = at_moment(state, now=now)
    read = OfficesAndPetitionsRead(
        offices=tuple(list_offices(ahead, now=now)),
        offices_per_assembly=rules.offices_per_assembly,
        petition_assemblies=petition_needs(ahead),
        petitions=tuple(list_petitions(ahead, now=now)),
        plenaries=tuple(
            PlenaryCalledRead(seq=seq, time=time, starts=starts)
            for seq, time, starts, _ in ahead.offices.plenaries
        ),
        sittings=tuple(list_plenaries(ahead, now=now)),
        recall_votes=tuple(list_recall_votes(ahead, now=now)),
        withdrawn=tuple(
            WithdrawnRead(resolution=r, seq=s) for r, s in sorted(ahead.offices.withdrawn.items())
        ),
    )
    return _View(
        read=read,
        log=state.log,
        members=tuple(sorted(ahead.member_assemblies)),
        resolutions=tuple(sorted(ahead.proposals)[-MAX_CHOICES:]),
        cited_credentials=frozenset(
            h.credential[:2] for terms in ahead.offices.terms.values() for t in terms for h in t.holders
        ),
    )


def _below(members: list[str]) -> tuple[AssemblyState, ...]:
    """The states of the member records this node holds that are federations with an office holder (a
    level below): one query finds the records among `members` holding a `federation.office_taken` entry,
    which only a federation's record holds and which alone names an office's holder (an index holds
    those entries alone), so only those are read: a member assembly's state is not replayed, nor its
    head read, to learn it is no federation."""
    found = (
        models.Entry.objects.filter(record__log__in=members, type=OfficeTaken.type)
        .values_list("record__log", flat=True)
        .distinct()
    )
    return tuple(read_state(log, lambda state: state) for log in sorted(found))


def get_federation_offices(log: str, *, now: int) -> FederationOfficesRead | None:
    """A federation's offices (the running term, whose turn is next, the past terms), its petitions,
    the plenaries and withdrawals they brought about, and who held its offices per assembly and per
    person (with the federations below it this node holds); None for an assembly's record."""
    found = read_state(log, lambda state: _federation_view(state, now=now))
    if found is None:
        return None
    below = _below(list(found.members))
    concentration = read_state(
        log, lambda state: get_office_concentration(at_moment(state, now=now), now=now, below=below)
    )
    return FederationOfficesRead(
        **fields_of(found.read),
        concentration=OfficeConcentrationRead(
            assemblies=concentration.assemblies,
            persons=concentration.persons,
            assembly_measure=measure_read(concentration.assembly_measure),
            person_measure=measure_read(concentration.person_measure),
        ),
    )


def get_member_names(log: str) -> dict[str, str]:
    """The names of federation `log`'s member assemblies whose records this node holds."""
    return get_record_names(read_state(log, lambda state: list(state.member_assemblies)))


# --- a home assembly's view of its federations ---------------------------------------------------------


MAX_CHOICES = 20
CONVENE_IN_DAYS = (7, 14, 30)


@dataclass(frozen=True, slots=True)
class PetitionChoiceRead(ReadModel):
    """A petition a home assembly may propose to back, by its question (the mandate's): a plenary
    starting `starts`, suspending the holder of `office`, or withdrawing decision `resolution`."""

    question: str
    starts: int = 0
    office: str = ""
    holder: str = ""
    resolution: int = 0


@dataclass(frozen=True, slots=True)
class NewPetitionsRead(ReadModel):
    convene: tuple[PetitionChoiceRead, ...]
    suspend: tuple[PetitionChoiceRead, ...]
    withdraw: tuple[PetitionChoiceRead, ...]


def _new_petitions(view: _View, *, taken: set[str], now: int) -> NewPetitionsRead:
    """The petitions a home assembly may propose to back, each with its question (the mandate's):
    a plenary at noon (UTC) 7, 14 or 30 days ahead, suspending each office's holder now, withdrawing
    one of the federation's latest decisions. Those already open or stated are left out."""
    noon = now - now % DAY_MS + DAY_MS // 2
    convene = (
        PetitionChoiceRead(
            question=petition_question(CONVENE, petition_target(CONVENE, starts=starts)), starts=starts
        )
        for starts in (noon + days * DAY_MS for days in CONVENE_IN_DAYS)
    )
    suspend = (
        PetitionChoiceRead(
            question=petition_question(
                SUSPEND, petition_target(SUSPEND, office=o.office, holder=o.current.holder)
            ),
            office=o.office,
            holder=o.current.holder,
        )
        for o in view.read.offices
        if o.current is not None and o.current.holder
    )
    withdraw = (
        PetitionChoiceRead(
            question=petition_question(WITHDRAW, petition_target(WITHDRAW, resolution=r)), resolution=r
        )
        for r in reversed(view.resolutions)
    )
    return NewPetitionsRead(
        convene=tuple(c for c in convene if c.question not in taken),
        suspend=tuple(c for c in suspend if c.question not in taken),
        withdraw=tuple(c for c in withdraw if c.question not in taken),
    )


def _named_federations(state: AssemblyState) -> set[str]:
    """Every federation log id the home record names: in a cargo's powers, mandates and credentials."""
    named = {b for b, _ in state.mandates}
    for cargo in state.cargos.values():
        for power in cargo.powers:
            if power.startswith(REPRESENT_IN):
                named.add(power.removeprefix(REPRESENT_IN))
            elif power.startswith(OFFICE_IN):
                named.add(power.removeprefix(OFFICE_IN).partition(":")[0])
    named |= {c.federation for c in state.credentials.values()}
    named |= {f for _, f, _, _ in state.offices.credentials.values()}
    named |= {f for f, _, _ in state.offices.backings.values()}
    return {n for n in named if is_hex(n, HEX_KEY_LENGTH) and n != state.log}


# A node holding this many records or fewer is searched for every federation the assembly is a member
# of; a larger one shows the federations the assembly's own record names.
SEARCH_ALL_UP_TO = 64


def _federations_of(log: str, named: set[str]) -> list[str]:
    held = list(models.Record.objects.exclude(log=log).values_list("log", flat=True)[: SEARCH_ALL_UP_TO + 1])
    candidates = set(held) if len(held) <= SEARCH_ALL_UP_TO else set()
    candidates |= set(models.Record.objects.filter(log__in=named).values_list("log", flat=True))
    return sorted(
        f for f in candidates if read_state(f, lambda s: s.charter is not None and log in s.member_assemblies)
    )


@dataclass(frozen=True, slots=True)
class CiteRead(ReadModel):
    """What a citing act carries of a home entry: its citation and its public body, as JSON texts."""

    cites: str
    body: str


@dataclass(frozen=True, slots=True)
class AccreditFormRead(ReadModel):
    """An office credential the reader may issue now, and until when it would run."""

    office: str
    until: int


@dataclass(frozen=True, slots=True)
class OfficeCredentialRead(ReadModel):
    """An office credential the home issued for the federation: whether it is cited there and runs;
    `cite` is what citing it takes (None where it is cited, or this reader or node cannot cite it)."""

    seq: int
    member: str
    office: str
    until: int
    cited: bool
    runs: bool
    cite: CiteRead | None = None


@dataclass(frozen=True, slots=True)
class BackingRead(ReadModel):
    """A petition decision the home stated: whether it is cited there, whether the petition completed;
    `cite` as for a credential."""

    seq: int
    question: str
    decision: int
    cited: bool
    complete: bool
    cite: CiteRead | None = None


@dataclass(frozen=True, slots=True)
class DecidedBackingRead(ReadModel):
    """A petition the assembly decided to back ("yes" mandate) and has not stated yet."""

    question: str
    fields: Mapping[str, str | int]


@dataclass(frozen=True, slots=True)
class HomeFederationOfficesRead(ReadModel):
    """A federation as one of its member assemblies sees its offices and petitions, and what the reader
    may do about them now at home."""

    log: str
    name: str
    offices: tuple[OfficeRead, ...]
    petitions: tuple[PetitionRead, ...]
    new_petitions: NewPetitionsRead
    accredit: tuple[AccreditFormRead, ...]
    credentials: tuple[OfficeCredentialRead, ...]
    backings: tuple[BackingRead, ...]
    decided: tuple[DecidedBackingRead, ...]
    joinable: tuple[PetitionRead, ...]
    our_turns: Mapping[str, tuple[TermRead | TurnRead, ...]]
    is_member: bool
    uncited_credentials: tuple[OfficeCredentialRead, ...]


def get_home_federation_offices(log: str, *, key: str, now: int) -> list[HomeFederationOfficesRead]:
    """For each federation this node holds whose member this assembly is: its offices and turns (ours
    marked), its petitions, and what the reader (`key`) may do about them now at home: issue an office
    credential, state a petition decision; and, for a member, what citing each home entry not yet cited
    into it takes (None while no checkpoint kept here covers the entry)."""
    named = read_state(log, _named_federations)
    found = []
    for federation in _federations_of(log, named):
        view = read_state(federation, lambda state: _federation_view(state, now=now))
        if view is None:
            continue
        name = get_record_names([federation]).get(federation, "")
        found.append(read_state(log, partial(_home_part, view=view, name=name, key=key, now=now)))
    return found


def _cite_parts(log: str, seq: int) -> CiteRead | None:
    """The citation of entry `seq` of `log` and that entry's public body, as the citing act carries
    them (JSON texts); None when this node cannot cite it (no checkpoint covers it, body not held)."""
    record = reads.get_record(log)
    header = models.Entry.objects.filter(record=record, seq=seq).values_list("header", flat=True).first()
    if header is None:
        return None
    entry = parse_entry(bytes(header))
    hash, vis = entry.act.body_key()
    body = reads.body_of(record, hash, vis=vis)
    try:
        citation = get_citation(log, seq=seq)
    except DomainError:
        return None
    if not isinstance(body, Body):
        return None
    return CiteRead(cites=json.dumps([citation.as_json()]), body=json.dumps(body.content()))


def _home_part(
    state: AssemblyState, *, view: _View, name: str, key: str, now: int
) -> HomeFederationOfficesRead:
    federation = view.log
    allows = acts_allowed(state, key=key, now=now)
    member = state.key_owner.get(key, "")
    accredit = []
    for office in view.read.offices:
        until = holding_end(state, member, office_in(federation, office.office), now=now) if member else 0
        probe = OfficeAccredited(federation=federation, office=office.office, until=until)
        if until and allows(probe):
            accredit.append(AccreditFormRead(office=office.office, until=until))
    credentials = []
    for seq, (m, f, o, u) in sorted(state.offices.credentials.items(), reverse=True):
        if f != federation:
            continue
        cited, runs = (state.log, seq) in view.cited_credentials, u > now
        cite = _cite_parts(state.log, seq) if member and not cited and runs else None
        credentials.append(
            OfficeCredentialRead(seq=seq, member=m, office=o, until=u, cited=cited, runs=runs, cite=cite)
        )
    petitions = {p.question: p for p in view.read.petitions}
    backings = []
    for seq, (f, question, decision) in sorted(state.offices.backings.items(), reverse=True):
        if f != federation:
            continue
        petition = petitions.get(question)
        cited = state.log in (petition.backers if petition is not None else ())
        complete = bool(petition and petition.completed_seq)
        cite = _cite_parts(state.log, seq) if member and not cited and not complete else None
        backings.append(
            BackingRead(
                seq=seq, question=question, decision=decision, cited=cited, complete=complete, cite=cite
            )
        )
    stated: set[str] = {str(b.question) for b in backings}
    decided = []
    for (body, question), mandate in sorted(state.mandates.items()):
        fields = petition_fields(question)
        if body != federation or fields is None or question in stated:
            continue
        if mandate.position.strip().lower() == YES and allows(
            PetitionBacked(federation=federation, **fields)
        ):
            decided.append(DecidedBackingRead(question=question, fields=fields))
    joinable = tuple(
        p
        for p in view.read.petitions
        if not p.completed_seq and state.log not in p.backers and p.question not in stated
    )
    taken = {p.question for p in view.read.petitions}
    our_turns: dict[str, tuple[TermRead | TurnRead, ...]] = {
        o.office: tuple(t for t in ((o.current,) if o.current else ()) + o.next if t.assembly == state.log)
        for o in view.read.offices
    }
    return HomeFederationOfficesRead(
        log=federation,
        name=name,
        offices=view.read.offices,
        petitions=view.read.petitions,
        new_petitions=_new_petitions(view, taken=taken | stated, now=now),
        accredit=tuple(accredit),
        credentials=tuple(credentials),
        backings=tuple(backings),
        decided=tuple(decided),
        joinable=joinable,
        our_turns=our_turns,
        is_member=bool(member),
        uncited_credentials=tuple(c for c in credentials if not c.cited and c.runs),
    )
