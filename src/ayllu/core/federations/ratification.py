"""Ratification: a federation's resolution binds only once its member assemblies ratify it.

In the **federation**'s record:
- a proposal of matter `resolution` with effect {rule, share, deadline}: the ratification it needs.
  `rule` must be the weighting the charter chooses (`federation.ratification`), `share` ("num/den") at
  least the charter's; answers are taken until `deadline`. When the proposal passes, by whatever the
  federation's method and voters are, the resolution exists, its member assemblies frozen then.
- federation.ratified {resolution, cites, report}: anyone (the act is a non-member's) cites a member
  assembly's recorded decision and carries its public body. Replay checks, by proof and that body alone,
  the same on every replica: the entry is a `ratification.recorded` of the assembly cited, for this
  federation and this resolution; the assembly was a member when the resolution was adopted; the
  deadline has not passed; the assembly has not answered yet (the same answer twice:
  `ratification_duplicate`; the other answer: `ratification_contradicts`).

In each **home** assembly's record:
- a proposal of matter `ratification` with effect {federation, resolution}, decided by the home charter's
  own method (its `ratification` method, or its `ordinary` one).
- ratification.recorded {federation, resolution, proposal, answer, households}: any member states the
  result in a public, self-describing entry (the credential's pattern, decision 0018). The home rules
  refuse it unless the proposal is that ratification, it closed that way (adopted: "yes", rejected:
  "no"), and `households` is the number of households eligible when its last question opened.

The outcome (`tally_resolution`) is computed, never claimed: pending, ratified, rejected (the share can
no longer be reached) or expired (the deadline passed without it). See docs/federation-bodies.md for
the weightings.
"""

from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any

from ayllu.core.assembly.acts import HEX, INT_ID, LIST, NAME, NUMBER, OBJECT, Act, act_field, act_kind
from ayllu.core.assembly.bodies import get_int, get_str, only_fields
from ayllu.core.assembly.citing import refuse_own_record
from ayllu.core.assembly.events import Context, Event, applies, rule
from ayllu.core.assembly.rule_errors import InvalidCharter, InvalidEffect
from ayllu.core.assembly.state import AssemblyState, Proposal, RatificationAnswer, Resolution
from ayllu.core.assembly.words import Said, said
from ayllu.core.charter.rules import parse_share
from ayllu.core.errors import MalformedBody
from ayllu.core.federations.cited import CitingAct, one_citation, read_cited
from ayllu.core.federations.errors import (
    NotAFederation,
    NotAMemberAssembly,
    NotARatification,
    NotARatificationDecision,
    NotARatifyingAssembly,
    RatificationAlreadyRecorded,
    RatificationContradicts,
    RatificationDuplicate,
    RatificationNotDecided,
    RatificationOtherFederation,
    RatificationOtherResolution,
    RatificationTooLate,
    ResolutionRuleNotCharters,
    ResolutionShareBelowCharter,
    UnknownResolution,
)
from ayllu.core.ledger.keys import is_hex
from ayllu.core.ledger.record import HASH_LENGTH
from ayllu.core.meetings.minutes import proposal_title

RESOLUTION_FIELDS = {"rule", "share", "deadline"}
RATIFICATION_FIELDS = {"federation", "resolution"}
RECORDED = "ratification.recorded"
ANSWERS = ("yes", "no")
OUTCOMES = ("pending", "ratified", "rejected", "expired")


# --- the federation's resolution ----------------------------------------------------------------------


def check_resolution(state: AssemblyState, effect: dict[str, Any], *, seq: int, now: int) -> None:
    """Raise unless `effect` asks a ratification this federation's charter allows, ending after `now`."""
    only_fields(effect, RESOLUTION_FIELDS, seq=seq)
    rules = state.rules.federation
    if rules is None:
        raise NotAFederation(seq=seq)
    chosen = rules.ratification
    if effect.get("rule") != chosen.rule:
        raise ResolutionRuleNotCharters(seq=seq, rule=str(effect.get("rule"))[:40], charter=chosen.rule)
    share = resolution_share(effect, seq=seq)
    if share < chosen.share:
        raise ResolutionShareBelowCharter(seq=seq, share=effect["share"], charter=str(chosen.share))
    if get_int(effect, "deadline", seq=seq, low=1) <= now:
        raise InvalidEffect(
            seq=seq, matter="resolution", reason="deadline_passed", deadline=effect["deadline"]
        )


