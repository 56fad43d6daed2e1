"""Members' private calendar links (`actions.calendar_links`): whose calendar a token opens."""

from ayllu.storage import models

from .replayed import read_state


def get_calendar_token(log: str, *, member: str) -> str:
    """`member`'s current calendar token for `log`, or "" when they have none."""
    found = models.CalendarLink.objects.filter(record__log=log, member=member).values_list("token", flat=True)
    return next(iter(found), "")


def get_calendar_owner(token: str) -> tuple[str, str] | None:
    """The (log, member id) a calendar token opens; None for an unknown or revoked token, or one whose
    member is no longer a member of that assembly."""
    if not token:
        return None
    link = models.CalendarLink.objects.filter(token=token).select_related("record").first()
    if link is None:
        return None
    log, member = link.record.log, link.member
    return (log, member) if read_state(log, lambda state: member in state.members) else None
