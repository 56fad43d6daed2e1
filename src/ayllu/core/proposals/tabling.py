"""Proposals before the vote: tabling, cosigning, amending, withdrawing and comments.

Acts (body fields in braces):
- proposal.tabled {matter, title, text, effect[, options][, meeting]}: options (2-20) only for "choice";
  with "meeting" the proposal is decided in that open meeting (the author must be present).
- proposal.cosigned {proposal}: when the charter's tabling is "cosigned", a question can open only once
  that many other members cosigned.
- proposal.amended {proposal, title, text}: by the author it takes effect at once; by anyone else it is
  an amendment the author may accept (amendment.accepted {proposal, amendment}) or the assembly may
  adopt by a decision of matter "amendment". Only while the proposal is in deliberation.
- proposal.withdrawn {proposal}: the author, while in deliberation.
- comment.posted {proposal, text}: in any status, decided or closed too (a note after the decision, such
  as how it is being carried out; the proposal page says so).
Objections are in objections.py.
"""

from dataclasses import dataclass
from typing import Any

from ayllu.core.assembly.acts import (
    HEX,
    INT_ID,
    KEY,
    NAME,
    NUMBER,
    OBJECT,
    OPTIONS,
    TEXT,
    TIME,
    TITLE,
    Act,
    ActForm,
    act_field,
    act_kind,
    form_field,
)
from ayllu.core.assembly.bodies import MAX_TITLE
from ayllu.core.assembly.events import Context, Event, applies, rule
from ayllu.core.assembly.rule_errors import (
    AlreadySigned,
    NotAuthor,
    NotPresent,
    ProposalNotOpen,
    TextTooLong,
    UnknownAmendment,
    UnknownProposal,
)
from ayllu.core.assembly.state import Amendment, AssemblyState, Proposal
from ayllu.core.errors import MalformedBody
from ayllu.core.meetings.acts import get_meeting
from ayllu.core.proposals.effects import EFFECT_FIELDS, AmendmentApplied, check_effect

MAX_OPTIONS = 20
# The effect field naming the stranger whose waiting act a tabled matter takes into the record
# (docs/decisions/0011-strangers-wait-outside.md).
TAKES_IN_BY_MATTER = {"admission": "applicant", "key_replacement": "key"}
PROPOSAL_HELP = "the proposal's id"
PROPOSAL_TEXTS = (form_field("title", TITLE), form_field("text", TEXT))


def find_proposal(state: AssemblyState, proposal_id: int, *, seq: int, open_only: bool = True) -> Proposal:
    """The proposal `proposal_id`; by default it must still be in deliberation."""
    proposal = state.proposals.get(proposal_id)
    if proposal is None:
        raise UnknownProposal(seq=seq, proposal=proposal_id)
    if open_only and proposal.status != "deliberation":
        raise ProposalNotOpen(seq=seq, proposal=proposal_id, status=proposal.status)
    return proposal


def authors_proposal(state: AssemblyState, proposal_id: int, ctx: Context) -> Proposal:
    """The proposal `proposal_id`, still in deliberation, which the act's author must have tabled."""
    proposal = find_proposal(state, proposal_id, seq=ctx.seq)
    if ctx.author != proposal.author:
        raise NotAuthor(seq=ctx.seq, member=ctx.author, proposal=proposal.id)
    return proposal


def _tabled(*, matter: str, title: str, text: str, effect: dict[str, Any]) -> "ProposalTabled":
    return ProposalTabled.parse({"matter": matter, "title": title, "text": text, "effect": effect})


def _cargo_creation(
    *, title: str, text: str, cargo: str, powers: list[str], burden: int, term_days: int, seats: int = 1
) -> "ProposalTabled":
    effect = {
        "cargo": cargo,
        "powers": list(powers),
        "burden": burden,
        "term_days": term_days,
        "seats": seats,
    }
    return _tabled(matter="cargo_creation", title=title, text=text, effect=effect)


