"""The draw page while a draw is under way: what a member may do (commit, then reveal) and what the node
answers when the signed act breaks the draw's rules, in Spanish and English, with nothing written."""

from typing import Any

import pytest
from django.test import Client

from ayllu.actions.record import forget_replayed_state
from ayllu.core.sortition import Quota
from ayllu.core.sortition.preparation import prepare_draw
from ayllu.storage import models
from factories.scenes import (
    BEACON,
    HOUR_MS,
    ZONES,
    CargoAssembly,
    Clock,
    clock,
    commit,
    commitment_of,
    draw_record,
    found_cargo_assembly,
    open_draw,
    secret_of,
    signed_payload,
)
from factories.stored import log_in_as

from .test_translations import visible_text

__all__ = ["clock"]  # the fixture, imported for the tests below

DRAW_PATH = {"es": "/es/asamblea/{log}/sorteos/{draw}/", "en": "/en/assembly/{log}/draws/{draw}/"}
ACTS_PATH = {"es": "/es/asamblea/{log}/actos/", "en": "/en/assembly/{log}/acts/"}


@pytest.fixture
def asm(db: None, clock: Clock) -> CargoAssembly:
    forget_replayed_state()
    return found_cargo_assembly(clock)


def draw_html(client: Client, asm: CargoAssembly, draw: int, language: str = "en") -> str:
    response = client.get(DRAW_PATH[language].format(log=asm.log, draw=draw))
    assert response.status_code == 200
    return response.content.decode()


def head_seq(asm: CargoAssembly) -> int:
    return int(models.Record.objects.get(log=asm.log).head_seq)


def post_act(client: Client, asm: CargoAssembly, language: str, payload: dict[str, Any]) -> Any:
    address = ACTS_PATH[language].format(log=asm.log)
    return client.post(address, payload, content_type="application/json")


def revealing_after_bea_and_dora_committed(asm: CargoAssembly, clock: Clock) -> int:
    """A draw bea and dora committed to, its reveal window open."""
    draw = open_draw(asm)
    commit(asm, draw, "bea")
    commit(asm, draw, "dora")
    clock.advance(HOUR_MS)
    return draw


def test_a_member_may_commit_while_committing_is_open(client: Client, asm: CargoAssembly) -> None:
    # given
    draw = open_draw(asm)
    log_in_as(client, asm.log, asm.keys["bea"])
    # when
    html = draw_html(client, asm, draw)
    spanish = visible_text(draw_html(client, asm, draw, "es"), language="es")
    # then: the commit form carries what the device needs to make the commitment
    assert f'data-lottery="{draw_record(asm, draw).lottery_hash}"' in html
    assert "data-ayllu-draw-commit" in html and 'data-type="draw.committed"' in html
    assert f'data-member="{asm.pub("bea")}"' in html and 'data-phase="committing"' in html
    assert "data-ayllu-draw-reveal" not in html
    assert "Commit to a secret" in html and "counts as null" in html and "never drawn again" in html
    assert "Comprometerse con un secreto" in spanish and "cuenta como nulo" in spanish


def test_an_outsider_reads_the_steps_and_is_asked_to_log_in(client: Client, asm: CargoAssembly) -> None:
    # given
    draw = open_draw(asm)
    # when
    html = draw_html(client, asm, draw)
    # then
    assert "data-ayllu-draw-commit" not in html and "data-ayllu-draw " not in html
    assert "Log in with this device to add a secret of your own to this draw." in html
    assert 'aria-current="step"' in html and "Your part in the draw" in html


def test_after_committing_the_reveal_waits_for_its_window(
    client: Client, asm: CargoAssembly, clock: Clock
) -> None:
    # given: bea committed; committing is still open
    draw = open_draw(asm)
    commit(asm, draw, "bea")
    log_in_as(client, asm.log, asm.keys["bea"])
    # when
    committing = draw_html(client, asm, draw)
    clock.advance(HOUR_MS)
    revealing = draw_html(client, asm, draw)
    # then: the device is asked for the secret only once revealing is open
    mine = commitment_of(asm, draw, "bea")
    assert "data-ayllu-draw-commit" not in committing and "data-ayllu-draw-reveal" not in committing
    assert f'data-commitment="{mine}"' in committing and "You committed to a secret" in committing
    assert "kept secret until the reveal" in committing
    assert "data-ayllu-draw-reveal" in revealing and 'data-phase="revealing"' in revealing
    assert "This browser does not hold your secret" in revealing and "not revealed yet" in revealing


