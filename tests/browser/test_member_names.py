"""A member chooses the name pages call them by, from the members page on a phone, in Spanish: the
device signs `member.named` and the page then calls them by that name beside the start of their key."""

from collections.abc import Iterator
from typing import Any

import pytest

from ayllu.actions.record import forget_replayed_state
from ayllu.queries.pages import get_people
from ayllu.storage import models
from factories.stored import StoredAssembly, found_with_officers

from .browsing import PHONE, assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

WAIT_MS = 15_000
LONG_NAME = "María" + "a" * 59  # 64 characters, the most a name may have, unbroken


@pytest.fixture
def assembly(transactional_db: None) -> Iterator[StoredAssembly]:
    forget_replayed_state()
    yield found_with_officers("Junta Vecinal Villa Esperanza", size=3)
    forget_replayed_state()


def test_a_member_chooses_a_name_on_a_phone_and_pages_call_them_by_it(
    member_page: Any, live_server: Any, assembly: StoredAssembly
) -> None:
    # given a member on the members page of a phone, in Spanish
    member = assembly.members[1]
    page = member_page(assembly.log, member, language="es", axe=True)
    address = f"{live_server.url}/es/asamblea/{assembly.log}/miembros/"
    page.goto(address)
    # when they choose a long unbroken name and save it
    page.get_by_label("Su nombre").fill(LONG_NAME)
    # (the form's script reloads the page once the act is recorded: wait for that, or a later goto races it)
    with page.expect_navigation(timeout=WAIT_MS):
        page.get_by_role("button", name="Guardar el nombre").click()
    assert models.Entry.objects.filter(record__log=assembly.log, type="member.named").exists()
    # then the record holds it, and the page calls them by it, within the phone's width
    forget_replayed_state()
    assert get_people(assembly.log)[member.public].name == LONG_NAME
    page.goto(address)
    assert page.locator(".person__name", has_text=LONG_NAME).count() >= 1
    assert page.get_by_label("Su nombre").input_value() == LONG_NAME
    page.screenshot(path="/tmp/phones-member-name.png", full_page=True)
    assert_accessible(page, address, PHONE, skip_checkboxes=True)  # the leave form's box is in a 44 px label
