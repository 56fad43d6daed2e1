"""Members' private calendar links: make one (replacing the old) and revoke it.

A link is a random token stored on this node, never in the record: whoever holds the URL reads the
member's calendar, so the member may replace it (the old URL stops working) or revoke it at any time.
The caller checks that `member` is a current member of `log` logged in to it.
"""

import secrets

from django.db import transaction

from ayllu.storage import models, reads

# 32 random bytes, URL-safe: unguessable.
TOKEN_BYTES = 32


@transaction.atomic
def do_make_calendar_link(log: str, *, member: str) -> str:
    """Give `member` a new calendar token for `log`, replacing any earlier one; return the token."""
    record = reads.get_record(log)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    models.CalendarLink.objects.filter(record=record, member=member).delete()
    models.CalendarLink.objects.create(record=record, member=member, token=token)
    return token


def do_revoke_calendar_link(log: str, *, member: str) -> None:
    """Delete `member`'s calendar token for `log`: its URL answers 404 from now on."""
    models.CalendarLink.objects.filter(record=reads.get_record(log), member=member).delete()
