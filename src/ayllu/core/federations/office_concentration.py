"""Who holds a federation's offices: counted per member assembly and per person, across levels.

Each office term counts for the assembly whose turn it was (weighted by the office's burden), and each
person an assembly named counts for the terms they held, in this federation and in the federations
below it (a member that is itself a federation: zone, district, city) whose records the caller passes.
A person is their key: the key that signed their credentials at home. The measures are those of
core/concentration (exact shares, Gini, breadth), so a federation reads like an assembly does.
"""

from collections import defaultdict
from typing import Any

from ayllu.core.assembly.state import AssemblyState
from ayllu.core.concentration.measures import HOUSEHOLD, PERSON, ROLE_TERM, Activity, get_concentration
from ayllu.core.federations.offices import list_office_terms


def _burdens(state: AssemblyState) -> dict[str, int]:
    rules = state.rules.federation if state.charter is not None else None
    return {o.office: o.burden for o in rules.offices} if rules is not None else {}


def get_office_concentration(
    state: AssemblyState, *, now: int, below: tuple[AssemblyState, ...] = ()
) -> dict[str, Any]:
    """Office terms per member assembly and per person up to `now` (every term started by then), with
    each person's terms in the federations `below`; and the concentration measures of both."""
    burdens = _burdens(state)
    terms = [t for t in list_office_terms(state) if t.start <= now]
    per_assembly: dict[str, dict[str, int]] = {a: {"terms": 0, "load": 0} for a in state.member_assemblies}
    by_assembly: list[Activity] = []
    for term in terms:
        if term.assembly:
            weight = burdens.get(term.office, 1)
            counts = per_assembly.setdefault(term.assembly, {"terms": 0, "load": 0})
            counts["terms"] += 1
            counts["load"] += weight
            by_assembly.append(Activity(ROLE_TERM, term.assembly, term.assembly, term.start, weight))
    per_person: dict[str, dict[str, Any]] = defaultdict(lambda: {"here": 0, "below": 0, "holds": []})
    by_person: list[Activity] = []
    for level, federation in enumerate((state, *below)):
        for term in list_office_terms(federation):
            for holder in term.holders:
                if holder.since > now:
                    continue
                person = per_person[holder.key]
                person["here" if level == 0 else "below"] += 1
                if holder.holds(now=now):
                    person["holds"].append({"federation": federation.log, "office": term.office})
                weight = _burdens(federation).get(term.office, 1)
                by_person.append(Activity(ROLE_TERM, holder.key, term.assembly, holder.since, weight))
    end = max(now, 0) + 1
    assemblies = get_concentration(
        by_assembly, population=[(a, a) for a in per_assembly], start=0, end=end
    ).measure(ROLE_TERM, HOUSEHOLD)
    people = get_concentration(by_person, population=[(k, "") for k in per_person], start=0, end=end).measure(
        ROLE_TERM, PERSON
    )
    return {
        "assemblies": [
            {"assembly": a, **counts}
            for a, counts in sorted(per_assembly.items(), key=lambda item: (-item[1]["load"], item[0]))
        ],
        "persons": [
            {"key": k, **counts}
            for k, counts in sorted(
                per_person.items(), key=lambda item: (-item[1]["here"] - item[1]["below"], item[0])
            )
        ],
        "assembly_measure": assemblies.as_json(),
        "person_measure": people.as_json(),
    }
