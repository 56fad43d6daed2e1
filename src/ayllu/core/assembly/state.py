"""The assembly's state as replay builds it: members, households, cargos, meetings, proposals, questions.

The state is mutable so that folding an entry costs what the entry changes, not the size of the
assembly. Contract (see `replay.apply_entry`): a caller hands its state to `apply_entry` and uses the
returned one; when a rule is broken nothing has been changed (every rule is checked before any write),
so a write path may try an act on its live state. `copy_state` gives an independent copy when needed.

Ids: every object is named by the `seq` of the entry that created it (a meeting by the seq of
`meeting.convened` or of the petition that convened it, a proposal by `proposal.tabled`, ...). Members are
named by the key they joined with (their member id), which stays when their key is replaced.
"""

import copy
from collections.abc import Callable
from dataclasses import FrozenInstanceError, dataclass, field, fields
from fractions import Fraction
from types import MappingProxyType
from typing import Any

from ayllu.core.charter.rules import Charter, MethodSpec

# --- cargos, mandates, recall petitions and draws --------------------------------------------------


@dataclass(slots=True)
class Term:
    """One holder's term of one cargo; `end` (exclusive, ms) is cut short by a recall or by leaving."""

    cargo: str
    member: str
    household: str
    start: int
    end: int
    seq: int
    how: str  # founding, decision, turn, relax_rest_period
    ended_by: str = ""  # recall, left, turn_taken (handed to another member of the household)


@dataclass(slots=True)
class ExemptionGrant:
    """An exemption from turns granted by decision, to a household or to one member, for [start, end)."""

    seq: int
    start: int
    end: int
    reason: str
    household: str = ""
    member: str = ""


@dataclass(slots=True)
class SwapOffer:
    """A household offers to swap its place in a cargo's turn order with another; open until accepted."""

    id: int
    cargo: str
    household: str
    other: str
    by: str
    accepted_seq: int = 0
    at: int = 0


@dataclass(slots=True)
class Mandate:
    """The assembly's position on one question of another body, the outcome of decision `proposal`."""

    body: str
    question: str
    position: str
    proposal: int
    seq: int


@dataclass(frozen=True, slots=True)
class MandateRequest:
    """A delegate's request (`by`, at `seq`) for the assembly's position on `question` of `body`. Kept as
    the event that recorded it carries it (mandates/acts.py `MandateAsked`)."""

    seq: int
    body: str
    question: str
    text: str
    by: str


@dataclass(frozen=True, slots=True)
class DelegateAct:
    """A delegate's vote in another body: cast through ayllu (`cast`) or reported afterwards. Kept as
    the event that recorded it carries it (mandates/acts.py `DelegateVoteRecorded`)."""

    seq: int
    time: int
    delegate: str
    body: str
    session: str
    question: str
    choice: str
    cast: bool
    flag: str = ""  # contrary_to_mandate, without_mandate (reported votes only)
    reporter: str = ""


@dataclass(slots=True)
class Session:
    """A session of another body the assembly is represented in; a report is due after it."""

    body: str
    session: str
    seq: int
    time: int
    due: int
    delegates: list[str] = field(default_factory=list)
    report_seq: int = 0
    report_by: str = ""


@dataclass(slots=True)
class RecallPetition:
    """A petition to recall `member` from `cargo`; at the charter's signatures a question opens."""

    id: int
    cargo: str
    member: str
    reason: str
    opened_time: int
    signers: list[str] = field(default_factory=list)
    question: int = 0