def resolution_share(effect: dict[str, Any], *, seq: int) -> Fraction:
    """The share a resolution's effect asks, exact."""
    try:
        return parse_share(effect.get("share"), field="share")
    except InvalidCharter:
        raise MalformedBody(seq=seq, field="share") from None


@dataclass(frozen=True, slots=True)
class ResolutionAdopted(Event):
    resolution: Resolution


def resolution_events(state: AssemblyState, proposal: Proposal, *, seq: int, time: int) -> list[Event]:
    """The resolution a passed proposal of matter `resolution` makes (its effect checked by the caller)."""
    rules = state.rules.federation
    assert rules is not None  # check_resolution held at `time`
    chosen, effect = rules.ratification, proposal.effect
    resolution = Resolution(
        proposal=proposal.id,
        seq=seq,
        time=time,
        rule=chosen.rule,
        share=resolution_share(effect, seq=seq),
        deadline=effect["deadline"],
        members=tuple(sorted(state.member_assemblies)),
        cap=chosen.cap,
        households_share=chosen.households_share,
        blocking=chosen.blocking,
    )
    return [ResolutionAdopted(resolution)]


@applies(ResolutionAdopted)
def apply_resolution(state: AssemblyState, event: ResolutionAdopted) -> None:
    resolution = event.resolution
    state.resolutions[resolution.proposal] = replace(resolution, answers={})


# --- the home assembly's decision and its recorded result ---------------------------------------------


def check_ratification(state: AssemblyState, effect: dict[str, Any], *, seq: int) -> None:
    """Raise unless `effect` names another record's resolution: {federation: log id, resolution: id}."""
    only_fields(effect, RATIFICATION_FIELDS, seq=seq)
    federation = get_str(effect, "federation", seq=seq, limit=HASH_LENGTH)
    if not is_hex(federation, HASH_LENGTH):
        raise MalformedBody(seq=seq, field="federation")
    refuse_own_record(state, federation, field="federation", seq=seq)
    get_int(effect, "resolution", seq=seq, low=1)


@act_kind
class RatificationRecorded(Act):
    type = RECORDED
    name = "record-ratification"
    summary = (
        "Record the assembly's decision on ratifying a federation's resolution, for the federation to cite"
    )
    cited_elsewhere = True

    federation: str = act_field(HEX, help="the federation's log id")
    resolution: int = act_field(INT_ID, help="the resolution's id in the federation's record")
    proposal: int = act_field(INT_ID, help="the assembly's ratification decision (its proposal's id)")
    answer: str = act_field(NAME, help="yes (ratified) or no (refused), as the decision closed")
    households: int = act_field(NUMBER, low=1, help="households eligible when the decision's question opened")

    def check(self, *, seq: int) -> None:
        if self.answer not in ANSWERS:
            raise MalformedBody(seq=seq, field="answer", value=self.answer[:20])


@dataclass(frozen=True, slots=True)
class RatificationStated(Event):
    proposal: int
    seq: int


def decided_answer(state: AssemblyState, proposal: Proposal) -> tuple[str, int] | None:
    """The answer a closed ratification decision gives and the households eligible when its last
    question opened; None while it is undecided."""
    if proposal.status not in ("adopted", "rejected") or not proposal.questions:
        return None
    question = state.questions[proposal.questions[-1]]
    answer = "yes" if proposal.status == "adopted" else "no"
    return answer, len(set(question.eligible.values()))


@rule(RatificationRecorded)
def decide_recorded(state: AssemblyState, act: RatificationRecorded, ctx: Context) -> list[Event]:
    """State a ratification decision's result, exactly as the assembly's record closed it."""
    proposal = state.proposals.get(act.proposal)
    wanted = {"federation": act.federation, "resolution": act.resolution}
    if proposal is None or proposal.matter != "ratification" or proposal.effect != wanted:
        raise NotARatificationDecision(seq=ctx.seq, proposal=act.proposal)
    if act.proposal in state.ratifications_recorded:
        raise RatificationAlreadyRecorded(seq=ctx.seq, entry=state.ratifications_recorded[act.proposal])
    decided = decided_answer(state, proposal)
    if decided != (act.answer, act.households):
        answer, households = decided or ("", 0)
        raise RatificationNotDecided(
            seq=ctx.seq, proposal=proposal.id, status=proposal.status, answer=answer, households=households
        )
    return [RatificationStated(proposal=proposal.id, seq=ctx.seq)]


