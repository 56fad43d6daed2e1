"""A federation plenary's chair, on its meeting's page (decision 0030): once the sitting opened with
quorum, a delegate present takes the chair, first come, and the chair closes the meeting.

Each form is offered to a delegate whose seat stands and whose home record this node holds, only where
the core would take the act from their key now (`allowed.refusal`, the rule replay runs); the browser
signs it with the device key kept for the delegate's home assembly (`data-key-log`). Keys, ids and
names only: no words of any act.
"""

from typing import Any

from ayllu.core.assembly.allowed import refusal
from ayllu.core.assembly.state import AssemblyState
from ayllu.core.federations.offices import at_moment
from ayllu.core.federations.plenary import PlenaryChaired
from ayllu.core.federations.standing import is_federation, standing_seats
from ayllu.core.meetings.acts import MeetingClosed
from ayllu.storage import models

from .replayed import read_state


def get_plenary_chair(federation: str, meeting: int, *, now: int) -> dict[str, Any] | None:
    """The plenary's chair and the forms this node can offer its delegates now; None when `meeting` is
    not a plenary of a federation."""

    def read(state: AssemblyState) -> dict[str, Any] | None:
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
                forms.append({"key": seat.key, "assembly": seat.assembly, "take": take, "close": close})
        return {
            "chair": found.chair,
            "opened": bool(plenary.opened_seq),
            "closed": bool(found.closed_seq),
            "forms": forms,
        }

    chair = read_state(federation, read)
    if chair is not None and chair["forms"]:
        held = dict(
            models.Record.objects.filter(log__in={f["assembly"] for f in chair["forms"]}).values_list(
                "log", "name"
            )
        )
        chair["forms"] = [{**f, "name": held[f["assembly"]]} for f in chair["forms"] if f["assembly"] in held]
    return chair
