"""Matters with an effect in real browsers, each member signing on their own device: the assembly
amends its charter end to end, and a member who lost their device gets their place back by vouching."""

from collections.abc import Iterator
from typing import Any

import pytest

from ayllu.actions.record import forget_replayed_state
from ayllu.queries.pages import get_member_id
from ayllu.storage import models
from factories.stored import StoredAssembly, act, found_with_officers

from .browsing import PHONE, log_in
from .test_assembly_flow import WAIT_MS, sign

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

LOGIN_ES = ("entrar", "Entrar con este dispositivo")


@pytest.fixture
def assembly(transactional_db: None) -> Iterator[StoredAssembly]:
    forget_replayed_state()
    yield found_with_officers("Junta Vecinal Villa Esperanza", size=4)
    forget_replayed_state()


def members_in_browsers(member_page: Any, assembly: StoredAssembly, count: int) -> list[Any]:
    """One browser context per founder, with their key on the device, logged in (in Spanish)."""
    return [member_page(assembly.log, key) for key in assembly.members[:count]]


def test_the_assembly_amends_its_charter_end_to_end(
    member_page: Any, live_server: Any, assembly: StoredAssembly
) -> None:
    # given: four members in their own browsers
    es = f"{live_server.url}/es/asamblea/{assembly.log}"
    a, b, c, d = members_in_browsers(member_page, assembly, 4)
    problems: list[str] = []
    for page in (a, b, c, d):
        page.on("pageerror", lambda error: problems.append(str(error)))

    # when: A edits the charter (petitions need 2 signatures instead of 5) and looks at what changes
    a.goto(f"{es}/propuestas/nueva/")
    a.get_by_role("link", name="Proponer una reforma del estatuto").click()
    a.get_by_text("Propuestas, miembros, claves y reuniones").click()
    a.get_by_label("Firmas para convocar una reunión").fill("2")
    with a.expect_navigation():
        a.get_by_role("button", name="Ver qué cambia").click()
    diff = a.locator("[data-ayllu-diff]").inner_text()
    assert "5 miembros pueden convocar" in diff and "2 miembros pueden convocar" in diff
    # and tables the amendment, then opens the question between meetings
    with a.expect_navigation(timeout=WAIT_MS):
        a.get_by_role("button", name="Presentar la reforma").click()
    assert "Qué cambia esta reforma en el estatuto" in a.content()
    sign(a, "Abrir la pregunta")
    # and every member votes in favour; the last closes the question
    for page in (a, b, c, d):
        if page is not a:
            page.goto(a.url)
        sign(page, "A favor")
    sign(d, "Cerrar la pregunta")

    # then: the outcome is adopted and the charter page shows the new version
    assert "Aprobada" in d.locator(".outcome").inner_text()
    b.goto(f"{es}/estatuto/")
    text = b.locator("main").inner_text()
    assert "Versión 2" in text and "2 miembros pueden convocar una reunión por petición." in text
    assert problems == []


def test_a_lost_device_is_replaced_by_vouching_and_the_old_key_is_refused(
    member_page: Any, new_page: Any, live_server: Any, assembly: StoredAssembly
) -> None:
    # given: four members logged in; the charter replaces a key when 3 members vouch for it
    es = f"{live_server.url}/es/asamblea/{assembly.log}"
    a, b, c, d = members_in_browsers(member_page, assembly, 4)
    lost = assembly.members[2]
    new = new_page(PHONE)

    # when: C, on a new device, makes a key and claims their place
    new.goto(f"{es}/dispositivo/")
    new.get_by_role("button", name="Crear la clave de este dispositivo").click()
    new.wait_for_selector("[data-ayllu-device][data-state=ready]")
    new_key = new.locator("[data-ayllu-public-hex]").inner_text().strip()
    new.goto(f"{es}/dispositivo-perdido/")
    new.get_by_label("Quién es usted").select_option(lost.public)
    sign(new, "Reclamar mi lugar con este dispositivo")
    # then: the claim waits outside the record, and the page the claimant lands on says so
    notice = new.locator("[data-ayllu-notice]")
    notice.wait_for(timeout=WAIT_MS)
    assert notice.inner_text().startswith("Enviado: su pedido espera en este nodo.")
    assert "member.key_claimed" not in set(
        models.Entry.objects.filter(record__log=assembly.log).values_list("type", flat=True)
    )
    # when: A, B and D vouch for the new key on the members' page (A's vouch takes the claim in)
    for page in (a, b, d):
        page.goto(f"{es}/miembros/")
        sign(page, "Avalar esta clave", within=page.locator(f'[data-ayllu-claim="{new_key}"]'))

    # then: the new key logs in as C
    log_in(new, live_server.url, assembly.log, language="es")
    assert get_member_id(assembly.log, key=new_key) == lost.public
    # and the old device is refused at login
    c.goto(f"{es}/{LOGIN_ES[0]}/")
    c.get_by_role("button", name=LOGIN_ES[1]).click()
    c.locator("[data-ayllu-status]").filter(has_text="miembro").first.wait_for(timeout=WAIT_MS)
    assert c.url.endswith(f"/{LOGIN_ES[0]}/")
    assert get_member_id(assembly.log, key=lost.public) == ""


def test_the_assembly_erases_a_member_s_words_from_the_record_page(
    member_page: Any, live_server: Any, assembly: StoredAssembly
) -> None:
    # given: the second member posted a neighbour's telephone number; four members in their own browsers
    secret = "El teléfono de doña Rosa es 555-0199"
    entry = act(assembly, assembly.members[1], "notice.posted", {"text": secret})
    es = f"{live_server.url}/es/asamblea/{assembly.log}"
    a, b, c, d = members_in_browsers(member_page, assembly, 4)
    problems: list[str] = []
    for page in (a, b, c, d):
        page.on("pageerror", lambda error: problems.append(str(error)))

    # when: A follows the entry's link on the record page and tables the erasure
    a.goto(f"{es}/registro/")
    link = a.locator(f'li[value="{entry}"] [data-ayllu-erase-entry]')
    assert link.bounding_box()["height"] >= 44  # a target a thumb can take
    with a.expect_navigation():
        link.click()
    assert "propuestas/nueva/borrado/" in a.url and f"entrada={entry}" in a.url
    sign(a, "Presentar la propuesta")
    sign(a, "Abrir la pregunta")
    # and every member votes in favour; the last closes the question
    for page in (a, b, c, d):
        if page is not a:
            page.goto(a.url)
        sign(page, "A favor")
    sign(d, "Cerrar la pregunta")

    # then: the decision passed, the words are gone from the node, and the record page offers no link
    assert "Aprobada" in d.locator(".outcome").inner_text()
    erased = models.Body.objects.filter(record__log=assembly.log, erased=True)
    assert erased.count() == 1
    b.goto(f"{es}/registro/")
    assert b.locator(f'li[value="{entry}"] [data-ayllu-erase-entry]').count() == 0
    assert secret not in b.content()
    assert problems == []
