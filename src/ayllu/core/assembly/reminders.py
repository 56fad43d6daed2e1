"""What the record and the clock ask of one member now: the reminders a node may send them.

A reminder is derived, never stored in the record: the same state, `now` and member always give the same
reminders, so a node can ask again at any time and a message already queued for a reminder is known by
its id. The id names the kind and the object (`question-closing:42`); together with the member it names
one message per channel, so asking twice enqueues nothing twice.

Kinds, and whom each concerns:
- `question_opened`: an open question the member may vote on (eligible when it opened) and has not,
  between meetings (one opened in a meeting is voted on there);
- `question_closing`: the same, when its deadline is within `CLOSING_MS`;
- `meeting_convened`: a meeting not yet started and not closed (every member);
- `meeting_starting`: the same, starting within `STARTING_MS`;
- `turn_coming`: a term their household is due to serve by turn, starting within `turn_days` days;
- `term_ending`: a term the member holds, ending within `TERM_ENDING_MS`;
- `report_overdue`: a session of another body they represented the assembly in, whose report is due and
  not filed;
- `swap_offered`: a swap of place in a turn order offered to their household and not accepted;
- `mandate_requested`: a delegate asked for a mandate on a question the assembly has not decided (every
  member but the delegate);
- `recall_petitioned`: a recall petition still gathering signatures against someone who still holds the
  cargo, that the member may sign and has not (every active member but the signers and the holder);
- `recall_vote`: a recall vote open that the member may vote on and has not (it stands for
  `question_opened` on a recall question; `question_closing` follows it as for any question, naming the
  cargo instead of a title).

- `ratification_due`: a resolution of a federation the assembly is a member of, pending, that the
  assembly has not answered (no `ratification.recorded` for it in this record) before its deadline
  (every active member); the federation's side is read from its own record and given as `awaited`
  (`core.federations.ratification.list_awaited_answers`);
- `ratification_closing`: the same, when its deadline is within `CLOSING_MS`;
- `vote_flagged`: an alert: a delegate's vote in another body went against the assembly's mandate or had
  none (the flag the home page shows among its alerts), for `ALERT_MS` after the vote (every active
  member but the delegate).

Not derived here, because the core holds them not yet: the alert cascades of collective actions.

Words (a meeting's or a proposal's title, a federation's name) are `Said`: the channel shows them through
`shown_to` to the reader it may carry them to; `source` names the record whose seqs they are ("" for
this one: a resolution's words are its federation's). Bodies' names and the words of a mandate request
are left out: a message names the object and links to its page.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ayllu.core.assembly.state import AssemblyState
from ayllu.core.assembly.words import Said, said
from ayllu.core.cargos.reads import list_holdings, list_turn_order_ahead
from ayllu.core.federations.ratification import AwaitedAnswer, decided_answer
from ayllu.core.mandates.acts import mandates_asked_of
from ayllu.core.mandates.recall import RECALL
from ayllu.core.meetings.minutes import proposal_title

HOUR_MS = 3600 * 1000
DAY_MS = 24 * HOUR_MS
CLOSING_MS = DAY_MS
STARTING_MS = HOUR_MS
TERM_ENDING_MS = 7 * DAY_MS
TURN_DAYS = 7
ALERT_MS = 7 * DAY_MS  # a flagged vote is news for a week: a member who joins later reads it on the pages

KINDS = (
    "question_opened",
    "question_closing",
    "meeting_convened",
    "meeting_starting",
    "turn_coming",
    "term_ending",
    "report_overdue",
    "swap_offered",
    "mandate_requested",
    "recall_petitioned",
    "recall_vote",
    "ratification_due",
    "ratification_closing",
    "vote_flagged",
)


@dataclass(frozen=True, slots=True)
class Reminder:
    """One thing a member should hear of: `id` is stable for the object, `at` the moment it is about (a
    deadline, a start, an end, a due date; 0 when none), `about` the id (a seq) of the object whose page
    the member acts on (a question's proposal, a meeting, a swap, a session, a request), `cargo` the
    cargo of a term or swap, `title` the object's words; `body` the name of the body it comes from (a
    federation's) and `source` the record whose seqs `title` and `body` carry ("" for this one); `flag`
    the mandate flag of a flagged vote (`contrary_to_mandate`, `without_mandate`)."""

    id: str
    kind: str
    at: int
    about: int = 0
    cargo: str = ""
    title: Said | None = None
    body: Said | None = None
    source: str = ""
    flag: str = ""


def list_reminders(
    state: AssemblyState,
    *,
    now: int,
    member: str,
    turn_days: int = TURN_DAYS,
    awaited: Sequence[AwaitedAnswer] = (),
) -> list[Reminder]:
    """The reminders that concern `member` (a member id) at `now`, by kind then id; none for a non-member.
    `awaited` are the federations' resolutions still awaiting this assembly's answer, as read from the
    federations' own records."""
    return list_reminders_of(state, now=now, members=[member], turn_days=turn_days, awaited=awaited)[member]


def list_reminders_of(
    state: AssemblyState,
    *,
    now: int,
    members: Iterable[str],
    turn_days: int = TURN_DAYS,
    awaited: Sequence[AwaitedAnswer] = (),
) -> dict[str, list[Reminder]]:
    """`list_reminders` for each of `members`, reading the turn order and the terms held once for all."""
    horizon = now + turn_days * DAY_MS
    months = max(1, -(-turn_days // 28))
    turns = [t for t in list_turn_order_ahead(state, now=now, months=months) if now < t.start <= horizon]
    ending = [h for h in list_holdings(state, now=now) if h.until - now <= TERM_ENDING_MS]
    meetings = _meetings(state, now=now)
    petitions = [
        p
        for p in state.recall_petitions.values()
        if not p.question and p.cargo in state.cargos and state.cargos[p.cargo].held_by(p.member, now=now)
    ]
    ratifications = _ratifications(state, awaited=awaited, now=now)
    flagged = [a for a in state.delegate_acts if a.flag and now - ALERT_MS < a.time <= now]
    found: dict[str, list[Reminder]] = {}
    for member in members:
        record = state.members.get(member)
        if record is None:
            found[member] = []
            continue
        household = record.household
        reminders = _questions(state, now=now, member=member) + meetings
        reminders += [
            Reminder(f"turn-coming:{t.cargo}:{t.start}", "turn_coming", t.start, cargo=t.cargo)
            for t in turns
            if any(h.household == household for h in t.holders)
        ]
        reminders += [
            Reminder(f"term-ending:{h.cargo}:{h.start}", "term_ending", h.until, cargo=h.cargo)
            for h in ending
            if h.member == member
        ]
        reminders += _reports(state, now=now, member=member)
        reminders += [
            Reminder(f"swap-offered:{o.id}", "swap_offered", 0, about=o.id, cargo=o.cargo)
            for o in state.swap_offers.values()
            if not o.accepted_seq and o.other == household
        ]
        reminders += [
            Reminder(f"mandate-requested:{seq}", "mandate_requested", 0, about=seq)
            for seq, _ in mandates_asked_of(state, member)
        ]
        if not record.suspended:
            reminders += [
                Reminder(f"recall-petitioned:{p.id}", "recall_petitioned", 0, about=p.id, cargo=p.cargo)
                for p in petitions
                if member != p.member and member not in p.signers
            ]
            reminders += ratifications
            reminders += [
                Reminder(f"vote-flagged:{a.seq}", "vote_flagged", a.time, about=a.seq, flag=a.flag)
                for a in flagged
                if a.delegate != member
            ]
        found[member] = sorted(reminders, key=lambda r: (KINDS.index(r.kind), r.at, r.id))
    return found


def _questions(state: AssemblyState, *, now: int, member: str) -> list[Reminder]:
    reminders = []
    for q in state.questions.values():
        # A question opened in a meeting (no deadline) is voted on there, by those present: no message.
        if q.closed_seq or not q.deadline or q.deadline <= now:
            continue
        if member not in q.eligible or member in q.votes:
            continue
        proposal = state.proposals[q.proposal]
        # A recall's title is its cargo: its messages name the cargo (rule data) and carry no words.
        recall = proposal.matter == RECALL
        cargo = str(proposal.effect.get("cargo", "")) if recall else ""
        title = None if recall else proposal_title(proposal)
        kind, name = ("recall_vote", "recall-vote") if recall else ("question_opened", "question-opened")
        reminders.append(Reminder(f"{name}:{q.id}", kind, q.deadline, q.proposal, cargo=cargo, title=title))
        if q.deadline - now <= CLOSING_MS:
            closing = f"question-closing:{q.id}"
            reminders.append(Reminder(closing, "question_closing", q.deadline, q.proposal, cargo, title))
    return reminders


def _meetings(state: AssemblyState, *, now: int) -> list[Reminder]:
    reminders = []
    for m in state.meetings.values():
        if m.closed_seq or m.starts <= now:
            continue
        title = said(m.title, m.id)
        reminders.append(
            Reminder(f"meeting-convened:{m.id}", "meeting_convened", m.starts, m.id, title=title)
        )
        if m.starts - now <= STARTING_MS:
            reminders.append(
                Reminder(f"meeting-starting:{m.id}", "meeting_starting", m.starts, m.id, title=title)
            )
    return reminders


def _reports(state: AssemblyState, *, now: int, member: str) -> list[Reminder]:
    return [
        Reminder(f"report-overdue:{s.seq}", "report_overdue", s.due, s.seq)
        for s in state.sessions.values()
        if not s.report_seq and s.due <= now and member in s.delegates
    ]


def _ratifications(state: AssemblyState, *, awaited: Sequence[AwaitedAnswer], now: int) -> list[Reminder]:
    """A reminder for each resolution awaiting this assembly's answer that this record has not recorded
    (a `ratification.recorded` of a decision on it), about the decision under way if there is one (0:
    the home page's "our federations", where the next step is offered)."""
    decisions: dict[tuple[str, int], int] = {}
    recorded: set[tuple[str, int]] = set()
    for p in sorted(state.proposals.values(), key=lambda p: p.id):
        if p.matter != "ratification" or p.status == "withdrawn":
            continue
        key = (str(p.effect.get("federation", "")), int(p.effect.get("resolution", 0)))
        decisions[key] = 0 if decided_answer(state, p) else p.id
        if p.id in state.ratifications_recorded:
            recorded.add(key)
    reminders = []
    for a in awaited:
        key = (a.federation, a.resolution)
        if key in recorded or a.deadline <= now:
            continue
        about, name = decisions.get(key, 0), f"{a.federation}:{a.resolution}"
        kinds = [("ratification_due", "ratification-due")]
        if a.deadline - now <= CLOSING_MS:
            kinds.append(("ratification_closing", "ratification-closing"))
        reminders += [
            Reminder(f"{prefix}:{name}", kind, a.deadline, about, "", a.title, a.name, a.federation)
            for kind, prefix in kinds
        ]
    return reminders
