"""Template helpers shared by every page: localised numbers and dates, long hashes shown short."""

import secrets
from datetime import datetime

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import ResolverMatch, reverse
from django.utils import formats, timezone, translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from ayllu.messages import duration_words, message_for
from ayllu.web import address_words
from ayllu.web.script_messages import script_messages as messages_of

register = template.Library()

SHORT_HASH_LENGTH = 12
# Every code the browser's check of the whole record can name (static/web/js/record-verify.js).
RECORD_CHECK_CODES = (
    "not_json", "forbidden_value", "non_canonical", "malformed_entry", "bad_author_signature",
    "bad_node_signature", "wrong_log", "seq_gap", "broken_chain", "duplicate_act", "missing_body",
    "wrong_body_hash", "malformed_body", "inconsistent_checkpoint", "receipt_not_honoured",
    "malformed_checkpoint", "malformed_receipt", "bad_checkpoint_signature", "bad_receipt_signature",
    "not_founded", "not_a_founder", "missing_endorsement", "bad_endorsement",
)  # fmt: skip


@register.simple_tag
def record_check_problems() -> list[tuple[str, str]]:
    """(code, sentence) for each problem the browser's check of the whole record can name."""
    return [(code, message_for(code, {})) for code in RECORD_CHECK_CODES]


@register.filter
def query_name(name: str) -> str:
    """A query name's code (`meeting`, `quorum.basis`) as the page's language writes it in an address."""
    return address_words.query_name(name)


@register.filter
def fragment(name: str) -> str:
    """A fragment's code (`roster`) as the page's language writes it, for an id and for `#` links."""
    return address_words.fragment(name)


@register.simple_tag
def fragment_alias(name: str, suffix: object = "") -> SafeString:
    """An empty anchor with the fragment's code as its id, where the page's word differs from it: a link
    written with the code (in English, or before the words were translated) still lands there."""
    word = address_words.fragment(name)
    if word == name:
        return SafeString("")
    tail = f"-{suffix}" if suffix != "" else ""
    return format_html('<span class="anchor-alias" id="{}{}"></span>', name, tail)


@register.filter
def number(value: int) -> str:
    """Format an integer the way the current language groups digits (1,234 in English, 1.234 in Spanish)."""
    return formats.number_format(value, force_grouping=True)


# Unicode's first-strong isolate and pop directional isolate: <bdi> where markup cannot go (an <option>).
FSI, PDI = "\u2068", "\u2069"


@register.filter
def bdi(value: object) -> SafeString:
    """Words someone wrote (a name, a title), isolated from the text around them: a household written
    right to left cannot reorder the key or the numbers printed beside it."""
    if getattr(value, "members_only", False):
        return value  # type: ignore[return-value]
    return format_html("<bdi>{}</bdi>", value)


@register.filter
def first_word(value: str) -> str:
    """The first word of a name someone chose (where the whole name has no room: a phone's header)."""
    words = value.split(maxsplit=1)
    return words[0] if words else ""


@register.filter
def isolated(value: object) -> str:
    """`bdi` for plain text (inside an <option> or an attribute): the Unicode isolate marks around it."""
    return f"{FSI}{value}{PDI}"


@register.simple_tag
def form_nonce() -> str:
    """A nonce made with the page, for a form that makes one act and leaves: sent again (back, then
    submit), it is the same act, which the node answers with where it landed instead of recording twice."""
    return secrets.token_urlsafe(16)


@register.filter
def duration(ms: int) -> str:
    """A duration in milliseconds in words, in days and hours ("3 days", "1 day and 12 hours")."""
    return duration_words(ms)


@register.filter
def short_hash(value: str) -> str:
    """Keep the first characters of a hex hash: enough to tell two apart by eye."""
    return value if len(value) <= SHORT_HASH_LENGTH else value[:SHORT_HASH_LENGTH] + "…"


@register.simple_tag(name="hash")
def hash_details(value: str) -> SafeString:
    """Show a hash short, with the full value one tap away (a <details> element: no JavaScript)."""
    return render_to_string("web/includes/hash.html", {"short": short_hash(value), "value": value})


@register.simple_tag
def act_prose_fields() -> SafeString:
    """The prose fields of every act type, for act-form.js to write an act's words apart (format 2): a
    hidden element's data attribute, as the pages carry no inline script."""
    import json

    from ayllu.actions.catalogue import PROSE_FIELDS

    fields = json.dumps(PROSE_FIELDS, sort_keys=True, separators=(",", ":"))
    return format_html('<div hidden id="ayllu-prose-fields" data-fields="{}"></div>', fields)


@register.simple_tag(name="script_messages")
def script_messages_block(name: str, **extra: object) -> SafeString:
    """The hidden sentences of set `name` that its page's script shows (web/script_messages.py), with the
    `code=sentence` ones the page words itself."""
    marker, sentences = messages_of(name, extra)
    spans = format_html_join("\n  ", '<span data-msg="{}">{}</span>', sentences)
    return format_html("<div hidden {}>\n  {}\n</div>", marker, spans)


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
            return f"{url}?{address_words.translated_query(query)}" if query else url
    return reverse("web:home")
