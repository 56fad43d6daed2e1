"""A newcomer sets up a device, applies, is admitted, logs in and acts, all signed on the device."""

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import pytest
from django.template import engines
from django.utils import translation

from ayllu.web.errors import message_for
from factories.keys import keypair
from factories.stored import StoredAssembly, found, sponsor

from .browsing import PHONE, assert_accessible
from .device_js import create_key, load_modules, submit_in_page

pytestmark = pytest.mark.browser

T = TypeVar("T")


def outside_playwright(call: Callable[[], T]) -> T:
    """Run a database call on another thread: Django refuses ORM calls inside Playwright's event loop."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call).result()


@pytest.fixture
def assembly(transactional_db: None) -> StoredAssembly:
    return found("Junta Vecinal Villa Esperanza", members=(keypair(1), keypair(2), keypair(3)))


def test_newcomer_sets_up_a_device_applies_logs_in_and_acts(
    live_server: Any, assembly: StoredAssembly, new_page: Any
) -> None:
    # given: a newcomer opens the set-up page in Spanish on a phone
    page = new_page(PHONE)
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    base = f"{live_server.url}/es/asamblea/{assembly.log}"
    page.goto(f"{base}/dispositivo/")
    status = page.locator("[data-ayllu-device] [data-ayllu-status]")
    status.get_by_text("Este dispositivo todavía no tiene una clave para esta asamblea.").wait_for()
    # when: they create the key
    page.get_by_role("button", name="Crear la clave de este dispositivo").click()
    page.wait_for_selector("[data-ayllu-device][data-state=ready]")
    public = page.locator("[data-ayllu-public-hex]").inner_text().strip()
    # then: the page shows it and says it is done
    assert len(public) == 64
    assert status.inner_text().startswith("Listo: este dispositivo ya tiene su clave.")
    # when: before being a member, they try to log in
    page.goto(f"{base}/entrar/")
    page.get_by_role("button", name="Entrar con este dispositivo").click()
    page.wait_for_selector("[data-ayllu-login][data-state=login_not_a_member]")
    # then: the node's refusal shows in Spanish
    assert page.get_by_role("alert").inner_text().strip() == (
        "La clave de este dispositivo no pertenece a ningún miembro actual de la asamblea."
    )
    # when: they apply with a signed act (no login needed), two founders sponsor them, and they log in
    applied = submit_in_page(
        page, action=f"{base}/actos/", log=assembly.log, type="member.applied", fields={"household": "casa-9"}
    )
    assert applied["ok"], applied
    outside_playwright(lambda: sponsor(assembly, public))
    page.reload()
    with page.expect_navigation(url=f"{base}/"):  # members land on "Now"
        page.get_by_role("button", name="Entrar con este dispositivo").click()
    # then: they are logged in, and a notice they sign on the device is recorded under their key
    page.goto(f"{base}/entrar/")
    assert page.get_by_text("Usted entró con este dispositivo.").is_visible()
    form = add_act_form(page, action=f"{base}/actos/", log=assembly.log, type="notice.posted")
    form.locator("input[name='body.text']").fill("Reunión el sábado 🙂")
    form.get_by_role("button", name="Publicar").click()
    page.wait_for_selector("form[data-ayllu-act][data-state=recorded]")
    assert (
        form.locator("[data-ayllu-status]").inner_text().strip() == "Listo: el acto ya está en el registro."
    )
    posted = page.evaluate("() => window.lastRecorded")
    # when: an act the assembly's rules refuse (a notice with a field notices do not have)
    form.locator("input[name='body.text']").fill("otro aviso")
    page.evaluate("""() => {
        const extra = document.createElement("input");
        extra.name = "body.color";
        extra.value = "rojo";
        document.querySelector("form[data-ayllu-act]").append(extra);
    }""")
    form.get_by_role("button", name="Publicar").click()
    page.wait_for_selector("form[data-ayllu-act][data-state=malformed_body]")
    # then: the node's reason shows, in Spanish, as an alert
    assert form.get_by_role("alert").inner_text().strip() == message_in("es", "malformed_body")
    # when: they open their words and erase the notice's with the button
    page.goto(f"{base}/mis-palabras/")
    card = page.locator(f"#words-{posted['seq']}")
    assert "Reunión el sábado 🙂" in card.inner_text()
    with page.expect_navigation():
        card.get_by_role("button", name="Borrar estas palabras").click()
    # then: the page says they are erased, and the words are gone
    page.locator(f"#words-{posted['seq']}").get_by_text("Borradas").wait_for()
    assert "Reunión el sábado" not in page.locator("main").inner_text()
    # the only console errors are the browser's notes of the refused login and act (HTTP 403, 400)
    assert [p for p in problems if "status of 403" not in p and "status of 400" not in p] == []

    def recorded() -> tuple[str, bool]:
        from ayllu.actions.record import do_verify_record
        from ayllu.storage import models

        entry = models.Entry.objects.get(record__log=assembly.log, seq=posted["seq"])
        return entry.author, do_verify_record(assembly.log, workers=1).ok

    assert outside_playwright(recorded) == (public, True)


def message_in(language: str, code: str) -> str:
    with translation.override(language):
        return message_for(code, {})


def add_act_form(page: Any, *, action: str, log: str, type: str) -> Any:
    """Put a notice form marked data-ayllu-act on the page, as a page template would, and bind it."""
    with translation.override("es"):
        page_parts = '{% load ayllu %}{% script_messages "act" %}{% act_prose_fields %}'
        messages = engines["django"].from_string(page_parts).render({})
    load_modules(page)
    page.evaluate(
        """({action, log, type, messages}) => {
            const holder = document.createElement("div");
            holder.innerHTML = messages + `
              <form data-ayllu-act action="${action}" data-log="${log}" data-type="${type}" data-vis="public">
                <label>Aviso <input name="body.text"></label>
                <div data-ayllu-status role="status"></div>
                <button type="submit">Publicar</button>
              </form>`;
            document.querySelector("main").append(holder);
            const form = holder.querySelector("form");
            form.addEventListener("ayllu:act-recorded", (event) => { window.lastRecorded = event.detail; });
            actForm.bindActForm(form);
        }""",
        {"action": action, "log": log, "type": type, "messages": messages},
    )
    return page.locator("form[data-ayllu-act]")


def test_act_route_refuses_a_member_act_without_login(
    live_server: Any, assembly: StoredAssembly, new_page: Any
) -> None:
    # given: a device whose key is not logged in
    page = new_page(PHONE)
    base = f"{live_server.url}/es/asamblea/{assembly.log}"
    page.goto(f"{base}/dispositivo/")
    load_modules(page)
    create_key(page, assembly.log)
    # when
    answer = submit_in_page(
        page, action=f"{base}/actos/", log=assembly.log, type="notice.posted", fields={"text": "x"}
    )
    # then
    assert answer["status"] == 403
    assert answer["data"]["code"] == "login_required"
    assert answer["data"]["message"] == "Entre con este dispositivo para actuar en esta asamblea."


@pytest.mark.parametrize("path", ["dispositivo", "entrar"])
def test_device_pages_have_no_serious_accessibility_problem(
    live_server: Any, assembly: StoredAssembly, new_page: Any, path: str
) -> None:
    # given: a phone, in a context that lets the test inject axe
    page = new_page(PHONE, axe=True)
    # when
    page.goto(f"{live_server.url}/es/asamblea/{assembly.log}/{path}/", wait_until="networkidle")
    # then
    assert_accessible(page, path, PHONE)
