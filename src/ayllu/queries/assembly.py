"""Reads of an assembly as its record says it is: charter, members, meetings, proposals, questions, minutes.

Every answer is computed from the replayed state (`core.replay`), never from a table a node could edit.
Every read shares the one replayed state per record that `queries.replayed` keeps and catches up
when the record grows. Answers are frozen read models (the API's schemas too), every word wrapped in a
`core.words.Said` naming the acts that wrote it: callers show an answer to a reader through
`core.words.shown_to` (the API's `visibility.py`, the pages' `web/reader.py`). An id that names
nothing in this assembly raises the core's `unknown_*` error, so an object of another assembly is
unknown from this one's address.
"""

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from ayllu.core.assembly.acts import WORDS_NOT_HELD
from ayllu.core.assembly.reads import get_floor
from ayllu.core.assembly.replay import AssemblyState
from ayllu.core.assembly.rule_errors import UnknownMeeting, UnknownProposal, UnknownQuestion
from ayllu.core.assembly.state import Meeting, Proposal
from ayllu.core.assembly.words import ReadModel, said
from ayllu.core.charter.households import HOUSEHOLD_ID_PREFIX
from ayllu.core.charter.plain import render_charter
from ayllu.core.charter.rules import Charter
from ayllu.core.federations.plenary import is_plenary
from ayllu.core.meetings.acts import get_quorum, list_speakers
from ayllu.core.meetings.minutes import proposal_text, proposal_title
from ayllu.core.proposals.outcomes import participants
from ayllu.storage import reads

from .outcomes import AnsweredOutcome, outcome_read
from .read_types import Choice, WordList, Words
from .record import list_records
from .replayed import forget_replayed_reads, read_memo, read_state
from .waiting import list_waiting_keys, read_state_with_waiting


def forget_assembly_states() -> None:
    """Drop every cached state (tests use it to force a full replay)."""
    forget_replayed_reads()


# --- the answers -----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class AssemblyListed:
    """An assembly this node holds: its record's name, size and head (the API's list of assemblies)."""

    log: str
    name: str
    size: int
    head: str


@dataclass(frozen=True, slots=True)
class AssemblySummary:
    """One assembly as its record says it is now (every page's header, the API's answer)."""

    log: str
    name: str
    size: int
    members: int
    households: int
    charter_version: int  # 0: a record written before charters existed
    open_meetings: tuple[int, ...]
    federation: bool  # a federation's record: its members are assemblies (docs/federation-bodies.md)


def list_assemblies() -> list[AssemblyListed]:
    """Every assembly this node holds, oldest first."""
    return [AssemblyListed(log=o.log, name=o.name, size=o.size, head=o.head) for o in list_records()]


def get_assembly(log: str) -> AssemblySummary:
    """One assembly's summary: name, size, counts and the charter version in force."""

    def read(state: AssemblyState) -> AssemblySummary:
        return AssemblySummary(
            log=log,
            name=state.name,
            size=state.size,
            members=state.active_count,
            households=state.active_households,
            charter_version=state.charters[-1][0] if state.charters else 0,
            open_meetings=tuple(sorted(state.open_meetings)),
            federation=state.charter is not None and state.charter.federation is not None,
        )

    return read_memo(log, "assembly.summary", read)


@dataclass(frozen=True, slots=True)
class CharterMessage:
    """One plain-language sentence of a charter: its message id and parameters (`messages.py` words
    it in the reader's language)."""

    id: str
    params: Mapping[str, int | str]


def charter_messages(charter: Charter) -> tuple[CharterMessage, ...]:
    """A valid charter's plain-language sentences, in reading order."""
    return tuple(CharterMessage(id=mid, params=params) for mid, params in render_charter(charter))


@dataclass(frozen=True, slots=True)
class CharterRead:
    """The charter in force: its data (the charter document, docs/charter.md), the number of its version,
    the seqs at which each version took force, and its plain-language sentences."""

    data: Mapping[str, Any]  # the charter document itself, as its proposal wrote it
    version: int
    versions: tuple[int, ...]
    messages: tuple[CharterMessage, ...]


def get_charter(log: str) -> CharterRead:
    """The charter in force as data, its versions, and its plain-language messages (ids and params)."""

    def read(state: AssemblyState) -> CharterRead:
        return CharterRead(
            data=state.rules.data,
            version=state.charters[-1][0],
            versions=tuple(seq for seq, _ in state.charters),
            messages=charter_messages(state.rules),
        )

    return read_state(log, read)


def _household_name(state: AssemblyState, household: str) -> Any:
    """A household's name as words (`Said`) of the act that gave it, or its id where no act named it."""
    named = state.household_names.get(household)
    return said(named[0], named[1]) if named else household


