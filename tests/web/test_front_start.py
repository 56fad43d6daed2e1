"""A worker of `ayllu serve` loads Django's URLs when granian starts it (the ASGI lifespan's startup, which
granian completes before the worker takes a request), not in its first request and not on import
(decision 0035)."""

import os
import subprocess
import sys
from pathlib import Path

PROBE = """
import asyncio, sys
import ayllu.asgi as front
imported = "ayllu.urls" in sys.modules
async def start_and_stop():
    sent = []
    messages = iter([{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}])
    async def receive():
        return next(messages)
    async def send(message):
        sent.append(message["type"])
    await front.application({"type": "lifespan"}, receive, send)
    return sent
sent = asyncio.run(start_and_stop())
print(imported, "ayllu.urls" in sys.modules, *sent)
"""


def test_a_worker_loads_the_urls_as_it_starts_not_on_import(tmp_path: Path) -> None:
    # given: a fresh process on a node of its own (SQLite: no listener starts)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AYLLU_", "DJANGO_"))}
    env["AYLLU_DATA_DIR"] = str(tmp_path)
    # when: it imports the front, then runs its lifespan as granian does
    done = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120)
    # then: the URLs were not loaded by the import, and were by the startup
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [
        "False", "True", "lifespan.startup.complete", "lifespan.shutdown.complete"
    ]  # fmt: skip
