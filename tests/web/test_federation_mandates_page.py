"""The home assembly's mandates page, for a federation this node holds: what we mandated on each of the
federation's questions beside how our delegates cast our voice there, and the form that states a mandate
for the federation (offered as the core answers), in Spanish and English."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from ayllu.core.ledger.record import sign_act
from ayllu.core.proposals.questions import fitting_choice
from ayllu.queries.replayed import read_state
from ayllu.storage import models
from factories.assemblies import decide
from factories.federation_votes_stored import MandatedFederation, mandated_federation
from factories.federations import found_federation, found_home, give_federation_cargo
from factories.federations_stored import hold, stored_act
from factories.keys import keypair, pub
from factories.records import act_body
from factories.scenes import Clock
from factories.stored import log_in_as


def _url(name: str, lang: str, **kwargs: object) -> str:
    with translation.override(lang):
        return reverse(f"web:{name}", kwargs=kwargs)


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("es", ("Pregunta", "de la federación", "Nuestro mandato:", "Nuestro voto allí:")),
        ("en", ("Question", "of the federation", "We mandated:", "Our voice there:")),
    ],
)
def test_the_home_shows_how_our_delegates_voted_beside_what_we_mandated(
    client: Client, clock: Clock, lang: str, words: tuple[str, ...]
) -> None:
    # given alto's delegate cast alto's voice in the federation, citing the mandate
    scene: MandatedFederation = mandated_federation(clock)
    stored_act(scene.log, scene.delegate, "federation.voted", scene.vote("yes"))
    # when
    page = client.get(_url("mandates", lang, log=scene.alto.log), headers={"accept-language": lang})
    # then
    text = page.content.decode()
    assert page.status_code == 200
    for expected in words:
        assert expected in text
    assert f"{scene.question} " in text and pub(scene.delegate)[:8] in text
    assert _url("record_entry_citation", lang, log=scene.alto.log, seq=scene.mandate.seq) in text
    assert "card--alert" not in text.split(words[1])[1].split("</li>")[0]


@pytest.mark.parametrize(
    ("lang", "position", "said"),
    [
        ("es", "yes", "A favor"),
        ("es", "no", "En contra"),
        ("es", "abstain", "Abstención"),
        ("en", "yes", "In favour"),
        ("en", "abstain", "Abstain"),
    ],
)
def test_a_federation_mandates_position_reads_as_its_word_not_its_ballot_code(
    client: Client, clock: Clock, lang: str, position: str, said: str
) -> None:
    # given alto mandated `position` on the federation's question, and its delegate voted that way
    scene = mandated_federation(clock, position=position)
    stored_act(scene.log, scene.delegate, "federation.voted", scene.vote(position))
    log_in_as(client, scene.alto.log, keypair("bea"))
    # when a member reads the mandates page
    page = client.get(_url("mandates", lang, log=scene.alto.log), headers={"accept-language": lang})
    text = page.content.decode()
    # then every place that shows the position says its word: what we mandated, the assembly's mandates
    # and the vote our delegate cast
    mandated = {"es": "Nuestro mandato: <strong>", "en": "We mandated: <strong>"}[lang]
    on_question = {"es": "Sobre «{}»: <strong>", "en": "On “{}”: <strong>"}[lang].format(scene.question)
    assert f"{mandated}{said}</strong>" in text
    assert f"{on_question}{said}</strong>" in text
    assert f"<strong>{position}</strong>" not in text
    assert f"“{position}”" not in text and f"«{position}»" not in text


def test_a_decided_mandate_not_yet_stated_offers_members_the_form_to_state_it(
    client: Client, clock: Clock
) -> None:
    # given alto decided its mandate but nobody stated it for the federation yet
    scene = mandated_federation(clock, stated=False)
    url = _url("mandates", "en", log=scene.alto.log)
    # when
    anonymous = client.get(url).content.decode()
    log_in_as(client, scene.alto.log, keypair("bea"))
    member = client.get(url).content.decode()
    # then
    assert "Our delegates have not voted on it yet." in member
    assert 'data-type="delegate.mandated"' in member and "State the mandate for the federation" in member
    assert f'name="body.question" value="{scene.question}"' in member
    assert 'data-type="delegate.mandated"' not in anonymous


# --- the form that proposes a mandate on a federation's question ------------------------------------


def _propose_form(page: str) -> str:
    """The propose-a-mandate form of the page (the first one: alto is represented in one body)."""
    return page.split('data-type="proposal.tabled"')[1].split("</form>")[0]


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("es", ("Pregunta de la federación", "A favor", "En contra", "Abstención")),
        ("en", ("Question of the federation", "In favour", "Against", "Abstain")),
    ],
)
def test_the_mandate_form_offers_the_federations_open_questions_and_the_positions_that_fit(
    client: Client, clock: Clock, lang: str, words: tuple[str, ...]
) -> None:
    # given a federation held here with an open majority question, "Tarifa del agua"
    scene = mandated_federation(clock)
    log_in_as(client, scene.alto.log, keypair("bea"))
    # when
    with translation.override(lang):
        page = client.get(_url("mandates", lang, log=scene.alto.log), headers={"accept-language": lang})
    form = _propose_form(page.content.decode())
    # then: the question by its number and title, the positions in words, their values the ballot codes
    for expected in words:
        assert expected in form
    assert f'<option value="{scene.question}" data-positions="yes no abstain">' in form
    assert "Tarifa del agua" in form
    for code in ("yes", "no", "abstain"):
        assert f'<option value="{code}">' in form
    for code in ("consent", "agree", "stand_aside", "block"):
        assert f'<option value="{code}">' not in form
    assert 'data-ayllu-effect="position"' in form and "data-ayllu-ballot-codes" not in form


def test_without_the_federations_record_the_form_explains_what_to_type(client: Client, clock: Clock) -> None:
    # given alto (held here) is represented in a federation whose record this node does not hold
    alto, bajo = found_home(["ana", "bea", "carla"]), found_home(["dora", "eva", "flor"])
    fed = found_federation({"ana": alto, "dora": bajo}).log
    give_federation_cargo(alto, fed)
    clock.now = max(clock.now, alto.clock + 1000)
    hold(alto)
    log_in_as(client, alto.log, keypair("bea"))
    # when
    with translation.override("es"):
        page = client.get(_url("mandates", "es", log=alto.log), headers={"accept-language": "es"})
    text = page.content.decode()
    form = _propose_form(text)
    # then: typed fields, explained in Spanish, checked before signing against the ballot codes
    assert "Número de la pregunta de la federación" in form
    assert 'data-ayllu-ballot-codes="yes no abstain consent agree stand_aside"' in form
    assert "<code>yes</code> (A favor)" in form
    assert 'data-msg="not_a_ballot_code">La federación no lee esta posición' in text


def _post_mandate(
    client: Client, scene: MandatedFederation, effect: dict[str, str], lang: str, *, api: bool = False
) -> object:
    """Bea's signed proposal of a mandate with `effect`, sent to the pages' act route or the API's."""
    content = {"matter": "mandate", "title": "Mandato", "text": "", "effect": effect}
    body = act_body("proposal.tabled", content, vis="public")
    assert body.words is not None
    signed = sign_act(keypair("bea"), log=scene.alto.log, type="proposal.tabled", body=body, nonce="m-1")
    payload = {"act": signed.act.as_json(), "body": body.raw.decode(), "words": body.words.raw.decode()}
    payload["asig"] = signed.asig
    url = f"/api/assemblies/{scene.alto.log}/acts" if api else _url("submit_act", lang, log=scene.alto.log)
    return client.post(url, payload, content_type="application/json", headers={"accept-language": lang})


