"""The minute book (libro de actas) as a PDF: opened with pypdf and its text read; the same bytes every
time for the same head, language and reader; members-only words only in a member's copy; Spanish and
English; a translated 404 for an unknown meeting; linked from the assembly and meeting pages."""

import io
import re

import pytest
import zxingcpp
from django.test import Client
from django.urls import reverse
from django.utils import translation
from fpdf import FPDF
from pypdf import PdfReader

from ayllu.actions.record import do_append, forget_replayed_state
from ayllu.minute_book import layout, make_minute_book
from ayllu.queries.proofs import list_decisions
from factories.records import signed
from factories.scenes import consent_decided_with_answered_objection, meeting_with_everyone
from factories.stored import StoredAssembly, act, found_with_officers, log_in_as

SECRET_NOTE = "La familia 4 debe 300 Bs."
SECRET_TITLE = "Reunion reservada"
ADDRESS = "https://nodo.example"


@pytest.fixture
def council(db: None) -> tuple[StoredAssembly, int, int]:
    """A meeting with an item on its agenda, where a proposal passed by consent (an objection answered),
    with a point of order ruled, a public note and a members-only note, then closed; and a members-only
    meeting. Returns the assembly and both meetings' ids."""
    forget_replayed_state()
    assembly = found_with_officers("Junta Vecinal Libro")
    meeting = meeting_with_everyone(assembly, title="Asamblea de marzo")
    agenda = {"meeting": meeting, "kind": "discussion", "title": "Limpieza del canal"}
    act(assembly, assembly.convenor, "agenda.item_added", agenda)
    consent_decided_with_answered_objection(assembly, meeting)
    point = act(
        assembly, assembly.members[3], "point_of_order.raised", {"meeting": meeting, "text": "Falta quórum."}
    )
    act(
        assembly,
        assembly.convenor,
        "point_of_order.ruled",
        {"meeting": meeting, "point": point, "ruling": "Hay quórum: vinieron todos."},
    )
    act(assembly, assembly.members[1], "minutes.note_added", {"meeting": meeting, "text": "Se compra arena."})
    note, body = signed(
        assembly.members[1],
        log=assembly.log,
        type="minutes.note_added",
        content={"meeting": meeting, "text": SECRET_NOTE},
        vis="members",
    )
    do_append(assembly.log, signed_act=note, body=body)
    act(assembly, assembly.convenor, "meeting.closed", {"meeting": meeting})
    hidden, body = signed(
        assembly.convenor,
        log=assembly.log,
        type="meeting.convened",
        content={"title": SECRET_TITLE, "starts": 1_700_000_000_000},
        vis="members",
    )
    secret_meeting = do_append(assembly.log, signed_act=hidden, body=body).seq
    return assembly, meeting, secret_meeting


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in reader.pages))


def book_url(language: str, log: str, meeting: int | None = None) -> str:
    with translation.override(language):
        if meeting is None:
            return reverse("web:minute_book", kwargs={"log": log})
        return reverse("web:meeting_minute_book", kwargs={"log": log, "meeting_id": meeting})


def test_the_book_holds_presence_and_the_decisions_with_their_counts(
    council: tuple[StoredAssembly, int, int],
) -> None:
    # given
    assembly, meeting, _ = council
    # when
    pdf = make_minute_book(assembly.log, language="es", members=False, address=ADDRESS, meeting=meeting)
    # then
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    text = text_of(pdf)
    assert "Libro de actas" in text and "Junta Vecinal Libro" in text
    assert "Acta N.º 1" in text and "Asamblea de marzo" in text
    assert "Orden del día 1. [discusión abierta] Limpieza del canal" in text  # the agenda
    assert "Vinieron 4 miembros" in text
    assert "Arreglar la cancha" in text and "Aprobada" in text
    assert "Podían participar: 4" in text and "Participaron: 4" in text
    assert "Falta el presupuesto." in text and "Son 300 Bs." in text
    assert "Hay quórum: vinieron todos." in text  # the ruling
    assert "Se compra arena." in text  # the minute-keeper's public note
    assert f"Folio 1 de {len(reader.pages)}" in text
    # and: for screen readers, the document's language, an outline and the QR codes' alternative text
    assert reader.trailer["/Root"]["/Lang"] == "es" and "/StructTreeRoot" in reader.trailer["/Root"]
    assert [item.title for item in reader.outline if not isinstance(item, list)][:2] == [
        "Libro de actas",
        "Acta N.º 1: Asamblea de marzo",
    ]
    assert "Firma de quien presidió" in text and "Firma de quien lleva el acta" in text
    # the record's checkpoint: its size and the root of its tree
    assert re.search(r"RaízdeMerkle[0-9a-f]{64}", text.replace(" ", ""))