@applies(RatificationStated)
def apply_recorded(state: AssemblyState, event: RatificationStated) -> None:
    state.ratifications_recorded[event.proposal] = event.seq


# --- the answer cited into the federation -------------------------------------------------------------


@act_kind
class ResolutionRatified(CitingAct):
    type = "federation.ratified"
    name = "cite-ratification"
    summary = "Cite a member assembly's recorded decision on ratifying a resolution into the federation"

    resolution: int = act_field(INT_ID, help="the resolution's id")
    cites: list[Any] = act_field(
        LIST, help='[citation of the assembly\'s ratification.recorded], e.g. "[$(ayllu cite HOME_LOG SEQ)]"'
    )
    report: dict[str, Any] = act_field(
        OBJECT, help="the recorded decision's body, as the cited entry signs it"
    )


@dataclass(frozen=True, slots=True)
class RatificationCounted(Event):
    resolution: int
    answer: RatificationAnswer


@rule(ResolutionRatified)
def decide_ratified(state: AssemblyState, act: ResolutionRatified, ctx: Context) -> list[Event]:
    """Count a member assembly's answer to a resolution, read from the home entry it cites."""
    citation = one_citation(state, act, ctx, reason="one_ratification")
    refuse_own_record(state, citation.log, field="cites", seq=ctx.seq)
    resolution = state.resolutions.get(act.resolution)
    if resolution is None:
        raise UnknownResolution(seq=ctx.seq, resolution=act.resolution)
    if citation.log not in resolution.members:
        if citation.log in state.member_assemblies:
            raise NotARatifyingAssembly(seq=ctx.seq, assembly=citation.log, resolution=resolution.proposal)
        raise NotAMemberAssembly(seq=ctx.seq, assembly=citation.log)
    report = read_cited(citation, act.report, RatificationRecorded, seq=ctx.seq, refused=NotARatification)
    if report.federation != state.log:
        raise RatificationOtherFederation(seq=ctx.seq, federation=report.federation)
    if report.resolution != resolution.proposal:
        raise RatificationOtherResolution(seq=ctx.seq, resolution=report.resolution)
    if ctx.time > resolution.deadline:
        raise RatificationTooLate(seq=ctx.seq, resolution=resolution.proposal, deadline=resolution.deadline)
    earlier = resolution.answers.get(citation.log)
    yes = report.answer == "yes"
    if earlier is not None:
        error = RatificationDuplicate if earlier.yes == yes else RatificationContradicts
        raise error(seq=ctx.seq, assembly=citation.log, counted=earlier.seq)
    answer = RatificationAnswer(
        assembly=citation.log,
        yes=yes,
        households=report.households,
        seq=ctx.seq,
        time=ctx.time,
        cited=(citation.log, citation.seq, citation.entry),
    )
    return [RatificationCounted(resolution.proposal, answer)]


@applies(RatificationCounted)
def apply_ratified(state: AssemblyState, event: RatificationCounted) -> None:
    state.resolutions[event.resolution].answers[event.answer.assembly] = event.answer


# --- the outcome --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Tally:
    """A resolution's ratification at a moment: the counts, the weights as its rule counts them, and the
    outcome. `yes_weight`/`no_weight` are assemblies (`assemblies`), capped households
    (`households_capped`) or households (`double_majority`, beside the assemblies' counts); `base` is the
    weight the share is taken of (for `households_capped`, an assembly yet to answer weighs the cap:
    silence never helps a resolution pass)."""

    outcome: str
    members: int
    yes: int
    no: int
    yes_weight: int
    no_weight: int
    base: int
    share: Fraction
    households_share: Fraction
    reached: Fraction  # yes_weight / base (0 when base is 0)


def weight(resolution: Resolution, answer: RatificationAnswer) -> int:
    """What one answer weighs under the resolution's rule."""
    if resolution.rule == "assemblies":
        return 1
    if resolution.rule == "households_capped":
        return min(answer.households, resolution.cap)
    return answer.households


