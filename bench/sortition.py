"""Benchmark: ayllu's LEXIMIN against the `sortition-algorithms` package on self-selection-biased pools.

Not a test. Run:  nice -n 10 .venv/bin/python bench/sortition.py [--quick] [--limit SECONDS]
Robustness:       nice -n 10 .venv/bin/python bench/sortition.py --robust [--pools 50] [--limit 300]
                  [--other-limit 60] [--size 2000/200] [--start I] [--skip-other]
The robustness run exits with status 1 when any pool failed (an error, or over its time limit).

Each pool is drawn from a synthetic population with 5-8 attributes; the chance that someone volunteers
depends on their attributes (older, more schooled, more central people answer more often), so the pool is
biased the way real volunteer pools are. Quotas are the population shares of the panel, +-10 %.
The other package runs its best algorithm that needs no commercial licence (maximin: its leximin needs
Gurobi). Each solver runs in a child process limited in CPU seconds (so a busy machine does not cut a
run short), and in wall-clock seconds to 20 times that; past either the row says "did not finish".
"""

import argparse
import math
import multiprocessing
import random
import resource
import sys
import time
from dataclasses import dataclass
from queue import Empty
from typing import Any

from ayllu.core.sortition import InfeasibleQuotas, Quota, build_instance, find_leximin, round_to_lottery
from ayllu.core.sortition.leximin import IDLE_LIMIT

# attribute -> (values, population shares, volunteering propensity)
ATTRIBUTES: list[tuple[str, list[str], list[float], list[float]]] = [
    ("gender", ["f", "m", "x"], [0.49, 0.49, 0.02], [1.0, 0.8, 1.2]),
    ("age", ["16-29", "30-44", "45-64", "65+"], [0.24, 0.26, 0.30, 0.20], [0.5, 0.8, 1.2, 1.6]),
    (
        "zone",
        ["north", "south", "east", "west", "centre"],
        [0.22, 0.25, 0.2, 0.18, 0.15],
        [0.7, 0.8, 1.0, 1.0, 1.6],
    ),
    ("schooling", ["primary", "secondary", "tertiary"], [0.3, 0.45, 0.25], [0.4, 0.9, 2.0]),
    ("tenure", ["owner", "tenant", "other"], [0.55, 0.4, 0.05], [1.3, 0.8, 0.6]),
    ("language", ["es", "ay", "qu", "other"], [0.6, 0.25, 0.1, 0.05], [1.2, 0.7, 0.7, 0.9]),
    (
        "work",
        ["employed", "informal", "unemployed", "retired", "student"],
        [0.35, 0.3, 0.1, 0.15, 0.1],
        [1.0, 0.6, 0.8, 1.5, 0.9],
    ),
    ("household", ["1", "2", "3-4", "5+"], [0.15, 0.25, 0.35, 0.25], [1.1, 1.1, 1.0, 0.7]),
]


def make_pool(
    *, seed: int, people: int, attributes: int, panel_size: int, slack: float = 0.1, bias: float = 1.0
) -> tuple[dict[str, dict[str, str]], list[Quota]]:
    """Draw a biased pool of `people` volunteers and proportional quotas, deterministically from `seed`.

    Quotas are the population share of the panel within +-`slack`; `bias` is the power the volunteering
    propensity is raised to (1: the default pull; 2: strong self-selection).
    """
    rng = random.Random(seed)
    chosen = ATTRIBUTES[:attributes]
    pool: dict[str, dict[str, str]] = {}
    top = math.prod(max(p) for _, _, _, p in chosen) ** bias
    while len(pool) < people:
        person = {}
        propensity = 1.0
        for name, values, shares, pulls in chosen:
            index = rng.choices(range(len(values)), weights=shares)[0]
            person[name] = values[index]
            propensity *= pulls[index] ** bias
        if rng.random() < propensity / top * 4:
            pool[f"p{len(pool):05d}"] = person
    quotas = []
    for name, values, shares, _ in chosen:
        for value, share in zip(values, shares, strict=True):
            seats = share * panel_size
            available = sum(1 for p in pool.values() if p[name] == value)
            low = min(math.floor(seats * (1 - slack)), available)
            quotas.append(Quota(name, value, low, max(low, math.ceil(seats * (1 + slack)))))
    return pool, quotas


