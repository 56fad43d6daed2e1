"""Preparing a draw in the browser: a member names its purpose, seats, windows and beacon round; the node
prepares the list of panels from every active member; the member signs it."""

import html
import json
import re

import pytest
from django.test import Client

from ayllu.actions.record import forget_replayed_state
from ayllu.core.assembly.acts import ACT_KINDS
from ayllu.core.assembly.allowed import refusal
from ayllu.queries.replayed import read_state
from ayllu.web.views_draws import quicknet_round_after
from factories.scenes import CargoAssembly, Clock, clock, found_cargo_assembly
from factories.stored import log_in_as

__all__ = ["clock"]  # the fixture, imported for the tests below


@pytest.fixture
def asm(db: None, clock: Clock) -> CargoAssembly:
    forget_replayed_state()
    return found_cargo_assembly(clock)


def test_a_member_prepares_a_draw_and_the_core_accepts_what_they_would_sign(
    asm: CargoAssembly, clock: Clock
) -> None:
    # given a member on the draws page
    client = Client()
    log_in_as(client, asm.log, asm.keys["carla"])
    page = f"/es/asamblea/{asm.log}/sorteos/"
    asked = {"purpose": "Comisión de fiestas", "panel_size": "3", "hours": "24", "source": "drand-quicknet"}
    # when they open it, then ask for a draw
    before = client.get(page).content.decode()
    after = client.get(page, {**asked, "round": "9000000"}).content.decode()
    # then the page first offers the form with a suggested round, then the prepared draw to sign
    assert "Preparar un sorteo" in before and "data-ayllu-body" not in before
    given = re.search(r'data-ayllu-body value="([^"]+)"', after)
    assert given is not None
    body = json.loads(html.unescape(given.group(1)))
    assert body["purpose"] == "Comisión de fiestas" and body["panel_size"] == 3 and len(body["pool"]) == 6
    assert body["beacon_chain"] == [{"source": "drand-quicknet", "round": 9_000_000}]
    # and the core accepts it signed by the member now
    act = ACT_KINDS["draw.prepared"].parse(body)
    assert read_state(asm.log, lambda s: refusal(s, key=asm.pub("carla"), act=act, time=clock.now)) is None


def test_a_draw_that_cannot_be_prepared_is_explained(asm: CargoAssembly) -> None:
    # given a member asking for more seats than there are members
    client = Client()
    log_in_as(client, asm.log, asm.keys["carla"])
    asked = {"purpose": "Todos", "panel_size": "9", "hours": "24", "source": "drand-quicknet", "round": "5"}
    # when the node tries to prepare it
    answer = client.get(f"/en/assembly/{asm.log}/draws/", asked).content.decode()
    # then it says why, and offers nothing to sign
    assert 'role="alert"' in answer and "data-ayllu-body" not in answer


def test_an_outsider_is_offered_no_preparation(client: Client, asm: CargoAssembly) -> None:
    # when someone not logged in opens the draws page
    answer = client.get(f"/en/assembly/{asm.log}/draws/").content.decode()
    # then no draw can be prepared from it
    assert "Prepare a draw by lot" not in answer


def test_the_suggested_round_comes_after_the_reveals_close() -> None:
    # quicknet: genesis 1692803367 s, a round every 3 s; round 1 at genesis
    assert quicknet_round_after(1_692_803_367_000) == 2
    assert quicknet_round_after(1_692_803_370_500) == 3
