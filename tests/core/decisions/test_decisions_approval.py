from collections import Counter
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ayllu.core.proposals.methods import tally_approval, tie_order
from ayllu.core.proposals.methods.errors import InvalidParameter, TooManyVoters, UnknownOption

HALF = Fraction(1, 2)
SEED = "entry:77c0"
OPTIONS = ["plaza", "school", "market", "church"]


def test_most_approved_option_wins():
    # given
    ballots = {
        "m1": frozenset({"plaza", "school"}),
        "m2": frozenset({"school"}),
        "m3": frozenset({"market", "school"}),
    }
    # when
    outcome = tally_approval(ballots, options=OPTIONS, eligible=4, quorum=HALF, tie_seed=SEED)
    # then
    assert outcome.result == "elected"
    assert outcome.winners == ("school",)
    assert dict(outcome.tallies) == {"plaza": 1, "school": 3, "market": 1, "church": 0}
    assert outcome.reasons == ()


def test_a_tie_for_the_seat_is_broken_by_the_tie_rule():
    # given
    ballots = {"m1": frozenset({"plaza"}), "m2": frozenset({"market"})}
    # when
    outcome = tally_approval(ballots, options=OPTIONS, eligible=3, quorum=HALF, tie_seed=SEED)
    # then
    expected = next(o for o in tie_order(SEED, OPTIONS) if o in {"plaza", "market"})
    assert outcome.winners == (expected,)
    assert outcome.reasons == ("tie_broken_by_rule",)
    assert outcome.tie_order == tie_order(SEED, OPTIONS)


def test_several_seats_and_options_nobody_approved_never_win():
    # given: three seats, but only two options have any approval
    ballots = {"m1": frozenset({"plaza", "market"}), "m2": frozenset({"plaza"})}
    # when
    outcome = tally_approval(ballots, options=OPTIONS, eligible=3, quorum=HALF, seats=3, tie_seed=SEED)
    # then
    assert outcome.winners == ("plaza", "market")
    assert outcome.reasons == ("seats_unfilled",)


def test_nobody_approving_anything_elects_nobody():
    # given
    ballots = {"m1": frozenset(), "m2": frozenset()}
    # when
    outcome = tally_approval(ballots, options=OPTIONS, eligible=2, quorum=HALF, tie_seed=SEED)
    # then
    assert outcome.result == "undecided"
    assert outcome.reasons == ("no_support",)


def test_no_quorum_elects_nobody():
    # given
    ballots = {"m1": frozenset({"plaza"})}
    # when
    outcome = tally_approval(ballots, options=OPTIONS, eligible=10, quorum=HALF, tie_seed=SEED)
    # then
    assert outcome.result == "no_quorum"
    assert outcome.winners == ()


def test_unknown_option_raises():
    # given
    ballots = {"m1": frozenset({"stadium"})}
    # when / then
    with pytest.raises(UnknownOption) as caught:
        tally_approval(ballots, options=OPTIONS, eligible=2, quorum=HALF, tie_seed=SEED)
    assert caught.value.detail == {"voter": "m1", "option": "stadium"}


@pytest.mark.parametrize(
    ("name", "kwargs"), [("seats", {"seats": 0}), ("seats", {"seats": 5}), ("tie_seed", {"tie_seed": ""})]
)
def test_bad_parameters_raise(name, kwargs):
    # given
    params = {"options": OPTIONS, "eligible": 2, "quorum": HALF, "tie_seed": SEED} | kwargs
    # when / then
    with pytest.raises(InvalidParameter) as caught:
        tally_approval({}, **params)
    assert caught.value.detail["name"] == name


def test_more_ballots_than_eligible_raises():
    # when / then
    with pytest.raises(TooManyVoters):
        tally_approval(
            {"a": frozenset(), "b": frozenset()}, options=OPTIONS, eligible=1, quorum=HALF, tie_seed=SEED
        )


@settings(max_examples=200)
@given(
    ballots=st.dictionaries(
        st.text("abc", min_size=1, max_size=3), st.frozensets(st.sampled_from(OPTIONS)), max_size=20
    ),
    seats=st.integers(1, len(OPTIONS)),
    seed=st.text(min_size=1, max_size=6),
)
def test_tallies_and_winners_equal_a_reference_model(ballots, seats, seed):
    # when
    outcome = tally_approval(
        ballots, options=OPTIONS, eligible=len(ballots), quorum=Fraction(0), seats=seats, tie_seed=seed
    )
    # then
    reference = Counter(o for approved in ballots.values() for o in approved)
    assert dict(outcome.tallies) == {o: reference[o] for o in OPTIONS}
    assert len(outcome.winners) == min(seats, sum(1 for o in OPTIONS if reference[o] > 0))
    losers = [o for o in OPTIONS if o not in outcome.winners]
    assert all(reference[w] >= reference[x] for w in outcome.winners for x in losers)
    assert all(reference[w] > 0 for w in outcome.winners)
