"""The logged-in member's notification settings, contact and outbox through the API."""

import json
from dataclasses import asdict, fields

from django.test import Client

from ayllu.actions.notifications import SettingsChange
from ayllu.queries.notifications import NotificationPrefs
from ayllu.queries.pages import get_member_id
from ayllu.storage.member_settings import MemberSettings
from ayllu.storage.models import NotificationSettings, OutboxMessage, Record
from factories.stored import found_with_officers, log_in_as

SETTINGS = {
    "email": "bob@example.org",
    "email_on": True,
    "language": "en",
    "quiet_start": 22,
    "quiet_end": 7,
    "utc_offset": -240,
    "digest": False,
}


def url(log: str, rest: str = "notifications") -> str:
    return f"/api/assemblies/{log}/me/{rest}"


def put(client: Client, log: str, body: dict[str, object], **headers: str) -> object:
    return client.put(url(log), json.dumps(body), content_type="application/json", **headers)


def test_a_member_reads_replaces_and_deletes_their_own_settings(db: None, client: Client) -> None:
    # given a member logged in
    assembly = found_with_officers("Junta Vecinal API")
    log_in_as(client, assembly.log, assembly.members[1])
    me = get_member_id(assembly.log, key=assembly.members[1].public)
    # when they read their settings before saving any, then replace them
    assert client.get(url(assembly.log)).json()["email"] == ""
    response = put(client, assembly.log, SETTINGS)
    # then they are kept and answered
    assert response.status_code == 200, response.content  # type: ignore[attr-defined]
    assert client.get(url(assembly.log)).json() == SETTINGS
    # when they delete their contact
    assert client.delete(url(assembly.log, "notifications/contact")).status_code == 204
    # then the address is gone, the rest stays
    assert client.get(url(assembly.log)).json() == {**SETTINGS, "email": ""}
    assert NotificationSettings.objects.get(member=me).email == ""


def test_a_bad_setting_is_refused_with_a_translated_reason_and_nothing_is_written(
    db: None, client: Client
) -> None:
    # given a member logged in with settings saved
    assembly = found_with_officers("Junta Vecinal API")
    log_in_as(client, assembly.log, assembly.members[1])
    put(client, assembly.log, SETTINGS)
    # when they send an address that is none, half a quiet span, an offset out of range
    for change, reason in (
        ({"email": "bob"}, "Ese correo electrónico no es válido"),
        ({"quiet_end": None}, "Las horas de silencio necesitan"),
        ({"utc_offset": 15 * 60}, "La zona horaria debe estar"),
    ):
        response = put(client, assembly.log, {**SETTINGS, **change}, HTTP_ACCEPT_LANGUAGE="es")
        # then each is a 400 naming the reason in the reader's language
        assert response.status_code == 400  # type: ignore[attr-defined]
        body = response.json()  # type: ignore[attr-defined]
        assert body["code"] == "notification_settings_invalid" and reason in body["message"]
    # and nothing changed
    assert client.get(url(assembly.log)).json() == SETTINGS
    # a value of the wrong kind is refused by the schema
    assert put(client, assembly.log, {**SETTINGS, "quiet_start": "tarde"}).status_code == 422  # type: ignore[attr-defined]


def test_nobody_else_reads_or_changes_a_members_settings(db: None, client: Client) -> None:
    # given a member's settings, and a member of another assembly logged in there
    assembly = found_with_officers("Junta Vecinal API")
    owner = Client()
    log_in_as(owner, assembly.log, assembly.members[1])
    put(owner, assembly.log, SETTINGS)
    elsewhere = found_with_officers("Otra Junta", seed=20)
    log_in_as(client, elsewhere.log, elsewhere.members[0])
    # when an outsider or that member asks for this assembly's settings, outbox, or changes them
    answers = [
        Client().get(url(assembly.log)),
        client.get(url(assembly.log)),
        client.get(url(assembly.log, "outbox")),
        put(client, assembly.log, {**SETTINGS, "email": "mallory@example.org"}),
        client.delete(url(assembly.log, "notifications/contact")),
    ]
    # then every answer is 403 and the owner's address is untouched and never shown
    assert [a.status_code for a in answers] == [403] * 5  # type: ignore[attr-defined]
    assert all(a.json()["code"] == "member_login_required" for a in answers)  # type: ignore[attr-defined]
    assert all(b"bob@example.org" not in a.content for a in answers)  # type: ignore[attr-defined]
    assert NotificationSettings.objects.get().email == "bob@example.org"


