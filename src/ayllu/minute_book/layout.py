"""The minute book laid out as a paper libro de actas, with fpdf2 (decision 0015).

A4 pages, each headed by the assembly's name and numbered "Folio n of N" at its foot beside a space for
the rubric; an opening page (the record, its checkpoint and how to check it), then one acta per meeting
starting on its own page: the meeting's facts, the agenda, who came, each proposal with its objections
and the outcome of each question with its counts and a QR code that opens the check of its inclusion
proof, points of order with their rulings, the minute-keeper's notes, and lines for the signatures.

Every byte comes from the book (`contents.Book`): the document's date is the time of the record's last
entry, its id a hash of its contents, the fonts are shipped with ayllu (fonts/, DejaVu Sans cut down
to Latin, Greek and Cyrillic). The words around the record's words are in the active language.
"""

import copy
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, nullcontext
from datetime import UTC, datetime
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import zxingcpp
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from fontTools import ttLib
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import SubsetMap, TTFFont
from fpdf.prefs import ViewerPreferences
from PIL import Image, ImageOps

from ayllu.assembly_words import word
from ayllu.core.assembly.words import Said
from ayllu.queries.assembly import ProposalRead, QuestionBrief
from ayllu.queries.pages import Person
from ayllu.words import meeting_title

from .contents import Acta, Book

FONTS = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVu"
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
# The same font with Hebrew and Arabic and their layout tables (fonts/LICENSE says how each was cut): the
# lines that need shaping are written in it, the others in the smaller one, so that a book without
# those scripts costs and weighs what it did.
SHAPED_FONT = "DejaVuShaped"
SHAPED_FONT_FILES = {"": "DejaVuSans-Shaped.ttf", "B": "DejaVuSans-Bold-Shaped.ttf"}
FILES = {FONT: FONT_FILES, SHAPED_FONT: SHAPED_FONT_FILES}
MARGIN = 18.0  # mm; the inner margin of a bound book is the same: it is printed one side at a time
LINE = 5.0
QR_SIZE = 26.0
QR_BORDER = 2  # modules of white around the code
QR_PIXELS_PER_MODULE = 2
BASELINE = 0.35  # of the font size below the middle of a line: where fpdf2's cells put the baseline
KEY_LENGTH = 8
LAYOUT_TABLES = ("GDEF", "GSUB", "GPOS")
SIGNATURE_SPACE = 42.0
LABEL_WIDTH = 52.0
RANKED = " \u203a "  # the order of the options, as the pages write it
# PDF producers write their own name and version; the book says only that ayllu made it.
PRODUCER = "ayllu"
# Hebrew and Arabic (with their presentation forms) and the other right-to-left scripts of the BMP: a
# line holding any of them is shaped by HarfBuzz (joined letters, ligatures, marks in place) and laid out
# right to left by the bidirectional algorithm, through fpdf2's text shaping. Every other line is
# written as it is, one glyph a character, which is many times faster.
SHAPED = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe]")


# HarfBuzz's defaults: each run's direction and script guessed from its letters, the font's features.
SHAPING: dict[str, Any] = {"features": {}, "fragment_direction": None, "script": None, "language": None}


def _shaped(text: str) -> bool:
    return SHAPED.search(text) is not None


@contextmanager
def _shaping(pdf: FPDF) -> Iterator[None]:
    """fpdf2's text shaping for the text written inside, in the shaped font of the current style and
    size, in a paragraph that reads left to right (the book's languages do): a name in Arabic or Hebrew
    is a right-to-left run within it. The shaped font is added to a book when it first needs it."""
    style, size = pdf.font_style, pdf.font_size_pt
    if f"{SHAPED_FONT.lower()}{style}" not in pdf.fonts:
        _add_parsed_font(pdf, style, SHAPED_FONT)
    pdf.set_font(SHAPED_FONT, style, size)
    pdf.set_text_shaping(True, direction="ltr")
    try:
        yield
    finally:
        pdf.set_text_shaping(False)
        pdf.set_font(FONT, style, size)


def _cell(pdf: FPDF, w: float, h: float, text: str, **kwargs: Any) -> None:
    """`pdf.cell`, shaped when `text` needs it."""
    if not _shaped(text):
        pdf.cell(w, h, text, **kwargs)
        return
    with _shaping(pdf):
        pdf.cell(w, h, text, **kwargs)


