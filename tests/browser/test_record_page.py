"""The record page in a real browser: phone and desktop, Spanish and English, nothing from elsewhere."""

from urllib.parse import urlsplit

import pytest

from ayllu.actions.record import forget_replayed_state
from ayllu.queries.assembly import forget_assembly_states
from ayllu.storage import models
from factories.stored import StoredAssembly

from .browsing import DESKTOP, PHONE, assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

SIZES = {"phone": PHONE, "desktop": DESKTOP}


def page_paths(log: str) -> dict[str, str]:
    return {
        "home-es": "/es/",
        "home-en": "/en/",
        "record-es": f"/es/asamblea/{log}/registro/",
        "record-en": f"/en/assembly/{log}/record/",
    }


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("page_name", ["home-es", "home-en", "record-es", "record-en"])
def test_page_loads_only_from_the_node_and_obeys_its_csp(
    new_page, live_server, demo: StoredAssembly, size: str, page_name: str
) -> None:
    # given
    page = new_page(SIZES[size])
    requested: list[str] = []
    problems: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on("console", lambda msg: problems.append(msg.text) if msg.type in ("error", "warning") else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    # when
    response = page.goto(live_server.url + page_paths(demo.log)[page_name], wait_until="networkidle")
    # then
    assert response is not None and response.status == 200
    node = urlsplit(live_server.url).netloc
    assert {urlsplit(url).netloc for url in requested} == {node}
    assert not any(url.endswith("/static/vendor/htmx.min.js") for url in requested)  # only where used
    assert problems == []  # a CSP violation would show here as a console error
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= SIZES[size]["width"], "the page scrolls sideways"


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("page_name", ["home-es", "record-es", "record-en"])
def test_pages_are_accessible_and_every_target_is_large_enough_to_touch(
    new_page, live_server, demo: StoredAssembly, size: str, page_name: str
) -> None:
    # given: a context that lets the test inject axe
    page = new_page(SIZES[size], axe=True)
    path = page_paths(demo.log)[page_name]
    # when
    page.goto(live_server.url + path, wait_until="networkidle")
    # then: the header's and footer's controls count too, not only the main part's
    assert_accessible(page, path, SIZES[size], targets="a:not(.skip-link), button, summary")


def test_language_switch_keeps_the_reader_on_the_same_record(
    new_page, live_server, demo: StoredAssembly
) -> None:
    # given: a plain link, so no JavaScript is needed
    page = new_page(PHONE, java_script_enabled=False)
    page.goto(live_server.url + page_paths(demo.log)["record-es"])
    # when
    with page.expect_navigation():
        page.get_by_role("link", name="English").click()
    # then
    assert page.url == live_server.url + page_paths(demo.log)["record-en"]
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Last verification").is_visible()


def test_full_hash_is_one_tap_away_without_javascript(new_page, live_server, demo: StoredAssembly) -> None:
    # given
    page = new_page(PHONE, java_script_enabled=False)
    page.goto(live_server.url + page_paths(demo.log)["record-es"])
    full = page.locator(".hash-full__value").first
    assert not full.is_visible()
    # when
    page.locator(".hash-full summary").first.click()
    # then
    assert full.is_visible()
    assert len(full.inner_text().strip()) == 64


@pytest.mark.parametrize("page_name", ["home-es", "record-en"])
def test_a_damaged_record_is_named_at_the_top_of_a_phone_page(
    new_page, live_server, demo: StoredAssembly, page_name: str
) -> None:
    # given a body of the record altered in the database, then a restart
    last = models.Body.objects.filter(record__log=demo.log).order_by("-pk").first()
    assert last is not None
    models.Body.objects.filter(pk=last.pk).update(raw=b'{"text":"alterado"}')
    forget_replayed_state()
    forget_assembly_states()
    page = new_page(PHONE, axe=True)
    path = page_paths(demo.log)[page_name]
    # when
    response = page.goto(live_server.url + path, wait_until="networkidle")
    # then the warning comes first in the page, fits a phone, and is accessible
    assert response is not None and response.headers["ayllu-served"].startswith(f"damaged; log={demo.log}")
    first = page.locator("main > *").first
    assert "served-alert" in (first.get_attribute("class") or "")
    assert_accessible(page, path, PHONE, targets="a:not(.skip-link), button, summary")
    page.screenshot(path=f"/tmp/ayllu-served-{page_name}.png", full_page=True)