def test_a_reveal_that_does_not_open_the_commitment_is_refused_and_nothing_is_written(
    client: Client, asm: CargoAssembly, clock: Clock
) -> None:
    # given: bea committed to one secret and, in the reveal window, sends another
    draw = open_draw(asm)
    commit(asm, draw, "bea")
    clock.advance(HOUR_MS)
    log_in_as(client, asm.log, asm.keys["bea"])
    before = head_seq(asm)
    wrong = {"draw": draw, "secret": secret_of("someone else")}
    answers = {}
    # when
    for language in ("en", "es"):
        answers[language] = post_act(
            client, asm, language, signed_payload(asm, "bea", "draw.revealed", wrong)
        )
    # then
    for answer in answers.values():
        assert answer.status_code == 409, answer.content  # a rule of the draw refused it
    english, spanish = (answers[lang].json() for lang in ("en", "es"))
    assert english["code"] == "draw_bad_evidence" and english["detail"]["reason"] == "reveal_does_not_match"
    assert english["message"].startswith("This secret is not the one committed to")
    assert spanish["message"].startswith("Este secreto no es el del compromiso")
    assert head_seq(asm) == before
    assert not models.Entry.objects.filter(record__log=asm.log, type="draw.revealed").exists()


@pytest.mark.parametrize("when", ["committing", "after the reveal window"])
def test_a_reveal_outside_its_window_is_refused_and_nothing_is_written(
    client: Client, asm: CargoAssembly, clock: Clock, when: str
) -> None:
    # given: bea committed; it is either too early or too late to reveal
    draw = open_draw(asm)
    commit(asm, draw, "bea")
    if when != "committing":
        clock.advance(2 * HOUR_MS + 1)
    log_in_as(client, asm.log, asm.keys["bea"])
    before = head_seq(asm)
    right = {"draw": draw, "secret": secret_of("bea")}
    # when
    answer = post_act(client, asm, "es", signed_payload(asm, "bea", "draw.revealed", right))
    # then
    assert answer.status_code == 409
    data = answer.json()
    assert data["code"] == "draw_wrong_phase"
    assert data["message"].startswith("Este paso del sorteo llega fuera de tiempo")
    assert head_seq(asm) == before


def test_the_right_reveal_in_its_window_is_recorded_and_shown(
    client: Client, asm: CargoAssembly, clock: Clock
) -> None:
    # given: bea and dora committed; revealing is open
    draw = revealing_after_bea_and_dora_committed(asm, clock)
    log_in_as(client, asm.log, asm.keys["bea"])
    # when
    answer = post_act(
        client,
        asm,
        "en",
        signed_payload(asm, "bea", "draw.revealed", {"draw": draw, "secret": secret_of("bea")}),
    )
    html = draw_html(client, asm, draw)
    clock.advance(HOUR_MS)
    after = draw_html(client, asm, draw)
    # then: bea's part is done; dora's secret is still awaited, then counts as null
    assert answer.status_code == 200 and answer.json()["ok"]
    assert "You revealed your secret" in html and "data-ayllu-draw-reveal" not in html
    assert "2 members committed to a secret; secrets revealed: 1." in html and "not revealed yet" in html
    assert "withheld: counts as null" in after and "Your part in the draw" not in after


def test_the_list_of_draws_points_a_member_to_their_step(
    client: Client, asm: CargoAssembly, clock: Clock
) -> None:
    # given: bea committed; carla did not
    draw = open_draw(asm)
    commit(asm, draw, "bea")
    english, spanish = f"/en/assembly/{asm.log}/draws/", f"/es/asamblea/{asm.log}/sorteos/"
    log_in_as(client, asm.log, asm.keys["carla"])
    # when
    carla_committing = client.get(english).content.decode()
    log_in_as(client, asm.log, asm.keys["bea"])
    bea_committing = client.get(english).content.decode()
    clock.advance(HOUR_MS)
    bea_revealing = visible_text(client.get(spanish).content.decode(), language="es")
    # then
    assert (
        "Add your secret to this draw" in carla_committing and f"/draws/{draw}/#your-part" in carla_committing
    )
    assert "Add your secret to this draw" not in bea_committing and "Reveal your secret" not in bea_committing
    assert "Revele su secreto" in bea_revealing


def test_no_draw_form_is_offered_once_the_core_would_refuse_it(
    client: Client, asm: CargoAssembly, clock: Clock
) -> None:
    # given: bea committed, carla did not; then committing closes
    draw = open_draw(asm)
    commit(asm, draw, "bea")
    clock.advance(HOUR_MS)
    # when
    log_in_as(client, asm.log, asm.keys["carla"])
    late = draw_html(client, asm, draw)
    bea = Client()
    log_in_as(bea, asm.log, asm.keys["bea"])
    revealing = draw_html(bea, asm, draw)
    # then: a commitment after the deadline (draw_wrong_phase) is not offered, nor a reveal without one
    assert "data-ayllu-draw-commit" not in late and "data-ayllu-draw-reveal" not in late
    assert "data-ayllu-draw-reveal" in revealing and "data-ayllu-draw-commit" not in revealing


