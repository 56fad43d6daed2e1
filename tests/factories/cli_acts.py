"""`ayllu act` run in this process, as a member types it, for CLI tests on the test database.

act_at = ActAt(capsys, tmp_path)                      # the `act_at` fixture of tests/cli/conftest.py
code, out = act_at("state-mandate", log, "carla", federation=fed, question=7, position="yes")
entries_of(log)                                       # the types of the record's entries, in order
assert appended(log, size, "delegate.mandated")       # one entry more, of that type; the record verifies
"""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from ayllu.actions.record import do_verify_record
from ayllu.cli.main import main
from ayllu.storage import models
from ayllu.storage.keyfiles import create_key_file

from .keys import seed_for


@dataclass
class ActAt:
    """`ayllu act KIND --log LOG --key WHO.key --lang LANG --FIELD VALUE...`: each signer's key file is
    made in `keys` from their test name; a field's value is passed as typed (text as is, numbers, lists
    and objects as JSON). Returns the exit code and what was printed (out and err)."""

    capsys: pytest.CaptureFixture[str]
    keys: Path

    def __call__(self, kind: str, log: str, who: str, *, lang: str = "en", **fields: Any) -> tuple[int, str]:
        key = self.keys / f"{who}.key"
        if not key.exists():
            create_key_file(key, seed=seed_for(who))
        args = ["act", kind, "--log", log, "--key", str(key), "--lang", lang]
        for name, value in fields.items():
            args += ["--" + name.replace("_", "-"), value if isinstance(value, str) else json.dumps(value)]
        code = main(args)
        out, err = self.capsys.readouterr()
        return code, out + err


def entries_of(log: str) -> list[str]:
    """The types of the entries of the record `log` held here, in order."""
    return list(models.Entry.objects.filter(record__log=log).order_by("seq").values_list("type", flat=True))


def appended(log: str, size: int, type: str) -> bool:
    """The record held here grew from `size` by one entry, of `type`, and verifies whole, every rule
    replayed (as `ayllu verify` does)."""
    types = entries_of(log)
    return len(types) == size + 1 and types[-1] == type and do_verify_record(log, workers=1).ok
