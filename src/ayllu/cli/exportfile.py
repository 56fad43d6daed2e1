"""The export file: one record as JSON Lines (see docs/export-format.md).

Line 1 describes the record; then each entry's exact header text, each followed by the first
occurrence of its body (by hash and visibility) when the exporter may show it; then the node's
checkpoints. Every signed thing travels as its exact canonical text inside a JSON string, so the
bytes that were signed are the bytes that are checked.
"""

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from ayllu.core.errors import DomainError
from ayllu.core.ledger.record import (
    RULE_VIS,
    SPLIT_FORMAT,
    VISIBILITIES,
    Act,
    Body,
    BodyKey,
    words_commitment,
)
from ayllu.core.ledger.verify import ERASED, Erased
from ayllu.queries.export import FORMAT, VERSION, export_lines


class MalformedExport(DomainError):
    """The export file is not of the documented form; `line` names the first bad line."""

    code = "malformed_export"


@dataclass
class ExportedRecord:
    """A record read from an export file: exact entry bytes, the bodies it carries, checkpoints."""

    log: str
    name: str
    visible: frozenset[str]
    entries: list[bytes] = field(default_factory=list)
    bodies: dict[BodyKey, Body | Erased] = field(default_factory=dict)
    checkpoints: list[bytes] = field(default_factory=list)


def write_export(
    out: IO[str],
    *,
    log: str,
    name: str,
    visible: frozenset[str],
    entries: Iterable[tuple[bytes, Act]],
    bodies: dict[BodyKey, Body | Erased],
    checkpoints: Iterable[bytes],
) -> int:
    """Write one record; `entries` yields (header bytes, act). Return the entry count."""
    count = 0

    def counted() -> Iterator[tuple[bytes, Act]]:
        nonlocal count
        for entry in entries:
            count += 1
            yield entry

    lines = export_lines(
        log=log, name=name, visible=visible, entries=counted(), bodies=bodies, checkpoints=checkpoints
    )
    out.writelines(lines)
    return count


def _text(obj: dict[str, Any], key: str, *, line: int) -> str:
    value = obj.get(key)
    if not isinstance(value, str):
        raise MalformedExport(line=line, field=key)
    return value


def _vis(obj: dict[str, Any], visible: frozenset[str], *, line: int) -> str:
    vis = _text(obj, "vis", line=line)
    if vis not in visible:
        raise MalformedExport(line=line, field="vis", value=vis)
    return vis


def _objects(lines: Iterable[str]) -> Iterator[tuple[int, dict[str, Any]]]:
    for number, text in enumerate(lines, start=1):
        try:
            obj = json.loads(text)
        except (json.JSONDecodeError, RecursionError):
            raise MalformedExport(line=number, reason="not_json") from None
        if not isinstance(obj, dict):
            raise MalformedExport(line=number, reason="not_an_object")
        yield number, obj


def read_export(lines: Iterable[str]) -> ExportedRecord:
    """Parse an export file strictly; raise MalformedExport naming the first bad line."""
    objects = _objects(lines)
    first = next(objects, None)
    if first is None or first[1].get("format") != FORMAT or first[1].get("version") != VERSION:
        raise MalformedExport(line=1, field="format")
    _, head = first
    visible = head.get("visible")
    if not isinstance(visible, list) or not set(visible) <= set(VISIBILITIES) or "confidential" in visible:
        raise MalformedExport(line=1, field="visible")
    record = ExportedRecord(_text(head, "log", line=1), str(head.get("name", "")), frozenset(visible))
    named: set[BodyKey] = set()  # the (hash, vis) the entries and rule bodies read so far name
    words_vis: dict[BodyKey, set[str]] = {}  # a format-2 rule body's key -> the visibilities of its words
    for number, obj in objects:
        keys = set(obj)
        if keys == {"entry"}:
            if record.checkpoints:
                raise MalformedExport(line=number, reason="entry_after_checkpoints")
            text = _text(obj, "entry", line=number)
            record.entries.append(text.encode("utf-8"))
            key, words = _names(text)
            named.add(key)
            if words is not None:
                # Two acts may share one rule body (the same rule data) with words under two
                # visibilities: the rule body is written once, after the first of them.
                words_vis.setdefault(key, set()).add(words)
                held = record.bodies.get(key)
                if isinstance(held, Body):
                    named.update(_words_named(held, words))
        elif keys in ({"body", "vis"}, {"erased", "vis"}):
            key, body = _body_line(obj, record.visible, line=number)
            if record.checkpoints:
                raise MalformedExport(line=number, reason="body_after_checkpoints")
            if key not in named:
                raise MalformedExport(line=number, reason="body_before_entry", body=key[0], vis=key[1])
            if key in record.bodies:
                raise MalformedExport(line=number, reason="duplicate_body", body=key[0], vis=key[1])
            record.bodies[key] = body
            if isinstance(body, Body):
                for words in words_vis.get(key, ()):
                    named.update(_words_named(body, words))
        elif keys == {"checkpoint"}:
            record.checkpoints.append(_text(obj, "checkpoint", line=number).encode("utf-8"))
        else:
            raise MalformedExport(line=number, fields=sorted(keys))
    return record


def _names(entry: str) -> tuple[BodyKey, str | None]:
    """The (body hash, visibility) an entry's header names, ("", "") when it is no header at all; and for
    a format-2 header the visibility of the words its rule body names (docs/record-format.md 13).

    The reader only places body lines; whether the header is canonical and well formed is the
    verifier's first check, which names the entry.
    """
    try:
        header = json.loads(entry)
    except (json.JSONDecodeError, RecursionError):
        return ("", ""), None
    if not isinstance(header, dict):
        return ("", ""), None
    body, vis = header.get("body"), header.get("vis")
    if not isinstance(body, str) or not isinstance(vis, str):
        return ("", ""), None
    if header.get("v") == SPLIT_FORMAT:
        return (body, RULE_VIS), vis
    return (body, vis), None


def _words_named(rule: Body, vis: str) -> set[BodyKey]:
    """The words body a format-2 rule body names, under the act's visibility (none if it names none)."""
    try:
        commitment = words_commitment(rule.content())
    except DomainError:
        return set()  # not canonical JSON: the verifier names the entry
    return set() if commitment is None else {(commitment[0], vis)}


def _body_line(obj: dict[str, Any], visible: frozenset[str], *, line: int) -> tuple[BodyKey, Body | Erased]:
    vis = _vis(obj, visible, line=line)
    if "body" in obj:
        body = Body(_text(obj, "body", line=line).encode("utf-8"), vis)
        return body.key, body
    return (_text(obj, "erased", line=line), vis), ERASED
