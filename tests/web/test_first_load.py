"""What a phone downloads on its first visit to each kind of page: the HTML and every stylesheet and
script it loads (module imports followed), uncompressed and gzipped. htmx is loaded only by the pages
that refresh a part of themselves. `pytest tests/web/test_first_load.py -s` prints the figures kept in
docs/performance.md."""

import gzip
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse
from django.utils import translation

from ayllu.actions.record import forget_replayed_state
from factories.scenes import meeting_with_everyone
from factories.stored import StoredAssembly, found_with_officers, log_in_as

ASSET = re.compile(r'<(?:link rel="stylesheet" href|script[^>]*src)="/static/([^"]+)"')
IMPORT = re.compile(r'(?:import|from)\s*[^"\']*["\'](\./[^"\']+)["\']')
HTMX = "vendor/htmx.min.js"


def assets_of(html: str) -> list[str]:
    """Every static file a page loads, module imports included, each once."""
    found: list[str] = []
    pending = ASSET.findall(html)
    while pending:
        name = pending.pop(0)
        if name in found:
            continue
        found.append(name)
        if name.endswith(".js"):
            text = Path(str(finders.find(name))).read_text()
            folder = name.rsplit("/", 1)[0]
            pending += [f"{folder}/{imported[2:]}" for imported in IMPORT.findall(text)]
    return found


def first_load(client: Client, path: str) -> tuple[int, int, list[str]]:
    """Bytes of the page and its assets: uncompressed, gzipped, and the assets' names."""
    response = client.get(path)
    assert response.status_code == 200, path
    html = response.content
    assets = assets_of(html.decode())
    files = [html, *(Path(str(finders.find(name))).read_bytes() for name in assets)]
    return sum(map(len, files)), sum(len(gzip.compress(f)) for f in files), assets


@pytest.fixture
def assembly(db: None) -> tuple[StoredAssembly, int]:
    forget_replayed_state()
    assembly = found_with_officers("Junta Vecinal Villa Esperanza")
    return assembly, meeting_with_everyone(assembly)


def test_htmx_loads_only_where_a_page_refreshes_a_part_of_itself(
    client: Client, assembly: tuple[StoredAssembly, int]
) -> None:
    # given: a member, logged in
    stored, meeting = assembly
    log_in_as(client, stored.log, stored.members[1])
    log = stored.log
    with translation.override("es"):
        pages = {
            "node home": reverse("web:home"),
            "now": reverse("web:assembly", kwargs={"log": log}),
            "proposals": reverse("web:proposals", kwargs={"log": log}),
            "new proposal": reverse("web:new_proposal", kwargs={"log": log}),
            "members": reverse("web:members", kwargs={"log": log}),
            "cargos": reverse("web:cargos", kwargs={"log": log}),
            "record": reverse("web:record", kwargs={"log": log}),
            "meeting (live view)": reverse("web:meeting", kwargs={"log": log, "meeting_id": meeting}),
        }
    # when
    loads = {name: first_load(client, path) for name, path in pages.items()}
    # then
    print("\nfirst load, Spanish, a member logged in: page + assets, uncompressed / gzipped")
    for name, (raw, packed, _) in loads.items():
        print(f"  {name:22} {raw / 1024:6.1f} KB / {packed / 1024:5.1f} KB")
    with_htmx = {name for name, (_, _, assets) in loads.items() if HTMX in assets}
    assert with_htmx == {"meeting (live view)"}
    # Budgets, gzipped: a page without htmx 32 KB (22-28 KB on 2026-12-07); the live meeting view, the
    # one page with htmx (16.9 KB of it), 42 KB (40.0 KB on 2026-12-07; it was 40 KB for every page).
    assert all(packed <= 32 * 1024 for name, (_, packed, _) in loads.items() if name not in with_htmx)
    assert all(loads[name][1] <= 42 * 1024 for name in with_htmx)
