"""The federation's page offers a seated delegate whose home record this node holds the acts a member
of the federation takes (decision 0029): tabling a proposal, signed with the key kept for their home
assembly; the core's answer decides, so a founder who holds no seat is offered nothing, and the tabling
sent from the form's body is accepted on the pages' act route."""

import html
import json
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from ayllu.queries.federation_members import list_member_forms
from ayllu.queries.federations import get_federation
from factories.assemblies import T0, Assembly, decide
from factories.federations import (
    accredit,
    found_home,
    give_federation_cargo,
    household_of,
    office_content,
    seat_content,
)
from factories.federations_stored import (
    found_stored_federation,
    hold,
    homes_held_and_credential,
    office_scene,
    seated_federation,
    stored_act,
    stored_seat,
)
from factories.keys import keypair
from factories.records import signed
from factories.scenes import Clock
from factories.stored import log_in_as

TABLE = re.compile(r'<form[^>]*data-key-log="([0-9a-f]{64})"[^>]*data-type="proposal\.tabled"')


def _url(lang: str, log: str) -> str:
    with translation.override(lang):
        return reverse("web:federation_home", kwargs={"log": log})


@pytest.mark.parametrize(
    ("lang", "button"),
    [("es", "Presentar la propuesta en la federación"), ("en", "Table the proposal in the federation")],
)
def test_a_seated_delegate_is_offered_the_tabling_signed_with_the_home_key(
    client: Client, clock: Clock, lang: str, button: str
) -> None:
    # given alto's delegate seated in a federation founded here; alto's record held here; the delegate
    # logged in at home (the form is signed with the key this device keeps for alto)
    scene = seated_federation(clock)
    log_in_as(client, scene.alto.log, keypair(scene.delegate))
    # when
    page = client.get(_url(lang, scene.log), headers={"accept-language": lang}).content.decode()
    # then the tabling form names alto's record as the key's, and the delegate
    assert TABLE.findall(page) == [scene.alto.log]
    assert button in page and household_of(scene.alto, scene.delegate) in page


def test_an_outsider_sees_no_delegates_form_and_a_delegate_at_home_only_their_assemblys(
    client: Client, clock: Clock
) -> None:
    # given alto's and bajo's delegates seated, both homes held here
    scene = seated_federation(clock)
    other = give_federation_cargo(scene.bajo, scene.log)
    credential = accredit(scene.bajo, other, scene.log)
    clock.now = max(clock.now, scene.bajo.clock + 1000)
    hold(scene.bajo)
    stored_seat(scene.log, other, seat_content(scene.bajo, credential))
    held = {f.assembly for f in list_member_forms(scene.log, now=clock.now)}
    assert held == {scene.alto.log, scene.bajo.log}
    # when an outsider reads the federation's page
    with translation.override("es"):
        outsider = client.get(_url("es", scene.log), headers={"accept-language": "es"}).content.decode()
    # then no form signed with a member assembly's key is offered, nor the section that holds them
    assert "data-key-log" not in outsider
    assert "Presentar la propuesta en la federación" not in outsider
    assert "Actuar como miembro de la federación" not in outsider
    # when bajo's delegate logs in at home
    log_in_as(client, scene.bajo.log, keypair(other))
    page = client.get(_url("es", scene.log), headers={"accept-language": "es"}).content.decode()
    # then only bajo's forms are offered, signed with the key kept for bajo
    assert TABLE.findall(page) == [scene.bajo.log]
    assert set(re.findall(r'data-key-log="([0-9a-f]{64})"', page)) == {scene.bajo.log}


def test_nobody_is_offered_a_member_act_while_no_delegate_is_seated(client: Client, clock: Clock) -> None:
    # given a federation whose founders are on this node's homes but nobody took a seat
    _, _, fed, _, _ = homes_held_and_credential(clock)
    # then
    assert list_member_forms(fed, now=clock.now) == []
    assert not TABLE.findall(client.get(_url("en", fed)).content.decode())


def test_the_delegates_tabling_is_accepted_when_logged_in_at_home_and_an_unseated_members_refused(
    client: Client, clock: Clock
) -> None:
    scene = seated_federation(clock)
    content = {"matter": "ordinary", "title": "Agua para el distrito", "text": "", "effect": {}}

    def post(name: str) -> tuple[int, str]:
        log_in_as(client, scene.alto.log, keypair(name))  # at home: the federation has no login of theirs
        act, rule = signed(keypair(name), log=scene.log, type="proposal.tabled", content=content)
        payload = {"act": act.act.as_json(), "body": rule.raw.decode(), "asig": act.asig}
        if rule.words is not None:
            payload["words"] = rule.words.raw.decode()
        answer = client.post(
            f"/en/assembly/{scene.log}/acts/", json.dumps(payload), content_type="application/json"
        )
        return answer.status_code, answer.content.decode()

    # given a member of alto who holds no seat (ana founded the federation for alto, seat or not)
    other = next(n for n in ("ana", "bea", "carla") if n != scene.delegate)
    status, text = post(other)
    assert status >= 400 and "not_a_seated_delegate" in text
    # when alto's seated delegate sends it, it is in the federation's record
    status, text = post(scene.delegate)
    assert status in (200, 201), text


