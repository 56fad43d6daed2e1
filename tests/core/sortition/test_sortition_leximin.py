import itertools
from fractions import Fraction

import numpy as np
import pytest
from django.utils import translation
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from ayllu.core.sortition import (
    InfeasibleQuotas,
    Instance,
    Quota,
    build_instance,
    find_leximin,
    panel_meets_quotas,
)
from ayllu.core.sortition.leximin import IDLE_LIMIT
from ayllu.messages import message_for


def all_panels(instance: Instance) -> list[tuple[int, ...]]:
    ranges = [range(n + 1) for n in instance.sizes]
    return [c for c in itertools.product(*ranges) if panel_meets_quotas(instance, counts=c)]


def uniform_over_people_panels(instance: Instance) -> list[float]:
    """Per-type probability when every feasible panel of people is equally likely."""
    from math import comb

    panels = all_panels(instance)
    ways = [np.prod([comb(n, c) for n, c in zip(instance.sizes, p, strict=True)]) for p in panels]
    total = sum(ways)
    return [
        sum(w * p[t] for w, p in zip(ways, panels, strict=True)) / (n * total)
        for t, n in enumerate(instance.sizes)
    ]


def brute_leximin(instance: Instance) -> list[float]:
    """LEXIMIN by full enumeration, fixing a type only when an LP shows it cannot rise above the level."""
    panels = np.array(all_panels(instance), dtype=float) / np.array(instance.sizes, dtype=float)
    count, types = panels.shape
    fixed: dict[int, float] = {}

    def solve(objective: np.ndarray, free: list[int], level: float | None) -> float:
        # variables x (count) then z; rows: -prob_t + z <= 0 (free) or -prob_t <= -fixed_t
        a_ub, b_ub = [], []
        for t in range(types):
            row = np.append(-panels[:, t], 0.0)
            if t in fixed:
                a_ub.append(row)
                b_ub.append(-fixed[t] + 1e-9)
            elif level is None:
                row[-1] = 1.0
                a_ub.append(row)
                b_ub.append(0.0)
            else:
                a_ub.append(row)
                b_ub.append(-level + 1e-9)
        a_eq = [np.append(np.ones(count), 0.0)]
        result = linprog(objective, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=[1.0], bounds=(0, None))
        assert result.status == 0
        return -float(result.fun)

    while len(fixed) < types:
        free = [t for t in range(types) if t not in fixed]
        level = solve(np.append(np.zeros(count), -1.0), free, None)
        stuck = [t for t in free if solve(np.append(-panels[:, t], 0.0), free, level) <= level + 1e-7]
        assert stuck
        for t in stuck:
            fixed[t] = level
    return [fixed[t] for t in range(types)]


def test_leximin_matches_brute_force_on_a_tiny_pool(tiny: Instance) -> None:
    # given a pool small enough to enumerate every panel
    expected = brute_leximin(tiny)
    # when
    distribution = find_leximin(tiny)
    # then every type gets the brute-force LEXIMIN probability
    got = [float(p) for p in distribution.type_probabilities()]
    assert got == pytest.approx(expected, abs=1e-6)


def test_every_panel_of_the_distribution_meets_the_quotas(instance: Instance) -> None:
    # when
    distribution = find_leximin(instance)
    # then
    assert distribution.panels
    assert all(panel_meets_quotas(instance, counts=panel) for panel in distribution.panels)


def test_probabilities_sum_to_the_panel_size_exactly(instance: Instance) -> None:
    # when
    probabilities = find_leximin(instance).probabilities()
    # then
    assert sum(probabilities.values()) == Fraction(instance.panel_size)
    assert set(probabilities) == {p for members in instance.members for p in members}


def test_leximin_minimum_is_at_least_the_uniform_baseline(tiny: Instance) -> None:
    # given the chances when every feasible panel of people is equally likely
    uniform = uniform_over_people_panels(tiny)
    # when
    got = [float(p) for p in find_leximin(tiny).type_probabilities()]
    # then the least likely person is at least as likely as under the baseline
    assert min(got) >= min(uniform) - 1e-9


def test_same_inputs_give_the_same_distribution(instance: Instance) -> None:
    # when
    first = find_leximin(instance)
    second = find_leximin(instance)
    # then
    assert first.panels == second.panels
    assert first.weights == second.weights


def test_quota_above_the_pool_names_the_feature() -> None:
    # given only two people from the west, but a quota asking for three
    pool = {f"p{i}": {"zone": "west" if i < 2 else "east"} for i in range(10)}
    quotas = [Quota("zone", "west", 3, 4), Quota("zone", "east", 0, 5)]
    instance = build_instance(pool, quotas=quotas, panel_size=5)
    # when / then
    with pytest.raises(InfeasibleQuotas) as caught:
        find_leximin(instance)
    assert caught.value.detail["feature"] == "west"
    assert caught.value.detail["reason"] == "min_above_pool"


