"""A draw prepared and completed from a phone, in Spanish, at 360 px: Carla asks the node for the list of
panels and signs it; members commit and reveal; once the beacon's time has come Eva gives its value and
signs the completion the node recomputed. Every step is checked for accessibility and sideways scroll."""

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from ayllu.actions.record import forget_replayed_state
from ayllu.queries.replayed import read_state
from factories.scenes import (
    BEACON,
    CargoAssembly,
    Clock,
    commit,
    draw_record,
    found_cargo_assembly,
    secret_of,
)

from .browsing import PHONE, assert_accessible, log_in_as

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def asm(transactional_db: None, clock: Clock) -> Iterator[CargoAssembly]:
    forget_replayed_state()
    yield found_cargo_assembly(clock)
    forget_replayed_state()


def _phone(new_page: Callable[..., Any], live: str, asm: CargoAssembly, name: str) -> Any:
    page = new_page(PHONE, axe=True)
    key = asm.keys[name]
    log_in_as(page, live, asm.log, seed=key.seed().hex(), public=key.public, language="es")
    return page


def test_a_draw_is_prepared_and_completed_in_the_browser(
    new_page: Callable[..., Any], live_server: Any, asm: CargoAssembly, clock: Clock, tmp_path: Path
) -> None:
    # given Carla on the draws page of her phone
    carla = _phone(new_page, live_server.url, asm, "carla")
    draws = f"{live_server.url}/es/asamblea/{asm.log}/sorteos/"
    carla.goto(draws)
    # when she asks for a panel of three and signs what the node prepared
    carla.get_by_label("Para qué es la comisión").fill("Comisión de fiestas")
    carla.get_by_label("Lugares").fill("3")
    carla.get_by_label("Ronda de la baliza").fill(str(BEACON["round"]))
    carla.get_by_role("button", name="Preparar la lista de comisiones").click()
    carla.wait_for_selector("[data-ayllu-body]", state="attached")
    carla.screenshot(path=str(tmp_path / "prepare.png"), full_page=True)
    assert_accessible(carla, "prepare", PHONE)
    with carla.expect_navigation():
        carla.get_by_role("button", name="Firmar y abrir el sorteo").click()
    forget_replayed_state()
    draw = max(recorded_draws(asm))
    # and members commit and reveal, and the beacon's time comes
    for name in ("bea", "carla", "dora"):
        commit(asm, draw, name)
    clock.advance(24 * 3_600_000 + 60_000)
    for name in ("bea", "carla"):
        asm.act(name, "draw.revealed", {"draw": draw, "secret": secret_of(name)})
    clock.advance(26 * 3_600_000)
    # and Eva gives the beacon's value on the draw's page and signs the completion
    eva = _phone(new_page, live_server.url, asm, "eva")
    eva.goto(f"{draws}{draw}/")
    eva.get_by_label("El valor de la baliza (hexadecimal)").fill(str(BEACON["value"]))
    eva.get_by_role("button", name="Calcular la comisión").click()
    eva.wait_for_selector("[data-ayllu-body]", state="attached")
    eva.screenshot(path=str(tmp_path / "complete.png"), full_page=True)
    assert_accessible(eva, "complete", PHONE)
    with eva.expect_navigation():
        eva.get_by_role("button", name="Firmar el resultado").click()
    # then the record holds the completed draw with the beacon Eva gave
    forget_replayed_state()
    done = draw_record(asm, draw)
    assert done.completed_seq and done.beacon["value"] == BEACON["value"]
    assert len(done.panel) == 3


def recorded_draws(asm: CargoAssembly) -> list[int]:
    return read_state(asm.log, lambda state: list(state.draws))
