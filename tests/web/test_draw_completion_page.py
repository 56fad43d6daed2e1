"""Completing a draw in the browser: once the beacon's time has come, a member pastes the named round's
value, the node recomputes the panel from the record, and the member signs the completion."""

import html
import json
import re

import pytest
from django.test import Client

from ayllu.actions.record import forget_replayed_state
from ayllu.core.assembly.acts import ACT_KINDS
from ayllu.core.assembly.allowed import refusal
from ayllu.queries.replayed import read_state
from factories.scenes import (
    BEACON,
    HOUR_MS,
    CargoAssembly,
    Clock,
    clock,
    draw_record,
    found_cargo_assembly,
    run_draw,
)
from factories.stored import log_in_as

from .test_form_walk import act_forms

__all__ = ["clock"]  # the fixture, imported for the tests below


@pytest.fixture
def waiting(db: None, clock: Clock) -> tuple[CargoAssembly, int]:
    """A draw whose reveals are over, waiting for the beacon (which is due now)."""
    forget_replayed_state()
    asm = found_cargo_assembly(clock)
    draw = run_draw(asm, complete=False)
    clock.advance(2 * HOUR_MS)
    return asm, draw


def test_a_member_recomputes_and_signs_the_completion(
    waiting: tuple[CargoAssembly, int], clock: Clock
) -> None:
    # given a member on the page of a draw waiting for its beacon
    asm, draw = waiting
    client = Client()
    log_in_as(client, asm.log, asm.keys["eva"])
    page = f"/es/asamblea/{asm.log}/sorteos/{draw}/"
    # when they open it, then give the beacon's value
    before = client.get(page).content.decode()
    after = client.get(page, {"beacon": BEACON["value"]}).content.decode()
    # then the page first asks for the named round's value, then offers the recomputed completion to sign
    assert "Completar el sorteo" in before and str(BEACON["round"]) in before
    assert not [f for f in act_forms(before) if f["type"] == "draw.completed"]
    given = re.search(r'data-ayllu-body value="([^"]+)"', after)
    assert given is not None
    body = json.loads(html.unescape(given.group(1)))
    assert body["beacon"] == BEACON and body["draw"] == draw
    # and the core accepts that body signed by the member now (nothing is recorded before they sign)
    act = ACT_KINDS["draw.completed"].parse(body)
    assert read_state(asm.log, lambda s: refusal(s, key=asm.pub("eva"), act=act, time=clock.now)) is None
    assert draw_record(asm, draw).completed_seq == 0


def test_a_value_that_cannot_complete_the_draw_is_explained(waiting: tuple[CargoAssembly, int]) -> None:
    # given a member on the draw's page
    asm, draw = waiting
    client = Client()
    log_in_as(client, asm.log, asm.keys["eva"])
    # when they give a value that is not the beacon's (not hexadecimal)
    answer = client.get(f"/en/assembly/{asm.log}/draws/{draw}/", {"beacon": "not-a-value"}).content.decode()
    # then the page says why, in words, and offers nothing to sign
    assert 'aria-invalid="true"' in answer and "only the digits 0 to 9" in answer
    assert "data-ayllu-body" not in answer


def test_an_outsider_is_offered_no_completion(client: Client, waiting: tuple[CargoAssembly, int]) -> None:
    # given someone not logged in, with the beacon's value
    asm, draw = waiting
    # when they open the draw's page with it
    answer = client.get(f"/en/assembly/{asm.log}/draws/{draw}/", {"beacon": BEACON["value"]}).content.decode()
    # then nothing is offered to sign
    assert "Complete the draw" not in answer and "data-ayllu-body" not in answer