def test_quotas_clashing_across_categories_name_a_culprit() -> None:
    # given every woman lives in the east, at least 3 women and at most 1 easterner are asked for
    pool = {f"f{i}": {"gender": "f", "zone": "east"} for i in range(5)}
    pool |= {f"m{i}": {"gender": "m", "zone": "west"} for i in range(5)}
    quotas = [
        Quota("gender", "f", 3, 4),
        Quota("gender", "m", 0, 4),
        Quota("zone", "east", 0, 1),
        Quota("zone", "west", 0, 4),
    ]
    instance = build_instance(pool, quotas=quotas, panel_size=4)
    # when / then
    with pytest.raises(InfeasibleQuotas) as caught:
        find_leximin(instance)
    assert caught.value.detail["reason"] == "conflict"
    assert (caught.value.detail["category"], caught.value.detail["feature"]) in {
        ("gender", "f"),
        ("zone", "east"),
    }
    # and the two clashing quotas are named together, the others not
    assert caught.value.detail["quotas"] == "gender=f 3-4, zone=east 0-1"


REASON_POOLS = {
    # reason: (quotas, panel size) on ten people, two of them from the west
    "min_above_pool": ([Quota("zone", "west", 3, 4)], 5),
    "min_above_panel": ([Quota("zone", "east", 6, 8)], 5),
    "minimums_above_panel": ([Quota("zone", "west", 2, 2), Quota("zone", "east", 4, 8)], 5),
    "maximums_below_panel": ([Quota("zone", "west", 0, 2), Quota("zone", "east", 0, 2)], 5),
}
REASON_WORDS = {
    "min_above_pool": (
        "The quota zone: west asks for at least 3 people, but the pool has only 2.",
        "La cuota zone: west pide al menos 3 personas, pero en el grupo del sorteo solo hay 2.",
    ),
    "min_above_panel": (
        "The quota zone: east asks for at least 6 people, more than the 5 seats.",
        "La cuota zone: east pide al menos 6 personas, más que los 5 lugares.",
    ),
    "minimums_above_panel": (
        "The minimums of the quotas on zone add up to more than the 5 seats.",
        "Los mínimos de las cuotas de zone suman más que los 5 lugares.",
    ),
    "maximums_below_panel": (
        "The quotas on zone leave fewer people to choose from than the 5 seats.",
        "Las cuotas de zone dejan menos personas para elegir que los 5 lugares.",
    ),
}


@pytest.mark.parametrize("reason", sorted(REASON_POOLS))
def test_each_reason_quotas_cannot_be_met_is_said_in_words(reason: str) -> None:
    # given ten people, two from the west, and quotas no 5-seat panel meets for `reason`
    pool = {f"p{i}": {"zone": "west" if i < 2 else "east"} for i in range(10)}
    quotas, size = REASON_POOLS[reason]
    # when
    with pytest.raises(InfeasibleQuotas) as caught:
        find_leximin(build_instance(pool, quotas=quotas, panel_size=size))
    # then the reason has a sentence of its own, with the numbers that make it impossible
    error = caught.value
    assert error.detail["reason"] == reason
    for language, words in zip(("en", "es"), REASON_WORDS[reason], strict=True):
        with translation.override(language):
            assert message_for(error.code, error.detail) == words


