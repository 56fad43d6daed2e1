"""A federation's plenary: convened by a petition of member assemblies, held as a meeting of the
federation's record, postponed as the charter says when it lacks quorum (docs/federation-bodies.md,
decision 0028).

A completed `convene` petition (petitions.py) creates a meeting whose id is the seq of the citation that
completed it, starting at the date the petition named (within the charter's `min_notice_days` and
`max_notice_days` of that entry: `plenary_too_soon`, `plenary_too_far`). No office holder acts: the
meeting is on the federation's meetings page and calendar from that entry on.

Presence is per member assembly, counted through seated delegates:

- federation.plenary_present {meeting, cites}: signed by a seated delegate's own key, citing the
  credential their standing seat rests on (the seat is found by `voting.seat_on`, the one federation
  votes use). Refused: not a plenary (`not_a_plenary`), a plenary already closed, a sitting not started
  yet (`meeting_not_started`), a key with no seat standing on that credential (`not_seated`), a
  delegate already present at this sitting (`already_present`).
- federation.plenary_opened {meeting}: anyone's key, at or after the sitting's start. Replay counts the
  member assemblies with at least one delegate present whose seat still stands, against all member
  assemblies: with the charter's share (`plenary.quorum`; at a postponed sitting `plenary.second_quorum`,
  the second call) the plenary opens; without it, before `wait_minutes` have passed since the sitting's
  start, the act is refused (`plenary_no_quorum_yet`: the delegates wait); after that, the sitting is
  postponed by `postpone_days` (the same meeting, a new start, nobody present), and this act is what
  records it. A plenary already open refuses it (`plenary_already_open`).
- federation.plenary_chaired {meeting}: a member's act (a key standing in the federation, standing.py),
  once the sitting opened with quorum: a delegate signed present at this sitting whose seat still
  stands takes the meeting's chair, first come (decision 0030). Refused: the sitting not open
  (`plenary_not_open`), a chair who still stands in the federation (`plenary_already_chaired`), a signer
  not present at this sitting (`not_present`). The chair then runs the meeting's floor and closes it
  with the ordinary `meeting.closed`; a chair whose seat ends (recalled, replaced) can no longer act,
  and another delegate present takes the chair.

A delegate signed present at the plenary is present at its meeting too (the floor: agenda, speakers,
points of order), and a postponement sends everybody home: nobody is present at the next sitting.
"""

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ayllu.core.assembly.acts import INT_ID, LIST, Act, Signer, act_field, act_kind
from ayllu.core.assembly.events import Context, Event, applies, rule
from ayllu.core.assembly.rule_errors import AlreadyPresent, MeetingNotStarted, NotPresent
from ayllu.core.assembly.state import AssemblyState, Plenary
from ayllu.core.charter.rules import PlenaryRules
from ayllu.core.federations.cited import CitingAct
from ayllu.core.federations.errors import (
    NotAFederation,
    NotAPlenary,
    NotSeated,
    PlenaryAlreadyChaired,
    PlenaryAlreadyOpen,
    PlenaryClosed,
    PlenaryNoQuorumYet,
    PlenaryNotOpen,
    PlenaryTooFar,
    PlenaryTooSoon,
)
from ayllu.core.federations.reads import PostponedRead, SittingRead
from ayllu.core.federations.seats import seated_delegate
from ayllu.core.federations.standing import is_federation, stands_in
from ayllu.core.federations.voting import seat_on
from ayllu.core.meetings.acts import MeetingOpened, MemberArrived

# The title a plenary's meeting carries in the record's state (pages show it in the reader's language,
# by `is_plenary`, never by the title: a meeting a member titled "plenary" keeps its title).
PLENARY_TITLE = "plenary"


def is_plenary(state: AssemblyState, meeting: int) -> bool:
    """True when `meeting` is a plenary of federation `state`: a meeting the member assemblies convened
    by petition as the federation's plenary, not one a member convened (whatever its title)."""
    return is_federation(state) and meeting in state.offices.sittings


@act_kind
class PlenaryPresent(CitingAct):
    type = "federation.plenary_present"
    name = "plenary-presence"
    summary = "Sign your assembly's presence at a federation plenary, as its seated delegate"

    meeting: int = act_field(INT_ID, help="the plenary's meeting id in the federation's record")
    cites: list[Any] = act_field(
        LIST, help='[citation of your credential], e.g. "[$(ayllu cite HOME_LOG SEQ)]"'
    )


@act_kind
class PlenaryOpened(Act):
    type = "federation.plenary_opened"
    name = "open-plenary"
    summary = "Open a federation plenary: it opens with quorum, or is postponed as the charter says"
    signer = Signer.NON_MEMBER

    meeting: int = act_field(INT_ID, help="the plenary's meeting id in the federation's record")


@act_kind
class PlenaryChaired(Act):
    type = "federation.plenary_chaired"
    name = "chair-plenary"
    summary = "Take the chair of a federation plenary that opened, as a delegate present at it"

    meeting: int = act_field(INT_ID, help="the plenary's meeting id in the federation's record")


