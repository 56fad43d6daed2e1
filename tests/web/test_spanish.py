"""Spanish as people in El Alto read it: no English on Spanish pages or in their addresses, one term per
thing, plurals that agree, durations in days and hours (docs/glossary-es.md)."""

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.utils import translation

from ayllu.actions.record import forget_replayed_state
from ayllu.core.charter.plain import render_charter
from ayllu.core.charter.rules import default_charter_data, parse_charter
from ayllu.messages import charter_sentence, duration_words
from factories.scenes import NAMES, CargoAssembly, Clock, build_scene, clock  # noqa: F401 (a fixture)
from factories.stored import log_in_as

from .test_translations import po_entries, visible_text

# Names and technical terms a Spanish page may show as they are.
ALLOWED = {
    "ayllu",
    "merkle",
    "gini",
    "schulze",
    "condorcet",
    "leximin",
    "javascript",
    "json",
    "https",
    "http",
    "unicode",
    "drand",
    "quicknet",
    "fejuve",
    "cookies",
    "verify",
    "follow",
    "witness",
    "draw",
    "complete",
    "check",
    "evidence",
    "file",  # the `ayllu` commands a page quotes in <code>
    "abstain",  # the delegate's keyword, quoted until it becomes a choice
}
# Terms the glossary rules out in Spanish (docs/glossary-es.md, "no usar").
BANNED_SPANISH = {
    r"\bllaves?\b": "clave",
    r"\bperíodos?\b": "periodo",
    r"\bingres\w*": "entrar (iniciar sesión) o ser miembro (admisión)",
    r"\b(?:a)?padrin\w*|\bpadrinazgo\b": "avalar / aval",
    r"\b(?:dar|dan|da|dé|den|darán|dio|dieron) fe\b": "avalar",
    r"\bresponden? por\b": "avalar",
    r"\bhogar(?:es)?\b": "familia",
    r"\bél y otros\b": "quien le invitó y otros miembros",
    r"\bpanel(?:es)?\b": "comisión",
    r"\bpedidos? de revocatoria\b": "petición de revocatoria",
    r"\bhash\b(?!\))": "huella",
    r"\bentrar en la asamblea\b|\bpedir entrar\b": "ser miembro",
}
LAZY_PLURAL = re.compile(r"\w\((?:s|es|as|os)\)")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|<[^>]+>|&\w+;|\{\{[^}]*\}\}")
WORD = re.compile(r"[A-Za-zÁÉÍÓÚÜÑáéíóúüñ]+")
HEX_RUN = re.compile(r"\b[0-9a-f]{6,}…?|\b[0-9a-f]+…")
DATA = re.compile(r"<(pre|code|script|style)\b.*?</\1>", re.DOTALL)
PAGE_LIMIT = 150
DAY_MS = 24 * 3_600_000


def _words(text: str) -> set[str]:
    return {w.lower() for w in WORD.findall(PLACEHOLDER.sub(" ", text)) if len(w) >= 4}


def english_words() -> set[str]:
    """Words of the English messages that Spanish never uses: each one on a Spanish page is a leak."""
    entries = po_entries("es")
    english = {w for msgid, _, _ in entries if "<str:" not in msgid for w in _words(msgid)}
    spanish = {w for _, strs, _ in entries for s in strs for w in _words(s)}
    return english - spanish - ALLOWED


