"""Cargos in real browsers, each member signing on their own device, on a clock the test moves.

A member tables a mandate and the assembly decides it; the delegate's vote against it is refused and
the vote that follows it is recorded; the delegate reports back and the overdue flag goes. Members
open a recall petition against the delegate, sign it, vote; once counted the delegate is out and the
turn order fills the seat. Then a term ends and the next household sees its turn on the page. Last,
axe checks every cargo page in both languages at phone and desktop size (and, with
AYLLU_SCREENSHOTS=<dir>, the pages are shot there: scripts/screenshots.py does that).
"""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from ayllu.actions.record import do_verify_record, forget_replayed_state
from ayllu.core.charter.rules import DAY_MS
from ayllu.queries.assembly import read_state
from factories.scenes import NAMES, CargoAssembly, Clock, build_scene, create_cargo, found_cargo_assembly

from .browsing import DESKTOP, PHONE, TARGETS, assert_accessible
from .walk import WAIT_MS, sign

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def scene(transactional_db: None, clock: Clock) -> Iterator[CargoAssembly]:
    forget_replayed_state()
    yield build_scene(clock)
    forget_replayed_state()


def test_members_mandate_a_delegate_recall_them_and_the_turns_go_on(
    member_page: Any, live_server: Any, scene: CargoAssembly, clock: Clock
) -> None:
    # given: the delegate (ana) in Spanish, three other members in their own browsers
    es = f"{live_server.url}/es/asamblea/{scene.log}"
    en = f"{live_server.url}/en/assembly/{scene.log}"
    delegate = scene.holders("delegacion")[0]
    assert delegate == "ana"
    ana = member_page(scene.log, scene.keys["ana"], language="es", viewport=PHONE, axe=True)
    carla = member_page(scene.log, scene.keys["carla"], language="es", viewport=PHONE)
    dora = member_page(scene.log, scene.keys["dora"], language="en", viewport=PHONE)
    eva = member_page(scene.log, scene.keys["eva"], language="en", viewport=DESKTOP)
    problems: list[str] = []
    hosts: set[str] = set()
    for page in (ana, carla, dora, eva):
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))

    # when: eva tables a mandate on the mandates page, and the assembly decides it
    eva.goto(f"{en}/mandates/")
    eva.get_by_text("Propose a mandate").click()
    form = eva.locator("form[data-ayllu-effect-form]")
    form.get_by_label("Question").fill("Nuevo peaje")
    form.get_by_label("The assembly's position").fill("no")
    with eva.expect_navigation(timeout=WAIT_MS):
        form.get_by_role("button", name="Table the proposal").click()
    proposal = int(eva.url.rstrip("/").rsplit("/", 1)[1])
    question = scene.act("eva", "question.opened", {"proposal": proposal, "deadline": clock.now + DAY_MS})
    for name in NAMES:
        scene.act(name, "vote.cast", {"question": question, "choice": "yes"})
    scene.act("eva", "question.closed", {"question": question})
    # then: the delegate reads the mandate
    ana.goto(f"{es}/mandatos/")
    assert "Sobre «Nuevo peaje»: En contra" in ana.locator("main").inner_text()

    # when: the delegate abstains, through ayllu, on a question the assembly gave a mandate on
    voting = ana.locator("form[data-type='delegate.voted']")
    voting.get_by_label("Sesión").fill("abril")
    voting.get_by_label("Pregunta").fill("Nuevo peaje")
    voting.get_by_label("Su voto").select_option(label="Me abstengo")
    voting.get_by_role("button", name="Emitir el voto").click()
    # then: refused on the node, in her language
    ana.wait_for_selector(
        "form[data-type='delegate.voted'][data-state='contrary_to_mandate']", timeout=WAIT_MS
    )
    # when: she chooses the mandate's position, then reports back on the overdue session
    voting.get_by_label("Su voto").select_option(label="«En contra» (el mandato sobre «Nuevo peaje»)")
    sign(ana, "Emitir el voto", within=voting)
    last = read_state(scene.log, lambda s: s.delegate_acts[-1])
    assert (last.session, last.question, last.choice, last.cast) == ("abril", "Nuevo peaje", "no", True)
    # and on a question without a mandate she abstains by choosing it, and the record says it in Spanish
    voting = ana.locator("form[data-type='delegate.voted']")
    voting.get_by_label("Sesión").fill("abril")
    voting.get_by_label("Pregunta").fill("Horario del mercado")
    voting.get_by_label("Su voto").select_option(label="Me abstengo")
    sign(ana, "Emitir el voto", within=voting)
    assert read_state(scene.log, lambda s: s.delegate_acts[-1].choice) == "abstain"
    assert "Horario del mercado\tabstención" in ana.locator("table").first.inner_text()
    assert_accessible(ana, ana.url, PHONE, targets=TARGETS + ", main summary")
    if os.environ.get("AYLLU_SCREENSHOTS") == "1":
        ana.screenshot(path="/tmp/ayllu-shots/mandates-abstain-es-phone.png", full_page=True)
    report = ana.locator("form[data-type='delegate.report_filed']:has(input[value='marzo'])")
    report.get_by_label("Su informe a la asamblea").fill(
        "Votamos no al peaje y no a la tarifa, como mandó la asamblea."
    )
    sign(ana, "Presentar el informe", within=report)
    # then: the votes follow the mandate and no report is overdue for marzo
    text = ana.locator("main").inner_text()
    assert "Votamos no al peaje" in text and "«marzo» de fejuve está atrasado" not in text

    # when: carla asks to recall the delegate, with a reason
    carla.goto(f"{es}/revocatoria/")
    carla.locator(f"a[href*='cargo=delegacion&miembro={scene.pub('ana')}']").click()
    carla.get_by_label("La razón, para que la lean todos los miembros").fill(
        "Faltó a dos sesiones de la federación."
    )
    sign(carla, "Abrir la petición")
    petition = read_state(scene.log, lambda s: max(s.recall_petitions))
    # and two more members sign it
    for page in (dora, eva):
        page.goto(f"{en}/recall/")
        card = page.locator(f"#petition-{petition}")
        assert "Faltó a dos sesiones" in card.inner_text()
        sign(page, "Sign the petition", within=card)
    # then: at three signatures the vote opens at once; the delegate gets no ballot
    ana.goto(f"{es}/revocatoria/")
    assert "Esta revocatoria es sobre usted" in ana.locator("main").inner_text()
    assert ana.locator("form[data-type='vote.cast']").count() == 0
    # when: members vote, everyone eligible has voted, and one closes the count
    for page, button in ((carla, "A favor"), (dora, "In favour"), (eva, "In favour")):
        page.reload()
        sign(page, button)
    question = read_state(scene.log, lambda s: s.recall_petitions[petition].question)
    for name in ("bea", "flor"):
        scene.act(name, "vote.cast", {"question": question, "choice": "no"})
    carla.reload()
    sign(carla, "Cerrar la votación y contar")
    # then: the delegate is out, and the turn order has filled the seat with another household
    assert "revocado" in carla.locator("main").inner_text()
    assert scene.holders("delegacion") not in ([], ["ana"])
    ana.goto(f"{es}/mandatos/")
    assert ana.locator("form[data-type='delegate.voted']").count() == 0

    # when: the treasury's term ends and time goes on
    bea = member_page(scene.log, scene.keys["bea"], language="es", viewport=PHONE)
    bea.goto(f"{es}/cargos/")
    assert "Su próximo turno: tesoreria" in bea.locator("main").inner_text()
    clock.advance(25 * DAY_MS)
    scene.act("flor", "notice.posted", {"text": "fin de mes"})
    # then: Mamani, the household the forecast named, holds it and its member sees it on the page
    bea.reload()
    card = bea.locator("#cargo-tesoreria").inner_text()
    assert scene.pub("bea")[:8] in card and "por turno" in card
    assert scene.holders("tesoreria") == ["bea"]
    assert do_verify_record(scene.log, workers=1).ok
    assert problems == []
    assert hosts == {urlsplit(live_server.url).netloc}


