"""A cargo made and filled from the browser, at phone size in Spanish: the assembly creates a delegation
with the power to represent it, then names who holds it, choosing the cargo from a list; every voter
reads what each proposal changes, on its page and in the ballot, before voting, and the minutes say it
again."""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from ayllu.actions.record import forget_replayed_state
from factories.scenes import meeting_with_everyone
from factories.stored import StoredAssembly, act, found_with_officers

from .browsing import PHONE, assert_accessible
from .test_assembly_flow import sign

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

SHOTS = Path(os.environ.get("AYLLU_SHOTS_DIR", "/tmp/ayllu-shots"))


@pytest.fixture
def assembly(transactional_db: None) -> Iterator[StoredAssembly]:
    forget_replayed_state()
    yield found_with_officers("Junta Vecinal Villa Esperanza", size=4)
    forget_replayed_state()


def route(name: str, **kwargs: Any) -> str:
    with translation.override("es"):
        return reverse(f"web:{name}", kwargs=kwargs)


def shoot(page: Any, name: str) -> None:
    if os.environ.get("AYLLU_SCREENSHOTS") == "1":
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def decide_in_favour(pages: list[Any], url: str) -> None:
    """The first opens the question, everyone votes in favour, the last closes it."""
    first, last = pages[0], pages[-1]
    sign(first, "Abrir la pregunta")
    for page in pages:
        if page is not first:
            page.goto(url)
        ballot = page.locator(".panel--decide")
        assert "Si se aprueba:" in ballot.inner_text()
        sign(page, "A favor")
    sign(last, "Cerrar la pregunta")
    assert "Aprobada" in last.locator(".outcome").inner_text()


def test_a_cargo_is_created_and_assigned_by_choice_and_voters_read_what_changes(
    member_page: Any, live_server: Any, assembly: StoredAssembly
) -> None:
    # given: four members, each on their own phone
    pages = [member_page(assembly.log, key, axe=True) for key in assembly.members]
    a, b = pages[0], pages[1]
    problems: list[str] = []
    for page in pages:
        page.on("pageerror", lambda error: problems.append(str(error)))
    server = live_server.url

    # when: A proposes a delegation to the federation, with the power to represent the assembly there
    a.goto(server + route("new_matter_proposal", log=assembly.log, matter="cargo_creation"))
    assert_accessible(a, a.url, PHONE, skip_checkboxes=True)  # each box's label is the 44 px target
    a.get_by_label("Nombre del cargo").fill("delegacion")
    assert a.get_by_label("Título").input_value() == "Cargo nuevo: delegacion"  # the title names it
    a.get_by_label("publicar avisos en nombre de la asamblea").check()
    a.get_by_label("Representar a la asamblea en otra instancia (opcional): cuál").fill("fejuve")
    a.get_by_label("Duración de cada periodo, en días").fill("30")
    shoot(a, "cargo-creation-form-es-phone")
    sign(a, "Presentar la propuesta")
    # then: its page says, before any vote, what the cargo may do and for how long
    changes = a.locator("[data-ayllu-effect-words]").inner_text()
    assert "Se crea un nuevo cargo: «delegacion»." in changes
    assert "representar a la asamblea en fejuve" in changes and "Cada periodo dura 30 días." in changes
    assert_accessible(a, a.url, PHONE)
    shoot(a, "cargo-creation-proposal-es-phone")
    # and the members decide it
    decide_in_favour(pages, a.url)

    # when: B proposes who holds it, choosing the cargo from the assembly's cargos
    b.goto(server + route("new_matter_proposal", log=assembly.log, matter="cargo_assignment"))
    b.get_by_label("Qué cargo").select_option("delegacion")
    b.get_by_label("Quién lo ocupa").select_option(assembly.members[3].public)
    shoot(b, "cargo-assignment-form-es-phone")
    sign(b, "Presentar la propuesta")
    # then: the proposal names who gets which cargo until when, on its page and in the ballot
    changes = b.locator("[data-ayllu-effect-words]").inner_text()
    assert "ocupa el cargo «delegacion» desde la decisión hasta el" in changes
    sign(b, "Abrir la pregunta")
    ballot = b.locator(".panel--decide").inner_text()
    assert "ocupa el cargo «delegacion» desde la decisión hasta el" in ballot
    assert_accessible(b, b.url, PHONE)
    shoot(b, "cargo-assignment-ballot-es-phone")

    # and the mandates page has a body to represent
    a.goto(server + route("mandates", log=assembly.log))
    assert "fejuve" in a.locator("main").inner_text()

    # when: in a meeting, a mandate for the new delegation is tabled, and the meeting closes
    meeting = meeting_with_everyone(assembly, title="Asamblea de abril")
    effect = {"body": "fejuve", "question": "Tarifa del agua", "position": "no"}
    content = {"matter": "mandate", "title": "Mandato", "text": "", "effect": effect, "meeting": meeting}
    act(assembly, assembly.members[1], "proposal.tabled", content)
    act(assembly, assembly.convenor, "meeting.closed", {"meeting": meeting})
    # then: the minutes say what the proposal changes, in the same words
    a.goto(server + route("minutes", log=assembly.log, meeting_id=meeting))
    minutes = a.locator("[data-ayllu-effect-words]").inner_text()
    assert "la posición de la asamblea en fejuve sobre «Tarifa del agua» es «En contra»" in minutes
    assert_accessible(a, a.url, PHONE)
    shoot(a, "minutes-effect-es-phone")
    assert problems == []


def test_without_javascript_the_new_cargos_title_names_the_cargo(
    member_page: Any, new_page: Any, live_server: Any, assembly: StoredAssembly
) -> None:
    # given: a member on a phone whose browser runs no script
    member = member_page(assembly.log, assembly.members[1])
    page = new_page(PHONE, java_script_enabled=False)
    page.context.add_cookies(member.context.cookies())
    page.goto(live_server.url + route("new_matter_proposal", log=assembly.log, matter="cargo_creation"))
    assert page.get_by_label("Título", exact=True).input_value() == "Cargo nuevo"
    # when: the name goes in the page's own form for it
    page.get_by_label("Primero, el nombre del cargo: el título de la propuesta lo dirá").fill("delegación")
    with page.expect_navigation():
        page.get_by_role("button", name="Usar este nombre").click()
    # then: the node wrote the title with the name, and the name's box holds it
    assert page.get_by_label("Título", exact=True).input_value() == "Cargo nuevo: delegación"
    assert page.get_by_label("Nombre del cargo", exact=True).input_value() == "delegación"
    assert "?cargo=delegaci" in page.url
    shoot(page, "cargo-creation-no-javascript-es-phone")
