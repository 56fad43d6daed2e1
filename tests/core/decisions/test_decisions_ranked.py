from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ayllu.core.proposals.methods import tally_ranked, tie_order
from ayllu.core.proposals.methods.errors import DuplicateOption, DuplicateRanking, UnknownOption

HALF = Fraction(1, 2)
SEED = "entry:3f9a"


def expand(groups: list[tuple[int, str]]) -> dict[str, list[str]]:
    ballots: dict[str, list[str]] = {}
    for count, order in groups:
        for _ in range(count):
            ballots[f"m{len(ballots):03}"] = list(order)
    return ballots


def test_schulze_matches_the_published_example():
    # given: the 45-voter example from Schulze's paper (also on Wikipedia); E wins, then A, C, B, D
    ballots = expand(
        [
            (5, "ACBED"),
            (5, "ADECB"),
            (8, "BEDAC"),
            (3, "CABED"),
            (7, "CAEBD"),
            (2, "CBADE"),
            (7, "DCEBA"),
            (8, "EBADC"),
        ]
    )
    # when
    outcome = tally_ranked(ballots, options="ABCDE", eligible=45, quorum=HALF, tie_seed=SEED)
    # then
    assert outcome.result == "elected"
    assert outcome.winners == ("E",)
    assert outcome.ranking == ("E", "A", "C", "B", "D")
    assert outcome.pairwise["A"]["B"] == 20 and outcome.pairwise["B"]["A"] == 25
    assert outcome.strongest_paths["E"] == {"A": 25, "B": 28, "C": 28, "D": 31}
    assert outcome.reasons == ("no_condorcet_winner", "condorcet_cycle_resolved")


def test_rock_paper_scissors_is_resolved_by_the_tie_rule_the_same_way_every_time():
    # given: a perfect three-way cycle, every contest 2 to 1
    ballots = expand([(1, "RPS"), (1, "PSR"), (1, "SRP")])
    # when
    outcomes = [
        tally_ranked(
            dict(reversed(list(ballots.items()))) if i % 2 else ballots,
            options="RPS",
            eligible=3,
            quorum=HALF,
            tie_seed=SEED,
        )
        for i in range(4)
    ]
    # then
    first = outcomes[0]
    assert all(o == first for o in outcomes)
    assert first.winners == (tie_order(SEED, "RPS")[0],)
    assert first.reasons == ("no_condorcet_winner", "condorcet_cycle_resolved", "tie_broken_by_rule")


def test_a_different_seed_can_pick_a_different_winner_of_a_perfect_cycle():
    # given
    ballots = expand([(1, "RPS"), (1, "PSR"), (1, "SRP")])
    # when
    winners = {
        tally_ranked(ballots, options="RPS", eligible=3, quorum=HALF, tie_seed=f"seed{i}").winners[0]
        for i in range(20)
    }
    # then: the seed, not the option order, decides
    assert winners == {"R", "P", "S"}


def test_a_weighted_cycle_is_resolved_by_strongest_paths_without_the_tie_rule():
    # given: A beats B 7-2, B beats C 5-4, C beats A 6-3
    ballots = expand([(3, "ABC"), (2, "BCA"), (4, "CAB")])
    # when
    outcome = tally_ranked(ballots, options="ABC", eligible=9, quorum=HALF, tie_seed=SEED)
    # then: the weakest link (B over C, 5) gives way; C reaches A by 6 and B by min(6, 7) = 6
    assert outcome.winners == ("C",)
    assert outcome.strongest_paths["C"] == {"A": 6, "B": 6}
    assert outcome.strongest_paths["A"] == {"B": 7, "C": 5}
    assert outcome.reasons == ("no_condorcet_winner", "condorcet_cycle_resolved")


def test_unranked_options_count_below_ranked_ones():
    # given: three ballots rank only B; one ranks A first then B
    ballots = {"m1": ["B"], "m2": ["B"], "m3": ["B"], "m4": ["A", "B"]}
    # when
    outcome = tally_ranked(ballots, options=["A", "B", "C"], eligible=4, quorum=HALF, tie_seed=SEED)
    # then
    assert outcome.winners == ("B",)
    assert outcome.pairwise["B"]["C"] == 4
    assert outcome.pairwise["A"]["C"] == 1 and outcome.pairwise["C"]["A"] == 0
    assert dict(outcome.tallies) == {"A": 1, "B": 3, "C": 0}


def test_empty_ballots_elect_nobody():
    # given
    ballots = {"m1": [], "m2": []}
    # when
    outcome = tally_ranked(ballots, options="AB", eligible=2, quorum=HALF, tie_seed=SEED)
    # then
    assert outcome.result == "undecided"
    assert outcome.winners == ()
    assert outcome.reasons == ("no_support",)


def test_no_quorum_elects_nobody():
    # given
    ballots = {"m1": ["A"]}
    # when
    outcome = tally_ranked(ballots, options="AB", eligible=3, quorum=HALF, tie_seed=SEED)
    # then
    assert outcome.result == "no_quorum"
    assert outcome.winners == ()