def tally_resolution(resolution: Resolution, *, now: int) -> Tally:
    """The resolution's ratification as the answers counted by `now` make it."""
    answers = [a for a in resolution.answers.values() if a.time <= now]
    members, missing = len(resolution.members), len(resolution.members) - len(answers)
    yes = sum(1 for a in answers if a.yes)
    no = len(answers) - yes
    yes_weight = sum(weight(resolution, a) for a in answers if a.yes)
    no_weight = sum(weight(resolution, a) for a in answers if not a.yes)
    closed = now > resolution.deadline
    share = resolution.share
    if resolution.rule == "double_majority":
        base = yes_weight + no_weight
        assemblies_met = yes >= share * members
        households_met = no < resolution.blocking or yes_weight >= resolution.households_share * base
        if closed or missing == 0:
            if assemblies_met and households_met:
                outcome = "ratified"
            elif missing == 0 or not households_met or yes + missing < share * members:
                outcome = "rejected"
            else:
                outcome = "expired"
        else:
            outcome = "rejected" if yes + missing < share * members else "pending"
    else:
        most = 1 if resolution.rule == "assemblies" else resolution.cap  # what a silent assembly may weigh
        base = yes_weight + no_weight + most * missing
        if yes_weight >= share * base:
            outcome = "ratified"
        elif yes_weight + most * missing < share * base:
            outcome = "rejected"
        else:
            outcome = "expired" if closed else "pending"
    reached = Fraction(yes_weight, base) if base else Fraction(0)
    return Tally(
        outcome, members, yes, no, yes_weight, no_weight, base, share, resolution.households_share, reached
    )


def share_text(share: Fraction) -> str:
    """A share as the charter writes it: "num/den", also for a whole one ("1/1")."""
    return f"{share.numerator}/{share.denominator}"


def list_resolutions(state: AssemblyState, *, now: int) -> list[dict[str, Any]]:
    """The federation's resolutions, newest first, each with its tally at `now` and the answers counted
    (ids, keys, numbers and times only: the resolution's words are its proposal's)."""
    out = []
    for resolution in sorted(state.resolutions.values(), key=lambda r: -r.proposal):
        tally = tally_resolution(resolution, now=now)
        answered = {a.assembly for a in resolution.answers.values() if a.time <= now}
        out.append(
            {
                "resolution": resolution.proposal,
                "seq": resolution.seq,
                "time": resolution.time,
                "rule": resolution.rule,
                "share": share_text(resolution.share),
                "households_share": share_text(resolution.households_share),
                "cap": resolution.cap,
                "blocking": resolution.blocking,
                "deadline": resolution.deadline,
                "outcome": tally.outcome,
                "members": tally.members,
                "yes": tally.yes,
                "no": tally.no,
                "yes_weight": tally.yes_weight,
                "no_weight": tally.no_weight,
                "base": tally.base,
                "reached": share_text(tally.reached),
                "answers": [
                    {
                        "assembly": a.assembly,
                        "answer": "yes" if a.yes else "no",
                        "households": a.households,
                        "weight": weight(resolution, a),
                        "seq": a.seq,
                        "time": a.time,
                        "cited_seq": a.cited[1],
                    }
                    for a in sorted(resolution.answers.values(), key=lambda a: a.seq)
                    if a.time <= now
                ],
                "waiting": [m for m in resolution.members if m not in answered],
            }
        )
    return out


# --- what a member assembly is still asked --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AwaitedAnswer:
    """A resolution of federation `federation` still pending that a member assembly has not answered:
    its `deadline`, the federation's `name` and the resolution's `title` as said in the federation's
    record (the seqs are the federation's)."""

    federation: str
    resolution: int
    deadline: int
    name: Said
    title: Said


def list_awaited_answers(state: AssemblyState, *, assembly: str, now: int) -> list[AwaitedAnswer]:
    """The resolutions of federation `state` pending at `now` (before their deadline) that `assembly`,
    a member when each was adopted and still a member, must answer and whose answer is not counted."""
    if state.rules.federation is None or assembly not in state.member_assemblies:
        return []
    return [
        AwaitedAnswer(
            federation=state.log,
            resolution=r.proposal,
            deadline=r.deadline,
            name=said(state.name, 1),  # the name the founding act gave
            title=proposal_title(state.proposals[r.proposal]),
        )
        for r in sorted(state.resolutions.values(), key=lambda r: r.proposal)
        if assembly in r.members
        and assembly not in r.answers
        and now < r.deadline
        and tally_resolution(r, now=now).outcome == "pending"
    ]