def test_the_forms_values_are_a_mandate_the_core_accepts(client: Client, clock: Clock) -> None:
    # given the form's options, as the page offers them
    scene = mandated_federation(clock, stated=False)
    log_in_as(client, scene.alto.log, keypair("bea"))
    form = _propose_form(client.get(_url("mandates", "en", log=scene.alto.log)).content.decode())
    question = re.findall(r'<option value="([0-9]+)" data-positions', form)[0]
    positions = re.findall(r'<option value="([a-z_]+)">', form)
    federation = read_state(scene.log, lambda state: state)
    for position in positions:
        # when alto decides and states a mandate of the form's values (in memory: alto's node seals it)
        decide(scene.alto, "mandate", {"body": scene.log, "question": question, "position": position})
        scene.alto.act(
            "bea",
            "delegate.mandated",
            {"federation": scene.log, "question": int(question), "position": position},
        )
        # then the federation's vote takes that position on the question
        assert fitting_choice(federation, federation.questions[int(question)], position, seq=0) == position
    assert positions == ["yes", "no", "abstain"]


@pytest.mark.parametrize(
    ("lang", "effect", "code", "message"),
    [
        ("es", {"position": "sí"}, "mandate_not_a_ballot_code", "La federación no lee esta posición"),
        ("en", {"position": "a favor"}, "mandate_not_a_ballot_code", "The federation does not read"),
        ("es", {"question": "pregunta 3"}, "mandate_not_a_question_number", "por su número"),
    ],
)
def test_a_typed_position_the_federation_cannot_read_is_refused_in_words_and_nothing_is_written(
    client: Client, clock: Clock, lang: str, effect: dict[str, str], code: str, message: str
) -> None:
    # given
    scene = mandated_federation(clock)
    log_in_as(client, scene.alto.log, keypair("bea"))
    before = models.Record.objects.get(log=scene.alto.log).head_seq
    typed = {"body": scene.log, "question": str(scene.question), "position": "yes", **effect}
    # when
    with translation.override(lang):
        response = _post_mandate(client, scene, typed, lang)
    # then
    answer = response.json()  # type: ignore[attr-defined]
    assert response.status_code == 400 and answer["code"] == code  # type: ignore[attr-defined]
    assert message in answer["message"]
    assert models.Record.objects.get(log=scene.alto.log).head_seq == before


