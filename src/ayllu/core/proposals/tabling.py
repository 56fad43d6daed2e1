"""Proposals before the vote: tabling, cosigning, amending, withdrawing, comments and objections.

Acts (body fields in braces):
- proposal.tabled {matter, title, text, effect[, options][, meeting]}: options (2-20) only for "choice";
  with "meeting" the proposal is decided in that open meeting (the author must be present).
- proposal.cosigned {proposal}: when the charter's tabling is "cosigned", a question can open only once
  that many other members cosigned.
- proposal.amended {proposal, title, text}: by the author it takes effect at once; by anyone else it is
  an amendment the author may accept (amendment.accepted {proposal, amendment}) or the assembly may
  adopt by a decision of matter "amendment". Only while the proposal is in deliberation.
- proposal.withdrawn {proposal}: the author, while in deliberation.
- comment.posted {proposal, text}.
- objection.raised {proposal, reason}: belongs to the round under way (or the next one); one per
  member per round. objection.answered {proposal, objection, answer}: any other member.
  objection.withdrawn {proposal, objection}: the objector (after an answer it counts as resolved).
"""

from typing import Any

from ayllu.core.assembly.bodies import MAX_TITLE, get_dict, get_int, get_str, only_fields
from ayllu.core.assembly.rule_errors import (
    AlreadySigned,
    AlreadyVoted,
    NotAuthor,
    NotObjector,
    NotPresent,
    ProposalNotOpen,
    UnknownAmendment,
    UnknownObjection,
    UnknownProposal,
)
from ayllu.core.assembly.state import Amendment, AssemblyState, Objection, Proposal
from ayllu.core.errors import MalformedBody
from ayllu.core.ledger.record import Entry
from ayllu.core.meetings.acts import get_meeting
from ayllu.core.proposals.effects import EFFECT_FIELDS, apply_amendment, check_effect

MAX_OPTIONS = 20


def get_proposal(
    state: AssemblyState, content: dict[str, Any], *, seq: int, open_only: bool = True
) -> Proposal:
    """The proposal a body names; by default it must still be in deliberation."""
    proposal_id = get_int(content, "proposal", seq=seq, low=1)
    proposal = state.proposals.get(proposal_id)
    if proposal is None:
        raise UnknownProposal(seq=seq, proposal=proposal_id)
    if open_only and proposal.status != "deliberation":
        raise ProposalNotOpen(seq=seq, proposal=proposal_id, status=proposal.status)
    return proposal


def _options(content: dict[str, Any], matter: str, seq: int) -> list[str]:
    options = content.get("options", [])
    wanted = matter == "choice"
    if not isinstance(options, list) or (not options) == wanted:
        raise MalformedBody(seq=seq, field="options")
    if wanted and not 2 <= len(options) <= MAX_OPTIONS:
        raise MalformedBody(seq=seq, field="options", count=len(options))
    checked = [get_str({"option": o}, "option", seq=seq, limit=MAX_TITLE) for o in options]
    if len(set(checked)) != len(checked):
        raise MalformedBody(seq=seq, field="options", reason="duplicate")
    return checked


def do_tabled(state: AssemblyState, entry: Entry, author: str, content: dict[str, Any]) -> None:
    seq = entry.seq
    only_fields(content, {"matter", "title", "text", "effect", "options", "meeting"}, seq=seq)
    matter = content.get("matter")
    if not isinstance(matter, str) or matter not in EFFECT_FIELDS:
        raise MalformedBody(seq=seq, field="matter", value=matter)
    title = get_str(content, "title", seq=seq, limit=MAX_TITLE)
    text = get_str(content, "text", seq=seq, empty=True)
    effect = get_dict(content, "effect", seq=seq)
    options = _options(content, matter, seq)
    meeting_id = 0
    if "meeting" in content:
        meeting = get_meeting(state, content, seq=seq)
        if author not in meeting.present and author != meeting.chair:
            raise NotPresent(seq=seq, member=author, meeting=meeting.id)
        meeting_id = meeting.id
    check_effect(state, matter, effect, seq=seq)
    state.proposals[seq] = Proposal(
        id=seq,
        author=author,
        matter=matter,
        title=title,
        text=text,
        effect=effect,
        options=options,
        meeting=meeting_id,
        tabled_time=entry.time,
        seed=entry.hash,
    )
    if meeting_id:
        state.meetings[meeting_id].proposals.append(seq)


def do_cosigned(state: AssemblyState, entry: Entry, author: str, content: dict[str, Any]) -> None:
    only_fields(content, {"proposal"}, seq=entry.seq)
    proposal = get_proposal(state, content, seq=entry.seq)
    if author == proposal.author or author in proposal.cosigners:
        raise AlreadySigned(seq=entry.seq, member=author, proposal=proposal.id)
    proposal.cosigners.add(author)


