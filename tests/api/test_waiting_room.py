"""Applications wait outside the record until a member takes them in (decision 0011)."""

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from ayllu.cli.main import main
from ayllu.core.ledger.record import make_body, sign_act
from ayllu.storage import models
from ayllu.storage.waiting import alive_waiting, count_alive_waiting
from factories.api import ApiAssembly
from factories.charters import instant_charter
from factories.keys import keypair, pub


def head(log: str) -> tuple[int, str]:
    record = models.Record.objects.get(log=log)
    return record.head_seq, record.head_hash


def test_an_application_waits_outside_the_record(assembly: ApiAssembly) -> None:
    # given
    before = head(assembly.log)
    # when
    response = assembly.act("dora", "apply", lang="en", household="h-dora")
    # then: 202, the record unchanged, one waiting row holding the act dora signed
    assert response.status_code == 202
    answer = response.json()
    assert answer["waiting"] is True
    assert (answer["log"], answer["type"], answer["author"]) == (assembly.log, "member.applied", pub("dora"))
    assert answer["expires"] - answer["received"] == 30 * 24 * 3600 * 1000
    assert head(assembly.log) == before
    (row,) = models.WaitingAct.objects.all()
    assert (row.act_id, row.author) == (answer["act"], pub("dora"))


def test_the_first_sponsor_takes_the_application_in(assembly: ApiAssembly) -> None:
    # given: dora's application waits
    assembly.ok("dora", "apply", household="h-dora")
    size = assembly.size()
    waiting_act = models.WaitingAct.objects.get().act_id
    # when: ana sponsors her (the instant charter admits with one sponsor)
    response = assembly.act("ana", "sponsor", applicant=pub("dora"))
    # then: the application as dora signed it, then ana's sponsorship, in the record; nothing waits
    assert response.status_code == 201, response.json()
    assert response.json()["seq"] == size + 2
    assert assembly.types()[-2:] == ["member.applied", "member.sponsored"]
    entered = models.Entry.objects.get(record__log=assembly.log, seq=size + 1)
    assert (entered.act_id, entered.author) == (waiting_act, pub("dora"))
    assert not models.WaitingAct.objects.exists()
    members = assembly.get("/members").json()
    assert pub("dora") in {m["id"] for m in members["members"]}


def test_sending_the_same_application_again_gets_the_same_answer(assembly: ApiAssembly) -> None:
    # given: one signed application, sent twice through the signed-act route
    body = make_body({"household": "h-dora"}, vis="public")
    signed = sign_act(keypair("dora"), log=assembly.log, type="member.applied", body=body, nonce="once")
    request = {"act": signed.act.as_json(), "body": body.raw.decode(), "asig": signed.asig}
    url = f"/api/assemblies/{assembly.log}/acts"
    # when
    first = assembly.client.post(url, json.dumps(request), content_type="application/json")
    second = assembly.client.post(url, json.dumps(request), content_type="application/json")
    # then
    assert (first.status_code, second.status_code) == (202, 202)
    assert {**first.json(), "duplicate": True} == second.json()
    assert first.json()["duplicate"] is False
    (row,) = models.WaitingAct.objects.all()
    assert (bytes(row.act), row.asig, bytes(row.body)) == (signed.act.signing_bytes(), signed.asig, body.raw)


def test_another_application_from_a_waiting_key_is_refused(assembly: ApiAssembly) -> None:
    # given
    assembly.ok("dora", "apply", household="h-dora")
    # when
    response = assembly.act("dora", "apply", lang="en", household="h-other")
    # then
    assert response.status_code == 409
    assert response.json()["code"] == "already_waiting"
    assert models.WaitingAct.objects.count() == 1


def test_the_rules_still_refuse_a_members_application(assembly: ApiAssembly) -> None:
    # when: a member's own key applies
    response = assembly.act("bea", "apply", lang="en", household="h-bea-2")
    # then: refused as an append would be, nothing waits
    assert response.status_code == 409
    assert response.json()["code"] == "already_member"
    assert not models.WaitingAct.objects.exists()


def test_the_waiting_room_is_limited_per_address(assembly: ApiAssembly, settings) -> None:
    # given
    settings.AYLLU_WAITING_PER_ADDRESS = 2
    for n in range(2):
        assembly.ok(f"stranger-{n}", "apply", household=f"h-{n}")
    # when
    response = assembly.act("stranger-2", "apply", lang="en", household="h-2")
    # then
    assert response.status_code == 429
    assert response.json() == {
        "code": "address_waiting_full",
        "message": "Too many applications or key claims from your address are waiting. Try again once "
        "members have taken them in or they have expired.",
        "detail": {"limit": 2},
    }
    # and another address may still apply
    elsewhere = ApiAssembly(Client(REMOTE_ADDR="192.0.2.41"), assembly.log)
    assert elsewhere.act("stranger-3", "apply", household="h-3").status_code == 202


