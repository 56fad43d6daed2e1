"""The browser's ways to post a notice, publish an announcement, register a household and leave: each
offered exactly when the core would accept it, and each accepted when sent."""

import re
from typing import Any

from django.test import Client

from ayllu.actions.record import forget_replayed_state
from ayllu.core.assembly.acts import ACT_KINDS
from ayllu.core.assembly.allowed import refusal
from ayllu.core.ledger.record import make_body, sign_act
from ayllu.queries.members import KeyStanding, get_key_standing
from ayllu.queries.replayed import read_state
from factories.keys import keypair
from factories.scenes import CargoAssembly, Clock, clock, create_cargo, found_cargo_assembly
from factories.stored import act, found, log_in_as

from .test_form_walk import act_forms, body_of, refused

__all__ = ["clock"]  # the fixture, imported for the tests below


def refused_at(log: str, key: str, form: dict[str, Any], *, time: int) -> str:
    """Why the core would refuse the form's act signed by `key` at `time` ("" when it would accept it)."""
    found = ACT_KINDS[form["type"]].parse(body_of(form))
    error = read_state(log, lambda state: refusal(state, key=key, act=found, time=time))
    return "" if error is None else error.code


def _forms(client: Client, address: str) -> dict[str, dict[str, Any]]:
    response = client.get(address)
    assert response.status_code == 200, address
    return {form["type"]: form for form in act_forms(response.content.decode())}


def test_a_member_is_offered_a_notice_and_an_outsider_is_not(client: Client, db: None) -> None:
    # given an assembly
    forget_replayed_state()
    assembly = found("Junta Vecinal", members=3)
    address = f"/es/asamblea/{assembly.log}/reuniones/"
    # when an outsider, then a member, read its meetings page
    outsider = _forms(client, address)
    log_in_as(client, assembly.log, assembly.members[0])
    member = _forms(client, address)
    # then only the member is offered the notice, in Spanish, and the core accepts what it sends
    assert "notice.posted" not in outsider
    assert "notice.posted" in member
    assert "Publicar el mensaje" in client.get(address).content.decode()
    assert refused(assembly.log, assembly.members[0].public, member["notice.posted"]) == ""


def test_the_announcement_form_is_offered_to_the_holder_of_the_power_alone(db: None, clock: Clock) -> None:
    # given an assembly with a cargo that publishes announcements, held by one household by turn
    forget_replayed_state()
    asm: CargoAssembly = found_cargo_assembly(clock)
    create_cargo(asm, "vocalia", powers=["publish_announcements"])
    holder = asm.holders("vocalia")[0]
    other = next(name for name in asm.keys if name != holder)
    forms = {}
    for name in (holder, other):
        client = Client()
        log_in_as(client, asm.log, asm.keys[name])
        # when each reads the cargos page
        forms[name] = _forms(client, f"/en/assembly/{asm.log}/cargos/")
    # then the holder is offered the announcement, the other member is not, and the core accepts it
    assert "announcement.published" in forms[holder]
    assert "announcement.published" not in forms[other]
    assert refused_at(asm.log, asm.pub(holder), forms[holder]["announcement.published"], time=clock.now) == ""


def test_a_member_may_register_a_household_or_leave_from_the_members_page(client: Client, db: None) -> None:
    # given a member of an assembly
    forget_replayed_state()
    assembly = found("Junta Vecinal", members=3)
    member = assembly.members[1]
    log_in_as(client, assembly.log, member)
    # when they read the members page
    forms = _forms(client, f"/en/assembly/{assembly.log}/members/")
    page = client.get(f"/en/assembly/{assembly.log}/members/").content.decode()
    # then both acts are offered, the leave form only once its box is ticked, and the core accepts both
    assert {"household.registered", "member.left"} <= set(forms)
    assert "I want to leave the assembly" in page
    household = forms["household.registered"]
    body = body_of(household)
    assert body["household_name"] == "Una muestra" and re.fullmatch(r"h-[0-9a-f]{32}", body["household"])
    assert refused(assembly.log, member.public, household) == ""
    assert body_of(forms["member.left"]) == {}
    assert refused(assembly.log, member.public, forms["member.left"]) == ""


def test_a_member_who_left_is_offered_neither(client: Client, db: None) -> None:
    # given a member who left
    forget_replayed_state()
    assembly = found("Junta Vecinal", members=3)
    leaving = assembly.members[2]
    log_in_as(client, assembly.log, assembly.members[0])
    act(assembly, leaving, "member.left", {})
    # then the record no longer counts them, and another member still sees the forms for themselves
    assert read_state(assembly.log, lambda state: leaving.public not in state.members)
    forms = _forms(client, f"/en/assembly/{assembly.log}/members/")
    assert "member.left" in forms


def test_a_member_moves_to_a_new_devices_key_from_the_members_page(client: Client, db: None) -> None:
    # given a member logged in on their old device, and the public key their new device made
    forget_replayed_state()
    assembly = found("Junta Vecinal", members=3)
    old, new = assembly.members[1], keypair("new-phone")
    log_in_as(client, assembly.log, old)
    forms = _forms(client, f"/es/asamblea/{assembly.log}/miembros/")
    assert "member.key_rotated" in forms
    # when the old device signs the form's act with the new key filled in, through the act route
    form = forms["member.key_rotated"]
    assert [f["name"] for f in form["fields"] if f.get("name", "").startswith("body.")] == ["body.new_key"]
    body = make_body({"new_key": new.public}, vis="public", type="member.key_rotated")
    signed = sign_act(old, log=assembly.log, type="member.key_rotated", body=body, nonce="rotate")
    payload = {"act": signed.act.as_json(), "body": body.raw.decode(), "asig": signed.asig}
    answer = client.post(f"/es/asamblea/{assembly.log}/actos/", payload, content_type="application/json")
    # then the record holds the new key for that member, and the old key no longer counts
    assert answer.status_code == 200, answer.content
    assert get_key_standing(assembly.log, key=new.public) is KeyStanding.MEMBER
    assert get_key_standing(assembly.log, key=old.public) is KeyStanding.REPLACED
