"""The minute book writes names and words in Arabic and Hebrew script as they are read: with the glyphs
of the book's font (no missing-glyph boxes), the Arabic letters joined (shaped by HarfBuzz), and each
right-to-left run laid out right to left inside the book's left-to-right lines; the same bytes on every
replica for the same head. The PDF is opened with pypdf: its text, read back, is in the order it was
written, and its font's ToUnicode map shows the joined forms."""

import io
import logging
import re

import pytest
from fpdf import FPDF
from pypdf import PdfReader

from ayllu import minute_book
from ayllu.actions.record import do_found_assembly, forget_replayed_state
from ayllu.minute_book import get_minute_book, layout, make_minute_book
from factories.charters import no_wait_charter
from factories.keys import keypair
from factories.records import founding_act
from factories.scenes import meeting_with_everyone
from factories.stored import UNTIL, StoredAssembly, act

ASSEMBLY = "مجلس حي السلام"
ARABIC_NAME = "محمد الحسيني"
HEBREW_NAME = "שרה לוי"
TITLE = "اجتماع شهر مارس"
NOTE = "הוחלט לתקן את הכביש"
ADDRESS = "https://nodo.example"
MEEM = 0x0645  # Arabic letter meem: initial and medial in محمد


@pytest.fixture
def council(db: None) -> tuple[StoredAssembly, int]:
    """An assembly named in Arabic, of households named in Arabic, Hebrew, Latin and Cyrillic script, with
    a meeting titled in Arabic where everyone came and a note in Hebrew was taken, closed."""
    forget_replayed_state()
    keys = tuple(keypair(70 + i) for i in range(4))
    names = [ARABIC_NAME, HEBREW_NAME, "Quispe Mamani", "Анна Петрова"]
    officers = [("convenor", keys[0].public, UNTIL), ("minute_keeper", keys[1].public, UNTIL)]
    founding, body = founding_act(
        list(zip(keys, names, strict=True)), name=ASSEMBLY, charter=no_wait_charter(), cargos=officers
    )
    do_found_assembly(signed_act=founding, body=body)
    assembly = StoredAssembly(founding.act.log, ASSEMBLY, keys, size=1)
    meeting = meeting_with_everyone(assembly, title=TITLE)
    act(assembly, keys[1], "minutes.note_added", {"meeting": meeting, "text": NOTE})
    act(assembly, keys[0], "meeting.closed", {"meeting": meeting})
    return assembly, meeting


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(page.extract_text() or "" for page in reader.pages)


def codes_of(pdf: bytes, char: int) -> set[str]:
    """The glyph codes the book's fonts map back to `char` (their ToUnicode maps)."""
    found: set[str] = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            cmap = font.get_object()["/ToUnicode"].get_data().decode("latin-1")
            for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
                for code, unicode in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                    if int(unicode, 16) == char:
                        found.add(f"{font.get_object()['/BaseFont']}:{code}")
            for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
                for first, last, start in re.findall(r"<(\w+)>\s*<(\w+)>\s*<(\w+)>", block):
                    if int(start, 16) <= char <= int(start, 16) + int(last, 16) - int(first, 16):
                        found.add(
                            f"{font.get_object()['/BaseFont']}:{int(first, 16) + char - int(start, 16)}"
                        )
    return found


def test_arabic_and_hebrew_read_back_in_their_order_with_no_glyph_missing(
    council: tuple[StoredAssembly, int], caplog: pytest.LogCaptureFixture
) -> None:
    # given an assembly named in Arabic, whose households are named in four scripts
    assembly = council[0]
    # when its minute book is made, in Spanish and in English
    with caplog.at_level(logging.WARNING):
        books = [
            make_minute_book(assembly.log, language=language, members=False, address=ADDRESS)
            for language in ("es", "en")
        ]
    for pdf in books:
        text = text_of(pdf)
        # then the Arabic and Hebrew words read back as written (a right-to-left run drawn left to right
        # would read back reversed), the Latin and Cyrillic names too
        for words in (ASSEMBLY, TITLE, NOTE, ARABIC_NAME, HEBREW_NAME, "Quispe Mamani", "Анна Петрова"):
            assert words in text, words
        assert ARABIC_NAME[::-1] not in text and NOTE[::-1] not in text
        # and the Arabic letters are joined: meem is written with two glyphs, initial and medial
        assert len(codes_of(pdf, MEEM)) >= 2
    # and no glyph was missing from the book's fonts (fpdf2 warns of each)
    assert not [r for r in caplog.records if "missing the following glyphs" in r.getMessage()]


def test_a_book_with_arabic_and_hebrew_has_the_same_bytes_from_a_fresh_process(
    council: tuple[StoredAssembly, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    # given the book of the meeting, made twice in this process
    assembly, meeting = council
    first = make_minute_book(assembly.log, language="es", members=False, address=ADDRESS, meeting=meeting)
    again = make_minute_book(assembly.log, language="es", members=False, address=ADDRESS, meeting=meeting)

    # when it is made again as a fresh process would: fonts read anew by fpdf2, the state replayed anew
    def add_font(pdf: FPDF, style: str, family: str = layout.FONT) -> None:
        pdf.add_font(family, style, layout.FONTS / layout.FILES[family][style])

    monkeypatch.setattr(layout, "_add_parsed_font", add_font)
    forget_replayed_state()
    fresh = make_minute_book(assembly.log, language="es", members=False, address=ADDRESS, meeting=meeting)
    # then the bytes are the same
    assert first == again == fresh


def test_a_line_without_arabic_or_hebrew_is_written_unshaped() -> None:
    # the fast path stays for every other line: only these scripts are shaped
    assert layout._shaped(ARABIC_NAME) and layout._shaped(HEBREW_NAME) and layout._shaped("ﻣ")
    assert not layout._shaped("Quispe Mamani · Анна Петрова · Ελένη (8a88e3dd) — «ñandú»")


def test_a_new_layout_changes_the_books_tag_and_cache_key(
    council: tuple[StoredAssembly, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    # given the book's entity tag and the bytes kept for it at this head
    assembly = council[0]
    etag, kept = get_minute_book(assembly.log, language="es", members=False, address=ADDRESS)
    # when the layout's version is raised (the same head would give other bytes)
    monkeypatch.setattr(minute_book, "LAYOUT_VERSION", minute_book.LAYOUT_VERSION + 1)
    monkeypatch.setattr(minute_book, "make_minute_book", lambda *a, **k: b"%PDF-new layout")
    # then the tag is another, and the book is made again instead of served from the cache
    again, made = get_minute_book(assembly.log, language="es", members=False, address=ADDRESS)
    assert again != etag and made == b"%PDF-new layout" and kept != made
