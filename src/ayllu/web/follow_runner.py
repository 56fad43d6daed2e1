"""The follow page runs the operator's own command, `ayllu follow URL [--log L]`, as a child process.

Why a child process (docs/decisions/0003-follow-page.md): the web app may not import the federation
layer (the import contract in pyproject.toml), and the command already verifies every batch in full
before storing it in one transaction, resumes after any interruption and records how each sync went
(`ayllu_follow`). The page starts it, and reads progress from the database: entries stored so far (the
record's head) against the largest checkpoint seen. Nothing here touches what is stored.

One follow at a time per web process; jobs are kept in memory, so after a restart the page shows an
unfinished sync as interrupted (its row still says `syncing`) and starting it again resumes it.
"""

import os
import subprocess
import sys
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings

from ayllu.storage import clock

EXIT_OK, EXIT_FAILED = 0, 1
RUNNING, DONE, FAILED, ERROR = "running", "done", "failed", "error"


class FollowAlreadyRunning(Exception):
    """A follow started from the page is still running: one at a time keeps a small node responsive."""


@dataclass(slots=True)
class Job:
    """A follow started from the page: the command's process and where its output goes."""

    number: int
    url: str
    log: str
    started: datetime
    output: Path
    process: subprocess.Popen[bytes]

    @property
    def state(self) -> str:
        code = self.process.poll()
        if code is None:
            return RUNNING
        return {EXIT_OK: DONE, EXIT_FAILED: FAILED}.get(code, ERROR)

    def error_code(self) -> str:
        """The stable code the command printed when it could not start a sync (`error: CODE (...)`)."""
        try:
            lines = self.output.read_text("utf-8", "replace").splitlines()
        except OSError:
            return ""
        for line in reversed(lines):
            if line.startswith("error: "):
                return line.removeprefix("error: ").split(" ", 1)[0]
        return ""


_lock = threading.Lock()
_jobs: list[Job] = []


def _command(url: str, log: str) -> list[str]:
    return [sys.executable, "-m", "ayllu.cli.main", "follow", url, *(["--log", log] if log else [])]


def _environment() -> dict[str, str]:
    # The child must open this node's database and key: the same settings module and data directory.
    module = os.environ.get("DJANGO_SETTINGS_MODULE") or settings.SETTINGS_MODULE
    return os.environ | {"DJANGO_SETTINGS_MODULE": module, "AYLLU_DATA_DIR": str(settings.DATA_DIR)}


def start_follow(url: str, *, log: str = "") -> Job:
    """Start `ayllu follow URL` (for one record when `log` is given); refuse while one is running."""
    with _lock:
        if any(job.state == RUNNING for job in _jobs):
            raise FollowAlreadyRunning
        folder = Path(settings.DATA_DIR) / "follow-runs"
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        number = len(_jobs) + 1
        output = folder / f"{os.getpid()}-{number}.txt"
        with output.open("wb") as sink:
            process = subprocess.Popen(
                _command(url, log),
                stdin=subprocess.DEVNULL,
                stdout=sink,
                stderr=subprocess.STDOUT,
                env=_environment(),
            )
        job = Job(number, url, log, clock.now_datetime(), output, process)
        _jobs.append(job)
        return job


def list_jobs() -> list[Job]:
    """Follows started from the page in this process, newest first (polling reaps finished ones)."""
    with _lock:
        return list(reversed(_jobs))


def any_running() -> bool:
    """Whether a follow started from the page is still running."""
    return any(job.state == RUNNING for job in list_jobs())
