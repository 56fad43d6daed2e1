"""A federation's record moves from the browser (decision 0033): its seated delegates, logged in at their
own assembly, endorse the move signing with the key their device keeps there (data-key-log), the page
counts member assemblies, and once more than half of them endorsed a delegate signs `record.moved`."""

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from ayllu.core.ledger.succession import endorse_move
from ayllu.queries.replayed import read_state
from ayllu.storage import models
from factories.federation_move import seated_pair
from factories.federations import accredit, found_home, give_federation_cargo, seat_content
from factories.federations_stored import found_stored_federation, hold, stored_seat
from factories.keys import keypair
from factories.records import signed
from factories.scenes import Clock
from factories.stored import log_in_as

from .test_form_walk import act_forms

NEW_NODE = keypair("new-node").public


@pytest.fixture
def federation(clock: Clock) -> dict[str, str]:
    return seated_pair(clock)


def _page(log: str) -> str:
    with translation.override("es"):
        return reverse("web:record_move", kwargs={"log": log})


def _head(log: str) -> str:
    return str(models.Record.objects.get(log=log).head_hash)


def _endorse(client: Client, fed: str, who: str) -> Any:
    sig = endorse_move(keypair(who), log=fed, node=NEW_NODE, after=_head(fed))["sig"]
    payload = {"node": NEW_NODE, "after": _head(fed), "sig": sig}
    return client.post(_page(fed), payload, content_type="application/json")


def _read(client: Client, fed: str) -> str:
    return client.get(_page(fed), headers={"accept-language": "es"}).content.decode()


def test_a_delegate_logged_in_at_home_endorses_the_federations_move(
    client: Client, federation: dict[str, str]
) -> None:
    fed = federation["fed"]
    # given alto's delegate logged in at alto
    log_in_as(client, federation["alto"], keypair(federation["alto_delegate"]))
    # the page offers the endorsement signed with alto's key, and counts member assemblies
    html = _read(client, fed)
    assert f'data-ayllu-move data-log="{fed}" data-key-log="{federation["alto"]}"' in html
    assert "Más de la mitad de las 2 asambleas miembro" in html
    # when they endorse
    answer = _endorse(client, fed, federation["alto_delegate"])
    # then the node keeps it under their key, and it is one member assembly of the two needed
    assert answer.status_code == 200, answer.json()
    [kept] = models.MoveEndorsement.objects.filter(log=fed, node=NEW_NODE)
    assert kept.member == kept.key == keypair(federation["alto_delegate"]).public
    html = _read(client, fed)
    assert "1 asamblea miembro de las 2 necesarias" in html
    assert "record.moved" not in {f["type"] for f in act_forms(html)}


def test_with_both_assemblies_a_delegate_signs_the_move_with_the_home_key_and_the_record_moves(
    federation: dict[str, str],
) -> None:
    fed = federation["fed"]
    alto, bajo = Client(), Client()
    log_in_as(alto, federation["alto"], keypair(federation["alto_delegate"]))
    log_in_as(bajo, federation["bajo"], keypair(federation["bajo_delegate"]))
    assert _endorse(alto, fed, federation["alto_delegate"]).status_code == 200
    assert _endorse(bajo, fed, federation["bajo_delegate"]).status_code == 200
    # when bajo's delegate reads the page, it offers the move signed with bajo's key
    html = _read(bajo, fed)
    assert "2 asambleas miembro de las 2 necesarias" in html
    (form,) = [f for f in act_forms(html) if f["type"] == "record.moved"]
    assert f'data-key-log="{federation["bajo"]}" data-type="record.moved"' in html
    body = json.loads(next(f["value"] for f in form["fields"] if "data-ayllu-body" in f))
    assert (body["node"], len(body["endorsements"])) == (NEW_NODE, 2)
    # and signing it on the act route moves the federation's record
    act_, body_ = signed(keypair(federation["bajo_delegate"]), log=fed, type="record.moved", content=body)
    assert body_.words is not None
    payload = {
        "act": act_.act.as_json(),
        "body": body_.raw.decode(),
        "words": body_.words.raw.decode(),
        "asig": act_.asig,
    }
    answer = bajo.post(f"/en/assembly/{fed}/acts/", payload, content_type="application/json")
    assert answer.status_code == 200, answer.json()
    assert read_state(fed, lambda state: state.node) == NEW_NODE


def test_a_founder_without_a_seat_and_a_stranger_may_not_endorse(federation: dict[str, str]) -> None:
    fed = federation["fed"]
    founder = Client()
    log_in_as(founder, federation["alto"], keypair("ana"))  # founded the federation, holds no seat
    html = _read(founder, fed)
    assert "data-ayllu-move data-log" not in html
    assert "Los delegados acreditados respaldan un traslado entrando por su propia asamblea" in html
    answer = _endorse(founder, fed, "ana")
    assert (answer.status_code, answer.json()["code"]) == (403, "not_a_member")
    answer = _endorse(Client(), fed, "ana")
    assert (answer.status_code, answer.json()["code"]) == (403, "login_required")
    assert not models.MoveEndorsement.objects.filter(log=fed).exists()


def test_with_one_member_assembly_the_count_reads_the_only_one_needed(clock: Clock) -> None:
    # given a federation of one member assembly, which seated its delegate
    home = found_home(["ana", "bea", "carla"])
    fed = found_stored_federation({"ana": home})
    delegate = give_federation_cargo(home, fed)
    credential = accredit(home, delegate, fed)
    clock.now = max(clock.now, home.clock + 1000)
    hold(home, checkpoint=True)
    stored_seat(fed, delegate, seat_content(home, credential))
    client = Client()
    log_in_as(client, home.log, keypair(delegate))
    # when its delegate endorses a move
    assert _endorse(client, fed, delegate).status_code == 200
    # then the page says the only assembly needed endorsed it, not "1 ... of the 1 needed"
    html = _read(client, fed)
    assert "Respaldado por la única asamblea miembro necesaria" in html
    assert "de las 1 necesarias" not in html