@dataclass(slots=True)
class Draw:
    """A panel drawn by lot: the lottery fixed first, then commitments, reveals and the chosen panel."""

    id: int
    by: str
    purpose: str
    pool: dict[str, dict[str, str]]
    quotas: list[dict[str, Any]]
    panel_size: int
    # the numbered list of panels as seats per type (the pool's types in canonical order)
    lottery: tuple[tuple[int, ...], ...]
    lottery_hash: str
    commit_until: int
    reveal_until: int
    beacon_chain: list[dict[str, Any]]
    beacon_after: int
    commitments: dict[str, str] = field(default_factory=dict)
    reveals: dict[str, str] = field(default_factory=dict)
    completed_seq: int = 0
    index: int = -1
    panel: tuple[str, ...] = ()
    beacon: dict[str, Any] = field(default_factory=dict)
    seed: str = ""
    withheld: tuple[str, ...] = ()
    # the rounding's largest shift of anyone's chance and the list's lowest chance, in millionths (None in
    # records written before they were recorded)
    largest_shift_ppm: int | None = None
    lowest_chance_ppm: int | None = None
    leximin_lowest_ppm: int | None = None


# --- members, meetings, proposals, questions ------------------------------------------------------
@dataclass(slots=True)
class Member:
    id: str
    key: str
    household: str
    since: int
    suspended: bool = False


@dataclass(slots=True)
class Applicant:
    key: str
    household: str
    seq: int
    sponsors: set[str] = field(default_factory=set)


@dataclass(slots=True)
class KeyClaim:
    """A new key claiming to be a member's (lost device); it needs vouchers or a decision."""

    key: str
    member: str
    seq: int
    vouchers: set[str] = field(default_factory=set)


@dataclass(slots=True)
class Cargo:
    """A role, who holds it until when (ms), and (once created by decision) its powers and turns.

    A cargo named only by founding or by a `cargo_assignment` decision has `created_seq` 0 and is not
    filled by turn (cargos.py gives the two historical names their powers).
    """

    name: str
    holders: dict[str, int] = field(default_factory=dict)
    powers: tuple[str, ...] = ()
    burden: int = 1
    term_ms: int = 0
    seats: int = 1
    created_seq: int = 0
    terms: list[Term] = field(default_factory=list)
    # When the next term of a turn cargo starts (ms); replay fills it once an entry's time reaches it.
    next_start: int = 0
    # When the turn order could not fill the cargo and the assembly must decide (0: not waiting).
    asks_assembly_since: int = 0

    def held_by(self, member: str, *, now: int) -> bool:
        return self.holders.get(member, -1) > now


@dataclass(slots=True)
class Seat:
    """A delegate's seat in a federation for one member assembly, from the credential it cites.

    It stands from `time` until `until` (the credential's end) or `ended` (when a later seat replaced
    it), whichever is first. `credential` is the cited home entry: (log, seq, entry hash).
    """

    key: str
    assembly: str
    seq: int
    time: int
    until: int
    credential: tuple[str, int, str]
    ended: int = 0
    ended_by: int = 0  # the seq of the seat that replaced it

    def stands(self, *, now: int) -> bool:
        return self.time <= now < (min(self.until, self.ended) if self.ended else self.until)


@dataclass(slots=True)
class MemberAssembly:
    """An assembly that is a member of this federation: at its founding, or joined by a delegate's seat."""

    log: str
    seq: int
    founding: bool
    seats: list[Seat] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class RatificationAnswer:
    """A member assembly's answer to a federation resolution, cited from its home record: yes or no, and
    the households the home record counted when it decided (`cited`: the home entry's log, seq, hash)."""

    assembly: str
    yes: bool
    households: int
    seq: int
    time: int
    cited: tuple[str, int, str]


@dataclass(slots=True)
class Resolution:
    """A federation's decision that its member assemblies must ratify (core/federations/ratification.py).

    `members` are the member assemblies when it was adopted, the only ones whose answers count; the
    weighting is the charter's then (`rule`, `share` as the resolution asked, `cap`, `households_share`,
    `blocking`), and answers are taken until `deadline`.
    """

    proposal: int
    seq: int
    time: int
    rule: str
    share: Fraction
    deadline: int
    members: tuple[str, ...]
    cap: int = 0
    households_share: Fraction = Fraction(0)
    blocking: int = 0
    answers: dict[str, RatificationAnswer] = field(default_factory=dict)