def gini(values: list[float]) -> float:
    """The Gini coefficient of non-negative values."""
    ordered = sorted(values)
    n = len(ordered)
    total = sum(ordered)
    if total == 0:
        return 0.0
    weighted = sum((i + 1) * v for i, v in enumerate(ordered))
    return (2 * weighted) / (n * total) - (n + 1) / n


def _ayllu(pool: dict[str, dict[str, str]], quotas: list[Quota], k: int, out: Any) -> None:
    """Run ayllu's LEXIMIN and the rounding; put probabilities and timings on `out`."""
    start = time.perf_counter()
    cpu = time.process_time()
    instance = build_instance(pool, quotas=quotas, panel_size=k)
    try:
        distribution = find_leximin(instance, idle_limit=IDLE_LIMIT)
    except InfeasibleQuotas as error:
        out.put({"infeasible": dict(error.detail)})
        return
    solved = time.perf_counter() - start
    # CPU time of the solver alone: on a shared machine the wall clock mostly measures the neighbours
    cpu = time.process_time() - cpu
    lottery = round_to_lottery(distribution, size=1000)
    probabilities = distribution.probabilities()
    out.put(
        {
            "time": solved,
            "cpu": cpu,
            "probabilities": [float(probabilities[p]) for p in sorted(pool)],
            "types": len(instance.profiles),
            "panels": len(distribution.panels),
            "rounding": float(lottery.max_deviation) * 1000,
            "bound": float(lottery.bound) * 1000,
            "lowest": float(lottery.lowest),
        }
    )


def _other(pool: dict[str, dict[str, str]], quotas: list[Quota], k: int, out: Any) -> None:
    from sortition_algorithms.committee_generation import find_distribution_maximin
    from sortition_algorithms.features import FeatureValueMinMax
    from sortition_algorithms.people import People

    features: dict[str, Any] = {}
    for quota in quotas:
        features.setdefault(quota.category, {})[quota.feature] = FeatureValueMinMax(
            min=quota.min, max=quota.max
        )
    people = People(sorted({q.category for q in quotas}))
    for row, (person_id, attributes) in enumerate(sorted(pool.items())):
        people.add(person_id, dict(attributes), features, row)
    start = time.perf_counter()
    cpu = time.process_time()
    committees, weights, _ = find_distribution_maximin(features, people, k, [])
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu
    chance = dict.fromkeys(pool, 0.0)
    for committee, weight in zip(committees, weights, strict=True):
        for person in committee:
            chance[person] += weight
    out.put({"time": elapsed, "cpu": cpu, "probabilities": [chance[p] for p in sorted(pool)]})


WALL_FACTOR = 20  # a child may take this many times its CPU limit in wall-clock seconds


def _limited(target: Any, limit: float, *args: Any) -> None:
    """In the child: cap its CPU seconds (the kernel stops it past them), then run the solver."""
    seconds = math.ceil(limit)
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
    target(*args)


def run_limited(
    target: Any, pool: dict[str, dict[str, str]], quotas: list[Quota], k: int, limit: float
) -> dict[str, Any] | None:
    """Run one solver in a child process; None when it does not finish within `limit` CPU seconds."""
    queue: Any = multiprocessing.get_context("fork").Queue()
    child = multiprocessing.get_context("fork").Process(
        target=_limited, args=(target, limit, pool, quotas, k, queue)
    )
    child.start()
    deadline = time.monotonic() + limit * WALL_FACTOR
    while time.monotonic() < deadline:
        try:
            result: dict[str, Any] = queue.get(timeout=1.0)
        except Empty:
            if not child.is_alive():
                # SIGXCPU (or SIGKILL past the hard limit): the CPU limit was reached
                return None if child.exitcode in (-24, -9) else {"error": child.exitcode}
            continue
        child.join()
        return result
    child.terminate()
    child.join()
    return None