@pytest.mark.parametrize(
    "value", ["abc", "AB" * 32, "zz" * 32, "ab" * 513], ids=["odd", "upper", "not-hex", "long"]
)
def test_a_completion_with_a_malformed_beacon_value_is_refused_in_words_and_nothing_is_written(
    client: Client, asm: CargoAssembly, clock: Clock, value: str
) -> None:
    # given: a draw whose beacon's time has come
    draw = open_draw(asm)
    commit(asm, draw, "bea")
    clock.advance(3 * HOUR_MS)
    log_in_as(client, asm.log, asm.keys["eva"])
    before = head_seq(asm)
    beacon = {"source": BEACON["source"], "round": BEACON["round"], "value": value}
    payload = signed_payload(
        asm, "eva", "draw.completed", {"draw": draw, "index": 0, "panel": [], "beacon": beacon}
    )
    # when
    answer = post_act(client, asm, "es", payload)
    # then
    data = answer.json()
    assert (data["code"], data["detail"]["reason"]) == ("draw_bad_evidence", "beacon_value")
    assert "hexadecimal con minúsculas" in data["message"] and "512" in data["message"]
    assert head_seq(asm) == before


def test_the_completion_form_says_in_words_why_a_beacon_value_is_refused(
    client: Client, asm: CargoAssembly, clock: Clock
) -> None:
    # given: a draw whose beacon's time has come, and a value of an odd number of hex digits
    draw = open_draw(asm)
    commit(asm, draw, "bea")
    clock.advance(3 * HOUR_MS)
    log_in_as(client, asm.log, asm.keys["eva"])
    # when
    address = DRAW_PATH["es"].format(log=asm.log, draw=draw) + "?beacon=abc"
    html = client.get(address).content.decode()
    # then the field is marked, and the sentence says how a beacon's value is written
    assert (
        'id="beacon-error" role="alert">El valor de una baliza se escribe en hexadecimal con minúsculas'
        in html
    )


def test_the_reveal_is_offered_when_the_node_would_seal_it_in_its_window_though_its_clock_is_behind(
    client: Client, asm: CargoAssembly, clock: Clock
) -> None:
    # given: bea and dora committed; dora revealed in the window; then the node's clock went back before
    # the window (an entry is sealed at the record's last time when the node's clock is behind it)
    draw = revealing_after_bea_and_dora_committed(asm, clock)
    asm.act("dora", "draw.revealed", {"draw": draw, "secret": secret_of("dora")})
    clock.advance(-HOUR_MS)
    log_in_as(client, asm.log, asm.keys["bea"])
    # when
    html = draw_html(client, asm, draw)
    home = client.get(f"/en/assembly/{asm.log}/").content.decode()
    bea = signed_payload(asm, "bea", "draw.revealed", {"draw": draw, "secret": secret_of("bea")})
    answer = post_act(client, asm, "en", bea)
    # then: the page and the home page offer the reveal, and the core accepts it
    assert "data-ayllu-draw-reveal" in html and "reveal your part from this device" in home
    assert answer.status_code == 200 and answer.json()["ok"]


def test_the_draw_page_shows_what_rounding_shifted_and_the_lowest_chance_before_and_after(
    client: Client, asm: CargoAssembly
) -> None:
    # given: three seats from six members, one or two per zone (LEXIMIN: everyone 1/2), written as a list
    # of only 7 panels, so rounding must move chances: 21 seats for 6 people, some 3/7 and some 4/7
    pool = {asm.pub(n): {"zona": z} for n, z in ZONES.items()}
    quotas = [Quota("zona", "norte", 1, 2), Quota("zona", "sur", 1, 2)]
    now = asm.clock.now
    prepared = prepare_draw(pool, quotas=quotas, panel_size=3, size=7)
    body = {"purpose": "Comisión de agua", **prepared, "commit_until": now + HOUR_MS,
            "reveal_until": now + 2 * HOUR_MS, "beacon_after": now + 3 * HOUR_MS,
            "beacon_chain": [{"source": BEACON["source"], "round": BEACON["round"]}]}  # fmt: skip
    draw = asm.act("carla", "draw.prepared", body)
    recorded = draw_record(asm, draw)
    # (the figures recorded: largest shift 1/14, lowest chance 3/7 after rounding, 1/2 before)
    assert (recorded.largest_shift_ppm, recorded.lowest_chance_ppm, recorded.leximin_lowest_ppm) == (
        71_429, 428_571, 500_000,
    )  # fmt: skip
    # when: anyone reads the draw's page in either language
    english = visible_text(draw_html(client, asm, draw, "en"), language="en").replace("\xa0", " ")
    spanish = visible_text(draw_html(client, asm, draw, "es"), language="es").replace("\xa0", " ")
    # then: the page shows the largest shift and the lowest chance after rounding and before it
    assert "Largest shift from the fair chances 7.14 %" in english
    assert "Lowest chance 42.86 % 50.00 % in the LEXIMIN chances, before they were written" in english
    assert "Mayor desvío respecto de las probabilidades justas 7,14 %" in spanish
    assert (
        "Probabilidad más baja 42,86 % 50,00 % en las probabilidades LEXIMIN, antes de escribirlas" in spanish
    )