@dataclass(slots=True)
class DelegationBallot:
    """A member assembly's voice on a federation question, cast by one of its seated delegates
    (`federation.voted`, core/federations/voting.py): the credential and the mandate it cites."""

    seq: int
    time: int
    question: int
    assembly: str
    key: str
    choice: str
    credential: tuple[str, int]
    mandate: tuple[str, int] | None  # the cited `delegate.mandated` (log, seq), None when abstaining
    position: str | None  # the position that mandate states


@dataclass(slots=True)
class Credential:
    """A home delegate's credential for a federation (`delegate.accredited`): what the federation cites."""

    seq: int
    time: int
    member: str
    federation: str
    until: int


@dataclass(slots=True)
class OfficeHolder:
    """A person named to a federation office by the assembly whose turn it is, from their credential.

    They hold it from `since` until `until` (the credential's or the term's end, or when their assembly
    names someone else), unless a petition of member assemblies suspends them from `suspended`.
    """

    key: str
    since: int
    until: int
    seq: int
    credential: tuple[str, int, str]
    suspended: int = 0
    suspended_by: int = 0

    def holds(self, *, now: int) -> bool:
        return self.since <= now < self.until and not (self.suspended and self.suspended <= now)


@dataclass(slots=True)
class OfficeTerm:
    """One term of a federation office: the member assembly whose turn it is (empty when none may take
    it: the federation decides), and the people it named, in order."""

    office: str
    assembly: str
    start: int
    end: int
    outcome: str
    holders: list[OfficeHolder] = field(default_factory=list)

    def holder(self, *, now: int) -> OfficeHolder | None:
        current = self.holders[-1] if self.holders else None
        return current if current is not None and current.holds(now=now) else None


@dataclass(slots=True)
class OverflowPetition:
    """A petition of member assemblies, each by its own decision cited in: `backers` maps each assembly
    to the seq of the act that cited its decision; complete once the charter's number is reached."""

    question: str
    action: str
    target: str
    opened_seq: int
    backers: dict[str, int] = field(default_factory=dict)
    completed_seq: int = 0
    completed_time: int = 0
    # assembly -> when its backing lapses (the charter's `petition_days` after the home entry's time)
    lapses: dict[str, int] = field(default_factory=dict)


@dataclass(slots=True)
class RecallVote:
    """The recall vote a suspension by petition opens (id: the seq of the entry that suspended): one
    voice per member assembly eligible when it opened, cast by seated delegates under stated mandates
    (core/federations/recall_vote.py); `outcome` "confirmed" or "lifted" once closed."""

    id: int
    office: str
    term_start: int
    holder: str
    deadline: int
    eligible: tuple[str, ...]
    ballots: list["DelegationBallot"] = field(default_factory=list)
    mandates: dict[str, int] = field(default_factory=dict)
    closed_seq: int = 0
    closed_time: int = 0
    outcome: str = ""


@dataclass(slots=True)
class Plenary:
    """A federation plenary a petition convened: the meeting of that id, its sittings and who is present
    at the current one (delegate key -> their assembly). `postponed` holds (seq, time, sitting's start)
    of each sitting postponed for want of quorum (core/federations/plenary.py)."""

    meeting: int
    starts: int
    sitting: int = 1
    present: dict[str, str] = field(default_factory=dict)
    opened_seq: int = 0
    opened_time: int = 0
    postponed: list[tuple[int, int, int]] = field(default_factory=list)
    chair_seq: int = 0  # the entry by which the meeting's chair took it (decision 0030)


@dataclass(slots=True)
class FederationOffices:
    """A federation's offices by turn and its overflow petitions; in a home assembly, the office
    credentials and petition backings its members issued (core/federations/offices.py, petitions.py)."""

    next_start: dict[str, int] = field(default_factory=dict)
    terms: dict[str, list[OfficeTerm]] = field(default_factory=dict)
    petitions: dict[str, OverflowPetition] = field(default_factory=dict)
    # (seq, time, starts, question) of each plenary a petition convened
    plenaries: list[tuple[int, int, int, str]] = field(default_factory=list)
    # the meeting's id -> the plenary it is (core/federations/plenary.py)
    sittings: dict[int, "Plenary"] = field(default_factory=dict)
    # the recall votes suspensions opened, by id (core/federations/recall_vote.py)
    recall_votes: dict[int, "RecallVote"] = field(default_factory=dict)
    # resolution (the proposal's id) -> the seq of the petition act that withdrew it
    withdrawn: dict[int, int] = field(default_factory=dict)
    # home: seq -> (member, federation, office, until) and seq -> (federation, question, decision)
    credentials: dict[int, tuple[str, str, str, int]] = field(default_factory=dict)
    backings: dict[int, tuple[str, str, int]] = field(default_factory=dict)


