"""Consensus: each member agrees, stands aside, or blocks with a reason.

Blocks at or above the charter's block threshold stop the proposal; fewer blocks are recorded but do
not stop it. Stand-asides never stop anything; they are counted and named. If the charter allows a
fallback, a proposal still blocked in its last round is "undecided" with `fallback_required`.
"""

from collections.abc import Mapping
from fractions import Fraction
from typing import Final, Literal, get_args

from ayllu.core.proposals.methods.errors import (
    BlockWithoutReason,
    InvalidBallot,
    InvalidParameter,
    ReasonWithoutBlock,
)
from ayllu.core.proposals.methods.outcome import (
    BLOCK_THRESHOLD_REACHED,
    BLOCKS_BELOW_THRESHOLD,
    FALLBACK_REQUIRED,
    NEXT_ROUND_REQUIRED,
    NO_BLOCK,
    QUORUM_NOT_MET,
    STAND_ASIDES_RECORDED,
    Outcome,
    Quorum,
    take_count,
)

Position = Literal["agree", "stand_aside", "block"]
POSITIONS: Final[tuple[Position, ...]] = get_args(Position)


def tally_consensus(
    positions: Mapping[str, Position],
    *,
    eligible: int,
    quorum: Fraction | Quorum,
    block_threshold: int,
    reasons_for_blocks: Mapping[str, str],
    round_number: int = 1,
    max_rounds: int | None = None,
) -> Outcome:
    """Decide a consensus round; `max_rounds=None` means the charter has no fallback: blocks stop it."""
    if block_threshold < 1:
        raise InvalidParameter(name="block_threshold", value=block_threshold)
    if round_number < 1 or (max_rounds is not None and not 1 <= round_number <= max_rounds):
        raise InvalidParameter(name="round_number", value=round_number, max_rounds=max_rounds)
    counts: dict[str, int] = dict.fromkeys(POSITIONS, 0)
    for member, position in sorted(positions.items()):
        if position not in counts:
            raise InvalidBallot(voter=member, value=position)
        counts[position] += 1
        if position == "block" and not reasons_for_blocks.get(member, "").strip():
            raise BlockWithoutReason(member=member)
    for member in sorted(reasons_for_blocks):
        if positions.get(member) != "block":
            raise ReasonWithoutBlock(member=member, position=positions.get(member, "none"))
    blockers = tuple(sorted(m for m, p in positions.items() if p == "block"))
    stood_aside = tuple(sorted(m for m, p in positions.items() if p == "stand_aside"))
    count = take_count(counts, eligible=eligible, participation=len(positions), quorum=quorum)
    result: Literal["passed", "no_quorum", "blocked", "undecided"]
    reasons: tuple[str, ...]
    if not count.quorum.met:
        result, reasons = "no_quorum", (QUORUM_NOT_MET,)
    elif len(blockers) >= block_threshold:
        if max_rounds is None:
            result, reasons = "blocked", (BLOCK_THRESHOLD_REACHED,)
        elif round_number < max_rounds:
            result, reasons = "blocked", (BLOCK_THRESHOLD_REACHED, NEXT_ROUND_REQUIRED)
        else:
            result, reasons = "undecided", (BLOCK_THRESHOLD_REACHED, FALLBACK_REQUIRED)
    else:
        result = "passed"
        reasons = (BLOCKS_BELOW_THRESHOLD,) if blockers else (NO_BLOCK,)
    if stood_aside and result != "no_quorum":
        reasons += (STAND_ASIDES_RECORDED,)
    return count.outcome("consensus", result, reasons, standing=blockers, stood_aside=stood_aside)
