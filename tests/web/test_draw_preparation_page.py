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
from ayllu.core.sortition.preparation import prepare_draw
from ayllu.queries.replayed import read_state
from ayllu.storage import models
from ayllu.web.views_draws import quicknet_round_after
from factories.scenes import (
    HOUR_MS,
    ZONES,
    CargoAssembly,
    Clock,
    clock,
    found_cargo_assembly,
    signed_payload,
)
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


PAGE = {"en": "/en/assembly/{log}/draws/", "es": "/es/asamblea/{log}/sorteos/"}
ACTS = {"en": "/en/assembly/{log}/acts/", "es": "/es/asamblea/{log}/actos/"}


def head_seq(asm: CargoAssembly) -> int:
    return int(models.Record.objects.get(log=asm.log).head_seq)


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "The pool has 6 people: fewer than the 9 seats to fill."),
        ("es", "El grupo del sorteo tiene 6 personas: menos que los 9 lugares por cubrir."),
    ],
)
def test_a_draw_that_cannot_be_prepared_is_explained(asm: CargoAssembly, lang: str, words: str) -> None:
    # given a member asking for more seats than there are members
    client = Client()
    log_in_as(client, asm.log, asm.keys["carla"])
    asked = {"purpose": "Todos", "panel_size": "9", "hours": "24", "source": "drand-quicknet", "round": "5"}
    before = head_seq(asm)
    # when the node tries to prepare it
    answer = client.get(PAGE[lang].format(log=asm.log), asked).content.decode()
    # then it says why in the page's language, offers nothing to sign, and records nothing
    alert = re.search(r'role="alert">([^<]*)<', answer)
    assert alert is not None and html.unescape(alert.group(1)) == words
    assert "data-ayllu-body" not in answer and head_seq(asm) == before


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "No panel of 2 people meets these quotas together: genero=f 2-2, zona=norte 2-2."),
        ("es", "Ninguna comisión de 2 personas cumple a la vez estas cuotas: genero=f 2-2, zona=norte 2-2."),
    ],
)
def test_a_prepared_draw_whose_quotas_conflict_is_refused_naming_them(
    asm: CargoAssembly, clock: Clock, lang: str, words: str
) -> None:
    # given: in the pool everyone from the north is a man; a list of 2-seat panels made without quotas is
    # sent, as the page's script sends a signed act, with quotas for two from the north and two women
    client = Client()
    log_in_as(client, asm.log, asm.keys["carla"])
    pool = {asm.pub(n): {"zona": z, "genero": "m" if z == "norte" else "f"} for n, z in ZONES.items()}
    quotas = [{"category": "zona", "feature": "norte", "min": 2, "max": 2},
              {"category": "genero", "feature": "f", "min": 2, "max": 2}]  # fmt: skip
    body = {
        "purpose": "Comisión",
        **prepare_draw(pool, quotas=[], panel_size=2, size=100),
        "quotas": quotas,
        "commit_until": clock.now + HOUR_MS,
        "reveal_until": clock.now + 2 * HOUR_MS,
        "beacon_chain": [{"source": "drand-quicknet", "round": 7}],
        "beacon_after": clock.now + 3 * HOUR_MS,
    }
    before = head_seq(asm)
    # when
    answer = client.post(ACTS[lang].format(log=asm.log), signed_payload(asm, "carla", "draw.prepared", body),
                         content_type="application/json")  # fmt: skip
    # then: the rules refuse it naming the quotas that clash, in the page's language; nothing is written
    assert answer.status_code == 409, answer.content
    data = answer.json()
    assert data["code"] == "draw_quotas_infeasible" and data["message"].startswith(words)
    assert data["detail"]["quotas"] == "genero=f 2-2, zona=norte 2-2"
    assert head_seq(asm) == before


def test_an_outsider_is_offered_no_preparation(client: Client, asm: CargoAssembly) -> None:
    # when someone not logged in opens the draws page
    answer = client.get(f"/en/assembly/{asm.log}/draws/").content.decode()
    # then no draw can be prepared from it
    assert "Prepare a draw by lot" not in answer


def test_the_suggested_round_comes_after_the_reveals_close() -> None:
    # quicknet: genesis 1692803367 s, a round every 3 s; round 1 at genesis
    assert quicknet_round_after(1_692_803_367_000) == 2
    assert quicknet_round_after(1_692_803_370_500) == 3
