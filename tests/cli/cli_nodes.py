"""Nodes as the `ayllu` command sees them, for CLI tests (imported by conftest and by tests)."""

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

AYLLU = str(Path(sys.executable).with_name("ayllu"))


@dataclass(frozen=True)
class Node:
    """A node as the `ayllu` command sees it: a data directory and, optionally, a PostgreSQL URL."""

    data: Path
    database_url: str | None = None

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AYLLU_", "DJANGO_"))}
        env |= {"DJANGO_SETTINGS_MODULE": "ayllu.settings.dev", "AYLLU_DATA_DIR": str(self.data)}
        if self.database_url:
            env["AYLLU_DATABASE_URL"] = self.database_url
        return env

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run `ayllu ARGS` for this node; return the finished process (stdout, stderr, returncode)."""
        return subprocess.run([AYLLU, *args], env=self.env, capture_output=True, text=True, timeout=300)

    def sqlite(self) -> Path:
        return self.data / "ayllu.sqlite3"
