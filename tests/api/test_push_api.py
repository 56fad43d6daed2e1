"""Web Push through the API: the node's key for anyone, a member's devices for that member alone."""

import json

from django.test import Client

from ayllu.queries.notifications import get_push_public_key
from ayllu.queries.pages import get_member_id
from ayllu.storage.models import PushSubscription
from factories.stored import found_with_officers, log_in_as

ENDPOINT = "https://fcm.googleapis.com/fcm/send/abc:def"
KEYS = {
    "p256dh": "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM",
    "auth": "tBHItJI5svbpez7KI4CCXg",
}


def url(log: str) -> str:
    return f"/api/assemblies/{log}/me/push"


def post(client: Client, log: str, body: dict[str, object], **headers: str) -> object:
    return client.post(url(log), json.dumps(body), content_type="application/json", **headers)


def test_anyone_reads_the_nodes_push_key(db: None, client: Client) -> None:
    # when the node's VAPID public key is asked for
    answer = client.get("/api/push/key")
    # then it is the key the node signs with: an uncompressed P-256 point
    assert answer.status_code == 200
    assert answer.json() == {"key": get_push_public_key()}


def test_a_member_subscribes_lists_and_removes_their_devices(db: None, client: Client) -> None:
    # given a member logged in
    assembly = found_with_officers("Junta Vecinal Push")
    log_in_as(client, assembly.log, assembly.members[1])
    me = get_member_id(assembly.log, key=assembly.members[1].public)
    # when they post their browser's subscription twice (a browser may send it again), and list them
    first = post(client, assembly.log, {"endpoint": ENDPOINT, "keys": KEYS})
    again = post(client, assembly.log, {"endpoint": ENDPOINT, "keys": KEYS})
    # then the device is kept once, theirs
    assert first.status_code == again.status_code == 201  # type: ignore[attr-defined]
    assert client.get(url(assembly.log)).json() == [{"endpoint": ENDPOINT}]
    assert list(PushSubscription.objects.values_list("member", flat=True)) == [me]
    # when they remove it
    assert client.delete(url(assembly.log) + "?endpoint=" + ENDPOINT).status_code == 204
    # then it is gone from the node
    assert client.get(url(assembly.log)).json() == []
    assert not PushSubscription.objects.exists()


def test_a_subscription_no_browser_gives_is_refused_in_the_members_language(db: None, client: Client) -> None:
    # given a member logged in
    assembly = found_with_officers("Junta Vecinal Push")
    log_in_as(client, assembly.log, assembly.members[1])
    # when they post an endpoint that is not https, a key that is no P-256 point, a short secret
    for body in (
        {"endpoint": "http://10.0.0.1/admin", "keys": KEYS},
        {"endpoint": "file:///etc/passwd", "keys": KEYS},
        {"endpoint": ENDPOINT, "keys": {**KEYS, "p256dh": "AAAA"}},
        {"endpoint": ENDPOINT, "keys": {**KEYS, "auth": "c2hvcnQ"}},
    ):
        answer = post(client, assembly.log, body, HTTP_ACCEPT_LANGUAGE="es")
        # then it is refused, saying why in Spanish, and nothing is kept
        assert answer.status_code == 400, body  # type: ignore[attr-defined]
        assert "Este navegador" in answer.json()["message"]  # type: ignore[attr-defined]
    assert not PushSubscription.objects.exists()


def test_nobody_but_the_member_subscribes_or_reads_devices(db: None, client: Client) -> None:
    # given an assembly and a visitor not logged in
    assembly = found_with_officers("Junta Vecinal Push")
    # then reading, adding and removing devices are all refused
    assert client.get(url(assembly.log)).status_code == 403
    assert post(client, assembly.log, {"endpoint": ENDPOINT, "keys": KEYS}).status_code == 403  # type: ignore[attr-defined]
    assert client.delete(url(assembly.log)).status_code == 403
    assert not PushSubscription.objects.exists()
