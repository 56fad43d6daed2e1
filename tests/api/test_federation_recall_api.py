"""A recall petition against a federation's cargo holder, on the recalls route: its count is of member
assemblies (decision 0033), so a second delegate of one assembly adds nothing and a delegate of another
assembly completes it, opening a question whose voters are the member assemblies."""

import pytest
from django.test import Client

from ayllu.actions.record import node_keypair
from factories.api import act_request
from factories.federation_recall import treasurer_scene
from factories.federations_stored import hold
from factories.keys import pub
from factories.scenes import Clock


@pytest.fixture
def node_clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr("ayllu.storage.clock.now_ms", fake)
    return fake


def _post(api: Client, url: str, body: dict[str, object]) -> tuple[int, dict[str, object]]:
    answer = api.post(url, body, content_type="application/json", headers={"accept-language": "es"})
    return answer.status_code, answer.json()


def test_a_federations_recall_petition_counts_member_assemblies_on_the_recalls_route(
    api: Client, node_clock: Clock
) -> None:
    # given a federation held here whose treasurer cargo bajo's delegate holds by its decision
    homes, fed, names = treasurer_scene(node=node_keypair())
    for home in homes:
        hold(home, checkpoint=True)
    hold(fed)
    node_clock.now = max(node_clock.now, fed.clock + 1000)
    petition = {"cargo": "tesorero", "member": pub(names["bajo"]), "reason": "no rinde cuentas"}
    # when alto's delegate opens the petition and alto's second delegate signs it
    status, opened = _post(api, *act_request(fed.log, names["alto"], "petition-recall", **petition))
    assert status == 201, opened
    seq = opened["seq"]
    status, answer = _post(api, *act_request(fed.log, names["alto_2"], "sign-recall", petition=seq))
    assert status == 201, answer
    # then two signatures count as one member assembly of the two needed
    [listed] = api.get(f"/api/assemblies/{fed.log}/recalls").json()
    assert (len(listed["signers"]), listed["signed"], listed["needed"]) == (2, 1, 2)
    assert listed["status"] == "collecting"
    # when sur's delegate signs, the petition is complete and its question is the member assemblies'
    status, answer = _post(api, *act_request(fed.log, names["sur"], "sign-recall", petition=seq))
    assert status == 201, answer
    [listed] = api.get(f"/api/assemblies/{fed.log}/recalls").json()
    assert listed["status"] == "voting" and listed["question"] == answer["seq"]
    question = api.get(f"/api/assemblies/{fed.log}/questions/{answer['seq']}").json()
    assert sorted(question["eligible_members"]) == sorted(h.log for h in homes), question
