"""The settings page's devices: a member subscribes this browser and removes any of their devices; the
page carries the node's key and the service worker is served at the node's root (decision 0017)."""

from django.test import Client

from ayllu.queries.notifications import get_push_public_key, list_push_devices
from ayllu.queries.pages import get_member_id
from factories.stored import found_with_officers, log_in_as

ENDPOINT = "https://updates.push.services.mozilla.com/wpush/v2/gAAAA"
P256DH = "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM"
AUTH = "tBHItJI5svbpez7KI4CCXg"


def page(log: str, lang: str = "en") -> str:
    return f"/{lang}/assembly/{log}/notifications/" if lang == "en" else f"/es/asamblea/{log}/avisos/"


def test_a_member_subscribes_a_device_and_removes_it(db: None, client: Client) -> None:
    # given a member logged in, on their settings page
    assembly = found_with_officers("Junta Vecinal Push")
    log_in_as(client, assembly.log, assembly.members[0])
    me = get_member_id(assembly.log, key=assembly.members[0].public)
    shown = client.get(page(assembly.log)).content.decode()
    # then the page offers the subscription with the node's key and the worker's address
    assert f'data-key="{get_push_public_key()}"' in shown and 'data-worker="/push-sw.js"' in shown
    assert (
        "Receive notifications on this device" in shown and "No device receives notifications yet." in shown
    )
    # when the page's script posts the browser's subscription
    added = client.post(
        page(assembly.log), {"do": "push_add", "endpoint": ENDPOINT, "p256dh": P256DH, "auth": AUTH}
    )
    # then the device is kept and listed by its push service
    assert added.status_code == 302
    assert [d.endpoint for d in list_push_devices(assembly.log, member=me)] == [ENDPOINT]
    assert (
        "A device, through updates.push.services.mozilla.com"
        in client.get(page(assembly.log)).content.decode()
    )
    # when they remove it
    removed = client.post(page(assembly.log), {"do": "push_remove", "endpoint": ENDPOINT})
    # then it is gone
    assert removed.status_code == 302 and list_push_devices(assembly.log, member=me) == ()


def test_a_subscription_that_is_none_is_refused_in_spanish(db: None, client: Client) -> None:
    # given a member logged in, reading in Spanish
    assembly = found_with_officers("Junta Vecinal Push")
    log_in_as(client, assembly.log, assembly.members[0])
    me = get_member_id(assembly.log, key=assembly.members[0].public)
    # when a subscription with a short key arrives
    answer = client.post(
        page(assembly.log, "es"), {"do": "push_add", "endpoint": ENDPOINT, "p256dh": "AAAA", "auth": AUTH}
    )
    # then the page says why, in Spanish, and keeps nothing
    assert answer.status_code == 400
    assert "Este navegador dio una suscripción que el nodo no puede usar" in answer.content.decode()
    assert list_push_devices(assembly.log, member=me) == ()


def test_the_service_worker_is_served_at_the_root(db: None, client: Client) -> None:
    # when a browser registers the worker
    answer = client.get("/push-sw.js")
    # then it is the node's own script, which shows a push and opens its link
    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/javascript")
    body = answer.content.decode()
    assert "showNotification" in body and "openWindow" in body