MEMBERSHIP_FORM = re.compile(
    r'<form[^>]*data-log="([0-9a-f]{64})"[^>]*data-type="(membership\.decided|federation\.membership_cited)"'
    r'[^>]*>\s*<input type="hidden" data-ayllu-body value="([^"]*)">'
)


def _leaving(clock: Clock, *, stated: bool) -> tuple[Assembly, str]:
    """Alto (held here, citable) and bajo found a federation here; alto decides to leave it (and states
    it when `stated`); bea, of alto, is logged in at home."""
    clock.now = max(clock.now, T0)
    alto, bajo = found_home(["ana", "bea", "carla"]), found_home(["dora", "eva", "flor"])
    fed = found_stored_federation({"ana": alto, "dora": bajo})
    decide(alto, "mandate", {"body": fed, "question": "membership:leave", "position": "yes"})
    if stated:
        alto.act("bea", "membership.decided", {"federation": fed, "action": "leave"})
    clock.now = max(clock.now, alto.clock + 1000)
    hold(alto, checkpoint=True)
    return alto, fed


@pytest.mark.parametrize(
    ("lang", "button"),
    [("es", "Dejar constar nuestra decisión de salir"), ("en", "State our decision to leave")],
)
def test_a_member_logged_in_at_home_is_offered_to_state_the_decision_to_leave(
    client: Client, clock: Clock, lang: str, button: str
) -> None:
    # given alto decided to leave, not stated yet; bea of alto logged in at home
    alto, fed = _leaving(clock, stated=False)
    log_in_as(client, alto.log, keypair("bea"))
    # when
    page = client.get(_url(lang, fed), headers={"accept-language": lang}).content.decode()
    # then the statement is offered, posted to alto's record
    [(log, kind, body)] = MEMBERSHIP_FORM.findall(page)
    assert (log, kind) == (alto.log, "membership.decided") and button in page
    assert json.loads(html.unescape(body)) == {"federation": fed, "action": "leave"}


def test_the_stated_decision_to_leave_is_offered_for_citing_and_taken_by_the_federation(
    client: Client, clock: Clock
) -> None:
    # given alto stated its decision to leave; bea of alto logged in at home
    alto, fed = _leaving(clock, stated=True)
    log_in_as(client, alto.log, keypair("bea"))
    [(log, kind, body)] = MEMBERSHIP_FORM.findall(client.get(_url("en", fed)).content.decode())
    assert (log, kind) == (fed, "federation.membership_cited")
    # when the offered body is signed and sent to the federation
    content = json.loads(html.unescape(body))
    act, rule = signed(keypair("bea"), log=fed, type="federation.membership_cited", content=content)
    payload = {"act": act.act.as_json(), "body": rule.raw.decode(), "asig": act.asig}
    if rule.words is not None:
        payload["words"] = rule.words.raw.decode()
    answer = client.post(f"/en/assembly/{fed}/acts/", json.dumps(payload), content_type="application/json")
    # then alto is no longer a member, and nothing is offered any more
    assert answer.status_code in (200, 201), answer.content
    federation = get_federation(fed, now=clock.now)
    assert federation is not None and alto.log not in {a.assembly for a in federation.assemblies}
    assert not MEMBERSHIP_FORM.findall(client.get(_url("en", fed)).content.decode())


UP_FORM = re.compile(
    r'<form[^>]*data-log="([0-9a-f]{64})" data-key-log="([0-9a-f]{64})" data-type="delegate\.accredited"'
    r'[^>]*>\s*<input type="hidden" data-ayllu-body value="([^"]*)">'
)
DISTRICT = "d" * 64


@pytest.mark.parametrize(
    ("lang", "button"),
    [
        ("es", "Emitir la credencial para la federación superior"),
        ("en", "Issue the credential for the higher federation"),
    ],
)
def test_the_holder_of_the_office_that_goes_up_is_offered_the_zones_credential_and_it_is_taken(
    client: Client, clock: Clock, lang: str, button: str
) -> None:
    # given a zone federation whose convenor represents it in a district; the assembly whose turn it is
    # named the holder, cited in
    scene = office_scene(clock, represents=DISTRICT)
    stored_act(scene.log, "lola", "federation.office_taken", office_content(scene.turn, scene.credential))
    # when the holder, logged in at home, reads the zone's page (an outsider is offered nothing)
    assert not UP_FORM.findall(Client().get(_url(lang, scene.log)).content.decode())
    log_in_as(client, scene.turn.log, keypair(scene.holder))
    page = client.get(_url(lang, scene.log), headers={"accept-language": lang}).content.decode()
    # then the credential for the district is offered, posted to the zone, signed with the home key
    [(log, key_log, body)] = UP_FORM.findall(page)
    assert (log, key_log) == (scene.log, scene.turn.log) and button in page
    content = json.loads(html.unescape(body))
    assert content["federation"] == DISTRICT
    # and sent by the holder, logged in at home, it is in the zone's record
    act, rule = signed(keypair(scene.holder), log=scene.log, type="delegate.accredited", content=content)
    payload = {"act": act.act.as_json(), "body": rule.raw.decode(), "asig": act.asig}
    if rule.words is not None:
        payload["words"] = rule.words.raw.decode()
    answer = client.post(
        f"/en/assembly/{scene.log}/acts/", json.dumps(payload), content_type="application/json"
    )
    assert answer.status_code in (200, 201), answer.content
    assert not UP_FORM.findall(client.get(_url("en", scene.log)).content.decode())
