from collections import Counter
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ayllu.core.proposals.methods import Quorum, tally_majority
from ayllu.core.proposals.methods.errors import InvalidBallot, InvalidParameter, TooManyVoters

HALF = Fraction(1, 2)
TWO_THIRDS = Fraction(2, 3)


def votes(yes: int = 0, no: int = 0, abstain: int = 0) -> dict[str, str]:
    kinds = ["yes"] * yes + ["no"] * no + ["abstain"] * abstain
    return {f"m{i:03}": kind for i, kind in enumerate(kinds)}


def test_simple_majority_passes_with_more_than_half():
    # given
    ballots = votes(yes=6, no=4)
    # when
    outcome = tally_majority(ballots, eligible=20, quorum=HALF, threshold=HALF, base="cast")
    # then
    assert outcome.result == "passed"
    assert dict(outcome.tallies) == {"yes": 6, "no": 4, "abstain": 0}
    assert outcome.reasons == ("threshold_met",)
    assert (outcome.eligible, outcome.participation) == (20, 10)


def test_exactly_half_fails_a_strict_simple_majority():
    # given
    ballots = votes(yes=5, no=5)
    # when
    outcome = tally_majority(ballots, eligible=10, quorum=HALF, threshold=HALF, base="cast", strict=True)
    # then
    assert outcome.result == "rejected"
    assert outcome.reasons == ("threshold_not_met", "exactly_at_threshold")


def test_exactly_two_thirds_passes_a_non_strict_qualified_majority():
    # given
    ballots = votes(yes=10, no=5)
    # when
    loose = tally_majority(ballots, eligible=15, quorum=HALF, threshold=TWO_THIRDS, base="cast", strict=False)
    tight = tally_majority(ballots, eligible=15, quorum=HALF, threshold=TWO_THIRDS, base="cast", strict=True)
    # then
    assert loose.result == "passed"
    assert loose.reasons == ("threshold_met", "exactly_at_threshold")
    assert tight.result == "rejected"


def test_one_vote_short_of_two_thirds_is_rejected_even_when_not_strict():
    # given
    ballots = votes(yes=9, no=5)
    # when
    outcome = tally_majority(
        ballots, eligible=15, quorum=HALF, threshold=TWO_THIRDS, base="cast", strict=False
    )
    # then
    assert outcome.result == "rejected"
    assert outcome.reasons == ("threshold_not_met",)


def test_base_decides_what_abstentions_do():
    # given: 5 yes, 4 no, 3 abstain, 20 eligible
    ballots = votes(yes=5, no=4, abstain=3)
    # when
    results = {
        base: tally_majority(ballots, eligible=20, quorum=HALF, threshold=HALF, base=base).result
        for base in ("cast", "yes_no", "eligible")
    }
    # then: 5/12 fails, 5/9 passes, 5/20 fails
    assert results == {"cast": "rejected", "yes_no": "passed", "eligible": "rejected"}


def test_all_abstain_is_rejected_on_every_base_and_every_comparison():
    # given
    ballots = votes(abstain=7)
    for base in ("cast", "yes_no", "eligible"):
        for strict in (True, False):
            # when
            outcome = tally_majority(
                ballots, eligible=7, quorum=HALF, threshold=HALF, base=base, strict=strict
            )
            # then
            assert outcome.result == "rejected", (base, strict)
    yes_no = tally_majority(ballots, eligible=7, quorum=HALF, threshold=HALF, base="yes_no", strict=False)
    assert yes_no.reasons == ("nothing_counted",)


def test_no_quorum_still_shows_the_tallies():
    # given: 4 of 10 voted, quorum one half
    ballots = votes(yes=4)
    # when
    outcome = tally_majority(ballots, eligible=10, quorum=HALF, threshold=HALF, base="cast")
    # then
    assert outcome.result == "no_quorum"
    assert outcome.reasons[0] == "quorum_not_met"
    assert outcome.tallies["yes"] == 4