def test_the_same_head_gives_the_same_bytes_even_from_a_fresh_cache(
    council: tuple[StoredAssembly, int, int],
) -> None:
    # given
    assembly = council[0]
    first = make_minute_book(assembly.log, language="es", members=True, address=ADDRESS)
    # when: again, and again after the replayed state is dropped (as on a node that just started)
    again = make_minute_book(assembly.log, language="es", members=True, address=ADDRESS)
    forget_replayed_state()
    fresh = make_minute_book(assembly.log, language="es", members=True, address=ADDRESS)
    # then
    assert first == again == fresh
    # and: a new entry makes another book
    act(assembly, assembly.members[2], "notice.posted", {"text": "hola"})
    assert make_minute_book(assembly.log, language="es", members=True, address=ADDRESS) != first


def test_a_non_members_copy_has_no_members_only_words(council: tuple[StoredAssembly, int, int]) -> None:
    # given
    assembly = council[0]
    # when
    public = text_of(make_minute_book(assembly.log, language="en", members=False, address=ADDRESS))
    members = text_of(make_minute_book(assembly.log, language="en", members=True, address=ADDRESS))
    # then
    assert SECRET_NOTE not in public and SECRET_TITLE not in public
    assert "(members only)" in public and "Public copy" in public
    assert SECRET_NOTE in members and SECRET_TITLE in members
    assert "Members' copy" in members


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("es", ["Libro de actas", "Vinieron 4 miembros", "Propuestas y decisiones", "Cuestiones de orden"]),
        ("en", ["Minute book", "4 members came", "Proposals and decisions", "Points of order"]),
    ],
)
def test_the_page_serves_the_book_in_the_readers_language(
    client: Client, council: tuple[StoredAssembly, int, int], language: str, words: list[str]
) -> None:
    # given
    assembly = council[0]
    # when
    response = client.get(book_url(language, assembly.log))
    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = text_of(response.content)
    for word in words:
        assert word in text, word
    assert SECRET_NOTE not in text
    # and: asked again with its entity tag, it has not changed
    again = client.get(book_url(language, assembly.log), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_a_members_page_request_gets_the_members_copy(
    client: Client, council: tuple[StoredAssembly, int, int]
) -> None:
    # given
    assembly, meeting, _ = council
    public = client.get(book_url("es", assembly.log, meeting))
    log_in_as(client, assembly.log, assembly.members[2])
    # when
    response = client.get(book_url("es", assembly.log, meeting))
    # then
    assert response.status_code == 200
    assert SECRET_NOTE in text_of(response.content)
    assert response["ETag"] != public["ETag"]
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("language", "message"), [("es", "No existe esa reunión."), ("en", "There is no such meeting.")]
)
def test_an_unknown_meeting_is_a_translated_404(
    client: Client, council: tuple[StoredAssembly, int, int], language: str, message: str
) -> None:
    # when
    response = client.get(book_url(language, council[0].log, 999_999))
    # then
    assert response.status_code == 404
    assert message in response.content.decode()


def test_the_assembly_and_meeting_pages_link_to_the_book(
    client: Client, council: tuple[StoredAssembly, int, int]
) -> None:
    # given
    assembly, meeting, _ = council
    with translation.override("es"):
        home = reverse("web:assembly", kwargs={"log": assembly.log})
        page = reverse("web:meeting", kwargs={"log": assembly.log, "meeting_id": meeting})
    # when
    home_html = client.get(home).content.decode()
    meeting_html = client.get(page).content.decode()
    # then
    assert book_url("es", assembly.log) in home_html and "Libro de actas (PDF)" in home_html
    assert book_url("es", assembly.log, meeting) in meeting_html and "Libro de actas (PDF)" in meeting_html