class _Links(HTMLParser):
    """The addresses a page links to or posts to, and the names a form sent by GET puts in an address."""

    def __init__(self, *, follow: bool) -> None:
        super().__init__()
        self.names = ("href",) if follow else ("href", "action")
        self.links: list[str] = []
        self.query_names: list[str] = []
        self.in_get_form = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "form":
            self.in_get_form = (values.get("method") or "get").lower() == "get"
        elif tag in ("input", "select", "textarea", "button") and self.in_get_form and values.get("name"):
            self.query_names.append(values["name"] or "")
        if values.get("lang") not in (None, "es"):
            return  # the language switch names the English page on purpose
        for name in self.names:
            if values.get(name):
                self.links.append(values[name] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.in_get_form = False


def _links(html: str, *, follow: bool = False) -> list[str]:
    """The addresses `html` links to (and posts to, unless only those to `follow`)."""
    parser = _Links(follow=follow)
    parser.feed(html)
    return parser.links


def prose(html: str) -> str:
    """The visible text of a Spanish page, leaving out data, commands and scripts (pre, code, script)."""
    return visible_text(DATA.sub(" ", html), language="es")


def _path_words(address: str) -> set[str]:
    """The words of an address's path (the log id and numbers left out)."""
    path = HEX_RUN.sub(" ", urlsplit(address).path)
    return {w.lower() for w in re.split(r"[/\-_.]+", path) if w.isalpha()}


def _name_words(name: str) -> set[str]:
    """The words of a query name or a fragment (`quorum.basis`, `objection-3`)."""
    return {w.lower() for w in re.split(r"[\-_.\[\]]+", HEX_RUN.sub(" ", name)) if w.isalpha()}


def _after_path_words(address: str) -> set[str]:
    """The words of an address's query names and fragment (the values left out: they are data)."""
    parts = urlsplit(address)
    names = {pair.split("=", 1)[0] for pair in parts.query.split("&") if pair}
    return {w for name in names | {parts.fragment} for w in _name_words(name)}


def address_words(html: str) -> set[str]:
    """The words of every address a Spanish page links or posts to, and of the names its GET forms send."""
    parser = _Links(follow=False)
    parser.feed(html)
    words = {w for name in parser.query_names for w in _name_words(name)}
    for link in parser.links:
        parts = urlsplit(link)
        if parts.netloc or parts.scheme:
            continue  # another site's address, or a mailto: or sms: link
        words |= _after_path_words(link)
        if link.startswith("/es/"):
            words |= _path_words(link)
    return words


def crawl_spanish(client: Client, start: str) -> dict[str, str]:
    """Every page reachable from `start` under /es/ (address -> HTML), as `client` reads them."""
    pages: dict[str, str] = {}
    queue = deque([start])
    while queue and len(pages) < PAGE_LIMIT:
        address = queue.popleft()
        if address in pages:
            continue
        response = client.get(address, follow=True)
        if "text/html" not in response.get("Content-Type", ""):
            pages[address] = ""
            continue
        html = response.content.decode()
        pages[address] = html
        for link in _links(html, follow=True):
            parts = urlsplit(link)
            if parts.netloc or not parts.path.startswith("/es/"):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target not in pages and (parts.path.endswith("/") or not parts.path.rsplit("/", 1)[-1]):
                queue.append(target)
    return pages


@pytest.fixture
def scene(db: None, clock: Clock) -> CargoAssembly:  # noqa: F811 (the clock fixture)
    forget_replayed_state()
    return build_scene(clock)


@pytest.mark.parametrize("reader", ["member", "outsider"])
def test_every_spanish_page_of_a_populated_assembly_shows_no_english(
    client: Client, scene: CargoAssembly, reader: str
) -> None:
    # given: the assembly in Spanish (cargos, a mandate, a recall, a draw, a meeting), read by a member
    # or by someone who is not one
    if reader == "member":
        log_in_as(client, scene.log, scene.keys[NAMES[0]])
    english = english_words()
    # when
    pages = crawl_spanish(client, f"/es/asamblea/{scene.log}/")
    # then
    assert len([html for html in pages.values() if html]) > (40 if reader == "member" else 25), sorted(pages)
    leaks = {}
    for address, html in pages.items():
        words = _words(HEX_RUN.sub(" ", prose(html))) if html else set()
        in_text = sorted(words & english)
        in_links = sorted(address_words(html) & english) if html else []
        in_address = sorted((_path_words(address) | _after_path_words(address)) & english)
        if in_text or in_links or in_address:
            leaks[address] = {"text": in_text, "links": in_links, "address": in_address}
    assert leaks == {}, "\n".join(f"{a}: {w}" for a, w in leaks.items())


def test_the_leak_check_sees_an_english_word_and_an_english_address() -> None:
    # given
    english = english_words()
    html = '<html lang="es"><p>Firmar el acta</p><a href="/es/asamblea/ab12/proposals/">x</a></html>'
    queried = '<a href="/es/asamblea/ab12/propuestas/?meeting=3#roster">x</a><a href="?p=2#entradas">y</a>'
    searching = '<form method="get"><input name="rounds.consent"></form><form method="post"><input name="b">'
    # then
    assert {"proposals", "signature", "meeting"} <= english
    assert not {"acta", "asamblea", "merkle"} & english
    assert _words(visible_text("<p>Firmar the meeting</p>", language="es")) & english == {"meeting"}
    assert {w for link in _links(html) for w in _path_words(link)} & english == {"proposals"}
    # and English query names, fragments and names a GET form sends, but no value and no POST form's name
    assert address_words(queried) & english == {"meeting", "roster"}
    assert address_words(searching) & english == {"rounds", "consent"}


def test_the_catalogues_write_plurals_and_terms_one_way() -> None:
    # given
    spanish = po_entries("es")
    english = po_entries("en")
    # then: no lazy plurals, in either language
    assert [m for m, _, _ in english if LAZY_PLURAL.search(m)] == []
    assert [s for _, strs, _ in spanish for s in strs if LAZY_PLURAL.search(s)] == []
    # and one term per thing in Spanish
    found = {
        (pattern, s)
        for _, strs, _ in spanish
        for s in strs
        for pattern in BANNED_SPANISH
        if re.search(pattern, s, re.IGNORECASE)
    }
    assert found == set()
    # and quotations in guillemets, not in English quotation marks
    quoted = [s for _, strs, _ in spanish for s in strs if re.search(r"[“”]|(?<![=\w])\"\w", s)]
    assert quoted == []


def test_the_charter_says_its_times_in_days_and_hours() -> None:
    # given: a charter whose times are long ones (three days to discuss, a day to vote)
    charter = default_charter_data()
    charter["deliberation"] = {"async_ms": 3 * DAY_MS, "meeting_ms": 30 * 60_000, "voting_ms": DAY_MS}
    # when
    with translation.override("es"):
        messages = render_charter(parse_charter(charter))
        text = " ".join(charter_sentence(mid, params) for mid, params in messages)
    # then: no "4320 minutos", and no lazy plural
    assert "al menos 3 días entre reuniones, o 30 minutos en una reunión" in text
    assert "la votación queda abierta al menos 1 día." in text
    assert not re.search(r"\b\d[\d.]{2,} (?:minutos|segundos)", text)
    assert not LAZY_PLURAL.search(text)


@pytest.mark.parametrize(
    ("language", "ms", "words"),
    [
        ("es", 4320 * 60_000, "3 días"),
        ("es", 36 * 3_600_000, "1 día y 12 horas"),
        ("es", 90 * 60_000, "1 hora y 30 minutos"),
        ("es", 60_000, "1 minuto"),
        ("es", 45_000, "45 segundos"),
        ("es", 0, "0 minutos"),
        ("en", 4320 * 60_000, "3 days"),
        ("en", 25 * 3_600_000 + 60_000, "1 day and 1 hour"),
    ],
)
def test_a_duration_reads_in_its_two_largest_units(language: str, ms: int, words: str) -> None:
    with translation.override(language):
        assert duration_words(ms) == words


def test_a_matter_form_has_a_spanish_address_and_the_old_english_one_redirects(
    client: Client, scene: CargoAssembly
) -> None:
    # given
    log_in_as(client, scene.log, scene.keys[NAMES[0]])
    spanish = f"/es/asamblea/{scene.log}/propuestas/nueva/"
    english = f"/en/assembly/{scene.log}/proposals/new/"
    # when
    old = client.get(f"{spanish}admission/?meeting=3")
    code = client.get(f"{spanish}key_replacement/")
    crossed = client.get(f"{english}reincorporacion/")
    # then: permanent redirects to the address in the page's language, the query kept
    assert (old.status_code, old["Location"]) == (301, f"{spanish}admision/?meeting=3")
    assert (code.status_code, code["Location"]) == (301, f"{spanish}reemplazo-de-clave/")
    assert (crossed.status_code, crossed["Location"]) == (301, f"{english}reinstatement/")
    assert client.get(f"{spanish}reemplazo-de-clave/").status_code == 200
    assert client.get(f"{english}key-replacement/").status_code == 200
    assert client.get(f"{spanish}coronacion/").status_code == 404
