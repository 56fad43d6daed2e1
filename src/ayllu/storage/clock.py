"""The node's clock: the one place the adapters read the time. The core never does.

Time reaches the core only as arguments (an entry's time, `now=`), so every replica replays a record to
the same state. Callers read it as `clock.now_ms()` (not a copied name), so a test moves every reader at
once with `monkeypatch.setattr(clock, "now_ms", ...)`. The node's own bookkeeping (row times, login
sessions, rate-limit windows, push tokens) reads the same wall clock through `now_s` and `now_datetime`;
tests/test_clock.py fails when code outside this module and the core reads it directly. Timers of a
duration (`time.monotonic`, `time.perf_counter`) are no clock and stay where they are used.
"""

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

from django.utils import timezone

from ayllu.core.ledger.delegation import MAX_CLOCK_SKEW_MS


def now_ms() -> int:
    """Node time in milliseconds since the epoch (entries, receipts, checkpoints, pages' "now")."""
    return time.time_ns() // 1_000_000


def now_s() -> float:
    """Node time in seconds since the epoch (login challenges and sessions, rate-limit windows)."""
    return time.time()


def now_datetime() -> datetime:
    """Node time as an aware datetime (the times of the node's own rows: drafts, waiting acts, runs)."""
    return timezone.now()


def latest_valid_time() -> int:
    """The latest entry time (ms) this node takes as valid now: its clock plus the skew it allows
    between nodes' clocks. Replicas refuse an entry dated later (`entry_from_the_future`), and the
    node's own pages replay up to the entry before it."""
    return now_ms() + MAX_CLOCK_SKEW_MS


@contextmanager
def held(source: Callable[[], int]) -> Iterator[None]:
    """Read node time from `source` meanwhile: the demo writes a year of history in seconds."""
    # Callers read `clock.now_ms`, so replacing the name moves them all.
    global now_ms
    real = now_ms
    now_ms = source
    try:
        yield
    finally:
        now_ms = real
