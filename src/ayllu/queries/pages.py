"""Reads the members' pages need beyond the API's: "what needs me now", people by id, charter versions.

Like `queries.assembly` (whose replayed state and lock these share), every answer comes from replaying
the record and is plain data, every word a `core.words.Said` that callers show through
`core.words.shown_to`. `member` is a member id (the key they joined with); `now` is node time in ms,
passed in by the caller.
"""

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from copy import deepcopy
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Any

from pydantic.json_schema import SkipJsonSchema

from ayllu.core.assembly.acts import Act
from ayllu.core.assembly.clock_changes import next_clock_change
from ayllu.core.assembly.replay import AssemblyState
from ayllu.core.assembly.rule_errors import UnknownMeeting, UnknownProposal
from ayllu.core.assembly.state import Question
from ayllu.core.assembly.words import ReadModel, Said, said
from ayllu.core.cargos.acts import SwapAccepted
from ayllu.core.cargos.powers import POWERS
from ayllu.core.cargos.reads import HoldingRead, list_holdings
from ayllu.core.charter.members import MemberKeyVouched, MemberSponsored, household_label, member_name
from ayllu.core.charter.rules import COUNTS, check_within_reach, parse_charter
from ayllu.core.federations.plenary import is_plenary
from ayllu.core.federations.standing import is_federation, member_base, standing_seats
from ayllu.core.mandates.acts import ReportFiled, mandates_asked_of
from ayllu.core.mandates.recall import RecallSigned
from ayllu.core.meetings.minutes import ballot_seqs, proposal_title
from ayllu.core.proposals.objections import ObjectionAnswered, current_round
from ayllu.core.proposals.outcomes import participants
from ayllu.core.proposals.questions import VoteCast
from ayllu.core.proposals.tabling import AmendmentAccepted, ProposalCosigned
from ayllu.core.sortition.acts import DrawCommitted, DrawRevealed

from . import cargos as cargo_reads
from .allowed import SAMPLE, acts_allowed, acts_refused
from .assembly import CharterMessage, charter_messages
from .cargos import DelegateVoteRead, RecallPetitionRead, SessionRead
from .proposals import sample_ballot
from .read_types import Words
from .replayed import forget_replayed_reads, get_head, read_state, read_visibility_memo
from .waiting import list_waiting_keys, read_state_with_waiting


def get_member_id(log: str, *, key: str) -> str:
    """The member id whose current key is `key`, or "" when the key is no current member's."""
    return read_state(log, lambda state: state.key_owner.get(key, ""))


@dataclass(frozen=True, slots=True)
class Person:
    """A member or former member as pages name them. `household` is what people call it: its name where
    the reader may read it, else its id ("" where even that is hidden); `name` is the name the member
    chose, where the reader may read it, else ""; `current` is None for a key no member ever held."""

    id: str
    key: str
    name: str
    household: str
    current: bool | None

    @classmethod
    def of_key(cls, key: str, *, current: bool | None = None) -> "Person":
        """A key no member of this record holds, named by itself."""
        return cls(id=key, key=key, name="", household="", current=current)


def _people(state: AssemblyState, hidden: frozenset[int]) -> dict[str, Person]:
    people: dict[str, Person] = {}
    for current, found in ((True, state.members.values()), (False, state.former_members.values())):
        for m in found:
            if m.id not in people:
                people[m.id] = Person(
                    id=m.id,
                    key=m.key,
                    name=member_name(state, m.id, hidden),
                    household=household_label(state, m.household, hidden),
                    current=current,
                )
    return people


def _named_by(state: AssemblyState, household: str) -> tuple[int, ...]:
    """The seq of the act whose words named `household`, if any (its name is as readable as that act)."""
    return (state.household_names[household][1],) if household in state.household_names else ()


def get_people(log: str, *, outsider: bool = False) -> Mapping[str, Person]:
    """Every member and former member by id: current key, household, and whether still a member.

    A household written in a confidential body is "" for everyone; for an `outsider`, one written in a
    members-only body too. Computed once per head and shared by every request: callers must not change
    it.
    """
    key = "households_of" if outsider else "confidential_households_of"

    def hide(
        private: Mapping[int, tuple[str, str]], confidential: frozenset[int], state: AssemblyState
    ) -> Mapping[str, Person]:
        people = _people(state, frozenset(private) if outsider else confidential)
        for member in getattr(_members_only(private, confidential, state), key):
            if member in people:
                people[member] = replace(people[member], household="")
        return MappingProxyType(people)

    return read_visibility_memo(log, f"pages.people.{key}", hide)


