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
from factories.federations_stored import stored_act
from factories.keys import keypair
from factories.records import signed
from factories.scenes import Clock
from factories.stored import log_in_as

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
    log_in_as(client, scene.alto.log, keypair(scene.delegate))  # at home: its key signs the vote
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
    # given the delegate logged in at home
    scene = mandated_federation(clock, checkpointed=True)
    log_in_as(client, scene.alto.log, keypair(scene.delegate))
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
    log_in_as(client, scene.alto.log, keypair(scene.delegate))
    # when
    page = client.get(_url("en", scene.log)).content.decode()
    # then
    [(_, body)] = FORM.findall(page)
    content = json.loads(html.unescape(body))
    assert content["choice"] == "abstain" and "mandate" not in content and len(content["cites"]) == 1
    assert "Abstain for our assembly" in page


def test_a_seated_delegate_is_named_as_their_home_names_them_and_by_key_where_it_is_not_held(
    client: Client, clock: Clock
) -> None:
    # given alto's delegate (alto held here) and bajo's (bajo not held) are seated in the federation
    scene = mandated_federation(clock, checkpointed=True)
    chair = read_state(scene.log, lambda s: s.member_assemblies[scene.bajo.log].seats[0].key)
    # when the federation's page names them (beside their seat and their vote)
    page = client.get(_url("es", scene.log), headers={"accept-language": "es"}).content.decode()
    # then alto's by their household in alto and alto's name, not by a fragment of their key; bajo's,
    # whose home this node cannot read, by the start of their key; nobody is called a former member
    assert '<bdi class="person__name" dir="auto">house-bea</bdi>' in page
    assert keypair(scene.delegate).public[:8] not in page.split("<form")[0]
    assert chair[:8] in page
    assert "person__former" not in page


@pytest.mark.parametrize(
    ("lang", "ours", "theirs"),
    [
        (
            "es",
            "Nuestra asamblea ya votó: «A favor», como dice nuestro mandato. Votó",
            "ya votó: «A favor», como dice su mandato. Votó",
        ),
        (
            "en",
            "Our assembly has cast its voice: “In favour”, as our mandate says. Cast by",
            "has cast its voice: “In favour”, as its mandate says. Cast by",
        ),
    ],
)
def test_once_our_voice_is_cast_the_page_says_how_instead_of_no_delegate_may_vote(
    client: Client, clock: Clock, lang: str, ours: str, theirs: str
) -> None:
    # given alto's delegate cast alto's mandated voice
    scene = mandated_federation(clock, checkpointed=True)
    home = Client()
    log_in_as(home, scene.alto.log, keypair(scene.delegate))
    [(_, body)] = FORM.findall(home.get(_url("en", scene.log)).content.decode())
    stored_act(scene.log, scene.delegate, "federation.voted", json.loads(html.unescape(body)))
    # when anyone reads the federation, and when the delegate does, logged in at home
    anyone = html.unescape(
        client.get(_url(lang, scene.log), headers={"accept-language": lang}).content.decode()
    )
    delegate = html.unescape(
        home.get(_url(lang, scene.log), headers={"accept-language": lang}).content.decode()
    )
    # then both read whose voice is cast, how and by whom, and not that no delegate may vote
    question = f'id="question-{scene.question}"'
    for page, words in ((anyone, theirs), (delegate, ours)):
        card = " ".join(page.split(question)[1].split("</li>")[0].split())
        assert words in card, card
        assert "house-bea" in card
        assert "federation.voted" not in card
        with translation.override(lang):
            assert translation.gettext(NOBODY) not in card
    assert f"Junta vecinal Villa Esperanza</bdi> {theirs}" in " ".join(anyone.split())


NOBODY = "No delegate whose assembly's record this node holds may vote on it now."


def test_an_outsider_is_offered_no_vote_and_is_not_told_no_delegate_may_vote(
    client: Client, clock: Clock
) -> None:
    # given alto's delegate seated and mandated, and a browser logged in nowhere
    scene = mandated_federation(clock, checkpointed=True)
    # when
    page = client.get(_url("es", scene.log), headers={"accept-language": "es"}).content.decode()
    # then the question is listed, with no vote to cast
    assert f'id="question-{scene.question}"' in page
    assert not FORM.findall(page) and "como dice nuestro mandato" not in html.unescape(page)
    card = page.split(f'id="question-{scene.question}"')[1].split("</li>")[0]
    assert "Ningún delegado cuya asamblea" not in card
