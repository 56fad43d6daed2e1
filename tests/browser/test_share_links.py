"""Links to pass on have a copy button (and a share button where the browser has a share sheet); the
lost-device page and the device set-up page lead to each other."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from ayllu.actions.record import forget_replayed_state
from factories.stored import StoredAssembly, found_with_officers

from .browsing import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def assembly(transactional_db: None) -> Iterator[StoredAssembly]:
    forget_replayed_state()
    yield found_with_officers("Junta Vecinal Villa Esperanza", size=3)
    forget_replayed_state()


def test_an_invitation_link_is_copied_with_one_button(
    member_page: Any, live_server: Any, assembly: StoredAssembly
) -> None:
    # given: a member who made an invitation link, in a browser that lets the page write the clipboard
    page = member_page(assembly.log, assembly.members[0], language="es", viewport=PHONE)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    with translation.override("es"):
        page.goto(live_server.url + reverse("web:invitations", kwargs={"log": assembly.log}))
    with page.expect_navigation():
        page.get_by_role("button", name="Hacer un enlace de invitación").click()
    link = page.locator("[data-ayllu-share-url]").inner_text().strip()
    # when: she presses "copy"
    page.get_by_role("button", name="Copiar el enlace").click()
    # then: the link is on the clipboard, and the page says so
    page.wait_for_selector("[data-ayllu-share][data-state=copied]")
    assert page.evaluate("navigator.clipboard.readText()") == link
    assert "Copiado" in page.locator("[data-ayllu-share-status]").inner_text()


def test_the_device_page_leads_back_to_claiming_a_lost_place(
    new_page: Any, live_server: Any, assembly: StoredAssembly
) -> None:
    # given: someone who lost their phone follows "set up this device" from the lost-device page
    page = new_page(PHONE)
    with translation.override("es"):
        page.goto(live_server.url + reverse("web:lost_device", kwargs={"log": assembly.log}))
    with page.expect_navigation():
        page.get_by_role("link", name="Preparar este dispositivo").click()
    # when: the key is made
    page.get_by_role("button", name="Crear la clave de este dispositivo").click()
    page.wait_for_selector("[data-ayllu-device][data-state=ready]")
    # then: a link takes them back to claim their place
    with page.expect_navigation():
        page.locator(".device-key__lost a").click()
    with translation.override("es"):
        assert page.url.endswith(reverse("web:lost_device", kwargs={"log": assembly.log}))
    assert page.get_by_role("button", name="Reclamar mi lugar con este dispositivo").is_visible()
