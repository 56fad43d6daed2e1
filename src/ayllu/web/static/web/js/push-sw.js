// The service worker of Web Push (decision 0017), served at /push-sw.js so its scope is the whole node.
// A push message arrives encrypted for this browser alone; the browser decrypts it and hands this worker
// {title, body, url}: public words and the link, as the e-mail carries. Clicking the notification
// opens the link (a page of this node only), focusing a tab already on it.

self.addEventListener("push", (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = { body: event.data ? event.data.text() : "" };
  }
  event.waitUntil(
    self.registration.showNotification(data.title || "ayllu", {
      body: data.body || "",
      data: { url: data.url || "/" },
    }),
  );
});

function sameOrigin(url) {
  try {
    const parsed = new URL(url, self.location.origin);
    return parsed.origin === self.location.origin ? parsed.href : self.location.origin + "/";
  } catch {
    return self.location.origin + "/";
  }
}

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = sameOrigin((event.notification.data && event.notification.data.url) || "/");
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
      for (const client of windows) {
        if (client.url === url && "focus" in client) return client.focus();
      }
      return self.clients.openWindow(url);
    }),
  );
});
