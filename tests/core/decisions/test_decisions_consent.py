from fractions import Fraction

import pytest

from ayllu.core.proposals.methods import ConsentRound, Objection, Quorum, tally_consent
from ayllu.core.proposals.methods.errors import (
    ConflictingPositions,
    InvalidParameter,
    ObjectionUnanswered,
    ObjectionWithoutReason,
    TooManyVoters,
)

HALF = Fraction(1, 2)
MEMBERS = frozenset(f"m{i}" for i in range(8))


def objection(who: str, resolution: str, answer: str = "we will rotate the keys monthly") -> Objection:
    return Objection(
        objector=who, reason="the treasurer keeps the only key", resolution=resolution, answer=answer
    )


def test_passes_when_everyone_consents():
    # given
    rounds = [ConsentRound(consents=MEMBERS)]
    # when
    outcome = tally_consent(rounds, eligible=10, quorum=HALF, max_rounds=3)
    # then
    assert outcome.result == "passed"
    assert outcome.reasons == ("no_objection_stands",)
    assert outcome.participation == 8
    assert outcome.tallies["consent"] == 8


def test_passes_when_every_objection_was_resolved_or_withdrawn():
    # given
    rounds = [
        ConsentRound(
            consents=MEMBERS - {"m0", "m1"},
            objections=(objection("m0", "resolved"), objection("m1", "withdrawn", answer="")),
        )
    ]
    # when
    outcome = tally_consent(rounds, eligible=8, quorum=HALF, max_rounds=1)
    # then
    assert outcome.result == "passed"
    assert (outcome.tallies["resolved"], outcome.tallies["withdrawn"], outcome.tallies["standing"]) == (
        1,
        1,
        0,
    )


def test_a_standing_objection_asks_for_another_round_while_rounds_remain():
    # given
    rounds = [ConsentRound(consents=MEMBERS - {"m0"}, objections=(objection("m0", "standing"),))]
    # when
    outcome = tally_consent(rounds, eligible=8, quorum=HALF, max_rounds=2)
    # then
    assert outcome.result == "undecided"
    assert outcome.reasons == ("objection_stands", "next_round_required")
    assert outcome.standing == ("m0",)


def test_a_standing_objection_after_the_last_round_requires_the_fallback():
    # given: the objection stands in both rounds the charter allows
    rounds = [
        ConsentRound(consents=MEMBERS - {"m0"}, objections=(objection("m0", "standing"),)),
        ConsentRound(consents=MEMBERS - {"m0", "m3"}, objections=(objection("m0", "standing"),)),
    ]
    # when
    outcome = tally_consent(rounds, eligible=8, quorum=HALF, max_rounds=2)
    # then
    assert outcome.result == "undecided"
    assert outcome.reasons == ("objection_stands", "fallback_required")
    assert [r.participation for r in outcome.rounds] == [8, 7]
    assert [r.standing for r in outcome.rounds] == [1, 1]


def test_an_objection_answered_in_the_second_round_lets_it_pass():
    # given
    rounds = [
        ConsentRound(consents=MEMBERS - {"m0"}, objections=(objection("m0", "standing"),)),
        ConsentRound(consents=MEMBERS - {"m0"}, objections=(objection("m0", "resolved"),)),
    ]
    # when
    outcome = tally_consent(rounds, eligible=8, quorum=HALF, max_rounds=3)
    # then
    assert outcome.result == "passed"
    assert len(outcome.rounds) == 2


def test_no_quorum_in_the_last_round():
    # given: 3 of 8 take part, quorum one half
    rounds = [ConsentRound(consents=frozenset({"m0", "m1", "m2"}))]
    # when
    outcome = tally_consent(rounds, eligible=8, quorum=HALF, max_rounds=2)
    # then
    assert outcome.result == "no_quorum"


def test_quorum_may_count_those_present_rather_than_those_speaking():
    # given: silence is consent, 6 of 8 are present but only 2 spoke
    rounds = [ConsentRound(consents=frozenset({"m0", "m1"}))]
    # when
    outcome = tally_consent(rounds, eligible=8, quorum=Quorum(share=HALF, present=6), max_rounds=2)
    # then
    assert outcome.result == "passed"


def test_objection_without_reason_raises():
    # given
    rounds = [ConsentRound(consents=frozenset(), objections=(Objection("m0", "  ", "standing", "answer"),))]
    # when / then
    with pytest.raises(ObjectionWithoutReason) as caught:
        tally_consent(rounds, eligible=8, quorum=HALF, max_rounds=2)
    assert caught.value.detail == {"round": 1, "objector": "m0"}


def test_an_unanswered_objection_cannot_close_a_round():
    # given
    rounds = [ConsentRound(consents=frozenset(), objections=(objection("m0", "standing", answer=""),))]
    # when / then
    with pytest.raises(ObjectionUnanswered) as caught:
        tally_consent(rounds, eligible=8, quorum=HALF, max_rounds=2)
    assert caught.value.code == "objection_unanswered"


def test_consenting_and_objecting_in_one_round_raises():
    # given
    rounds = [ConsentRound(consents=frozenset({"m0"}), objections=(objection("m0", "standing"),))]
    # when / then
    with pytest.raises(ConflictingPositions):
        tally_consent(rounds, eligible=8, quorum=HALF, max_rounds=2)


def test_more_rounds_than_the_charter_allows_raises():
    # given
    rounds = [ConsentRound(consents=MEMBERS)] * 3
    # when / then
    with pytest.raises(InvalidParameter) as caught:
        tally_consent(rounds, eligible=8, quorum=HALF, max_rounds=2)
    assert caught.value.detail["name"] == "rounds"


def test_more_participants_than_eligible_raises():
    # given
    rounds = [ConsentRound(consents=MEMBERS)]
    # when / then
    with pytest.raises(TooManyVoters):
        tally_consent(rounds, eligible=7, quorum=HALF, max_rounds=2)


def test_an_objector_whose_objection_was_resolved_or_withdrawn_may_consent_counted_once():
    # given: m0's objection was answered then withdrawn, m1's withdrawn unanswered; both then consented
    objections = (objection("m0", "resolved"), objection("m1", "withdrawn", answer=""))
    rounds = [ConsentRound(consents=frozenset({"m0", "m1", "m2"}), objections=objections)]
    # when
    outcome = tally_consent(rounds, eligible=4, quorum=HALF, max_rounds=2)
    # then
    assert (outcome.result, outcome.participation) == ("passed", 3)