@dataclass(frozen=True, slots=True)
class HomeMeeting(ReadModel):
    """An open meeting: its title, when it starts, whether it has and whether the member is present."""

    id: int
    title: Words
    starts: int
    started: bool
    present: bool
    chair: str
    plenary: bool = False  # a federation's plenary (its title is shown in the reader's language)


@dataclass(frozen=True, slots=True)
class QuestionDue(ReadModel):
    """An open question the member may still answer now."""

    question: int
    proposal: int
    title: Words
    method: str
    meeting: int
    deadline: int | None


@dataclass(frozen=True, slots=True)
class ProposalDue(ReadModel):
    """A proposal that waits for the member: to cosign it (no `objection` or `amendment`), to answer an
    objection to it, to accept an amendment to it."""

    proposal: int
    title: Words
    objection: int = 0
    amendment: int = 0


@dataclass(frozen=True, slots=True)
class ApplicantDue(ReadModel):
    """An applicant the member may sponsor (the household is the application's words)."""

    key: str
    household: Words
    seq: int


@dataclass(frozen=True, slots=True)
class ClaimDue(ReadModel):
    """A lost-key claim the member may vouch for (the member it names is the claim's words)."""

    key: str
    member: Words
    seq: int


@dataclass(frozen=True, slots=True)
class SwapDue(ReadModel):
    """A swap of turns offered to the member's household (the household is the offer's words)."""

    swap: int
    cargo: str
    household: Words


@dataclass(frozen=True, slots=True)
class RecallDue:
    """A recall petition the member may sign."""

    petition: int
    cargo: str
    member: str


@dataclass(frozen=True, slots=True)
class DrawDue(ReadModel):
    """A draw the member may commit to (or reveal their secret for) until a time."""

    draw: int
    purpose: Words
    until: int


@dataclass(frozen=True, slots=True)
class MandateAsked(ReadModel):
    """A delegate's request (the act at `seq`) for the assembly's position on `question` of `body`, which
    the assembly has not decided yet: the members other than the delegate are to take it up."""

    body: str
    question: Words
    seq: int


@dataclass(frozen=True, slots=True)
class ReportDue(ReadModel):
    """A session of another body whose report the member, as a delegate, may file now."""

    body: str
    session: Words
    seq: int
    due: int


@dataclass(frozen=True, slots=True)
class OpenProposal(ReadModel):
    """A proposal under way (in discussion or being decided)."""

    proposal: int
    title: Words
    meeting: int
    status: str


@dataclass(frozen=True, slots=True)
class MemberHome(ReadModel):
    """What needs a member now, as the core's rules say: each list holds what they may do now. The
    recall petitions, flags and cargos are the cargo reads' answers (core/cargos/reads.py)."""

    name: str
    members: int
    households: int
    meetings: tuple[HomeMeeting, ...]
    questions: tuple[QuestionDue, ...] = ()
    objections: tuple[ProposalDue, ...] = ()
    amendments: tuple[ProposalDue, ...] = ()
    applicants: tuple[ApplicantDue, ...] = ()
    claims: tuple[ClaimDue, ...] = ()
    swaps: tuple[SwapDue, ...] = ()
    cosign: tuple[ProposalDue, ...] = ()
    petitions: tuple[RecallDue, ...] = ()
    draws: tuple[DrawDue, ...] = ()
    reveals: tuple[DrawDue, ...] = ()
    reports: tuple[ReportDue, ...] = ()
    asked: tuple[MandateAsked, ...] = ()
    open_proposals: tuple[OpenProposal, ...] = ()
    recalls: tuple[RecallPetitionRead, ...] = ()
    report_flags: tuple[SessionRead, ...] = ()
    vote_flags: tuple[DelegateVoteRead, ...] = ()
    cargos: tuple[HoldingRead, ...] = ()


