"""Recall reaching the federation through the pages: the home's mandates page offers members the form
that states a recall its rules decided, and the federation's page offers anyone holding a key of that
assembly the citation of a stated recall, as a whole body the core accepts."""

import html
import json
import re

from django.test import Client
from django.urls import reverse
from django.utils import translation

from ayllu.queries.federations import get_federation
from factories.federation_votes_stored import recalled_delegate
from factories.keys import keypair
from factories.records import signed
from factories.scenes import Clock
from factories.stored import log_in_as

FORM = re.compile(
    r'<form[^>]*data-key-log="([0-9a-f]{64})"[^>]*data-type="federation\.recall_cited"[^>]*>\s*'
    r'<input type="hidden" data-ayllu-body value="([^"]*)">'
)


def _url(name: str, lang: str, log: str) -> str:
    with translation.override(lang):
        return reverse(f"web:{name}", kwargs={"log": log})


def test_a_member_is_offered_the_form_that_states_the_recall_for_the_federation(
    client: Client, clock: Clock
) -> None:
    # given alto recalled its delegate and nobody stated it yet
    alto, _, delegate = recalled_delegate(clock, stated=False)
    member = next(n for n in ("ana", "bea", "carla") if n != delegate)
    # when
    log_in_as(client, alto.log, keypair(member))
    page = client.get(_url("mandates", "es", alto.log), headers={"accept-language": "es"}).content.decode()
    # then
    assert 'data-type="delegate.withdrawn"' in page and "Declarar la revocatoria ante la federación" in page


def test_anyone_cites_a_stated_recall_from_the_federation_page_and_the_seat_ends(
    client: Client, clock: Clock
) -> None:
    # given a recall stated; an outsider is offered no form signed with alto's key
    alto, fed, delegate = recalled_delegate(clock, stated=True)
    assert not FORM.findall(Client().get(_url("federation_home", "en", fed)).content.decode())
    # and another member of alto, logged in at alto, is
    member = next(n for n in ("ana", "bea", "carla") if n != delegate)
    log_in_as(client, alto.log, keypair(member))
    page = client.get(_url("federation_home", "en", fed)).content.decode()
    [(key_log, body)] = FORM.findall(page)
    assert key_log == alto.log and "Cite the recall" in page
    # when they sign and send it
    act, rule = signed(
        keypair(member), log=fed, type="federation.recall_cited", content=json.loads(html.unescape(body))
    )
    payload = {"act": act.act.as_json(), "body": rule.raw.decode(), "asig": act.asig}
    if rule.words is not None:
        payload["words"] = rule.words.raw.decode()
    answer = client.post(f"/en/assembly/{fed}/acts/", json.dumps(payload), content_type="application/json")
    # then
    assert answer.status_code in (200, 201), answer.content
    federation = get_federation(fed, now=clock.now)
    assert federation is not None
    assert {a.assembly: a.standing for a in federation.assemblies}[alto.log] == 0
    assert not FORM.findall(client.get(_url("federation_home", "en", fed)).content.decode())
