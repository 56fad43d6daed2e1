"""The frame around every assembly page leaves the screen to the page: on a phone the header, the
assembly's name and its tabs take under a third of the first screen; on a desktop the column is wide and
"Log in" sits at the header's right end."""

from collections.abc import Iterator
from typing import Any

import pytest

from ayllu.actions.record import forget_replayed_state
from factories.stored import StoredAssembly, found_with_officers

from .browsing import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

# Where the page's own content starts: the bottom of the tabs, or of the header where there are none.
FRAME_BOTTOM = """() => {
  const nav = document.querySelector(".assembly-nav") || document.querySelector(".site-header");
  return nav.getBoundingClientRect().bottom;
}"""


@pytest.fixture
def assembly(transactional_db: None) -> Iterator[StoredAssembly]:
    forget_replayed_state()
    yield found_with_officers("Junta Vecinal Villa Esperanza de los Andes", size=2)
    forget_replayed_state()


def test_on_a_phone_the_header_and_tabs_take_under_a_third_of_the_first_screen(
    member_page: Any, new_page: Any, live_server: Any, assembly: StoredAssembly
) -> None:
    # given: a member and a visitor, on phones, in Spanish
    member = member_page(assembly.log, assembly.members[0])
    visitor = new_page(PHONE)
    for page in (member, visitor):
        # when
        page.goto(f"{live_server.url}/es/asamblea/{assembly.log}/")
        # then
        bottom = page.evaluate(FRAME_BOTTOM)
        assert bottom < PHONE["height"] / 3, (page.url, bottom)


def test_on_a_desktop_the_column_is_wide_and_log_in_sits_at_the_headers_end(
    new_page: Any, live_server: Any, assembly: StoredAssembly
) -> None:
    # given
    page = new_page(DESKTOP)
    # when
    page.goto(f"{live_server.url}/en/assembly/{assembly.log}/")
    # then: the column uses most of a 1280 px window (it was 610 px)
    main = page.locator("main").bounding_box()
    assert main["width"] >= 900, main
    # and "Log in" ends where the header's content ends, beside the language switch, not mid-header
    header = page.locator(".site-header__inner").bounding_box()
    log_in = page.get_by_role("banner").get_by_role("link", name="Log in").bounding_box()
    assert header["x"] + header["width"] - (log_in["x"] + log_in["width"]) < 200, (header, log_in)
    assert log_in["x"] > header["x"] + header["width"] / 2, (header, log_in)