def _exemption(
    *, title: str, text: str, start: int, end: int, reason: str, household: str | None = None,
    member: str | None = None,
) -> "ProposalTabled":  # fmt: skip
    effect = {"household": household, "member": member, "start": start, "end": end, "reason": reason}
    return _tabled(
        matter="exemption", title=title, text=text, effect={k: v for k, v in effect.items() if v is not None}
    )


def _mandate(*, title: str, text: str, body: str, question: str, position: str) -> "ProposalTabled":
    effect = {"body": body, "question": question, "position": position}
    return _tabled(matter="mandate", title=title, text=text, effect=effect)


def _erasure(*, title: str, text: str, entry: int) -> "ProposalTabled":
    return _tabled(matter="erasure", title=title, text=text, effect={"entry": entry})


def _resolution(*, title: str, text: str, rule: str, share: str, deadline: int) -> "ProposalTabled":
    effect = {"rule": rule, "share": share, "deadline": deadline}
    return _tabled(matter="resolution", title=title, text=text, effect=effect)


def _ratification(*, title: str, text: str, federation: str, resolution: int) -> "ProposalTabled":
    effect = {"federation": federation, "resolution": resolution}
    return _tabled(matter="ratification", title=title, text=text, effect=effect)


@act_kind
class ProposalTabled(Act):
    type = "proposal.tabled"
    name = "table"
    summary = "Table a proposal"
    forms = (
        ActForm(
            "propose-cargo",
            "Propose a cargo filled by turn (matter cargo_creation)",
            (
                *PROPOSAL_TEXTS,
                form_field("cargo", NAME, help="the cargo's name"),
                form_field(
                    "powers", OPTIONS, help="convene_meetings, keep_minutes, ..., represent_in:<body>"
                ),
                form_field("burden", NUMBER, help="its weight in the turn order, 1..1000"),
                form_field("term_days", NUMBER),
                form_field("seats", NUMBER, required=False, help="1, or 2 for paired holders"),
            ),
            _cargo_creation,
        ),
        ActForm(
            "propose-exemption",
            "Propose an exemption from turns (matter exemption)",
            (
                *PROPOSAL_TEXTS,
                form_field("start", TIME),
                form_field("end", TIME),
                form_field("reason", TITLE),
                form_field("household", NAME, required=False, help="a household, or"),
                form_field("member", KEY, required=False, help="one member"),
            ),
            _exemption,
        ),
        ActForm(
            "propose-mandate",
            "Propose the assembly's position on a question of another body (matter mandate)",
            (
                *PROPOSAL_TEXTS,
                form_field("body", NAME, help="the other body (federation, council, ...)"),
                form_field("question", TITLE, help="the other body's question"),
                form_field("position", TITLE, help="the choice the delegate must carry"),
            ),
            _mandate,
        ),
        ActForm(
            "propose-erasure",
            "Propose that the assembly erase the words of an entry (matter erasure)",
            (*PROPOSAL_TEXTS, form_field("entry", INT_ID, help="the seq of the entry whose words go")),
            _erasure,
        ),
        ActForm(
            "propose-resolution",
            "Propose a federation's resolution, to be ratified by its member assemblies (matter resolution)",
            (
                *PROPOSAL_TEXTS,
                form_field("rule", NAME, help="the charter's weighting: assemblies, households_capped, ..."),
                form_field("share", NAME, help='the share it needs, "num/den", at least the charter\'s'),
                form_field("deadline", TIME, help="the end of ratification, ms since the epoch"),
            ),
            _resolution,
        ),
        ActForm(
            "propose-ratification",
            "Propose ratifying a federation's resolution: yes passes it, no refuses it (matter ratification)",
            (
                *PROPOSAL_TEXTS,
                form_field("federation", HEX, help="the federation's log id"),
                form_field("resolution", INT_ID, help="the resolution's id in the federation's record"),
            ),
            _ratification,
        ),
    )

    matter: str = act_field(NAME)
    title: str = act_field(TITLE)
    text: str = act_field(TEXT, empty=True)
    effect: dict[str, Any] = act_field(OBJECT, default_factory=dict, help="the decision's effect, by matter")
    options: tuple[str, ...] | None = act_field(OPTIONS, default=None, help="options of a choice")
    meeting: int | None = act_field(INT_ID, default=None)

    def check(self, *, seq: int) -> None:
        if self.matter not in EFFECT_FIELDS:
            raise MalformedBody(seq=seq, field="matter", value=self.matter)
        options = self.options or ()
        wanted = self.matter == "choice"
        if (not options) == wanted:
            raise MalformedBody(seq=seq, field="options")
        if wanted and not 2 <= len(options) <= MAX_OPTIONS:
            raise MalformedBody(seq=seq, field="options", count=len(options))
        for option in options:
            if not option.strip():
                raise MalformedBody(seq=seq, field="option")
            if len(option) > MAX_TITLE:
                raise TextTooLong(seq=seq, field="option", length=len(option), limit=MAX_TITLE)
        if len(set(options)) != len(options):
            raise MalformedBody(seq=seq, field="options", reason="duplicate")

    def keys_taken_in(self) -> tuple[str, ...]:
        """An admission names the applicant, a key replacement the claiming key, whose waiting act
        enters the record first."""
        field = TAKES_IN_BY_MATTER.get(self.matter)
        key = self.effect.get(field) if field else None
        return (key,) if isinstance(key, str) else ()

    def content(self) -> dict[str, Any]:
        out = Act.content(self)  # a slotted dataclass is a new class: no zero-argument super()
        if not self.options:
            out.pop("options", None)  # a proposal without options writes none
        return out


