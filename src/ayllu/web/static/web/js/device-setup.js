// The "set up this device" page: find or create this device's key for the assembly and show its
// public half. The private half is created non-extractable and never leaves the browser.

import { createDeviceKey, DeviceKeyError, deviceKeysSupported, findDeviceKey, getDeviceKey } from "./device-key.js";
import { message, showStatus } from "./messages.js";

function showKey(section, key) {
  section.querySelector("[data-ayllu-public-hex]").textContent = key.publicKey;
  section.querySelector("[data-ayllu-public]").hidden = false;
  section.querySelector("[data-ayllu-create]").hidden = true;
  const login = section.querySelector("[data-ayllu-login-link]"); // absent for a reader logged in already
  if (login) login.hidden = false;
  section.dataset.state = "ready";
}

/** Where this device's application stands, on the newcomer's page: waiting outside the record, in it, or
 * admitted (decision 0011). Read from the public members list; nothing is shown when the key is unknown. */
async function showApplication(log, key) {
  const area = document.querySelector("[data-ayllu-application]");
  if (!area || !key) return;
  let data;
  try {
    const response = await fetch(`/api/assemblies/${log}/members`, { headers: { Accept: "application/json" } });
    if (!response.ok) return;
    data = await response.json();
  } catch {
    return;
  }
  let state = "";
  if ((data.members || []).some((m) => m.key === key.publicKey)) state = "member";
  else {
    const applicant = (data.applicants || []).find((a) => a.key === key.publicKey);
    if (applicant) state = applicant.waiting ? "waiting" : "applied";
  }
  if (!state) return;
  showStatus(area, message(document, `application_${state}`));
  area.dataset.state = state;
  area.hidden = false;
}

async function setUp(section) {
  const log = section.dataset.log;
  const status = section.querySelector("[data-ayllu-status]");
  const create = section.querySelector("[data-ayllu-create]");
  if (!deviceKeysSupported()) {
    showStatus(status, message(document, "unsupported"), { problem: true });
    section.dataset.state = "unsupported";
    return;
  }
  showStatus(status, message(document, "checking"));
  let existing = null;
  try {
    // A founder's device files the key it endorsed the founding with, instead of making another.
    existing = await findDeviceKey(log, JSON.parse(section.dataset.founders || "[]"));
  } catch (error) {
    showStatus(status, message(document, "no_storage"), { problem: true });
    section.dataset.state = "failed";
    return;
  }
  if (existing) {
    showStatus(status, message(document, "exists"));
    showKey(section, existing);
    await showApplication(log, existing);
    return;
  }
  showStatus(status, message(document, "none"));
  create.hidden = false;
  section.dataset.state = "empty";
  create.addEventListener("click", async () => {
    create.disabled = true;
    showStatus(status, message(document, "creating"));
    try {
      const key = await createDeviceKey(log);
      showStatus(status, message(document, "created"));
      showKey(section, key);
    } catch (error) {
      const code = error instanceof DeviceKeyError ? error.code : "failed";
      if (code === "key_exists") {
        showKey(section, await getDeviceKey(log));
        showStatus(status, message(document, "exists"));
        return;
      }
      showStatus(status, message(document, code) || message(document, "failed"), { problem: true });
      create.disabled = false;
    }
  });
}

for (const section of document.querySelectorAll("[data-ayllu-device]")) {
  setUp(section);
}
