"""A recall petition against a federation's cargo holder from the browser (decision 0033): a seated
delegate logged in at home is offered the forms to open and sign it, signed with the key their device
keeps for that home (data-key-log), the page counts member assemblies, and an outsider sees no form."""

import html as entities
import json
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext

from ayllu.actions.record import node_keypair
from factories.assemblies import Assembly
from factories.federation_recall import PETITIONED, SIGNED, petition_content, treasurer_scene
from factories.federations import state_mandate, vote_by_delegates
from factories.federations_stored import hold, stored_act
from factories.keys import keypair, pub
from factories.records import signed
from factories.scenes import Clock
from factories.stored import log_in_as

from .test_form_walk import act_forms, body_of

VOTE_BODY = re.compile(
    r'data-type="federation\.voted"[^>]*>\s*<input type="hidden" data-ayllu-body value="([^"]*)">'
)
MOVE_ONE = "Its one member assembly, through one endorsement."
MOVE_MANY = "More than half of the %(shown)s member assemblies, one endorsement each."


@pytest.fixture
def scene(clock: Clock) -> tuple[list[Assembly], Assembly, dict[str, str]]:
    """Alto, bajo and sur held here; the federation (sealed here) gave its treasurer cargo to bajo's
    delegate; a petition needs two member assemblies."""
    homes, fed, names = treasurer_scene(node=node_keypair())
    for home in homes:
        hold(home, checkpoint=True)
    hold(fed)
    clock.now = max(clock.now, fed.clock + 1000)
    return homes, fed, names


def _read(client: Client, name: str, log: str, query: str = "") -> str:
    with translation.override("es"):
        url = reverse(f"web:{name}", kwargs={"log": log}) + query
    return client.get(url, headers={"accept-language": "es"}).content.decode()


def _new_page(client: Client, log: str, holder: str) -> str:
    return _read(client, "new_recall", log, f"?cargo=tesorero&miembro={pub(holder)}")


def _send(client: Client, log: str, who: str, form: dict[str, Any]) -> Any:
    body = body_of(form)
    act_, body_ = signed(keypair(who), log=log, type=form["type"], content=body)
    payload: dict[str, Any] = {"act": act_.act.as_json(), "body": body_.raw.decode(), "asig": act_.asig}
    if body_.words is not None:
        payload["words"] = body_.words.raw.decode()
    return client.post(f"/en/assembly/{log}/acts/", payload, content_type="application/json")


def _form(html: str, kind: str) -> dict[str, Any]:
    (found,) = [f for f in act_forms(html) if f["type"] == kind]
    return found


def test_a_delegate_at_home_opens_a_petition_and_two_assemblies_complete_it(
    scene: tuple[list[Assembly], Assembly, dict[str, str]],
) -> None:
    homes, fed, names = scene
    alto, alto_2, sur = Client(), Client(), Client()
    log_in_as(alto, homes[0].log, keypair(names["alto"]))
    log_in_as(alto_2, homes[0].log, keypair(names["alto_2"]))
    log_in_as(sur, homes[2].log, keypair(names["sur"]))
    # the recall page offers alto's delegate to ask to recall the treasurer
    html = _read(alto, "recall", fed.log)
    assert "Un delegado acreditado de cualquier asamblea miembro puede pedir la revocatoria" in html
    # and the new petition's page offers the form, signed with alto's key
    html = _new_page(alto, fed.log, names["bajo"])
    form = _form(html, "recall.petitioned")
    assert f'data-key-log="{homes[0].log}" data-type="recall.petitioned"' in html
    assert body_of(form)["member"] == pub(names["bajo"])
    answer = _send(alto, fed.log, names["alto"], form)
    assert answer.status_code == 200, answer.json()
    # one member assembly of the two needed; alto's second delegate may sign, and it adds nothing
    html = _read(alto_2, "recall", fed.log)
    assert "Firmada por 1 de 2 asambleas miembro" in html
    assert f'data-key-log="{homes[0].log}" data-type="recall.signed"' in html
    answer = _send(alto_2, fed.log, names["alto_2"], _form(html, "recall.signed"))
    assert answer.status_code == 200, answer.json()
    html = _read(alto, "recall", fed.log)
    assert "Firmada por 1 de 2 asambleas miembro" in html and "Usted firmó" in html
    assert "recall.signed" not in {f["type"] for f in act_forms(html)}
    # when sur's delegate signs from sur, the petition is complete and the member assemblies vote
    html = _read(sur, "recall", fed.log)
    assert f'data-key-log="{homes[2].log}" data-type="recall.signed"' in html
    answer = _send(sur, fed.log, names["sur"], _form(html, "recall.signed"))
    assert answer.status_code == 200, answer.json()
    html = _read(sur, "recall", fed.log)
    assert "Firmada por" not in html and "recall.signed" not in {f["type"] for f in act_forms(html)}
    assert not act_forms(html)  # its question is the member assemblies', voted under their mandates