def test_the_waiting_room_is_limited_on_the_whole_node(assembly: ApiAssembly, settings) -> None:
    # given
    settings.AYLLU_WAITING_LIMIT = 2
    for n in range(2):
        other = ApiAssembly(Client(REMOTE_ADDR=f"192.0.2.{n + 1}"), assembly.log)
        other.ok(f"stranger-{n}", "apply", household=f"h-{n}")
    # when
    elsewhere = ApiAssembly(Client(REMOTE_ADDR="192.0.2.99"), assembly.log)
    response = elsewhere.act("stranger-2", "apply", lang="es", household="h-2")
    # then
    assert response.status_code == 429
    assert response.json()["code"] == "waiting_room_full"
    assert response.json()["message"].startswith("Este nodo no puede guardar más pedidos en espera")
    assert models.WaitingAct.objects.count() == 2


def test_an_application_nobody_took_in_expires_and_is_pruned(
    assembly: ApiAssembly, settings, capsys: pytest.CaptureFixture[str]
) -> None:
    # given: dora's application waited longer than the lifetime; eva's is fresh
    assembly.ok("dora", "apply", household="h-dora")
    assembly.ok("eva", "apply", household="h-eva")
    old = timezone.now() - timedelta(days=settings.AYLLU_WAITING_DAYS, seconds=1)
    models.WaitingAct.objects.filter(author=pub("dora")).update(received=old)
    # when: members look, and a member sponsors dora
    applicants = {a["key"] for a in assembly.get("/members").json()["applicants"]}
    sponsored = assembly.act("ana", "sponsor", lang="en", applicant=pub("dora"))
    # then: the expired application is gone for everyone; pruning deletes it
    assert applicants == {pub("eva")}
    assert (sponsored.status_code, sponsored.json()["code"]) == (404, "unknown_applicant")
    assert main(["prune"]) == 0
    assert capsys.readouterr().out.startswith("deleted 0 expired founding drafts, 1 expired waiting acts")
    assert list(models.WaitingAct.objects.values_list("author", flat=True)) == [pub("eva")]


def test_the_next_application_prunes_the_expired_ones(assembly: ApiAssembly, settings) -> None:
    # given
    assembly.ok("dora", "apply", household="h-dora")
    old = timezone.now() - timedelta(days=settings.AYLLU_WAITING_DAYS, seconds=1)
    models.WaitingAct.objects.update(received=old)
    # when
    assembly.ok("eva", "apply", household="h-eva")
    # then
    assert list(models.WaitingAct.objects.values_list("author", flat=True)) == [pub("eva")]


def test_tabling_an_admission_takes_the_application_in(api: Client) -> None:
    # given: a charter that admits by decision, and dora's application waiting
    decided = ApiAssembly.found(
        api, ["ana", "bea", "carla"], charter=instant_charter(admission={"by": "decision"})
    )
    decided.ok("dora", "apply", household="h-dora")
    size = decided.size()
    # when: ana proposes admitting her
    seq = decided.ok(
        "ana", "table", matter="admission", title="Dora", text="", effect={"applicant": pub("dora")}
    )
    # then: the application entered just before the proposal; dora is an applicant in the record
    assert seq == size + 2
    assert decided.types()[-2:] == ["member.applied", "proposal.tabled"]
    assert not models.WaitingAct.objects.exists()
    (applicant,) = decided.get("/members").json()["applicants"]
    assert (applicant["key"], applicant["waiting"]) == (pub("dora"), False)


def test_members_see_a_waiting_applicant_marked_as_waiting(assembly: ApiAssembly) -> None:
    # when
    assembly.ok("dora", "apply", household="h-dora")
    # then
    (applicant,) = assembly.get("/members").json()["applicants"]
    assert (applicant["key"], applicant["waiting"], applicant["sponsors"]) == (pub("dora"), True, [])


