"""Logging out in a real browser: the log-out button's form carries no CSRF token in the page; its script
sends the token of Django's CSRF cookie. Without JavaScript the node says what needs it, and the log-in
page's button (its only one, in the header) still logs out."""

from collections.abc import Iterator
from typing import Any

import pytest

from ayllu.actions.record import forget_replayed_state
from factories.stored import StoredAssembly, found_with_officers

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def assembly(transactional_db: None) -> Iterator[StoredAssembly]:
    forget_replayed_state()
    yield found_with_officers("Junta Vecinal Villa Esperanza", size=2)
    forget_replayed_state()


def test_a_member_logs_out_from_an_assembly_page(
    member_page: Any, live_server: Any, assembly: StoredAssembly
) -> None:
    # given
    page = member_page(assembly.log, assembly.members[0], language="en")
    home = f"{live_server.url}/en/assembly/{assembly.log}/"
    page.goto(home)
    assert page.locator("input[name=csrfmiddlewaretoken]").count() == 0
    # when
    with page.expect_navigation():
        page.get_by_role("button", name="Log out").click()
    # then
    page.goto(home)
    assert page.get_by_role("banner").get_by_role("link", name="Log in").is_visible()
    assert page.get_by_role("button", name="Log out").count() == 0


def test_without_javascript_logging_out_says_what_needs_it_and_the_log_in_page_still_works(
    member_page: Any, new_page: Any, live_server: Any, assembly: StoredAssembly
) -> None:
    # given: a member's session in a browser that runs no script
    member = member_page(assembly.log, assembly.members[0], language="en")
    page = new_page(java_script_enabled=False)
    page.context.add_cookies(member.context.cookies())
    home = f"{live_server.url}/en/assembly/{assembly.log}/"
    page.goto(home)
    # when: the page's log-out button
    with page.expect_navigation():
        page.get_by_role("button", name="Log out").click()
    # then: refused, saying what needs JavaScript
    assert page.get_by_role("heading", name="This form needs JavaScript").is_visible()
    # and the note on the page leads to the log-in page, whose button logs out without JavaScript
    page.goto(home)
    with page.expect_navigation():
        page.get_by_role("link", name="Log out without JavaScript").click()
    with page.expect_navigation():  # the header's button, which carries the log-in page's own token
        page.get_by_role("banner").get_by_role("button", name="Log out").click()
    page.goto(home)
    assert page.get_by_role("banner").get_by_role("link", name="Log in").is_visible()
