"""The register check through the API takes the register as a council keeps it, like the invitations page:
a .csv, .xlsx or .ods upload (multipart `file`), or CSV text (JSON `text`), read by the one reader
(`ayllu.register_files`). A bad file or bad lines are told in the asker's language, per line, with the
same words as the page, and nothing is written anywhere."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from ayllu.actions.record import forget_replayed_state
from ayllu.core.charter.register import MAX_BYTES
from ayllu.storage import models
from factories.stored import StoredAssembly, found_with_officers
from web.test_register_spreadsheets import REGISTER_ROWS, WRITERS, xlsx

CHECK = "/api/assemblies/{log}/register/check"
# The lines of REGISTER_ROWS as the page shows them: line, code, phone given (the sheet's row numbers)
JUDGED = [
    (4, "", "", True),
    (6, "duplicate", "", False),
    (7, "", "", False),
    (8, "", "looks_like_line", False),
    (9, "date_as_name", "", False),
    (10, "", "", True),
    (11, "merged", "", True),
]


@pytest.fixture
def council(db: None) -> StoredAssembly:
    forget_replayed_state()
    return found_with_officers("Junta Vecinal Padron API")


def _stored() -> dict[str, int]:
    """How many rows each table of the node holds, to see that a check writes none."""
    return {m.__name__: m.objects.count() for m in (models.Entry, models.Record, models.OutboxMessage)}


def check_file(log: str, data: bytes, name: str, *, lang: str = "en") -> tuple[int, dict]:  # type: ignore[type-arg]
    file = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    response = Client().post(CHECK.format(log=log), {"file": file}, HTTP_ACCEPT_LANGUAGE=lang)
    return response.status_code, response.json()


@pytest.mark.parametrize("kind", ["xlsx", "ods"])
def test_a_spreadsheet_is_judged_line_by_line_as_the_page_judges_it(
    council: StoredAssembly, kind: str
) -> None:
    # given the register as the council keeps it, on a sheet after a summary sheet without names
    data = WRITERS[kind]({"Resumen": [["Total", 5]], "Hogares": REGISTER_ROWS})
    before = _stored()
    # when it is checked through the API, in English and in Spanish
    status, english = check_file(council.log, data, "padron")
    _, spanish = check_file(council.log, data, f"padron.{kind}", lang="es")
    # then the sheet with the names is read, each line by the sheet's row numbers, codes as the page's
    assert status == 200 and english["problem"] == "" and english["sheet"] == "Hogares"
    assert [(x["line"], x["problem"], x["warning"], x["has_phone"]) for x in english["lines"]] == JUDGED
    # and each line's words are the page's, in the asker's language
    by_line = {x["line"]: x["message"] for x in english["lines"]}
    assert by_line[6] == "The same name is on an earlier line."
    assert by_line[8] == "Looks like Familia Quispe, on an earlier line: is it the same household?"
    assert by_line[9] == "The name is a date: check that the columns are in their place."
    assert by_line[11] == "The name cell is merged with line 10: it is the same household."
    assert by_line[4] == "" and by_line[7] == ""
    es = {x["line"]: x["message"] for x in spanish["lines"]}
    assert es[6] == "El mismo nombre está en una línea anterior."
    assert all(es[n] != by_line[n] for n in by_line if by_line[n])
    # and no phone or e-mail is echoed, and nothing was written
    assert "70000001" not in str(english) and "quispe@example.org" not in str(english)
    assert _stored() == before


def test_a_csv_file_and_the_same_csv_as_text_are_judged_alike(council: StoredAssembly) -> None:
    # given a CSV register with a duplicate, an existing household and a phone
    text = "\ufeffnombre;telefono\nQuispe;+59170000001\n\nQuispe;\ncasa-1;\n"
    # when it is checked as an uploaded file and as JSON text
    _, uploaded = check_file(council.log, text.encode(), "padron.csv")
    as_text = Client().post(
        CHECK.format(log=council.log),
        {"text": text},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    # then both answers are the same
    assert as_text.status_code == 200 and uploaded == as_text.json()
    assert [(x["line"], x["problem"]) for x in uploaded["lines"]] == [
        (2, ""),
        (4, "duplicate"),
        (5, "exists"),
    ]
    assert uploaded["sheet"] == ""


@pytest.mark.parametrize(
    ("data", "problem", "english", "spanish"),
    [
        (
            b"PK\x03\x04" + bytes(200),
            "not_spreadsheet",
            "The file cannot be read as a spreadsheet.",
            "El archivo no se puede leer como planilla.",
        ),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504),
            "old_xls",
            "The file is in the old Excel format (.xls)",
            "El archivo está en el formato antiguo de Excel (.xls)",
        ),
        (b"nombre\nQuispe \xff\n", "not_utf8", "The file is not in UTF-8.", "El archivo no está en UTF-8."),
        (b"x" * (MAX_BYTES + 1), "too_large", "The file is too large", "El archivo es demasiado grande"),
    ],
    ids=["damaged", "old-xls", "not-utf8", "too-large"],
)
def test_a_file_that_cannot_be_read_says_why_in_the_askers_language(
    council: StoredAssembly, data: bytes, problem: str, english: str, spanish: str
) -> None:
    before = _stored()
    # when a file that cannot be read is checked in English and Spanish
    _, en = check_file(council.log, data, "padron")
    _, es = check_file(council.log, data, "padron", lang="es")
    # then it says why, with no lines, and nothing was written
    assert (en["problem"], en["lines"]) == (problem, []) and (es["problem"], es["lines"]) == (problem, [])
    assert en["problem_message"].startswith(english), en["problem_message"]
    assert es["problem_message"].startswith(spanish), es["problem_message"]
    assert _stored() == before


def test_a_hidden_sheet_is_not_read_and_no_sheet_with_names_says_so(council: StoredAssembly) -> None:
    data = xlsx({"Datos": [["familia"], ["Quispe"]], "Viejo": [["name"], ["Apaza"]]}, hidden=("Viejo",))
    _, found = check_file(council.log, data, "padron.xlsx")
    assert found["problem"] == "no_name_column" and found["lines"] == []
    with translation.override("en"):
        assert found["problem_message"].startswith("No sheet of the file has a row naming the columns")


def test_a_multipart_check_without_its_file_is_refused_in_words(council: StoredAssembly) -> None:
    # when a form comes without the `file` part, then it is a 422 that names the part, in Spanish too
    response = Client().post(CHECK.format(log=council.log), {"register": "x"}, HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 422
    assert response.json()["code"] == "register_file_missing"
    assert "file" in response.json()["message"] and "No se guardó nada." in response.json()["message"]
    # and JSON without `text` is the usual 422 of a request that does not match its schema
    bad = Client().post(CHECK.format(log=council.log), {"texto": "x"}, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_request"
    assert bad.json()["detail"]["errors"][0]["loc"] == ["body", "payload", "text"]


def test_a_multipart_body_without_a_boundary_is_refused_in_words_not_a_server_error(
    council: StoredAssembly,
) -> None:
    # given: a form whose content type names no boundary, so its parts cannot be told apart (a hostile
    # client's, found by the route fuzz)
    before = _stored()
    # when
    response = Client().post(
        CHECK.format(log=council.log), b"[[[", content_type="multipart/form-data", HTTP_ACCEPT_LANGUAGE="es"
    )
    # then: the same refusal as a form without its file, in Spanish, and nothing stored
    assert response.status_code == 422
    assert response.json()["code"] == "register_file_missing"
    assert "No se guardó nada." in response.json()["message"]
    assert _stored() == before


def test_the_openapi_document_offers_both_bodies() -> None:
    doc = Client().get("/api/openapi.json").json()
    body = doc["paths"]["/api/assemblies/{log}/register/check"]["post"]["requestBody"]["content"]
    assert set(body) == {"application/json", "multipart/form-data"}
    assert body["multipart/form-data"]["schema"]["properties"]["file"]["format"] == "binary"
