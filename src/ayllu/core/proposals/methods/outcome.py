"""The outcome every decision method returns, and the quorum check they share.

An `Outcome` is a plain value: equal inputs give equal outcomes on every replica. `as_json` turns it into
ints, strings, lists and objects only (fractions as "num/den"), ready for the record or the minutes.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from types import MappingProxyType
from typing import Any, Final, Literal, TypeAlias

from ayllu.core.proposals.methods.errors import InvalidParameter, TooManyVoters

Result: TypeAlias = Literal["passed", "rejected", "no_quorum", "blocked", "undecided", "elected"]
Json: TypeAlias = int | str | list["Json"] | dict[str, "Json"]

# Stable reason codes; the web and API translate them, the core never writes prose.
QUORUM_NOT_MET: Final = "quorum_not_met"
THRESHOLD_MET: Final = "threshold_met"
THRESHOLD_NOT_MET: Final = "threshold_not_met"
EXACTLY_AT_THRESHOLD: Final = "exactly_at_threshold"
NOTHING_COUNTED: Final = "nothing_counted"
NO_OBJECTION_STANDS: Final = "no_objection_stands"
OBJECTION_STANDS: Final = "objection_stands"
NEXT_ROUND_REQUIRED: Final = "next_round_required"
FALLBACK_REQUIRED: Final = "fallback_required"
BLOCK_THRESHOLD_REACHED: Final = "block_threshold_reached"
BLOCKS_BELOW_THRESHOLD: Final = "blocks_below_threshold"
NO_BLOCK: Final = "no_block"
STAND_ASIDES_RECORDED: Final = "stand_asides_recorded"
CONDORCET_WINNER: Final = "condorcet_winner"
NO_CONDORCET_WINNER: Final = "no_condorcet_winner"
CONDORCET_CYCLE_RESOLVED: Final = "condorcet_cycle_resolved"
TIE_BROKEN_BY_RULE: Final = "tie_broken_by_rule"
NO_SUPPORT: Final = "no_support"
SEATS_UNFILLED: Final = "seats_unfilled"
FALLBACK_FROM_CONSENT: Final = "fallback_from_consent"
FALLBACK_FROM_CONSENSUS: Final = "fallback_from_consensus"


def _empty_matrix() -> Mapping[str, Mapping[str, int]]:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Quorum:
    """A quorum whose base the caller chose: `present` of `base` (members or households) must reach `share`.

    Leave `present` as None to count the ballots cast, and `base` as None to use the eligible voters.
    """

    share: Fraction
    present: int | None = None
    base: int | None = None


@dataclass(frozen=True, slots=True)
class QuorumCheck:
    """The quorum as it was applied: met when present >= share * base (reaching the share is enough)."""

    share: Fraction
    present: int
    base: int

    @property
    def met(self) -> bool:
        return self.present * self.share.denominator >= self.share.numerator * self.base


@dataclass(frozen=True, slots=True)
class Threshold:
    """The majority rule as applied: yes / counted must exceed (strict) or reach `share`."""

    share: Fraction
    strict: bool
    base: str
    counted: int


@dataclass(frozen=True, slots=True)
class RoundSummary:
    """One consent round: who took part and what became of the objections raised in it."""

    number: int
    participation: int
    consents: int
    objections: int
    resolved: int
    withdrawn: int
    standing: int


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a decision method concluded, with everything needed to show its work."""

    method: str
    result: Result
    eligible: int
    participation: int
    quorum: QuorumCheck
    tallies: Mapping[str, int]
    reasons: tuple[str, ...]
    winners: tuple[str, ...] = ()
    threshold: Threshold | None = None
    ranking: tuple[str, ...] = ()
    tie_order: tuple[str, ...] = ()
    pairwise: Mapping[str, Mapping[str, int]] = field(default_factory=_empty_matrix)
    strongest_paths: Mapping[str, Mapping[str, int]] = field(default_factory=_empty_matrix)
    rounds: tuple[RoundSummary, ...] = ()
    standing: tuple[str, ...] = ()
    stood_aside: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Json]:
        """Return the outcome as ints, strings, lists and objects; fractions as "num/den"."""
        out: dict[str, Json] = {
            "method": self.method,
            "result": self.result,
            "eligible": self.eligible,
            "participation": self.participation,
            "quorum": {
                "share": fraction_text(self.quorum.share),
                "present": self.quorum.present,
                "base": self.quorum.base,
            },
            "tallies": dict(self.tallies),
            "reasons": list(self.reasons),
            "winners": list(self.winners),
        }
        if self.threshold is not None:
            out["threshold"] = {
                "share": fraction_text(self.threshold.share),
                "comparison": ">" if self.threshold.strict else ">=",
                "base": self.threshold.base,
                "counted": self.threshold.counted,
            }
        if self.ranking:
            out["ranking"] = list(self.ranking)
        if self.tie_order:
            out["tie_order"] = list(self.tie_order)
        if self.pairwise:
            out["pairwise"] = _matrix_json(self.pairwise)
        if self.strongest_paths:
            out["strongest_paths"] = _matrix_json(self.strongest_paths)
        if self.rounds:
            out["rounds"] = [
                {
                    "number": r.number,
                    "participation": r.participation,
                    "consents": r.consents,
                    "objections": r.objections,
                    "resolved": r.resolved,
                    "withdrawn": r.withdrawn,
                    "standing": r.standing,
                }
                for r in self.rounds
            ]
        if self.standing:
            out["standing"] = list(self.standing)
        if self.stood_aside:
            out["stood_aside"] = list(self.stood_aside)
        return out