# A commitment of the right shape, for asking whether the member may still commit to a draw.
SAMPLE_COMMITMENT = "00" * 32


def _with_due(home: MemberHome, state: AssemblyState, allows: Callable[[Act], bool]) -> MemberHome:
    """`home` with everything a member may do now, as the core's rules say: questions to answer,
    objections to answer and amendments to accept on proposals under way, applicants to sponsor, lost-key
    claims to vouch for, swaps of turns offered to their household, proposals waiting for cosignatures,
    recall petitions to sign, draws to commit to and reports to file."""
    proposals = state.proposals.values()
    return replace(
        home,
        questions=tuple(
            QuestionDue(
                question=question.id,
                proposal=question.proposal,
                title=proposal_title(state.proposals[question.proposal]),
                method=question.method,
                meeting=question.meeting,
                deadline=question.deadline,
            )
            for question in state.questions.values()
            if not question.closed_seq
            and allows(VoteCast(question=question.id, choice=sample_ballot(state, question.id)))
        ),
        objections=tuple(
            ProposalDue(proposal=p.id, title=proposal_title(p), objection=o.id)
            for p in proposals
            if p.status in ("deliberation", "voting")
            for o in p.objections.values()
            if not (o.answer or o.withdrawn)
            and allows(ObjectionAnswered(proposal=p.id, objection=o.id, answer=SAMPLE))
        ),
        amendments=tuple(
            ProposalDue(proposal=p.id, title=proposal_title(p), amendment=a.id)
            for p in proposals
            if p.status == "deliberation"
            for a in p.amendments.values()
            if a.status == "proposed" and allows(AmendmentAccepted(proposal=p.id, amendment=a.id))
        ),
        applicants=tuple(
            ApplicantDue(key=a.key, household=said(a.household, a.seq), seq=a.seq)
            for a in state.applicants.values()
            if allows(MemberSponsored(applicant=a.key))
        ),
        claims=tuple(
            ClaimDue(key=c.key, member=said(c.member, c.seq), seq=c.seq)
            for c in state.key_claims.values()
            if allows(MemberKeyVouched(key=c.key))
        ),
        swaps=tuple(
            SwapDue(swap=o.id, cargo=o.cargo, household=said(o.household, o.id))
            for o in state.swap_offers.values()
            if not o.accepted_seq and allows(SwapAccepted(swap=o.id))
        ),
        cosign=tuple(
            ProposalDue(proposal=p.id, title=proposal_title(p))
            for p in proposals
            if p.status == "deliberation" and allows(ProposalCosigned(proposal=p.id))
        ),
        petitions=tuple(
            RecallDue(petition=r.id, cargo=r.cargo, member=r.member)
            for r in state.recall_petitions.values()
            if not r.question and allows(RecallSigned(petition=r.id))
        ),
        draws=tuple(
            DrawDue(draw=d.id, purpose=said(d.purpose, d.id), until=d.commit_until)
            for d in state.draws.values()
            if not d.completed_seq and allows(DrawCommitted(draw=d.id, commitment=SAMPLE_COMMITMENT))
        ),
        reports=tuple(
            ReportDue(body=s.body, session=said(s.session, s.seq), seq=s.seq, due=s.due)
            for s in sorted(state.sessions.values(), key=lambda s: s.seq)
            if not s.report_seq and allows(ReportFiled(body=s.body, session=s.session, text=SAMPLE))
        ),
    )


def _reveals_due(state: AssemblyState, *, key: str, now: int) -> tuple[DrawDue, ...]:
    """Draws whose secret the member committed to and may reveal now. The secret is on their device: the
    core refuses the probe's sample secret as not matching the commitment, which its rule checks last,
    so that refusal alone means "reveal now" (as on the draw's page, queries/cargo_forms.py)."""
    refused = acts_refused(state, key=key, now=now)
    member = state.key_owner.get(key, "")
    due = []
    for draw in state.draws.values():
        if member not in draw.commitments:
            continue  # nothing of theirs to reveal (and no commitment matches the sample either)
        probe = refused(DrawRevealed(draw=draw.id, secret=SAMPLE_COMMITMENT))
        if probe is not None and probe.detail.get("reason") == "reveal_does_not_match":
            due.append(DrawDue(draw=draw.id, purpose=said(draw.purpose, draw.id), until=draw.reveal_until))
    return tuple(due)


