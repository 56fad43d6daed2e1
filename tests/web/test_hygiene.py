"""What the node serves loads nothing from elsewhere and needs no inline script or style."""

import re
from pathlib import Path

import pytest
from django.test import Client

import ayllu
from factories.stored import StoredAssembly

WEB = Path(ayllu.__file__).parent / "web"
SERVED = [
    p
    for folder in ("templates", "static")
    for p in (WEB / folder).rglob("*")
    if p.is_file() and "LICENSE" not in p.name and p.name != "README.md"
]
URL = re.compile(rb"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}", re.IGNORECASE)
COMMENTS = re.compile(rb"/\*.*?\*/|<!--.*?-->|\{#.*?#\}", re.DOTALL)
# XML namespace names look like URLs but are never fetched.
NAMESPACES = {b"http://www.w3.org"}


def external_urls(data: bytes) -> list[bytes]:
    return [u for u in URL.findall(COMMENTS.sub(b"", data)) if u not in NAMESPACES]


def test_templates_and_static_files_name_no_other_host() -> None:
    # given
    assert any(p.name == "htmx.min.js" for p in SERVED)
    # then
    offenders = {str(p.relative_to(WEB)): external_urls(p.read_bytes()) for p in SERVED}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_url_check_catches_a_font_from_elsewhere() -> None:
    # given
    css = b"/* https://example.org is only a comment */ @import url(https://fonts.example.com/x.css);"
    # then
    assert external_urls(css) == [b"https://fonts.example.com"]


@pytest.mark.parametrize("language", ["es", "en"])
def test_pages_have_no_inline_script_style_or_handlers(
    client: Client, broken_assembly: StoredAssembly, language
) -> None:
    # given
    record = "asamblea/{}/registro" if language == "es" else "assembly/{}/record"
    for url in (f"/{language}/", f"/{language}/{record.format(broken_assembly.log)}/"):
        # when
        page = client.get(url).content.decode()
        # then
        assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page) == [], url
        assert "<style" not in page and " style=" not in page, url
        assert re.findall(r"\son[a-z]+=", page) == [], url
        assert re.findall(r'(?:src|href)="(?:https?:)?//', page) == [], url


def test_first_load_of_the_record_page_fits_a_slow_phone_budget(
    client: Client, verified_assembly: StoredAssembly
) -> None:
    # given: the budget is 60 KB compressed for a first load; we count the static files too
    import gzip

    from django.contrib.staticfiles import finders

    page = client.get(f"/es/asamblea/{verified_assembly.log}/registro/").content
    assets = [Path(finders.find(name)).read_bytes() for name in ("web/ayllu.css", "vendor/htmx.min.js")]
    # when
    total = sum(len(gzip.compress(data)) for data in (page, *assets))
    # then
    assert total <= 60 * 1024, f"{total} bytes compressed"
