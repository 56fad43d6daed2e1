"""A federation plenary's chair, on its meeting's page (decision 0030): once the sitting opened with
quorum, a delegate present takes the chair, first come, and the chair closes the meeting.

Each form is offered to a delegate whose seat stands and whose home record this node holds, only where
the core would take the act from their key now (`allowed.refusal`, the rule replay runs); the browser
signs it with the device key kept for the delegate's home assembly (`data-key-log`). Keys, ids and
names only: no words of any act.
"""

from dataclasses import dataclass, replace

from ayllu.core.assembly.allowed import refusal
from ayllu.core.assembly.state import AssemblyState
from ayllu.core.assembly.words import ReadModel
from ayllu.core.federations.offices import at_moment
from ayllu.core.federations.plenary import PlenaryChaired
from ayllu.core.federations.standing import is_federation, standing_seats
from ayllu.core.meetings.acts import MeetingClosed

from .federations import get_record_names
from .replayed import read_state


@dataclass(frozen=True, slots=True)
class ChairFormRead(ReadModel):
    """A delegate present whose home record this node holds (`assembly`, named `name`): whether the core
    would take their taking the chair, and their closing the plenary, now."""

    key: str
    assembly: str
    name: str
    take: bool
    close: bool


@dataclass(frozen=True, slots=True)
class PlenaryChairRead(ReadModel):
    """A plenary's chair (a delegate's key, "" while nobody took it), whether its sitting opened and the
    meeting closed, and the forms this node can offer its delegates."""

    chair: str
    opened: bool
    closed: bool
    forms: tuple[ChairFormRead, ...]

    def of_home(self, *, home: str, key: str) -> "PlenaryChairRead":
        """The chair as a delegate logged in at member assembly `home` with `key` sees it: their own
        forms only (each is signed with the key this device keeps for `home`); none for `home` ""."""
        mine = tuple(f for f in self.forms if home and (f.assembly, f.key) == (home, key))
        return replace(self, forms=mine)


def get_plenary_chair(federation: str, meeting: int, *, now: int) -> PlenaryChairRead | None:
    """The plenary's chair and the forms this node can offer its delegates now; None when `meeting` is
    not a plenary of a federation."""

    def read(state: AssemblyState) -> tuple[str, bool, bool, list[tuple[str, str, bool, bool]]] | None:
        state = at_moment(state, now=now)
        plenary = state.offices.sittings.get(meeting) if is_federation(state) else None
        found = state.meetings.get(meeting)
        if plenary is None or found is None:
            return None
        forms = []
        for seat in standing_seats(state, now=now):
            take = refusal(state, key=seat.key, act=PlenaryChaired(meeting=meeting), time=now) is None
            close = refusal(state, key=seat.key, act=MeetingClosed(meeting=meeting), time=now) is None
            if take or close:
                forms.append((seat.key, seat.assembly, take, close))
        return found.chair, bool(plenary.opened_seq), bool(found.closed_seq), forms

    found = read_state(federation, read)
    if found is None:
        return None
    chair, opened, closed, forms = found
    held = get_record_names(assembly for _, assembly, _, _ in forms) if forms else {}
    return PlenaryChairRead(
        chair=chair,
        opened=opened,
        closed=closed,
        forms=tuple(
            ChairFormRead(key=key, assembly=assembly, name=held[assembly], take=take, close=close)
            for key, assembly, take, close in forms
            if assembly in held
        ),
    )
