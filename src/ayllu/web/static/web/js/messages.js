// Translated sentences for scripts: the server renders them into the page (hidden), scripts pick them
// by name, so every word a member reads comes from the node's catalogue in their language.

/** The sentence named `name` in the page's hidden message list, or "" when the page lacks it. */
export function message(root, name) {
  const holder = (root || document).querySelector(`[data-ayllu-messages] [data-msg="${name}"]`);
  return holder ? holder.textContent.trim() : "";
}

/** Show `text` in a status area: polite by default, as an alert for problems. */
export function showStatus(area, text, { problem = false } = {}) {
  if (!area) return;
  area.setAttribute("role", problem ? "alert" : "status");
  area.classList.toggle("device-status--problem", problem);
  const line = document.createElement("p");
  line.textContent = text;
  area.replaceChildren(line);
}

/** The CSRF token: Django's CSRF cookie, read as Django documents for scripts (pages carry no token). */
export function csrfToken() {
  const cookie = document.cookie.split("; ").find((part) => part.startsWith("csrftoken="));
  return cookie ? decodeURIComponent(cookie.slice("csrftoken=".length)) : "";
}

/** POST `payload` as JSON with the CSRF token; resolve to {ok, status, data} whatever the answer. */
export async function postJson(url, payload) {
  let response;
  try {
    response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(payload),
    });
  } catch {
    return { ok: false, status: 0, data: { code: "network" } };
  }
  let data = {};
  try {
    data = await response.json();
  } catch {
    data = { code: "bad_answer" };
  }
  return { ok: response.ok, status: response.status, data };
}
