"""Subscribing a device to Web Push from the settings page, in headless Chromium (decision 0017).

A real `pushManager.subscribe` cannot complete here: this sandbox has no internet, and Chromium's push
service (Google's FCM) is out of reach. In a normal (persistent) profile the call then waits for minutes
(more than 3 were seen) without settling, and the page gives up after 30 s; in Playwright's contexts,
which are private ("incognito"), Chromium refuses the Push API at once ("Registration failed - permission
denied"). One test checks that refusal (the page says the device could not be subscribed, the node keeps
nothing); the other stands in for the push service at the one call the page makes to it,
`PushManager.prototype.subscribe`, and checks that the page calls it with the node's VAPID key and posts
the subscription it gets to the node. Delivery to a push service is tested in tests/notify/test_push.py.
"""

import base64
from collections.abc import Iterator
from typing import Any

import pytest

from ayllu.actions.record import forget_replayed_state
from ayllu.queries.notifications import get_push_public_key, list_push_devices
from ayllu.queries.pages import get_member_id
from factories.stored import StoredAssembly, found_with_officers

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

FAKE_ENDPOINT = "https://push.example.net/wpush/v2/fake-device"
P256DH = "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM"
AUTH = "tBHItJI5svbpez7KI4CCXg"

# Stands in for the browser's push service: records the key the page subscribes with and answers with a
# subscription, as Chromium would after FCM answered.
STUB = (
    """
PushManager.prototype.subscribe = async function (options) {
  const key = new Uint8Array(options.applicationServerKey);
  const called = { userVisibleOnly: options.userVisibleOnly, key: Array.from(key) };
  sessionStorage.setItem("subscribedWith", JSON.stringify(called));  // outlives the page's reload
  const json = { endpoint: "ENDPOINT", keys: { p256dh: "P256DH", auth: "AUTH" } };
  return { endpoint: json.endpoint, toJSON: () => json, unsubscribe: async () => true };
};
""".replace("ENDPOINT", FAKE_ENDPOINT)
    .replace("P256DH", P256DH)
    .replace("AUTH", AUTH)
)


@pytest.fixture
def assembly(transactional_db: None) -> Iterator[StoredAssembly]:
    forget_replayed_state()
    yield found_with_officers("Junta Vecinal Villa Esperanza", size=2)
    forget_replayed_state()


def settings_page(member_page: Any, live_server: Any, assembly: StoredAssembly, *, stub: bool) -> Any:
    page = member_page(assembly.log, assembly.members[0], language="en")
    page.context.grant_permissions(["notifications"], origin=live_server.url)
    if stub:
        page.context.add_init_script(STUB)
    page.goto(f"{live_server.url}/en/assembly/{assembly.log}/notifications/")
    return page


def test_the_subscribe_button_calls_the_push_manager_with_the_nodes_key_and_posts_the_subscription(
    member_page: Any, live_server: Any, assembly: StoredAssembly
) -> None:
    # given a member on their settings page, the push service stood in for
    page = settings_page(member_page, live_server, assembly, stub=True)
    # when they ask for notifications on this device
    with page.expect_navigation(url="**/notifications/?saved=1"):
        page.get_by_role("button", name="Receive notifications on this device").click()
    # then the page subscribed with the node's VAPID public key, for notifications the member sees
    called = page.evaluate("JSON.parse(sessionStorage.getItem('subscribedWith'))")
    key = base64.urlsafe_b64decode(get_push_public_key() + "=")
    assert called == {"userVisibleOnly": True, "key": list(key)}
    # and the node keeps the subscription it was given, and lists the device
    me = get_member_id(assembly.log, key=assembly.members[0].public)
    assert [(d.endpoint, d.p256dh, d.auth) for d in list_push_devices(assembly.log, member=me)] == [
        (FAKE_ENDPOINT, P256DH, AUTH)
    ]
    assert page.get_by_text("A device, through push.example.net").is_visible()


def test_when_the_browser_refuses_push_the_page_says_the_device_could_not_be_subscribed(
    member_page: Any, live_server: Any, assembly: StoredAssembly
) -> None:
    # given a member on their settings page, in a private Chromium context (which refuses the Push API)
    page = settings_page(member_page, live_server, assembly, stub=False)
    warnings: list[str] = []
    page.on("console", lambda message: warnings.append(message.text))
    # when they ask for notifications on this device
    page.get_by_role("button", name="Receive notifications on this device").click()
    # then the browser refuses the subscription, the page says so, and the node keeps nothing
    status = page.locator("[data-ayllu-push-status]")
    status.wait_for(state="visible", timeout=60_000)
    assert status.inner_text() == "This device could not be subscribed. Try again later."
    me = get_member_id(assembly.log, key=assembly.members[0].public)
    assert list_push_devices(assembly.log, member=me) == ()
    assert "push subscription failed: AbortError: Registration failed - permission denied" in warnings
