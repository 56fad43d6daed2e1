"""Bad input through the API: a 4xx, a stable code, a message in the request's language, nothing written."""

import json
import re
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from ayllu.core.assembly.bodies import MAX_TEXT
from ayllu.messages import message_for
from factories.api import ApiAssembly, act_request
from factories.charters import instant_charter
from factories.keys import pub


def post(client: Client, url: str, body: Any, lang: str) -> Any:
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(url, data, content_type="application/json", headers={"accept-language": lang})


def _missing_field(a: ApiAssembly) -> tuple[str, Any]:
    url, body = act_request(a.log, "ana", "notice", text="hola")
    del body["text"]
    return url, body


def _wrong_type(a: ApiAssembly) -> tuple[str, Any]:
    url, body = act_request(a.log, "ana", "notice", text="hola")
    return url, {**body, "text": 12}


def _wrong_path_type(a: ApiAssembly) -> tuple[str, Any]:
    url, body = act_request(a.log, "ana", "vote", question=5, choice="yes")
    return url.replace("/questions/5/", "/questions/cinco/"), body


def _not_json(a: ApiAssembly) -> tuple[str, Any]:
    url, _ = act_request(a.log, "ana", "notice", text="hola")
    return url, "{not json"


def _unknown_question(a: ApiAssembly) -> tuple[str, Any]:
    return act_request(a.log, "ana", "vote", question=999, choice="yes")


def _unknown_record(a: ApiAssembly) -> tuple[str, Any]:
    url, body = act_request("0" * 64, "ana", "notice", text="hola")
    return url, body


def _too_long(a: ApiAssembly) -> tuple[str, Any]:
    return act_request(a.log, "ana", "notice", text="a" * (MAX_TEXT + 1))


def _non_member(a: ApiAssembly) -> tuple[str, Any]:
    return act_request(a.log, "zoe", "notice", text="hola")


def _bad_signature(a: ApiAssembly) -> tuple[str, Any]:
    url, body = act_request(a.log, "ana", "notice", text="hola")
    # the signature is ana's, over another text: the node rebuilds the act from the fields sent
    _, other = act_request(a.log, "ana", "notice", text="adiós", nonce=body["nonce"])
    return url, {**body, "asig": other["asig"]}


def _signed_by_other(a: ApiAssembly) -> tuple[str, Any]:
    url, body = act_request(a.log, "bea", "notice", text="hola")
    return url, {**body, "author": pub("ana")}


def _rule_broken(a: ApiAssembly) -> tuple[str, Any]:
    # only the convenor (ana) may convene
    return act_request(a.log, "bea", "convene", title="Reunión", starts=0)


CASES: dict[str, tuple[Callable[[ApiAssembly], tuple[str, Any]], int, str]] = {
    "missing field": (_missing_field, 422, "invalid_request"),
    "wrong type": (_wrong_type, 422, "invalid_request"),
    "wrong type in the path": (_wrong_path_type, 422, "invalid_request"),
    "not json": (_not_json, 400, "invalid_request"),
    "unknown question": (_unknown_question, 404, "unknown_question"),
    "unknown record": (_unknown_record, 404, "record_not_found"),
    "over-long text": (_too_long, 413, "text_too_long"),
    "act by a non-member": (_non_member, 403, "not_a_member"),
    "bad signature": (_bad_signature, 403, "bad_author_signature"),
    "signed by someone else": (_signed_by_other, 403, "bad_author_signature"),
    "rule broken": (_rule_broken, 409, "not_convenor"),
}


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_refused_with_a_code_and_a_translated_message(
    assembly: ApiAssembly, case: str, lang: str
) -> None:
    # given
    make, status, code = CASES[case]
    url, body = make(assembly)
    before = assembly.size()
    # when
    response = post(assembly.client, url, body, lang)
    # then
    answer = response.json()
    assert (response.status_code, answer["code"]) == (status, code)
    assert set(answer) == {"code", "message", "detail"}
    with translation.override(lang):
        assert answer["message"] == message_for(code, answer["detail"])
    with translation.override("en" if lang == "es" else "es"):
        assert answer["message"] != message_for(code, answer["detail"])
    assert assembly.size() == before


def test_spanish_is_the_default_language(assembly: ApiAssembly) -> None:
    # when
    response = assembly.client.post(*_non_member(assembly), content_type="application/json")
    # then
    assert response.json()["message"] == "El acto lo hizo alguien que no es miembro de la asamblea."


