"""One clock for the adapters: outside storage/clock.py, nothing in src/ayllu reads the wall clock itself.

The core takes time as an argument (an entry's time, `now=`), so it is scanned too; timers of a duration
(`time.monotonic`, `time.perf_counter`) are no clock and pass. Reading the clock through one module is what
lets a test move every reader at once (`monkeypatch.setattr(clock, "now_ms", ...)`).
"""

import ast
from pathlib import Path

import ayllu

SRC = Path(ayllu.__file__).parent
CLOCK = SRC / "storage" / "clock.py"

# (module or class, function) pairs that read the wall clock, called or handed on as a callable.
READS = {
    ("time", "time"),
    ("time", "time_ns"),
    ("timezone", "now"),
    ("datetime", "now"),
    ("datetime", "utcnow"),
    ("datetime", "today"),
    ("date", "today"),
}
# Functions that read the wall clock only when called without the time to work on.
READS_WITHOUT_ARGUMENT = {
    ("timezone", "localtime"),
    ("timezone", "localdate"),
    ("time", "localtime"),
    ("time", "gmtime"),
    ("time", "ctime"),
}
IMPORTED_READS = {"time", "time_ns", "now", "localtime", "localdate", "gmtime", "ctime"}
# Django stamps these rows on insert (`default=timezone.now`): the default is part of the migrations' field
# state, so moving it is a schema migration of its own (not done here).
MODEL_DEFAULTS = {SRC / "storage" / "models.py", SRC / "storage" / "replica.py"}


def _pair(node: ast.expr) -> tuple[str, str] | None:
    if isinstance(node, ast.Attribute):
        owner = node.value
        name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
        return name, node.attr
    return None


def clock_reads(path: Path) -> list[str]:
    """Where the module at `path` reads the wall clock itself: `line: what`."""
    tree = ast.parse(path.read_text(), filename=str(path))
    defaults: set[int] = set()
    if path in MODEL_DEFAULTS:
        defaults = {
            id(kw.value)
            for call in ast.walk(tree)
            if isinstance(call, ast.Call)
            for kw in call.keywords
            if kw.arg == "default" and _pair(kw.value) == ("timezone", "now")
        }
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in {"time", "django.utils.timezone"}:
            names = [a.name for a in node.names if a.name in IMPORTED_READS]
            found += [f"{node.lineno}: from {node.module} import {name}" for name in names]
        pair = _pair(node) if isinstance(node, ast.Attribute) else None
        if pair in READS and id(node) not in defaults:
            found.append(f"{node.lineno}: {'.'.join(pair)}")
        if isinstance(node, ast.Call) and not node.args and not node.keywords:
            called = _pair(node.func)
            if called in READS_WITHOUT_ARGUMENT:
                found.append(f"{node.lineno}: {'.'.join(called)}()")
    return sorted(found, key=lambda read: int(read.split(":")[0]))


def test_only_the_clock_module_reads_the_wall_clock() -> None:
    # given every module of the node but the clock's own
    modules = [p for p in sorted(SRC.rglob("*.py")) if p != CLOCK and "migrations" not in p.parts]
    # when each is scanned for direct reads of the wall clock
    reads = {str(p.relative_to(SRC)): r for p in modules if (r := clock_reads(p))}
    # then there are none: they go through ayllu.storage.clock
    assert reads == {}


def test_the_scan_sees_each_way_of_reading_the_clock(tmp_path: Path) -> None:
    # given a module reading the clock in each way the scan knows, and timers that are no clock
    module = tmp_path / "reads.py"
    module.write_text(
        "import time\nimport datetime as dt\nfrom django.utils import timezone\nfrom time import time_ns\n"
        "a = time.time()\nb = timezone.now\nc = dt.datetime.now()\nd = timezone.localdate()\n"
        "e = time.monotonic()\nf = time.perf_counter()\ng = timezone.localtime(b)\n"
    )
    # when / then: every read is named, the timers and a conversion of a given time are not
    assert clock_reads(module) == [
        "4: from time import time_ns",
        "5: time.time",
        "6: timezone.now",
        "7: datetime.now",
        "8: timezone.localdate()",
    ]