def _member_name(state: AssemblyState, member: str) -> Any:
    """The name a member chose, as words (`Said`) of the act that gave it, or "" where they chose none."""
    named = state.member_names.get(member)
    return said(named[0], named[1]) if named and named[0] != WORDS_NOT_HELD else ""


@dataclass(frozen=True, slots=True)
class MemberRead(ReadModel):
    """A member: their id and key, the name they chose and their household (the words that named them)."""

    id: str
    key: str
    name: Words
    household: str | None  # null where the household was written in a body the reader may not read
    household_name: Words
    since: int
    suspended: bool


@dataclass(frozen=True, slots=True)
class HouseholdRead(ReadModel):
    """A household: its name, its members and how many of them are active."""

    id: str
    name: Words
    members: tuple[str, ...]
    active: int


@dataclass(frozen=True, slots=True)
class ApplicantRead(ReadModel):
    """Someone who applied to join: the household they named (their application's words), sponsors."""

    key: str
    household: Words
    household_name: Words
    seq: int
    sponsors: tuple[str, ...]
    waiting: bool  # outside the record, on this node, until a member takes the application in
    name_waits: bool  # a new household whose name is in the waiting act's words, which nobody reads yet
    members_only: bool = False  # its words are for members only (null in the answer)


@dataclass(frozen=True, slots=True)
class KeyClaimRead(ReadModel):
    """A claim that a new key is a member's (the claim's words name the member), with its vouchers."""

    key: str
    member: Words
    seq: int
    vouchers: tuple[str, ...]
    waiting: bool  # outside the record, on this node, until a member vouches or tables the replacement
    members_only: bool = False


@dataclass(frozen=True, slots=True)
class HolderRead:
    """A member holding a cargo until a time (ms)."""

    member: str
    until: int


@dataclass(frozen=True, slots=True)
class CargoHoldersRead:
    """A cargo and who holds it."""

    cargo: str
    holders: tuple[HolderRead, ...]


@dataclass(frozen=True, slots=True)
class MembersRead(ReadModel):
    """Members, households, applicants, key claims and cargo holders (the API's answer; the members
    page)."""

    members: tuple[MemberRead, ...]
    households: tuple[HouseholdRead, ...]
    applicants: tuple[ApplicantRead, ...]
    key_claims: tuple[KeyClaimRead, ...]
    cargos: tuple[CargoHoldersRead, ...]


def list_members(log: str) -> MembersRead:
    """Members, households, applicants, key claims and cargo holders."""

    waiting = list_waiting_keys(log)

    def read(state: AssemblyState) -> MembersRead:
        return MembersRead(
            members=tuple(
                MemberRead(
                    id=m.id,
                    key=m.key,
                    name=_member_name(state, m.id),
                    household=m.household,
                    household_name=_household_name(state, m.household),
                    since=m.since,
                    suspended=m.suspended,
                )
                for m in state.members.values()
            ),
            households=tuple(
                HouseholdRead(
                    id=h,
                    name=_household_name(state, h),
                    members=tuple(sorted(members)),
                    active=state.household_active.get(h, 0),
                )
                for h, members in sorted(state.households.items())
            ),
            applicants=tuple(
                ApplicantRead(
                    key=a.key,
                    household=said(a.household, a.seq),
                    household_name=said(_household_name(state, a.household), a.seq),
                    seq=a.seq,
                    sponsors=tuple(sorted(a.sponsors)),
                    waiting=a.key in waiting,
                    name_waits=a.key in waiting
                    and a.household.startswith(HOUSEHOLD_ID_PREFIX)
                    and a.household not in state.household_names
                    and a.household not in state.households,
                )
                for a in state.applicants.values()
            ),
            key_claims=tuple(
                KeyClaimRead(
                    key=c.key,
                    member=said(c.member, c.seq),
                    seq=c.seq,
                    vouchers=tuple(sorted(c.vouchers)),
                    waiting=c.key in waiting,
                )
                for c in state.key_claims.values()
            ),
            cargos=tuple(
                CargoHoldersRead(
                    cargo=c.name,
                    holders=tuple(HolderRead(member=m, until=u) for m, u in sorted(c.holders.items())),
                )
                for c in state.cargos.values()
            ),
        )

    return read_state_with_waiting(log, read)


def _meeting(state: AssemblyState, meeting_id: int) -> Meeting:
    meeting = state.meetings.get(meeting_id)
    if meeting is None:
        raise UnknownMeeting(meeting=meeting_id)
    return meeting


