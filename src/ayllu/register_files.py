"""A council's register of households as it keeps it: a CSV file or a spreadsheet (.xlsx, .ods), read
into rows of text for `core.charter.register` to check (decision 0027).

The kind is told from the bytes, not the file's name: a ZIP holding `xl/workbook.xml` is an Office Open
XML workbook (read with openpyxl), one whose `mimetype` is an OpenDocument spreadsheet is read from its
`content.xml` (ODF 1.2 part 1, §9: tables, rows, cells; parsed with defusedxml), anything else is CSV.
The register is the first visible sheet whose first non-blank row names a `name` (or `nombre`) column.

Uploads come from anyone who may invite, so every read is bounded before it starts: the file's size
(`MAX_BYTES`), what its ZIP says it unpacks to (`MAX_UNPACKED`, and Python's zipfile stops at that
size), the columns read (`MAX_COLUMNS`) and the rows walked (`MAX_SCANNED`; a sheet may say it has a
million rows). A cell that holds no text for a name is an `UnreadableCell`: a formula the spreadsheet
never computed, the covered part of a merged cell, a date.
"""

import io
import warnings
import zipfile
from collections.abc import Iterable, Iterator
from datetime import date, datetime, time
from typing import Any

import openpyxl
from defusedxml import ElementTree

from ayllu.core.charter.register import (
    MAX_BYTES,
    MAX_ROWS,
    Cell,
    Register,
    UnreadableCell,
    read_register,
    register_from_rows,
)

MAX_UNPACKED = 4 * 1024 * 1024  # a register of 500 households unpacks to well under 1 MB
MAX_COLUMNS = 26
MAX_SCANNED = 20 * MAX_ROWS
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an old .xls (or an encrypted .xlsx)
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"

Rows = list[tuple[int, list[Cell]]]


class _Unreadable(Exception):
    """The file is not a spreadsheet this reads, or says it unpacks to too much: `problem` is the code."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


def read_register_file(data: bytes, *, existing: Iterable[str] = ()) -> Register:
    """Read a register upload, whatever its kind, against the names of the assembly's households."""
    if len(data) > MAX_BYTES:
        return Register(problem="too_large", detail={"limit": MAX_BYTES})
    if data.startswith(OLE_MAGIC):
        return Register(problem="old_xls")
    if not data.startswith(b"PK\x03\x04"):
        return read_register(data, existing=existing)
    existing = list(existing)
    try:
        sheets = _sheets(data)
    except _Unreadable as unreadable:
        if unreadable.problem == "too_large":
            return Register(problem="too_large", detail={"limit": MAX_BYTES})
        if unreadable.problem == "too_many_rows":
            return Register(problem="too_many_rows", detail={"limit": MAX_ROWS})
        return Register(problem=unreadable.problem)
    first: Register | None = None
    for name, rows in sheets:
        found = register_from_rows(rows, existing=existing, sheet=name)
        if found.problem not in ("no_name_column", "empty"):
            return found
        first = first or found
    return first or Register(problem="empty")


def _sheets(data: bytes) -> list[tuple[str, Rows]]:
    """The visible sheets of a workbook, each as rows of cells (line numbers as the sheet shows them)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED:
            raise _Unreadable("too_large")
        if "xl/workbook.xml" in names:
            return _xlsx_sheets(data)
        if "mimetype" in names and archive.read("mimetype").strip() == ODS_MIMETYPE:
            return _ods_sheets(archive.read("content.xml"))
    except _Unreadable:
        raise
    except Exception:  # a damaged file, whatever the library says of it
        raise _Unreadable("not_spreadsheet") from None
    raise _Unreadable("not_spreadsheet")


def _text(value: Any) -> Cell:
    """A cell's value as the text a register line holds: numbers without a needless ".0" (phones are
    often typed as numbers), a date refused as a name (`date_as_name`: a column was shifted)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (datetime, date, time)):
        return UnreadableCell("date_as_name")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx_sheets(data: bytes) -> list[tuple[str, Rows]]:
    with warnings.catch_warnings():
        # openpyxl warns of parts it skips (styles, data validation): nothing a register needs.
        warnings.simplefilter("ignore")
        values = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
        formulas = openpyxl.load_workbook(io.BytesIO(data), data_only=False)
    sheets = []
    for sheet in values.worksheets:
        if sheet.sheet_state != "visible":
            continue
        written = formulas[sheet.title]
        covered: dict[tuple[int, int], int] = {}
        for merged in sheet.merged_cells.ranges:
            for under in range(merged.min_row, min(merged.max_row, MAX_SCANNED) + 1):
                for column in range(merged.min_col, min(merged.max_col, MAX_COLUMNS) + 1):
                    if (under, column) != (merged.min_row, merged.min_col):
                        covered[(under, column)] = merged.min_row
        rows: Rows = []
        for number, cells in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS), start=1):
            if number > MAX_SCANNED:
                raise _Unreadable("too_many_rows")
            row: list[Cell] = []
            for column, cell in enumerate(cells, start=1):
                if (number, column) in covered:
                    row.append(UnreadableCell("merged", line=covered[(number, column)]))
                elif cell.value is None and written.cell(number, column).data_type == "f":
                    row.append(UnreadableCell("formula_not_computed"))
                else:
                    row.append(_text(cell.value))
            rows.append((number, row))
        sheets.append((sheet.title, rows))
    return sheets