@dataclass
class Case:
    seed: int
    people: int
    attributes: int
    panel: int


CASES = [
    Case(1, 200, 5, 20),
    Case(2, 500, 6, 50),
    Case(4, 2000, 8, 200),
    Case(3, 1000, 7, 100),
    Case(5, 2000, 5, 200),
]
QUICK = [Case(1, 200, 5, 20)]


def _row(name: str, result: dict[str, Any] | None, extra: str = "") -> str:
    if result is None:
        return f"  {name:22s} did not finish"
    if "error" in result:
        return f"  {name:22s} failed (exit {result['error']})"
    p = result["probabilities"]
    cpu = f" (cpu {result['cpu']:.1f} s)" if "cpu" in result else ""
    return (
        f"  {name:22s} min {min(p):.4f}  max {max(p):.4f}  gini {gini(p):.3f}  "
        f"time {result['time']:7.1f} s{cpu} {extra}"
    )


SIZES = [(200, 20), (825, 75), (2000, 200), (2000, 20)]


def robust_pool(index: int, people: int, panel: int) -> tuple[dict[str, Any], list[Quota], str]:
    """The index-th pool of a size: 3 to 8 attributes, tight or loose quotas, normal or strong bias."""
    attributes = 3 + index % 6
    slack = (0.05, 0.1, 0.2)[index % 3]
    bias = (1.0, 2.0)[(index // 3) % 2]
    pool, quotas = make_pool(
        seed=1000 + index, people=people, attributes=attributes, panel_size=panel, slack=slack, bias=bias
    )
    return pool, quotas, f"seed {1000 + index}, {attributes} attributes, quotas +-{slack:.0%}, bias {bias}"


def min_ratio(ours: list[float], other: list[float]) -> str:
    """Ayllu's lowest chance over maximin's, among the people either gives a positive chance.

    People in no feasible panel get 0 from both solvers; a ratio over everyone would then read 0 (or
    0/0), which says nothing. When neither gives anyone a positive chance the answer is "both 0"; when
    maximin gives 0 to someone ayllu does not, "maximin 0".
    """
    positive = [i for i, (a, b) in enumerate(zip(ours, other, strict=True)) if a > 0 or b > 0]
    if not positive:
        return "both 0"
    floor = min(other[i] for i in positive)
    if floor <= 0:
        return "maximin 0"
    ratio = f"{min(ours[i] for i in positive) / floor:.4f}"
    if len(positive) < len(ours):
        ratio += f" (over the {len(positive)} of {len(ours)} people with a chance; the rest: both 0)"
    return ratio


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def robust(args: argparse.Namespace) -> int:
    """Many generated pools per size: failures, median and worst CPU, beside the other package's maximin.

    Returns the number of pools ayllu failed on (an error, or over its limit).
    """
    total_failures = 0
    print(
        f"time limit per pool: ayllu {args.limit:.0f} s of CPU, sortition-algorithms maximin "
        f"{args.other_limit:.0f} s of CPU (each also {WALL_FACTOR}x that in wall-clock seconds)",
        flush=True,
    )
    for people, panel in SIZES:
        if args.size and f"{people}/{panel}" not in args.size:
            continue
        ours: list[float] = []
        others: list[float] = []
        failures, unfinished, infeasible, shifts, drops = 0, 0, 0, [], []
        for index in range(args.start, args.start + args.pools):
            pool, quotas, label = robust_pool(index, people, panel)
            result = run_limited(_ayllu, pool, quotas, panel, args.limit)
            if result is None or "error" in result:
                failures += 1
                why = f"over {args.limit:.0f} s of CPU" if result is None else f"exit {result['error']}"
                print(f"  {people}/{panel} {label}: ayllu FAILED ({why})", flush=True)
                continue
            if "infeasible" in result:
                infeasible += 1
                print(f"  {people}/{panel} {label}: infeasible quotas {result['infeasible']}", flush=True)
                continue
            ours.append(result["cpu"])
            shifts.append(result["rounding"])
            drops.append((min(result["probabilities"]) - result["lowest"]) * 1000)
            line = f"  {people}/{panel} {label}: ayllu cpu {result['cpu']:.1f} s"
            line += f", lowest chance {min(result['probabilities']):.12f}, panels {result['panels']}"
            line += f", shift {result['rounding']:.2f}/1000"
            if not args.skip_other:
                other = run_limited(_other, pool, quotas, panel, args.other_limit)
                if other is None or "error" in other:
                    unfinished += 1
                    line += f"; maximin did not finish in {args.other_limit:.0f} s CPU"
                else:
                    others.append(other["cpu"])
                    ratio = min_ratio(result["probabilities"], other["probabilities"])
                    line += f"; maximin cpu {other['cpu']:.1f} s, min ratio {ratio}"
            print(line, flush=True)
        total_failures += failures
        print(
            f"{people}/{panel}: {args.pools} pools, {failures} failures, {infeasible} infeasible; "
            f"ayllu CPU {_spread(ours, 's')} (limit {args.limit:.0f} s); rounding to 1000: largest shift "
            f"{_spread(shifts, '/1000')}, lowest chance dropped by at most "
            f"{max(drops, default=float('nan')):.2f}/1000",
            flush=True,
        )
        if not args.skip_other:
            print(
                f"  beside it, sortition-algorithms maximin: {len(others)} finished within "
                f"{args.other_limit:.0f} s CPU, {unfinished} did not; CPU of those that finished "
                f"{_spread(others, 's')}",
                flush=True,
            )
    return total_failures


def _spread(values: list[float], unit: str) -> str:
    if not values:
        return "none"
    return f"median {_median(values):.2f} {unit}, worst {max(values):.2f} {unit}"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--limit", type=float, default=300.0, help="CPU seconds for ayllu per pool")
    parser.add_argument("--skip-other", action="store_true")
    parser.add_argument("--case", type=int, action="append", help="run only these CASES (0-based)")
    parser.add_argument("--robust", action="store_true", help="many generated pools per size")
    parser.add_argument("--pools", type=int, default=50, help="pools per size with --robust")
    parser.add_argument("--start", type=int, default=0, help="with --robust: index of the first pool")
    parser.add_argument("--size", action="append", help="with --robust: only these sizes, e.g. 2000/200")
    parser.add_argument("--other-limit", type=float, default=60.0, help="CPU seconds for maximin per pool")
    args = parser.parse_args(argv)
    if args.robust:
        return 1 if robust(args) else 0
    cases = QUICK if args.quick else CASES
    for case in [cases[i] for i in args.case] if args.case else cases:
        pool, quotas = make_pool(
            seed=case.seed, people=case.people, attributes=case.attributes, panel_size=case.panel
        )
        print(
            f"pool {case.people} people, {case.attributes} attributes, panel {case.panel} (seed {case.seed})",
            flush=True,
        )
        ours = run_limited(_ayllu, pool, quotas, case.panel, args.limit)
        if ours is None or "error" in ours:
            print(_row("ayllu leximin", ours), flush=True)
            ours = None
        else:
            detail = (
                f"({ours['types']} types, {ours['panels']} panels; rounding to 1000: "
                f"max shift {ours['rounding']:.2f}/1000, guaranteed < {ours['bound']:.2f}/1000)"
            )
            print(_row("ayllu leximin", ours, detail), flush=True)
        if not args.skip_other:
            other = run_limited(_other, pool, quotas, case.panel, args.limit)
            print(_row("sortition-algs maximin", other), flush=True)
            if ours is not None and other is not None and "error" not in other:
                print(
                    f"  min ratio ayllu/maximin {min_ratio(ours['probabilities'], other['probabilities'])}"
                    f"  time ratio {ours['time'] / other['time']:.3f}",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
