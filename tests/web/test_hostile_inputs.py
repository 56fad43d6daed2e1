"""Hostile requests get a clear 4xx in the one JSON error shape, with nothing written.

Integers past Python's int-string limit, digits that are not ASCII, JSON nested past the parser's depth
and requests over the node's size limit each once answered 500 (or an HTML 400).
"""

from typing import Any

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.utils import translation

from ayllu.messages import message_for
from ayllu.storage import models, replica
from factories.keys import keypair
from factories.stored import StoredAssembly, found

MEMBER = keypair(1)
HUGE = "9" * 5_000  # past Python's 4,300-digit limit on converting strings to integers
DEEP = b"[" * 100_000 + b"]" * 100_000


@pytest.fixture
def assembly(db: None) -> StoredAssembly:
    return found("Junta Vecinal Villa Esperanza", members=(MEMBER, keypair(2), keypair(3)))


def _written(assembly: StoredAssembly) -> tuple[int, ...]:
    return (
        models.Entry.objects.count(),
        replica.Evidence.objects.count(),
        replica.Cosigned.objects.count(),
        models.FoundingDraft.objects.count(),
    )


def _assert_clear_refusal(answer: Any, status: int) -> dict[str, Any]:
    assert answer.status_code == status, answer.content[:300]
    data = answer.json()
    assert set(data) == {"code", "message", "detail"}
    return data


@pytest.mark.parametrize(
    "path",
    [
        "/api/assemblies/{log}/acts",
        "/api/assemblies/{log}/notices",
        "/fed/evidence/",
        "/fed/{log}/cosignatures/",
        "/en/assembly/{log}/login/",
        "/en/assembly/{log}/acts/",
    ],
)
@pytest.mark.parametrize(
    "raw",
    [
        ('{"text": ' + HUGE + "}").encode(),
        DEEP,
    ],
    ids=["huge-integer", "deep"],
)
def test_hostile_json_is_a_clear_400(assembly: StoredAssembly, path: str, raw: bytes) -> None:
    # given
    before = _written(assembly)
    # when
    answer = Client().post(path.format(log=assembly.log), raw, content_type="application/json")
    # then
    assert 400 <= answer.status_code < 500, (answer.status_code, answer.content[:300])
    assert set(answer.json()) == {"code", "message", "detail"}
    assert _written(assembly) == before


@pytest.mark.parametrize("value", [HUGE, "²", "١٢", "-1"])
@pytest.mark.parametrize(
    "query",
    [
        "entries/?from={v}",
        "bodies/?to={v}",
        "proof/consistency/?from=1&to={v}",
        "proof/inclusion/?seq={v}&size=1",
        "cosignatures/?size={v}",
    ],
)
def test_fed_query_integers_that_are_not_ascii_numbers_are_a_clear_400(
    assembly: StoredAssembly, query: str, value: str
) -> None:
    # when
    answer = Client().get(f"/fed/{assembly.log}/" + query.format(v=value))
    # then
    assert answer.status_code in (200, 400), (answer.status_code, answer.content[:300])
    if answer.status_code == 400:
        assert answer.json()["code"] == "bad_request"


def test_an_api_path_integer_past_the_limit_is_a_clear_refusal(assembly: StoredAssembly) -> None:
    # when
    answer = Client().get(f"/api/assemblies/{assembly.log}/draws/{HUGE}")
    # then
    assert 400 <= answer.status_code < 500, (answer.status_code, answer.content[:300])


@pytest.mark.parametrize("debug", [True, False], ids=["dev", "prod"])
@pytest.mark.parametrize(
    "path", ["/api/assemblies/{log}/acts", "/en/assembly/{log}/acts/", "/fed/evidence/", "/en/found/"]
)
@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_request_over_the_size_limit_is_a_413_in_the_json_error_shape(
    assembly: StoredAssembly, path: str, debug: bool, lang: str
) -> None:
    # given a body one byte over the limit
    raw = b" " * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    before = _written(assembly)
    # when
    with override_settings(DEBUG=debug):
        answer = Client(raise_request_exception=False).post(
            path.format(log=assembly.log),
            raw,
            content_type="application/json",
            headers={"accept-language": lang},
        )
    # then
    data = _assert_clear_refusal(answer, 413)
    assert data["code"] == "request_too_large"
    # a page's address names its language; elsewhere Accept-Language does
    with translation.override("en" if path.startswith("/en/") else lang):
        assert data["message"] == message_for("request_too_large", data["detail"])
    assert data["detail"]["limit"] == settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert _written(assembly) == before


def test_federation_refusals_carry_a_translated_sentence(assembly: StoredAssembly) -> None:
    # when
    answers = [
        Client().get(f"/fed/{assembly.log}/entries/?from=\u00b2", headers={"accept-language": "es"}),
        Client().post("/fed/evidence/", b"{}", content_type="application/json"),
    ]
    # then every refusal names its code and says it in words (Spanish by default)
    for answer in answers:
        data = _assert_clear_refusal(answer, 400)
        with translation.override("es"):
            assert data["message"] == message_for(data["code"], data["detail"])
        assert data["code"] not in data["message"]
