"""Large bodies through the API: a draw's body up to 2 MiB reaches the core, one byte more is refused.

The signed-act route carries the body as a JSON string, so its quotes are escaped and the request is
larger than the body; Django's default 2.5 MB request limit refused draws the core accepts.
"""

import json

from ayllu.core.ledger.canonical import canonical_bytes
from ayllu.core.ledger.record import MAX_DRAW_BODY_BYTES, Body, sign_act
from factories.api import ApiAssembly
from factories.keys import keypair


def _post_draw(assembly: ApiAssembly, *, body_bytes: int) -> tuple[int, dict[str, object], int]:
    """Post a signed draw.prepared whose body has exactly `body_bytes` bytes of many short strings."""
    words = ["a"] * (body_bytes // 4 - 10)
    content = {"lottery": words, "pad": ""}
    content["pad"] = "x" * (body_bytes - len(canonical_bytes(content)))
    body = Body(canonical_bytes(content), "public")
    assert len(body.raw) == body_bytes
    signed = sign_act(keypair("ana"), log=assembly.log, type="draw.prepared", body=body, nonce="big")
    request = json.dumps({"act": signed.act.as_json(), "body": body.raw.decode(), "asig": signed.asig})
    response = assembly.client.post(
        f"/api/assemblies/{assembly.log}/acts", request, content_type="application/json"
    )
    return response.status_code, response.json(), len(request)


def test_a_draw_body_within_its_limit_reaches_the_core_even_when_the_request_is_larger(
    assembly: ApiAssembly,
) -> None:
    # given: a body just within 2 MiB whose escaped request is over Django's default 2.5 MB
    size = assembly.size()
    # when
    status, answer, request_bytes = _post_draw(assembly, body_bytes=MAX_DRAW_BODY_BYTES)
    # then: refused by the draw's rules (no pool), not for its size, and nothing written
    assert request_bytes > 2_621_440
    assert status == 400 and answer["code"] == "malformed_body"
    assert answer["detail"].get("reason") != "too_large"  # type: ignore[union-attr]
    assert assembly.size() == size


def test_a_draw_body_over_its_limit_is_refused_as_too_large(assembly: ApiAssembly) -> None:
    # given
    size = assembly.size()
    # when
    status, answer, _ = _post_draw(assembly, body_bytes=MAX_DRAW_BODY_BYTES + 1)
    # then
    assert status == 413 and answer["code"] == "malformed_body"
    assert answer["detail"]["reason"] == "too_large"  # type: ignore[index]
    assert assembly.size() == size