@settings(max_examples=15, deadline=None)
@given(
    profiles=st.lists(st.tuples(st.sampled_from("ab"), st.sampled_from("xyz")), min_size=6, max_size=11),
    size=st.integers(min_value=2, max_value=4),
    slack=st.integers(min_value=0, max_value=1),
)
def test_any_feasible_small_pool_gives_valid_fair_chances(
    profiles: list[tuple[str, str]], size: int, slack: int
) -> None:
    # given a random small pool with quotas around an even split
    pool = {f"p{i:02d}": {"c1": a, "c2": b} for i, (a, b) in enumerate(profiles)}
    quotas = [Quota("c1", f, size // 2 - slack, size // 2 + 1) for f in "ab"]
    quotas += [Quota("c2", f, 0, size // 3 + 1) for f in "xyz"]
    instance = build_instance(pool, quotas=quotas, panel_size=size)
    try:
        distribution = find_leximin(instance)
    except InfeasibleQuotas:
        assert not all_panels(instance)
        return
    # then the panels meet the quotas, the chances sum to the panel size, and no baseline beats the minimum
    assert all(panel_meets_quotas(instance, counts=p) for p in distribution.panels)
    probabilities = distribution.type_probabilities()
    assert sum(p * n for p, n in zip(probabilities, instance.sizes, strict=True)) == size
    assert float(min(probabilities)) >= min(uniform_over_people_panels(instance)) - 1e-7
    assert [float(p) for p in probabilities] == pytest.approx(brute_leximin(instance), abs=1e-6)


def test_minimums_adding_up_past_the_panel_name_the_largest() -> None:
    # given a panel of 4 where the zones ask for at least 2 + 3 seats
    pool = {f"p{i}": {"zone": "west" if i % 2 else "east"} for i in range(10)}
    quotas = [Quota("zone", "west", 2, 4), Quota("zone", "east", 3, 4)]
    instance = build_instance(pool, quotas=quotas, panel_size=4)
    # when / then
    with pytest.raises(InfeasibleQuotas) as caught:
        find_leximin(instance)
    assert caught.value.detail == {
        "reason": "minimums_above_panel",
        "category": "zone",
        "feature": "east",
        "panel_size": 4,
    }


# The shortcut (dropping panels left unused for a while from the master) only changes which columns the
# master holds; every stage still ends on an exact pricing proof over all panels, so the probabilities
# agree with the straightforward solver up to the solver tolerances (1e-7 to enter, 1e-6 to fix).
SAME_WITHIN = 1e-6
# A stage level found a little low (within the solvers' 1e-7 tolerances) is carried into the later stages,
# which can move by a few times that; random pools with panels dropped after 1-2 idle solves showed 1.2e-6.
STAGES_AGREE = 1e-5


def test_dropping_idle_panels_gives_the_straightforward_probabilities(instance: Instance) -> None:
    # given the straightforward solver's probabilities
    straight = find_leximin(instance, idle_limit=None, shortcut=False)
    expected = [float(p) for p in straight.type_probabilities()]
    # when panels leave the master after one idle solve, the harshest setting
    got = [float(p) for p in find_leximin(instance, idle_limit=1, shortcut=False).type_probabilities()]
    # then
    assert got == pytest.approx(expected, abs=SAME_WITHIN)


@settings(max_examples=10, deadline=None)
@given(
    profiles=st.lists(
        st.tuples(st.sampled_from("fm"), st.sampled_from("ceww"), st.sampled_from("yoo")),
        min_size=20,
        max_size=45,
    ),
    limit=st.sampled_from([1, 2, IDLE_LIMIT]),
)
# found by hypothesis: limit 1 fixed a level 3e-7 low (the interior solver's tolerance), and later levels
# moved by up to 1.2e-6 to make up for it
@example(
    profiles=[
        ("m", "w", "y"),
        ("m", "e", "y"),
        ("m", "w", "y"),
        ("m", "c", "y"),
        ("f", "c", "o"),
        ("m", "w", "y"),
        ("m", "c", "o"),
        ("m", "w", "o"),
        ("f", "w", "o"),
        ("f", "e", "o"),
        ("f", "c", "y"),
        ("m", "w", "o"),
        ("f", "w", "o"),
        ("m", "w", "o"),
        ("f", "e", "o"),
        ("m", "w", "y"),
        ("m", "w", "y"),
        ("m", "w", "o"),
        ("f", "w", "o"),
        ("m", "c", "o"),
        ("m", "w", "y"),
        ("m", "w", "y"),
        ("m", "w", "y"),
        ("m", "w", "y"),
    ],
    limit=1,
)
def test_dropping_idle_panels_agrees_with_the_straightforward_solver_on_random_pools(
    profiles: list[tuple[str, str, str]], limit: int
) -> None:
    # given a random pool under quotas over three categories
    pool = {f"p{i:02d}": {"gender": g, "zone": z, "age": a} for i, (g, z, a) in enumerate(profiles)}
    quotas = [Quota("gender", f, 3, 5) for f in "fm"]
    quotas += [Quota("zone", f, 2, 4) for f in "cew"] + [Quota("age", f, 2, 6) for f in "yo"]
    instance = build_instance(pool, quotas=quotas, panel_size=8)
    try:
        expected = find_leximin(instance, idle_limit=None, shortcut=False).type_probabilities()
    except InfeasibleQuotas:
        return
    # when panels leave the master after 1, 2 or IDLE_LIMIT idle solves (regression: with limit 1 a type
    # used to be fixed 0.007 below where it could go, fixed on a dual price share of 1e-6)
    got = find_leximin(instance, idle_limit=limit, shortcut=False).type_probabilities()
    # then every type's probability agrees with the straightforward solver and with the shortcut (an
    # independent route), and the exact probabilities still sum to the panel size
    assert [float(p) for p in got] == pytest.approx([float(p) for p in expected], abs=STAGES_AGREE)
    reference = find_leximin(instance).type_probabilities()
    assert [float(p) for p in got] == pytest.approx([float(p) for p in reference], abs=STAGES_AGREE)
    assert sum(p * n for p, n in zip(got, instance.sizes, strict=True)) == 8


# The shortcut (LEXIMIN of the relaxed panel polytope, then panels that reach it) must give the same
# probabilities as the column generation stages, and must notice when the relaxation is out of reach.


def test_the_shortcut_gives_the_column_generation_probabilities(instance: Instance) -> None:
    # given the probabilities of the LEXIMIN stages by column generation
    expected = [float(p) for p in find_leximin(instance, shortcut=False).type_probabilities()]
    # when
    got = [float(p) for p in find_leximin(instance).type_probabilities()]
    # then
    assert got == pytest.approx(expected, abs=SAME_WITHIN)


@settings(max_examples=10, deadline=None)
@given(
    profiles=st.lists(
        st.tuples(
            st.sampled_from("fm"), st.sampled_from("ceww"), st.sampled_from("yoo"), st.sampled_from("pq")
        ),
        min_size=12,
        max_size=40,
    ),
    size=st.integers(min_value=4, max_value=9),
)
def test_the_shortcut_agrees_with_column_generation_on_random_pools(
    profiles: list[tuple[str, str, str, str]], size: int
) -> None:
    # given a random pool under quotas over four categories
    pool = {
        f"p{i:02d}": {"gender": g, "zone": z, "age": a, "school": s}
        for i, (g, z, a, s) in enumerate(profiles)
    }
    quotas = [Quota("gender", f, size // 2 - 1, size // 2 + 1) for f in "fm"]
    quotas += [Quota("zone", f, 1, size // 2) for f in "cew"] + [Quota("age", f, 1, size - 1) for f in "yo"]
    quotas += [Quota("school", f, 0, size // 2 + 1) for f in "pq"]
    instance = build_instance(pool, quotas=quotas, panel_size=size)
    try:
        expected = find_leximin(instance, shortcut=False).type_probabilities()
    except InfeasibleQuotas:
        return
    # when
    got = find_leximin(instance).type_probabilities()
    # then
    assert [float(p) for p in got] == pytest.approx([float(p) for p in expected], abs=SAME_WITHIN)
    assert sum(p * n for p, n in zip(got, instance.sizes, strict=True)) == size


def test_a_relaxation_no_panels_reach_falls_back_to_column_generation() -> None:
    # given three people of whom any two clash on a quota, and a fourth who clashes with nobody: in the
    # relaxed polytope everyone can have 1/2, but every real panel of two is the fourth and one other
    pool = {
        "a": {"x": "1", "y": "1", "w": "0"},
        "b": {"x": "1", "y": "0", "w": "1"},
        "c": {"x": "0", "y": "1", "w": "1"},
        "d": {"x": "0", "y": "0", "w": "0"},
    }
    quotas = [Quota(category, "1", 0, 1) for category in "xyw"]
    quotas += [Quota(category, "0", 0, 2) for category in "xyw"]
    instance = build_instance(pool, quotas=quotas, panel_size=2)
    # when
    probabilities = find_leximin(instance).probabilities()
    # then the shortcut's 1/2 for everyone is out of reach, and the stages give the true LEXIMIN
    assert {person: float(p) for person, p in probabilities.items()} == pytest.approx(
        {"a": 1 / 3, "b": 1 / 3, "c": 1 / 3, "d": 1.0}, abs=SAME_WITHIN
    )
    assert [float(p) for p in find_leximin(instance).type_probabilities()] == pytest.approx(
        brute_leximin(instance), abs=SAME_WITHIN
    )


def test_a_clash_of_three_quotas_names_all_three_and_no_other() -> None:
    # given two seats, at least one from the north, one woman and one elder, where the only northerner is
    # a young man and the only elder is a southern man: north + woman + elder need three seats
    pool = {
        "a": {"zone": "north", "gender": "m", "age": "young"},
        "b": {"zone": "south", "gender": "m", "age": "old"},
        "c": {"zone": "south", "gender": "f", "age": "young"},
        "d": {"zone": "south", "gender": "f", "age": "young"},
    }
    quotas = [
        Quota("zone", "north", 1, 2),
        Quota("zone", "south", 0, 2),
        Quota("gender", "f", 1, 2),
        Quota("gender", "m", 0, 2),
        Quota("age", "old", 1, 2),
        Quota("age", "young", 0, 2),
    ]
    instance = build_instance(pool, quotas=quotas, panel_size=2)
    # when / then
    with pytest.raises(InfeasibleQuotas) as caught:
        find_leximin(instance)
    assert caught.value.detail["reason"] == "conflict"
    assert caught.value.detail["quotas"] == "age=old 1-2, gender=f 1-2, zone=north 1-2"
