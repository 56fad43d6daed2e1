"""One boundary: a refused act gets the same status and code from the pages' act route and the API.

Every domain error class carries its HTTP status (core/errors.py); the pages and the API both answer
with it, so a client cannot tell them apart by how they refuse.
"""

from typing import Any

import pytest
from django.test import Client

from ayllu.api.errors import status_for
from ayllu.core.errors import DomainError
from ayllu.core.ledger.record import make_body, sign_act
from ayllu.storage import models
from ayllu.web.replies import json_domain_error
from factories.keys import keypair
from factories.stored import UNTIL, StoredAssembly, act, found, found_with_officers, log_in_as

MEMBER, OTHER, NEW_KEY = keypair(1), keypair(2), keypair(40)


def _all_subclasses(cls: type) -> list[type]:
    return [sub for child in cls.__subclasses__() for sub in (child, *_all_subclasses(child))]


@pytest.fixture
def assembly(db: None) -> StoredAssembly:
    return found("Junta Vecinal Villa Esperanza", members=(MEMBER, OTHER, keypair(3)))


def _signed(log: str, key: Any, type: str, content: dict[str, Any], nonce: str) -> dict[str, Any]:
    body = make_body(content, vis="public")
    signed = sign_act(key, log=log, type=type, body=body, nonce=nonce)
    return {"act": signed.act.as_json(), "body": body.raw.decode(), "asig": signed.asig}


def _post_both(log: str, payload: dict[str, Any], *, logged_in: Any) -> tuple[Any, Any]:
    page = Client()
    log_in_as(page, log, logged_in)
    web = page.post(f"/en/assembly/{log}/acts/", payload, content_type="application/json")
    api = Client().post(f"/api/assemblies/{log}/acts", payload, content_type="application/json")
    return web, api


def test_a_vote_on_an_unknown_question_is_not_found_on_both_routes(assembly: StoredAssembly) -> None:
    # given a vote naming a question that does not exist
    payload = _signed(assembly.log, MEMBER, "vote.cast", {"question": 9999, "choice": "yes"}, "v1")
    # when
    web, api = _post_both(assembly.log, payload, logged_in=MEMBER)
    # then
    assert (web.status_code, web.json()["code"]) == (404, "unknown_question")
    assert (api.status_code, api.json()["code"]) == (404, "unknown_question")
    assert models.Record.objects.get(log=assembly.log).head_seq == 1


def test_an_act_signed_with_a_replaced_key_is_forbidden_on_both_routes(assembly: StoredAssembly) -> None:
    # given the member moved to a new key
    act(assembly, MEMBER, "member.key_rotated", {"new_key": NEW_KEY.public})
    head = models.Record.objects.get(log=assembly.log).head_seq
    payload = _signed(assembly.log, MEMBER, "notice.posted", {"text": "con la clave vieja"}, "k1")
    # when (the page route needs a logged-in member: the new key's holder sends the old key's act)
    web, api = _post_both(assembly.log, payload, logged_in=NEW_KEY)
    # then
    assert api.status_code == 403 and api.json()["code"] == "key_replaced"
    assert web.status_code == 403
    assert models.Record.objects.get(log=assembly.log).head_seq == head


def test_every_domain_error_has_one_status_for_pages_and_api() -> None:
    for cls in _all_subclasses(DomainError):
        error = cls()
        assert json_domain_error(error).status_code == status_for(error) == cls.status, cls.__name__


@pytest.mark.parametrize(
    "raw",
    [
        b"[" * 100_000 + b"]" * 100_000,  # nested past the parser's depth
        b'{"act": {}, "body": "\\ud800", "asig": "00"}',  # a lone surrogate
        b"\xff\xfe",  # not UTF-8
    ],
    ids=["deep", "surrogate", "not-utf8"],
)
def test_hostile_requests_to_the_act_route_get_a_clear_400(assembly: StoredAssembly, raw: bytes) -> None:
    # given a logged-in member's browser sending something that is no act
    page = Client()
    log_in_as(page, assembly.log, MEMBER)
    # when
    answer = page.post(f"/en/assembly/{assembly.log}/acts/", raw, content_type="application/json")
    # then
    assert answer.status_code == 400
    assert answer.json()["code"] in {"act_malformed", "malformed_entry", "malformed_body"}
    assert models.Record.objects.get(log=assembly.log).head_seq == 1


def test_a_lone_surrogate_in_a_body_is_malformed_on_both_routes(assembly: StoredAssembly) -> None:
    # given an act whose body text holds a lone surrogate
    payload = _signed(assembly.log, MEMBER, "notice.posted", {"text": "hola"}, "s1")
    payload["body"] = '{"text":"\ud800"}'
    # when
    web, api = _post_both(assembly.log, payload, logged_in=MEMBER)
    # then
    assert (web.status_code, web.json()["code"]) == (400, "malformed_body")
    assert (api.status_code, api.json()["code"]) == (400, "malformed_body")


def test_a_resent_vote_answers_where_it_landed_on_both_routes_and_counts_once(db: None) -> None:
    # given a vote the node accepted
    assembly = found_with_officers("Junta Vecinal Villa Esperanza")
    voter = assembly.members[1]
    proposal = act(
        assembly,
        assembly.convenor,
        "proposal.tabled",
        {"matter": "ordinary", "title": "Agua", "text": "Un tanque.", "effect": {}},
    )
    question = act(assembly, assembly.convenor, "question.opened", {"proposal": proposal, "deadline": UNTIL})
    payload = _signed(assembly.log, voter, "vote.cast", {"question": question, "choice": "consent"}, "r1")
    first = Client().post(f"/api/assemblies/{assembly.log}/acts", payload, content_type="application/json")
    assert first.status_code == 201
    # when the same signed vote is sent again through each route
    web, api = _post_both(assembly.log, payload, logged_in=voter)
    # then both answer success, at the entry that holds it, marked as a retry
    assert (web.status_code, web.json()) == (
        200,
        {"ok": True, "seq": first.json()["seq"], "entry": first.json()["entry"], "duplicate": True},
    )
    assert (api.status_code, api.json()) == (200, {**first.json(), "duplicate": True})
    assert models.Record.objects.get(log=assembly.log).head_seq == first.json()["seq"]


def test_a_body_with_an_integer_of_thousands_of_digits_is_malformed_on_both_routes(
    assembly: StoredAssembly,
) -> None:
    # given an act whose body holds a number past Python's int-string limit
    payload = _signed(assembly.log, MEMBER, "notice.posted", {"text": "hola"}, "d1")
    payload["body"] = '{"text":' + "9" * 5_000 + "}"
    # when
    web, api = _post_both(assembly.log, payload, logged_in=MEMBER)
    # then: it is JSON, holding an integer signed data may not hold (docs/record-format.md, section 2)
    for answer in (web, api):
        assert answer.status_code == 400
        assert (answer.json()["code"], answer.json()["detail"]["reason"]) == (
            "forbidden_value",
            "integer_out_of_range",
        )
    assert models.Record.objects.get(log=assembly.log).head_seq == 1