@dataclass(slots=True)
class Petition:
    id: int
    purpose: str
    signers: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Meeting:
    id: int
    chair: str
    title: str
    starts: int
    by_petition: bool
    closed_seq: int = 0
    present: set[str] = field(default_factory=set)
    attended: list[str] = field(default_factory=list)
    agenda: list[dict[str, Any]] = field(default_factory=list)
    queue: dict[str, int] = field(default_factory=dict)
    turns: dict[str, int] = field(default_factory=dict)
    speaker: str = ""
    speaker_since: int = 0
    points: dict[int, dict[str, Any]] = field(default_factory=dict)
    notes: list[dict[str, Any]] = field(default_factory=list)
    questions: list[int] = field(default_factory=list)
    proposals: list[int] = field(default_factory=list)


@dataclass(slots=True)
class Objection:
    id: int
    member: str
    reason: str
    round: int
    answer: str = ""
    answer_seq: int = 0  # the seq of the objection.answered that wrote `answer` (core/assembly/words.py)
    withdrawn: bool = False


@dataclass(slots=True)
class Amendment:
    id: int
    member: str
    title: str
    text: str
    status: str = "proposed"


@dataclass(slots=True)
class Proposal:
    id: int
    author: str
    matter: str
    title: str
    text: str
    effect: dict[str, Any]
    options: list[str]
    meeting: int
    tabled_time: int
    seed: str
    cosigners: set[str] = field(default_factory=set)
    status: str = "deliberation"
    rounds: int = 0
    questions: list[int] = field(default_factory=list)
    amendments: dict[int, Amendment] = field(default_factory=dict)
    objections: dict[int, Objection] = field(default_factory=dict)
    comments: list[int] = field(default_factory=list)
    past_rounds: list[Any] = field(default_factory=list)
    fallback_of: Any = None
    decided_seq: int = 0
    effect_applied: bool = False
    # The seq of the act whose words `title` and `text` are: the tabling (0), or the accepted amendment.
    words_seq: int = 0


@dataclass(slots=True)
class Question:
    """One round of decision on a proposal; `eligible` maps member to household, frozen at opening."""

    id: int
    proposal: int
    spec: MethodSpec
    round: int
    meeting: int
    deadline: int
    opened_time: int
    eligible: dict[str, str]
    votes: dict[str, Any] = field(default_factory=dict)
    # member -> the seq of the vote.cast that holds their choice (and block reason): core/assembly/words.py
    ballot_seqs: dict[str, int] = field(default_factory=dict)
    closed_seq: int = 0
    outcome: Any = None
    fallback_of: Any = None
    block_reasons: dict[str, str] = field(default_factory=dict)

    @property
    def method(self) -> str:
        """How its ballots are counted: by its spec's method, and a fallback (the round after consent or
        consensus ran out) by the charter's majority vote."""
        return "majority" if self.fallback_of is not None else self.spec.method