@dataclass(frozen=True, slots=True)
class PlenaryConvened(Event):
    meeting: int
    starts: int


@dataclass(frozen=True, slots=True)
class DelegatePresent(Event):
    meeting: int
    key: str
    assembly: str


@dataclass(frozen=True, slots=True)
class PlenaryInSession(Event):
    meeting: int
    seq: int
    time: int


@dataclass(frozen=True, slots=True)
class ChairTaken(Event):
    meeting: int
    key: str
    seq: int


@dataclass(frozen=True, slots=True)
class PlenaryPostponed(Event):
    meeting: int
    seq: int
    time: int
    starts: int


def plenary_rules(state: AssemblyState) -> PlenaryRules:
    rules = state.rules.federation
    assert rules is not None
    return rules.plenary


def check_plenary_date(state: AssemblyState, starts: int, *, seq: int, now: int) -> None:
    """Raise unless a plenary convened now may start at `starts` (the charter's notice bounds)."""
    rules = plenary_rules(state)
    if starts - now < rules.min_notice_ms:
        raise PlenaryTooSoon(seq=seq, starts=starts, earliest=now + rules.min_notice_ms)
    if rules.max_notice_ms and starts - now > rules.max_notice_ms:
        raise PlenaryTooFar(seq=seq, starts=starts, latest=now + rules.max_notice_ms)


def convene_plenary(*, seq: int, starts: int) -> list[Event]:
    """The events a completed `convene` petition adds in its entry: the meeting, and the plenary."""
    opened = MeetingOpened(id=seq, chair="", title=PLENARY_TITLE, starts=starts, by_petition=True)
    return [opened, PlenaryConvened(seq, starts)]


def find_plenary(state: AssemblyState, meeting: int, *, seq: int) -> Plenary:
    """The plenary of that meeting id; raise unless it exists and its meeting is not closed."""
    if state.rules.federation is None:
        raise NotAFederation(seq=seq)
    plenary = state.offices.sittings.get(meeting)
    if plenary is None:
        raise NotAPlenary(seq=seq, meeting=meeting)
    found = state.meetings.get(meeting)
    if found is None or found.closed_seq:
        raise PlenaryClosed(seq=seq, meeting=meeting)
    return plenary


def present_assemblies(state: AssemblyState, plenary: Plenary, *, now: int) -> set[str]:
    """The member assemblies present at the plenary's sitting at `now`: those with a delegate present
    whose seat still stands (a delegate recalled or replaced since arriving no longer counts)."""
    found = set()
    for key, assembly in plenary.present.items():
        seat = seated_delegate(state, key, now=now)
        if seat is not None and seat.assembly == assembly and assembly in state.member_assemblies:
            found.add(assembly)
    return found


def sitting_quorum(state: AssemblyState, plenary: Plenary) -> Fraction:
    """The share of member assemblies the current sitting needs: the first call's, or the second's."""
    rules = plenary_rules(state)
    return rules.quorum if plenary.sitting == 1 else rules.second_quorum


def has_quorum(state: AssemblyState, plenary: Plenary, *, now: int) -> bool:
    share = sitting_quorum(state, plenary)
    members = len(state.member_assemblies)
    return len(present_assemblies(state, plenary, now=now)) >= share * members


@rule(PlenaryPresent)
def decide_plenary_present(state: AssemblyState, act: PlenaryPresent, ctx: Context) -> list[Event]:
    """Sign the delegate's assembly present at the plenary's current sitting."""
    plenary = find_plenary(state, act.meeting, seq=ctx.seq)
    citations = act.citations(seq=ctx.seq)
    seat = seat_on(state, citations[0], key=ctx.key, now=ctx.time)
    if seat is None:
        raise NotSeated(seq=ctx.seq, key=ctx.key, credential=citations[0].seq)
    if ctx.time < plenary.starts:
        raise MeetingNotStarted(seq=ctx.seq, meeting=plenary.meeting, starts=plenary.starts)
    if ctx.key in plenary.present:
        raise AlreadyPresent(seq=ctx.seq, member=ctx.key)
    events: list[Event] = [DelegatePresent(plenary.meeting, ctx.key, seat.assembly)]
    if ctx.key not in state.meetings[plenary.meeting].present:
        # Present at the plenary is present at its meeting: the floor is the delegates' (decision 0030).
        events.append(MemberArrived(meeting=plenary.meeting, member=ctx.key))
    return events