@dataclass(frozen=True, slots=True)
class AgendaItemRead(ReadModel):
    """An item on a meeting's agenda: a discussion, or a proposal (`proposal` names it)."""

    seq: int
    kind: str
    title: Words
    by: str
    proposal: int | None = None
    members_only: bool = False  # its words are for members only (null in the answer)


@dataclass(frozen=True, slots=True)
class PointRead(ReadModel):
    """A point of order: its text is the raising act's words, its ruling the ruling act's."""

    id: int
    member: str
    text: Words
    ruling: Words
    members_only: bool = False


@dataclass(frozen=True, slots=True)
class QuorumRead:
    """Who is present against the base the charter's share is taken of, and whether that is enough."""

    present: int
    base: int
    share: str  # "numerator/denominator"
    met: bool


@dataclass(frozen=True, slots=True)
class FloorRead:
    """Who has the floor, since when and until when (ms)."""

    speaker: str
    since: int
    until: int


@dataclass(frozen=True, slots=True)
class MeetingRead(ReadModel):
    """One meeting: its agenda, who is present, the live quorum, the speakers' queue in progressive-stack
    order, the floor and points of order (the API's answer; the meetings and meeting pages)."""

    id: int
    title: Words
    chair: str
    starts: int
    by_petition: bool
    open: bool
    closed_seq: int
    agenda: tuple[AgendaItemRead, ...]
    present: tuple[str, ...]
    quorum: QuorumRead
    queue: tuple[str, ...]  # the speakers' queue in progressive-stack order
    floor: FloorRead | None
    points_of_order: tuple[PointRead, ...]
    questions: tuple[int, ...]
    proposals: tuple[int, ...]
    members_only: bool = False  # its words are for members only (null in the answer)
    plenary: bool = False  # a federation's plenary (its title is shown in the reader's language)


def _agenda(meeting: Meeting) -> tuple[AgendaItemRead, ...]:
    """The meeting's agenda: each item's title is its own act's words."""
    return tuple(
        AgendaItemRead(
            seq=item["seq"],
            kind=item["kind"],
            title=said(item["title"], item["seq"]),
            by=item["by"],
            proposal=item.get("proposal"),
        )
        for item in meeting.agenda
    )


def _points_of_order(meeting: Meeting) -> tuple[PointRead, ...]:
    """The meeting's points of order: a text is the raising act's words, a ruling the ruling act's."""
    return tuple(
        PointRead(
            id=point_id,
            member=point["member"],
            text=said(point["text"], point_id),
            ruling=said(point["ruling"], point.get("ruling_seq", 0)),
        )
        for point_id, point in meeting.points.items()
    )


def _describe_meeting(state: AssemblyState, meeting: Meeting) -> MeetingRead:
    quorum = get_quorum(state, meeting)
    floor = get_floor(state, meeting.id) if not meeting.closed_seq else None
    return MeetingRead(
        id=meeting.id,
        title=said(meeting.title, meeting.id),
        chair=meeting.chair,
        starts=meeting.starts,
        by_petition=meeting.by_petition,
        open=not meeting.closed_seq,
        closed_seq=meeting.closed_seq,
        agenda=_agenda(meeting),
        present=tuple(sorted(meeting.present)),
        quorum=QuorumRead(
            present=quorum.present,
            base=quorum.base,
            share=f"{quorum.share.numerator}/{quorum.share.denominator}",
            met=quorum.met,
        ),
        queue=tuple(list_speakers(meeting)),
        floor=None
        if floor is None or not floor.speaker
        else FloorRead(speaker=floor.speaker, since=floor.since, until=floor.until),
        points_of_order=_points_of_order(meeting),
        questions=tuple(meeting.questions),
        proposals=tuple(meeting.proposals),
        plenary=is_plenary(state, meeting.id),
    )


def list_meetings(log: str) -> list[MeetingRead]:
    """Every meeting, with its agenda, presence, live quorum and speakers' queue."""
    return read_state(log, lambda state: [_describe_meeting(state, m) for m in state.meetings.values()])


def get_meeting(log: str, meeting_id: int) -> MeetingRead:
    """One meeting: agenda, presence, live quorum, the speakers' queue in progressive-stack order."""
    return read_state(log, lambda state: _describe_meeting(state, _meeting(state, meeting_id)))


@dataclass(frozen=True, slots=True)
class AmendmentRead(ReadModel):
    """An amendment to a proposal: who proposed it, its title and text, and whether it was accepted."""

    id: int
    member: str
    title: Words
    text: Words
    status: str
    members_only: bool = False  # its words are for members only (null in the answer)


