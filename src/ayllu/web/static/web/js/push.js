// "Receive notifications on this device" on the member's notification settings (decision 0017):
// register the service worker, ask the browser's permission, subscribe with the node's VAPID public key
// and POST the subscription (endpoint and keys) to the node, which keeps it as a contact of this node
// only. Removing a device that is this one also unsubscribes the browser.

import { csrfToken } from "./messages.js";

const box = document.querySelector("[data-ayllu-push]");
const SUBSCRIBE_MS = 30_000;

function keyBytes(base64url) {
  const base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
  const raw = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
}

function say(text) {
  const status = box.querySelector("[data-ayllu-push-status]");
  status.textContent = text;
  status.hidden = false;
}

async function current() {
  const registration = await navigator.serviceWorker.getRegistration("/");
  return registration ? registration.pushManager.getSubscription() : null;
}

async function subscribe(button) {
  button.disabled = true;
  try {
    await navigator.serviceWorker.register(box.dataset.worker, { scope: "/" });
    // subscribe() needs an active worker: wait until the one just registered (or an earlier one) is.
    const registration = await navigator.serviceWorker.ready;
    const permission = await Notification.requestPermission();
    if (permission !== "granted") {
      say(box.dataset.denied);
      return;
    }
    // A browser that cannot reach its push service may wait for minutes: give up after SUBSCRIBE_MS.
    const subscription = await Promise.race([
      registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(box.dataset.key) }),
      new Promise((_, reject) => setTimeout(() => reject(new Error("the push service did not answer")), SUBSCRIBE_MS)),
    ]);
    const json = subscription.toJSON();
    const body = new URLSearchParams({
      do: "push_add",
      endpoint: json.endpoint,
      p256dh: json.keys.p256dh,
      auth: json.keys.auth,
      csrfmiddlewaretoken: csrfToken(),
    });
    const answer = await fetch(box.dataset.action, { method: "POST", body, credentials: "same-origin" });
    if (!answer.ok) {
      say(box.dataset.failed);
      return;
    }
    window.location.assign(answer.url);
  } catch (error) {
    console.warn("push subscription failed:", String(error));
    say(box.dataset.failed);
  } finally {
    button.disabled = false;
  }
}

if (box) {
  const button = box.querySelector("[data-ayllu-push-subscribe]");
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    say(box.dataset.unsupported);
  } else {
    button.hidden = false;
    button.addEventListener("click", () => subscribe(button));
    current()
      .then((mine) => {
        if (!mine) return;
        for (const item of box.querySelectorAll("[data-ayllu-push-device]")) {
          if (item.dataset.endpoint === mine.endpoint) item.querySelector("[data-ayllu-this-device]").hidden = false;
        }
      })
      .catch(() => {});
    for (const form of box.querySelectorAll("form[data-ayllu-push-remove]")) {
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        try {
          const mine = await current();
          if (mine && mine.endpoint === form.elements.endpoint.value) await mine.unsubscribe();
        } catch {
          // The node forgets the device whatever the browser says.
        }
        form.submit();
      });
    }
  }
}
