"""A client may send an act again: the node answers with the receipt its first submission got.

A client that lost the node's answer (a dropped connection, a phone that slept) cannot tell whether its
act arrived. Sending the same signed act again is safe: 200, the first receipt byte for byte, and
`"duplicate": true`; nothing is written. A different act that breaks a rule still gets that rule's error.
"""

import json
from typing import Any

import pytest
from django.test import Client

from ayllu.core.charter.founding import FOUNDED, build_founding_body
from ayllu.core.ledger.record import log_id_for, sign_act
from factories.api import ApiAssembly, act_request, founding_request
from factories.charters import instant_charter
from factories.keys import keypair


def post(client: Client, url: str, body: Any, lang: str = "en") -> Any:
    headers = {"accept-language": lang}
    return client.post(url, json.dumps(body), content_type="application/json", headers=headers)


@pytest.fixture
def later(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The node's clock, moved on by the test between a submission and its retry."""
    now = [1_800_000_000_000]
    monkeypatch.setattr("ayllu.storage.clock.now_ms", lambda: now[0])
    return now


def test_a_resent_act_answers_the_first_receipt_and_writes_nothing(
    assembly: ApiAssembly, later: list[int]
) -> None:
    # given: an act the node accepted
    url, body = act_request(assembly.log, "ana", "notice", text="hola")
    first = post(assembly.client, url, body)
    assert first.status_code == 201
    size = assembly.size()
    # when: an hour later, the client, unsure it arrived, sends the same signed act again
    later[0] += 3_600_000
    again = post(assembly.client, url, body)
    # then: success, the same receipt (the same signed bytes), marked as a retry; nothing written
    assert again.status_code == 200
    assert again.json() == {**first.json(), "duplicate": True}
    assert assembly.size() == size


def test_a_resent_vote_is_answered_but_a_second_different_vote_is_refused(assembly: ApiAssembly) -> None:
    # given: bea's vote, accepted
    proposal = assembly.ok("ana", "table", matter="ordinary", title="Agua", text="")
    question = assembly.ok("ana", "open-question", proposal=proposal, deadline=4_102_444_800_000)
    url, vote = act_request(assembly.log, "bea", "vote", question=question, choice="consent")
    first = post(assembly.client, url, vote)
    assert first.status_code == 201
    # when: she sends the same vote again, then a different one (another choice)
    again = post(assembly.client, url, vote)
    _, other = act_request(assembly.log, "bea", "vote", question=question, choice="object")
    different = post(assembly.client, url, other)
    # then: the retry learns where her vote is; the different vote meets the rule
    assert (again.status_code, again.json()) == (200, {**first.json(), "duplicate": True})
    assert (different.status_code, different.json()["code"]) == (409, "already_voted")
    assert different.json()["message"] == "You have already voted on this question."


def test_a_resent_act_with_a_forged_signature_is_refused(assembly: ApiAssembly) -> None:
    # given: an act the node accepted
    url, body = act_request(assembly.log, "ana", "notice", text="hola")
    assert post(assembly.client, url, body).status_code == 201
    # when: someone sends the same act with a signature that is not ana's
    forged = {**body, "asig": ("0" if body["asig"][0] != "0" else "1") + body["asig"][1:]}
    answer = post(assembly.client, url, forged)
    # then: it is checked like any act, and refused: a retry needs the author's signature too
    assert (answer.status_code, answer.json()["code"]) == (403, "bad_author_signature")


def test_a_resent_founding_answers_the_first_receipt(api: Client, later: list[int]) -> None:
    # given: an assembly founded through the API
    request = founding_request(["ana", "bea", "carla"], name="Junta vecinal", charter=instant_charter())
    first = post(api, "/api/assemblies", request)
    assert first.status_code == 201
    # when: the founder's client sends the founding again, later
    later[0] += 60_000
    again = post(api, "/api/assemblies", request)
    # then: the record it made, with the same receipt
    assert (again.status_code, again.json()) == (200, {**first.json(), "duplicate": True})


def test_a_different_founding_of_the_same_record_is_still_refused(api: Client) -> None:
    # given: an assembly founded through the API
    request = founding_request(["ana", "bea", "carla"], name="Junta vecinal", charter=instant_charter())
    assert post(api, "/api/assemblies", request).status_code == 201
    # when: ana signs another founding act of the same content (another nonce: another act, same record)
    body = build_founding_body(request_content(request), request["endorsements"])
    other = sign_act(keypair("ana"), log=log_id_for(body), type=FOUNDED, body=body, nonce="otra")
    answer = post(api, "/api/assemblies", {**request, "nonce": "otra", "asig": other.asig})
    # then: the record exists and holds a different act
    assert (answer.status_code, answer.json()["code"]) == (409, "record_exists")


def request_content(request: dict[str, Any]) -> dict[str, Any]:
    """The founding content of a founding request (all it holds but the endorsements and the act)."""
    return {k: v for k, v in request.items() if k not in {"endorsements", "author", "nonce", "asig"}}