@dataclass(frozen=True, slots=True)
class ObjectionRead(ReadModel):
    """An objection raised in a consent round, its answer (the answering act's words) and whether it
    was withdrawn."""

    id: int
    member: str
    round: int
    reason: Words
    answer: Words
    withdrawn: bool
    members_only: bool = False


@dataclass(frozen=True, slots=True)
class CommentRead(ReadModel):
    """A comment posted on a proposal (its words are in the comment's own body)."""

    id: int
    author: str
    time: int
    text: Words
    members_only: bool = False


@dataclass(frozen=True, slots=True)
class QuestionBrief(ReadModel):
    """A question as its proposal lists it: method, round, ballots so far and, once closed, the outcome
    (`QuestionRead` says more: who may answer, who did, when it opened)."""

    id: int
    method: str
    fallback: bool
    round: int
    deadline: int
    eligible: int
    ballots: Mapping[str, Choice]  # member id -> their choice (the ballot's words)
    closed_seq: int
    lapsed: bool
    outcome: AnsweredOutcome | None
    members_only: bool = False


@dataclass(frozen=True, slots=True)
class ProposalRead(ReadModel):
    """One proposal: its words, amendments, objections, questions, cosigners and comments (the API's
    answer; the proposals and proposal pages). The list of proposals carries no comments."""

    id: int
    author: str
    matter: str
    title: Words
    text: Words
    options: WordList
    status: str
    effect_applied: bool
    amendments: tuple[AmendmentRead, ...]
    objections: tuple[ObjectionRead, ...]
    questions: tuple[QuestionBrief, ...]
    cosigners: tuple[str, ...] = ()
    comments: tuple[CommentRead, ...] = ()
    members_only: bool = False  # its words are for members only (null in the answer)


def question_brief(state: AssemblyState, question_id: int) -> QuestionBrief:
    """One question: method, round, eligible count, the ballots so far, and the outcome once closed."""
    question = state.questions[question_id]
    return QuestionBrief(
        id=question.id,
        method=question.method,
        fallback=question.fallback_of is not None,
        round=question.round,
        deadline=question.deadline,
        eligible=len(question.eligible),
        # A ballot's choice is its own act's words; a choice may name the proposal's options.
        ballots={
            m: said(list(c) if isinstance(c, tuple) else c, question.ballot_seqs.get(m, 0), question.proposal)
            for m, c in sorted(question.votes.items())
        },
        closed_seq=question.closed_seq,
        lapsed=bool(question.closed_seq) and question.outcome is None,
        outcome=outcome_read(state, question),
    )


def proposal_read(
    state: AssemblyState, proposal: Proposal, comments: tuple[CommentRead, ...] = ()
) -> ProposalRead:
    """A proposal as the minutes and pages show it: its words, amendments (with their texts),
    objections, every question with its outcome, and its cosigners."""
    return ProposalRead(
        id=proposal.id,
        author=proposal.author,
        matter=proposal.matter,
        title=proposal_title(proposal),
        text=proposal_text(proposal),
        options=said(list(proposal.options), proposal.id),
        status=proposal.status,
        effect_applied=proposal.effect_applied,
        amendments=tuple(
            AmendmentRead(
                id=a.id, member=a.member, title=said(a.title, a.id), text=said(a.text, a.id), status=a.status
            )
            for a in proposal.amendments.values()
        ),
        objections=tuple(
            ObjectionRead(
                id=o.id,
                member=o.member,
                round=o.round,
                reason=said(o.reason, o.id),
                answer=said(o.answer, o.answer_seq),
                withdrawn=o.withdrawn,
            )
            for o in proposal.objections.values()
        ),
        questions=tuple(question_brief(state, q) for q in proposal.questions),
        cosigners=tuple(sorted(proposal.cosigners)),
        comments=comments,
    )


def list_proposals(log: str) -> list[ProposalRead]:
    """Every proposal with its status, amendments, objections, questions and cosigners (no comments)."""
    return read_state(log, lambda state: [proposal_read(state, p) for p in state.proposals.values()])


def get_proposal(log: str, proposal_id: int) -> ProposalRead:
    """One proposal: text, amendments (with their text), comments, objections and questions."""

    def read(state: AssemblyState) -> tuple[ProposalRead, list[int]]:
        proposal = state.proposals.get(proposal_id)
        if proposal is None:
            raise UnknownProposal(proposal=proposal_id)
        return proposal_read(state, proposal), list(proposal.comments)

    described, comment_seqs = read_state(log, read)
    return replace(described, comments=_comments(log, comment_seqs))


