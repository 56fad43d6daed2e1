"""Spanish and English are complete and never mixed on one page."""

import gettext
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.test import Client

import ayllu
from factories.stored import StoredAssembly

LOCALE = Path(ayllu.__file__).parent / "locale"
PLACEHOLDER = re.compile(r"%\(\w+\)s|<[^>]+>")


def po_entries(language: str) -> list[tuple[str, list[str], bool]]:
    """(msgid, msgstrs, fuzzy) for every message of a catalogue, header excluded."""
    entries = []
    for block in (LOCALE / language / "LC_MESSAGES" / "django.po").read_text().split("\n\n"):
        fields: dict[str, str] = {}
        current = None
        for line in block.splitlines():
            if line.startswith("#"):
                continue
            match = re.match(r'^(msgid_plural|msgid|msgstr(?:\[\d\])?) "(.*)"$', line)
            if match:
                current = match.group(1)
                fields[current] = match.group(2)
            elif current and line.startswith('"'):
                fields[current] += line[1:-1]
        if fields.get("msgid"):
            strs = [v for k, v in sorted(fields.items()) if k.startswith("msgstr")]
            entries.append((fields["msgid"], strs, "#, fuzzy" in block))
    return entries


def po_context_entries(language: str) -> list[tuple[str, str, list[str]]]:
    """(msgctxt, msgid, msgstrs) for every message of a catalogue that has a context."""
    entries = []
    for block in (LOCALE / language / "LC_MESSAGES" / "django.po").read_text().split("\n\n"):
        context = re.search(r'^msgctxt "(.*)"$', block, re.MULTILINE)
        if context:
            msgid = next(m for m, _, _ in po_entries_of(block))
            strs = next(s for _, s, _ in po_entries_of(block))
            entries.append((context.group(1), msgid, strs))
    return entries


def po_entries_of(block: str) -> list[tuple[str, list[str], bool]]:
    """(msgid, msgstrs, fuzzy) of one block of a catalogue."""
    fields: dict[str, str] = {}
    current = None
    for line in block.splitlines():
        if line.startswith("#"):
            continue
        match = re.match(r'^(msgid_plural|msgid|msgstr(?:\[\d\])?) "(.*)"$', line)
        if match:
            current = match.group(1)
            fields[current] = match.group(2)
        elif current and line.startswith('"'):
            fields[current] += line[1:-1]
    if not fields.get("msgid"):
        return []
    strs = [v for k, v in sorted(fields.items()) if k.startswith("msgstr")]
    return [(fields["msgid"], strs, "#, fuzzy" in block)]


class _VisibleText(HTMLParser):
    """The text a reader sees, leaving out elements explicitly marked as another language."""

    VOID = {"meta", "link", "input", "br", "img", "hr"}

    def __init__(self, page_language: str) -> None:
        super().__init__()
        self.page_language = page_language
        self.stack: list[bool] = []
        self.chunks: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("aria-label", "title", "alt", "placeholder"):
            if values.get(name) and not (self.stack and self.stack[-1]):
                self.chunks.append(values[name] or "")
        if tag in self.VOID:
            return
        foreign = bool(values.get("lang")) and values["lang"] != self.page_language and tag != "html"
        self.stack.append(foreign or bool(self.stack and self.stack[-1]))

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not (self.stack and self.stack[-1]):
            self.chunks.append(data)


def visible_text(html: str, *, language: str) -> str:
    parser = _VisibleText(language)
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.chunks))


def phrases(message: str) -> list[str]:
    """The literal pieces of a message between placeholders and tags, long enough to be telling."""
    return [p.strip(" .:,") for p in PLACEHOLDER.split(message) if len(p.strip(" .:,").split()) >= 2]


def page_urls(log: str, language: str) -> list[str]:
    record = f"/es/asamblea/{log}/registro/" if language == "es" else f"/en/assembly/{log}/record/"
    return [f"/{language}/", record, f"/{language}/no-such-page/"]