def _mandates_asked(state: AssemblyState, member: str) -> tuple[MandateAsked, ...]:
    """The delegates' requests for a mandate the assembly has not decided, but `member`'s own (those the
    `mandate_requested` reminder names too)."""
    return tuple(
        MandateAsked(body=r.body, question=said(r.question, seq), seq=seq)
        for seq, r in mandates_asked_of(state, member)
    )


def get_member_home(log: str, *, member: str, now: int) -> MemberHome:
    """What needs `member` now: meetings, questions to answer, objections, recalls, flags, their cargos."""

    def read(state: AssemblyState) -> MemberHome:
        meetings = sorted((state.meetings[m] for m in state.open_meetings), key=lambda m: (m.starts, m.id))
        record = state.members.get(member)
        # What the member may do now, as the core's rules say (the same rules run without applying).
        allows = acts_allowed(state, key=record.key if record else "", now=now)
        home = MemberHome(
            name=state.name,
            members=state.active_count,
            households=state.active_households,
            meetings=tuple(
                HomeMeeting(
                    id=m.id,
                    title=said(m.title, m.id),
                    starts=m.starts,
                    started=m.starts <= now,
                    present=member in m.present,
                    chair=m.chair,
                    plenary=is_plenary(state, m.id),
                )
                for m in meetings
            ),
            reveals=_reveals_due(state, key=record.key, now=now) if record else (),
            open_proposals=tuple(
                OpenProposal(proposal=p.id, title=proposal_title(p), meeting=p.meeting, status=p.status)
                for p in state.proposals.values()
                if p.status in ("deliberation", "voting")
            ),
            recalls=tuple(cargo_reads.recall_petitions(state, open_only=True)),
            report_flags=tuple(cargo_reads.report_flags(state, now=now)),
            vote_flags=tuple(cargo_reads.delegate_votes(state, flagged_only=True)),
            cargos=tuple(h for h in list_holdings(state, now=now) if h.member == member) if member else (),
        )
        return (
            replace(_with_due(home, state, allows), asked=_mandates_asked(state, member)) if member else home
        )

    return read_state_with_waiting(log, read)


# log -> (head seq, head hash, the instant asked at, the answer): an answer holds from the instant it
# was asked at until itself (core.assembly.clock_changes), for the same head.
_clock_changes: dict[str, tuple[int, str, int, int | None]] = {}


def get_next_clock_change(log: str, *, now: int) -> int | None:
    """The first node time after `now` at which the assembly's pages could read differently with the
    record unchanged (`core.assembly.clock_changes.next_clock_change`); None if nothing ahead depends
    on time."""
    seq, head = get_head(log)
    known = _clock_changes.get(log)
    if (
        known is not None
        and known[:2] == (seq, head)
        and known[2] <= now
        and (known[3] is None or now < known[3])
    ):
        return known[3]

    def read(state: AssemblyState) -> int | None:
        return next_clock_change(state, now)

    found = read_state(log, read)
    _clock_changes[log] = (*get_head(log), now, found)
    return found


@dataclass(frozen=True, slots=True)
class ProposalTitled(ReadModel):
    """A proposal named by its id and title (the title is the words of the act that wrote it)."""

    id: int
    title: Words


@dataclass(frozen=True, slots=True)
class CharterVersionRead(ReadModel):
    """One version of the charter: its number, the entry it took force at, the proposal that made it
    (None for the founding charter) and its plain-language sentences."""

    number: int
    seq: int
    proposal: ProposalTitled | None
    messages: tuple[CharterMessage, ...]


def list_charter_versions(log: str) -> tuple[CharterVersionRead, ...]:
    """Every version of the charter, newest first: the entry it took force at, the proposal that made it
    (none for the founding charter), and its plain-language messages."""

    def read(state: AssemblyState) -> tuple[CharterVersionRead, ...]:
        adopted_by = {
            p.decided_seq: ProposalTitled(id=p.id, title=proposal_title(p))
            for p in state.proposals.values()
            if p.matter == "charter_amendment" and p.status == "adopted"
        }
        versions = [
            CharterVersionRead(
                number=number, seq=seq, proposal=adopted_by.get(seq), messages=charter_messages(charter)
            )
            for number, (seq, charter) in enumerate(state.charters, start=1)
        ]
        return tuple(versions[::-1])

    return read_state(log, read)


