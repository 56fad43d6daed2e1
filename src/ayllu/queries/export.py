"""A record as its export file (JSON Lines, docs/export-format.md), line by line.

`export_lines` writes the lines of any record given its entries, bodies and checkpoints: the web
download (`iter_export_lines`) and `ayllu export` (`cli.exportfile.write_export`) both write through it.
"""

import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from ayllu.core.ledger.record import Act, Body, BodyKey, body_keys
from ayllu.core.ledger.verify import Erased

from .record import get_bodies, get_record_overview, iter_export_entries, list_checkpoint_bytes

FORMAT = "ayllu-record-export"
VERSION = 1


def _line(obj: dict[str, Any]) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n"


def export_lines(
    *,
    log: str,
    name: str,
    visible: frozenset[str],
    entries: Iterable[tuple[bytes, Act]],
    bodies: Mapping[BodyKey, Body | Erased],
    checkpoints: Iterable[bytes],
) -> Iterator[str]:
    """Each line of one record's export file: the record, then each entry's exact header text followed
    by the first occurrence of each of its bodies whose visibility is in `visible`, then checkpoints."""
    yield _line({"format": FORMAT, "version": VERSION, "log": log, "name": name, "visible": sorted(visible)})
    written: set[BodyKey] = set()
    for raw, act in entries:
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
    for raw in checkpoints:
        yield _line({"checkpoint": raw.decode("utf-8")})


def iter_export_lines(log: str, *, visible: frozenset[str]) -> Iterator[str]:
    """Each line of the export file of `log` carrying only bodies whose visibility is in `visible`."""
    if "confidential" in visible:
        raise ValueError("confidential bodies are never exported in clear")
    yield from export_lines(
        log=log,
        name=get_record_overview(log).name,
        visible=visible,
        entries=iter_export_entries(log),
        bodies=get_bodies(log),
        checkpoints=list_checkpoint_bytes(log),
    )
