"""The federation's page offers a seated delegate, on each open question, the vote their assembly's stated
mandate allows (or an abstention), as a whole body signed with the key kept for their home assembly; the
body it offers is accepted on the pages' act route, and nothing is offered once the voice is cast."""

import html
import json
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from ayllu.queries.replayed import read_state
from factories.federation_votes_stored import mandated_federation
from factories.keys import keypair
from factories.records import signed
from factories.scenes import Clock

FORM = re.compile(r'<form[^>]*data-key-log="([0-9a-f]{64})"[^>]*data-type="federation\.voted"[^>]*>\s*'
                  r'<input type="hidden" data-ayllu-body value="([^"]*)">')  # fmt: skip


def _url(lang: str, log: str) -> str:
    with translation.override(lang):
        return reverse("web:federation_home", kwargs={"log": log})


@pytest.mark.parametrize(
    ("lang", "button"),
    [("es", "Votar «A favor», como dice nuestro mandato"), ("en", "Vote “In favour”, as our mandate says")],
)
def test_a_seated_delegate_is_offered_the_mandated_vote_signed_with_the_home_key(
    client: Client, clock: Clock, lang: str, button: str
) -> None:
    # given alto's delegate is seated and alto stated its mandate "yes"; alto's record is held here
    scene = mandated_federation(clock, checkpointed=True)
    # when
    page = client.get(_url(lang, scene.log), headers={"accept-language": lang}).content.decode()
    # then the form signs with alto's key and carries the whole body the core would accept
    [(key_log, body)] = FORM.findall(page)
    assert key_log == scene.alto.log and button in html.unescape(page), re.findall(r"Vot[^<]*", page)
    content = json.loads(html.unescape(body))
    assert (content["question"], content["choice"], len(content["cites"])) == (scene.question, "yes", 2)


def test_the_offered_body_is_accepted_on_the_act_route_and_then_no_longer_offered(
    client: Client, clock: Clock
) -> None:
    # given
    scene = mandated_federation(clock, checkpointed=True)
    [(_, body)] = FORM.findall(client.get(_url("en", scene.log)).content.decode())
    act, rule = signed(
        keypair(scene.delegate),
        log=scene.log,
        type="federation.voted",
        content=json.loads(html.unescape(body)),
    )
    payload = {"act": act.act.as_json(), "body": rule.raw.decode(), "asig": act.asig}
    if rule.words is not None:
        payload["words"] = rule.words.raw.decode()
    # when the delegate's browser sends it
    answer = client.post(
        f"/en/assembly/{scene.log}/acts/", json.dumps(payload), content_type="application/json"
    )
    # then
    assert answer.status_code in (200, 201), answer.content
    assert read_state(scene.log, lambda s: dict(s.questions[scene.question].votes)) == {scene.alto.log: "yes"}
    assert not FORM.findall(client.get(_url("en", scene.log)).content.decode())


def test_without_a_stated_mandate_the_delegate_is_offered_only_to_abstain(
    client: Client, clock: Clock
) -> None:
    # given alto decided a mandate but did not state it for the federation
    scene = mandated_federation(clock, stated=False, checkpointed=True)
    # when
    page = client.get(_url("en", scene.log)).content.decode()
    # then
    [(_, body)] = FORM.findall(page)
    content = json.loads(html.unescape(body))
    assert content["choice"] == "abstain" and "mandate" not in content and len(content["cites"]) == 1
    assert "Abstain for our assembly" in page


def test_a_seated_delegate_is_named_by_key_and_never_called_a_former_member(
    client: Client, clock: Clock
) -> None:
    # given alto's delegate is seated in the federation, whose record they never were a member of
    scene = mandated_federation(clock, checkpointed=True)
    # when the federation's page names them (beside their seat and their vote)
    page = client.get(_url("es", scene.log), headers={"accept-language": "es"}).content.decode()
    # then by the start of their key, and nothing says they left a membership they never held
    assert keypair(scene.delegate).public[:8] in page
    assert "person__former" not in page
