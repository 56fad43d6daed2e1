"""What the minute book gives a screen reader and a viewer, as far as fpdf2 (the pinned 2.8) writes it
(decision 0015, "Accessibility"): the document's language and title, shown as the window's title; an
outline with one bookmark per acta and per proposal; a structure tree whose figures (the QR codes)
carry alternative text naming the address they open, marked as a tagged document. The text itself is
not tagged (fpdf2 has no API for it): the test says so, so that a later fpdf2 that tags it is noticed."""

import io

from pypdf import PdfReader

from ayllu.minute_book import make_minute_book
from factories.stored import StoredAssembly
from web.test_minute_book import ADDRESS, council

__all__ = ["council"]  # the fixture, for the test below


def test_the_book_carries_what_fpdf2_tags(council: tuple[StoredAssembly, int, int]) -> None:
    # given the book of a meeting where a proposal was decided (one QR code)
    assembly, meeting, _ = council
    # when it is made in English
    pdf = make_minute_book(assembly.log, language="en", members=False, address=ADDRESS, meeting=meeting)
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    # then it says its language and title, and asks viewers to show the title
    assert root["/Lang"] == "en"
    assert reader.metadata is not None and reader.metadata.title == "Minute book — Junta Vecinal Libro"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    # and its outline has the book, the acta, and under it its parts and the proposal
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert titles == ["Minute book", "Minutes no. 1: Asamblea de marzo"]
    parts = [item.title for item in reader.outline[-1]]
    assert "Proposals and decisions" in parts and "Arreglar la cancha" in parts
    # and it is marked as tagged, with one figure per QR code whose alternative text names its address
    assert bool(root["/MarkInfo"]["/Marked"])
    document = root["/StructTreeRoot"]["/K"][0].get_object()
    kids = [kid.get_object() for kid in document["/K"]]
    figures = [kid for kid in kids if kid["/S"] == "/Figure"]
    assert len(figures) == 1
    assert figures[0]["/Alt"].startswith("QR code: check this decision's inclusion proof at " + ADDRESS)
    # and nothing else is tagged: no paragraph, heading or artifact (fpdf2 2.8 writes none)
    assert {kid["/S"] for kid in kids} == {"/Figure"}
