"""What a reader may do now in the assembly's meetings, as the core answers it.

Every answer runs the rule replay would run on the act the page's form would submit (a probe with the
meeting's ids and a valid sample value), without applying it (core/assembly/allowed.py). A page offers a
form exactly when the answer is yes: signing presence before the start, calling a speaker while a point
of order waits, a second signature on a petition are never offered, because the core would refuse them.

`key` is the reader's signing key ("" for an outsider, who may do nothing); `now` is node time in ms.
"""

from dataclasses import dataclass

from ayllu.core.assembly.notices import NoticePosted
from ayllu.core.assembly.replay import AssemblyState
from ayllu.core.federations.plenary import is_plenary
from ayllu.core.meetings.acts import (
    MeetingClosed,
    MeetingConvened,
    MeetingPetitioned,
    PresenceEnded,
    PresenceSigned,
    list_speakers,
)
from ayllu.core.meetings.floor import (
    AgendaItemAdded,
    MinutesNoteAdded,
    PointOfOrderRaised,
    PointOfOrderRuled,
    SpeakerCalled,
    SpeakerQueued,
)

from .allowed import SAMPLE, Allows, read_acts

# Proposals a meeting may put on its agenda: those still undecided.
UNDECIDED = ("deliberation", "voting")


@dataclass(frozen=True, slots=True)
class MeetingsActs:
    """The acts one reader may do now on the meetings page; ids name the petitions they may sign."""

    convene: bool = False
    petition: bool = False
    sign_petition: frozenset[int] = frozenset()
    notice: bool = False  # post a notice to the assembly


def get_meetings_acts(log: str, *, key: str, now: int) -> MeetingsActs:
    """What the reader with `key` may do now about meetings: convene, start or sign a petition."""

    def read(state: AssemblyState, allows: Allows) -> MeetingsActs:
        return MeetingsActs(
            convene=allows(MeetingConvened(title=SAMPLE, starts=now)),
            petition=allows(MeetingPetitioned(purpose=SAMPLE)),
            sign_petition=frozenset(p for p in state.petitions if allows(MeetingPetitioned(petition=p))),
            notice=allows(NoticePosted(text=SAMPLE)),
        )

    return read_acts(log, key=key, now=now, nothing=MeetingsActs(), read=read)


@dataclass(frozen=True, slots=True)
class MeetingActs:
    """The acts one reader may do now in one meeting; ids name the points of order they may rule on."""

    sign_presence: bool = False
    end_presence: bool = False
    queue: bool = False
    add_agenda_item: bool = False
    add_agenda_proposal: bool = False  # put the first undecided proposal on the agenda
    raise_point: bool = False
    call_speaker: bool = False  # give the floor to the head of the speakers' queue
    rule_point: frozenset[int] = frozenset()
    close: bool = False
    add_note: bool = False


def get_meeting_acts(log: str, meeting_id: int, *, key: str, now: int) -> MeetingActs:
    """What the reader with `key` may do now in meeting `meeting_id` (nothing in an unknown one)."""

    def read(state: AssemblyState, allows: Allows) -> MeetingActs | None:
        meeting = state.meetings.get(meeting_id)
        if meeting is None:
            return None
        mid = meeting.id
        speakers = list_speakers(meeting)
        undecided = sorted(p.id for p in state.proposals.values() if p.status in UNDECIDED)
        return MeetingActs(
            # at a federation's plenary, presence is each member assembly's, signed by its delegate on
            # the plenary's own form (federation.plenary_present, which quorum counts): a person's
            # ordinary presence would count for nothing there, so it is not offered
            sign_presence=not is_plenary(state, mid) and allows(PresenceSigned(meeting=mid)),
            end_presence=allows(PresenceEnded(meeting=mid)),
            queue=allows(SpeakerQueued(meeting=mid)),
            add_agenda_item=allows(AgendaItemAdded(meeting=mid, kind="discussion", title=SAMPLE)),
            add_agenda_proposal=bool(undecided)
            and allows(AgendaItemAdded(meeting=mid, kind="proposal", title=SAMPLE, proposal=undecided[0])),
            raise_point=allows(PointOfOrderRaised(meeting=mid, text=SAMPLE)),
            call_speaker=bool(speakers) and allows(SpeakerCalled(meeting=mid, member=speakers[0])),
            rule_point=frozenset(
                p for p in meeting.points if allows(PointOfOrderRuled(meeting=mid, point=p, ruling=SAMPLE))
            ),
            close=allows(MeetingClosed(meeting=mid)),
            add_note=allows(MinutesNoteAdded(meeting=mid, text=SAMPLE)),
        )

    return read_acts(log, key=key, now=now, nothing=MeetingActs(), read=read)
