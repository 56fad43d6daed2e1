"""The minute book (libro de actas): a PDF of an assembly's minutes, or of one meeting's, from its record.

    make_minute_book(log, language="es", members=False, address="https://node.example", meeting=None)

gives the same bytes for the same head, language, reader class (member or not) and address, on any node
and at any time: everything in it is read from the record (docs/paperwork.md, decision 0015). Pages,
the API and the CLI call it; none of them decides what it shows.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from ayllu.queries.replayed import get_head, one_head

from .contents import read_book
from .layout import write_book

CONTENT_TYPE = "application/pdf"
# A book over this size is made again rather than kept in the process's memory.
MAX_KEPT_BYTES = 8 * 1024 * 1024
# Raised whenever the same head can give other bytes (a change of layout or fonts): the entity tag and the
# cache key change with it, so no reader keeps, nor is served from the cache, a book of the old layout.
# 2: names in Arabic and Hebrew shaped (decision 0015), the title shown by viewers.
LAYOUT_VERSION = 2


def make_minute_book(
    log: str, *, language: str, members: bool, address: str, meeting: int | None = None
) -> bytes:
    """The PDF minute book of `log` (of `meeting` alone when given) for a member (`members`) or anyone
    else, in `language`, its QR codes pointing to `address` (scheme and host, no trailing slash).

    Raise RecordNotFound for an unknown record and UnknownMeeting for an unknown meeting.
    """
    with one_head(), translation.override(language):
        book = read_book(log, meeting=meeting, members=members, address=address, language=language)
        return write_book(book)


def book_etag(log: str, *, language: str, members: bool, address: str, meeting: int | None = None) -> str:
    """What the book depends on, as an entity tag: the layout's version, the head, the language, the
    reader class, the address and the meeting. Raise RecordNotFound for an unknown record."""
    seq, head = get_head(log)
    reader = "members" if members else "public"
    part = "all" if meeting is None else str(meeting)
    where = hashlib.sha256(address.encode("utf-8")).hexdigest()[:8]
    return f'"book{LAYOUT_VERSION}-{head[:16]}-{seq}-{language}-{reader}-{part}-{where}"'


def get_minute_book(
    log: str, *, language: str, members: bool, address: str, meeting: int | None = None
) -> tuple[str, bytes]:
    """The book (as `make_minute_book`) and its entity tag, made once per head, language, reader class,
    address and meeting and then kept in Django's cache: its bytes depend on nothing else, so every
    reader of the same class asking at the same head gets the same file without making it again."""
    with one_head():
        etag = book_etag(log, language=language, members=members, address=address, meeting=meeting)
        key = "minute-book:" + hashlib.sha256(f"{log}/{etag}".encode()).hexdigest()
        pdf = cache.get(key)
        if not isinstance(pdf, bytes):
            pdf = make_minute_book(log, language=language, members=members, address=address, meeting=meeting)
            if len(pdf) <= MAX_KEPT_BYTES:
                cache.set(key, pdf, timeout=settings.AYLLU_PAGE_SECONDS)
        return etag, pdf