def _ballot_counts(question: Question) -> list[tuple[str, int]]:
    """How many open ballots chose each answer (a list ballot counts once for every option it names)."""
    counts: Counter[str] = Counter()
    for choice in question.votes.values():
        counts.update(choice if isinstance(choice, tuple) else [choice])
    return sorted(counts.items())


@dataclass(frozen=True, slots=True)
class BusinessProposal(ReadModel):
    """A proposal on a meeting's business: id, title and where it stands."""

    id: int
    title: Words
    status: str


@dataclass(frozen=True, slots=True)
class OpenQuestionTally(ReadModel):
    """A question open in a meeting, with its running tally: (choice, ballots) pairs, counted from the
    ballots, so one ballot hidden from the reader hides the counts."""

    id: int
    proposal: int
    title: Words
    method: str
    round: int
    eligible: int
    voted: int
    counts: Sequence[tuple[str, int]] | SkipJsonSchema[Said] | None


@dataclass(frozen=True, slots=True)
class MeetingBusiness(ReadModel):
    """A meeting's proposals and its open questions with their running tallies."""

    proposals: tuple[BusinessProposal, ...]
    open_questions: tuple[OpenQuestionTally, ...]


def get_meeting_business(log: str, meeting_id: int) -> MeetingBusiness:
    """A meeting's proposals (id, title, status) and its open questions with their running tallies."""

    def read(state: AssemblyState) -> MeetingBusiness:
        meeting = state.meetings.get(meeting_id)
        if meeting is None:
            raise UnknownMeeting(meeting=meeting_id)
        proposals = [state.proposals[p] for p in meeting.proposals]
        questions = [state.questions[x] for x in meeting.questions if not state.questions[x].closed_seq]
        return MeetingBusiness(
            proposals=tuple(
                BusinessProposal(id=p.id, title=proposal_title(p), status=p.status) for p in proposals
            ),
            open_questions=tuple(
                OpenQuestionTally(
                    id=x.id,
                    proposal=x.proposal,
                    title=proposal_title(state.proposals[x.proposal]),
                    method=x.method,
                    round=x.round,
                    eligible=len(x.eligible),
                    voted=len(participants(state.proposals[x.proposal], x)),
                    counts=said(_ballot_counts(x), *ballot_seqs(state, x)),
                )
                for x in questions
            ),
        )

    return read_state(log, read)


@dataclass(frozen=True, slots=True)
class ProposalPlace:
    """Where a proposal stands beyond its description: its meeting (0: between meetings), when it was
    tabled, and the round objections raised now belong to."""

    meeting: int
    tabled_time: int
    round: int


def get_proposal_place(log: str, proposal_id: int) -> ProposalPlace:
    """Where a proposal stands beyond its description: its meeting, when tabled, its objections' round."""

    def read(state: AssemblyState) -> ProposalPlace:
        proposal = state.proposals.get(proposal_id)
        if proposal is None:
            raise UnknownProposal(proposal=proposal_id)
        return ProposalPlace(
            meeting=proposal.meeting, tabled_time=proposal.tabled_time, round=current_round(state, proposal)
        )

    return read_state(log, read)


# --- what outsiders may not read -------------------------------------------------------------------
# Acts whose body names the author's household: a household first written in a members-only body is
# members-only too.
HOUSEHOLD_ACTS = ("member.applied", "household.registered")


@dataclass(frozen=True, slots=True)
class MembersOnly:
    """What not everyone may read: `seqs`, the entries whose body is not public (an object named by such
    a seq shows outsiders only that it exists), `households_of`, the members whose household was written
    in such a body; and what nobody may read: `confidential`, the entries whose body is confidential, and
    `confidential_households_of`, the members whose household was written in one."""

    seqs: frozenset[int]
    households_of: frozenset[str]
    confidential: frozenset[int]
    confidential_households_of: frozenset[str]


