"""Template helpers shared by every page: localised numbers and dates, long hashes shown short."""

from datetime import datetime

from django import template
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()

SHORT_HASH_LENGTH = 12


@register.filter
def number(value: int) -> str:
    """Format an integer the way the current language groups digits (1,234 in English, 1.234 in Spanish)."""
    return formats.number_format(value, force_grouping=True)


@register.filter
def short_hash(value: str) -> str:
    """Keep the first characters of a hex hash: enough to tell two apart by eye."""
    return value if len(value) <= SHORT_HASH_LENGTH else value[:SHORT_HASH_LENGTH] + "…"


@register.simple_tag(name="hash")
def hash_details(value: str) -> SafeString:
    """Show a hash short, with the full value one tap away (a <details> element: no JavaScript)."""
    return render_to_string("web/includes/hash.html", {"short": short_hash(value), "value": value})


@register.simple_tag
def time_element(value: datetime, *, date_only: bool = False) -> SafeString:
    """A <time> element: machine-readable ISO 8601, and the date (and time) as the language writes it."""
    local = timezone.localtime(value)
    shown = formats.date_format(local, "DATE_FORMAT" if date_only else "DATETIME_FORMAT")
    return format_html('<time datetime="{}">{}</time>', local.isoformat(timespec="seconds"), shown)
