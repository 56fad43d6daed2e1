"""Concentration measured from the record: role-terms, proposals, speaking turns and mandates carried.

The activities come from the replayed state only:
- role_term: every term of every cargo, at its start, weighted by the cargo's burden;
- proposal_tabled: every proposal (a recall petition counts for its first signer), at tabling;
- speaking_turn: the turns each member was given in a meeting, at the meeting's start;
- mandate_carried: each session of another body in which a delegate cast or was reported to cast a
  vote, once per delegate and session, at the first such act.
The population is every member active now plus every member who did any of these in the period (so
people who left still count for what they did). Thresholds come from the charter's `concentration`.
"""

from fractions import Fraction

from ayllu.core.assembly.state import AssemblyState
from ayllu.core.cargos.terms import household_of
from ayllu.core.concentration.measures import (
    MANDATE_CARRIED,
    PROPOSAL_TABLED,
    ROLE_TERM,
    SPEAKING_TURN,
    Activity,
    Alert,
    Concentration,
    Thresholds,
    get_concentration,
)


def list_activities(state: AssemblyState) -> list[Activity]:
    """Every activity the record holds, in record order of kind."""
    found: list[Activity] = []
    for cargo in state.cargos.values():
        for term in cargo.terms:
            found.append(Activity(ROLE_TERM, term.member, term.household, term.start, cargo.burden))
    for proposal in state.proposals.values():
        author = proposal.author
        found.append(Activity(PROPOSAL_TABLED, author, household_of(state, author), proposal.tabled_time))
    for meeting in state.meetings.values():
        for member, turns in meeting.turns.items():
            if turns:
                household = household_of(state, member)
                found.append(Activity(SPEAKING_TURN, member, household, meeting.starts, turns))
    carried: set[tuple[str, str, str]] = set()
    for act in state.delegate_acts:
        key = (act.delegate, act.body, act.session)
        if key not in carried:
            carried.add(key)
            found.append(Activity(MANDATE_CARRIED, act.delegate, household_of(state, act.delegate), act.time))
    return found


def charter_thresholds(state: AssemblyState) -> Thresholds:
    """The charter's concentration thresholds (none set: no alerts)."""
    limits: dict[str, Fraction] = dict(state.rules.cargo.concentration)
    return Thresholds(
        max_gini=limits.get("max_gini"),
        max_top_decile_share=limits.get("max_top_decile_share"),
        max_single_share=limits.get("max_single_share"),
        min_breadth=limits.get("min_breadth"),
    )


def get_record_concentration(state: AssemblyState, *, start: int, end: int) -> Concentration:
    """Every concentration measure for [start, end) and the alerts the charter's thresholds raise."""
    activities = list_activities(state)
    population = {m: r.household for m, r in state.members.items() if not r.suspended}
    for activity in activities:
        if start <= activity.at < end:
            population.setdefault(activity.person, activity.household)
    return get_concentration(
        activities,
        population=sorted(population.items()),
        start=start,
        end=end,
        thresholds=charter_thresholds(state),
    )


def list_concentration_alerts(state: AssemblyState, *, start: int, end: int) -> tuple[Alert, ...]:
    """Only the alerts, for a banner every member sees."""
    return get_record_concentration(state, start=start, end=end).alerts
