"""Writes anyone may make without being a member are limited per client address, with a 429 in words."""

import json
from typing import Any

from django.test import Client

from ayllu.core.ledger.record import make_body, sign_act
from ayllu.storage import models
from factories.api import ApiAssembly, act_request, founding_request, take_in
from factories.charters import instant_charter
from factories.keys import keypair

WINDOW = 60 * 60


def signed_application(log: str, who: str) -> dict[str, object]:
    """A whole signed `member.applied`, as the generic signed-act route takes it."""
    body = make_body({"household": f"h-{who}"}, vis="public")
    signed = sign_act(keypair(who), log=log, type="member.applied", body=body, nonce=f"apply-{who}")
    return {"act": signed.act.as_json(), "body": body.raw.decode(), "asig": signed.asig}


def test_applications_from_one_address_are_limited(assembly: ApiAssembly, settings) -> None:
    # given: one address applying with fresh keys up to its limit
    settings.AYLLU_NON_MEMBER_ACTS_PER_ADDRESS = 3
    for n in range(3):
        assert assembly.act(f"stranger-{n}", "apply", household=f"h-{n}").status_code == 202
    size = assembly.size()
    # when
    response = assembly.act("stranger-3", "apply", lang="en", household="h-3")
    # then
    assert response.status_code == 429
    assert response.json() == {
        "code": "writes_rate_limited",
        "message": "Too many requests of this kind came from your address. Try again later: the count "
        "starts over within 1 hour.",
        "detail": {"kind": "non-member-act", "seconds": WINDOW},
    }
    assert assembly.size() == size
    # and another address may still apply
    elsewhere = ApiAssembly(Client(REMOTE_ADDR="192.0.2.40"), assembly.log)
    assert elsewhere.act("stranger-4", "apply", household="h-4").status_code == 202


def test_the_refusal_reads_in_spanish(assembly: ApiAssembly, settings) -> None:
    # given
    settings.AYLLU_NON_MEMBER_ACTS_PER_ADDRESS = 0
    # when
    response = assembly.act("stranger-1", "apply", lang="es", household="h-1")
    # then
    assert response.status_code == 429
    assert response.json()["message"].startswith("Llegaron demasiadas solicitudes de este tipo")


def test_the_signed_act_route_and_key_claims_count_too(assembly: ApiAssembly, settings) -> None:
    # given: an application through the typed route uses up the address's limit
    settings.AYLLU_NON_MEMBER_ACTS_PER_ADDRESS = 1
    assert assembly.act("stranger-1", "apply", household="h-1").status_code == 202
    size = assembly.size()
    # when
    whole = assembly.client.post(
        f"/api/assemblies/{assembly.log}/acts",
        json.dumps(signed_application(assembly.log, "stranger-2")),
        content_type="application/json",
    )
    claim = assembly.act("stranger-3", "claim-key", member=keypair("bea").public)
    # then
    assert (whole.status_code, whole.json()["code"]) == (429, "writes_rate_limited")
    assert (claim.status_code, claim.json()["code"]) == (429, "writes_rate_limited")
    assert assembly.size() == size


def test_members_acts_are_not_counted(assembly: ApiAssembly, settings) -> None:
    # given
    settings.AYLLU_NON_MEMBER_ACTS_PER_ADDRESS = 0
    # when / then
    for n in range(3):
        assembly.ok("ana", "notice", text=f"aviso {n}")


def test_foundings_from_one_address_are_limited(api: Client, settings) -> None:
    # given: one address founding up to its limit
    settings.AYLLU_FOUNDINGS_PER_ADDRESS = 2
    for n in range(2):
        ApiAssembly.found(api, [f"f{n}-a", f"f{n}-b"], name=f"Junta {n}")
    # when
    request = founding_request(["f9-a", "f9-b"], name="Junta 9", charter=instant_charter())
    response = api.post("/api/assemblies", request, content_type="application/json")
    # then
    assert response.status_code == 429
    assert response.json()["detail"] == {"kind": "founding", "seconds": WINDOW}
    assert models.Record.objects.count() == 2


def test_foundings_from_every_address_together_are_limited(api: Client, settings) -> None:
    # given: the node takes 2 foundings a window, and two addresses used them up
    settings.AYLLU_FOUNDINGS_PER_WINDOW = 2
    for n in range(2):
        ApiAssembly.found(Client(REMOTE_ADDR=f"192.0.2.{n + 10}"), [f"f{n}-a", f"f{n}-b"], name=f"Junta {n}")
    # when: a third address founds
    request = founding_request(["f9-a", "f9-b"], name="Junta 9", charter=instant_charter())
    response = Client(REMOTE_ADDR="192.0.2.30").post(
        "/api/assemblies", request, content_type="application/json", headers={"accept-language": "en"}
    )
    # then: refused in words, and no third record
    assert response.status_code == 429
    assert response.json() == {
        "code": "node_writes_rate_limited",
        "message": "This node takes no more requests of this kind for now, from anyone. Try again later: "
        "the count starts over within 1 hour.",
        "detail": {"kind": "founding", "seconds": WINDOW},
    }
    assert models.Record.objects.count() == 2


