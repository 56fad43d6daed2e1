"""A federation's minute-keeper on its minutes page: a seated delegate given the cargo by the federation's
decision, logged in at home, is offered the note form signed with the key their device keeps for that
home (data-key-log), and the core takes the note; an outsider and another delegate are offered none."""

import html as entities
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from ayllu.actions.record import node_keypair
from ayllu.queries.replayed import read_state
from factories.assemblies import Assembly
from factories.federation_recall import minutes_scene
from factories.federations_stored import hold
from factories.keys import keypair
from factories.records import signed
from factories.scenes import Clock
from factories.stored import log_in_as

from .test_form_walk import act_forms, body_of

NOTE = "minutes.note_added"
Scene = tuple[list[Assembly], Assembly, dict[str, str], int]


@pytest.fixture
def scene(clock: Clock) -> Scene:
    """Alto, bajo and sur held here; the federation (sealed here) gave its minute-keeper cargo to bajo's
    delegate and its convenor cargo to alto's, who convened a meeting."""
    homes, fed, names, meeting = minutes_scene(node=node_keypair())
    for home in homes:
        hold(home, checkpoint=True)
    hold(fed)
    clock.now = max(clock.now, fed.clock + 1000)
    return homes, fed, names, meeting


def _minutes(client: Client, log: str, meeting: int, lang: str) -> str:
    with translation.override(lang):
        url = reverse("web:minutes", kwargs={"log": log, "meeting_id": meeting})
    answer = client.get(url, headers={"accept-language": lang})
    assert answer.status_code == 200
    return entities.unescape(answer.content.decode())


def _send(client: Client, log: str, who: str, content: dict[str, Any]) -> Any:
    act_, body_ = signed(keypair(who), log=log, type=NOTE, content=content)
    payload: dict[str, Any] = {"act": act_.act.as_json(), "body": body_.raw.decode(), "asig": act_.asig}
    if body_.words is not None:
        payload["words"] = body_.words.raw.decode()
    return client.post(f"/en/assembly/{log}/acts/", payload, content_type="application/json")


@pytest.mark.parametrize(("lang", "label"), [("es", "Agregar la nota"), ("en", "Add the note")])
def test_the_federations_minute_keeper_logged_in_at_home_adds_a_note_the_core_takes(
    scene: Scene, lang: str, label: str
) -> None:
    homes, fed, names, meeting = scene
    keeper = Client()
    log_in_as(keeper, homes[1].log, keypair(names["bajo"]))
    # when the minute-keeper reads the federation's minutes at home
    page = _minutes(keeper, fed.log, meeting, lang)
    # then they are offered the note, signed with the key their device keeps for bajo
    [form] = [f for f in act_forms(page) if f["type"] == NOTE]
    assert f'data-key-log="{homes[1].log}" data-type="{NOTE}"' in page
    assert label in page
    # and the core takes it, signed by them
    content = {**body_of(form), "text": "Se acordó el paro"}
    answer = _send(keeper, fed.log, names["bajo"], content)
    assert answer.status_code == 200, answer.json()
    notes = read_state(fed.log, lambda s: [(n["member"], n["seq"]) for n in s.meetings[meeting].notes])
    assert notes == [(keypair(names["bajo"]).public, answer.json()["seq"])]


def test_an_outsider_and_a_delegate_without_the_cargo_are_offered_no_note(scene: Scene) -> None:
    homes, fed, names, meeting = scene
    other = Client()
    log_in_as(other, homes[0].log, keypair(names["alto"]))  # the convenor, not the minute-keeper
    for client in (Client(), other):
        page = _minutes(client, fed.log, meeting, "en")
        assert NOTE not in {f["type"] for f in act_forms(page)}
