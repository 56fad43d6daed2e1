"""Regressions for pools that used to crash or fall back, and the exact check every answer passes."""

import importlib.util
import os
from dataclasses import replace
from fractions import Fraction
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from ayllu.core.sortition import (
    InfeasibleQuotas,
    Instance,
    Quota,
    SolverFailed,
    build_instance,
    find_leximin,
    leximin,
    panel_meets_quotas,
    shortcut,
)
from ayllu.core.sortition.decompose import Walk
from ayllu.core.sortition.distribution import Distribution
from ayllu.core.sortition.highs import Pricer
from ayllu.core.sortition.master import Master, initial_panels
from ayllu.core.sortition.relaxation import _Stages, relaxed_leximin
from ayllu.core.sortition.tolerances import ACCEPT, SIMPLEX_ITERATIONS, SLACK
from ayllu.core.sortition.verify import largest_gap, verify
from core.sortition.test_sortition_leximin import all_panels


def bench_module() -> ModuleType:
    path = Path(__file__).parents[3] / "bench" / "sortition.py"
    spec = importlib.util.spec_from_file_location("bench_sortition", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def seed_six() -> Instance:
    pool, quotas = bench_module().make_pool(seed=6, people=2000, attributes=8, panel_size=200)
    return build_instance(pool, quotas=quotas, panel_size=200)


def test_the_relaxation_of_the_seed_six_pool_is_solved() -> None:
    # given the pool whose seventeenth relaxed stage used to be infeasible (fixed levels overshot the slack)
    instance = seed_six()
    zero = initial_panels(instance, Pricer(instance), Master(instance, idle_limit=None))
    # when
    relaxed = relaxed_leximin(instance, zero=zero)
    # then the relaxed seats are a fractional panel giving every type its level
    assert relaxed.seats.sum() == pytest.approx(200, abs=1e-6)
    assert min(relaxed.levels) == pytest.approx(7 / 120, abs=1e-7)


@pytest.mark.slow
def test_the_seed_six_pool_gets_its_leximin_distribution() -> None:
    # given the pool that used to raise SolverFailed(stage="relaxation", status="Infeasible")
    instance = seed_six()
    # when
    distribution = find_leximin(instance)
    # then the answer passed the exact check, and the lowest chance is the relaxed LEXIMIN's, 7/120
    verify(distribution)
    assert float(min(distribution.type_probabilities())) == pytest.approx(7 / 120, abs=ACCEPT)


def test_the_seed_1009_pool_is_polished_without_cycling() -> None:
    # given the 825/75 robustness pool whose polishing LP the dual simplex cycled on for over 300 s of CPU
    # (its shortcut answer was 2.5e-8 off its levels, found in 4 s)
    pool, quotas, _ = bench_module().robust_pool(9, 825, 75)
    instance = build_instance(pool, quotas=quotas, panel_size=75)
    # when
    distribution = find_leximin(instance)
    # then the answer passed the exact check, and the polish (the primal simplex, after the dual one hit
    # its iteration limit) brought it closer to its levels than the shortcut left it
    verify(distribution)
    assert largest_gap(distribution) < Fraction(1, 10**8)


def test_a_distribution_a_little_short_of_its_levels_is_accepted(instance: Instance) -> None:
    # given an answer whose types all fall 1.2e-7 short of their levels: the solvers' own tolerances (the
    # shortcut used to discard such an answer, 15 types 1.1-1.3e-7 short, and fall back to the slow path)
    distribution = find_leximin(instance)
    short = replace(distribution, levels=tuple(level + 1.2e-7 for level in distribution.levels))
    # when / then
    verify(short)


def test_a_distribution_visibly_off_its_levels_is_refused(instance: Instance) -> None:
    # given an answer that gives its first type 2 in a million less than its level
    distribution = find_leximin(instance)
    levels = list(distribution.levels)
    levels[0] += 2 * ACCEPT
    # when / then
    with pytest.raises(SolverFailed) as caught:
        verify(replace(distribution, levels=tuple(levels)))
    assert caught.value.detail["reason"] == "marginal"
    assert caught.value.detail["type"] == 0


def test_a_distribution_with_a_panel_breaking_the_quotas_is_refused(instance: Instance) -> None:
    # given an answer where one panel has a seat too few
    distribution = find_leximin(instance)
    panel = list(distribution.panels[0])
    panel[next(t for t, seats in enumerate(panel) if seats)] -= 1
    assert not panel_meets_quotas(instance, counts=panel)
    broken = replace(distribution, panels=(tuple(panel), *distribution.panels[1:]))
    # when / then
    with pytest.raises(SolverFailed) as caught:
        verify(broken)
    assert caught.value.detail["reason"] == "quotas"


def test_every_answer_is_within_the_stated_tolerance_of_its_levels(instance: Instance) -> None:
    # when
    distribution = find_leximin(instance)
    # then (a type selected for certain gets 1, not 0.9999966)
    assert largest_gap(distribution) <= Fraction(ACCEPT)
    certain = [t for t, level in enumerate(distribution.levels) if level == 1.0]
    assert all(distribution.type_probabilities()[t] >= 1 - Fraction(ACCEPT) for t in certain)


def enumerated_maximin(instance: Instance) -> float:
    """The highest lowest probability: one LP over every enumerated panel (no columns, no relaxation)."""
    panels = np.array(all_panels(instance), dtype=float) / np.array(instance.sizes, dtype=float)
    count, types = panels.shape
    # variables x (count) then z; maximise z s.t. z - sum_P x_P share_t(P) <= 0, sum x = 1
    a_ub = np.hstack([-panels.T, np.ones((types, 1))])
    result = linprog(
        np.append(np.zeros(count), -1.0),
        A_ub=a_ub,
        b_ub=np.zeros(types),
        A_eq=[np.append(np.ones(count), 0.0)],
        b_eq=[1.0],
        bounds=(0, None),
        method="highs-ds",
    )
    assert result.status == 0
    return -float(result.fun)


@settings(max_examples=25, deadline=None)
@given(
    profiles=st.lists(
        st.tuples(st.sampled_from("fmx"), st.sampled_from("nsc"), st.sampled_from("yo")),
        min_size=5,
        max_size=14,
    ),
    size=st.integers(min_value=2, max_value=5),
    tight=st.booleans(),
)
def test_the_lowest_chance_equals_an_independent_maximin_on_random_small_pools(
    profiles: list[tuple[str, str, str]], size: int, tight: bool
) -> None:
    # given a random small pool with tight or loose quotas over three categories
    pool = {f"p{i:02d}": {"gender": g, "zone": z, "age": a} for i, (g, z, a) in enumerate(profiles)}
    low = 1 if tight else 0
    quotas = [Quota("gender", f, low if f != "x" else 0, size // 2 + 1) for f in "fmx"]
    quotas += [Quota("zone", f, low, size // 2 + 1) for f in "nsc"]
    quotas += [Quota("age", f, low, size - low) for f in "yo"]
    instance = build_instance(pool, quotas=quotas, panel_size=size)
    if not all_panels(instance):
        with pytest.raises(InfeasibleQuotas):
            find_leximin(instance)
        return
    # when
    distribution = find_leximin(instance)
    # then the answer passed the exact check, and its lowest chance is the maximin computed independently
    verify(distribution)
    expected = enumerated_maximin(instance)
    assert float(min(distribution.type_probabilities())) == pytest.approx(expected, abs=ACCEPT)


@pytest.mark.slow  # child processes; maximin alone takes seconds of CPU
def test_the_robustness_benchmark_runs_a_pool_beside_maximin(capsys: pytest.CaptureFixture[str]) -> None:
    # given the benchmark's smallest size, one generated pool, both solvers under a stated CPU limit
    args = ["--robust", "--pools", "1", "--size", "200/20", "--limit", "60", "--other-limit", "60"]
    # when
    status = bench_module().main(args)
    # then ayllu answered, and the summary prints its CPU beside maximin's with the limits
    out = capsys.readouterr().out
    assert status == 0
    assert "time limit per pool: ayllu 60 s of CPU, sortition-algorithms maximin 60 s of CPU" in out
    assert "200/20: 1 pools, 0 failures, 0 infeasible; ayllu CPU median" in out
    assert "beside it, sortition-algorithms maximin: 1 finished within 60 s CPU" in out


@pytest.mark.slow  # child processes; maximin alone takes seconds of CPU
def test_the_robustness_benchmark_counts_a_pool_over_its_limit_as_a_failure(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # given a CPU limit no solve can meet (the kernel stops the child after one second)
    bench = bench_module()
    args = ["--robust", "--pools", "1", "--start", "5", "--size", "200/20", "--limit", "1", "--skip-other"]
    # when
    status = bench.main(args)
    # then the pool is a failure and the run says so in its exit status
    out = capsys.readouterr().out
    assert status == 1
    assert "ayllu FAILED (over 1 s of CPU)" in out
    assert "200/20: 1 pools, 1 failures" in out


def test_the_shortcut_accepts_an_answer_within_the_stated_tolerance(
    instance: Instance, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a shortcut answer 1.2e-7 short of its levels (the case: the shortcut used to throw such
    # an answer away and run the slow stages), and stages that must not run
    finish = leximin._finish

    def short_finish(*args: Any, **kwargs: Any) -> Distribution:
        found = finish(*args, **kwargs)
        return replace(found, levels=tuple(min(1.0, level + 1.2e-7) for level in found.levels))

    def no_stages(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the stages ran")

    monkeypatch.setattr(leximin, "_finish", short_finish)
    monkeypatch.setattr(leximin, "_solve_stage", no_stages)
    # when
    distribution = find_leximin(instance)
    # then the short answer is the one returned
    assert largest_gap(distribution) > Fraction(1, 10**7)


def _long_tail(monkeypatch: pytest.MonkeyPatch, *, interior_fails: bool) -> list[bool]:
    """A walk that finds no panel (the finishing master must find them all), priced with interior duals
    from its second round on however far from the target (the seed-six pool's long tail, made small),
    stages that must not run; the interior method failing every time when `interior_fails` (crossover
    too). Answers the list of master solves, True for an interior one, filled as they run."""
    solves: list[bool] = []
    solve = Master.solve

    def counted(self: Master, *, interior: bool) -> tuple[float, Any, Any]:
        solves.append(interior)
        if interior and interior_fails:
            raise SolverFailed(stage="master", status="Not Set")
        return solve(self, interior=interior)

    def no_stages(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the stages ran")

    monkeypatch.setattr(shortcut, "decompose", lambda *a, **k: Walk(panels=[], weights=[], complete=False))
    monkeypatch.setattr(shortcut, "VERTEX_ROUNDS", 0)
    monkeypatch.setattr(shortcut, "FAR", 1.0)
    monkeypatch.setattr(Master, "solve", counted)
    monkeypatch.setattr(leximin, "_solve_stage", no_stages)
    return solves


def test_a_finishing_master_priced_with_central_duals_reaches_the_target(
    instance: Instance, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given the long tail, priced with interior duals
    solves = _long_tail(monkeypatch, interior_fails=False)
    # when
    distribution = find_leximin(instance)
    # then the central rounds found the panels, the last solve (a vertex) gave the weights, and the answer
    # passed the exact check at its levels
    assert solves.count(True) > 1
    assert solves[-1] is False
    assert len(distribution.panels) <= len(instance.sizes) + 1
    assert largest_gap(distribution) <= Fraction(ACCEPT)


def test_a_finishing_master_whose_interior_solve_fails_prices_at_the_vertex(
    instance: Instance, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given the same long tail, but the interior method fails on every central round
    solves = _long_tail(monkeypatch, interior_fails=True)
    # when
    distribution = find_leximin(instance)
    # then each failed central round was priced at the simplex's vertex instead, and the answer is exact
    assert True in solves
    assert largest_gap(distribution) <= Fraction(ACCEPT)


def test_an_answer_off_its_levels_is_never_returned(
    instance: Instance, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given every route's final distribution 2e-6 off its levels (a solver bug, say)
    finish = leximin._finish

    def off_finish(*args: Any, **kwargs: Any) -> Distribution:
        found = finish(*args, **kwargs)
        return replace(found, levels=tuple(level + 2 * ACCEPT for level in found.levels))

    monkeypatch.setattr(leximin, "_finish", off_finish)
    # when / then the exact check refuses it instead of returning it
    with pytest.raises(SolverFailed) as caught:
        find_leximin(instance)
    assert caught.value.detail["stage"] == "verification"


def test_a_relaxed_stage_made_infeasible_by_noise_is_solved_with_more_slack(instance: Instance) -> None:
    # given a relaxed stage where a type is fixed 5e-9 above the most it can reach: rounding noise of that
    # size once made a stage infeasible and the whole draw fail
    stages = _Stages(instance)
    stages.highs.changeColCost(stages.types, 0.0)
    stages.highs.changeColCost(0, 1.0)
    most = stages.solve(interior=False).col_value[0] / instance.sizes[0]
    stages.highs.changeColCost(0, 0.0)
    stages.highs.changeColCost(stages.types, 1.0)
    stages.fix(0, most + 5e-9)
    # when
    solution = stages.solve(interior=False)
    # then the fixed rows were imposed ten times lower, and the stage answered
    assert stages.slack == pytest.approx(10 * SLACK)
    assert solution.col_value[0] / instance.sizes[0] >= most - 10 * SLACK


def test_a_relaxed_stage_stopped_by_its_iteration_limit_is_solved_another_way(instance: Instance) -> None:
    # given a relaxed stage whose simplex may take one iteration (the dual simplex can cycle on these LPs;
    # the limit stops it, as it stopped the polishing LP of the 825/75 seed 1009 pool)
    expected = _Stages(instance).solve(interior=False).col_value[-1]
    stages = _Stages(instance)
    stages.highs.setOptionValue("simplex_iteration_limit", 1)
    # when
    solution = stages.solve(interior=False)
    # then the stage still answered (the primal simplex stopped too; the interior point method did not)
    assert solution.col_value[-1] == pytest.approx(expected, abs=1e-9)


def test_the_relaxation_lps_have_an_iteration_limit(instance: Instance) -> None:
    # given the relaxation's stage LP
    stages = _Stages(instance)
    # then its simplex iterations are capped, by the one limit stated in tolerances.py
    rows, columns = stages.highs.getNumRow(), stages.highs.getNumCol()
    _, limit = stages.highs.getOptionValue("simplex_iteration_limit")
    assert limit == SIMPLEX_ITERATIONS * (rows + columns)


def test_the_benchmark_ratio_of_lowest_chances_leaves_out_people_no_panel_can_hold() -> None:
    # given two people no feasible panel holds: both solvers give them 0
    min_ratio = bench_module().min_ratio
    # when / then the ratio is over the people with a chance, and says so, instead of reading 0
    assert min_ratio([0.0, 0.2, 0.5, 0.0], [0.0, 0.2, 0.4, 0.0]) == (
        "1.0000 (over the 2 of 4 people with a chance; the rest: both 0)"
    )
    assert min_ratio([0.1, 0.3], [0.05, 0.3]) == "2.0000"
    assert min_ratio([0.0, 0.0], [0.0, 0.0]) == "both 0"
    assert min_ratio([0.1, 0.2], [0.0, 0.2]) == "maximin 0"


@pytest.mark.slow
@pytest.mark.skipif(
    not os.environ.get("AYLLU_SOAK"),
    reason="90-200 s of CPU: a soak, run with AYLLU_SOAK=1 (bench/sortition.py --robust covers it too)",
)
def test_the_slow_200_person_pool_needs_few_full_pricing_integer_programs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given the robust bench's 200/20 pool 4 (seed 1004, 7 attributes, 166 types): the relaxed LEXIMIN is
    # out of reach, so the stages run; it took 98-109 s of CPU when every new panel came from a full
    # pricing integer program (0.1-0.3 s each; over 400 of them)
    pool, quotas, _ = bench_module().robust_pool(4, 200, 20)
    instance = build_instance(pool, quotas=quotas, panel_size=20)
    full = 0
    run = Pricer._run

    def counted(self: Pricer, highs: Any, weights: Any, stage: str) -> Any:
        nonlocal full
        full += stage == "pricing"
        return run(self, highs, weights, stage)

    monkeypatch.setattr(Pricer, "_run", counted)
    # when
    distribution = find_leximin(instance)
    # then it is still verified and LEXIMIN's lowest chance, and most panels came from the swap search
    verify(distribution)
    assert float(min(distribution.type_probabilities())) == pytest.approx(0.010929, abs=1e-6)
    assert full <= 400