def test_the_api_serves_the_book_for_its_reader_and_a_translated_error(
    client: Client, council: tuple[StoredAssembly, int, int]
) -> None:
    # given
    assembly, meeting, _ = council
    route = f"/api/assemblies/{assembly.log}/minute-book"
    # when
    public = client.get(route, {"lang": "en", "meeting": meeting})
    unknown = client.get(route, {"lang": "es", "meeting": 999_999})
    log_in_as(client, assembly.log, assembly.members[0])
    members = client.get(route, {"lang": "en", "meeting": meeting})
    # then
    assert public.status_code == 200 and public["Content-Type"] == "application/pdf"
    assert SECRET_NOTE not in text_of(public.content) and "Minutes no. 1" in text_of(public.content)
    assert SECRET_NOTE in text_of(members.content)
    assert public.content == make_minute_book(
        assembly.log, language="en", members=False, address="http://testserver", meeting=meeting
    )
    assert unknown.status_code == 404
    assert (
        unknown.json()["code"] == "unknown_meeting" and unknown.json()["message"] == "No existe esa reunión."
    )
    # and: asked again with its entity tag
    assert (
        client.get(route, {"lang": "en", "meeting": meeting}, HTTP_IF_NONE_MATCH=members["ETag"]).status_code
        == 304
    )


def test_each_decision_carries_the_qr_code_of_its_proof_check(
    council: tuple[StoredAssembly, int, int],
) -> None:
    # given: the meeting's one decision, and the address of its check
    assembly, meeting, _ = council
    (decision,) = list_decisions(assembly.log)
    with translation.override("es"):
        path = reverse("web:record_decision", kwargs={"log": assembly.log, "question_id": decision.question})
    # when
    pdf = make_minute_book(assembly.log, language="es", members=False, address=ADDRESS, meeting=meeting)
    # then: the page's image is a QR code (medium error correction, a quiet zone) that a reader reads
    # as that address
    images = [image.image for page in PdfReader(io.BytesIO(pdf)).pages for image in page.images]
    assert len(images) == 1
    (read,) = zxingcpp.read_barcodes(images[0], formats=zxingcpp.BarcodeFormat.QRCode)
    assert read.text == ADDRESS + path
    assert read.ec_level == "M"
    assert images[0].convert("L").getpixel((0, 0)) == 255  # the quiet zone is white


def test_the_book_says_what_each_decided_proposal_changes_in_the_minutes_pages_words(
    council: tuple[StoredAssembly, int, int],
) -> None:
    # given a meeting where a mandate for the assembly's delegates was tabled and decided
    assembly, _, _ = council
    a, b, c, d = assembly.members[:4]
    meeting = meeting_with_everyone(assembly, title="Asamblea de abril")
    effect = {"body": "fejuve", "question": "Tarifa del agua", "position": "no"}
    proposal = act(
        assembly,
        b,
        "proposal.tabled",
        {
            "matter": "mandate",
            "title": "Mandato del agua",
            "text": "Votar no.",
            "effect": effect,
            "meeting": meeting,
        },
    )
    question = act(assembly, a, "question.opened", {"proposal": proposal})
    for member in (a, b, c, d):
        act(assembly, member, "vote.cast", {"question": question, "choice": "consent"})
    act(assembly, a, "question.closed", {"question": question})
    for language in ("es", "en"):
        # when the minutes page and the minute book of that meeting are read in the same language
        with translation.override(language):
            page = reverse("web:minutes", kwargs={"log": assembly.log, "meeting_id": meeting})
        html = Client().get(page).content.decode()
        words = re.search(r"data-ayllu-effect-words>.*?<ul><li>(.*?)</li>", html, re.S)
        assert words is not None
        line = words.group(1).replace("&laquo;", "«").replace("&raquo;", "»").replace("&#x27;", "'")
        pdf = make_minute_book(
            assembly.log, language=language, members=False, address=ADDRESS, meeting=meeting
        )
        # then the book carries the page's line, word for word
        assert "fejuve" in line and "Tarifa del agua" in line
        assert line in text_of(pdf)


def test_fonts_read_once_per_process_give_the_bytes_fpdf2_gives(
    council: tuple[StoredAssembly, int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a book made twice with the fonts read once for the process, another book between them
    assembly = council[0]
    cached = make_minute_book(assembly.log, language="es", members=True, address=ADDRESS)
    make_minute_book(assembly.log, language="en", members=False, address=ADDRESS, meeting=council[1])
    again = make_minute_book(assembly.log, language="es", members=True, address=ADDRESS)

    # when the same book is made with fpdf2's own add_font, the files read for this book alone
    def add_font(pdf: FPDF, style: str) -> None:
        pdf.add_font(layout.FONT, style, layout.FONTS / layout.FONT_FILES[style])

    monkeypatch.setattr(layout, "_add_parsed_font", add_font)
    forget_replayed_state()
    fresh = make_minute_book(assembly.log, language="es", members=True, address=ADDRESS)
    # then the bytes are the same: no state of one book leaks into the next
    assert cached == again == fresh
