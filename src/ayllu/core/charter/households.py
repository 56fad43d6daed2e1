"""Household ids (act format 2, docs/record-format.md section 13).

Rule data names a household by an id every replica reads: quorum by households, household limits on
cargos and rotation compare ids. What people call the household is words (`household_name`), kept under
the visibility of the act that made it. A new household's id is opaque: "h-" and 128 random bits made
on the writer's side (the member's device or the page it signs from), so the id reveals nothing of a
name, not even one easy to guess. An applicant joining an existing household names it by its id (the
invitation of a member of that household offers it). Format-1 ids, and the founders', are the names
people chose; they stay as they are.
"""

import secrets

HOUSEHOLD_ID_PREFIX = "h-"


def new_household_id() -> str:
    """A fresh opaque household id: "h-" and 32 hex digits (128 random bits)."""
    return HOUSEHOLD_ID_PREFIX + secrets.token_hex(16)