def _members_only(
    private: Mapping[int, tuple[str, str]], confidential: frozenset[int], state: AssemblyState
) -> MembersOnly:
    owners = {**state.replaced_keys, **state.key_owner}
    households_of = frozenset(
        owners.get(author, author) for kind, author in private.values() if kind in HOUSEHOLD_ACTS
    )
    confidential_households_of = frozenset(
        owners.get(author, author)
        for seq, (kind, author) in private.items()
        if kind in HOUSEHOLD_ACTS and seq in confidential
    )
    return MembersOnly(
        seqs=frozenset(private),
        households_of=households_of,
        confidential=confidential,
        confidential_households_of=confidential_households_of,
    )


def get_members_only(log: str) -> MembersOnly:
    """What not everyone may read, and what nobody may (`MembersOnly`)."""
    return read_visibility_memo(log, "pages.members_only", _members_only)


def forget_members_only() -> None:
    """Drop the scanned visibilities (tests replace records under the same log)."""
    forget_replayed_reads()


# --- the subjects of the forms that table a matter -------------------------------------------------
@dataclass(frozen=True, slots=True)
class ApplicantSubject(ReadModel):
    """An applicant a proposal may admit: the household their application names (its words)."""

    key: str
    household: Words
    seq: int
    members_only: bool = False


@dataclass(frozen=True, slots=True)
class ClaimSubject(ReadModel):
    """A lost-key claim a proposal may settle: the member it names (its words), who vouched, and
    whether it waits outside the record, on this node (decision 0011)."""

    key: str
    member: Words
    seq: int
    vouchers: tuple[str, ...]
    waiting: bool
    members_only: bool = False


@dataclass(frozen=True, slots=True)
class DelegateSubject(ReadModel):
    """A federation's seated delegate a cargo may go to: their assembly, and their name and their
    assembly's name where this node holds their home record ("" elsewhere)."""

    key: str
    assembly: str
    name: str
    assembly_name: str


@dataclass(frozen=True, slots=True)
class MatterSubjects(ReadModel):
    """Whom or what a proposal may be about now: applicants, active and suspended members, pending key
    claims, cargos, the powers a new cargo may carry, and the charter's term for a cargo (ms)."""

    applicants: tuple[ApplicantSubject, ...]
    active: tuple[str, ...]
    suspended: tuple[str, ...]
    claims: tuple[ClaimSubject, ...]
    cargos: tuple[str, ...]
    powers: tuple[str, ...]
    term_ms: int
    delegates: tuple[DelegateSubject, ...] = ()  # a federation's seated delegates (decision 0030)


def list_matter_subjects(log: str, *, matter: str, now: int) -> MatterSubjects:
    """Whom or what a proposal of `matter` may be about now: applicants (admission), active or suspended
    members (suspension, reinstatement), pending key claims (key replacement), cargos and members (cargo
    assignment), the powers a new cargo may carry (cargo creation)."""
    waiting = list_waiting_keys(log)

    def read(state: AssemblyState) -> MatterSubjects:
        members = sorted(state.members.values(), key=lambda m: (m.household, m.since))
        return MatterSubjects(
            applicants=tuple(
                ApplicantSubject(
                    key=a.key,
                    household=said(
                        household_label(state, a.household), a.seq, *_named_by(state, a.household)
                    ),
                    seq=a.seq,
                )
                for a in sorted(state.applicants.values(), key=lambda a: a.seq)
            ),
            active=tuple(m.id for m in members if not m.suspended),
            suspended=tuple(m.id for m in members if m.suspended),
            claims=tuple(
                ClaimSubject(
                    key=c.key,
                    member=said(c.member, c.seq),
                    seq=c.seq,
                    vouchers=tuple(sorted(c.vouchers)),
                    waiting=c.key in waiting,
                )
                for c in sorted(state.key_claims.values(), key=lambda c: c.seq)
            ),
            cargos=tuple(sorted(state.cargos)),
            powers=tuple(POWERS),
            term_ms=state.rules.cargo.term_ms,
        )

    def seated(state: AssemblyState) -> tuple[tuple[str, str], ...]:
        # In a federation a cargo goes to a seated delegate (decision 0030): key and assembly, in seat order.
        if not is_federation(state):
            return ()
        return tuple((s.key, s.assembly) for s in standing_seats(state, now=now))

    subjects = read_state_with_waiting(log, read)
    seats = read_state(log, seated)
    if not seats:
        return subjects
    # federations reads visibility from this module, so it is imported where it is used
    from .federations import list_delegates

    named = list_delegates(log)  # as the federation's own pages name them
    delegates = tuple(
        DelegateSubject(
            key=key,
            assembly=assembly,
            name=named[key].name if key in named else "",
            assembly_name=named[key].assembly_name if key in named else "",
        )
        for key, assembly in seats
    )
    return replace(subjects, delegates=delegates)