@dataclass(slots=True)
class AssemblyState:
    """What replay knows about one assembly after some prefix of its record."""

    log: str
    size: int = 0
    last_time: int = 0
    name: str = ""
    charter: Charter | None = None
    charters: list[tuple[int, Charter]] = field(default_factory=list)
    members: dict[str, Member] = field(default_factory=dict)
    active_count: int = 0
    household_active: dict[str, int] = field(default_factory=dict)
    active_households: int = 0
    key_owner: dict[str, str] = field(default_factory=dict)
    replaced_keys: dict[str, str] = field(default_factory=dict)
    former_members: dict[str, Member] = field(default_factory=dict)
    households: dict[str, set[str]] = field(default_factory=dict)
    # The name people gave each household, by household id, and the seq of the act whose words gave it,
    # where this node holds those words (format 2: an id is opaque rule data, its name is words under that
    # act's visibility; a household without a name, such as a format-1 one, is called by its id).
    household_names: dict[str, tuple[str, int]] = field(default_factory=dict)
    # The name each member chose to be called by (member.named), by member id, and the seq of the act
    # whose words gave it (words under that act's visibility, like a household's name).
    member_names: dict[str, tuple[str, int]] = field(default_factory=dict)
    applicants: dict[str, Applicant] = field(default_factory=dict)
    key_claims: dict[str, KeyClaim] = field(default_factory=dict)
    cargos: dict[str, Cargo] = field(default_factory=dict)
    petitions: dict[int, Petition] = field(default_factory=dict)
    meetings: dict[int, Meeting] = field(default_factory=dict)
    open_meetings: set[int] = field(default_factory=set)
    proposals: dict[int, Proposal] = field(default_factory=dict)
    questions: dict[int, Question] = field(default_factory=dict)
    notices: int = 0
    # The time of the entry being folded (replay sets it first): decisions' effects start then.
    now: int = 0
    # Issue 4: turns, exemptions, swaps, mandates, delegates' acts, recall petitions, draws.
    next_turn_at: int = 0
    exemptions: list[ExemptionGrant] = field(default_factory=list)
    swap_offers: dict[int, SwapOffer] = field(default_factory=dict)
    mandates: dict[tuple[str, str], Mandate] = field(default_factory=dict)
    mandate_requests: dict[int, MandateRequest] = field(default_factory=dict)
    delegate_acts: list[DelegateAct] = field(default_factory=list)
    sessions: dict[tuple[str, str], Session] = field(default_factory=dict)
    recall_petitions: dict[int, RecallPetition] = field(default_factory=dict)
    draws: dict[int, Draw] = field(default_factory=dict)
    # The node that seals this record now: the first entry's, until a `record.moved` (succession.py).
    node: str = ""
    # Acts whose words may be erased, by seq: the member id (or, for a non-member, the key) that wrote
    # them; and the seqs whose words an erasure act erased (erasure.py).
    words_by: dict[int, str] = field(default_factory=dict)
    erased_words: set[int] = field(default_factory=set)
    # Entries of other records cited by this record's acts, by the citing act's seq: (log, seq, entry
    # hash, type) of each (citing.py, docs/record-format.md 14).
    cited: dict[int, tuple[tuple[str, int, str, str], ...]] = field(default_factory=dict)
    # A federation's member assemblies by log id (empty for an assembly), and the credentials this
    # assembly's delegates issued for federations, by seq (core/federations/).
    member_assemblies: dict[str, MemberAssembly] = field(default_factory=dict)
    # Joining and leaving by decisions (core/federations/joining.py): in a federation, assemblies that
    # left (with their seats), the federation's decision (proposal id) each joining used, and the home
    # seq of the last membership statement cited per assembly; in a home record, its statements by seq:
    # (federation, action, decision).
    former_assemblies: dict[str, MemberAssembly] = field(default_factory=dict)
    joined_by: dict[str, int] = field(default_factory=dict)
    membership_cited: dict[str, int] = field(default_factory=dict)
    membership_stated: dict[int, tuple[str, str, int]] = field(default_factory=dict)
    credentials: dict[int, Credential] = field(default_factory=dict)
    # A federation's seats by the credential each cites, (home log, credential seq): a credential seats
    # one delegate once, and a delegate's acts name the seat by it (seats.py, voting.py): looked up, not
    # searched for among every member's seats.
    seats_by_credential: dict[tuple[str, int], Seat] = field(default_factory=dict)
    # A federation's offices by turn and overflow petitions; a home's office credentials and backings.
    offices: FederationOffices = field(default_factory=FederationOffices)
    # A federation's questions as its member assemblies' delegates voted them, in record order, and per
    # (assembly, question) the highest home seq of a mandate cited; in a home record, the mandates it
    # stated for federations (`delegate.mandated`) by seq: (federation, question, position)
    # (core/federations/voting.py, mandated.py).
    delegation_ballots: list[DelegationBallot] = field(default_factory=list)
    mandates_cited: dict[tuple[str, int], int] = field(default_factory=dict)
    mandates_stated: dict[int, tuple[str, int, str]] = field(default_factory=dict)
    # Recall reaching a federation (core/federations/recall_cited.py): in a home record, the withdrawals
    # it stated by seq, (federation, credential seq, at); in a federation, the withdrawals cited, by
    # (assembly, credential seq): the seq of the citing entry.
    withdrawals_stated: dict[int, tuple[str, int, int]] = field(default_factory=dict)
    recalls_cited: dict[tuple[str, int], int] = field(default_factory=dict)
    # ... and, by the same key, the time from which each cited recall counts (the withdrawal's `at`).
    recalls_at: dict[tuple[str, int], int] = field(default_factory=dict)
    # A federation's resolutions awaiting or past ratification, by the proposal that adopted them; and,
    # in a home assembly, the entry that recorded each ratification decision, by its proposal.
    resolutions: dict[int, Resolution] = field(default_factory=dict)
    ratifications_recorded: dict[int, int] = field(default_factory=dict)

    @property
    def rules(self) -> Charter:
        """The charter in force; only valid after founding."""
        assert self.charter is not None
        return self.charter

    def active_members(self) -> list[str]:
        return [m for m, member in self.members.items() if not member.suspended]

    def is_active(self, member: str) -> bool:
        record = self.members.get(member)
        return record is not None and not record.suspended


