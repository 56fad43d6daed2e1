// A founder's page of a founding draft (web/founding/founding.html): each step is signed on this device.
//
// The section marked data-ayllu-founding carries the step ("keys", "endorsements", "signing",
// "founded"), the draft's id, the key filed for this founder, the frozen founding content (canonical
// JSON text) and, once every founder endorsed, the founding act to sign. Each step is a JSON POST to
// the page itself: {key}, {sig} or {asig}; the node answers with translated refusals.

import { canonicalize } from "./canonical.js";
import {
  ACT_CONTEXT,
  createDeviceKey,
  DeviceKeyError,
  deviceKeysSupported,
  draftSlot,
  ENDORSE_CONTEXT,
  fileDeviceKey,
  getDeviceKey,
  signCanonical,
} from "./device-key.js";
import { logIn } from "./login.js";
import { message, postJson, showStatus } from "./messages.js";

class FoundingError extends Error {
  constructor(code) {
    super(`founding: ${code}`);
    this.code = code;
  }
}

async function filedKey(section) {
  const key = await getDeviceKey(draftSlot(section.dataset.draft));
  if (!key || key.publicKey !== section.dataset.filed) throw new FoundingError("wrong_device");
  return key;
}

async function makeKey(section) {
  const slot = draftSlot(section.dataset.draft);
  let key = await getDeviceKey(slot);
  if (!key) {
    showStatus(section.querySelector("[data-ayllu-status]"), message(document, "creating"));
    key = await createDeviceKey(slot);
  }
  return postJson(window.location.href, { key: key.publicKey });
}

async function endorse(section) {
  await filedKey(section);
  const content = JSON.parse(section.dataset.content);
  if (canonicalize(content) !== section.dataset.content) throw new FoundingError("failed");
  const sig = await signCanonical(draftSlot(section.dataset.draft), ENDORSE_CONTEXT, content);
  return postJson(window.location.href, { sig });
}

async function signFounding(section) {
  await filedKey(section);
  const act = JSON.parse(section.dataset.act);
  const asig = await signCanonical(draftSlot(section.dataset.draft), ACT_CONTEXT, act);
  return postJson(window.location.href, { asig });
}

function codeOf(error) {
  return error instanceof DeviceKeyError || error instanceof FoundingError ? error.code : "failed";
}

function bindStep(section, button, step) {
  const status = section.querySelector("[data-ayllu-status]");
  button.hidden = false;
  button.addEventListener("click", async () => {
    button.disabled = true;
    showStatus(status, message(document, "signing"));
    try {
      const answer = await step(section);
      if (answer.ok) {
        showStatus(status, message(document, "done"));
        section.dataset.state = "done";
        window.location.reload();
        return;
      }
      section.dataset.state = answer.data.code || "failed";
      const text = answer.data.message || message(document, answer.data.code) || message(document, "failed");
      showStatus(status, text, { problem: true });
    } catch (error) {
      section.dataset.state = codeOf(error);
      showStatus(status, message(document, codeOf(error)) || message(document, "failed"), { problem: true });
    }
    button.disabled = false;
  });
}

async function fileForRecord(section) {
  const status = section.querySelector("[data-ayllu-status]");
  showStatus(status, message(document, "filing"));
  try {
    await fileDeviceKey(draftSlot(section.dataset.draft), section.dataset.log);
  } catch (error) {
    // "key_exists": "set up this device" made another key for the record first. Logging in files the
    // founding key in its place once the node says the other key is no member's (login.js).
    if (codeOf(error) !== "key_exists") {
      section.dataset.state = codeOf(error);
      showStatus(status, message(document, codeOf(error)) || message(document, "failed"), { problem: true });
      return;
    }
  }
  section.dataset.state = "filed";
  showStatus(status, message(document, "filed"));
  // Log in at once with the key just filed, and go to the assembly: no second button to press. If
  // that fails, the link to the login page is there to try again.
  try {
    const answer = await logIn(section, status);
    if (answer.ok) {
      section.dataset.state = "logged-in";
      // A federation's founders stay to read the next step (its delegates take their seats), with the
      // link to the federation's page under it (data-stay).
      if (section.dataset.stay !== undefined) {
        showStatus(status, message(document, "logged_in"));
        return;
      }
      window.location.assign(answer.data.next);
      return;
    }
  } catch {
    // shown below: the login link
  }
  showStatus(status, message(document, "filed"));
  section.querySelector("[data-ayllu-login-link]").hidden = false;
}

function setUp(section) {
  if (!deviceKeysSupported()) {
    showStatus(section.querySelector("[data-ayllu-status]"), message(document, "unsupported"), { problem: true });
    return;
  }
  if (section.dataset.step === "founded") {
    fileForRecord(section);
    return;
  }
  const steps = [
    ["[data-ayllu-make-key]", makeKey],
    ["[data-ayllu-endorse]", endorse],
    ["[data-ayllu-sign]", signFounding],
  ];
  for (const [selector, step] of steps) {
    const button = section.querySelector(selector);
    if (button) bindStep(section, button, step);
  }
}

for (const section of document.querySelectorAll("[data-ayllu-founding]")) {
  setUp(section);
}
