"""The calendars page, the register's preview and the invitation sheet on a phone (360 px, in Spanish):
nothing scrolls sideways, axe finds nothing serious, targets are 44 px; the sheet prints one QR per
household."""

from collections.abc import Iterator
from typing import Any

import pytest

from ayllu.actions.record import forget_replayed_state
from factories.stored import StoredAssembly, found_with_officers

from .browsing import PHONE, assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

REGISTER = (
    "nombre;telefono\n"
    "Familia Quispe Mamani, calle Los Olivos 42;+59170000001\n"
    "Familia Quispe Mamani, calle Los Olivos 42;\n"
    "Familia Apaza;\n"
    ";\n"
    "FamiliaConUnNombreLargoSinEspaciosQueNoCabeEnUnaLinea;\n"
)


@pytest.fixture
def assembly(transactional_db: None) -> Iterator[StoredAssembly]:
    forget_replayed_state()
    yield found_with_officers("Junta Vecinal Villa Esperanza", size=3)
    forget_replayed_state()


def test_the_calendars_page_fits_a_phone(
    member_page: Any, live_server: Any, assembly: StoredAssembly
) -> None:
    # given a member on the calendars page, who makes their link
    page = member_page(assembly.log, assembly.members[1], language="es", axe=True)
    page.goto(f"{live_server.url}/es/asamblea/{assembly.log}/calendarios/")
    with page.expect_navigation():
        page.get_by_role("button", name="Hacer el enlace de mi calendario").click()
    # then the page shows it, fits the phone and is accessible
    assert (
        page.locator("[data-ayllu-my-calendar]").get_attribute("href", timeout=5000).startswith("webcal://")
    )
    assert_accessible(page, "calendarios", PHONE)


def test_the_register_preview_and_the_sheet_fit_a_phone(
    member_page: Any, live_server: Any, assembly: StoredAssembly
) -> None:
    # given a member who pastes the council's register
    page = member_page(assembly.log, assembly.members[1], language="es", axe=True)
    page.goto(f"{live_server.url}/es/asamblea/{assembly.log}/invitaciones/registro/")
    assert_accessible(page, "registro", PHONE)
    page.get_by_label("O péguelo aquí").fill(REGISTER)
    with page.expect_navigation():
        page.get_by_role("button", name="Revisar la lista").click()
    # then the preview fits the phone and names what is wrong
    assert "El mismo nombre está en una línea anterior." in page.content()
    assert_accessible(page, "vista previa", PHONE, skip_checkboxes=True)
    # when they make the invitations
    with page.expect_navigation():
        page.get_by_role("button", name="Hacer las invitaciones").click()
    # then the sheet has a QR code per household, fits the phone, and prints two cards a row
    assert page.locator("[data-ayllu-invitation-card] svg").count() == 3
    assert_accessible(page, "hoja", PHONE)
    page.emulate_media(media="print")
    assert page.locator("[data-ayllu-print]").is_hidden()
    columns = page.locator(".invitation-sheet").evaluate("(e) => getComputedStyle(e).gridTemplateColumns")
    assert len(columns.split()) == 2