def _when(ms: int) -> str:
    """A record time the way the language writes dates, in the node's time zone (as the pages)."""
    local = timezone.localtime(datetime.fromtimestamp(ms / 1000, tz=UTC))
    return str(formats.date_format(local, "DATETIME_FORMAT"))


def _person(member: Any, people: Mapping[str, Person]) -> str:
    """A member as the pages name them: their name or household, and the start of their key."""
    if getattr(member, "members_only", False):
        return str(member)
    found = people.get(member) or Person.of_key(member, current=False)
    named = found.name or found.household
    # A no-break space: a line is never broken between a name and its key.
    text = f"{named}\u00a0({found.key[:KEY_LENGTH]})" if named else found.key[:KEY_LENGTH]
    return text if found.current else f"{text} {_('(no longer a member)')}"


@lru_cache(maxsize=512)
def _qr_image(link: str) -> Image.Image:
    """The QR code of `link` as a black and white image, with two modules of quiet zone.

    Encoded by zxing-cpp (decision 0027): the same code for the same link with the same version of it,
    so every replica prints the same bytes. Handed to fpdf2 as an image, not as a PNG file: writing and
    reading a PNG cost more than the code itself."""
    # Never a Micro QR (phones skip those); medium error correction.
    code = zxingcpp.create_barcode(link, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    # A byte a module (0 dark, 255 light), read by Pillow through the array interface.
    image = Image.fromarray(code.to_image(scale=1, add_quiet_zones=False))
    image = ImageOps.expand(image, border=QR_BORDER, fill=255)
    # Two pixels a module: a viewer that smooths a scaled image would blur a code of one pixel a module
    # (every edge half grey); with two, each module keeps a solid middle. More pixels are only more to
    # compress (fpdf2 compresses each image in every book).
    return image.resize((image.width * QR_PIXELS_PER_MODULE,) * 2, Image.Resampling.NEAREST)


def _width(pdf: "BookPDF", text: str) -> float:
    """The width of `text` at the current font, in mm: from the font's advance widths alone (fpdf2's
    `get_string_width` prepares bidirectional text and styles first, many times the cost)."""
    if _shaped(text):  # joined letters are narrower than the letters alone: measured as HarfBuzz shapes
        # them, in the shaped font (a width does not depend on the order the runs are drawn in)
        style = pdf.font_style
        if f"{SHAPED_FONT.lower()}{style}" not in pdf.fonts:
            _add_parsed_font(pdf, style, SHAPED_FONT)
        shaped = pdf.fonts[f"{SHAPED_FONT.lower()}{style}"]
        assert isinstance(shaped, TTFFont)
        return float(shaped.shaped_text_width(text, pdf.font_size_pt, SHAPING)[1]) / pdf.k
    font = pdf.current_font
    assert font is not None  # set in BookPDF.__init__
    return float(font.get_text_width(text, pdf.font_size_pt, None)[1]) / pdf.k


@cache
def _parsed_font(style: str, family: str = FONT) -> TTFFont:
    """The book's font `family` of `style` as fpdf2's `add_font` reads it: its character map, widths
    and descriptor, read from the file once per process (a third of a first book's time went to reading
    the two fonts again for every book)."""
    pdf = FPDF()
    pdf.add_font(family, style, FONTS / FILES[family][style])
    font = pdf.fonts[f"{family.lower()}{style}"]
    assert isinstance(font, TTFFont)
    return font


def _add_parsed_font(pdf: FPDF, style: str, family: str = FONT) -> None:
    """`pdf.add_font` for the book's font `family` of `style`, from the font read once per process.

    What `add_font` reads from the file is shared; what one document changes is its own: its number,
    the glyphs it used, and the font file's tables, which the subsetting at output cuts down in place
    (opened lazily: only the tables the subset needs are read). The bytes are those `add_font` gives
    (tests/web/test_minute_book.py compares them)."""
    parsed = _parsed_font(style, family)
    font = copy.copy(parsed)
    font.i = len(pdf.fonts) + 1
    font.ttfont = ttLib.TTFont(parsed.ttffile, recalcTimestamp=False, lazy=True)
    # The layout tables are HarfBuzz's, read from the file itself; the PDF's font drops them, but the
    # subsetting would first read them whole (a fifth of its time), so they go before it sees them.
    for tag in LAYOUT_TABLES:
        if tag in font.ttfont:
            del font.ttfont[tag]
    font.biggest_size_pt = 0
    font.missing_glyphs = []
    font.subset = SubsetMap(font)
    pdf.fonts[parsed.fontkey] = font


class BookPDF(FPDF):
    """An A4 book whose every page carries the assembly's name and its folio."""

    def __init__(self, book: Book) -> None:
        super().__init__(format="A4", unit="mm")
        self.book = book
        self.set_margins(MARGIN, MARGIN + 6, MARGIN)
        self.set_auto_page_break(True, margin=MARGIN + 6)
        for style in FONT_FILES:
            _add_parsed_font(self, style)
        self.set_font(FONT, size=10)
        # The QR codes are grey images, Flate-encoded (fpdf2 garbles one-bit images under Flate, and
        # encodes them with CCITT through libtiff otherwise: twice the time).
        self.set_image_filter("FlateDecode")

    def header(self) -> None:
        self.set_font(FONT, "B", 9)
        self.set_xy(MARGIN, 10)
        _cell(self, self.epw * 0.7, 5, self.book.name, new_x=XPos.RIGHT, new_y=YPos.TOP)
        self.set_font(FONT, "", 9)
        self.cell(self.epw * 0.3, 5, _("Minute book"), align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.line(MARGIN, 16, self.w - MARGIN, 16)
        self.set_xy(MARGIN, MARGIN + 6)
        self.set_font(FONT, size=10)

    def footer(self) -> None:
        y = self.h - MARGIN
        self.line(MARGIN, y, self.w - MARGIN, y)
        self.set_xy(MARGIN, y + 1.5)
        self.set_font(FONT, "", 8)
        third = self.epw / 3
        self.cell(third, 4, _("Record %(log)s") % {"log": self.book.log[:12]})
        folio = _("Folio %(page)s of %(pages)s") % {"page": self.page_no(), "pages": self.str_alias_nb_pages}
        self.set_font(FONT, "B", 9)
        self.cell(third, 4, folio, align="C")
        self.set_font(FONT, "", 8)
        self.cell(third, 4, _("Rubric: ________"), align="R")


def write_book(book: Book) -> bytes:
    """The PDF bytes of `book`, in the active language."""
    pdf = BookPDF(book)
    pdf.set_lang(book.language)
    pdf.set_title(f"{_('Minute book')} — {book.name}")
    # A viewer's window and a screen reader name the book by its title, not by its file name.
    pdf.viewer_preferences = ViewerPreferences(display_doc_title=True)
    pdf.set_subject(_("Minutes of the assembly, written from its record"))
    pdf.set_producer(PRODUCER)
    pdf.set_creator(PRODUCER)
    pdf.set_creation_date(datetime.fromtimestamp(book.head.time / 1000, tz=UTC))
    _opening(pdf, book)
    for acta in book.actas:
        _acta(pdf, book, acta)
    return bytes(pdf.output())


def _heading(pdf: BookPDF, text: str, *, size: float = 12, outline: bool = True, level: int = 1) -> None:
    if pdf.will_page_break(LINE * 4):
        pdf.add_page()
    pdf.ln(2)
    if outline:
        pdf.start_section(text, level=level, strict=False)
    pdf.set_font(FONT, "B", size)
    _lines(pdf, 0, size * 0.5, text)
    pdf.set_font(FONT, "", 10)
    pdf.ln(1)


def _lines(pdf: BookPDF, width: float, height: float, text: str, *, align: str = "L") -> None:
    """`text` from the current position, wrapped to `width` (0: to the right margin), then the next line.

    Wrapped here and written a line at a time with `text`: fpdf2's own line breaking (`multi_cell`)
    measures a text again for every character it adds, and a `cell` costs several times a `text`; the
    two were most of a book's time. Pages break here, as a cell would break them."""
    x = pdf.get_x()
    room = width or pdf.w - pdf.r_margin - x
    for line in _wrap(pdf, text, room - 2 * pdf.c_margin):
        if pdf.will_page_break(height):
            style, size = pdf.font_style, pdf.font_size_pt
            pdf.add_page()
            pdf.set_font(FONT, style, size)
        if _shaped(line):
            top = pdf.get_y()
            pdf.set_xy(x, top)
            with _shaping(pdf):
                pdf.cell(room, height, line, align=align)
            pdf.set_y(top + height)
            continue
        left = x + pdf.c_margin
        if align != "L":
            used = _width(pdf, line)
            left = x + (room - used) / 2 if align == "C" else x + room - pdf.c_margin - used
        pdf.text(left, pdf.get_y() + height / 2 + pdf.font_size * BASELINE, line)
        pdf.set_y(pdf.get_y() + height)


def _wrap(pdf: BookPDF, text: str, width: float) -> list[str]:
    """`text` cut into lines no wider than `width` at the current font: at spaces, and inside a word
    only when the word alone is wider (a record id, a Merkle root)."""
    lines: list[str] = []
    space = _width(pdf, " ")
    for paragraph in text.split("\n"):
        line, used = "", 0.0
        for piece in paragraph.split(" "):
            size = _width(pdf, piece)
            if line and used + space + size <= width:
                line, used = f"{line} {piece}", used + space + size
                continue
            if line:
                lines.append(line)
            while size > width and len(piece) > 1:
                cut = len(piece)
                while cut > 1 and _width(pdf, piece[:cut]) > width:
                    cut = cut * 3 // 4 if _width(pdf, piece[: cut * 3 // 4]) > width else cut - 1
                lines.append(piece[:cut])
                piece = piece[cut:]
                size = _width(pdf, piece)
            line, used = piece, size
        lines.append(line)
    return lines


def _text(pdf: BookPDF, text: str, *, size: float = 10, bold: bool = False, indent: float = 0) -> None:
    pdf.set_font(FONT, "B" if bold else "", size)
    pdf.set_x(MARGIN + indent)
    _lines(pdf, pdf.epw - indent, size * 0.5, text)
    pdf.set_font(FONT, "", 10)


def _fact(pdf: BookPDF, label: str, value: str) -> None:
    pdf.set_font(FONT, "B", 10)
    pdf.cell(LABEL_WIDTH, LINE, label, new_x=XPos.RIGHT, new_y=YPos.TOP)
    pdf.set_font(FONT, "", 10)
    _lines(pdf, pdf.epw - LABEL_WIDTH, LINE, value)


def _opening(pdf: BookPDF, book: Book) -> None:
    pdf.add_page()
    pdf.ln(20)
    pdf.start_section(_("Minute book"), level=0)
    pdf.set_font(FONT, "B", 24)
    pdf.multi_cell(0, 12, _("Minute book"), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "B", 16)
    with _shaping(pdf) if _shaped(book.name) else nullcontext():
        pdf.multi_cell(0, 8, book.name, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(10)
    head = book.head
    _fact(pdf, _("Record"), book.log)
    _fact(pdf, _("Entries"), formats.number_format(head.size, force_grouping=True))
    _fact(pdf, _("Merkle root"), head.root or "—")
    _fact(pdf, _("Last entry"), _when(head.time) if head.time else "—")
    count = len(book.actas)
    meetings = ngettext("%(count)s meeting", "%(count)s meetings", count) % {"count": count}
    _fact(pdf, _("Meetings in this book"), meetings)
    pdf.ln(6)
    _text(
        pdf,
        _(
            "This book is written from the assembly's record, not typed by anyone: the same record, up "
            "to the same entry, gives the same book on every node. The checkpoint above (the number of "
            "entries and their Merkle root) names the record it was written from; each decision carries a "
            "QR code that opens the check of its inclusion proof, so anyone can see it is in that record."
        ),
    )
    pdf.ln(3)
    if book.members_copy:
        copy = _("Members' copy: it holds the words signed for members only. Do not pass it on.")
    else:
        copy = _("Public copy: words signed for members only are marked “(members only)”.")
    _text(pdf, copy, bold=True)
    _signatures(pdf, [_("Opened by (signature)"), _("Witness (signature)")])


def _acta(pdf: BookPDF, book: Book, acta: Acta) -> None:
    minutes, people = acta.minutes, book.people
    pdf.add_page()
    title = meeting_title(minutes.title, plenary=minutes.plenary)
    heading = _("Minutes no. %(number)s") % {"number": acta.number}
    pdf.start_section(heading if getattr(title, "members_only", False) else f"{heading}: {title}", level=0)
    pdf.set_font(FONT, "B", 16)
    _lines(pdf, 0, 8, heading)
    pdf.set_font(FONT, "B", 13)
    _lines(pdf, 0, 6.5, str(title))
    pdf.ln(2)
    _fact(pdf, _("Started"), _when(minutes.starts))
    # a federation's plenary may close without anybody having taken its chair
    chair = _person(minutes.chair, people) if minutes.chair else _("no chair")
    if minutes.by_petition:
        chair = f"{chair} · {_('convened by petition')}"
    _fact(pdf, _("Chair"), chair)
    closed = minutes.closed_seq
    status = _("closed at entry %(seq)s") % {"seq": closed} if closed else _("still open")
    _fact(pdf, _("Status"), status)

    if minutes.agenda:
        _heading(pdf, _("Agenda"))
        for n, item in enumerate(minutes.agenda, start=1):
            _text(pdf, f"{n}. [{word('agenda', item.kind)}] {item.title}", indent=2)

    present = minutes.present
    came = ngettext("%(counter)s member came", "%(counter)s members came", len(present))
    _heading(pdf, came % {"counter": _number(len(present))})
    _presence(pdf, present, minutes.speaking_turns, people)

    _heading(pdf, _("Proposals and decisions"))
    if not minutes.proposals:
        _text(pdf, _("No proposal was tabled in this meeting."))
    for proposal in minutes.proposals:
        _proposal(pdf, proposal, acta, people)

    if minutes.points_of_order:
        _heading(pdf, _("Points of order"))
        for point in minutes.points_of_order:
            _text(pdf, f"• {point.text} — {_person(point.member, people)}", indent=2)
            if point.ruling:
                _text(pdf, f"{_('Ruling:')} {point.ruling}", indent=6, bold=True)

    _heading(pdf, _("Minute-keeper's notes"))
    if not minutes.notes:
        _text(pdf, _("No notes."))
    for note in minutes.notes:
        _text(pdf, str(note.text), indent=2)
        _text(pdf, f"{_('signed by')} {_person(note.member, people)}", size=8, indent=2)
        pdf.ln(1)
    _signatures(pdf, [_("The chair (signature)"), _("The minute-keeper (signature)")])


def _presence(
    pdf: BookPDF, present: Sequence[str], turns: Mapping[str, int], people: Mapping[str, Person]
) -> None:
    """Who came, one after another as a paper book lists them, with how many times each spoke."""
    names = []
    for member in present:
        text = _person(member, people)
        spoke = turns.get(member, 0)
        if spoke:
            text += " (" + ngettext("spoke once", "spoke %(counter)s times", spoke) % {"counter": spoke} + ")"
        names.append(text)
    if names:
        _text(pdf, " · ".join(names), size=8, indent=2)


def _fit(pdf: BookPDF, text: str, width: float) -> str:
    """`text` cut with an ellipsis so that it fits in `width` at the current font."""
    if _width(pdf, text) <= width:
        return text
    while text and _width(pdf, text + "…") > width:
        text = text[:-1]
    return text + "…"


def _proposal(pdf: BookPDF, proposal: ProposalRead, acta: Acta, people: Mapping[str, Person]) -> None:
    _heading(pdf, str(proposal.title), size=11, level=1)
    tabled = f"{_('tabled by')} {_person(proposal.author, people)} · {word('status', proposal.status)}"
    _text(pdf, tabled, size=8)
    effects = acta.effects.get(proposal.id, [])
    if effects:
        _text(pdf, _("If it passes:"), bold=True)
        for line in effects:
            _text(pdf, f"• {line}", indent=2)
    if proposal.objections:
        _text(pdf, _("Objections"), bold=True)
        for objection in proposal.objections:
            _text(pdf, f"• {objection.reason} — {_person(objection.member, people)}", indent=2)
            if objection.answer:
                _text(pdf, f"{_('Answer:')} {objection.answer}", indent=6)
            if objection.withdrawn:
                withdrawn = _("resolved: answered, then withdrawn") if objection.answer else _("withdrawn")
                _text(pdf, withdrawn, indent=6, size=8)
    for question in proposal.questions:
        if question.outcome is not None:
            _outcome(pdf, question, acta.proofs[question.id])
        elif question.lapsed:
            _text(pdf, _("The question lapsed when the meeting closed."))


def _outcome(pdf: BookPDF, question: QuestionBrief, proof: str) -> None:
    """A decision with its counts, and beside it the QR code that opens the check of its proof."""
    outcome = question.outcome
    assert outcome is not None  # only a question with an outcome is drawn here
    if pdf.will_page_break(QR_SIZE + 10):
        pdf.add_page()
    top = pdf.get_y() + 1
    left = MARGIN + 2
    text_width = pdf.epw - QR_SIZE - 8
    pdf.set_y(top)
    result = word("result", outcome.result)
    # The book's minutes were shown to its reader (contents.py): no word is a `Said` any more.
    winners, tallies, ranking = outcome.winners, outcome.tallies, outcome.ranking
    assert not isinstance(winners, Said) and not isinstance(tallies, Said) and not isinstance(ranking, Said)
    if getattr(winners, "members_only", False):
        result += f": {winners}"
    elif winners:
        result += ": " + ", ".join(str(w) for w in winners)
    lines = [
        (True, result),
        (
            False,
            f"{_('Method')}: {word('method', outcome.method)}"
            + (f" ({_('fallback')})" if question.fallback else ""),
        ),
        (
            False,
            f"{_('Could take part')}: {_number(outcome.eligible)} · "
            f"{_('Took part')}: {_number(outcome.participation)}",
        ),
    ]
    quorum = outcome.quorum
    num, _slash, den = quorum.share.partition("/")
    lines.append(
        (
            False,
            f"{_('Quorum')}: "
            + _("%(present)s of %(base)s (needed %(num)s of every %(den)s)")
            % {"present": _number(quorum.present), "base": _number(quorum.base), "num": num, "den": den},
        )
    )
    if getattr(tallies, "members_only", False):
        lines.append((False, f"{_('votes cast')}: {tallies}"))
    elif tallies:
        counted = " · ".join(f"{word('tally', str(c))}: {_number(n)}" for c, n in tallies.items())
        lines.append((True, counted))
    if ranking:
        members_only = getattr(ranking, "members_only", False)
        shown = str(ranking) if members_only else RANKED.join(str(r) for r in ranking)
        lines.append((False, f"{_('Order of the options:')} {shown}"))
    for reason in outcome.reasons:
        lines.append((False, f"- {word('reason', str(reason))}"))
    lines.append(
        (False, _("Entry %(seq)s of the record closed this question.") % {"seq": question.closed_seq})
    )
    for bold, line in lines:
        pdf.set_x(left)
        pdf.set_font(FONT, "B" if bold else "", 9)
        _lines(pdf, text_width, 4.5, line, align="L")
    bottom = pdf.get_y()
    qr_x = pdf.w - MARGIN - QR_SIZE
    pdf.image(
        _qr_image(proof),
        x=qr_x,
        y=top,
        w=QR_SIZE,
        h=QR_SIZE,
        alt_text=_("QR code: check this decision's inclusion proof at %(link)s") % {"link": proof},
    )
    pdf.set_font(FONT, "", 6)
    pdf.set_xy(qr_x - 4, top + QR_SIZE)
    pdf.cell(QR_SIZE + 8, 3, _("Check the proof"), align="C")
    pdf.set_font(FONT, "", 10)
    pdf.set_y(max(bottom, top + QR_SIZE + 4) + 2)
    pdf.line(MARGIN, pdf.get_y() - 1, pdf.w - MARGIN, pdf.get_y() - 1)


def _number(value: int) -> str:
    return str(formats.number_format(value, force_grouping=True))


def _signatures(pdf: BookPDF, labels: list[str]) -> None:
    """Lines for signatures, side by side, kept together on one page."""
    if pdf.will_page_break(SIGNATURE_SPACE):
        pdf.add_page()
    pdf.ln(SIGNATURE_SPACE - 12)
    y = pdf.get_y()
    width = pdf.epw / len(labels)
    for n, label in enumerate(labels):
        x = MARGIN + n * width
        pdf.line(x + 4, y, x + width - 4, y)
        pdf.set_xy(x, y + 1)
        pdf.set_font(FONT, "", 8)
        pdf.cell(width, 4, label, align="C")
    pdf.set_font(FONT, "", 10)
    pdf.set_xy(MARGIN, y + 8)
