"""A draw prepared for members only: its purpose, quotas and the pool's attributes are words of
`draw.prepared`, shown on the draw pages, in the evidence download and in the API only to this
assembly's logged-in members. Outsiders and members of other assemblies see the draw exist, who was in
the pool, the commitments, reveals and the panel drawn, and may still recompute the panel from the
evidence; the words are marked "(members only)" on pages and null in JSON."""

import itertools
import json
from typing import Any

import pytest
from django.test import Client

from ayllu.actions.record import do_append, forget_replayed_state
from ayllu.core.ledger.record import sign_act
from ayllu.core.sortition import Quota, recompute_draw
from ayllu.core.sortition.preparation import prepare_draw
from factories.records import act_body
from factories.scenes import (
    BEACON,
    HOUR_MS,
    CargoAssembly,
    Clock,
    clock,
    commit,
    complete_draw,
    found_cargo_assembly,
    secret_of,
)
from factories.stored import log_in_as

__all__ = ["clock"]  # the fixture, imported for the tests below

PURPOSE = "Comision-RESERVADA-81"
CATEGORY = "barrio-reservado-81"
NORTH, SOUTH = "norte-reservado-81", "sur-reservado-81"
MARKERS = (PURPOSE, CATEGORY, NORTH, SOUTH)
ZONES = {"ana": NORTH, "bea": NORTH, "carla": SOUTH, "dora": SOUTH, "eva": NORTH, "flor": SOUTH}
_nonces = itertools.count(1)


def prepare_members_only_draw(asm: CargoAssembly) -> int:
    """Carla prepares a draw of three in a members-only body; committing opens for an hour."""
    pool = {asm.pub(n): {CATEGORY: zone} for n, zone in ZONES.items()}
    quotas = [Quota(CATEGORY, NORTH, 1, 2), Quota(CATEGORY, SOUTH, 1, 2)]
    now = asm.clock.now
    content = {
        "purpose": PURPOSE,
        **prepare_draw(pool, quotas=quotas, panel_size=3, size=100),
        "commit_until": now + HOUR_MS,
        "reveal_until": now + 2 * HOUR_MS,
        "beacon_chain": [{"source": BEACON["source"], "round": BEACON["round"]}],
        "beacon_after": now + 3 * HOUR_MS,
    }
    body = act_body("draw.prepared", content, vis="members")
    signed = sign_act(
        asm.keys["carla"], log=asm.log, type="draw.prepared", body=body, nonce=f"d{next(_nonces)}"
    )
    return do_append(asm.log, signed_act=signed, body=body).seq


@pytest.fixture
def scene(db: None, clock: Clock) -> dict[str, Any]:
    """A completed members-only draw (its commitments, reveals and completion are public acts)."""
    forget_replayed_state()
    asm = found_cargo_assembly(clock)
    draw = prepare_members_only_draw(asm)
    for name in ("bea", "carla"):
        commit(asm, draw, name)
    clock.advance(HOUR_MS + 1)
    for name in ("bea", "carla"):
        asm.act(name, "draw.revealed", {"draw": draw, "secret": secret_of(name)})
    clock.advance(2 * HOUR_MS)
    complete_draw(asm, draw)
    return {"asm": asm, "draw": draw}


def raw_answers(client: Client, log: str, draw: int) -> dict[str, str]:
    """The raw text of the draw pages (both languages), the evidence download and the API's draw reads."""
    paths = [
        f"/en/assembly/{log}/draws/",
        f"/en/assembly/{log}/draws/{draw}/",
        f"/es/asamblea/{log}/sorteos/",
        f"/es/asamblea/{log}/sorteos/{draw}/",
        f"/en/assembly/{log}/draws/{draw}/evidence.json",
        f"/api/assemblies/{log}/draws",
        f"/api/assemblies/{log}/draws/{draw}",
        f"/api/assemblies/{log}/draws/{draw}/evidence",
    ]
    answers = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        answers[path] = response.content.decode()
    return answers


def leaks(answers: dict[str, str]) -> dict[str, list[str]]:
    return {path: found for path, text in answers.items() if (found := [m for m in MARKERS if m in text])}


def test_an_outsider_sees_the_members_only_draw_exist_but_not_its_words(
    client: Client, scene: dict[str, Any]
) -> None:
    # given nobody logged in
    log, draw = scene["asm"].log, scene["draw"]
    # when
    answers = raw_answers(client, log, draw)
    # then no purpose, category or attribute value is in any page or JSON
    assert leaks(answers) == {}
    # and the pages say what they hold back, and still show the panel and the pool
    page = answers[f"/en/assembly/{log}/draws/{draw}/"]
    assert "data-ayllu-members-only" in answers[f"/en/assembly/{log}/draws/"]
    assert page.count("data-ayllu-members-only") >= 3  # purpose, quotas, each member's attributes
    assert "The panel drawn" in page and "Attribute" in page
    assert "(solo para miembros)" in answers[f"/es/asamblea/{log}/sorteos/{draw}/"]


def test_an_outsider_recomputes_the_panel_from_the_evidence_without_the_words(
    client: Client, scene: dict[str, Any]
) -> None:
    # given nobody logged in
    asm, draw = scene["asm"], scene["draw"]
    # when
    evidence = json.loads(client.get(f"/en/assembly/{asm.log}/draws/{draw}/evidence.json").content)
    # then the words are null and marked, every pool member is still listed, and the panel recomputes
    assert (evidence["purpose"], evidence["quotas"], evidence["members_only"]) == (None, None, True)
    assert evidence["pool"] == dict.fromkeys(sorted(asm.pub(n) for n in ZONES))
    assert list(recompute_draw(evidence).panel) == evidence["panel"]


def test_a_member_of_another_assembly_reads_no_word_of_the_members_only_draw(
    client: Client, scene: dict[str, Any], clock: Clock
) -> None:
    # given a member of another assembly on this node, logged in there
    other = found_cargo_assembly(clock, name="Sindicato de lecheras")
    log_in_as(client, other.log, other.keys["ana"])
    # when
    answers = raw_answers(client, scene["asm"].log, scene["draw"])
    # then
    assert leaks(answers) == {}


def test_a_member_reads_every_word_of_the_members_only_draw(client: Client, scene: dict[str, Any]) -> None:
    # given dora, a member of this assembly, logged in
    asm, draw = scene["asm"], scene["draw"]
    log_in_as(client, asm.log, asm.keys["dora"])
    # when
    answers = raw_answers(client, asm.log, draw)
    evidence = json.loads(answers[f"/en/assembly/{asm.log}/draws/{draw}/evidence.json"])
    # then the purpose is on every page and read; the attributes wherever the pool is shown
    assert [p for p, text in answers.items() if PURPOSE not in text] == [
        f"/api/assemblies/{asm.log}/draws/{draw}/evidence"  # the recomputation alone names no words
    ]
    for path in (f"/en/assembly/{asm.log}/draws/{draw}/", f"/api/assemblies/{asm.log}/draws/{draw}"):
        assert [m for m in MARKERS if m not in answers[path]] == [], path
    assert evidence["members_only"] is False
    assert evidence["pool"][asm.pub("ana")] == {CATEGORY: NORTH}
    assert list(recompute_draw(evidence).panel) == evidence["panel"]
