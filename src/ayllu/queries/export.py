"""A record as its export file (JSON Lines, docs/export-format.md), line by line, for the web download.

The lines are those `ayllu export` writes (`cli.exportfile.write_export`); the web layer may not import
the CLI, so they are produced here from the same reads, and a test holds the two byte for byte.
"""

import json
from collections.abc import Iterator
from typing import Any

from ayllu.core.ledger.record import Body, body_keys

from .record import get_bodies, get_record_overview, iter_export_entries, list_checkpoint_bytes

FORMAT = "ayllu-record-export"
VERSION = 1


def _line(obj: dict[str, Any]) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n"


def iter_export_lines(log: str, *, visible: frozenset[str]) -> Iterator[str]:
    """Each line of the export file of `log` carrying only bodies whose visibility is in `visible`."""
    if "confidential" in visible:
        raise ValueError("confidential bodies are never exported in clear")
    overview = get_record_overview(log)
    bodies = get_bodies(log)
    head = {"format": FORMAT, "version": VERSION, "log": log, "name": overview.name}
    yield _line({**head, "visible": sorted(visible)})
    written: set[tuple[str, str]] = set()
    for raw, act in iter_export_entries(log):
        yield _line({"entry": raw.decode("utf-8")})
        for key in body_keys(act, bodies.get):
            body_hash, vis = key
            if vis not in visible or key in written or key not in bodies:
                continue
            body = bodies[key]
            if isinstance(body, Body):
                yield _line({"body": body.raw.decode("utf-8"), "vis": body.vis})
            else:
                yield _line({"erased": body_hash, "vis": vis})
            written.add(key)
    for raw in list_checkpoint_bytes(log):
        yield _line({"checkpoint": raw.decode("utf-8")})