@dataclass(frozen=True, slots=True)
class ProposalPut(Event):
    """A proposal is before the assembly (in the meeting `meeting`, or 0 between meetings)."""

    proposal: Proposal


@rule(ProposalTabled)
def decide_tabled(state: AssemblyState, act: ProposalTabled, ctx: Context) -> list[Event]:
    meeting_id = 0
    if act.meeting is not None:
        meeting = get_meeting(state, {"meeting": act.meeting}, seq=ctx.seq)
        if ctx.author not in meeting.present and ctx.author != meeting.chair:
            raise NotPresent(seq=ctx.seq, member=ctx.author, meeting=meeting.id)
        meeting_id = meeting.id
    check_effect(state, act.matter, act.effect, seq=ctx.seq, now=ctx.time)
    proposal = Proposal(
        id=ctx.seq,
        author=ctx.author,
        matter=act.matter,
        title=act.title,
        text=act.text,
        effect=act.effect,
        options=list(act.options or ()),
        meeting=meeting_id,
        tabled_time=ctx.time,
        seed=ctx.hash,
    )
    return [ProposalPut(proposal)]


@applies(ProposalPut)
def apply_tabled(state: AssemblyState, event: ProposalPut) -> None:
    proposal = event.proposal
    state.proposals[proposal.id] = proposal
    if proposal.meeting:
        state.meetings[proposal.meeting].proposals.append(proposal.id)


@act_kind
class ProposalCosigned(Act):
    type = "proposal.cosigned"
    name = "cosign"
    summary = "Cosign a proposal"

    proposal: int = act_field(INT_ID, help=PROPOSAL_HELP)


@dataclass(frozen=True, slots=True)
class CosignatureAdded(Event):
    proposal: int
    member: str


@rule(ProposalCosigned)
def decide_cosigned(state: AssemblyState, act: ProposalCosigned, ctx: Context) -> list[Event]:
    proposal = find_proposal(state, act.proposal, seq=ctx.seq)
    if ctx.author == proposal.author or ctx.author in proposal.cosigners:
        raise AlreadySigned(seq=ctx.seq, member=ctx.author, proposal=proposal.id)
    return [CosignatureAdded(proposal=proposal.id, member=ctx.author)]