def test_quorum_reached_exactly_is_met():
    # given: 5 of 10 voted, quorum one half
    ballots = votes(yes=5)
    # when
    outcome = tally_majority(ballots, eligible=10, quorum=HALF, threshold=HALF, base="cast")
    # then
    assert outcome.result == "passed"


def test_quorum_of_households_uses_the_counts_the_caller_gives():
    # given: 3 members voted, but 30 of 50 households are present
    ballots = votes(yes=3)
    # when
    outcome = tally_majority(
        ballots,
        eligible=80,
        quorum=Quorum(share=HALF, present=30, base=50),
        threshold=HALF,
        base="cast",
    )
    # then
    assert outcome.result == "passed"
    assert (outcome.quorum.present, outcome.quorum.base) == (30, 50)


def test_single_voter_decides_when_quorum_allows():
    # given
    ballots = {"ana": "yes"}
    # when
    outcome = tally_majority(
        ballots, eligible=1, quorum=HALF, threshold=TWO_THIRDS, base="cast", strict=False
    )
    # then
    assert outcome.result == "passed"
    assert outcome.participation == 1


def test_more_ballots_than_eligible_raises():
    # given
    ballots = votes(yes=3)
    # when / then
    with pytest.raises(TooManyVoters) as caught:
        tally_majority(ballots, eligible=2, quorum=HALF, threshold=HALF, base="cast")
    assert caught.value.code == "too_many_voters"
    assert caught.value.detail == {"voters": 3, "eligible": 2}


def test_unknown_vote_raises():
    # given
    ballots = {"ana": "yes", "bea": "maybe"}
    # when / then
    with pytest.raises(InvalidBallot) as caught:
        tally_majority(ballots, eligible=5, quorum=HALF, threshold=HALF, base="cast")  # type: ignore[arg-type]
    assert caught.value.code == "invalid_ballot"
    assert caught.value.detail == {"voter": "bea", "value": "maybe"}


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("base", {"base": "present"}),
        ("threshold", {"threshold": Fraction(0)}),
        ("threshold", {"threshold": Fraction(3, 2)}),
        ("quorum", {"quorum": Fraction(-1, 2)}),
    ],
)
def test_bad_parameters_raise_with_their_name(name, kwargs):
    # given
    params = {"eligible": 5, "quorum": HALF, "threshold": HALF, "base": "cast"} | kwargs
    # when / then
    with pytest.raises(InvalidParameter) as caught:
        tally_majority(votes(yes=1), **params)
    assert caught.value.code == "invalid_decision_parameter"
    assert caught.value.detail["name"] == name


def _reference(ballots, *, eligible, quorum, threshold, base, strict):
    counts = Counter(ballots.values())
    if len(ballots) < quorum * eligible:
        return "no_quorum"
    counted = {"cast": len(ballots), "yes_no": counts["yes"] + counts["no"], "eligible": eligible}[base]
    if counted == 0:
        return "rejected"
    share = Fraction(counts["yes"], counted)
    return "passed" if (share > threshold if strict else share >= threshold) else "rejected"


@settings(max_examples=300)
@given(
    ballots=st.dictionaries(
        st.text(min_size=1, max_size=4), st.sampled_from(["yes", "no", "abstain"]), max_size=30
    ),
    extra=st.integers(min_value=0, max_value=20),
    quorum=st.fractions(min_value=0, max_value=1, max_denominator=10),
    threshold=st.sampled_from([Fraction(1, 2), Fraction(2, 3), Fraction(3, 5), Fraction(3, 4), Fraction(1)]),
    base=st.sampled_from(["cast", "yes_no", "eligible"]),
    strict=st.booleans(),
)
def test_tally_equals_a_reference_model(ballots, extra, quorum, threshold, base, strict):
    # given
    eligible = len(ballots) + extra
    # when
    outcome = tally_majority(
        ballots, eligible=eligible, quorum=quorum, threshold=threshold, base=base, strict=strict
    )
    # then
    assert dict(outcome.tallies) == {k: Counter(ballots.values())[k] for k in ("yes", "no", "abstain")}
    assert outcome.result == _reference(
        ballots, eligible=eligible, quorum=quorum, threshold=threshold, base=base, strict=strict
    )
