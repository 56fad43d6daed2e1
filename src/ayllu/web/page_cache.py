"""Rendered pages kept per record head, so that a page asked for again is not rendered again.

A page is kept under everything it is made from: the view, the record and its head (seq and hash, so
any append makes every page of the record out of date at once), the language, who is reading (the
logged-in member's key, or "" for anyone else: a member's page is never given to another reader, and
words for members only never to an outsider) and the full path asked for. What the page shows also
depends on the clock (a meeting starts, a deadline passes): the view says when the page it renders would
next change by the clock alone (`changes_at`, from the replayed state), and the kept page is served
until then, and for at most `AYLLU_PAGE_CACHE_SECONDS` (300 s by default) of node time after it was
rendered, in case something read from the clock was missed.

The CSRF token is not kept: the page is rendered with a placeholder where the token goes (a random
string drawn once per process, which no reader can guess to plant in what they write) and each request
gets its own token, masked afresh, put in its place (`masked_token`: the cookie is set when Django
would have to set it, not sent back unchanged only to renew it).
A page without a form (an outsider's) has no placeholder: answering it touches no CSRF token.
The view's answer goes through every middleware; once a path has been answered that way with a kept
page, the next GET of it is answered from the same kept page by KeptPageMiddleware (web/middleware.py)
as soon as the reader is known, with the headers the whole way gave (`lookup`, `answer`).

Memory is bounded: at most `AYLLU_PAGE_CACHE_BYTES` of pages (8 MiB by default), the least recently
used dropped first, and a record's pages at older heads dropped as soon as a page at a newer head is
kept. Each process has its own cache (nothing is shared between workers, so nothing can go stale
between them: the head is checked on every request).
"""

import os
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeGuard

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, get_token
from django.utils import translation

from ayllu.queries.replayed import get_head

# Alphanumeric like a real token, so escaping never changes it; 64 characters like a masked token.
CSRF_PLACEHOLDER = secrets.token_hex(32)
_PLACEHOLDER_BYTES = CSRF_PLACEHOLDER.encode()
DEFAULT_BYTES = 8 * 1024 * 1024
DEFAULT_SECONDS = 300.0


@dataclass(frozen=True, slots=True)
class Kept:
    """A rendered page: its bytes (with the CSRF placeholder), content type, the node time it was
    rendered at and the node time from which it is no longer served."""

    content: bytes
    content_type: str
    csrf: bool
    rendered_at: int
    expires_at: int


Key = tuple[str, str, int, str, str, str, str]


class PageCache:
    """Pages by key, least recently used dropped first once they take more than `max_bytes`."""

    def __init__(self, *, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._pages: OrderedDict[Key, Kept] = OrderedDict()
        self._bytes = 0
        self._newest: dict[str, int] = {}  # log -> newest head seq kept
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._pages)

    @property
    def size(self) -> int:
        """Bytes of page content kept."""
        return self._bytes

    def get(self, key: Key) -> Kept | None:
        with self._lock:
            kept = self._pages.get(key)
            if kept is not None:
                self._pages.move_to_end(key)
            return kept

    def put(self, key: Key, kept: Kept) -> None:
        log, seq = key[1], key[2]
        if len(kept.content) > self.max_bytes:
            return
        with self._lock:
            newest = self._newest.get(log, -1)
            if seq < newest:
                return  # rendered at a head already replaced: nobody will ask for it again
            if seq > newest:
                self._newest[log] = seq
                for old in [k for k in self._pages if k[1] == log and k[2] < seq]:
                    self._drop(old)
            if key in self._pages:
                self._drop(key)
            self._pages[key] = kept
            self._bytes += len(kept.content)
            while self._bytes > self.max_bytes:
                self._drop(next(iter(self._pages)))

    def _drop(self, key: Key) -> None:
        self._bytes -= len(self._pages.pop(key).content)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._newest.clear()
            self._bytes = 0


