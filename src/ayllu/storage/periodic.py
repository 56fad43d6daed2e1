"""Work done again every few seconds in a daemon thread of `ayllu serve`: deliveries, the served sweep."""

import logging
import threading
from collections.abc import Callable

from django.db import close_old_connections

log_ = logging.getLogger(__name__)


def run_every(
    stop: threading.Event, work: Callable[[], object], *, seconds: float, what: str, at_once: bool = True
) -> None:
    """Do `work` pass after pass, `seconds` apart, until `stop` is set; the first pass at once, or after
    `seconds` when not `at_once`. A failing pass is logged (as `what`) and the next one runs."""
    if not at_once and stop.wait(seconds):
        return
    while not stop.is_set():
        try:
            work()
        except Exception:
            log_.exception("%s failed; the next one runs in %s seconds", what, seconds)
        finally:
            close_old_connections()
        stop.wait(seconds)


def start_daemon(
    run: Callable[[threading.Event], None], *, name: str
) -> tuple[threading.Thread, threading.Event]:
    """Start `run(stop)` in a daemon thread of this process; set `stop` to end it."""
    stop = threading.Event()
    thread = threading.Thread(target=run, args=(stop,), name=name, daemon=True)
    thread.start()
    return thread, stop
