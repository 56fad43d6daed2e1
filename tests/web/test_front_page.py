"""The node's front page with many assemblies: searched by name, 50 a page, kept while no head changes,
in a number of queries that does not grow with the number of assemblies."""

from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ayllu.actions.record import do_append
from factories.stored import StoredAssembly, record_verification


def _queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_search_finds_names_whatever_their_case_and_accents(
    client: Client, make_assembly: Callable[..., StoredAssembly]
) -> None:
    # given
    penas = make_assembly("Junta Vecinal Peñas Altas", notices=0)
    agua = make_assembly("Cooperativa de Agua Senkata", notices=0)
    # when
    response = client.get("/es/?q=PENAS")
    # then
    page = response.content.decode()
    assert f'href="/es/asamblea/{penas.log}/"' in page
    assert f'href="/es/asamblea/{agua.log}/"' not in page
    assert "Se encontró 1 asamblea." in page
    assert 'value="PENAS"' in page


def test_a_search_that_finds_nothing_says_so_in_english(
    client: Client, make_assembly: Callable[..., StoredAssembly]
) -> None:
    # given
    make_assembly("Junta Vecinal Peñas Altas", notices=0)
    # when
    page = client.get("/en/?q=mercado").content.decode()
    # then
    assert "No assembly on this node has a name like that." in page
    assert "0 assemblies found." in page


def test_the_list_is_paged_fifty_at_a_time(
    client: Client, make_assembly: Callable[..., StoredAssembly]
) -> None:
    # given: 52 assemblies, oldest first
    made = [make_assembly(f"Junta {i:02}", notices=0) for i in range(52)]
    # when
    first = client.get("/es/").content.decode()
    second = client.get("/en/?p=2").content.decode()
    # then
    assert first.count('class="assembly-card"') == 50
    assert "Página 1 de 2" in first and 'href="?p=2" rel="next"' in first
    assert second.count('class="assembly-card"') == 2
    assert (
        f'href="/en/assembly/{made[50].log}/"' in second and f'href="/en/assembly/{made[51].log}/"' in second
    )
    assert "Page 2 of 2" in second and 'href="?p=1" rel="prev"' in second


def test_the_query_count_does_not_grow_with_the_assemblies(
    client: Client, make_assembly: Callable[..., StoredAssembly], settings: Any
) -> None:
    # given: the node's first check done, and no new one due during the test
    settings.AYLLU_SERVED_SECONDS = 3600
    for i in range(3):
        record_verification(make_assembly(f"Junta {i}", notices=0).log, ok=True, size=1)
    client.get("/es/?q=warm")
    few = _queries(client, "/es/")
    # when: ten times as many assemblies, each verified
    for i in range(3, 30):
        record_verification(make_assembly(f"Junta {i}", notices=0).log, ok=True, size=1)
    client.get("/es/?q=warm-again")
    many = _queries(client, "/es/?p=1")
    # then
    assert many == few


def test_the_page_is_kept_until_a_head_changes(
    client: Client, make_assembly: Callable[..., StoredAssembly], settings: Any
) -> None:
    # given: the page asked for once
    settings.AYLLU_SERVED_SECONDS = 3600
    cache.clear()
    assembly = make_assembly("Junta Vecinal", notices=0)
    first = client.get("/es/")
    etag = first["ETag"]
    # when / then: asked again with its ETag, 304; without it, from the cache in two queries
    assert client.get("/es/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert _queries(client, "/es/") == 2
    # when: the record grows
    notice, notice_body = assembly.notice()
    do_append(assembly.log, signed_act=notice, body=notice_body)
    again = client.get("/es/", HTTP_IF_NONE_MATCH=etag)
    # then: the page is made again, with the new size
    assert again.status_code == 200 and again["ETag"] != etag
    assert "2 entradas" in again.content.decode()
