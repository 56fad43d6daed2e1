"""A closed question's outcome as the reads answer it: what the decision method concluded, with its work.

Each method fills only some of an outcome's parts (a consent round has `rounds`, a majority vote a
`threshold`, a ranked choice its `pairwise` contests and `strongest_paths`, a consensus who is
`standing` and who `stood_aside`); a part the method left empty is absent from the API's answer, not
null, as in `core.proposals.methods.Outcome.as_json`. A null part is one withheld from the reader.

The result is the assembly's; what an outcome shows of the options (`winners`, `ranking`, `tie_order`)
is the proposal's words, and what it counts (`tallies`, `pairwise`, `strongest_paths`) and whom it names
(`standing`, `stood_aside`) is the ballots': one ballot hidden from a reader hides them.
"""

from collections.abc import Mapping, Sequence
from dataclasses import MISSING, dataclass, field, fields
from typing import Annotated

from pydantic import SerializerFunctionWrapHandler, WrapSerializer
from pydantic.json_schema import SkipJsonSchema

from ayllu.core.assembly.state import AssemblyState, Question
from ayllu.core.assembly.words import ReadModel, Said, said
from ayllu.core.meetings.minutes import ballot_seqs
from ayllu.core.proposals.methods.outcome import RoundSummary, fraction_text

from .read_types import WordList

# Counts by option (or by position: "yes", "consent", "block"...), withheld as a whole.
Counts = Mapping[str, int] | None | SkipJsonSchema[Said]
# How many ballots prefer one option to another (`pairwise[a][b]`), or a path's strength.
Contests = Mapping[str, Mapping[str, int]] | None | SkipJsonSchema[Said]


@dataclass(frozen=True, slots=True)
class QuorumRead(ReadModel):
    """The quorum as applied: `present` of `base` had to reach `share` ("num/den")."""

    share: str
    present: int
    base: int


@dataclass(frozen=True, slots=True)
class ThresholdRead(ReadModel):
    """A majority's threshold as applied: yes / `counted` must pass `share` ("num/den") by `comparison`
    (">" or ">="); `base` says what was counted ("cast", "yes_no", ...)."""

    share: str
    comparison: str
    base: str
    counted: int


@dataclass(frozen=True, slots=True)
class OutcomeRead(ReadModel):
    """What a decision method concluded, and its work; each part after `winners` only when the method
    filled it (the default is "absent", and the API leaves it out)."""

    method: str
    result: str
    eligible: int
    participation: int
    quorum: QuorumRead
    tallies: Counts
    reasons: tuple[str, ...]
    winners: WordList
    threshold: ThresholdRead | SkipJsonSchema[None] = None
    ranking: WordList = ()
    tie_order: WordList = ()
    pairwise: Contests = field(default_factory=dict)
    strongest_paths: Contests = field(default_factory=dict)
    rounds: tuple[RoundSummary, ...] = ()  # a consent question's rounds (numbers only, no words)
    standing: WordList = ()
    stood_aside: WordList = ()


# What each part a method may leave out holds when it did (a withheld part is None, the reader's null).
ABSENT: dict[str, object] = {
    f.name: f.default if f.default_factory is MISSING else f.default_factory()
    for f in fields(OutcomeRead)
    if f.default is not MISSING or f.default_factory is not MISSING
}


def answered_parts(outcome: OutcomeRead) -> dict[str, object]:
    """The outcome's parts by name, in order, without those its method left empty: what the API answers
    (and the CLI prints)."""
    parts = {f.name: getattr(outcome, f.name) for f in fields(outcome)}
    return {name: value for name, value in parts.items() if name not in ABSENT or value != ABSENT[name]}


def _answered(outcome: OutcomeRead, serialize: SerializerFunctionWrapHandler) -> dict[str, object]:
    kept = answered_parts(outcome)
    answer: dict[str, object] = serialize(outcome)
    return {name: value for name, value in answer.items() if name in kept}


# An outcome as the API answers it. The serializer is a lambda, which declares no return type: pydantic
# then describes the answer by `OutcomeRead` itself (named in the OpenAPI schema, the parts a method may
# leave out not required), not by `_answered`'s return type (any object).
AnsweredOutcome = Annotated[OutcomeRead, WrapSerializer(lambda outcome, handler: _answered(outcome, handler))]


def outcome_read(state: AssemblyState, question: Question) -> OutcomeRead | None:
    """A closed question's outcome, each word said by the act it comes from; None while it has none."""
    outcome = question.outcome
    if outcome is None:
        return None
    ballots = ballot_seqs(state, question)

    # A part the method left empty is "absent" (the field's default), not a word said by anyone.
    def options(values: Sequence[str]) -> Said | tuple[()]:
        return said(list(values), question.proposal) if values else ()

    def members(values: Sequence[str]) -> Said | tuple[()]:
        return said(list(values), *ballots) if values else ()

    def contests(matrix: Mapping[str, Mapping[str, int]]) -> Contests:
        return said({a: dict(row) for a, row in matrix.items()}, *ballots) if matrix else {}

    quorum, threshold = outcome.quorum, outcome.threshold
    return OutcomeRead(
        method=outcome.method,
        result=outcome.result,
        eligible=outcome.eligible,
        participation=outcome.participation,
        quorum=QuorumRead(share=fraction_text(quorum.share), present=quorum.present, base=quorum.base),
        tallies=said(dict(outcome.tallies), *ballots),
        reasons=outcome.reasons,
        winners=said(list(outcome.winners), question.proposal),
        threshold=None
        if threshold is None
        else ThresholdRead(
            share=fraction_text(threshold.share),
            comparison=">" if threshold.strict else ">=",
            base=threshold.base,
            counted=threshold.counted,
        ),
        ranking=options(outcome.ranking),
        tie_order=options(outcome.tie_order),
        pairwise=contests(outcome.pairwise),
        strongest_paths=contests(outcome.strongest_paths),
        rounds=outcome.rounds,
        standing=members(outcome.standing),
        stood_aside=members(outcome.stood_aside),
    )