def _ods_sheets(content: bytes) -> list[tuple[str, Rows]]:
    root = ElementTree.fromstring(content)
    hidden = {
        style.get(f"{STYLE}name")
        for style in root.iter(f"{STYLE}style")
        for props in style.iter(f"{STYLE}table-properties")
        if props.get(f"{TABLE}display") == "false"
    }
    sheets = []
    for table in root.iter(f"{TABLE}table"):
        if table.get(f"{TABLE}style-name") in hidden:
            continue
        sheets.append((table.get(f"{TABLE}name", ""), list(_ods_rows(table))))
    return sheets


def _ods_rows(table: Any) -> Iterator[tuple[int, list[Cell]]]:
    """A table's rows: repeated rows expanded while they hold something (blank ones only counted), the
    covered cells of a merge marked with the line of the cell that holds the value."""
    number = 0
    merges: dict[int, tuple[int, int]] = {}  # column → (last covered row, the line holding the value)
    for row in table.iter(f"{TABLE}table-row"):
        repeat = int(row.get(f"{TABLE}number-rows-repeated", "1"))
        cells = list(_ods_cells(row, number + 1, merges))
        if not any(isinstance(c, UnreadableCell) or c.strip() for c in cells):
            number += repeat
            continue
        for _ in range(min(repeat, MAX_SCANNED)):
            number += 1
            if number > MAX_SCANNED:
                raise _Unreadable("too_many_rows")
            yield number, cells


def _ods_cells(row: Any, number: int, merges: dict[int, tuple[int, int]]) -> Iterator[Cell]:
    column = 0
    for cell in row:
        if cell.tag not in (f"{TABLE}table-cell", f"{TABLE}covered-table-cell"):
            continue
        repeat = int(cell.get(f"{TABLE}number-columns-repeated", "1"))
        value = _ods_value(cell)
        spans = int(cell.get(f"{TABLE}number-rows-spanned", "1"))
        for _ in range(min(repeat, MAX_COLUMNS - column)):
            if spans > 1:
                merges[column] = (number + spans - 1, number)
            last, line = merges.get(column, (0, 0))
            if cell.tag == f"{TABLE}covered-table-cell":
                yield UnreadableCell("merged", line=line if number <= last else 0)
            else:
                yield value
            column += 1
        if column >= MAX_COLUMNS:
            return


def _ods_value(cell: Any) -> Cell:
    kind = cell.get(f"{OFFICE}value-type")
    if kind is None:
        if cell.get(f"{TABLE}formula"):
            return UnreadableCell("formula_not_computed")
        return ""
    if kind in ("date", "time"):
        return UnreadableCell("date_as_name")
    if kind == "boolean":
        return "TRUE" if cell.get(f"{OFFICE}boolean-value") == "true" else "FALSE"
    if kind in ("float", "percentage", "currency"):
        return _text(float(cell.get(f"{OFFICE}value", "0")))
    return "\n".join("".join(_ods_text(p)) for p in cell.iter(f"{TEXT}p"))


def _ods_text(paragraph: Any) -> Iterator[str]:
    """A paragraph's text, with its `text:s` (runs of spaces), tabs and line breaks."""
    if paragraph.text:
        yield paragraph.text
    for part in paragraph:
        if part.tag == f"{TEXT}s":
            yield " " * int(part.get(f"{TEXT}c", "1"))
        elif part.tag == f"{TEXT}tab":
            yield "\t"
        elif part.tag == f"{TEXT}line-break":
            yield "\n"
        else:
            yield from _ods_text(part)
        if part.tail:
            yield part.tail
