"""Lost-key claims wait outside the record until a member vouches for the key or tables its replacement,
as applications do (decision 0011)."""

import json
from datetime import timedelta

from django.test import Client
from django.utils import timezone

from ayllu.core.ledger.record import make_body, sign_act
from ayllu.storage import models
from factories.api import ApiAssembly
from factories.charters import instant_charter
from factories.keys import keypair, pub


def head(log: str) -> tuple[int, str]:
    record = models.Record.objects.get(log=log)
    return record.head_seq, record.head_hash


def test_a_key_claim_waits_outside_the_record(assembly: ApiAssembly) -> None:
    # given
    before = head(assembly.log)
    # when: carla, on a new device, claims her place
    response = assembly.act("carla-2", "claim-key", lang="en", member=pub("carla"))
    # then: 202, the record unchanged, one waiting row holding the claim carla-2 signed
    assert response.status_code == 202, response.json()
    answer = response.json()
    assert answer["waiting"] is True
    assert (answer["type"], answer["author"]) == ("member.key_claimed", pub("carla-2"))
    assert head(assembly.log) == before
    (row,) = models.WaitingAct.objects.all()
    assert (row.act_id, row.type, row.author) == (answer["act"], "member.key_claimed", pub("carla-2"))


def test_members_see_a_waiting_claim_marked_as_waiting(assembly: ApiAssembly) -> None:
    # when
    assembly.ok("carla-2", "claim-key", member=pub("carla"))
    # then
    (claim,) = assembly.get("/members").json()["key_claims"]
    assert (claim["key"], claim["member"], claim["waiting"], claim["vouchers"]) == (
        pub("carla-2"),
        pub("carla"),
        True,
        [],
    )


def test_the_first_vouch_takes_the_claim_in(assembly: ApiAssembly) -> None:
    # given: carla-2's claim waits (the quick charter asks for two vouchers)
    assembly.ok("carla-2", "claim-key", member=pub("carla"))
    size = assembly.size()
    waiting_act = models.WaitingAct.objects.get().act_id
    # when: ana vouches for the new key
    response = assembly.act("ana", "vouch-key", key=pub("carla-2"))
    # then: the claim as carla-2 signed it, then ana's vouch, in the record; nothing waits
    assert response.status_code == 201, response.json()
    assert response.json()["seq"] == size + 2
    assert assembly.types()[-2:] == ["member.key_claimed", "member.key_vouched"]
    entered = models.Entry.objects.get(record__log=assembly.log, seq=size + 1)
    assert (entered.act_id, entered.author) == (waiting_act, pub("carla-2"))
    assert not models.WaitingAct.objects.exists()
    (claim,) = assembly.get("/members").json()["key_claims"]
    assert (claim["waiting"], claim["vouchers"]) == (False, [pub("ana")])
    # and the second vouch replaces the key, on its own
    assert assembly.ok("bea", "vouch-key", key=pub("carla-2")) == size + 3
    assert assembly.get("/members").json()["key_claims"] == []


def test_tabling_a_key_replacement_takes_the_claim_in(api: Client) -> None:
    # given: a charter that replaces keys by decision, and carla-2's claim waiting
    decided = ApiAssembly.found(
        api, ["ana", "bea", "carla"], charter=instant_charter(key_replacement={"by": "decision"})
    )
    decided.ok("carla-2", "claim-key", member=pub("carla"))
    size = decided.size()
    # when: ana proposes replacing the key
    seq = decided.ok(
        "ana", "table", matter="key_replacement", title="Carla", text="", effect={"key": pub("carla-2")}
    )
    # then: the claim entered just before the proposal
    assert seq == size + 2
    assert decided.types()[-2:] == ["member.key_claimed", "proposal.tabled"]
    assert not models.WaitingAct.objects.exists()


