"""Members see lost-key claims waiting outside the record where they see claims, and take them in."""

import json

import pytest
from django.test import Client

from ayllu.actions.record import forget_replayed_state
from ayllu.core.ledger.record import SignedAct, make_body, sign_act
from ayllu.storage import models
from factories.keys import keypair
from factories.stored import StoredAssembly, found, log_in_as

from .test_translations import visible_text

NEW_DEVICE = keypair("nuevo-telefono")
WAITING_EN = "Waiting on this node, not in the record yet: the first member who vouches for the key"


@pytest.fixture
def assembly(db: None) -> StoredAssembly:
    """Four founders under the default charter (three vouchers replace a key)."""
    forget_replayed_state()
    members = (keypair(1), keypair(2), keypair(3), keypair(4))
    return found("Junta Vecinal Villa Esperanza", members=members)


def post_act(client: Client, log: str, signed: SignedAct, body_text: str) -> object:
    payload = {"act": signed.act.as_json(), "body": body_text, "asig": signed.asig}
    return client.post(f"/en/assembly/{log}/acts/", json.dumps(payload), content_type="application/json")


def claim(client: Client, assembly: StoredAssembly) -> object:
    body = make_body({"member": assembly.members[2].public}, vis="public")
    signed = sign_act(NEW_DEVICE, log=assembly.log, type="member.key_claimed", body=body, nonce="claim-3")
    return post_act(client, assembly.log, signed, body.raw.decode())


def size(assembly: StoredAssembly) -> int:
    return models.Entry.objects.filter(record__log=assembly.log).count()


def test_a_claim_waits_and_members_see_it_where_they_see_claims(assembly: StoredAssembly) -> None:
    # given: the new device's claim answers 202 and leaves the record as it was
    before = size(assembly)
    response = claim(Client(), assembly)
    assert response.status_code == 202, response.content
    assert response.json()["waiting"] is True
    member = Client()
    log_in_as(member, assembly.log, assembly.members[0])
    # when
    members = member.get(f"/en/assembly/{assembly.log}/members/").content.decode()
    now = member.get(f"/en/assembly/{assembly.log}/").content.decode()
    lost = Client().get(f"/en/assembly/{assembly.log}/lost-device/").content.decode()
    # then: marked as waiting, with the vouch form naming the new key; "Now" and the lost-device page too
    assert WAITING_EN in visible_text(members, language="en")
    assert f'name="body.key" value="{NEW_DEVICE.public}"' in members
    assert "A new key for a member who lost their device" in visible_text(now, language="en")
    assert WAITING_EN in visible_text(lost, language="en")
    assert size(assembly) == before


def test_a_members_vouch_through_the_pages_takes_the_claim_in(assembly: StoredAssembly) -> None:
    # given
    claim(Client(), assembly)
    before = size(assembly)
    voucher = assembly.members[0]
    member = Client()
    log_in_as(member, assembly.log, voucher)
    body = make_body({"key": NEW_DEVICE.public}, vis="public")
    signed = sign_act(voucher, log=assembly.log, type="member.key_vouched", body=body, nonce="vouch-3")
    # when
    response = post_act(member, assembly.log, signed, body.raw.decode())
    # then: the claim, then the vouch; one voucher of three, so still a claim, no longer waiting
    assert response.status_code == 200, response.content
    assert response.json()["seq"] == before + 2
    rows = models.Entry.objects.filter(record__log=assembly.log, seq__gt=before).order_by("seq")
    assert list(rows.values_list("type", "author")) == [
        ("member.key_claimed", NEW_DEVICE.public),
        ("member.key_vouched", voucher.public),
    ]
    assert not models.WaitingAct.objects.exists()
    page = visible_text(member.get(f"/en/assembly/{assembly.log}/members/").content.decode(), language="en")
    assert "1 voucher so far" in page and WAITING_EN not in page


def test_the_lost_device_page_says_a_claim_waits_in_both_languages(assembly: StoredAssembly) -> None:
    # when
    en = Client().get(f"/en/assembly/{assembly.log}/lost-device/").content.decode()
    es = Client().get(f"/es/asamblea/{assembly.log}/dispositivo-perdido/").content.decode()
    # then: the form names the sentence shown once the claim waits, and it is there in words
    assert 'data-waiting="claim_waiting"' in en
    assert "Sent: your claim is waiting on this node." in en
    assert "Enviado: su pedido espera en este nodo. Entra en el registro cuando un miembro avala" in es