@pytest.mark.parametrize(
    ("lang", "effect", "code", "message"),
    [
        ("es", {"position": "sí"}, "mandate_not_a_ballot_code", "La federación no lee esta posición"),
        ("en", {"question": "question 3"}, "mandate_not_a_question_number", "by number alone"),
    ],
)
def test_the_api_refuses_a_mandate_the_federation_cannot_read_as_the_page_does(
    clock: Clock, lang: str, effect: dict[str, str], code: str, message: str
) -> None:
    # given a client of the API, not logged in on any page: the signature is its only credential
    scene = mandated_federation(clock)
    before = models.Record.objects.get(log=scene.alto.log).head_seq
    typed = {"body": scene.log, "question": str(scene.question), "position": "yes", **effect}
    # when it sends the signed act to the API's signed-act route
    response = _post_mandate(Client(), scene, typed, lang, api=True)
    # then the same refusal as the page's, in the reader's words, and nothing is written
    answer = response.json()  # type: ignore[attr-defined]
    assert (response.status_code, answer["code"]) == (400, code)  # type: ignore[attr-defined]
    assert message in answer["message"]
    assert models.Record.objects.get(log=scene.alto.log).head_seq == before


@pytest.mark.parametrize("api", [False, True], ids=["page", "api"])
def test_a_mandate_to_leave_the_federation_is_taken_though_its_question_is_no_number(
    client: Client, clock: Clock, api: bool
) -> None:
    # given a member logged in at home, in an assembly of the federation
    scene = mandated_federation(clock)
    log_in_as(client, scene.alto.log, keypair("bea"))
    # when they table the mandate by which the assembly leaves (decision 0029), on the page or the API
    leave = {"body": scene.log, "question": "membership:leave", "position": "yes"}
    response = _post_mandate(client, scene, leave, "es", api=api)
    # then it is not refused for its words: the federation reads it by its question's name, not by a
    # ballot (the home's node seals alto, not this one)
    assert response.json()["code"] == "not_the_records_node"  # type: ignore[attr-defined]


def test_a_mandate_on_another_kind_of_body_keeps_its_own_words(client: Client, clock: Clock) -> None:
    # given: a body that is no federation's record (a municipal council) takes any position
    scene = mandated_federation(clock)
    log_in_as(client, scene.alto.log, keypair("bea"))
    # when
    response = _post_mandate(
        client, scene, {"body": "fejuve", "question": "Presupuesto", "position": "sí"}, "es"
    )
    # then: not refused for its words (the home's node seals alto, not this one)
    assert not response.json()["code"].startswith("mandate_")  # type: ignore[attr-defined]


def test_the_mandates_page_is_new_when_the_federations_record_grows(client: Client, clock: Clock) -> None:
    # given a member who holds the mandates page
    scene = mandated_federation(clock)
    log_in_as(client, scene.alto.log, keypair("bea"))
    url = _url("mandates", "en", log=scene.alto.log)
    etag = client.get(url)["ETag"]
    assert client.get(url, headers={"if-none-match": etag}).status_code == 304
    # when the federation's record grows (alto's home record does not)
    stored_act(scene.log, scene.delegate, "federation.voted", scene.vote("yes"))
    # then the page is read again: the questions and voices it shows come from that record
    assert client.get(url, headers={"if-none-match": etag}).status_code == 200