def cargo_paths(scene: CargoAssembly) -> dict[str, dict[str, str]]:
    """Every cargo page per language: name -> path under the assembly."""
    draw = scene.ids["draw"]
    treasurer = scene.holders("tesoreria")[0]
    return {
        "es": {
            "cargos": "cargos/",
            "mandates": "mandatos/",
            "recall": "revocatoria/",
            "recall-new": f"revocatoria/nueva/?cargo=tesoreria&miembro={scene.pub(treasurer)}",
            "draws": "sorteos/",
            "draw": f"sorteos/{draw}/",
            "concentration": "concentracion/",
        },
        "en": {
            "cargos": "cargos/",
            "mandates": "mandates/",
            "recall": "recall/",
            "recall-new": f"recall/new/?cargo=tesoreria&member={scene.pub(treasurer)}",
            "draws": "draws/",
            "draw": f"draws/{draw}/",
            "concentration": "concentration/",
        },
    }


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_cargo_pages_have_no_serious_accessibility_problem(
    member_page: Any, live_server: Any, scene: CargoAssembly, viewport: dict[str, int]
) -> None:
    # given: the delegate, logged in (the delegate's forms show), allowed to inject axe
    page = member_page(scene.log, scene.keys["ana"], viewport=viewport, axe=True)
    es = f"{live_server.url}/es/asamblea/{scene.log}"
    shots = os.environ.get("AYLLU_SCREENSHOTS", "")
    size = "phone" if viewport == PHONE else "desktop"
    for language, paths in cargo_paths(scene).items():
        base = es if language == "es" else f"{live_server.url}/en/assembly/{scene.log}"
        for name, path in paths.items():
            # when
            page.goto(f"{base}/{path}", wait_until="networkidle")
            if shots and (name == "cargos" or (language, size) in (("es", "phone"), ("en", "desktop"))):
                page.screenshot(path=str(Path(shots) / f"cargo-{name}-{language}-{size}.png"), full_page=True)
            assert_accessible(page, path, viewport, targets=TARGETS + ", main summary", skip_checkboxes=True)


