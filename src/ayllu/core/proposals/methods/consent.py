"""Consent: a proposal passes unless a reasoned objection stands.

Each round records who consented and which objections were raised. Before a round closes every
objection must be answered (then it is resolved, or it stands) or withdrawn. If objections still stand
after the charter's last round, the outcome is "undecided" with `fallback_required`, and the caller runs
the charter's fallback (a qualified majority, see `tally_fallback`).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from ayllu.core.proposals.methods.errors import (
    ConflictingPositions,
    InvalidParameter,
    ObjectionUnanswered,
    ObjectionWithoutReason,
    TooManyVoters,
)
from ayllu.core.proposals.methods.outcome import (
    FALLBACK_REQUIRED,
    NEXT_ROUND_REQUIRED,
    NO_OBJECTION_STANDS,
    OBJECTION_STANDS,
    QUORUM_NOT_MET,
    Outcome,
    Quorum,
    RoundSummary,
    take_count,
)

Resolution = Literal["resolved", "withdrawn", "standing"]


@dataclass(frozen=True, slots=True)
class Objection:
    """A member's reasoned objection and what became of it once answered.

    "resolved": answered and the objector accepts the answer (or the amended proposal);
    "standing": answered, and the objector maintains it; "withdrawn": the objector let it go.
    """

    objector: str
    reason: str
    resolution: Resolution
    answer: str = ""


@dataclass(frozen=True, slots=True)
class ConsentRound:
    """One round: the members who consented and the objections raised, each already dealt with."""

    consents: frozenset[str]
    objections: tuple[Objection, ...] = ()


def tally_consent(
    rounds: Sequence[ConsentRound],
    *,
    eligible: int,
    quorum: Fraction | Quorum,
    max_rounds: int,
) -> Outcome:
    """Decide a consent proposal from its rounds so far; the last round is the one that counts."""
    if max_rounds < 1:
        raise InvalidParameter(name="max_rounds", value=max_rounds)
    if not rounds or len(rounds) > max_rounds:
        raise InvalidParameter(name="rounds", value=len(rounds), max_rounds=max_rounds)
    summaries = tuple(_check_round(r, number=n, eligible=eligible) for n, r in enumerate(rounds, start=1))
    last = rounds[-1]
    standing = tuple(sorted(o.objector for o in last.objections if o.resolution == "standing"))
    last_summary = summaries[-1]
    tallies = {
        "consent": last_summary.consents,
        "objection": last_summary.objections,
        "resolved": last_summary.resolved,
        "withdrawn": last_summary.withdrawn,
        "standing": last_summary.standing,
    }
    count = take_count(tallies, eligible=eligible, participation=last_summary.participation, quorum=quorum)
    result: Literal["passed", "no_quorum", "undecided"]
    reasons: tuple[str, ...]
    if not count.quorum.met:
        result, reasons = "no_quorum", (QUORUM_NOT_MET,)
    elif not standing:
        result, reasons = "passed", (NO_OBJECTION_STANDS,)
    elif len(rounds) < max_rounds:
        result, reasons = "undecided", (OBJECTION_STANDS, NEXT_ROUND_REQUIRED)
    else:
        result, reasons = "undecided", (OBJECTION_STANDS, FALLBACK_REQUIRED)
    return count.outcome("consent", result, reasons, rounds=summaries, standing=standing)


def _check_round(r: ConsentRound, *, number: int, eligible: int) -> RoundSummary:
    objectors: set[str] = set()
    for objection in r.objections:
        if not objection.reason.strip():
            raise ObjectionWithoutReason(round=number, objector=objection.objector)
        if objection.resolution not in ("resolved", "withdrawn", "standing"):
            raise InvalidParameter(name="resolution", value=objection.resolution, round=number)
        if objection.resolution != "withdrawn" and not objection.answer.strip():
            raise ObjectionUnanswered(round=number, objector=objection.objector)
        # An objection resolved or withdrawn is no longer a position: its objector may then consent.
        still_objects = objection.resolution == "standing"
        if objection.objector in objectors or (still_objects and objection.objector in r.consents):
            raise ConflictingPositions(round=number, member=objection.objector)
        objectors.add(objection.objector)
    participation = len(r.consents | objectors)
    if participation > eligible:
        raise TooManyVoters(voters=participation, eligible=eligible, round=number)

    def count(resolution: Resolution) -> int:
        return sum(1 for o in r.objections if o.resolution == resolution)

    return RoundSummary(
        number=number,
        participation=participation,
        consents=len(r.consents),
        objections=len(r.objections),
        resolved=count("resolved"),
        withdrawn=count("withdrawn"),
        standing=count("standing"),
    )
