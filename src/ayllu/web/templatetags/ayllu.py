"""Template helpers shared by every page: localised numbers and dates, long hashes shown short."""

from datetime import datetime

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import ResolverMatch, reverse
from django.utils import formats, timezone, translation
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


@register.simple_tag(takes_context=True)
def language_links(context: template.Context) -> list[dict[str, object]]:
    """The language switch: for each language, the page being read in that language (same view and
    arguments, the words of its URL translated, the query string kept), so that switching is a plain
    link: no form, no CSRF token, no cookie. A page that resolved to no view (a 404) links to the
    node's front page in the other language."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    query = request.META.get("QUERY_STRING", "") if request is not None else ""
    current = translation.get_language()
    links = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            url = _same_page(match, query)
        info = translation.get_language_info(code)
        links.append({"code": code, "name": info["name_local"], "url": url, "current": code == current})
    return links


def _same_page(match: ResolverMatch | None, query: str) -> str:
    """The URL of `match`'s page in the active language, with `query`; the front page if it has none."""
    if match is not None and match.view_name:
        try:
            url = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
        except Exception:  # a view that cannot be reversed: the front page
            url = ""
        if url:
            return f"{url}?{query}" if query else url
    return reverse("web:home")
