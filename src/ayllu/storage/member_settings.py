"""A member's notification settings for one assembly: one shape for every place that carries them.

The settings page's form, the API's body and answer (its OpenAPI schema is derived from this class),
the write that keeps them (`actions.notifications`) and the read that finds them
(`queries.notifications.NotificationPrefs` adds what the node keeps beside them) all use this class.
They are a row of this node only (`models.NotificationSettings`), never in the record (decision 0014).
"""

from dataclasses import dataclass, fields
from typing import Annotated, Any

from annotated_types import MaxLen

from . import models


@dataclass(frozen=True, slots=True)
class MemberSettings:
    """What a member chose: where and how reminders reach them (the defaults when they chose nothing)."""

    email: Annotated[str, MaxLen(320)] = ""
    email_on: bool = True
    language: Annotated[str, MaxLen(8)] = "es"
    quiet_start: int | None = None
    quiet_end: int | None = None
    utc_offset: int = -240
    digest: bool = False

    def columns(self) -> dict[str, Any]:
        """The settings by name: the row's columns they fill."""
        return {name: getattr(self, name) for name in SETTINGS_FIELDS}


SETTINGS_FIELDS = tuple(f.name for f in fields(MemberSettings))


def kept_settings(row: models.NotificationSettings) -> dict[str, Any]:
    """The settings a kept row holds, by name (for `MemberSettings` or a class that extends it)."""
    return {name: getattr(row, name) for name in SETTINGS_FIELDS}