def test_two_sponsors_racing_take_the_application_in_once(
    assembly: ApiAssembly, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: dora's application waits, and while ana's sponsorship is being taken in (after it found
    # the application waiting, before its own append), bea's sponsorship takes the application in
    import ayllu.actions.assembly as appending

    assembly.ok("dora", "apply", household="h-dora")
    size = assembly.size()
    found_waiting = appending.waiting_taken_in
    raced: list[int] = []

    def racing(log: str, keys: Any) -> Any:
        waiting = found_waiting(log, keys)
        if waiting and not raced:
            raced.append(0)  # bea's own request finds the application too: it does not race again
            raced[0] = assembly.act("bea", "sponsor", applicant=pub("dora")).status_code
        return waiting

    monkeypatch.setattr(appending, "waiting_taken_in", racing)
    # when
    response = assembly.act("ana", "sponsor", applicant=pub("dora"), lang="en")
    # then: bea's act took the application in (one sponsor admits under this charter); ana's went on
    # its own and was refused by the rule (dora is no applicant now), not as a duplicate of the
    # application, and the application is in the record exactly once
    assert raced == [201]
    assert (response.status_code, response.json()["code"]) == (404, "unknown_applicant")
    types = assembly.types()[size:]
    assert types.count("member.applied") == 1 and types[:2] == ["member.applied", "member.sponsored"]
    assert not models.WaitingAct.objects.exists()


def _signed_application(assembly: ApiAssembly) -> str:
    body = make_body({"household": "h-dora"}, vis="public")
    signed = sign_act(keypair("dora"), log=assembly.log, type="member.applied", body=body, nonce="race")
    return json.dumps({"act": signed.act.as_json(), "body": body.raw.decode(), "asig": signed.asig})


def test_the_same_application_sent_twice_at_once_is_answered_as_a_resend(
    assembly: ApiAssembly, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: the same signed application arrives twice; the second request stores it while the first
    # has checked that nothing waits yet, before the first takes the record's write lock
    import ayllu.actions.waiting_room as room

    request, url = _signed_application(assembly), f"/api/assemblies/{assembly.log}/acts"
    check_room = room._check_room
    raced: list[Any] = []

    def racing(address: str) -> None:
        if not raced:
            raced.append(None)
            raced[0] = assembly.client.post(url, request, content_type="application/json")
        check_room(address)

    monkeypatch.setattr(room, "_check_room", racing)
    # when
    response = assembly.client.post(url, request, content_type="application/json")
    # then: both are answered 202 with the one waiting act, the later as a resend
    assert raced[0].status_code == 202 and raced[0].json()["duplicate"] is False
    assert response.status_code == 202, response.json()
    assert response.json() == {**raced[0].json(), "duplicate": True}
    assert models.WaitingAct.objects.count() == 1


def test_a_unique_row_lost_to_a_racing_writer_is_answered_as_a_resend_not_a_server_error(
    assembly: ApiAssembly, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: a racing writer stores the very same act after the locked checks found none (as a node
    # whose lock did not cover it would): the row's unique act id refuses the second insert
    import ayllu.actions.waiting_room as room

    request, url = _signed_application(assembly), f"/api/assemblies/{assembly.log}/acts"
    fits = room.check_act_fits_locked

    def racing(record: models.Record, *, signed_act: Any, body: Any) -> None:
        fits(record, signed_act=signed_act, body=body)
        models.WaitingAct.objects.create(
            record=record,
            act_id=signed_act.act.id(),
            type=signed_act.act.type,
            author=signed_act.act.author,
            act=signed_act.act.signing_bytes(),
            asig=signed_act.asig,
            body=body.raw,
            words=None,
            address="192.0.2.7",
        )

    monkeypatch.setattr(room, "check_act_fits_locked", racing)
    # when
    response = assembly.client.post(url, request, content_type="application/json")
    # then
    assert response.status_code == 202, response.json()
    assert response.json()["duplicate"] is True
    assert models.WaitingAct.objects.count() == 1


def test_the_count_every_page_key_reads_leaves_expired_acts_out(assembly: ApiAssembly, settings) -> None:
    # given: dora's application waited longer than the lifetime; eva's is fresh
    assembly.ok("dora", "apply", household="h-dora")
    assembly.ok("eva", "apply", household="h-eva")
    old = timezone.now() - timedelta(days=settings.AYLLU_WAITING_DAYS, seconds=1)
    models.WaitingAct.objects.filter(author=pub("dora")).update(received=old)
    # when
    counted = count_alive_waiting(assembly.log)
    # then: the statement on the driver's cursor answers what the ORM's query of the living acts does,
    # with when the first of them came as an aware moment (SQLite answers an aggregate's as text)
    living = alive_waiting(assembly.log)
    eva = models.WaitingAct.objects.get(author=pub("eva"))
    assert counted == (living.count(), living.get().pk, living.get().received) == (1, eva.pk, eva.received)
    assert counted.first is not None and counted.first.utcoffset() is not None
    assert count_alive_waiting("0" * 64) == (0, 0, None)
