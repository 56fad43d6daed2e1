"""Cargos through the record: created by decision, filled by turn on replay, swaps need both households."""

from itertools import pairwise

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ayllu.core.cargos.reads import get_why_our_turn, list_holdings, list_turn_order_ahead
from ayllu.core.charter.rules import DAY_MS
from factories.assemblies import (
    NAMES,
    Assembly,
    create_cargo,
    decide,
    holders,
    replay_all,
    term_households,
    tick,
)
from factories.charters import cargo_charter
from factories.keys import pub


def _terms(asm: Assembly, cargo: str) -> list[tuple[str, str, int, int, str]]:
    return [(t.member, t.household, t.start, t.end, t.how) for t in asm.state.cargos[cargo].terms]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    households=st.integers(min_value=2, max_value=6),
    term_days=st.integers(min_value=5, max_value=60),
    gaps=st.lists(st.integers(min_value=1, max_value=150), min_size=1, max_size=8),
)
def test_every_household_serves_before_any_serves_twice_and_a_replica_agrees(
    households: int, term_days: int, gaps: list[int]
) -> None:
    # given: households of one member each, no exemptions, a cargo filled by turn; two cargos at once
    # are allowed, so the founding convenor is not kept from its turn
    terms = {"term_days": 30, "rest_terms": 0, "max_concurrent": 2}
    asm = Assembly.found(NAMES[:households], charter=cargo_charter(terms=terms))
    create_cargo(asm, "faena", powers=["coordinate_work"], term_days=term_days)
    # when: time passes in uneven steps (several terms may start between two entries)
    for days in gaps:
        tick(asm, days=days)
    # then: in every run of `households` consecutive terms, no household appears twice
    served = term_households(asm, "faena")
    for i in range(len(served)):
        window = served[i : i + households]
        assert len(set(window)) == len(window), served
    # and the terms are back to back, each one term long
    starts = [t.start for t in asm.state.cargos["faena"].terms]
    assert all(b - a == term_days * DAY_MS for a, b in pairwise(starts))
    # and a replica replaying the record computes exactly the same terms
    replica = replay_all(asm.log, asm.entries, asm.bodies)
    assert [(t.member, t.start, t.end) for t in replica.cargos["faena"].terms] == [
        (t.member, t.start, t.end) for t in asm.state.cargos["faena"].terms
    ]


def test_a_term_ends_by_itself_and_the_next_household_takes_it() -> None:
    # given
    asm = Assembly.found(NAMES[:3], charter=cargo_charter())
    create_cargo(asm, "faena", powers=["coordinate_work"], term_days=10)
    first = holders(asm, "faena")
    # when
    tick(asm, days=11)
    # then
    second = holders(asm, "faena")
    assert len(first) == len(second) == 1 and first != second


def test_the_forecast_names_the_next_twelve_months_and_explains_the_order() -> None:
    # given
    asm = Assembly.found(NAMES[:4], charter=cargo_charter())
    create_cargo(asm, "faena", powers=["coordinate_work"], term_days=30)
    now = asm.state.last_time
    # when
    ahead = list_turn_order_ahead(asm.state, now=now)
    why = get_why_our_turn(asm.state, household="house-dora", now=now)
    # then: a year of 30-day terms, the first one right after the term being served now
    current = [h for h in list_holdings(asm.state, now=now) if h.cargo == "faena"]
    assert 12 <= len(ahead) <= 13
    assert ahead[0].start == current[0].until
    assert ahead[0].holders[0].member != current[0].member
    served = [t for t in why if t.serves]
    assert served and served[0].standing.rank == 1
    assert served[0].ahead == ()
    waiting = [t for t in why if not t.serves]
    assert waiting and all(len(t.ahead) >= 1 for t in waiting)


def test_a_swap_needs_a_signature_from_each_household() -> None:
    # given: the next two households in turn
    asm = Assembly.found(NAMES[:4], charter=cargo_charter())
    create_cargo(asm, "faena", powers=["coordinate_work"], term_days=30)
    now = asm.state.last_time
    order = [t.holders[0].household for t in list_turn_order_ahead(asm.state, now=now)][:2]
    first, second = (o.removeprefix("house-") for o in order)
    # when: the first household offers to swap with the second
    offer = asm.act(first, "cargo.swap_proposed", {"cargo": "faena", "household": f"house-{second}"}).seq
    unchanged = [t.holders[0].household for t in list_turn_order_ahead(asm.state, now=now)][:2]
    self_accept = asm.rejects(first, "cargo.swap_accepted", {"swap": offer})
    third = next(n for n in NAMES[:4] if n not in (first, second) and f"house-{n}" not in order)
    stranger = asm.rejects(third, "cargo.swap_accepted", {"swap": offer})
    asm.act(second, "cargo.swap_accepted", {"swap": offer})
    swapped = [t.holders[0].household for t in list_turn_order_ahead(asm.state, now=now)][:2]
    # then
    assert unchanged == order
    assert self_accept == stranger == "not_swap_partner"
    assert swapped == [order[1], order[0]]
    tick(asm, days=31)
    assert term_households(asm, "faena")[1] == order[1]
    assert replay_all(asm.log, asm.entries, asm.bodies).cargos["faena"].terms[1].household == order[1]


