"""A council's register of households, as it keeps it today (a spreadsheet saved as CSV), read to invite
each household to join on its own device (docs/paperwork.md).

The file is UTF-8 (a byte-order mark is dropped), comma- or semicolon-separated, with a header row naming
the columns: `name` (or `nombre`, required), and optionally `phone` (`telefono`) and `email` (`correo`).
Blank lines are skipped. Each household's name is trimmed and put in NFC, then checked by the text
policy for names (`core.assembly.texts`). A line is refused (`problem`) for an empty name, a name the
policy refuses, the same name as an earlier line, or the name of a household already in the assembly;
it is flagged (`warning`) when its name looks like another line's or an existing household's without
being the same (an invitation is still possible: people decide). Problems and warnings are codes the
interfaces put in words; nothing here stores anything.
"""

import csv
import io
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from ayllu.core.assembly.texts import name_problem, skeleton

MAX_ROWS = 500
MAX_BYTES = 256 * 1024
NAME_MAX = 64  # as the application form's household name
COLUMNS = {
    "name": "name",
    "nombre": "name",
    "phone": "phone",
    "telefono": "phone",
    "teléfono": "phone",
    "email": "email",
    "correo": "email",
    "e-mail": "email",
}


@dataclass(frozen=True, slots=True)
class RegisterLine:
    """One household of the file: its line in the file, its name, optional contact, and what is wrong."""

    line: int
    name: str
    phone: str = ""
    email: str = ""
    problem: str = ""  # empty_name, name_not_allowed, too_long, duplicate, exists
    warning: str = ""  # looks_like_line, looks_like_existing
    like: str = ""  # the name it duplicates or looks like
    reason: str = ""  # for name_not_allowed: the text policy's reason (control, bidi_control, format...)


@dataclass(frozen=True, slots=True)
class Register:
    """The file as read: its lines, or the one problem that stops reading it at all."""

    lines: tuple[RegisterLine, ...] = ()
    problem: str = ""  # not_utf8, too_large, empty, no_name_column, too_many_rows
    detail: dict[str, int] = field(default_factory=dict)

    @property
    def invitable(self) -> tuple[RegisterLine, ...]:
        return tuple(line for line in self.lines if not line.problem)


def _header(cells: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        column = COLUMNS.get(" ".join(cell.strip().casefold().split()))
        if column is not None:
            found.setdefault(column, index)
    return found


def _delimiter(first_line: str) -> str:
    return ";" if first_line.count(";") > first_line.count(",") else ","


def read_register(data: bytes, *, existing: Iterable[str] = ()) -> Register:
    """Read a register file against the names of the assembly's households (`existing`)."""
    if len(data) > MAX_BYTES:
        return Register(problem="too_large", detail={"limit": MAX_BYTES})
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return Register(problem="not_utf8")
    stripped = text.lstrip("\r\n\t ")
    if not stripped:
        return Register(problem="empty")
    first = stripped.splitlines()[0]
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first))
    columns: dict[str, int] | None = None
    read: list[tuple[int, list[str]]] = []
    try:
        for cells in rows:
            if not any(cell.strip() for cell in cells):
                continue
            if columns is None:
                columns = _header(cells)
                if "name" not in columns:
                    return Register(problem="no_name_column", detail={"line": rows.line_num})
                continue
            read.append((rows.line_num, cells))
            if len(read) > MAX_ROWS:
                return Register(problem="too_many_rows", detail={"limit": MAX_ROWS})
    except csv.Error:
        return Register(problem="not_csv", detail={"line": rows.line_num})
    if columns is None or not read:
        return Register(problem="empty")
    return Register(lines=tuple(_check(read, columns, existing=existing)))


def check_register_lines(
    lines: Iterable[tuple[int, str, str, str]], *, existing: Iterable[str] = ()
) -> Register:
    """Check again (line, name, phone, email) rows a preview showed, as `read_register` checks a file's."""
    read = [(line, [name, phone, email]) for line, name, phone, email in lines]
    if len(read) > MAX_ROWS:
        return Register(problem="too_many_rows", detail={"limit": MAX_ROWS})
    if not read:
        return Register(problem="empty")
    columns = {"name": 0, "phone": 1, "email": 2}
    return Register(lines=tuple(_check(read, columns, existing=existing)))


def _cell(cells: list[str], index: int | None) -> str:
    return cells[index].strip() if index is not None and index < len(cells) else ""


def _check(
    read: list[tuple[int, list[str]]], columns: dict[str, int], *, existing: Iterable[str]
) -> list[RegisterLine]:
    known = {name: name for name in existing}
    known_look = {skeleton(name): name for name in known}
    seen: dict[str, str] = {}
    seen_look: dict[str, str] = {}
    lines = []
    for number, cells in read:
        name = unicodedata.normalize("NFC", _cell(cells, columns["name"]))
        line = RegisterLine(
            line=number,
            name=name,
            phone=_cell(cells, columns.get("phone")),
            email=_cell(cells, columns.get("email")),
        )
        lines.append(_judge(line, known, known_look, seen, seen_look))
        if not lines[-1].problem:
            seen[name] = name
            seen_look.setdefault(skeleton(name), name)
    return lines


def _judge(
    line: RegisterLine,
    known: dict[str, str],
    known_look: dict[str, str],
    seen: dict[str, str],
    seen_look: dict[str, str],
) -> RegisterLine:
    name = line.name
    if not name:
        return replace(line, problem="empty_name")
    found = name_problem(name)
    if found is not None:
        return replace(line, problem="name_not_allowed", reason=found[1])
    if len(name) > NAME_MAX:
        return replace(line, problem="too_long")
    if name in seen:
        return replace(line, problem="duplicate", like=name)
    if name in known:
        return replace(line, problem="exists", like=name)
    look = skeleton(name)
    if look in known_look:
        return replace(line, warning="looks_like_existing", like=known_look[look])
    if look in seen_look:
        return replace(line, warning="looks_like_line", like=seen_look[look])
    return line