def test_spanish_catalogue_is_complete_and_compiled() -> None:
    # given
    entries = po_entries("es")
    with (LOCALE / "es" / "LC_MESSAGES" / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    # then
    assert entries
    untranslated = [msgid for msgid, strs, fuzzy in entries if fuzzy or not all(strs)]
    assert untranslated == []
    contexts = po_context_entries("es")
    with_context = {msgid for _, msgid, _ in contexts}
    stale = [
        msgid
        for msgid, _, _ in entries
        if compiled.gettext(msgid) == msgid and "<str:" not in msgid and msgid not in with_context
    ]
    stale += [msgid for context, msgid, strs in contexts if compiled.pgettext(context, msgid) != strs[0]]
    plural_ids = {msgid for msgid, strs, _ in entries if len(strs) > 1}
    assert [m for m in stale if m not in plural_ids] == [], (
        "run compilemessages: the .mo is older than the .po"
    )


# The assembly fixtures are requested by name at run time, which pytest-django cannot see when it
# decides which test databases to create: the marker says this test needs one (run alone, it had none).
@pytest.mark.django_db
@pytest.mark.parametrize("state", ["verified_assembly", "broken_assembly", "assembly"])
def test_spanish_pages_show_no_english_from_our_catalogue(client: Client, state: str, request) -> None:
    # given
    founded: StoredAssembly = request.getfixturevalue(state)
    english = {p for msgid, _, _ in po_entries("es") for p in phrases(msgid)}
    spanish = {p for _, strs, _ in po_entries("es") for s in strs for p in phrases(s)}
    english -= spanish  # a phrase spelt the same in both languages is not a leak
    for url in page_urls(founded.log, "es"):
        # when
        text = visible_text(client.get(url).content.decode(), language="es")
        # then
        leaks = sorted(p for p in english if p in text)
        assert leaks == [], f"{url} shows English: {leaks}"


# The assembly fixtures are requested by name at run time, which pytest-django cannot see when it
# decides which test databases to create: the marker says this test needs one (run alone, it had none).
@pytest.mark.django_db
@pytest.mark.parametrize("state", ["verified_assembly", "broken_assembly", "assembly"])
def test_english_pages_show_no_spanish_from_our_catalogue(client: Client, state: str, request) -> None:
    # given
    founded: StoredAssembly = request.getfixturevalue(state)
    english = {p for msgid, _, _ in po_entries("es") for p in phrases(msgid)}
    spanish = {p for _, strs, _ in po_entries("es") for s in strs for p in phrases(s)} - english
    for url in page_urls(founded.log, "en"):
        # when
        text = visible_text(client.get(url).content.decode(), language="en")
        # then
        leaks = sorted(p for p in spanish if p in text)
        assert leaks == [], f"{url} shows Spanish: {leaks}"


def test_leak_check_catches_an_untranslated_phrase() -> None:
    # given: a Spanish page where one sentence was left in English, and one marked lang="en" on purpose
    html = (
        '<html lang="es"><p>Asambleas en este nodo</p><p>Show in full</p>'
        '<button lang="en">English</button></html>'
    )
    english = {p for msgid, _, _ in po_entries("es") for p in phrases(msgid)}
    # when
    text = visible_text(html, language="es")
    # then
    assert sorted(p for p in english if p in text) == ["Show in full"]


@pytest.mark.slow  # a second pytest in a child process
@pytest.mark.database  # the child pytest runs the page checks on the suite's test database
def test_page_checks_pass_when_this_file_runs_alone() -> None:
    # given: only this file's page checks, in a fresh pytest (no other test creates the database first)
    command = [
        sys.executable,
        "-m",
        "pytest",
        __file__,
        "-q",
        "-n",
        "0",
        "-p",
        "no:randomly",
        "-k",
        "pages_show",
    ]
    # when
    run = subprocess.run(
        command,
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        cwd=Path(__file__).parents[2],
        timeout=300,
    )
    # then
    assert run.returncode == 0, run.stdout[-3000:]
