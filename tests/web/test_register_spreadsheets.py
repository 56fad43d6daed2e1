"""The register of households uploaded as a spreadsheet, .xlsx (written here with openpyxl) or .ods
(written with odfpy, as LibreOffice writes one): the same preview, checks, duplicates and look-alikes as
a CSV file, lines numbered as the sheet numbers its rows, and the spreadsheet's own traps named in words
per line: blank rows, a title above the header, merged cells, formulas with and without a computed
value, dates, numbers typed as phones, the register on a second sheet, a hidden sheet, a damaged file,
an old .xls, a sheet that claims a million rows."""

import io
import re
import zipfile
from collections.abc import Callable
from datetime import date
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from odf.opendocument import OpenDocumentSpreadsheet
from odf.style import Style, TableProperties
from odf.table import CoveredTableCell, Table, TableCell, TableRow
from odf.text import P

from ayllu.actions.record import forget_replayed_state
from ayllu.core.charter.register import MAX_ROWS
from ayllu.register_files import read_register_file
from factories.stored import StoredAssembly, found_with_officers, log_in_as

REGISTER = {
    "es": "/es/asamblea/{log}/invitaciones/registro/",
    "en": "/en/assembly/{log}/invitations/register/",
}
# A cell: text, a number, a date, None (empty), ("formula", cached value or None), ("merged", rows)
Row = list[Any]