def _new_cache() -> PageCache:
    return PageCache(max_bytes=int(getattr(settings, "AYLLU_PAGE_CACHE_BYTES", DEFAULT_BYTES)))


pages = _new_cache()


@receiver(setting_changed)
def _settings_changed(**kwargs: Any) -> None:
    """Tests that change settings (the node's name, the cache's size) start from an empty cache."""
    global pages
    pages = _new_cache()


def forget_pages() -> None:
    """Drop every kept page (tests that replace a record under the same log use it)."""
    pages.clear()


def _lifetime_ms() -> int:
    return int(float(getattr(settings, "AYLLU_PAGE_CACHE_SECONDS", DEFAULT_SECONDS)) * 1000)


def serve(
    request: HttpRequest,
    *,
    view: str,
    log: str,
    reader: str,
    now: int,
    render: Callable[[str], HttpResponse],
    changes_at: Callable[[int], int],
) -> HttpResponse:
    """The page of `view` for `reader` (a member's key, "" for anyone else) at the record's head.

    `render(csrf_token)` renders it afresh, with `csrf_token` as the template's `csrf_token`; it runs
    only when no kept page fits. `changes_at(until)` is the first node time after `now` at which the
    page rendered at `now` would change by the clock alone, or `until` if none comes before it. Only a
    plain 200 answer is kept. Call inside `one_head()`; raises RecordNotFound for an unknown record.
    """
    key = _key(request, view=view, log=log, reader=reader)
    kept = pages.get(key)
    if kept is None or not _fresh(kept, now=now):
        response = render(CSRF_PLACEHOLDER)
        if response.status_code != 200 or response.streaming or response.cookies:
            return _with_token(request, response)
        kept = Kept(
            content=response.content,
            content_type=response["Content-Type"],
            csrf=_PLACEHOLDER_BYTES in response.content,
            rendered_at=now,
            expires_at=changes_at(now + _lifetime_ms()),
        )
        # A reader may have moved the head on mid-render (caught the state up): such a page could mix
        # two heads, so it is served but not kept.
        if get_head(log) == key[2:4]:
            pages.put(key, kept)
    setattr(request, "ayllu_kept", (key, kept))  # noqa: B010  (KeptPageMiddleware learns its headers)
    return answer(request, kept)


_CHARS = CSRF_ALLOWED_CHARS.encode("ascii")
_N = len(_CHARS)
# Each character is worked on as its index in Django's 62 allowed characters, one byte each, so that
# the whole token is a few operations on bytes. A random byte below _UNBIASED (248) is the index
# byte % 62; bytes at or above it would favour the first indexes, so they are dropped (translate's
# delete argument).
_UNBIASED = 256 - 256 % _N
_RANDOM_TO_INDEX = bytes(b % _N if b < _UNBIASED else 0 for b in range(256))
_RANDOM_DROP = bytes(range(_UNBIASED, 256))
_TO_INDEX = bytes.maketrans(_CHARS, bytes(range(_N)))
_TO_CHAR = bytes.maketrans(bytes(range(_N)), _CHARS)
# A sum of two indexes (at most 122) -> the character of that sum modulo 62.
_SUM_TO_CHAR = bytes(_CHARS[v % _N] if v < 2 * _N else 0 for v in range(256))


