"""A federation's question through the API: the home assembly states its mandate on the mandates route,
its seated delegate casts the assembly's voice on the delegation-votes route (acts of the catalogue), and
a vote against the cited mandate is refused in words with nothing written (docs/federation-bodies.md)."""

import pytest
from django.test import Client

from ayllu.queries.replayed import read_state
from ayllu.storage import models
from factories.api import ApiAssembly, act_request
from factories.federation_votes_stored import mandated_federation
from factories.scenes import Clock


@pytest.fixture
def node_clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr("ayllu.storage.clock.now_ms", fake)
    return fake


def _post(api: Client, url: str, body: dict[str, object], lang: str = "es") -> tuple[int, dict[str, object]]:
    answer = api.post(url, body, content_type="application/json", headers={"accept-language": lang})
    return answer.status_code, answer.json()


def test_a_seated_delegate_casts_the_assemblys_voice_on_the_delegation_votes_route(
    api: Client, node_clock: Clock
) -> None:
    # given
    scene = mandated_federation(node_clock)
    # when
    url, body = act_request(scene.log, scene.delegate, "federation-vote", **scene.vote("yes"))
    status, _ = _post(api, url, body)
    # then
    assert (status, url) == (201, f"/api/assemblies/{scene.log}/questions/{scene.question}/delegation-votes")
    votes = read_state(scene.log, lambda s: dict(s.questions[scene.question].votes))
    assert votes == {scene.alto.log: "yes"}


@pytest.mark.parametrize(
    ("lang", "sentence"),
    [
        ("es", "El voto va contra el mandato de la asamblea: en esta cuestión su posición es A favor."),
        ("en", "The vote goes against the assembly's mandate: on this question its position is In favour."),
    ],
)
def test_a_vote_against_the_cited_mandate_is_refused_in_words_and_nothing_is_written(
    api: Client, node_clock: Clock, lang: str, sentence: str
) -> None:
    # given
    scene = mandated_federation(node_clock)
    size = models.Entry.objects.filter(record__log=scene.log).count()
    # when
    url, body = act_request(scene.log, scene.delegate, "federation-vote", **scene.vote("no"))
    status, answer = _post(api, url, body, lang)
    # then
    assert (status, answer["code"], answer["message"]) == (409, "contrary_to_mandate", sentence)
    assert models.Entry.objects.filter(record__log=scene.log).count() == size


def test_a_mandate_the_assembly_did_not_decide_is_not_stated(assembly: ApiAssembly) -> None:
    # given an assembly founded through the API, with no mandate on the federation's question
    size = assembly.size()
    # when
    answer = assembly.act("bea", "state-mandate", lang="en", federation="ab" * 32, question=7, position="yes")
    # then
    assert answer.status_code == 409 and answer.json()["code"] == "not_mandated"
    assert "state only the mandate in force" in answer.json()["message"]
    assert assembly.size() == size


def test_a_withdrawal_no_recall_decided_is_not_stated(assembly: ApiAssembly) -> None:
    # given an assembly founded through the API, with no credential and no recall
    size = assembly.size()
    # when
    answer = assembly.act("bea", "state-withdrawal", lang="en", federation="ab" * 32, credential=1, at=1)
    # then
    assert answer.status_code == 409 and answer.json()["code"] == "not_withdrawn"
    assert assembly.size() == size
