"""`ayllu deliver`: queue the reminders due and send the outbox, pass after pass (docs/notifications.md).

A small node needs none: `ayllu serve` runs the same passes in a thread unless told not to
(`--no-deliver` or AYLLU_DELIVER_IN_SERVE=0). A large node runs this command as one or more workers
(rows are claimed one by one, so workers never send the same message twice). Stop it with Ctrl-C or
SIGTERM: at worst the one message whose send was not yet marked is sent again on the next pass.
"""

import argparse
import signal
import threading
from typing import Any

EXIT_OK = 0


def add_parsers(sub: Any) -> None:
    """Add `deliver` to the `ayllu` command's subcommands."""
    deliver = sub.add_parser("deliver", help="queue and send members' notifications (loops until stopped)")
    deliver.add_argument("--once", action="store_true", help="one pass, then exit")
    deliver.add_argument("--seconds", type=float, default=None, help="seconds between passes")


def cmd_deliver(args: argparse.Namespace) -> int:
    """Run `ayllu deliver`: one pass with --once (printing what it did), else passes until stopped."""
    from django.conf import settings

    from ayllu.notify.delivery import deliver_once, run_delivery

    if args.once:
        done = deliver_once()
        print(f"queued {done.queued}, sent {done.sent}, dropped {done.dropped}, held {done.held}, ", end="")
        print(f"failed {done.failed}")
        return EXIT_OK
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    seconds = settings.AYLLU_DELIVER_SECONDS if args.seconds is None else args.seconds
    print(f"delivering every {seconds:g} seconds (Ctrl-C stops)", flush=True)
    try:
        run_delivery(stop, seconds=seconds)
    except KeyboardInterrupt:
        stop.set()
    return EXIT_OK
