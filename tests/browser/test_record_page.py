"""The record page in a real browser: phone and desktop, Spanish and English, nothing from elsewhere."""

from urllib.parse import urlsplit

import pytest

from web.builders import Founded

from .conftest import AXE, DESKTOP, PHONE

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
    browser, live_server, demo: Founded, size: str, page_name: str
) -> None:
    # given
    context = browser.new_context(viewport=SIZES[size])
    page = context.new_page()
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
    assert any(url.endswith("/static/vendor/htmx.min.js") for url in requested)
    assert problems == []  # a CSP violation would show here as a console error
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= SIZES[size]["width"], "the page scrolls sideways"
    context.close()


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("page_name", ["home-es", "record-es", "record-en"])
def test_axe_finds_no_serious_or_critical_violation(
    browser, live_server, demo: Founded, size: str, page_name: str
) -> None:
    # given: axe is injected by the test, so this context must bypass the node's CSP
    context = browser.new_context(viewport=SIZES[size], bypass_csp=True)
    page = context.new_page()
    page.goto(live_server.url + page_paths(demo.log)[page_name], wait_until="networkidle")
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    page.add_script_tag(path=str(AXE))
    # when
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    # then
    serious = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
    context.close()


def test_interactive_elements_are_large_enough_to_touch(browser, live_server, demo: Founded) -> None:
    # given
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(live_server.url + page_paths(demo.log)["record-es"])
    # when
    boxes = page.eval_on_selector_all(
        "a:not(.skip-link), button, summary",
        "els => els.map(e => [e.outerHTML.slice(0, 60), e.getBoundingClientRect().height])",
    )
    # then
    assert boxes
    assert [(html, height) for html, height in boxes if height < 44] == []
    context.close()


def test_language_switch_keeps_the_reader_on_the_same_record(browser, live_server, demo: Founded) -> None:
    # given
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(live_server.url + page_paths(demo.log)["record-es"])
    # when
    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    # then
    assert page.url == live_server.url + page_paths(demo.log)["record-en"]
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Last verification").is_visible()
    context.close()


def test_full_hash_is_one_tap_away_without_javascript(browser, live_server, demo: Founded) -> None:
    # given
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + page_paths(demo.log)["record-es"])
    full = page.locator(".hash-full__value").first
    assert not full.is_visible()
    # when
    page.locator(".hash-full summary").first.click()
    # then
    assert full.is_visible()
    assert len(full.inner_text().strip()) == 64
    context.close()
