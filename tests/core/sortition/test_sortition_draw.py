import hashlib
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ayllu.core.sortition import (
    BadEvidence,
    BadReveal,
    Instance,
    LotteryHashMismatch,
    commitment_for,
    find_leximin,
    index_from_seed,
    lottery_document,
    lottery_hash,
    recompute_draw,
    round_to_lottery,
)

MEMBERS = ["ana", "bruno", "carmen"]


def secret_of(member: str) -> bytes:
    return hashlib.sha256(b"secret of " + member.encode()).digest()


@pytest.fixture
def evidence(instance: Instance) -> dict[str, Any]:
    """A complete draw as the record would hold it: lottery, its hash, commitments, reveals, beacon."""
    lottery = round_to_lottery(find_leximin(instance), size=1000)
    document = lottery_document(lottery, panel_size=instance.panel_size)
    recorded = lottery_hash(document)
    return {
        "lottery": document,
        "lottery_hash": recorded,
        "beacon_chain": [
            {"source": "drand-quicknet", "round": 100},
            {"source": "drand-quicknet", "round": 200},
        ],
        "commitments": {m: commitment_for(secret_of(m), lottery=recorded, member=m) for m in MEMBERS},
        "reveals": {m: secret_of(m).hex() for m in MEMBERS},
        "beacon": {"source": "drand-quicknet", "round": 100, "value": "ab" * 32},
    }


def test_the_draw_recomputes_from_the_evidence_alone(evidence: dict[str, Any]) -> None:
    # when the draw is computed twice, the second time from a JSON round trip of the evidence
    import json

    first = recompute_draw(evidence)
    second = recompute_draw(json.loads(json.dumps(evidence)))
    # then both name the same panel, which is the list entry at the index
    assert first == second
    assert 0 <= first.index < 1000
    assert list(first.panel) == evidence["lottery"]["panels"][first.index]
    assert first.withheld == ()


def test_a_list_changed_after_its_hash_was_recorded_is_detected(evidence: dict[str, Any]) -> None:
    # given the panel list swapped for another after the hash was recorded
    panels = evidence["lottery"]["panels"]
    evidence["lottery"] = dict(evidence["lottery"], panels=[panels[1], panels[0], *panels[2:]])
    # when / then
    with pytest.raises(LotteryHashMismatch):
        recompute_draw(evidence)


def test_a_reveal_that_does_not_match_its_commitment_is_refused(evidence: dict[str, Any]) -> None:
    # given bruno reveals a different secret than he committed to
    evidence["reveals"]["bruno"] = "00" * 32
    # when / then
    with pytest.raises(BadReveal) as caught:
        recompute_draw(evidence)
    assert caught.value.detail == {"reason": "mismatch", "member": "bruno"}


def test_a_reveal_without_commitment_is_refused(evidence: dict[str, Any]) -> None:
    # given
    evidence["reveals"]["dora"] = secret_of("dora").hex()
    # when / then
    with pytest.raises(BadReveal):
        recompute_draw(evidence)


def test_a_commitment_copied_from_another_member_cannot_be_opened(evidence: dict[str, Any]) -> None:
    # given carmen copied ana's commitment and then reveals ana's secret
    evidence["commitments"]["carmen"] = evidence["commitments"]["ana"]
    evidence["reveals"]["carmen"] = secret_of("ana").hex()
    # when / then: the commitment binds the member's name
    with pytest.raises(BadReveal):
        recompute_draw(evidence)


def test_a_withheld_reveal_still_draws_and_is_named(evidence: dict[str, Any]) -> None:
    # given carmen never reveals
    del evidence["reveals"]["carmen"]
    # when
    draw = recompute_draw(evidence)
    # then there is a panel (no redraw), and the record names who withheld
    assert draw.withheld == ("carmen",)
    assert list(draw.panel) == evidence["lottery"]["panels"][draw.index]


def test_a_beacon_not_named_in_advance_is_refused(evidence: dict[str, Any]) -> None:
    # given a beacon round picked after the fact
    evidence["beacon"] = {"source": "drand-quicknet", "round": 150, "value": "cd" * 32}
    # when / then
    with pytest.raises(BadEvidence) as caught:
        recompute_draw(evidence)
    assert caught.value.detail["reason"] == "beacon_not_named_in_advance"


def test_every_input_moves_the_seed(evidence: dict[str, Any]) -> None:
    # given the draw as recorded
    seed = recompute_draw(evidence).seed
    # when the beacon value changes, or one reveal is withheld
    other_beacon = dict(evidence, beacon=dict(evidence["beacon"], value="ef" * 32))
    withheld = dict(evidence, reveals={m: s for m, s in evidence["reveals"].items() if m != "ana"})
    # then the seed differs each time
    assert recompute_draw(other_beacon).seed != seed
    assert recompute_draw(withheld).seed != seed


def test_rejection_sampling_follows_the_documented_rule() -> None:
    # given a size just above 2**255, so about half of all 256-bit blocks fall in the biased tail
    from ayllu.core.sortition.draw import INDEX_CONTEXT

    size = 2**255 + 1
    limit = (2**256 // size) * size
    rejected = 0
    for n in range(40):
        seed = bytes([n]) * 32
        # when
        index = index_from_seed(seed, size=size)
        # then the index comes from the first block below the limit, never from a block in the tail
        counter = 0
        while True:
            block = hashlib.sha256(INDEX_CONTEXT + seed + counter.to_bytes(8, "big")).digest()
            value = int.from_bytes(block, "big")
            if value < limit:
                break
            counter += 1
        rejected += counter > 0
        assert index == value % size
    assert rejected > 0


@settings(max_examples=200, deadline=None)
@given(seed=st.binary(min_size=32, max_size=32), size=st.integers(min_value=1, max_value=10**6))
def test_the_index_is_always_in_range(seed: bytes, size: int) -> None:
    # when / then
    assert 0 <= index_from_seed(seed, size=size) < size
