"""A delegate on their phone, holding only their home assembly's key: takes their seat in the federation
and casts their assembly's mandated voice there, both signed with the key the browser keeps for the home
assembly (the form's data-key-log), on an accessible page that fits 360 px."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from ayllu.actions.record import forget_replayed_state
from ayllu.queries.assembly import get_assembly
from ayllu.queries.federations import get_federation
from ayllu.queries.replayed import read_state
from factories.federation_votes_stored import credential_ready, mandated_federation
from factories.keys import keypair
from factories.scenes import Clock

from .browsing import PHONE, assert_accessible, log_in_as

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def clock(transactional_db: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    forget_replayed_state()
    fake = Clock()
    monkeypatch.setattr("ayllu.storage.clock.now_ms", fake)
    yield fake
    forget_replayed_state()


def _open_with_home_key(new_page: Any, server: str, fed: str, home: str, delegate: str) -> tuple[Any, str]:
    page = new_page(PHONE, axe=True)
    with translation.override("es"):
        path = reverse("web:federation_home", kwargs={"log": fed})
    # the delegate logs in at home: the federation's page offers them the forms signed with that key
    key = keypair(delegate)
    log_in_as(page, server, home, seed=key.seed().hex(), public=key.public)
    page.goto(server + path)
    return page, path


def test_a_delegate_takes_their_seat_from_their_phone(new_page: Any, live_server: Any, clock: Clock) -> None:
    # given a credential alto's delegate issued, and alto's key on the phone (none for the federation)
    alto, fed, delegate = credential_ready(clock)
    page, path = _open_with_home_key(new_page, live_server.url, fed, alto.log, delegate)
    assert_accessible(page, path, PHONE)
    # when
    with page.expect_navigation():
        page.get_by_role("button", name="Ocupar mi lugar").click()
    # then
    federation = get_federation(fed, now=clock.now)
    assert federation is not None
    assert {a.assembly: a.standing for a in federation.assemblies}[alto.log] == 1


def test_a_delegate_casts_the_mandated_vote_from_their_phone(
    new_page: Any, live_server: Any, clock: Clock
) -> None:
    # given alto's delegate is seated, alto stated its mandate "yes", and alto's key is on the phone
    scene = mandated_federation(clock, checkpointed=True)
    page, path = _open_with_home_key(new_page, live_server.url, scene.log, scene.alto.log, scene.delegate)
    assert not page.evaluate("document.scrollingElement.scrollWidth > innerWidth")
    assert_accessible(page, path, PHONE)
    # when
    with page.expect_navigation():
        page.get_by_role("button", name="Votar «A favor», como dice nuestro mandato").click()
    # then
    votes = read_state(scene.log, lambda s: dict(s.questions[scene.question].votes))
    assert votes == {scene.alto.log: "yes"}


def test_the_header_names_the_delegates_home_assembly_on_the_phone(
    new_page: Any, live_server: Any, clock: Clock
) -> None:
    # given alto's delegate logged in at alto, reading the federation's page on a phone
    alto, fed, delegate = credential_ready(clock)
    page, path = _open_with_home_key(new_page, live_server.url, fed, alto.log, delegate)
    page.screenshot(path="/tmp/fedheader-header.png")
    # then the header offers the way back to alto and out, not to log in, and fits 360 px
    header = page.locator(".site-header")
    home = page.locator(".away-note").get_by_role("link", name="Volver a su asamblea")
    assert get_assembly(alto.log).name in page.locator(".away-note").inner_text()
    assert home.is_visible()
    assert header.get_by_role("button", name="Salir").is_visible()
    assert header.get_by_role("link", name="Entrar").count() == 0
    assert not page.evaluate("document.scrollingElement.scrollWidth > innerWidth")
    assert_accessible(page, path, PHONE)
