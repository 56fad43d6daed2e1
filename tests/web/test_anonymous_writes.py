"""Acts a non-member signs through the pages' act route are limited per client address."""

import pytest
from django.test import Client

from ayllu.core.ledger.record import make_body, sign_act
from ayllu.storage import models
from factories.keys import keypair
from factories.stored import StoredAssembly, found

ACTS = {"es": "/es/asamblea/{log}/actos/", "en": "/en/assembly/{log}/acts/"}
TOO_MANY = {
    "es": "Llegaron demasiadas solicitudes de este tipo desde su dirección.",
    "en": "Too many requests of this kind came from your address.",
}


@pytest.fixture
def assembly(db: None) -> StoredAssembly:
    return found("Junta Vecinal Villa Esperanza", members=(keypair(1), keypair(2), keypair(3)))


def apply(client: Client, log: str, who: int, *, lang: str = "en") -> object:
    body = make_body({"household": f"casa-{who}"}, vis="public")
    signed = sign_act(keypair(who), log=log, type="member.applied", body=body, nonce=f"apply-{who}")
    payload = {"act": signed.act.as_json(), "body": body.raw.decode(), "asig": signed.asig}
    return client.post(ACTS[lang].format(log=log), payload, content_type="application/json")


def entries(log: str) -> int:
    return models.Entry.objects.filter(record__log=log).count()


@pytest.mark.parametrize("lang", ["es", "en"])
def test_applications_from_one_address_are_limited(assembly: StoredAssembly, settings, lang: str) -> None:
    # given: one address applying with fresh keys up to its limit
    settings.AYLLU_NON_MEMBER_ACTS_PER_ADDRESS = 3
    client = Client()
    for who in range(40, 43):
        assert apply(client, assembly.log, who).status_code == 202
    size = entries(assembly.log)
    # when
    response = apply(client, assembly.log, 43, lang=lang)
    # then
    assert response.status_code == 429
    answer = response.json()
    assert answer["code"] == "writes_rate_limited"
    assert answer["message"].startswith(TOO_MANY[lang])
    assert answer["detail"] == {"kind": "non-member-act", "seconds": settings.AYLLU_ANONYMOUS_WINDOW_SECONDS}
    assert entries(assembly.log) == size
    # and another address may still apply
    assert apply(Client(REMOTE_ADDR="192.0.2.42"), assembly.log, 44).status_code == 202


def test_resending_a_waiting_application_is_not_counted(assembly: StoredAssembly, settings) -> None:
    # given: a low limit, and one application sent once (a retry after a lost answer sends the same act)
    limit = 3
    settings.AYLLU_NON_MEMBER_ACTS_PER_ADDRESS = limit
    client = Client()
    assert apply(client, assembly.log, 40).status_code == 202
    # when: the same application, sent again more times than the limit
    resends = [apply(client, assembly.log, 40) for _ in range(limit + 5)]
    # then: each is answered as the first time, never 429
    answers = [(r.status_code, r.json()["waiting"], r.json()["duplicate"]) for r in resends]
    assert answers == [(202, True, True)] * (limit + 5)
    # and new applications from the address still count up to the limit
    new = [apply(client, assembly.log, who) for who in range(41, 41 + limit)]
    assert [r.status_code for r in new] == [202] * (limit - 1) + [429]
    assert new[-1].json()["code"] == "writes_rate_limited"
