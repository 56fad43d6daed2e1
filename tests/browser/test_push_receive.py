"""A phone subscribed to Web Push from the settings page receives a reminder and its service worker shows
it (decision 0017), as far as this sandbox lets a test go.

Chromium's own push service (Google's FCM) is out of reach here (see test_push_subscribe.py), so the test
stands in for it at its two ends and nowhere else: `PushManager.prototype.subscribe` answers with a
subscription whose endpoint is a push service on 127.0.0.1 holding the keys a browser would
(tests/notify/pushservice.py); the node's real deliverer sends it the reminder, signed with the node's VAPID
key and encrypted for that device; that service checks and decrypts it with code of its own; and CDP's
`ServiceWorker.deliverPushMessage` hands the decrypted message to the page's real service worker, as
Chromium does once FCM has delivered. The worker's notification is then read back from the registration.
"""

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from ayllu.actions.record import forget_replayed_state
from ayllu.notify.channels import PushChannel
from ayllu.notify.delivery import deliver_once
from ayllu.queries.notifications import list_push_devices
from ayllu.queries.pages import get_member_id
from factories.stored import StoredAssembly, act, found_with_officers
from notify.pushservice import PushService, push_service

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

__all__ = ["push_service"]

DAY_MS = 24 * 3600 * 1000
MEETING = "Asamblea de diciembre"

STUB = """
PushManager.prototype.subscribe = async function (options) {
  const json = { endpoint: "ENDPOINT", keys: { p256dh: "P256DH", auth: "AUTH" } };
  return { endpoint: json.endpoint, toJSON: () => json, unsubscribe: async () => true };
};
"""

NOTIFICATIONS = """
navigator.serviceWorker.ready
  .then((registration) => registration.getNotifications())
  .then((shown) => shown.map((n) => ({ title: n.title, body: n.body, url: n.data && n.data.url })))
"""


@pytest.fixture
def assembly(transactional_db: None) -> Iterator[StoredAssembly]:
    forget_replayed_state()
    yield found_with_officers("Junta Vecinal Avisos", size=2)
    forget_replayed_state()


def test_a_subscribed_phone_receives_a_reminder_and_its_service_worker_shows_it(
    member_page: Any, live_server: Any, assembly: StoredAssembly, push_service: PushService
) -> None:
    # given a member on their settings page at 360 px in Spanish, whose browser's push service is local
    phone = push_service.browser("phone")
    page = member_page(assembly.log, assembly.members[0], language="es")
    page.context.grant_permissions(["notifications"], origin=live_server.url)
    stub = STUB.replace("ENDPOINT", push_service.endpoint("phone"))
    page.context.add_init_script(stub.replace("P256DH", phone.p256dh).replace("AUTH", phone.auth))
    with translation.override("es"):
        page.goto(live_server.url + reverse("web:notifications", args=[assembly.log]))
    # when they ask for notifications on this phone
    with page.expect_navigation(url="**/avisos/?guardado=1"):
        page.get_by_role("button", name="Recibir notificaciones en este dispositivo").click()
    me = get_member_id(assembly.log, key=assembly.members[0].public)
    devices = list_push_devices(assembly.log, member=me)
    assert [d.endpoint for d in devices] == [push_service.endpoint("phone")]
    # and the convenor convenes a meeting, and the node's deliverer runs
    now = int(time.time() * 1000)
    act(assembly, assembly.convenor, "meeting.convened", {"title": MEETING, "starts": now + 3 * DAY_MS})
    deliver_once(now=now, channels=[PushChannel()])
    # then the push service got the reminder, encrypted for this phone alone, in Spanish
    received = push_service.to("phone")
    convened = [p for p in received if MEETING in p["title"] + p["body"]]
    assert convened, received
    # and handed to the phone's service worker, it shows the notification with the link to the meeting
    cdp = page.context.new_cdp_session(page)
    registrations: list[dict[str, Any]] = []
    cdp.on("ServiceWorker.workerRegistrationUpdated", lambda e: registrations.extend(e["registrations"]))
    cdp.send("ServiceWorker.enable")
    deadline = time.monotonic() + 10
    while not registrations and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    (registration,) = [r for r in registrations if r["scopeURL"] == live_server.url + "/"]
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {
            "origin": live_server.url,
            "registrationId": registration["registrationId"],
            "data": json.dumps(convened[0]),
        },
    )
    shown: list[dict[str, str]] = []
    deadline = time.monotonic() + 10
    while not shown and time.monotonic() < deadline:
        page.wait_for_timeout(100)
        shown = page.evaluate(NOTIFICATIONS)
    assert shown == [{"title": convened[0]["title"], "body": convened[0]["body"], "url": convened[0]["url"]}]
    assert "/es/" in shown[0]["url"]