def xlsx(sheets: dict[str, list[Row]], *, hidden: tuple[str, ...] = ()) -> bytes:
    """A workbook written by openpyxl. A formula keeps no computed value (openpyxl computes nothing);
    ("merged", n) merges the cell with the n - 1 cells below it."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        if title in hidden:
            sheet.sheet_state = "hidden"
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if isinstance(value, tuple) and value[0] == "formula":
                    sheet.cell(r, c, value[1])
                elif isinstance(value, tuple) and value[0] == "merged":
                    sheet.cell(r, c, value[2])
                    sheet.merge_cells(start_row=r, start_column=c, end_row=r + value[1] - 1, end_column=c)
                elif value is not None:
                    sheet.cell(r, c, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def ods(sheets: dict[str, list[Row]], *, hidden: tuple[str, ...] = ()) -> bytes:
    """A spreadsheet written by odfpy as LibreOffice writes one: a formula carries its computed value
    when it has one; ("merged", n, text) spans n rows and covers the cells below; a long run of blank
    rows at the end, repeated (as every LibreOffice file has)."""
    doc = OpenDocumentSpreadsheet()
    invisible = Style(name="hidden-table", family="table")
    invisible.addElement(TableProperties(display="false"))
    doc.automaticstyles.addElement(invisible)
    for title, rows in sheets.items():
        table = Table(name=title, **({"stylename": invisible} if title in hidden else {}))
        covered: set[tuple[int, int]] = set()
        for r, row in enumerate(rows):
            line = TableRow()
            for c, value in enumerate(row):
                if (r, c) in covered:
                    line.addElement(CoveredTableCell())
                    continue
                line.addElement(_ods_cell(value))
                if isinstance(value, tuple) and value[0] == "merged":
                    covered |= {(r + k, c) for k in range(1, value[1])}
            table.addElement(line)
        table.addElement(TableRow(numberrowsrepeated=1_048_000))
        doc.spreadsheet.addElement(table)
    out = io.BytesIO()
    doc.write(out)
    return out.getvalue()


def _ods_cell(value: Any) -> TableCell:
    if value is None:
        return TableCell()
    if isinstance(value, tuple) and value[0] == "formula":
        formula, cached = value[1], value[2] if len(value) > 2 else None
        if cached is None:
            return TableCell(formula="of:" + formula)
        cell = TableCell(formula="of:" + formula, valuetype="string")
        cell.addElement(P(text=cached))
        return cell
    if isinstance(value, tuple) and value[0] == "merged":
        cell = TableCell(valuetype="string", numberrowsspanned=value[1])
        cell.addElement(P(text=value[2]))
        return cell
    if isinstance(value, date):
        cell = TableCell(valuetype="date", datevalue=value.isoformat())
        cell.addElement(P(text=value.strftime("%d/%m/%Y")))
        return cell
    if isinstance(value, (int, float)):
        cell = TableCell(valuetype="float", value=str(value))
        cell.addElement(P(text=str(value)))
        return cell
    cell = TableCell(valuetype="string")
    cell.addElement(P(text=value))
    return cell


WRITERS: dict[str, Callable[..., bytes]] = {"xlsx": xlsx, "ods": ods}
REGISTER_ROWS: list[Row] = [
    ["Padrón de la Junta Vecinal Villa Esperanza"],  # a title above the header
    [],
    ["Nombre", "Teléfono", "Correo"],
    ["Familia Quispe", 70000001, "quispe@example.org"],  # a phone typed as a number
    [],  # a blank row inside the list
    ["Familia Quispe", None, None],  # the same name
    ["Familia Apaza", None, None],
    ["Familia Qu\u0456spe", None, None],  # a look-alike (a Cyrillic i)
    [date(2024, 3, 1), None, None],  # a date where a name goes
    [("merged", 2, "Familia Mamani"), 70000002, None],  # one household over two rows (two phones)
    [None, 70000003, None],  # the row its merged name covers
]


@pytest.fixture
def assembly(db: None) -> StoredAssembly:
    forget_replayed_state()
    return found_with_officers("Junta Vecinal Planilla")


@pytest.fixture
def member(assembly: StoredAssembly) -> Client:
    client = Client()
    log_in_as(client, assembly.log, assembly.members[1])
    return client


def upload(client: Client, log: str, data: bytes, name: str, *, lang: str = "en") -> tuple[int, str]:
    file = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    response = client.post(REGISTER[lang].format(log=log), {"do": "preview", "register": file})
    return response.status_code, response.content.decode()


@pytest.mark.parametrize("kind", ["xlsx", "ods"])
def test_a_spreadsheet_gets_the_preview_a_csv_file_gets_with_its_own_row_numbers(
    assembly: StoredAssembly, member: Client, kind: str
) -> None:
    # given the register as the council keeps it, on a sheet after a summary sheet without names
    data = WRITERS[kind]({"Resumen": [["Total", 5]], "Hogares": REGISTER_ROWS})
    # when a member uploads it (named as the member's phone names it: no extension)
    status, page = upload(member, assembly.log, data, "padron")
    # then the sheet with the names is read and each line says what is wrong, by the sheet's row numbers
    assert status == 200
    assert "Read from the sheet" in page and "Hogares" in page
    assert "4 households can be invited." in page and "3 lines are left out." in page
    assert "The same name is on an earlier line." in page
    assert "Looks like Familia Quispe, on an earlier line: is it the same household?" in page
    assert "The name is a date: check that the columns are in their place." in page
    assert "The name cell is merged with line 10: it is the same household." in page
    picks = re.findall(r'name="pick" value="(\d+)"( checked)?', page)
    assert picks == [("4", " checked"), ("7", " checked"), ("8", ""), ("10", " checked")]
    # and the phone typed as a number is kept as its digits, for the "send by message" link
    assert 'name="phone" value="70000001"' in page and 'name="phone" value="70000002"' in page
    assert 'name="email" value="quispe@example.org"' in page


@pytest.mark.parametrize("kind", ["xlsx", "ods"])
def test_a_formula_is_read_by_its_computed_value_and_refused_without_one(kind: str) -> None:
    # given names written as formulas: one the spreadsheet computed (LibreOffice writes the value), one
    # it never did (a file written by a program that computes nothing)
    computed = ("formula", '=CONCATENATE("Familia ";"Choque")', "Familia Choque")
    never = ("formula", '=CONCATENATE("Familia ";"Condori")')
    rows: list[Row] = [["name"], [computed if kind == "ods" else "Familia Choque"], [never]]
    # when the file is read
    found = read_register_file(WRITERS[kind]({"Sheet1": rows}))
    # then the computed one is its value; the other is refused, saying why
    assert [(line.line, line.name, line.problem) for line in found.lines] == [
        (2, "Familia Choque", ""),
        (3, "", "formula_not_computed"),
    ]


def test_the_uncomputed_formula_is_named_on_the_page_in_spanish(
    assembly: StoredAssembly, member: Client
) -> None:
    data = xlsx({"Hoja1": [["nombre"], ["Familia Apaza"], [("formula", '="Familia "&"Condori"')]]})
    status, page = upload(member, assembly.log, data, "padron.xlsx", lang="es")
    assert status == 200
    assert "El nombre es una fórmula que la planilla no calculó." in page
    assert "Se puede invitar 1 familia." in page


@pytest.mark.parametrize("kind", ["xlsx", "ods"])
def test_a_hidden_sheet_is_not_read_and_no_sheet_with_names_is_a_clear_400(
    assembly: StoredAssembly, member: Client, kind: str
) -> None:
    # given the names only on a hidden sheet, and a visible sheet without a name column
    data = WRITERS[kind](
        {"Datos": [["familia", "lote"], ["Quispe", 3]], "Viejo": [["name"], ["Apaza"]]}, hidden=("Viejo",)
    )
    # when it is uploaded
    status, page = upload(member, assembly.log, data, f"padron.{kind}")
    # then nothing is read and the page says what the file lacks, nothing invitable is offered
    assert status == 400
    assert "No sheet of the file has a row naming the columns with name (or nombre)" in page
    assert 'name="pick"' not in page


def test_a_damaged_spreadsheet_and_an_old_xls_are_clear_400s(
    assembly: StoredAssembly, member: Client
) -> None:
    # given a workbook cut in half, and the first bytes of an old Excel file
    whole = xlsx({"Hoja1": [["nombre"], ["Familia Apaza"]]})
    damaged = whole[: len(whole) // 2]
    old = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    # when each is uploaded, then each is refused in words, in Spanish too
    status, page = upload(member, assembly.log, damaged, "padron.xlsx")
    assert status == 400 and "The file cannot be read as a spreadsheet." in page
    status, page = upload(member, assembly.log, old, "padron.xls", lang="es")
    assert status == 400 and "El archivo está en el formato antiguo de Excel (.xls)" in page


def test_a_sheet_that_claims_a_million_rows_is_refused_without_reading_them() -> None:
    # given an .xlsx whose one sheet has a name and a cell in its last row and last column
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"], sheet["A2"] = "name", "Familia Apaza"
    sheet.cell(1_048_576, 16_384, "x")
    out = io.BytesIO()
    book.save(out)
    # when it is read, then it is refused as too many rows (bounded work, not a million rows walked)
    found = read_register_file(out.getvalue())
    assert (found.problem, found.detail) == ("too_many_rows", {"limit": MAX_ROWS})


def test_a_zip_that_unpacks_to_more_than_a_register_could_is_refused_unread() -> None:
    # given a small ZIP that says it unpacks to 64 MB (a zip bomb's shape)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (64 * 1024 * 1024))
    # when it is read, then it is refused as too large before any XML is parsed
    assert read_register_file(out.getvalue()).problem == "too_large"


@pytest.mark.parametrize("kind", ["xlsx", "ods"])
def test_an_empty_spreadsheet_and_one_with_only_a_header_are_empty(kind: str) -> None:
    assert read_register_file(WRITERS[kind]({"Hoja1": []})).problem == "empty"
    assert read_register_file(WRITERS[kind]({"Hoja1": [["nombre", "telefono"]]})).problem == "empty"
