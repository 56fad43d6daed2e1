"""Nodes run as separate processes, each in its own data directory, on SQLite or PostgreSQL: the `ayllu`
command, a child that appends (appender.py) and one that seeds the federation tests' record (seed.py)."""

import os
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

AYLLU = str(Path(sys.executable).with_name("ayllu"))
APPENDER = str(Path(__file__).with_name("appender.py"))
SEED = str(Path(__file__).with_name("seed.py"))


def node_env(data: Path, database_url: str | None = None) -> dict[str, str]:
    """The environment of a node's processes: this one's, minus every AYLLU_ and DJANGO_ setting."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AYLLU_", "DJANGO_"))}
    env |= {"DJANGO_SETTINGS_MODULE": "ayllu.settings.dev", "AYLLU_DATA_DIR": str(data)}
    if database_url:
        env["AYLLU_DATABASE_URL"] = database_url
    return env


@dataclass(frozen=True)
class Node:
    """A node as the `ayllu` command sees it: a data directory and, optionally, a PostgreSQL URL."""

    data: Path
    database_url: str | None = None

    @property
    def env(self) -> dict[str, str]:
        return node_env(self.data, self.database_url)

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run `ayllu ARGS` for this node; return the finished process (stdout, stderr, returncode)."""
        return subprocess.run([AYLLU, *args], env=self.env, capture_output=True, text=True, timeout=300)

    def ayllu(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run `ayllu ARGS`; fail with its output unless it exits 0 (or `check` is false)."""
        done = self.run(*args)
        if check and done.returncode != 0:
            raise AssertionError(
                f"ayllu {' '.join(args)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
            )
        return done

    def appender(self, count: int, *, quiet: bool = False, threads: int = 1) -> subprocess.Popen[str]:
        """A child appending `count` notices (0: forever) as the demo's ana; see appender.py."""
        args = [sys.executable, APPENDER, str(self.data / "demo-members" / "ana.key"), str(count)]
        args += ["--threads", str(threads), *(["--quiet"] if quiet else [])]
        return subprocess.Popen(args, env=self.env, stdout=subprocess.PIPE, text=True)

    def sqlite(self) -> Path:
        return self.data / "ayllu.sqlite3"

    def only_log(self) -> str:
        """The log id of the one record this SQLite node holds (a demo node's)."""
        with sqlite3.connect(self.sqlite()) as db:
            ((log,),) = db.execute("SELECT log FROM ayllu_record").fetchall()
        return str(log)
