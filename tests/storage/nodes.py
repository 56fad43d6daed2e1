"""Nodes run as separate processes for crash and concurrency tests, on SQLite or PostgreSQL."""

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

AYLLU = str(Path(sys.executable).with_name("ayllu"))
APPENDER = str(Path(__file__).with_name("appender.py"))


@dataclass(frozen=True)
class Node:
    data: Path
    database_url: str | None = None

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AYLLU_", "DJANGO_"))}
        env |= {"DJANGO_SETTINGS_MODULE": "ayllu.settings.dev", "AYLLU_DATA_DIR": str(self.data)}
        if self.database_url:
            env["AYLLU_DATABASE_URL"] = self.database_url
        return env

    def ayllu(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run([AYLLU, *args], env=self.env, capture_output=True, text=True, timeout=300)
        if check and done.returncode != 0:
            raise AssertionError(
                f"ayllu {' '.join(args)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
            )
        return done

    def appender(self, count: int, *, quiet: bool = False, threads: int = 1) -> subprocess.Popen[str]:
        args = [sys.executable, APPENDER, str(self.data / "demo-members" / "ana.key"), str(count)]
        args += ["--threads", str(threads), *(["--quiet"] if quiet else [])]
        return subprocess.Popen(args, env=self.env, stdout=subprocess.PIPE, text=True)
