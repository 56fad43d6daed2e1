"""Invitations in Spanish and English: a member makes a link, a newcomer opens it, reads the admission
rule in plain words, and applies with their own key; nothing is written until they apply."""

import json
import re
import time

import pytest
from django.core import signing
from django.test import Client

from ayllu.actions.record import do_append, forget_replayed_state
from ayllu.core.ledger.record import sign_act
from ayllu.queries.assembly import get_assembly, list_members
from ayllu.queries.record import get_record_overview
from ayllu.web.views_invitations import make_invitation_token
from factories.keys import keypair
from factories.records import act_body
from factories.stored import StoredAssembly, act, found_with_officers, log_in_as

from .test_form_walk import act_forms, body_of

INVITATIONS = {"es": "/es/asamblea/{log}/invitaciones/", "en": "/en/assembly/{log}/invitations/"}
RULE = {
    "es": "En cuanto 2 miembros le avalan, el registro le cuenta como miembro",
    "en": "As soon as 2 members sponsor you, the record counts you as a member",
}


@pytest.fixture
def assembly(db: None) -> StoredAssembly:
    forget_replayed_state()
    return found_with_officers("Junta Vecinal Villa Esperanza")


def invitation_link(client: Client, lang: str, log: str) -> str:
    response = client.post(INVITATIONS[lang].format(log=log))
    assert response.status_code == 200
    found_link = re.search(r"data-ayllu-share-url>([^<]+)<", response.content.decode())
    assert found_link is not None
    return found_link.group(1)


WAITING_LINE = {
    "es": "si nadie lo hace en 30 días, vence.",
    "en": "if nobody does within 30 days, it expires.",
}


@pytest.mark.parametrize("lang", ["es", "en"])
def test_a_member_makes_a_link_and_a_newcomer_reads_the_admission_rule(
    assembly: StoredAssembly, lang: str
) -> None:
    # given
    inviter = Client()
    log_in_as(inviter, assembly.log, assembly.members[2])
    size = get_record_overview(assembly.log).size
    # when
    link = invitation_link(inviter, lang, assembly.log)
    page = Client().get(link)
    # then: the newcomer sees who invites them, the rule, the key set-up and the application form
    assert page.status_code == 200
    text = page.content.decode()
    assert "casa-3" in text
    assert RULE[lang] in text
    assert "data-ayllu-device" in text
    assert 'data-type="member.applied"' in text and 'data-vis="members"' in text
    assert get_record_overview(assembly.log).size == size  # an invitation writes nothing
    # and where this device's application stands is shown there, in words ready for the page's script
    assert "data-ayllu-application" in text and WAITING_LINE[lang] in text


def test_an_outsider_is_sent_to_log_in_to_make_a_link(assembly: StoredAssembly) -> None:
    # when
    response = Client().post(INVITATIONS["en"].format(log=assembly.log))
    # then
    assert response.status_code == 302
    assert response["Location"] == f"/en/assembly/{assembly.log}/login/"


def test_a_member_of_another_assembly_cannot_make_a_link_for_this_one(assembly: StoredAssembly) -> None:
    # given
    other = found_with_officers("Sindicato del Mercado", seed=40)
    client = Client()
    log_in_as(client, other.log, other.members[0])
    # when
    response = client.post(INVITATIONS["en"].format(log=assembly.log))
    # then
    assert response.status_code == 302


def test_a_forged_or_foreign_link_is_not_found(assembly: StoredAssembly) -> None:
    # given
    other = found_with_officers("Sindicato del Mercado", seed=40)
    good = make_invitation_token(log=assembly.log, inviter=assembly.members[0].public)
    forged = good[:-2] + ("AA" if not good.endswith("AA") else "BB")
    foreign = make_invitation_token(log=other.log, inviter=other.members[0].public)
    base = f"/en/assembly/{assembly.log}/invitation/"
    # when / then
    assert Client().get(f"{base}{good}/").status_code == 200
    assert Client().get(f"{base}{forged}/").status_code == 404
    assert Client().get(f"{base}{foreign}/").status_code == 404


def test_a_link_expires_and_dies_when_its_member_leaves(assembly: StoredAssembly, monkeypatch) -> None:
    # given: one link made fifteen days ago, one by a member who then left
    fifteen_days_ago = time.time() - 15 * 24 * 3600
    with monkeypatch.context() as m:
        m.setattr(signing.time, "time", lambda: fifteen_days_ago)
        old = make_invitation_token(log=assembly.log, inviter=assembly.members[0].public)
    leaver = make_invitation_token(log=assembly.log, inviter=assembly.members[3].public)
    act(assembly, assembly.members[3], "member.left", {})
    base = f"/es/asamblea/{assembly.log}/invitacion/"
    # when
    expired = Client().get(f"{base}{old}/")
    gone = Client().get(f"{base}{leaver}/")
    # then
    assert expired.status_code == 410 and "Esta invitación venció" in expired.content.decode()
    assert gone.status_code == 410 and "Esta invitación ya no es válida" in gone.content.decode()