def test_an_outsider_and_the_holder_see_no_form(
    scene: tuple[list[Assembly], Assembly, dict[str, str]],
) -> None:
    homes, fed, names = scene
    # an outsider, and a member of alto without a seat logged in at alto, see the rule and no form
    seatless = Client()
    log_in_as(seatless, homes[0].log, keypair("ana"))  # founded the federation, holds no seat
    for client in (Client(), seatless):
        html = _read(client, "recall", fed.log)
        assert "Un delegado acreditado de cualquier asamblea miembro" in html
        assert "Los delegados acreditados abren y firman" in html
        assert not act_forms(html)
        assert not act_forms(_new_page(client, fed.log, names["bajo"]))
    # the holder does not ask to recall themselves
    holder = Client()
    log_in_as(holder, homes[1].log, keypair(names["bajo"]))
    assert not act_forms(_new_page(holder, fed.log, names["bajo"]))


def _card(page: str, question: int) -> str:
    return " ".join(entities.unescape(page).split(f'id="question-{question}"')[1].split("</li>")[0].split())


def test_the_recall_question_is_voted_on_the_federation_page_and_the_recall_page_links_there(
    clock: Clock,
) -> None:
    # given a petition alto and sur completed; alto mandated "yes" at home, sur's delegate voted "no"
    homes, fed, names = treasurer_scene(node=node_keypair())
    petition = fed.act(names["alto"], PETITIONED, petition_content(names["bajo"])).seq
    question = fed.act(names["sur"], SIGNED, {"petition": petition}).seq
    state_mandate(homes[0], fed.log, question, "yes")
    vote_by_delegates(fed, [homes[2]], question, "no")
    for home in homes:
        hold(home, checkpoint=True)
    hold(fed)
    clock.now = fed.clock + 1000
    alto = Client()
    log_in_as(alto, homes[0].log, keypair(names["alto"]))
    # when anyone reads the federation's page, the question is among its open questions, named as the
    # recall it is, with the holder, sur's voice and how it was cast, and a link to the petition
    card = _card(_read(Client(), "federation_home", fed.log), question)
    assert f"Revocatoria del cargo de tesorero: pregunta {question} de la federación" in card
    assert "data-ayllu-recall-holder>Titular del cargo: <" in card  # the label, then the holder
    assert "Esta revocatoria la deciden las asambleas miembro" in card
    assert "ya votó: «En contra», como dice su mandato." in card
    with translation.override("es"):
        recall_url = reverse("web:recall", kwargs={"log": fed.log})
    assert f'class="more" href="{recall_url}#peticion-{petition}">La petición y su razón</a>' in card
    assert "federation.voted" not in card
    # and alto's delegate, logged in at home, is offered alto's mandated voice, signed with alto's key
    card = _card(_read(alto, "federation_home", fed.log), question)
    assert "Votar «A favor», como dice nuestro mandato" in card
    assert f'data-key-log="{homes[0].log}" data-type="federation.voted"' in card
    # when the recall page is read, it says the member assemblies vote there, and links to the question
    page = _read(alto, "recall", fed.log)
    assert "Las asambleas miembro están votando" in page
    assert "Votaron 1 de 3 asambleas miembro; hasta el" in page
    with translation.override("es"):
        federation_url = reverse("web:federation_home", kwargs={"log": fed.log})
    assert (
        f'href="{federation_url}#question-{question}">Ver la votación en la página de la federación' in page
    )
    assert not act_forms(page)  # no ballot of its own: the question is the member assemblies'
    # when alto's delegate casts the voice the federation's page offers
    [body] = VOTE_BODY.findall(_read(alto, "federation_home", fed.log))
    stored_act(fed.log, names["alto"], "federation.voted", json.loads(entities.unescape(body)))
    # then both pages count it
    assert "Nuestra asamblea ya votó: «A favor», como dice nuestro mandato." in _card(
        _read(alto, "federation_home", fed.log), question
    )
    assert "Votaron 2 de 3 asambleas miembro" in _read(Client(), "recall", fed.log)
    with translation.override("en"):
        english = Client().get(reverse("web:recall", kwargs={"log": fed.log})).content.decode()
    assert "2 of 3 member assemblies have voted" in english and "See the vote on the federation" in english
    with translation.override("en"):
        english = Client().get(reverse("web:federation_home", kwargs={"log": fed.log})).content.decode()
    card = _card(english, question)
    assert f"Recall from the cargo tesorero: question {question} of the federation" in card
    assert "data-ayllu-recall-holder>Holder of the cargo: <" in card


def test_a_federation_of_one_member_assembly_reads_naturally_on_the_move_page() -> None:
    with translation.override("es"):
        one = ngettext(MOVE_ONE, MOVE_MANY, 1) % {"shown": 1}
        two = ngettext(MOVE_ONE, MOVE_MANY, 2) % {"shown": 2}
    assert (one, two) == (
        "Su única asamblea miembro, con un respaldo.",
        "Más de la mitad de las 2 asambleas miembro, un respaldo por asamblea.",
    )
