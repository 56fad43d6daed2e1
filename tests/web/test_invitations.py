"""Invitations in Spanish and English: a member makes a link, a newcomer opens it, reads the admission
rule in plain words, and applies with their own key; nothing is written until they apply."""

import json
import re
import time

import pytest
from django.core import signing
from django.test import Client

from ayllu.actions.record import forget_replayed_state
from ayllu.core.ledger.record import make_body, sign_act
from ayllu.queries.assembly import list_members
from ayllu.queries.record import get_record_overview
from ayllu.web.views_invitations import make_invitation_token
from factories.keys import keypair
from factories.stored import StoredAssembly, act, found_with_officers, log_in_as

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
    found_link = re.search(r"data-ayllu-invitation-link>([^<]+)<", response.content.decode())
    assert found_link is not None
    return found_link.group(1)


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
    body = make_body({"household": "manzano-5-lote-7"}, vis="members")
    signed = sign_act(newcomer, log=assembly.log, type="member.applied", body=body, nonce="invited-1")
    payload = {"act": signed.act.as_json(), "body": body.raw.decode(), "asig": signed.asig}
    # when
    response = Client().post(
        f"/es/asamblea/{assembly.log}/actos/", json.dumps(payload), content_type="application/json"
    )
    for sponsor in assembly.members[:2]:
        act(assembly, sponsor, "member.sponsored", {"applicant": newcomer.public})
    # then
    assert response.status_code == 200, response.content
    assert newcomer.public in {m["key"] for m in list_members(assembly.log)["members"]}
