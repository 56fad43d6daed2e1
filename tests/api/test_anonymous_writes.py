"""Writes anyone may make without being a member are limited per client address, with a 429 in words."""

import json

from django.test import Client

from ayllu.core.ledger.record import make_body, sign_act
from ayllu.storage import models
from factories.api import ApiAssembly, founding_request
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
        assert assembly.act(f"stranger-{n}", "apply", household=f"h-{n}").status_code == 201
    size = assembly.size()
    # when
    response = assembly.act("stranger-3", "apply", lang="en", household="h-3")
    # then
    assert response.status_code == 429
    assert response.json() == {
        "code": "writes_rate_limited",
        "message": "Too many requests of this kind came from your address. Try again later: the count "
        f"starts again every {WINDOW} seconds.",
        "detail": {"kind": "non-member-act", "seconds": WINDOW},
    }
    assert assembly.size() == size
    # and another address may still apply
    elsewhere = ApiAssembly(Client(REMOTE_ADDR="192.0.2.40"), assembly.log)
    assert elsewhere.act("stranger-4", "apply", household="h-4").status_code == 201


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
    assert assembly.act("stranger-1", "apply", household="h-1").status_code == 201
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