def _comments(log: str, seqs: list[int]) -> tuple[CommentRead, ...]:
    # Replay keeps only the seqs of comments (they bear no rule); their words are in the bodies.
    return tuple(
        CommentRead(
            id=entry.seq,
            author=entry.author,
            time=entry.time,
            text=said(None if words is None else words.content().get("text"), entry.seq),
        )
        for entry, words in reads.entries_with_words(reads.get_record(log), seqs)
    )


@dataclass(frozen=True, slots=True)
class NoteRead(ReadModel):
    """A note the minute-keeper signed into the minutes."""

    seq: int
    member: str
    text: Words
    members_only: bool = False  # its words are for members only (null in the answer)


@dataclass(frozen=True, slots=True)
class MinutesRead(ReadModel):
    """The minutes of one meeting, generated from the record (the API's answer, the minutes page and
    the minute book): who came and spoke, the agenda, each proposal with its objections and outcomes,
    the points of order and the minute-keeper's notes."""

    meeting: int
    title: Words
    chair: str
    by_petition: bool
    starts: int
    closed_seq: int
    present: tuple[str, ...]
    agenda: tuple[AgendaItemRead, ...]
    speaking_turns: Mapping[str, int]  # member id -> how many times they had the floor
    points_of_order: tuple[PointRead, ...]
    proposals: tuple[ProposalRead, ...]
    notes: tuple[NoteRead, ...]
    members_only: bool = False  # its words are for members only (null in the answer)
    plenary: bool = False  # a federation's plenary (its title is shown in the reader's language)


def minutes_read(state: AssemblyState, meeting: Meeting) -> MinutesRead:
    """A meeting's minutes, generated from the replayed state, never typed by one person; plus the
    minute-keeper's signed notes."""
    return MinutesRead(
        meeting=meeting.id,
        title=said(meeting.title, meeting.id),
        chair=meeting.chair,
        by_petition=meeting.by_petition,
        starts=meeting.starts,
        closed_seq=meeting.closed_seq,
        present=tuple(meeting.attended),
        agenda=_agenda(meeting),
        speaking_turns={m: n for m, n in meeting.turns.items() if n},
        points_of_order=_points_of_order(meeting),
        proposals=tuple(proposal_read(state, state.proposals[p]) for p in meeting.proposals),
        notes=tuple(
            NoteRead(seq=n["seq"], member=n["member"], text=said(n["text"], n["seq"])) for n in meeting.notes
        ),
        plenary=is_plenary(state, meeting.id),
    )


def get_meeting_minutes(log: str, meeting_id: int) -> MinutesRead:
    """The minutes of a meeting, generated from the record."""
    return read_state(log, lambda state: minutes_read(state, _meeting(state, meeting_id)))


@dataclass(frozen=True, slots=True)
class QuestionRead(ReadModel):
    """One question: its method, who may answer and who did, the ballots so far and, once closed, the
    outcome (the API's answer; the proposal page's questions). Words are `Said` until `shown_to`."""

    id: int
    proposal: int
    meeting: int
    method: str
    fallback: bool
    round: int
    deadline: int
    opened_time: int
    open: bool
    eligible: int
    eligible_members: tuple[str, ...]
    voted: int
    ballots: Mapping[str, Choice]  # member id -> their choice (the ballot's words)
    closed_seq: int
    lapsed: bool
    outcome: AnsweredOutcome | None
    members_only: bool = False  # its words are for members only (null in the answer)


def list_questions(log: str) -> list[QuestionRead]:
    """Every question with its method, eligible voters, participation, tallies and outcome."""
    return read_state(log, lambda state: [_describe_question(state, q) for q in state.questions])


def get_question(log: str, question_id: int) -> QuestionRead:
    """One question and, once closed, its outcome (method, eligible, participation, tallies, reasons)."""

    def read(state: AssemblyState) -> QuestionRead:
        if question_id not in state.questions:
            raise UnknownQuestion(question=question_id)
        return _describe_question(state, question_id)

    return read_state(log, read)


def _describe_question(state: AssemblyState, question_id: int) -> QuestionRead:
    question = state.questions[question_id]
    described = question_brief(state, question_id)
    return QuestionRead(
        id=described.id,
        proposal=question.proposal,
        meeting=question.meeting,
        method=described.method,
        fallback=described.fallback,
        round=described.round,
        deadline=described.deadline,
        opened_time=question.opened_time,
        open=not question.closed_seq,
        eligible=described.eligible,
        eligible_members=tuple(sorted(question.eligible)),
        # Who took part so far, as the outcome will count them: a consent round's objectors too.
        voted=len(participants(state.proposals[question.proposal], question)),
        ballots=described.ballots,
        closed_seq=described.closed_seq,
        lapsed=described.lapsed,
        outcome=described.outcome,
    )
