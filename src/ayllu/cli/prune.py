"""`ayllu prune-drafts`: delete the founding drafts that expired (no step taken for the set lifetime).

A founding draft lives on this node only until it is founded or abandoned (actions/founding_drafts.py).
Expired drafts already answer "expired" to their links and are deleted whenever a new draft is opened;
this command deletes them now, for a node where nobody opens drafts (run it from cron if you like).
"""

import argparse
from typing import Any

EXIT_OK = 0


def add_parsers(sub: Any) -> None:
    """Add `prune-drafts` to the `ayllu` command's subcommands."""
    sub.add_parser("prune-drafts", help="delete founding drafts nobody touched for AYLLU_FOUNDING_DRAFT_DAYS")


def cmd_prune_drafts(args: argparse.Namespace) -> int:
    """Run `ayllu prune-drafts`: delete expired drafts and say how many."""
    # Imported here: the parser is built before Django is set up, and models need it.
    from django.conf import settings

    from ayllu.actions.founding_drafts import do_prune_drafts

    deleted = do_prune_drafts()
    days = settings.AYLLU_FOUNDING_DRAFT_DAYS
    print(f"deleted {deleted} founding draft(s) untouched for more than {days} days")
    return EXIT_OK
