import hashlib
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ayllu.core.errors import DomainError, RuleError
from ayllu.core.proposals.methods import (
    ConsentRound,
    Objection,
    Quorum,
    tally_approval,
    tally_consensus,
    tally_consent,
    tally_fallback,
    tally_majority,
    tally_ranked,
    tie_order,
)
from ayllu.core.proposals.methods.errors import FallbackNotDue, InvalidParameter, TooManyVoters

HALF = Fraction(1, 2)
TWO_THIRDS = Fraction(2, 3)


def only_ints_and_strings(value: object) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | str):
        return True
    if isinstance(value, list):
        return all(only_ints_and_strings(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and only_ints_and_strings(v) for k, v in value.items())
    return False


def stuck_consent():
    objection = Objection(objector="m0", reason="no rotation", resolution="standing", answer="there is")
    rounds = [ConsentRound(consents=frozenset({"m1", "m2", "m3"}), objections=(objection,))]
    return tally_consent(rounds, eligible=5, quorum=HALF, max_rounds=1)


def test_the_tie_rule_is_sha256_of_seed_zero_byte_option():
    # given
    seed, options = "entry:3f9a", ["R", "P", "S"]
    # when
    order = tie_order(seed, options)
    # then: a fixed vector, so any change to the rule shows up here
    assert order == ("S", "R", "P")
    assert list(order) == sorted(options, key=lambda o: hashlib.sha256(f"{seed}\x00{o}".encode()).digest())


def test_majority_as_json_has_fractions_as_text():
    # given
    outcome = tally_majority(
        {"a": "yes", "b": "no", "c": "yes"},
        eligible=4,
        quorum=HALF,
        threshold=TWO_THIRDS,
        base="cast",
        strict=False,
    )
    # when
    data = outcome.as_json()
    # then
    assert data["threshold"] == {"share": "2/3", "comparison": ">=", "base": "cast", "counted": 3}
    assert data["quorum"] == {"share": "1/2", "present": 3, "base": 4}
    assert data["result"] == "passed"
    assert only_ints_and_strings(data)


@settings(max_examples=50)
@given(ballots=st.dictionaries(st.sampled_from("abcdef"), st.permutations("XYZ").map(list), min_size=1))
def test_every_outcome_serialises_to_ints_and_strings_only(ballots):
    # when
    ranked = tally_ranked(ballots, options="XYZ", eligible=6, quorum=Fraction(1, 3), tie_seed="s")
    approval = tally_approval(
        {k: frozenset(v[:1]) for k, v in ballots.items()},
        options="XYZ",
        eligible=6,
        quorum=HALF,
        tie_seed="s",
    )
    # then
    for outcome in (ranked, approval, stuck_consent()):
        assert only_ints_and_strings(outcome.as_json())


def test_fallback_runs_the_qualified_majority_after_consent_rounds_ran_out():
    # given
    first = stuck_consent()
    ballots = {"m0": "no", "m1": "yes", "m2": "yes", "m3": "yes"}
    # when
    outcome = tally_fallback(first, ballots, eligible=5, quorum=HALF, threshold=TWO_THIRDS, base="cast")
    # then
    assert outcome.result == "passed"
    assert outcome.reasons == ("fallback_from_consent", "threshold_met")
    assert outcome.threshold is not None and outcome.threshold.strict is False


def test_fallback_after_consensus_blocked_in_its_last_round():
    # given
    first = tally_consensus(
        {"a": "agree", "b": "block"},
        eligible=2,
        quorum=HALF,
        block_threshold=1,
        reasons_for_blocks={"b": "too costly"},
        round_number=1,
        max_rounds=1,
    )
    # when
    outcome = tally_fallback(
        first, {"a": "yes", "b": "no"}, eligible=2, quorum=HALF, threshold=TWO_THIRDS, base="cast"
    )
    # then
    assert outcome.result == "rejected"
    assert outcome.reasons == ("fallback_from_consensus", "threshold_not_met")


def test_fallback_is_refused_while_rounds_remain_or_after_a_pass():
    # given
    objection = Objection(objector="m0", reason="no rotation", resolution="standing", answer="there is")
    open_rounds = tally_consent(
        [ConsentRound(consents=frozenset({"m1", "m2"}), objections=(objection,))],
        eligible=3,
        quorum=HALF,
        max_rounds=2,
    )
    passed = tally_consent(
        [ConsentRound(consents=frozenset({"m1", "m2"}))], eligible=3, quorum=HALF, max_rounds=2
    )
    majority = tally_majority({"a": "yes"}, eligible=1, quorum=HALF, threshold=HALF, base="cast")
    for first in (open_rounds, passed, majority):
        # when / then
        with pytest.raises(FallbackNotDue) as caught:
            tally_fallback(first, {"a": "yes"}, eligible=3, quorum=HALF, threshold=TWO_THIRDS, base="cast")
        assert caught.value.code == "fallback_not_due"


def test_decision_errors_are_rule_errors():
    # when / then
    with pytest.raises(RuleError) as caught:
        tally_majority({"a": "yes"}, eligible=0, quorum=HALF, threshold=HALF, base="cast")
    assert isinstance(caught.value, DomainError)
    assert isinstance(caught.value, TooManyVoters)


def test_quorum_present_above_its_base_raises():
    # when / then
    with pytest.raises(TooManyVoters):
        tally_majority(
            {"a": "yes"},
            eligible=3,
            quorum=Quorum(share=HALF, present=5, base=4),
            threshold=HALF,
            base="cast",
        )


def test_a_float_quorum_is_refused():
    # when / then
    with pytest.raises(InvalidParameter) as caught:
        tally_majority({"a": "yes"}, eligible=3, quorum=0.5, threshold=HALF, base="cast")  # type: ignore[arg-type]
    assert caught.value.detail["name"] == "quorum"


def test_outcomes_cannot_be_changed_after_the_tally():
    # given
    outcome = tally_majority({"a": "yes"}, eligible=1, quorum=HALF, threshold=HALF, base="cast")
    # when / then
    with pytest.raises(TypeError):
        outcome.tallies["yes"] = 99  # type: ignore[index]