@rule(PlenaryOpened)
def decide_plenary_opened(state: AssemblyState, act: PlenaryOpened, ctx: Context) -> list[Event]:
    """Open the plenary's sitting with quorum; without it, once the wait is over, postpone it."""
    plenary = find_plenary(state, act.meeting, seq=ctx.seq)
    if plenary.opened_seq:
        raise PlenaryAlreadyOpen(seq=ctx.seq, meeting=plenary.meeting, opened=plenary.opened_seq)
    if ctx.time < plenary.starts:
        raise MeetingNotStarted(seq=ctx.seq, meeting=plenary.meeting, starts=plenary.starts)
    if has_quorum(state, plenary, now=ctx.time):
        return [PlenaryInSession(plenary.meeting, ctx.seq, ctx.time)]
    rules = plenary_rules(state)
    if ctx.time < plenary.starts + rules.wait_ms:
        present = len(present_assemblies(state, plenary, now=ctx.time))
        raise PlenaryNoQuorumYet(
            seq=ctx.seq, meeting=plenary.meeting, present=present, until=plenary.starts + rules.wait_ms
        )
    return [PlenaryPostponed(plenary.meeting, ctx.seq, ctx.time, plenary.starts + rules.postpone_ms)]


def present_delegate(state: AssemblyState, plenary: Plenary, key: str, *, now: int) -> bool:
    """True when `key` signed present at the plenary's sitting and the seat they signed on still stands."""
    seat = seated_delegate(state, key, now=now)
    return key in plenary.present and seat is not None and seat.assembly == plenary.present[key]


@rule(PlenaryChaired)
def decide_plenary_chaired(state: AssemblyState, act: PlenaryChaired, ctx: Context) -> list[Event]:
    """A delegate present at the opened sitting takes the plenary's chair, first come (decision 0030)."""
    plenary = find_plenary(state, act.meeting, seq=ctx.seq)
    if not plenary.opened_seq:
        raise PlenaryNotOpen(seq=ctx.seq, meeting=plenary.meeting)
    chair = state.meetings[plenary.meeting].chair
    if chair and stands_in(state, chair, now=ctx.time):
        raise PlenaryAlreadyChaired(seq=ctx.seq, meeting=plenary.meeting, chair=chair)
    if not present_delegate(state, plenary, ctx.key, now=ctx.time):
        raise NotPresent(seq=ctx.seq, member=ctx.key, meeting=plenary.meeting)
    return [ChairTaken(plenary.meeting, ctx.key, ctx.seq)]


@applies(PlenaryConvened)
def apply_plenary_convened(state: AssemblyState, event: PlenaryConvened) -> None:
    state.offices.sittings[event.meeting] = Plenary(event.meeting, event.starts)


@applies(DelegatePresent)
def apply_delegate_present(state: AssemblyState, event: DelegatePresent) -> None:
    state.offices.sittings[event.meeting].present[event.key] = event.assembly


@applies(PlenaryInSession)
def apply_plenary_in_session(state: AssemblyState, event: PlenaryInSession) -> None:
    plenary = state.offices.sittings[event.meeting]
    plenary.opened_seq, plenary.opened_time = event.seq, event.time


@applies(ChairTaken)
def apply_chair_taken(state: AssemblyState, event: ChairTaken) -> None:
    state.meetings[event.meeting].chair = event.key
    state.offices.sittings[event.meeting].chair_seq = event.seq


@applies(PlenaryPostponed)
def apply_plenary_postponed(state: AssemblyState, event: PlenaryPostponed) -> None:
    plenary = state.offices.sittings[event.meeting]
    plenary.postponed.append((event.seq, event.time, plenary.starts))
    plenary.starts = event.starts
    plenary.sitting += 1
    plenary.present.clear()
    meeting = state.meetings[event.meeting]
    meeting.starts = event.starts
    # Everybody goes home until the next sitting (decision 0030): present there is signed again.
    meeting.present.clear()
    meeting.queue.clear()


# --- reads --------------------------------------------------------------------------------------------


def list_plenaries(state: AssemblyState, *, now: int) -> list[SittingRead]:
    """The plenaries the member assemblies convened, newest first: each sitting's start, its quorum and
    who is present (assemblies by log id), whether it opened, and the sittings it was postponed from."""
    if state.rules.federation is None:
        return []
    members = len(state.member_assemblies)
    found = []
    for plenary in sorted(state.offices.sittings.values(), key=lambda p: -p.meeting):
        share = sitting_quorum(state, plenary)
        meeting = state.meetings.get(plenary.meeting)
        found.append(
            SittingRead(
                meeting=plenary.meeting,
                starts=plenary.starts,
                sitting=plenary.sitting,
                quorum=str(share),
                needs=_needs(share, members),
                present=tuple(sorted(present_assemblies(state, plenary, now=now))),
                opened_seq=plenary.opened_seq,
                opened_time=plenary.opened_time,
                closed_seq=meeting.closed_seq if meeting is not None else 0,
                chair=meeting.chair if meeting is not None else "",
                chair_seq=plenary.chair_seq,
                wait_until=plenary.starts + plenary_rules(state).wait_ms,
                postponed=tuple(PostponedRead(seq=s, time=t, moved_from=f) for s, t, f in plenary.postponed),
            )
        )
    return found


def _needs(share: Fraction, members: int) -> int:
    """How many member assemblies reach `share` of `members` (the least whole number)."""
    product = share * members
    return int(product) if product.denominator == 1 else int(product) + 1
