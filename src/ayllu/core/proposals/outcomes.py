"""Computing a question's outcome with the decision methods, from what the record holds.

Nobody claims an outcome: replay computes it when `question.closed` is folded, with the method the
charter gave the question when it opened, the eligible voters frozen then, and the quorum that applies
(live presence in a meeting, participation between meetings).
"""

from collections.abc import Callable
from fractions import Fraction
from functools import partial
from typing import Any

from ayllu.core.assembly.state import AssemblyState, Proposal, Question
from ayllu.core.proposals.methods import (
    ConsentRound,
    Objection,
    Outcome,
    Quorum,
    tally_approval,
    tally_consensus,
    tally_consent,
    tally_fallback,
    tally_majority,
    tally_ranked,
)
from ayllu.core.proposals.methods.consent import Resolution


def participants(proposal: Proposal, question: Question) -> set[str]:
    """Who took part: voters, and in a consent round also the eligible members who objected."""
    people = set(question.votes)
    if question.method == "consent":
        people.update(o.member for o in round_objections(proposal, question))
    return people


def round_objections(proposal: Proposal, question: Question) -> list[Any]:
    """The objections of this question's round raised by members eligible to take part in it."""
    return [
        o for o in proposal.objections.values() if o.round == question.round and o.member in question.eligible
    ]


def participation_quorum(state: AssemblyState, proposal: Proposal, question: Question) -> Quorum:
    """The charter's participation quorum for a question decided between meetings."""
    rule = state.rules.participation
    people = participants(proposal, question)
    if rule.basis == "households":
        present = len({question.eligible[m] for m in people})
        return Quorum(share=rule.share, present=present, base=len(set(question.eligible.values())))
    return Quorum(share=rule.share, present=len(people), base=len(question.eligible))


def consent_round(proposal: Proposal, question: Question) -> ConsentRound:
    objections = []
    for o in round_objections(proposal, question):
        resolution: Resolution = ("resolved" if o.answer else "withdrawn") if o.withdrawn else "standing"
        objections.append(
            Objection(objector=o.member, reason=o.reason, resolution=resolution, answer=o.answer)
        )
    return ConsentRound(consents=frozenset(question.votes), objections=tuple(objections))


def compute_outcome(state: AssemblyState, proposal: Proposal, question: Question, quorum: Quorum) -> Outcome:
    """Tally the question by its method; the caller has checked that every ballot fits the method."""
    rules = state.rules
    spec, eligible, votes = question.spec, len(question.eligible), question.votes
    if question.method == "majority":
        # a fallback is the charter's majority vote after consent or consensus ran out
        tally: Callable[..., Outcome] = (
            tally_majority if question.fallback_of is None else partial(tally_fallback, question.fallback_of)
        )
        return tally(
            votes,
            eligible=eligible,
            quorum=quorum,
            threshold=spec.threshold,
            base=spec.base,
            strict=spec.strict,
        )
    if spec.method == "consent":
        rounds = [*proposal.past_rounds, consent_round(proposal, question)]
        return tally_consent(
            rounds[-rules.consent_rounds :], eligible=eligible, quorum=quorum, max_rounds=rules.consent_rounds
        )
    if spec.method == "consensus":
        return tally_consensus(
            votes,
            eligible=eligible,
            quorum=quorum,
            block_threshold=rules.consensus_blocks,
            reasons_for_blocks=question.block_reasons,
            round_number=min(question.round, rules.consensus_rounds),
            max_rounds=rules.consensus_rounds,
        )
    if spec.method == "approval":
        ballots = {m: frozenset(choice) for m, choice in votes.items()}
        return tally_approval(
            ballots, options=proposal.options, eligible=eligible, quorum=quorum, tie_seed=proposal.seed
        )
    return tally_ranked(
        votes, options=proposal.options, eligible=eligible, quorum=quorum, tie_seed=proposal.seed
    )


def meeting_quorum(share: Fraction, present: int, base: int) -> Quorum:
    return Quorum(share=share, present=present, base=base)
