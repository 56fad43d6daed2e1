"""The node's clock: the one place the adapters read the time. The core never does.

Time reaches the core only as arguments (an entry's time, `now=`), so every replica replays a record to
the same state. Callers read it as `clock.now_ms()` (not a copied name), so a test moves every reader at
once with `monkeypatch.setattr(clock, "now_ms", ...)`.
"""

import time


def now_ms() -> int:
    """Node time in milliseconds since the epoch (entries, receipts, checkpoints, pages' "now")."""
    return time.time_ns() // 1_000_000


def now_s() -> float:
    """Node time in seconds since the epoch (login challenges and sessions, rate-limit windows)."""
    return time.time()