def test_sending_the_same_claim_again_gets_the_same_answer(assembly: ApiAssembly) -> None:
    # given: one signed claim, sent twice through the signed-act route
    body = make_body({"member": pub("carla")}, vis="public")
    signed = sign_act(keypair("carla-2"), log=assembly.log, type="member.key_claimed", body=body, nonce="x")
    request = {"act": signed.act.as_json(), "body": body.raw.decode(), "asig": signed.asig}
    url = f"/api/assemblies/{assembly.log}/acts"
    # when
    first = assembly.client.post(url, json.dumps(request), content_type="application/json")
    second = assembly.client.post(url, json.dumps(request), content_type="application/json")
    # then
    assert (first.status_code, second.status_code) == (202, 202)
    assert {**first.json(), "duplicate": True} == second.json()
    assert models.WaitingAct.objects.count() == 1


def test_another_act_from_a_key_with_a_claim_waiting_is_refused(assembly: ApiAssembly) -> None:
    # given
    assembly.ok("carla-2", "claim-key", member=pub("carla"))
    before = head(assembly.log)
    # when: the same key claims another member's place, then applies
    claim = assembly.act("carla-2", "claim-key", lang="en", member=pub("bea"))
    application = assembly.act("carla-2", "apply", lang="en", household="h-carla")
    # then
    assert (claim.status_code, claim.json()["code"]) == (409, "already_waiting")
    assert claim.json()["message"].startswith("This key already has an application or a key claim waiting.")
    assert (application.status_code, application.json()["code"]) == (409, "already_waiting")
    assert models.WaitingAct.objects.count() == 1
    assert head(assembly.log) == before


def test_the_rules_still_refuse_a_claim_of_a_members_key(assembly: ApiAssembly) -> None:
    # when: bea's own key claims carla's place
    response = assembly.act("bea", "claim-key", lang="en", member=pub("carla"))
    # then: refused as an append would be, nothing waits
    assert response.status_code == 409
    assert response.json()["code"] == "key_in_use"
    assert not models.WaitingAct.objects.exists()


def test_claims_count_towards_the_waiting_rooms_limits(assembly: ApiAssembly, settings) -> None:
    # given: one application and one claim from this address
    settings.AYLLU_WAITING_PER_ADDRESS = 2
    assembly.ok("dora", "apply", household="h-dora")
    assembly.ok("carla-2", "claim-key", member=pub("carla"))
    before = head(assembly.log)
    # when
    response = assembly.act("bea-2", "claim-key", lang="en", member=pub("bea"))
    # then
    assert (response.status_code, response.json()["code"]) == (429, "address_waiting_full")
    assert models.WaitingAct.objects.count() == 2
    # and the node's limit counts claims as well
    settings.AYLLU_WAITING_LIMIT = 2
    elsewhere = ApiAssembly(Client(REMOTE_ADDR="192.0.2.41"), assembly.log)
    full = elsewhere.act("bea-2", "claim-key", lang="en", member=pub("bea"))
    assert (full.status_code, full.json()["code"]) == (429, "waiting_room_full")
    assert head(assembly.log) == before


def test_a_claim_nobody_took_in_expires(assembly: ApiAssembly, settings) -> None:
    # given: carla-2's claim waited longer than the lifetime
    assembly.ok("carla-2", "claim-key", member=pub("carla"))
    old = timezone.now() - timedelta(days=settings.AYLLU_WAITING_DAYS, seconds=1)
    models.WaitingAct.objects.update(received=old)
    # when: members look, a member vouches, and someone else claims
    claims = assembly.get("/members").json()["key_claims"]
    vouched = assembly.act("ana", "vouch-key", lang="en", key=pub("carla-2"))
    assembly.ok("bea-2", "claim-key", member=pub("bea"))
    # then: the expired claim is gone for everyone; the next act that waits deleted it
    assert claims == []
    assert (vouched.status_code, vouched.json()["code"]) == (404, "unknown_claim")
    assert list(models.WaitingAct.objects.values_list("author", flat=True)) == [pub("bea-2")]
