from fractions import Fraction
from math import ceil

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ayllu.core.concentration.measures import (
    BREADTH_BELOW,
    GINI_ABOVE,
    HOUSEHOLD,
    KINDS,
    PERSON,
    PROPOSAL_TABLED,
    ROLE_TERM,
    SINGLE_SHARE_ABOVE,
    SPEAKING_TURN,
    TOP_DECILE_ABOVE,
    Activity,
    InvalidActivity,
    Thresholds,
    get_concentration,
    gini,
    top_decile_share,
)


def reference_gini(values: list[int]) -> Fraction:
    n, total = len(values), sum(values)
    if n == 0 or total == 0:
        return Fraction(0)
    return Fraction(sum(abs(a - b) for a in values for b in values), 2 * n * total)


def reference_top_share(values: list[int]) -> Fraction:
    total = sum(values)
    if total == 0:
        return Fraction(0)
    k = ceil(len(values) / 10) or 1
    return Fraction(sum(sorted(values)[len(values) - k :]), total)


@given(st.integers(1, 50), st.integers(0, 1000))
def test_gini_of_equal_shares_is_zero(n: int, each: int) -> None:
    assert gini([each] * n) == 0


@given(st.integers(1, 50), st.integers(1, 1000))
def test_gini_when_one_holds_all_is_n_minus_one_over_n(n: int, amount: int) -> None:
    assert gini([0] * (n - 1) + [amount]) == Fraction(n - 1, n)


@given(st.lists(st.integers(0, 100), max_size=40))
def test_gini_and_top_decile_match_the_reference(values: list[int]) -> None:
    assert gini(values) == reference_gini(values)
    assert top_decile_share(values) == reference_top_share(values)


people = st.lists(
    st.tuples(st.sampled_from("abcdefghijkl"), st.sampled_from("HIJKL")), min_size=1, unique_by=lambda p: p[0]
)


@settings(max_examples=80)
@given(people, st.data())
def test_measures_match_a_reference_model(population: list[tuple[str, str]], data: st.DataObject) -> None:
    # given activities by members of the population, some outside the period
    activities = data.draw(
        st.lists(
            st.builds(
                lambda who, kind, at, weight: Activity(kind, who[0], who[1], at, weight),
                st.sampled_from(population),
                st.sampled_from(KINDS),
                st.integers(-5, 15),
                st.integers(1, 3),
            ),
            max_size=30,
        )
    )
    # when
    result = get_concentration(activities, population=population, start=0, end=10)
    # then
    households = sorted({h for _, h in population})
    for kind in KINDS:
        counted = [a for a in activities if a.kind == kind and 0 <= a.at < 10]
        by_household = {h: sum(a.weight for a in counted if a.household == h) for h in households}
        by_person = {p: sum(a.weight for a in counted if a.person == p) for p, _ in population}
        for unit, counts in ((HOUSEHOLD, by_household), (PERSON, by_person)):
            m = result.measure(kind, unit)
            values = list(counts.values())
            assert m.total == sum(values)
            assert m.gini == reference_gini(values)
            assert m.top_decile_share == reference_top_share(values)
            assert m.breadth == Fraction(sum(1 for v in values if v), len(values))
            if m.total:
                assert dict(m.shares) == {who: Fraction(v, m.total) for who, v in counts.items()}
                assert sum(share for _, share in m.shares) == 1


def test_breadth_counts_households_that_served_and_thresholds_raise_alerts() -> None:
    # given four households, one of which holds every role-term and tables every proposal
    population = [("ana", "H1"), ("bea", "H2"), ("cai", "H3"), ("dan", "H4")]
    activities = [Activity(ROLE_TERM, "ana", "H1", t) for t in range(3)] + [
        Activity(PROPOSAL_TABLED, "ana", "H1", 0),
        Activity(SPEAKING_TURN, "bea", "H2", 1),
        Activity(SPEAKING_TURN, "cai", "H3", 1),
    ]
    limits = Thresholds(
        max_gini=Fraction(1, 2),
        max_top_decile_share=Fraction(1, 2),
        max_single_share=Fraction(1, 2),
        min_breadth=Fraction(1, 2),
    )
    # when
    result = get_concentration(activities, population=population, start=0, end=10, thresholds=limits)
    # then
    roles = result.measure(ROLE_TERM, HOUSEHOLD)
    assert roles.breadth == Fraction(1, 4)
    assert roles.gini == Fraction(3, 4)
    codes = {(a.kind, a.unit, a.code) for a in result.alerts}
    assert {
        (ROLE_TERM, HOUSEHOLD, c) for c in (GINI_ABOVE, TOP_DECILE_ABOVE, SINGLE_SHARE_ABOVE, BREADTH_BELOW)
    } <= codes
    assert not {c for c in codes if c[0] == SPEAKING_TURN and c[2] == BREADTH_BELOW}
    assert all(a.kind != "mandate_carried" for a in result.alerts)
    # then: the wire form has no floats
    wire = result.as_json()
    assert wire["measures"][1]["gini"] == {"value": "3/4", "per_mille": 750}
    assert "float" not in repr(type(wire["measures"][1]["breadth"]["per_mille"]))


def test_the_same_activities_in_any_order_give_the_same_result() -> None:
    # given
    population = [("ana", "H1"), ("bea", "H1"), ("cai", "H2")]
    activities = [Activity(SPEAKING_TURN, p, h, t) for t, (p, h) in enumerate(population * 3)]
    # when / then
    first = get_concentration(activities, population=population, start=0, end=100)
    second = get_concentration(
        list(reversed(activities)), population=list(reversed(population)), start=0, end=100
    )
    assert first.as_json() == second.as_json()


def test_invalid_activity_or_period_is_refused() -> None:
    with pytest.raises(InvalidActivity):
        get_concentration([Activity("gossip", "a", "H", 0)], population=[], start=0, end=1)
    with pytest.raises(InvalidActivity):
        get_concentration([], population=[], start=1, end=1)
