"""The federation's page offers a delegate whose home record this node holds the seat their unused
credential would take, as a whole body signed with the key kept for their home assembly; the body is
accepted on the pages' act route, and the credential is offered no more once it seated them."""

import html
import json
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from ayllu.queries.federations import get_federation
from factories.federation_votes_stored import credential_ready
from factories.keys import keypair, pub
from factories.records import signed
from factories.scenes import Clock
from factories.stored import log_in_as

FORM = re.compile(r'<form[^>]*data-key-log="([0-9a-f]{64})"[^>]*data-type="federation\.seated"[^>]*>\s*'
                  r'<input type="hidden" data-ayllu-body value="([^"]*)">')  # fmt: skip


def _url(lang: str, log: str) -> str:
    with translation.override(lang):
        return reverse("web:federation_home", kwargs={"log": log})


@pytest.mark.parametrize(("lang", "button"), [("es", "Ocupar mi lugar"), ("en", "Take my seat")])
def test_a_credential_not_yet_cited_is_offered_as_a_seat_signed_with_the_home_key(
    client: Client, clock: Clock, lang: str, button: str
) -> None:
    # given the delegate logged in at home (their forms are signed with the key kept for it)
    alto, fed, delegate = credential_ready(clock)
    log_in_as(client, alto.log, keypair(delegate))
    # when
    page = client.get(_url(lang, fed), headers={"accept-language": lang}).content.decode()
    # then
    [(key_log, body)] = FORM.findall(page)
    assert key_log == alto.log and button in page and pub(delegate)[:8] in page
    assert json.loads(html.unescape(body))["assembly"] == alto.log


def test_the_offered_seat_is_accepted_on_the_act_route_and_then_no_longer_offered(
    client: Client, clock: Clock
) -> None:
    # given
    alto, fed, delegate = credential_ready(clock)
    log_in_as(client, alto.log, keypair(delegate))
    [(_, body)] = FORM.findall(client.get(_url("en", fed)).content.decode())
    content = json.loads(html.unescape(body))
    act, rule = signed(keypair(delegate), log=fed, type="federation.seated", content=content)
    payload = {"act": act.act.as_json(), "body": rule.raw.decode(), "asig": act.asig}
    if rule.words is not None:
        payload["words"] = rule.words.raw.decode()
    # when
    answer = client.post(f"/en/assembly/{fed}/acts/", json.dumps(payload), content_type="application/json")
    # then
    assert answer.status_code in (200, 201), answer.content
    federation = get_federation(fed, now=clock.now)
    assert federation is not None
    members = {a.assembly: a for a in federation.assemblies}
    assert members[alto.log].standing == 1
    assert not FORM.findall(client.get(_url("en", fed)).content.decode())


def test_an_outsider_is_offered_no_seat(client: Client, clock: Clock) -> None:
    # given a credential ready, and a browser logged in nowhere
    _, fed, _ = credential_ready(clock)
    # when
    page = client.get(_url("es", fed), headers={"accept-language": "es"}).content.decode()
    # then
    assert not FORM.findall(page) and "Ocupar mi lugar" not in page