def copy_state(state: AssemblyState) -> AssemblyState:
    """An independent deep copy, for callers that must keep a state after handing it to replay (or
    change a shared one, `FrozenState`)."""
    if isinstance(state, FrozenState):
        state = state.source
    # Outcomes and charters are never changed after they are made, so the copy shares them.
    memo: dict[int, Any] = {}
    for _, charter in state.charters:
        memo[id(charter)] = charter
    for question in state.questions.values():
        for shared in (question.outcome, question.fallback_of):
            memo[id(shared)] = shared
    for proposal in state.proposals.values():
        memo[id(proposal.fallback_of)] = proposal.fallback_of
    return copy.deepcopy(state, memo)


class FrozenState(AssemblyState):
    """A read-only face of a state that readers share (the replayed-record cache): setting a field
    raises, and its maps, lists and sets are read-only (`MappingProxyType`, tuples, frozensets) over
    the state's own maps, so reading it costs nothing more and no reader can change what the others
    read. The objects held in them (members, proposals, ...) are the state's own: readers must not
    change them either. `copy_state` gives a state of the caller's own to change."""

    __slots__ = ("source",)
    source: AssemblyState

    def __setattr__(self, name: str, value: object) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r} of a shared state")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r} of a shared state")


def frozen_view(state: AssemblyState) -> AssemblyState:
    """A read-only face of `state` (`FrozenState`), for readers who share it; valid while nobody
    changes `state` (a state stops being shared before a writer folds into it)."""
    if isinstance(state, FrozenState):
        return state
    view = object.__new__(FrozenState)
    for name in _PLAIN:
        object.__setattr__(view, name, getattr(state, name))
    for name, read_only in _CONTAINERS:
        object.__setattr__(view, name, read_only(getattr(state, name)))
    object.__setattr__(view, "source", state)
    return view


# Each field holding a map, list or set, with the read-only form readers get of it; every other field
# holds a value or an object of its own (a charter, the federation's offices).
_READ_ONLY: dict[object, Callable[[Any], object]] = {dict: MappingProxyType, list: tuple, set: frozenset}
_CONTAINERS = tuple(
    (f.name, _READ_ONLY[f.default_factory]) for f in fields(AssemblyState) if f.default_factory in _READ_ONLY
)
_PLAIN = tuple(f.name for f in fields(AssemblyState) if f.default_factory not in _READ_ONLY)
