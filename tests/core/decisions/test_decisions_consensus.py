from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ayllu.core.proposals.methods import tally_consensus
from ayllu.core.proposals.methods.errors import (
    BlockWithoutReason,
    InvalidBallot,
    ReasonWithoutBlock,
    TooManyVoters,
)

HALF = Fraction(1, 2)


def positions(agree: int = 0, stand_aside: int = 0, block: int = 0) -> dict[str, str]:
    kinds = ["agree"] * agree + ["stand_aside"] * stand_aside + ["block"] * block
    return {f"m{i:02}": kind for i, kind in enumerate(kinds)}


def reasons_for(ps: dict[str, str]) -> dict[str, str]:
    return {m: "it takes the water turn from the upper fields" for m, p in ps.items() if p == "block"}


def test_passes_with_agreement_and_shows_stand_asides():
    # given
    ps = positions(agree=6, stand_aside=2)
    # when
    outcome = tally_consensus(ps, eligible=10, quorum=HALF, block_threshold=1, reasons_for_blocks={})
    # then
    assert outcome.result == "passed"
    assert dict(outcome.tallies) == {"agree": 6, "stand_aside": 2, "block": 0}
    assert outcome.stood_aside == ("m06", "m07")
    assert outcome.reasons == ("no_block", "stand_asides_recorded")


def test_blocks_at_the_threshold_stop_it():
    # given: the charter needs two blocks to stop a proposal
    ps = positions(agree=6, block=2)
    # when
    outcome = tally_consensus(
        ps, eligible=10, quorum=HALF, block_threshold=2, reasons_for_blocks=reasons_for(ps)
    )
    # then
    assert outcome.result == "blocked"
    assert outcome.reasons == ("block_threshold_reached",)
    assert outcome.standing == ("m06", "m07")


def test_blocks_below_the_threshold_are_recorded_but_do_not_stop_it():
    # given
    ps = positions(agree=7, block=1)
    # when
    outcome = tally_consensus(
        ps, eligible=10, quorum=HALF, block_threshold=2, reasons_for_blocks=reasons_for(ps)
    )
    # then
    assert outcome.result == "passed"
    assert outcome.reasons == ("blocks_below_threshold",)
    assert outcome.standing == ("m07",)


def test_a_block_in_an_early_round_asks_for_another_round():
    # given
    ps = positions(agree=7, block=1)
    # when
    outcome = tally_consensus(
        ps,
        eligible=10,
        quorum=HALF,
        block_threshold=1,
        reasons_for_blocks=reasons_for(ps),
        round_number=1,
        max_rounds=2,
    )
    # then
    assert outcome.result == "blocked"
    assert outcome.reasons == ("block_threshold_reached", "next_round_required")


def test_a_block_in_the_last_round_requires_the_fallback():
    # given
    ps = positions(agree=7, block=1)
    # when
    outcome = tally_consensus(
        ps,
        eligible=10,
        quorum=HALF,
        block_threshold=1,
        reasons_for_blocks=reasons_for(ps),
        round_number=2,
        max_rounds=2,
    )
    # then
    assert outcome.result == "undecided"
    assert outcome.reasons == ("block_threshold_reached", "fallback_required")


def test_no_quorum():
    # given
    ps = positions(agree=4)
    # when
    outcome = tally_consensus(ps, eligible=10, quorum=HALF, block_threshold=1, reasons_for_blocks={})
    # then
    assert outcome.result == "no_quorum"
    assert outcome.reasons == ("quorum_not_met",)


def test_all_stand_aside_still_passes_because_nobody_blocks():
    # given
    ps = positions(stand_aside=5)
    # when
    outcome = tally_consensus(ps, eligible=5, quorum=HALF, block_threshold=1, reasons_for_blocks={})
    # then
    assert outcome.result == "passed"
    assert len(outcome.stood_aside) == 5


def test_block_without_reason_raises():
    # given
    ps = positions(agree=3, block=1)
    # when / then
    with pytest.raises(BlockWithoutReason) as caught:
        tally_consensus(ps, eligible=5, quorum=HALF, block_threshold=1, reasons_for_blocks={"m03": " "})
    assert caught.value.code == "block_without_reason"
    assert caught.value.detail == {"member": "m03"}


def test_reason_for_someone_who_did_not_block_raises():
    # given
    ps = positions(agree=3)
    # when / then
    with pytest.raises(ReasonWithoutBlock):
        tally_consensus(ps, eligible=5, quorum=HALF, block_threshold=1, reasons_for_blocks={"m00": "why"})


def test_unknown_position_raises():
    # when / then
    with pytest.raises(InvalidBallot):
        tally_consensus({"m0": "veto"}, eligible=5, quorum=HALF, block_threshold=1, reasons_for_blocks={})  # type: ignore[dict-item]


def test_more_positions_than_eligible_raises():
    # when / then
    with pytest.raises(TooManyVoters):
        tally_consensus(positions(agree=6), eligible=5, quorum=HALF, block_threshold=1, reasons_for_blocks={})


@settings(max_examples=200)
@given(
    ps=st.dictionaries(
        st.text("xyz", min_size=1, max_size=3), st.sampled_from(["agree", "stand_aside", "block"])
    ),
    extra=st.integers(0, 10),
    block_threshold=st.integers(1, 4),
    quorum=st.fractions(min_value=0, max_value=1, max_denominator=6),
)
def test_consensus_equals_a_reference_model(ps, extra, block_threshold, quorum):
    # given
    eligible = len(ps) + extra
    blocks = sum(1 for p in ps.values() if p == "block")
    # when
    outcome = tally_consensus(
        ps,
        eligible=eligible,
        quorum=quorum,
        block_threshold=block_threshold,
        reasons_for_blocks=reasons_for(ps),
    )
    # then
    if len(ps) < quorum * eligible:
        assert outcome.result == "no_quorum"
    else:
        assert outcome.result == ("blocked" if blocks >= block_threshold else "passed")
    assert dict(outcome.tallies) == {
        k: sum(1 for p in ps.values() if p == k) for k in ("agree", "stand_aside", "block")
    }
    assert len(outcome.standing) == blocks
