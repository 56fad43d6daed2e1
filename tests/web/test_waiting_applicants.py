"""Members see applications waiting outside the record where they see applicants, and take them in."""

import json

import pytest
from django.test import Client

from ayllu.actions.record import forget_replayed_state
from ayllu.core.ledger.record import SignedAct, make_body, sign_act
from ayllu.storage import models
from factories.keys import keypair
from factories.stored import StoredAssembly, found, log_in_as

from .test_translations import visible_text

NEWCOMER = keypair("recien-llegada")


@pytest.fixture
def assembly(db: None) -> StoredAssembly:
    """Three founders under the default charter (two sponsors admit an applicant)."""
    forget_replayed_state()
    return found("Junta Vecinal Villa Esperanza", members=(keypair(1), keypair(2), keypair(3)))


def post_act(client: Client, log: str, signed: SignedAct, body_text: str) -> object:
    payload = {"act": signed.act.as_json(), "body": body_text, "asig": signed.asig}
    return client.post(f"/en/assembly/{log}/acts/", json.dumps(payload), content_type="application/json")


def apply(client: Client, log: str) -> object:
    body = make_body({"household": "casa-9"}, vis="public")
    signed = sign_act(NEWCOMER, log=log, type="member.applied", body=body, nonce="apply-9")
    return post_act(client, log, signed, body.raw.decode())


def test_the_members_page_and_now_show_a_waiting_applicant_to_sponsor(assembly: StoredAssembly) -> None:
    # given: the newcomer's application waits outside the record
    size = models.Entry.objects.filter(record__log=assembly.log).count()
    assert apply(Client(), assembly.log).status_code == 202
    member = Client()
    log_in_as(member, assembly.log, assembly.members[1])
    # when
    members = member.get(f"/en/assembly/{assembly.log}/members/").content.decode()
    now = member.get(f"/en/assembly/{assembly.log}/").content.decode()
    # then: marked as waiting, with the sponsor form naming the newcomer; "Now" asks the member too
    text = visible_text(members, language="en")
    assert "Waiting on this node, not in the record yet" in text
    assert f'name="body.applicant" value="{NEWCOMER.public}"' in members
    assert "Asks to join the assembly: sponsor them if you know them." in visible_text(now, language="en")
    assert models.Entry.objects.filter(record__log=assembly.log).count() == size


def test_a_members_sponsorship_through_the_pages_takes_the_application_in(assembly: StoredAssembly) -> None:
    # given
    apply(Client(), assembly.log)
    size = models.Entry.objects.filter(record__log=assembly.log).count()
    sponsor = assembly.members[0]
    member = Client()
    log_in_as(member, assembly.log, sponsor)
    body = make_body({"applicant": NEWCOMER.public}, vis="public")
    signed = sign_act(sponsor, log=assembly.log, type="member.sponsored", body=body, nonce="sponsor-9")
    # when
    response = post_act(member, assembly.log, signed, body.raw.decode())
    # then: the application, then the sponsorship; one sponsor of two, so still an applicant
    assert response.status_code == 200, response.content
    assert response.json()["seq"] == size + 2
    rows = models.Entry.objects.filter(record__log=assembly.log, seq__gt=size).order_by("seq")
    assert list(rows.values_list("type", "author")) == [
        ("member.applied", NEWCOMER.public),
        ("member.sponsored", sponsor.public),
    ]
    assert not models.WaitingAct.objects.exists()
    page = member.get(f"/en/assembly/{assembly.log}/members/").content.decode()
    assert "1 sponsor so far" in visible_text(page, language="en")


def test_now_is_not_answered_from_the_browsers_copy_once_someone_applies(assembly: StoredAssembly) -> None:
    # given: a member holds "Now" as it was before anyone applied
    member = Client()
    log_in_as(member, assembly.log, assembly.members[1])
    first = member.get(f"/en/assembly/{assembly.log}/")
    etag = first.headers["ETag"]
    assert member.get(f"/en/assembly/{assembly.log}/", headers={"if-none-match": etag}).status_code == 304
    # when: a newcomer applies (the record's head does not move)
    apply(Client(), assembly.log)
    again = member.get(f"/en/assembly/{assembly.log}/", headers={"if-none-match": etag})
    # then: the page is made again, with the applicant
    assert again.status_code == 200
    assert "Asks to join the assembly" in visible_text(again.content.decode(), language="en")


def test_a_full_waiting_room_is_refused_in_words_on_the_pages_route(
    assembly: StoredAssembly, settings
) -> None:
    # given
    settings.AYLLU_WAITING_LIMIT = 0
    # when
    response = apply(Client(), assembly.log)
    # then
    assert response.status_code == 429
    assert response.json()["code"] == "waiting_room_full"
    message = response.json()["message"]
    assert message.startswith("This node cannot keep more applications or key claims waiting now.")
    assert not models.WaitingAct.objects.exists()


def test_a_waiting_applicants_new_household_is_named_in_words_not_by_its_opaque_id(
    assembly: StoredAssembly,
) -> None:
    # given: the newcomer applies with a new household, its name in the act's words (not read while waiting)
    household = "h-" + "e4f06699c7a9aba8b0a2e4cbd2d99610"
    body = make_body({"household": household}, vis="public")
    signed = sign_act(NEWCOMER, log=assembly.log, type="member.applied", body=body, nonce="apply-h")
    assert post_act(Client(), assembly.log, signed, body.raw.decode()).status_code == 202
    member = Client()
    log_in_as(member, assembly.log, assembly.members[1])
    # when
    members = member.get(f"/es/asamblea/{assembly.log}/miembros/").content.decode()
    # then: the page says what the household is, and no hex id stands for its name
    text = visible_text(members, language="es")
    assert "una familia nueva; los miembros leerán su nombre cuando el pedido entre en el registro" in text
    assert household not in text