@applies(CosignatureAdded)
def apply_cosigned(state: AssemblyState, event: CosignatureAdded) -> None:
    state.proposals[event.proposal].cosigners.add(event.member)


@act_kind
class ProposalAmended(Act):
    type = "proposal.amended"
    name = "amend"
    summary = "Amend a proposal"

    proposal: int = act_field(INT_ID, help=PROPOSAL_HELP)
    title: str = act_field(TITLE)
    text: str = act_field(TEXT, empty=True)


@dataclass(frozen=True, slots=True)
class AmendmentOffered(Event):
    proposal: int
    id: int
    member: str
    title: str
    text: str


@rule(ProposalAmended)
def decide_amended(state: AssemblyState, act: ProposalAmended, ctx: Context) -> list[Event]:
    proposal = find_proposal(state, act.proposal, seq=ctx.seq)
    events: list[Event] = [
        AmendmentOffered(proposal=proposal.id, id=ctx.seq, member=ctx.author, title=act.title, text=act.text)
    ]
    if ctx.author == proposal.author:
        events.append(AmendmentApplied(proposal=proposal.id, amendment=ctx.seq))
    return events


@applies(AmendmentOffered)
def apply_amended(state: AssemblyState, event: AmendmentOffered) -> None:
    amendment = Amendment(id=event.id, member=event.member, title=event.title, text=event.text)
    state.proposals[event.proposal].amendments[event.id] = amendment


@act_kind
class AmendmentAccepted(Act):
    type = "amendment.accepted"
    name = "accept-amendment"
    summary = "Accept an amendment (the author)"

    proposal: int = act_field(INT_ID, help=PROPOSAL_HELP)
    amendment: int = act_field(INT_ID)


@rule(AmendmentAccepted)
def decide_amendment_accepted(state: AssemblyState, act: AmendmentAccepted, ctx: Context) -> list[Event]:
    proposal = authors_proposal(state, act.proposal, ctx)
    amendment = proposal.amendments.get(act.amendment)
    if amendment is None or amendment.status != "proposed":
        raise UnknownAmendment(seq=ctx.seq, amendment=act.amendment)
    return [AmendmentApplied(proposal=proposal.id, amendment=amendment.id)]


@act_kind
class ProposalWithdrawn(Act):
    type = "proposal.withdrawn"
    name = "withdraw"
    summary = "Withdraw a proposal"

    proposal: int = act_field(INT_ID, help=PROPOSAL_HELP)


@dataclass(frozen=True, slots=True)
class ProposalRetracted(Event):
    proposal: int
    seq: int


@rule(ProposalWithdrawn)
def decide_withdrawn(state: AssemblyState, act: ProposalWithdrawn, ctx: Context) -> list[Event]:
    proposal = authors_proposal(state, act.proposal, ctx)
    return [ProposalRetracted(proposal=proposal.id, seq=ctx.seq)]


@applies(ProposalRetracted)
def apply_withdrawn(state: AssemblyState, event: ProposalRetracted) -> None:
    proposal = state.proposals[event.proposal]
    proposal.status, proposal.decided_seq = "withdrawn", event.seq


@act_kind
class CommentPosted(Act):
    type = "comment.posted"
    name = "comment"
    summary = "Comment on a proposal"

    proposal: int = act_field(INT_ID, help=PROPOSAL_HELP)
    text: str = act_field(TEXT)


@dataclass(frozen=True, slots=True)
class CommentAdded(Event):
    proposal: int
    seq: int


@rule(CommentPosted)
def decide_comment(state: AssemblyState, act: CommentPosted, ctx: Context) -> list[Event]:
    proposal = find_proposal(state, act.proposal, seq=ctx.seq, open_only=False)
    return [CommentAdded(proposal=proposal.id, seq=ctx.seq)]


@applies(CommentAdded)
def apply_comment(state: AssemblyState, event: CommentAdded) -> None:
    state.proposals[event.proposal].comments.append(event.seq)
