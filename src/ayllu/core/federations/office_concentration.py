"""Who holds a federation's offices: counted per member assembly and per person, across levels.

Each office term counts for the assembly whose turn it was (weighted by the office's burden), and each
person an assembly named counts for the terms they held, in this federation and in the federations
below it (a member that is itself a federation: zone, district, city) whose records the caller passes.
A person is their key: the key that signed their credentials at home. The measures are those of
core/concentration (exact shares, Gini, breadth), so a federation reads like an assembly does.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from ayllu.core.assembly.state import AssemblyState
from ayllu.core.concentration.measures import (
    HOUSEHOLD,
    PERSON,
    ROLE_TERM,
    Activity,
    Measure,
    get_concentration,
)
from ayllu.core.federations.offices import list_office_terms
from ayllu.core.federations.reads import AssemblyTermsRead, HeldOfficeRead, PersonTermsRead


@dataclass(frozen=True, slots=True)
class OfficeConcentration:
    """Office terms per member assembly (by load) and per person (by terms), and the measures of both."""

    assemblies: tuple[AssemblyTermsRead, ...]
    persons: tuple[PersonTermsRead, ...]
    assembly_measure: Measure
    person_measure: Measure


@dataclass(slots=True)
class _Person:
    here: int = 0
    below: int = 0
    holds: list[HeldOfficeRead] = field(default_factory=list)


def _burdens(state: AssemblyState) -> dict[str, int]:
    rules = state.rules.federation if state.charter is not None else None
    return {o.office: o.burden for o in rules.offices} if rules is not None else {}


def get_office_concentration(
    state: AssemblyState, *, now: int, below: tuple[AssemblyState, ...] = ()
) -> OfficeConcentration:
    """Office terms per member assembly and per person up to `now` (every term started by then), with
    each person's terms in the federations `below`; and the concentration measures of both."""
    burdens = _burdens(state)
    terms = [t for t in list_office_terms(state) if t.start <= now]
    per_assembly: dict[str, tuple[int, int]] = {a: (0, 0) for a in state.member_assemblies}
    by_assembly: list[Activity] = []
    for term in terms:
        if term.assembly:
            weight = burdens.get(term.office, 1)
            count, load = per_assembly.get(term.assembly, (0, 0))
            per_assembly[term.assembly] = (count + 1, load + weight)
            by_assembly.append(Activity(ROLE_TERM, term.assembly, term.assembly, term.start, weight))
    per_person: dict[str, _Person] = defaultdict(_Person)
    by_person: list[Activity] = []
    for level, federation in enumerate((state, *below)):
        for term in list_office_terms(federation):
            for holder in term.holders:
                if holder.since > now:
                    continue
                person = per_person[holder.key]
                if level == 0:
                    person.here += 1
                else:
                    person.below += 1
                if holder.holds(now=now):
                    person.holds.append(HeldOfficeRead(federation=federation.log, office=term.office))
                weight = _burdens(federation).get(term.office, 1)
                by_person.append(Activity(ROLE_TERM, holder.key, term.assembly, holder.since, weight))
    end = max(now, 0) + 1
    assemblies = get_concentration(
        by_assembly, population=[(a, a) for a in per_assembly], start=0, end=end
    ).measure(ROLE_TERM, HOUSEHOLD)
    people = get_concentration(by_person, population=[(k, "") for k in per_person], start=0, end=end).measure(
        ROLE_TERM, PERSON
    )
    return OfficeConcentration(
        assemblies=tuple(
            AssemblyTermsRead(assembly=a, terms=count, load=load)
            for a, (count, load) in sorted(per_assembly.items(), key=lambda item: (-item[1][1], item[0]))
        ),
        persons=tuple(
            PersonTermsRead(key=k, here=p.here, below=p.below, holds=tuple(p.holds))
            for k, p in sorted(per_person.items(), key=lambda item: (-item[1].here - item[1].below, item[0]))
        ),
        assembly_measure=assemblies,
        person_measure=people,
    )