def masked_token(request: HttpRequest) -> str:
    """The request's CSRF token, masked afresh for this answer: what Django's `get_token` gives, cheaper.

    Django masks the secret with 32 `secrets.choice` calls (about 170 us on the development VM); this
    draws the mask from `os.urandom` (about 2 us), in Django's format (mask + cipher, each character the
    secret's plus the mask's, modulo the 62 allowed characters), which CsrfViewMiddleware unmasks.
    Each answer gets a new mask (BREACH). Without a valid secret from the cookie, Django's `get_token`
    makes one and sets its cookie.

    Unlike `get_token`, a secret the browser sent in its cookie is not sent back: Django sends it again
    only to push the cookie's expiry (CSRF_COOKIE_AGE, a year) forward while it is used. These tokens
    are on members' pages, and logging in rotates the secret (`auth.do_login`: a new cookie, good for a
    year) while a session lasts at most AYLLU_SESSION_ABSOLUTE_SECONDS (12 h): the cookie a logged-in
    member holds never comes near its end. The cookie is still sent whenever Django decided it must be
    (a new or rotated secret, one in an old format: CSRF_COOKIE_NEEDS_UPDATE set by Django itself).
    tests/web/test_page_cache.py fails if Django's format or the request keys used here change.
    """
    secret = request.META.get("CSRF_COOKIE")
    if not is_plain_secret(secret):
        return get_token(request)
    mask = os.urandom(2 * CSRF_SECRET_LENGTH).translate(_RANDOM_TO_INDEX, _RANDOM_DROP)
    while len(mask) < CSRF_SECRET_LENGTH:  # fewer than 32 of 64 bytes below 248: about never
        mask += os.urandom(CSRF_SECRET_LENGTH).translate(_RANDOM_TO_INDEX, _RANDOM_DROP)
    mask = mask[:CSRF_SECRET_LENGTH]
    # The secret's indexes plus the mask's, every byte at once: each sum is at most 122, so no byte
    # carries into the next.
    sums = int.from_bytes(secret.encode("ascii").translate(_TO_INDEX)) + int.from_bytes(mask)
    cipher = sums.to_bytes(CSRF_SECRET_LENGTH).translate(_SUM_TO_CHAR)
    return (mask.translate(_TO_CHAR) + cipher).decode("ascii")


def is_plain_secret(value: object) -> TypeGuard[str]:
    """Whether `value` is a CSRF secret as Django keeps it unmasked: 32 of its allowed characters."""
    # Django's allowed characters are exactly the ASCII letters and digits.
    return isinstance(value, str) and len(value) == CSRF_SECRET_LENGTH and value.isascii() and value.isalnum()


def lookup(request: HttpRequest, *, view: str, log: str, reader: str, now: int) -> tuple[Key, Kept] | None:
    """The kept page `serve` would answer with, and its key, or None when it would render (call inside
    `one_head()`; raises RecordNotFound for an unknown record)."""
    key = _key(request, view=view, log=log, reader=reader)
    kept = pages.get(key)
    if kept is None or not _fresh(kept, now=now):
        return None
    return key, kept


def _key(request: HttpRequest, *, view: str, log: str, reader: str) -> Key:
    """The key of `view`'s page for `reader` at the record's head, in the active language."""
    seq, head = get_head(log)
    return (view, log, seq, head, translation.get_language() or "", reader, asked_path(request))


def asked_path(request: HttpRequest) -> str:
    """The path and query string as asked (cheaper than `get_full_path()`): a kept page's path."""
    return f"{request.path}?{request.META.get('QUERY_STRING', '')}"


def _fresh(kept: Kept, *, now: int) -> bool:
    """Whether a kept page still holds at node time `now` (the clock has not changed it yet)."""
    return kept.rendered_at <= now < kept.expires_at


def answer(request: HttpRequest, kept: Kept) -> HttpResponse:
    """The response `serve` gives for a kept page: its bytes with this request's own CSRF token."""
    if not kept.csrf:
        return HttpResponse(kept.content, content_type=kept.content_type)
    content = kept.content.replace(_PLACEHOLDER_BYTES, masked_token(request).encode())
    # The token depends on the CSRF cookie (Django's `get_token` says so with this header too).
    return HttpResponse(content, content_type=kept.content_type, headers={"Vary": "Cookie"})


def _with_token(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """A response not kept, with the request's own CSRF token where the placeholder was rendered."""
    if not response.streaming and _PLACEHOLDER_BYTES in response.content:
        response.content = response.content.replace(_PLACEHOLDER_BYTES, masked_token(request).encode())
    return response