def test_a_write_without_the_sessions_csrf_token_is_refused(db: None) -> None:
    # given a member logged in with a browser that checks CSRF as a real one does
    assembly = found_with_officers("Junta Vecinal API")
    client = Client()
    log_in_as(client, assembly.log, assembly.members[1])
    client.get(f"/en/assembly/{assembly.log}/notifications/")  # the page sets the CSRF cookie
    client.handler.enforce_csrf_checks = True
    # when a page elsewhere makes their browser send a change without the token
    response = put(client, assembly.log, SETTINGS)
    # then it is refused and nothing is written
    assert response.status_code == 403  # type: ignore[attr-defined]
    assert response.json()["code"] == "csrf_refused"  # type: ignore[attr-defined]
    assert NotificationSettings.objects.count() == 0
    # and with the token it is taken
    token = client.cookies["csrftoken"].value
    assert put(client, assembly.log, SETTINGS, HTTP_X_CSRFTOKEN=token).status_code == 200  # type: ignore[attr-defined]


def test_a_member_sees_their_own_outbox_and_dead_letters(db: None, client: Client) -> None:
    # given two messages of a member, one sent and one dead, and one of another member
    assembly = found_with_officers("Junta Vecinal API")
    log_in_as(client, assembly.log, assembly.members[1])
    me = get_member_id(assembly.log, key=assembly.members[1].public)
    record = Record.objects.get(log=assembly.log)
    common = {"record": record, "channel": "email", "next_attempt": 1, "created": 1}
    OutboxMessage.objects.create(member=me, reminder="meeting-convened:2", status="sent", sent=2, **common)
    OutboxMessage.objects.create(
        member=me,
        reminder="question-opened:5",
        status="dead",
        attempts=8,
        last_error="EmailRefused: mail server answered 550",
        failure="address_refused",
        **common,
    )
    OutboxMessage.objects.create(member="someone-else", reminder="question-opened:5", **common)
    # when they ask for their outbox and their dead letters
    everything = client.get(url(assembly.log, "outbox")).json()
    dead = client.get(url(assembly.log, "outbox") + "?status=dead", HTTP_ACCEPT_LANGUAGE="en").json()
    # then they see only their own
    assert sorted(m["reminder"] for m in everything) == ["meeting-convened:2", "question-opened:5"]
    assert [(m["reminder"], m["attempts"], m["failure"]) for m in dead] == [
        ("question-opened:5", 8, "address_refused")
    ]
    # and what went wrong in words, not the mail server's answer (that is for the node's operators)
    assert dead[0]["failure_message"].startswith("Your e-mail provider says this address")
    assert "550" not in str(dead) and "last_error" not in dead[0]


def test_the_settings_have_one_shape_in_the_api_the_query_and_the_write(db: None, client: Client) -> None:
    # given the one class the settings are written in
    names = [f.name for f in fields(MemberSettings)]
    # when the API describes its body and its answer
    spec = client.get("/api/openapi.json").json()
    operation = spec["paths"]["/api/assemblies/{log}/me/notifications"]
    body = operation["put"]["requestBody"]["content"]["application/json"]["schema"]
    answer = operation["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    # then both are that class, with its fields and defaults; the query's settings and the write's are too
    assert body == answer == {"$ref": "#/components/schemas/MemberSettings"}
    described = spec["components"]["schemas"]["MemberSettings"]["properties"]
    assert list(described) == names
    assert {name: described[name].get("default") for name in names} == asdict(MemberSettings())
    assert issubclass(NotificationPrefs, MemberSettings) and SettingsChange is MemberSettings


def test_a_body_that_leaves_fields_out_keeps_their_defaults(db: None, client: Client) -> None:
    # given a member logged in
    assembly = found_with_officers("Junta Vecinal API")
    log_in_as(client, assembly.log, assembly.members[1])
    # when they send only their address
    response = put(client, assembly.log, {"email": "bob@example.org"})
    # then the rest takes the defaults of the one class
    assert response.status_code == 200, response.content  # type: ignore[attr-defined]
    assert client.get(url(assembly.log)).json() == asdict(MemberSettings(email="bob@example.org"))