@dataclass(frozen=True, slots=True)
class Count:
    """What every method establishes before it decides: the eligible voters, how many took part, the
    quorum as applied and the tallies (read-only)."""

    eligible: int
    participation: int
    quorum: QuorumCheck
    tallies: Mapping[str, int]

    def outcome(self, method: str, result: Result, reasons: tuple[str, ...], **details: Any) -> Outcome:
        """The outcome `method` concluded from this count; `details` are its own fields (winners, ...)."""
        return Outcome(
            method=method,
            result=result,
            eligible=self.eligible,
            participation=self.participation,
            quorum=self.quorum,
            tallies=self.tallies,
            reasons=reasons,
            **details,
        )


def take_count(
    tallies: Mapping[str, int], *, eligible: int, participation: int, quorum: Fraction | Quorum
) -> Count:
    """The count a method decides from: the quorum checked (raising on counts that cannot be)."""
    checked = check_quorum(quorum, eligible=eligible, participation=participation)
    return Count(eligible, participation, checked, frozen(tallies))


def fraction_text(value: Fraction) -> str:
    """Write a fraction as "num/den" (always with a denominator, so "1/1" for one)."""
    return f"{value.numerator}/{value.denominator}"


def check_quorum(quorum: Fraction | Quorum, *, eligible: int, participation: int) -> QuorumCheck:
    """Resolve the caller's quorum into the check applied; raise on counts that cannot be."""
    if eligible < 0:
        raise InvalidParameter(name="eligible", value=eligible)
    if participation > eligible:
        raise TooManyVoters(voters=participation, eligible=eligible)
    spec = quorum if isinstance(quorum, Quorum) else Quorum(share=quorum)
    if not isinstance(spec.share, Fraction) or not 0 <= spec.share <= 1:
        raise InvalidParameter(name="quorum", value=str(spec.share))
    present = participation if spec.present is None else spec.present
    base = eligible if spec.base is None else spec.base
    if base < 0 or present < 0:
        raise InvalidParameter(name="quorum_counts", present=present, base=base)
    if present > base:
        raise TooManyVoters(voters=present, eligible=base)
    return QuorumCheck(share=spec.share, present=present, base=base)


def frozen(mapping: Mapping[str, int]) -> Mapping[str, int]:
    """Return a read-only copy, so an outcome cannot be changed after the tally."""
    return MappingProxyType(dict(mapping))


def frozen_matrix(matrix: Mapping[str, Mapping[str, int]]) -> Mapping[str, Mapping[str, int]]:
    """Return a read-only copy of a nested mapping."""
    return MappingProxyType({k: frozen(row) for k, row in matrix.items()})


def _matrix_json(matrix: Mapping[str, Mapping[str, int]]) -> dict[str, Json]:
    return {k: dict[str, Json](row) for k, row in matrix.items()}
