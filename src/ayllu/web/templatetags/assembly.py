"""Template helpers of the assembly pages: record times, members by id, codes in words, charter sentences."""

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from django import template
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from ayllu.assembly_words import word
from ayllu.cargo_words import office_name as office_words
from ayllu.messages import charter_sentence
from ayllu.queries.assembly import CharterMessage
from ayllu.queries.pages import Person
from ayllu.words import meeting_title as meeting_title_words

from .ayllu import time_element

register = template.Library()

SHORT_KEY_LENGTH = 8


def _datetime(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, tz=UTC)


@register.filter
def office_name(office: str) -> str:
    """An office of a federation's charter (an identifier, `vocero_distrital`) as people read it."""
    return office_words(str(office))


@register.simple_tag
def ms_time(ms: int, *, date_only: bool = False) -> SafeString:
    """A <time> element for a record time in milliseconds, written the way the language writes dates."""
    return time_element(_datetime(int(ms)), date_only=date_only)


@register.simple_tag
def ms_clock(ms: int) -> SafeString:
    """A <time> element for a record time, the clock time only (for things happening today)."""
    local = timezone.localtime(_datetime(int(ms)))
    shown = formats.time_format(local, "TIME_FORMAT")
    return format_html('<time datetime="{}">{}</time>', local.isoformat(timespec="seconds"), shown)


@register.filter
def meeting_title(meeting: Any) -> Any:
    """A meeting's title (`meeting|meeting_title`, a read model with `title` and `plenary`): a federation
    plenary's in the reader's language, any other as its record says it."""
    return meeting_title_words(meeting.title, plenary=getattr(meeting, "plenary", False))


@register.filter
def share_part(share: str, part: str) -> str:
    """One side of a "num/den" share: `share|share_part:"num"` or `share|share_part:"den"`."""
    num, _, den = str(share).partition("/")
    return num if part == "num" else den


@register.filter
def share_shown(share: str) -> str:
    """A "num/den" share as people read it: a whole one ("0/1", "1/1") as the whole number."""
    num, _, den = str(share).partition("/")
    return num if den == "1" else str(share)


@register.filter
def short_key(key: str) -> str:
    """The first characters of a public key: enough to tell members apart by eye."""
    return key[:SHORT_KEY_LENGTH]


@register.inclusion_tag("web/assembly/includes/person.html")
def person(
    member: str, people: Mapping[str, Person], me: str = "", *, household: bool = True
) -> dict[str, Any]:
    """A member by id: their household and the start of their key (the record holds nothing more).

    A member named only in words the reader may not read (web/reader.py) is shown as that mark."""
    if getattr(member, "members_only", False):
        return {"withheld": member}
    # A key the record names but no member ever held (a seated delegate in a federation, an outsider's
    # citation) is shown by its key alone: it is nobody's former membership either.
    found = people.get(member) or Person.of_key(member)
    return {"person": found, "is_me": bool(me) and member == me, "with_household": household}


@register.inclusion_tag("web/assembly/includes/delegate.html")
def delegate(
    key: str,
    delegates: Mapping[str, Any],
    people: Mapping[str, Person],
    me: str = "",
    *,
    home: bool = True,
    named: str = "",
) -> dict[str, Any]:
    """A person a federation names by key: by their name in their home assembly and that assembly's name
    (`home`) where this node holds its record (`delegates`, queries.federations.list_delegates); by the
    start of their key where it does not, or where the home record names them only to its members.
    `named` is the home assembly's name where the caller knows it and the federation does not name them."""
    found = delegates.get(key) if delegates else None
    home_name = found.assembly_name if found is not None else named
    return {
        "found": found,
        "home_name": home_name if home else "",
        **person(key, people, me, household=False),
    }


@register.filter
def in_words(code: str, table: str) -> str:
    """A stable code (method, result, reason, tally, status, matter, agenda, cargo) in words."""
    return word(table, str(code))


@register.simple_tag
def charter_text(message: CharterMessage) -> str:
    """One plain-language sentence of the charter, from its message id and parameters."""
    return charter_sentence(message.id, message.params)


@register.filter
def get(mapping: Mapping[str, Any], key: str) -> Any:
    """Look a key up in a mapping (templates cannot index by a variable)."""
    return mapping.get(key) if isinstance(mapping, Mapping) else None


@register.filter
def datetime_local(ms: int) -> str:
    """A record time as the value of an <input type="datetime-local">, in the node's time zone."""
    return timezone.localtime(_datetime(int(ms))).strftime("%Y-%m-%dT%H:%M")


@register.filter
def split_words(value: str) -> list[str]:
    """Split a literal of space-separated codes into a list, for looping over fixed choices."""
    return value.split()


@register.filter
def is_list(value: Any) -> bool:
    """True for a ballot that lists options (approval, ranked), False for a single answer."""
    return isinstance(value, list | tuple)


@register.filter
def ms_date(ms: int) -> str:
    """A record time's date as plain text, the way the language writes it (inside an <option>)."""
    return formats.date_format(timezone.localtime(_datetime(int(ms))), "DATE_FORMAT")
