"""A council's register of households, as it keeps it today (a spreadsheet, or one saved as CSV), read
to invite each household to join on its own device (docs/paperwork.md).

The file is UTF-8 (a byte-order mark is dropped), comma- or semicolon-separated, with a header row naming
the columns: `name` (or `nombre`, required), and optionally `phone` (`telefono`) and `email` (`correo`);
a few rows above it (a title) are skipped. Blank lines are skipped. Each household's name is trimmed and
put in NFC, then checked by the text policy for names (`core.assembly.texts`). A line is refused
(`problem`) for an empty name, a name the policy refuses, the same name as an earlier line, or the name of
a household already in the assembly; it is flagged (`warning`) when its name looks like another line's or
an existing household's without being the same (an invitation is still possible: people decide).
Problems and warnings are codes the interfaces put in words; nothing here stores anything.

A spreadsheet (.xlsx, .ods) is read into rows outside the core (`ayllu.register_files`) and checked here
by `register_from_rows` as a CSV file's rows are: a cell that cannot stand for a name (a formula never
computed, the covered part of a merged cell, a date) comes as an `UnreadableCell` naming why.
"""

import csv
import io
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from ayllu.core.assembly.texts import name_problem, skeleton

MAX_ROWS = 500
MAX_BYTES = 256 * 1024
NAME_MAX = 64  # as the application form's household name
TITLE_ROWS = 5  # rows above the one naming the columns (a title, a date) that are skipped
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
    problem: str = ""  # empty_name, name_not_allowed, too_long, duplicate, exists; an UnreadableCell's
    warning: str = ""  # looks_like_line, looks_like_existing
    like: str = ""  # the name it duplicates or looks like; for `merged`, the line holding the name
    reason: str = ""  # for name_not_allowed: the text policy's reason (control, bidi_control, format...)


@dataclass(frozen=True, slots=True)
class UnreadableCell:
    """A spreadsheet's cell that holds no text to read as a name: `problem` says why (formula_not_computed,
    merged, date_as_name); `line` is the line of the merged cell's value, for `merged`."""

    problem: str
    line: int = 0


Cell = str | UnreadableCell


@dataclass(frozen=True, slots=True)
class Register:
    """The file as read: its lines, or the one problem that stops reading it at all. `sheet` is the
    spreadsheet's sheet the lines were read from ("" for CSV)."""

    lines: tuple[RegisterLine, ...] = ()
    problem: str = ""  # not_utf8, too_large, empty, no_name_column, too_many_rows; not_spreadsheet, old_xls
    detail: dict[str, int] = field(default_factory=dict)
    sheet: str = ""

    @property
    def invitable(self) -> tuple[RegisterLine, ...]:
        return tuple(line for line in self.lines if not line.problem)


def _header(cells: Sequence[Cell]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        if isinstance(cell, UnreadableCell):
            continue
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
    read: list[tuple[int, list[str]]] = []
    try:
        for cells in rows:
            read.append((rows.line_num, cells))  # no more than the file's bytes allow
    except csv.Error:
        return Register(problem="not_csv", detail={"line": rows.line_num})
    return register_from_rows(read, existing=existing)


def _blank(cells: Sequence[Cell]) -> bool:
    return not any(isinstance(cell, UnreadableCell) or cell.strip() for cell in cells)


def register_from_rows(
    rows: Iterable[tuple[int, Sequence[Cell]]], *, existing: Iterable[str] = (), sheet: str = ""
) -> Register:
    """Check a register given as rows of cells, each with its line number: blank rows are skipped, the
    first row naming a `name` column names the columns (a few rows above it, a title, are skipped),
    each row after it is a household."""
    columns: dict[str, int] | None = None
    read: list[tuple[int, Sequence[Cell]]] = []
    first_line, above = 0, 0
    for number, cells in rows:
        if _blank(cells):
            continue
        if columns is None:
            first_line = first_line or number
            named = _header(cells)
            if "name" in named:
                columns = named
                continue
            above += 1
            if above >= TITLE_ROWS:
                break
            continue
        read.append((number, cells))
        if len(read) > MAX_ROWS:
            return Register(problem="too_many_rows", detail={"limit": MAX_ROWS}, sheet=sheet)
    if columns is None and first_line:
        return Register(problem="no_name_column", detail={"line": first_line}, sheet=sheet)
    if columns is None or not read:
        return Register(problem="empty", sheet=sheet)
    return Register(lines=tuple(_check(read, columns, existing=existing)), sheet=sheet)


def check_register_lines(
    lines: Iterable[tuple[int, str, str, str]], *, existing: Iterable[str] = ()
) -> Register:
    """Check again (line, name, phone, email) rows a preview showed, as `read_register` checks a file's."""
    read: list[tuple[int, Sequence[Cell]]] = [
        (line, [name, phone, email]) for line, name, phone, email in lines
    ]
    if len(read) > MAX_ROWS:
        return Register(problem="too_many_rows", detail={"limit": MAX_ROWS})
    if not read:
        return Register(problem="empty")
    columns = {"name": 0, "phone": 1, "email": 2}
    return Register(lines=tuple(_check(read, columns, existing=existing)))


def _cell(cells: Sequence[Cell], index: int | None) -> str:
    if index is None or index >= len(cells):
        return ""
    cell = cells[index]
    return "" if isinstance(cell, UnreadableCell) else cell.strip()


def _check(
    read: Sequence[tuple[int, Sequence[Cell]]], columns: dict[str, int], *, existing: Iterable[str]
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
        named = cells[columns["name"]] if columns["name"] < len(cells) else ""
        if isinstance(named, UnreadableCell):
            lines.append(replace(line, problem=named.problem, like=str(named.line or "")))
            continue
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
