"""Words after an address's path, in the page's language: query names (`?reunion=3`) and fragments
(`#rol`), so a Spanish page links to a Spanish address all the way to its end.

Views and templates name each one by its code (the English word); the address carries the active
language's word. Every language's word is read back, and so is the code, so a link copied from a page in
another language, or written before the words were translated, still works.
"""

from collections.abc import Iterator, Mapping

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from ayllu.assembly_words import MATTER_SLUGS

# Each part of a query name (a dotted name is said part by part: `methods.admission.method`).
QUERY_WORDS: dict[str, Promise] = {
    "meeting": pgettext_lazy("URL", "meeting"),
    "member": pgettext_lazy("URL", "member"),
    "cargo": pgettext_lazy("URL", "cargo"),
    "months": pgettext_lazy("URL", "months"),
    "saved": pgettext_lazy("URL", "saved"),
    "preview": pgettext_lazy("URL", "preview"),
    "beacon": pgettext_lazy("URL", "beacon"),
    "purpose": pgettext_lazy("URL", "purpose"),
    "panel_size": pgettext_lazy("URL", "panel_size"),
    "hours": pgettext_lazy("URL", "hours"),
    "source": pgettext_lazy("URL", "source"),
    "round": pgettext_lazy("URL", "round"),
    "entry": pgettext_lazy("URL", "entry"),
    # the charter editor's settings
    "quorum": pgettext_lazy("URL", "quorum"),
    "participation": pgettext_lazy("URL", "participation"),
    "basis": pgettext_lazy("URL", "basis"),
    "num": pgettext_lazy("URL", "num"),
    "den": pgettext_lazy("URL", "den"),
    "methods": pgettext_lazy("URL", "methods"),
    "method": pgettext_lazy("URL", "method"),
    "base": pgettext_lazy("URL", "base"),
    "comparison": pgettext_lazy("URL", "comparison"),
    "fallback": pgettext_lazy("URL", "fallback"),
    "rounds": pgettext_lazy("URL", "rounds"),
    "consent": pgettext_lazy("URL", "consent"),
    "consensus": pgettext_lazy("URL", "consensus"),
    "consensus_blocks": pgettext_lazy("URL", "consensus_blocks"),
    "deliberation": pgettext_lazy("URL", "deliberation"),
    "async_ms": pgettext_lazy("URL", "async_ms"),
    "meeting_ms": pgettext_lazy("URL", "meeting_ms"),
    "voting_ms": pgettext_lazy("URL", "voting_ms"),
    "days": pgettext_lazy("URL", "days"),
    "minutes": pgettext_lazy("URL", "minutes"),
    "tabling": pgettext_lazy("URL", "tabling"),
    "by": pgettext_lazy("URL", "by"),
    "count": pgettext_lazy("URL", "count"),
    "petition": pgettext_lazy("URL", "petition"),
    "signatures": pgettext_lazy("URL", "signatures"),
    "speaking": pgettext_lazy("URL", "speaking"),
    "limit_s": pgettext_lazy("URL", "limit_s"),
    "sortition": pgettext_lazy("URL", "sortition"),
    "panels": pgettext_lazy("URL", "panels"),
    "federation": pgettext_lazy("URL", "federation"),
    "resolution": pgettext_lazy("URL", "resolution"),
}

# Fragments: the parts of a page a link may point to (`#objection-3` is said as `objection` + `-3`).
FRAGMENTS: dict[str, Promise] = {
    "main": pgettext_lazy("URL", "main"),
    "objection": pgettext_lazy("URL", "objection"),
    "amendment": pgettext_lazy("URL", "amendment"),
    "applicant": pgettext_lazy("URL", "applicant"),
    "claim": pgettext_lazy("URL", "claim"),
    "petition": pgettext_lazy("URL", "petition"),
    "session": pgettext_lazy("URL", "session"),
    "swap": pgettext_lazy("URL", "swap"),
    "turn": pgettext_lazy("URL", "turn"),
    "roster": pgettext_lazy("URL", "roster"),
    "preview": pgettext_lazy("URL", "preview"),
    "complete": pgettext_lazy("URL", "complete"),
    "prepare": pgettext_lazy("URL", "prepare"),
    "your-part": pgettext_lazy("URL", "your-part"),
    "entries": pgettext_lazy("URL", "entries"),
    "step-apply": pgettext_lazy("URL", "step-apply"),
    "verification": pgettext_lazy("URL", "verification"),
    "resolution": pgettext_lazy("URL", "resolution"),
}


def _part(part: str) -> str:
    word = QUERY_WORDS.get(part, MATTER_SLUGS.get(part))
    return part if word is None else str(word)


def query_name(name: str) -> str:
    """The query name `name` (a code, dotted by parts) as the active language writes it."""
    return ".".join(_part(part) for part in name.split("."))


def _spellings(name: str) -> Iterator[str]:
    """`name` as every language writes it, the active language first, then its code."""
    yield query_name(name)
    for code, _language in settings.LANGUAGES:
        with translation.override(code):
            yield query_name(name)
    yield name


def query_value(query: Mapping[str, str], name: str, default: str = "") -> str:
    """The value of query name `name` in `query`, written in any language (or as its code)."""
    for spelling in _spellings(name):
        if spelling in query:
            return str(query[spelling])
    return default


def in_query(query: Mapping[str, str], name: str) -> bool:
    """Whether `query` holds query name `name`, written in any language (or as its code)."""
    return any(spelling in query for spelling in _spellings(name))


def _code_of(part: str) -> str:
    """The code a part of a query name is written for, in any language (the part itself if none)."""
    if part in QUERY_WORDS or part in MATTER_SLUGS:
        return part
    for code, _language in settings.LANGUAGES:
        with translation.override(code):
            for words in (QUERY_WORDS, MATTER_SLUGS):
                for name, word in words.items():
                    if str(word) == part:
                        return name
    return part


def translated_query(query: str) -> str:
    """A query string with each name said in the active language (the values kept as they are)."""
    pairs = []
    for pair in query.split("&"):
        name, equals, value = pair.partition("=")
        code = ".".join(_code_of(part) for part in name.split("."))
        pairs.append(f"{query_name(code)}{equals}{value}" if name else pair)
    return "&".join(pairs)


def fragment(name: str) -> str:
    """The fragment `name` (a code) as the active language writes it."""
    word = FRAGMENTS.get(name)
    if word is None:
        raise KeyError(f"no fragment named {name!r} in address_words.FRAGMENTS")
    return str(word)
