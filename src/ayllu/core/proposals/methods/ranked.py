"""Ranked choice by the Schulze method (a Condorcet method, "widest paths", winning votes).

Each ballot ranks some or all options, best first. Options a ballot leaves out are ranked equal to each
other and below every option it ranks. `pairwise[a][b]` counts the ballots preferring a to b. A
direct contest a-b has strength `pairwise[a][b]` when a wins it and 0 otherwise; the strength of a path
is its weakest contest, and `strongest_paths[a][b]` is the strongest path from a to b. a ranks above b
when `strongest_paths[a][b] > strongest_paths[b][a]`. An option beating every other head to head (a
Condorcet winner) always comes first. Options still level are ordered by the tie rule (see `ties`).
"""

from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Literal

from ayllu.core.proposals.methods.errors import DuplicateRanking, InvalidBallot, UnknownOption
from ayllu.core.proposals.methods.options import check_options
from ayllu.core.proposals.methods.outcome import (
    CONDORCET_CYCLE_RESOLVED,
    CONDORCET_WINNER,
    NO_CONDORCET_WINNER,
    NO_SUPPORT,
    QUORUM_NOT_MET,
    TIE_BROKEN_BY_RULE,
    Outcome,
    Quorum,
    frozen_matrix,
    take_count,
)
from ayllu.core.proposals.methods.ties import tie_order

Matrix = dict[str, dict[str, int]]


def tally_ranked(
    ballots: Mapping[str, Sequence[str]],
    *,
    options: Sequence[str],
    eligible: int,
    quorum: Fraction | Quorum,
    tie_seed: str,
) -> Outcome:
    """Rank the options by Schulze and elect the first; ties among equals by the tie rule."""
    known = check_options(options)
    order = tie_order(tie_seed, known)
    for voter, ranking in sorted(ballots.items()):
        _check_ranking(voter, ranking, known=set(known))
    first = {option: 0 for option in known}
    for ranked in ballots.values():
        if ranked:
            first[ranked[0]] += 1
    count = take_count(first, eligible=eligible, participation=len(ballots), quorum=quorum)
    d = pairwise_preferences(ballots.values(), options=known)
    p = strongest_paths(d, options=known)
    ranking, tie_broken = schulze_ranking(p, order=order)
    result: Literal["elected", "no_quorum", "undecided"]
    reasons: tuple[str, ...]
    winners: tuple[str, ...] = ()
    if not count.quorum.met:
        result, reasons = "no_quorum", (QUORUM_NOT_MET,)
    elif not any(any(row.values()) for row in d.values()):
        result, reasons = "undecided", (NO_SUPPORT,)
    else:
        result, winners = "elected", ranking[:1]
        if _beats_all(d, ranking[0], options=known):
            reasons = (CONDORCET_WINNER,)
        else:
            reasons = (NO_CONDORCET_WINNER,)
            if _has_cycle(d, options=known):
                reasons += (CONDORCET_CYCLE_RESOLVED,)
        if tie_broken:
            reasons += (TIE_BROKEN_BY_RULE,)
    return count.outcome(
        "ranked",
        result,
        reasons,
        winners=winners,
        ranking=ranking,
        tie_order=order,
        pairwise=frozen_matrix(d),
        strongest_paths=frozen_matrix(p),
    )


def pairwise_preferences(ballots: Iterable[Sequence[str]], *, options: Sequence[str]) -> Matrix:
    """Count, for each ordered pair (a, b), the ballots that rank a above b."""
    d: Matrix = {a: {b: 0 for b in options if b != a} for a in options}
    for ranking in ballots:
        ranked = set(ranking)
        unranked = [b for b in options if b not in ranked]
        for i, a in enumerate(ranking):
            for b in ranking[i + 1 :]:
                d[a][b] += 1
            for b in unranked:
                d[a][b] += 1
    return d


def strongest_paths(d: Matrix, *, options: Sequence[str]) -> Matrix:
    """Compute the widest path between every pair (Floyd-Warshall over the won contests)."""
    p: Matrix = {a: {b: d[a][b] if d[a][b] > d[b][a] else 0 for b in d[a]} for a in options}
    for k in options:
        for i in options:
            if i == k:
                continue
            for j in options:
                if j in (i, k):
                    continue
                through = min(p[i][k], p[k][j])
                if through > p[i][j]:
                    p[i][j] = through
    return p


def schulze_ranking(p: Matrix, *, order: Sequence[str]) -> tuple[tuple[str, ...], bool]:
    """Order the options by strongest paths, equals by `order`; say whether the first place was a tie."""
    remaining = list(order)
    ranking: list[str] = []
    first_tied = False
    while remaining:
        unbeaten = [a for a in remaining if not any(p[b][a] > p[a][b] for b in remaining if b != a)]
        if not ranking:
            first_tied = len(unbeaten) > 1
        # Schulze's relation is transitive, so some remaining option is always unbeaten.
        ranking.append(unbeaten[0])
        remaining.remove(unbeaten[0])
    return tuple(ranking), first_tied


def _check_ranking(voter: str, ranking: Sequence[str], *, known: set[str]) -> None:
    if isinstance(ranking, str) or not isinstance(ranking, Sequence):
        raise InvalidBallot(voter=voter, value=type(ranking).__name__)
    seen: set[str] = set()
    for option in ranking:
        if option not in known:
            raise UnknownOption(voter=voter, option=option)
        if option in seen:
            raise DuplicateRanking(voter=voter, option=option)
        seen.add(option)


def _beats_all(d: Matrix, candidate: str, *, options: Sequence[str]) -> bool:
    return all(d[candidate][b] > d[b][candidate] for b in options if b != candidate)


def _has_cycle(d: Matrix, *, options: Sequence[str]) -> bool:
    """Say whether the head-to-head wins contain a cycle (a beats b beats ... beats a)."""
    beats = {a: [b for b in d[a] if d[a][b] > d[b][a]] for a in options}
    done: set[str] = set()
    on_path: set[str] = set()

    def visit(a: str) -> bool:
        on_path.add(a)
        for b in beats[a]:
            if b in on_path or (b not in done and visit(b)):
                return True
        on_path.discard(a)
        done.add(a)
        return False

    return any(a not in done and visit(a) for a in options)