def do_amended(state: AssemblyState, entry: Entry, author: str, content: dict[str, Any]) -> None:
    only_fields(content, {"proposal", "title", "text"}, seq=entry.seq)
    proposal = get_proposal(state, content, seq=entry.seq)
    title = get_str(content, "title", seq=entry.seq, limit=MAX_TITLE)
    text = get_str(content, "text", seq=entry.seq, empty=True)
    proposal.amendments[entry.seq] = Amendment(id=entry.seq, member=author, title=title, text=text)
    if author == proposal.author:
        apply_amendment(proposal, entry.seq)


def do_amendment_accepted(state: AssemblyState, entry: Entry, author: str, content: dict[str, Any]) -> None:
    only_fields(content, {"proposal", "amendment"}, seq=entry.seq)
    proposal = get_proposal(state, content, seq=entry.seq)
    if author != proposal.author:
        raise NotAuthor(seq=entry.seq, member=author, proposal=proposal.id)
    amendment = proposal.amendments.get(get_int(content, "amendment", seq=entry.seq, low=1))
    if amendment is None or amendment.status != "proposed":
        raise UnknownAmendment(seq=entry.seq, amendment=content["amendment"])
    apply_amendment(proposal, amendment.id)


def do_withdrawn(state: AssemblyState, entry: Entry, author: str, content: dict[str, Any]) -> None:
    only_fields(content, {"proposal"}, seq=entry.seq)
    proposal = get_proposal(state, content, seq=entry.seq)
    if author != proposal.author:
        raise NotAuthor(seq=entry.seq, member=author, proposal=proposal.id)
    proposal.status = "withdrawn"
    proposal.decided_seq = entry.seq


def do_comment_posted(state: AssemblyState, entry: Entry, author: str, content: dict[str, Any]) -> None:
    only_fields(content, {"proposal", "text"}, seq=entry.seq)
    proposal = get_proposal(state, content, seq=entry.seq, open_only=False)
    get_str(content, "text", seq=entry.seq)
    proposal.comments.append(entry.seq)


def current_round(state: AssemblyState, proposal: Proposal) -> int:
    """The round objections now belong to: the open question's, or the next one's."""
    if proposal.status == "voting":
        return state.questions[proposal.questions[-1]].round
    return len(proposal.past_rounds) + 1


def do_objection_raised(state: AssemblyState, entry: Entry, author: str, content: dict[str, Any]) -> None:
    only_fields(content, {"proposal", "reason"}, seq=entry.seq)
    proposal = get_proposal(state, content, seq=entry.seq, open_only=False)
    if proposal.status not in ("deliberation", "voting"):
        raise ProposalNotOpen(seq=entry.seq, proposal=proposal.id, status=proposal.status)
    reason = get_str(content, "reason", seq=entry.seq)
    round_number = current_round(state, proposal)
    if any(o.member == author and o.round == round_number for o in proposal.objections.values()):
        raise AlreadySigned(seq=entry.seq, member=author, proposal=proposal.id, round=round_number)
    if proposal.status == "voting":
        # In a consent round an objection is the member's position in that round, like a vote.
        question = state.questions[proposal.questions[-1]]
        if question.spec.method == "consent" and author in question.votes:
            raise AlreadyVoted(seq=entry.seq, member=author, question=question.id)
    proposal.objections[entry.seq] = Objection(id=entry.seq, member=author, reason=reason, round=round_number)


def _objection(proposal: Proposal, content: dict[str, Any], seq: int) -> Objection:
    objection = proposal.objections.get(get_int(content, "objection", seq=seq, low=1))
    if objection is None or objection.withdrawn:
        raise UnknownObjection(seq=seq, objection=content["objection"])
    return objection


def do_objection_answered(state: AssemblyState, entry: Entry, author: str, content: dict[str, Any]) -> None:
    only_fields(content, {"proposal", "objection", "answer"}, seq=entry.seq)
    proposal = get_proposal(state, content, seq=entry.seq, open_only=False)
    objection = _objection(proposal, content, entry.seq)
    answer = get_str(content, "answer", seq=entry.seq)
    if author == objection.member or objection.answer:
        raise UnknownObjection(seq=entry.seq, objection=objection.id, reason="own_or_answered")
    objection.answer, objection.answer_seq = answer, entry.seq


def do_objection_withdrawn(state: AssemblyState, entry: Entry, author: str, content: dict[str, Any]) -> None:
    only_fields(content, {"proposal", "objection"}, seq=entry.seq)
    proposal = get_proposal(state, content, seq=entry.seq, open_only=False)
    objection = _objection(proposal, content, entry.seq)
    if author != objection.member:
        raise NotObjector(seq=entry.seq, member=author, objection=objection.id)
    objection.withdrawn = True