def test_single_voter_elects_their_first_choice():
    # given
    ballots = {"ana": ["C", "A"]}
    # when
    outcome = tally_ranked(ballots, options="ABC", eligible=1, quorum=HALF, tie_seed=SEED)
    # then
    assert outcome.winners == ("C",)
    assert outcome.reasons == ("condorcet_winner",)


def test_duplicate_ranking_raises():
    # given
    ballots = {"ana": ["A", "B", "A"]}
    # when / then
    with pytest.raises(DuplicateRanking) as caught:
        tally_ranked(ballots, options="AB", eligible=1, quorum=HALF, tie_seed=SEED)
    assert caught.value.code == "duplicate_ranking"
    assert caught.value.detail == {"voter": "ana", "option": "A"}


def test_unknown_option_raises():
    # given
    ballots = {"ana": ["A", "Z"]}
    # when / then
    with pytest.raises(UnknownOption) as caught:
        tally_ranked(ballots, options="AB", eligible=1, quorum=HALF, tie_seed=SEED)
    assert caught.value.detail == {"voter": "ana", "option": "Z"}


def test_duplicate_option_raises():
    # when / then
    with pytest.raises(DuplicateOption):
        tally_ranked({}, options=["A", "A"], eligible=1, quorum=HALF, tie_seed=SEED)


def _prefers(ballot, a, b, options):
    pos = {o: ballot.index(o) if o in ballot else len(options) for o in options}
    return pos[a] < pos[b]


def _condorcet_winner(ballots, options):
    for a in options:
        if all(
            sum(_prefers(x, a, b, options) for x in ballots.values())
            > sum(_prefers(x, b, a, options) for x in ballots.values())
            for b in options
            if b != a
        ):
            return a
    return None


OPTIONS = ["A", "B", "C", "D"]
ranking = st.permutations(OPTIONS).flatmap(lambda p: st.integers(0, len(p)).map(lambda n: list(p[:n])))
ballot_sets = st.dictionaries(st.text("xyz", min_size=1, max_size=4), ranking, min_size=1, max_size=15)


@settings(max_examples=300)
@given(ballots=ballot_sets, seed=st.text(min_size=1, max_size=8))
def test_a_condorcet_winner_always_wins(ballots, seed):
    # given
    winner = _condorcet_winner(ballots, OPTIONS)
    # when
    outcome = tally_ranked(ballots, options=OPTIONS, eligible=len(ballots), quorum=Fraction(0), tie_seed=seed)
    # then
    if winner is not None:
        assert outcome.winners == (winner,)
        assert outcome.reasons == ("condorcet_winner",)
    else:
        assert "condorcet_winner" not in outcome.reasons


@settings(max_examples=200)
@given(ballots=ballot_sets, seed=st.text(min_size=1, max_size=8))
def test_pairwise_counts_equal_a_reference_model_and_the_ranking_respects_strongest_paths(ballots, seed):
    # when
    outcome = tally_ranked(ballots, options=OPTIONS, eligible=len(ballots), quorum=Fraction(0), tie_seed=seed)
    # then
    for a in OPTIONS:
        for b in OPTIONS:
            if a != b:
                assert outcome.pairwise[a][b] == sum(_prefers(x, a, b, OPTIONS) for x in ballots.values())
    p = outcome.strongest_paths
    for i, a in enumerate(outcome.ranking):
        for b in outcome.ranking[i + 1 :]:
            assert p[a][b] >= p[b][a]
    assert sorted(outcome.ranking) == OPTIONS


@settings(max_examples=100)
@given(ballots=ballot_sets, seed=st.text(min_size=1, max_size=8))
def test_the_outcome_does_not_depend_on_ballot_order(ballots, seed):
    # when
    forward = tally_ranked(ballots, options=OPTIONS, eligible=len(ballots), quorum=HALF, tie_seed=seed)
    backward = tally_ranked(
        dict(reversed(list(ballots.items()))),
        options=OPTIONS,
        eligible=len(ballots),
        quorum=HALF,
        tie_seed=seed,
    )
    # then
    assert forward == backward
    assert forward.as_json() == backward.as_json()


def test_a_tied_contest_gives_no_path_strength():
    # given: A and B tie 5-5, B beats C 8-2, C beats A 6-4
    ballots = expand([(4, "ABC"), (4, "BCA"), (1, "CAB"), (1, "CBA")])
    # when
    outcome = tally_ranked(ballots, options="ABC", eligible=10, quorum=HALF, tie_seed=SEED)
    # then: only won contests carry strength, so A reaches nobody
    assert outcome.pairwise["A"]["B"] == outcome.pairwise["B"]["A"] == 5
    assert outcome.strongest_paths["A"] == {"B": 0, "C": 0}
    assert outcome.strongest_paths["B"] == {"A": 6, "C": 8}
    assert outcome.ranking == ("B", "C", "A")
    assert outcome.reasons == ("no_condorcet_winner",)