# --- resends (decision 0012): the same signed act again is not counted --------------------------
LIMIT = 3


def post_signed(client: Client, log: str, request: dict[str, object]) -> Any:
    return client.post(f"/api/assemblies/{log}/acts", json.dumps(request), content_type="application/json")


def test_resending_a_waiting_application_through_the_typed_route_is_not_counted(
    assembly: ApiAssembly, settings
) -> None:
    # given: a low limit, and one application sent once
    settings.AYLLU_NON_MEMBER_ACTS_PER_ADDRESS = LIMIT
    url, body = act_request(assembly.log, "stranger-0", "apply", nonce="once", household="h-0")

    def send() -> Any:
        return assembly.client.post(url, body, content_type="application/json")

    assert send().status_code == 202
    # when: the client resends it, more times than the limit
    resends = [send() for _ in range(LIMIT + 5)]
    # then: each is answered as the first time, never 429
    assert [(r.status_code, r.json()["duplicate"]) for r in resends] == [(202, True)] * (LIMIT + 5)
    # and the address still has the rest of its limit for new applications, and no more
    for n in range(1, LIMIT):
        assert assembly.act(f"stranger-{n}", "apply", household=f"h-{n}").status_code == 202
    last = assembly.act(f"stranger-{LIMIT}", "apply", household=f"h-{LIMIT}")
    assert (last.status_code, last.json()["code"]) == (429, "writes_rate_limited")


def test_resending_a_waiting_application_through_the_signed_act_route_is_not_counted(
    assembly: ApiAssembly, settings
) -> None:
    # given
    settings.AYLLU_NON_MEMBER_ACTS_PER_ADDRESS = LIMIT
    request = signed_application(assembly.log, "stranger-0")
    assert post_signed(assembly.client, assembly.log, request).status_code == 202
    # when
    resends = [post_signed(assembly.client, assembly.log, request) for _ in range(LIMIT + 5)]
    # then
    assert [(r.status_code, r.json()["duplicate"]) for r in resends] == [(202, True)] * (LIMIT + 5)
    new = [
        post_signed(assembly.client, assembly.log, signed_application(assembly.log, f"stranger-{n}"))
        for n in range(1, LIMIT + 1)
    ]
    assert [r.status_code for r in new] == [202] * (LIMIT - 1) + [429]
    assert new[-1].json()["code"] == "writes_rate_limited"


def test_resending_an_application_taken_in_answers_its_receipt_uncounted(
    assembly: ApiAssembly, settings
) -> None:
    # given: an application that a member's act took into the record, and an address at its limit
    settings.AYLLU_NON_MEMBER_ACTS_PER_ADDRESS = 1
    request = signed_application(assembly.log, "stranger-0")
    assert post_signed(assembly.client, assembly.log, request).status_code == 202
    seq = take_in(assembly.log, keypair("stranger-0").public)
    # when
    resends = [post_signed(assembly.client, assembly.log, request) for _ in range(5)]
    # then: the entry's receipt, said to be a retry, never 429
    assert [(r.status_code, r.json()["seq"], r.json()["duplicate"]) for r in resends] == [
        (200, seq, True)
    ] * 5
    other = post_signed(assembly.client, assembly.log, signed_application(assembly.log, "stranger-1"))
    assert other.status_code == 429


def test_resending_a_founding_is_not_counted(api: Client, settings) -> None:
    # given: an address that may found once, and did
    settings.AYLLU_FOUNDINGS_PER_ADDRESS = 1
    request = founding_request(["f0-a", "f0-b"], name="Junta 0", charter=instant_charter())

    def found(body: dict[str, Any]) -> Any:
        return api.post("/api/assemblies", body, content_type="application/json")

    assert found(request).status_code == 201
    # when: the same founding, sent again
    resends = [found(request) for _ in range(6)]
    # then: its first receipt each time; a new founding is still refused
    assert [(r.status_code, r.json()["seq"], r.json()["duplicate"]) for r in resends] == [(200, 1, True)] * 6
    other = found(founding_request(["f1-a", "f1-b"], name="Junta 1", charter=instant_charter()))
    assert (other.status_code, other.json()["code"]) == (429, "writes_rate_limited")
    assert models.Record.objects.count() == 1