def test_an_exemption_granted_by_decision_skips_the_household() -> None:
    # given
    asm = Assembly.found(NAMES[:3], charter=cargo_charter())
    until = asm.clock + 400 * DAY_MS
    decide(asm, "exemption", {"household": "house-bea", "start": 0, "end": until, "reason": "x"})
    # when
    create_cargo(asm, "faena", powers=["coordinate_work"], term_days=10)
    for _ in range(5):
        tick(asm, days=10)
    # then
    assert "house-bea" not in term_households(asm, "faena")


def test_when_nobody_is_eligible_the_cargo_waits_for_the_assembly_and_a_decision_fills_it() -> None:
    # given: both households exempt
    asm = Assembly.found(NAMES[:2], charter=cargo_charter())
    for name in NAMES[:2]:
        until = asm.clock + 99 * DAY_MS
        decide(asm, "exemption", {"member": pub(name), "start": 0, "end": until, "reason": "x"})
    # when
    create_cargo(asm, "faena", powers=["coordinate_work"], term_days=10)
    waiting = asm.state.cargos["faena"].asks_assembly_since
    decide(asm, "cargo_assignment", {"cargo": "faena", "member": pub("bea"), "until": asm.clock + 5 * DAY_MS})
    # then
    assert waiting and not asm.state.cargos["faena"].terms[:-1]
    assert holders(asm, "faena") == ["bea"] and asm.state.cargos["faena"].asks_assembly_since == 0


def test_paired_cargo_has_two_holders_from_two_households() -> None:
    # given
    asm = Assembly.found(NAMES[:4], charter=cargo_charter())
    # when
    create_cargo(asm, "tesoreria", powers=["keep_accounts"], seats=2)
    # then
    pair = asm.state.cargos["tesoreria"].terms
    assert len(holders(asm, "tesoreria")) == 2 and pair[0].household != pair[1].household


def test_a_rejected_entry_leaves_no_term_started_behind() -> None:
    # given: a term has ended, and the next entry is refused
    asm = Assembly.found(NAMES[:3], charter=cargo_charter())
    create_cargo(asm, "faena", powers=["coordinate_work"], term_days=10)
    before = _terms(asm, "faena")
    # when
    code = asm.rejects("ana", "recall.signed", {"petition": 999_999}, dt=11 * DAY_MS)
    # then: nothing changed, and the next accepted entry starts the term as a replica would
    assert code == "unknown_recall_petition"
    assert _terms(asm, "faena") == before
    tick(asm, days=11)
    assert len(_terms(asm, "faena")) == len(before) + 1
    assert _terms(asm, "faena") == _terms_of(replay_all(asm.log, asm.entries, asm.bodies), "faena")


def _terms_of(state: object, cargo: str) -> list[tuple[str, str, int, int, str]]:
    terms = state.cargos[cargo].terms  # type: ignore[attr-defined]
    return [(t.member, t.household, t.start, t.end, t.how) for t in terms]


def test_a_cargo_named_at_founding_counts_toward_the_limit_of_cargos_held_at_once() -> None:
    # given: ana convenes by the founding act for a year; one cargo per person and per household
    asm = Assembly.found(NAMES[:3], charter=cargo_charter())
    # when: a cargo filled by turn runs for most of that year
    create_cargo(asm, "faena", powers=["coordinate_work"], term_days=10)
    for _ in range(8):
        tick(asm, days=10)
    # then: ana's household, already holding a cargo, is never given a turn while the grant lasts
    served = term_households(asm, "faena")
    assert len(served) >= 8 and "house-ana" not in served
    # and the turn order ahead says why, within the founding year
    now = asm.state.last_time
    ahead = list_turn_order_ahead(asm.state, now=now, months=2)
    standing = next(s for s in ahead[0].standings if s.household == "house-ana")
    assert "at_max_cargos" in standing.barred and standing.rank is None
