"""`ayllu prune-drafts` and `ayllu prune`: delete what strangers left on the node and nobody took up.

`prune-drafts` deletes the founding drafts that expired (no step taken for the set lifetime); `prune`
deletes those and the applications that waited outside the record for AYLLU_WAITING_DAYS without a
member taking them in (actions/waiting_room.py), with the rate counters of windows that ended.

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
    sub.add_parser(
        "prune",
        help="delete expired founding drafts, expired waiting applications and key claims, and ended rate "
        "counters",
    )


def cmd_prune_drafts(args: argparse.Namespace) -> int:
    """Run `ayllu prune-drafts`: delete expired drafts and say how many."""
    # Imported here: the parser is built before Django is set up, and models need it.
    from django.conf import settings

    from ayllu.actions.founding_drafts import do_prune_drafts

    deleted = do_prune_drafts()
    days = settings.AYLLU_FOUNDING_DRAFT_DAYS
    drafts = "founding draft" if deleted == 1 else "founding drafts"
    print(f"deleted {deleted} {drafts} untouched for more than {days} days")
    return EXIT_OK


def cmd_prune(args: argparse.Namespace) -> int:
    """Run `ayllu prune`: delete what expired and say how much."""
    from ayllu.actions.founding_drafts import do_prune_drafts
    from ayllu.actions.rate_limits import do_prune_attempts
    from ayllu.actions.waiting_room import do_prune_waiting
    from ayllu.storage import clock

    drafts = do_prune_drafts()
    waiting = do_prune_waiting()
    counters = do_prune_attempts(moment=clock.now_s())
    print(f"deleted {drafts} expired founding drafts, {waiting} expired waiting acts, ", end="")
    print(f"{counters} rate counters")
    return EXIT_OK