def test_objects_of_another_assembly_are_unknown_here(api: Client) -> None:
    # given: a question in one assembly, and a second assembly with fewer entries
    first = ApiAssembly.found(api, ["ana", "bea", "carla"], name="Primera")
    proposal = first.ok("ana", "table", matter="ordinary", title="Agua", text="")
    question = first.ok("ana", "open-question", proposal=proposal, deadline=time.time_ns() // 10**6 + 10**7)
    second = ApiAssembly.found(api, ["ana", "bea", "carla"], name="Segunda")
    size = second.size()
    # when: ana votes on, and reads, the first assembly's question at the second one's address
    vote = second.act("ana", "vote", lang="en", question=question, choice="consent")
    read = second.get(f"/questions/{question}", lang="en")
    read_proposal = second.get(f"/proposals/{proposal}", lang="en")
    # then
    assert (vote.status_code, vote.json()["code"]) == (404, "unknown_question")
    assert (read.status_code, read.json()["code"]) == (404, "unknown_question")
    assert (read_proposal.status_code, read_proposal.json()["code"]) == (404, "unknown_proposal")
    assert second.size() == size
    assert first.get(f"/questions/{question}").status_code == 200


def test_an_act_signed_for_another_assembly_is_refused(api: Client) -> None:
    # given: ana's act signed for the first assembly
    first = ApiAssembly.found(api, ["ana", "bea"], name="Primera")
    second = ApiAssembly.found(api, ["ana", "bea"], name="Segunda")
    _, body = act_request(first.log, "ana", "notice", text="hola")
    url, _ = act_request(second.log, "ana", "notice", text="hola")
    # when: it is sent to the second assembly's address
    response = post(api, url, body, "es")
    # then: the node rebuilds the act for the second record, and ana's signature does not match it
    assert (response.status_code, response.json()["code"]) == (403, "bad_author_signature")
    assert (first.size(), second.size()) == (1, 1)


def test_a_founding_asking_for_more_signatures_than_founders_is_refused_in_the_request_language(
    api: Client,
) -> None:
    # given: a charter whose counts scale, but with five fixed signatures to convene and only three founders
    from ayllu.core.charter.rules import founding_charter_data
    from ayllu.storage import models
    from factories.api import founding_request

    charter = founding_charter_data()
    charter["scaled"] = {k: v for k, v in charter["scaled"].items() if k != "petition"}
    request = founding_request(["t1", "t2", "t3"], name="Junta de tres", charter=charter)
    # when
    response = post(api, "/api/assemblies", request, "es")
    # then
    assert response.status_code == 409
    answer = response.json()
    assert answer["code"] == "threshold_out_of_reach"
    assert answer["detail"]["reason"] == "petition"
    assert answer["detail"]["needed"] == 5 and answer["detail"]["members"] == 3
    assert "5 firmas para convocar una reunión" in answer["message"] and "(3)" in answer["message"]
    assert models.Record.objects.count() == 0


@pytest.mark.parametrize(
    ("kind", "field", "values"),
    [
        ("table", "title", {"matter": "ordinary", "title": "   ", "text": ""}),
        ("notice", "text", {"text": " \n\t "}),
    ],
)
def test_a_field_of_only_spaces_is_refused_by_name_in_words(
    assembly: ApiAssembly, kind: str, field: str, values: dict[str, Any]
) -> None:
    # given
    size = assembly.size()
    # when: a title (or a notice's text) of spaces only
    response = assembly.act("ana", kind, lang="es", **values)
    # then: refused, naming the field, with a sentence that says what is wrong; nothing written
    data = response.json()
    assert response.status_code == 400, data
    assert (data["code"], data["detail"]["field"], data["detail"]["reason"]) == (
        "malformed_body",
        field,
        "blank",
    )
    with translation.override("es"):
        assert data["message"] == message_for("malformed_body", {"reason": "blank"})
    assert "formato" not in data["message"]
    assert assembly.size() == size


def test_a_question_opened_too_soon_is_refused_saying_from_when(api: Client) -> None:
    # given: an assembly whose charter asks for a day of discussion before a question
    day = 24 * 3600 * 1000
    charter = instant_charter(deliberation={"async_ms": day, "meeting_ms": 0, "voting_ms": 0})
    assembly = ApiAssembly.found(api, ["ana", "bea", "carla"], charter=charter)
    proposal = assembly.ok("ana", "table", matter="ordinary", title="Agua", text="")
    # when: someone opens the question at once
    deadline = time.time_ns() // 10**6 + 2 * day
    response = assembly.act("bea", "open-question", lang="en", proposal=proposal, deadline=deadline)
    # then: refused, with the time from which it can be opened, in words
    data = response.json()
    assert data["code"] == "deliberation_too_short"
    assert "the question can be opened from" in data["message"]
    assert str(data["detail"]["earliest"]) not in data["message"]
    assert re.search(r"\d{4}", data["message"].split("from")[-1])


@pytest.mark.parametrize(
    ("method", "path", "status", "code", "lang", "start"),
    [
        ("get", "/api/no-such-thing", 404, "not_found", "en", "There is no such thing here."),
        ("post", "/api/assemblies/x/no-such-thing", 404, "not_found", "es", None),
        (
            "delete",
            "/api/assemblies",
            405,
            "method_not_allowed",
            "en",
            "That cannot be done at this address.",
        ),
        ("get", "/api/citations/check", 405, "method_not_allowed", "es", None),
    ],
    ids=["unknown-en", "unknown-es", "method-en", "method-es"],
)
def test_an_unknown_address_or_method_under_the_api_answers_in_its_error_shape(
    api: Client, method: str, path: str, status: int, code: str, lang: str, start: str | None
) -> None:
    # when: no operation runs (Django's 404, django-ninja's 405 before the API's handlers)
    response = getattr(api, method)(path, headers={"accept-language": lang})
    # then
    assert (response.status_code, response["Content-Type"]) == (status, "application/json")
    body = response.json()
    assert (set(body), body["code"], body["detail"]) == ({"code", "message", "detail"}, code, {})
    with translation.override(lang):
        assert body["message"] == message_for(code, {})
    assert start is None or body["message"] == start
    if status == 405:
        assert response["Allow"]