def test_the_newcomer_applies_without_logging_in_and_two_sponsors_admit_them(
    assembly: StoredAssembly,
) -> None:
    # given: the act the invitation page's form signs on the newcomer's device
    newcomer = keypair(77)
    body = act_body("member.applied", {"household": "manzano-5-lote-7"}, vis="members")
    signed = sign_act(newcomer, log=assembly.log, type="member.applied", body=body, nonce="invited-1")
    payload = {
        "act": signed.act.as_json(),
        "body": body.raw.decode(),
        "words": body.words.raw.decode(),
        "asig": signed.asig,
    }  # type: ignore[union-attr]
    # when
    response = Client().post(
        f"/es/asamblea/{assembly.log}/actos/", json.dumps(payload), content_type="application/json"
    )
    waiting = newcomer.public in {a.key for a in list_members(assembly.log).applicants}
    for sponsor in assembly.members[:2]:
        act(assembly, sponsor, "member.sponsored", {"applicant": newcomer.public})
    # then: the application waited outside the record until the first sponsor took it in
    assert response.status_code == 202, response.content
    assert response.json()["waiting"] is True and waiting
    assert newcomer.public in {m.key for m in list_members(assembly.log).members}


def test_the_invitation_offers_a_new_household_or_the_inviters_and_members_read_the_new_ones_name(
    assembly: StoredAssembly,
) -> None:
    # given a link made by the member of casa-3, opened by two newcomers
    inviter = Client()
    log_in_as(inviter, assembly.log, assembly.members[2])
    page = Client().get(invitation_link(inviter, "en", assembly.log)).content.decode()
    (form,) = [f for f in act_forms(page) if f["type"] == "member.applied"]
    options = re.findall(r'<option value="([^"]*)">', page)
    before = get_assembly(assembly.log).households
    # when one applies into a new household (its id made on the device, its name words for members only)
    # and the other joins the inviter's household, both sponsored
    new = {**body_of(form), "household_name": "Manzano 5"}
    joining = {k: v for k, v in body_of(form).items() if k != "household_name"} | {"household": "casa-3"}
    for seed, body in ((78, new), (79, joining)):
        newcomer = keypair(seed)
        applied = act_body("member.applied", body, vis="members")
        signed = sign_act(newcomer, log=assembly.log, type="member.applied", body=applied, nonce=f"n{seed}")
        do_append(assembly.log, signed_act=signed, body=applied)
        for sponsor in assembly.members[:2]:
            act(assembly, sponsor, "member.sponsored", {"applicant": newcomer.public})
    # then the form offered both, the new household has an opaque id and the name, and the joiner counts
    # in casa-3
    assert options == ["", "casa-3"]
    assert re.fullmatch(r"h-[0-9a-f]{32}", new["household"])
    households = {h.id: h.members for h in list_members(assembly.log).households}
    assert keypair(79).public in households["casa-3"] and households[new["household"]] == (
        keypair(78).public,
    )
    assert get_assembly(assembly.log).households == before + 1  # two newcomers, one new household
    member, outsider = Client(), Client()
    log_in_as(member, assembly.log, assembly.members[0])
    assert "Manzano 5" in member.get(f"/en/assembly/{assembly.log}/members/").content.decode()
    assert "Manzano 5" not in outsider.get(f"/en/assembly/{assembly.log}/members/").content.decode()


def test_a_member_asked_to_sponsor_a_nameless_applicant_is_told_how_to_check_who_it_is(
    assembly: StoredAssembly,
) -> None:
    # given a newcomer who applied from an invitation into a new household, waiting on this node: its
    # name is for members only, so the members' page can show just the beginning of the key
    inviter = Client()
    log_in_as(inviter, assembly.log, assembly.members[2])
    page = Client().get(invitation_link(inviter, "es", assembly.log)).content.decode()
    (form,) = [f for f in act_forms(page) if f["type"] == "member.applied"]
    newcomer = keypair(80)
    body = act_body("member.applied", {**body_of(form), "household_name": "Calle 4 n.º 40"}, vis="members")
    signed = sign_act(newcomer, log=assembly.log, type="member.applied", body=body, nonce="n80")
    payload = {"act": signed.act.as_json(), "body": body.raw.decode(), "words": body.words.raw.decode()}
    response = Client().post(
        f"/es/asamblea/{assembly.log}/actos/",
        json.dumps(payload | {"asig": signed.asig}),
        content_type="application/json",
    )
    assert response.status_code == 202, response.content
    # when a member opens the members' page
    member = Client()
    log_in_as(member, assembly.log, assembly.members[0])
    html = member.get(f"/es/asamblea/{assembly.log}/miembros/").content.decode()
    # then beside the key's beginning the page says how to check it is the person in front of them
    assert newcomer.public[:8] in html
    assert "Antes de avalar, pida ver su teléfono: la clave que muestra su página empieza con" in html


def test_a_link_cut_short_on_the_way_says_to_ask_for_it_again(assembly: StoredAssembly) -> None:
    # given an invitation link that a chat cut short
    good = make_invitation_token(log=assembly.log, inviter=assembly.members[0].public)
    # when the newcomer opens it on a Spanish phone
    response = Client().get(f"/es/asamblea/{assembly.log}/invitacion/{good[:-10]}/")
    # then the page says what happened and what to do
    assert response.status_code == 404
    assert "Pida al miembro que le invitó que se lo envíe de nuevo." in response.content.decode()