@dataclass(frozen=True, slots=True)
class PetitionRead(ReadModel):
    """A petition to convene a meeting: its purpose (the petition's words), signers, signatures needed."""

    id: int
    purpose: Words
    signers: tuple[str, ...]
    needed: int


def list_petitions(log: str) -> tuple[PetitionRead, ...]:
    """Petitions to convene a meeting still collecting signatures: purpose, signers, signatures needed."""

    def read(state: AssemblyState) -> tuple[PetitionRead, ...]:
        needed = state.rules.needed("petition", members=member_base(state))
        return tuple(
            PetitionRead(id=p.id, purpose=said(p.purpose, p.id), signers=tuple(p.signers), needed=needed)
            for p in sorted(state.petitions.values(), key=lambda p: p.id)
        )

    return read_state(log, read)


def list_agenda_proposals(log: str) -> tuple[ProposalTitled, ...]:
    """Proposals still open (in discussion or being decided) that a meeting may put on its agenda."""

    def read(state: AssemblyState) -> tuple[ProposalTitled, ...]:
        return tuple(
            ProposalTitled(id=p.id, title=proposal_title(p))
            for p in sorted(state.proposals.values(), key=lambda p: p.id)
            if p.status in ("deliberation", "voting")
        )

    return read_state(log, read)


@dataclass(frozen=True, slots=True)
class ProposalEffect(ReadModel):
    """The effect a proposal applies when it passes, as its body wrote it (read-only): its shape is the
    one `matter`'s rule reads (core/proposals/effects.py); for a charter amendment, `charter` is the
    whole new charter (None for any other matter)."""

    proposal: int
    matter: str
    effect: Mapping[str, object]
    charter: Mapping[str, object] | None


def get_proposal_effect(log: str, proposal_id: int) -> ProposalEffect:
    """The effect a proposal applies when it passes (for a charter amendment: the whole new charter), a
    read-only copy: the state's own effect is never handed out."""

    def read(state: AssemblyState) -> ProposalEffect:
        proposal = state.proposals.get(proposal_id)
        if proposal is None:
            raise UnknownProposal(proposal=proposal_id)
        effect = MappingProxyType(deepcopy(proposal.effect))
        charter = effect.get("charter")
        return ProposalEffect(
            proposal=proposal.id,
            matter=proposal.matter,
            effect=effect,
            charter=MappingProxyType(charter)
            if proposal.matter == "charter_amendment" and isinstance(charter, dict)
            else None,
        )

    return read_state(log, read)


def get_counts_needed(log: str) -> dict[str, int]:
    """How many members each count of the charter needs now (sponsors, vouchers, petition, recall,
    cosigners; 0 where the route is a decision), at the assembly's current size."""
    return read_state(
        log, lambda state: {name: state.rules.needed(name, members=member_base(state)) for name in COUNTS}
    )


def check_charter_within_reach(log: str, charter: dict[str, Any]) -> None:
    """Raise ThresholdOutOfReach when `charter`, amending this assembly's, asks for more members than
    could give a count now (the rule the amendment meets when tabled)."""

    def read(state: AssemblyState) -> None:
        check_within_reach(parse_charter(charter), members=member_base(state), before=state.rules)

    read_state(log, read)


def get_tabling_cosigners(log: str) -> int:
    """How many members must cosign a proposal before it can come to a vote (0: nobody needs to)."""
    return read_state(log, lambda state: state.rules.needed("cosigners", members=member_base(state)))