def test_the_cargos_page_fits_a_phone_with_every_fold_open(
    member_page: Any, live_server: Any, scene: CargoAssembly
) -> None:
    # given: the delegate on a phone, in Spanish, every fold of the cargos page opened
    page = member_page(scene.log, scene.keys["ana"], language="es", viewport=PHONE)
    page.goto(f"{live_server.url}/es/asamblea/{scene.log}/cargos/")
    page.eval_on_selector_all("main details", "els => els.forEach((e) => (e.open = true))")
    # when: the page and each table are measured
    wide = page.evaluate("document.scrollingElement.scrollWidth > innerWidth")
    scrolling = page.eval_on_selector_all(
        ".table-wrap",
        "els => els.filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => e.innerText.slice(0, 80))",
    )
    shots = os.environ.get("AYLLU_SCREENSHOTS", "")
    if shots:
        page.screenshot(path=str(Path(shots) / "cargo-cargos-es-phone-open.png"), full_page=True)
    # then: nothing scrolls sideways, neither the page nor a table inside it
    assert (wide, scrolling) == (False, [])
    # and the delegate reads first that she holds the delegation
    assert "Usted ocupa el cargo delegacion hasta el" in page.locator(".panel--mine").inner_text()


# Households named as councils name them: longer than a line of the chart, one with a word longer too.
LONG_HOUSEHOLDS = {
    "ana": "Familia Apaza Mamani de la manzana 12, lote 4",
    "bea": "Familia Quispe Condori",
    "carla": "Casa comunal Wiphala-Qullasuyu-Tawantinsuyu-Pachamama",
    "dora": "Condori",
    "eva": "Familia Choque Huanca del pasaje Los Andes",
    "flor": "Familia Choque Huanca del pasaje Los Andes",
}


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_concentration_charts_name_every_bar_whole_inside_the_chart(
    member_page: Any, live_server: Any, transactional_db: None, clock: Clock, viewport: dict[str, int]
) -> None:
    # given: households with long names, and two proposals by ana (so every chart of proposals has bars)
    forget_replayed_state()
    asm = found_cargo_assembly(clock, households=LONG_HOUSEHOLDS)
    for cargo in ("tesoreria", "delegacion"):
        create_cargo(asm, cargo, powers=["keep_accounts"])
    page = member_page(asm.log, asm.keys["bea"], language="es", viewport=viewport)
    # when
    page.goto(f"{live_server.url}/es/asamblea/{asm.log}/concentracion/")
    names = page.eval_on_selector_all(
        "svg.chart .chart__label", "els => els.map((e) => e.textContent.replaceAll(' ', ''))"
    )
    outside = page.eval_on_selector_all(
        "svg.chart",
        """charts => charts.flatMap((svg) => {
            const box = svg.getBoundingClientRect();
            return [...svg.querySelectorAll('text')].map((t) => [t.textContent, t.getBoundingClientRect()])
                .filter(([, r]) => r.left < box.left - 1 || r.right > box.right + 1)
                .map(([text]) => text);
        })""",
    )
    wide = page.evaluate("document.scrollingElement.scrollWidth > innerWidth")
    shots = os.environ.get("AYLLU_SCREENSHOTS", "")
    if shots:
        size = "phone" if viewport == PHONE else "desktop"
        page.screenshot(path=str(Path(shots) / f"cargo-concentration-long-es-{size}.png"), full_page=True)
    # then every household's name is there whole, no text spills out of its chart, nothing scrolls sideways
    for household in set(LONG_HOUSEHOLDS.values()):
        assert household.replace(" ", "") in names, household
    assert (outside, wide) == ([], False)
