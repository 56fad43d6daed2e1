// Logging in without a password: the node gives a one-time challenge, this device signs a statement
// naming the node, the assembly, the challenge and this page's origin, and the node checks it.

import { DeviceKeyError, deviceKeysSupported, getDeviceKey, signLogin } from "./device-key.js";
import { message, postJson, showStatus } from "./messages.js";

async function logIn(section, status) {
  const log = section.dataset.log;
  const key = await getDeviceKey(log);
  if (!key) throw new DeviceKeyError("no_key");
  showStatus(status, message(document, "signing"));
  const issued = await postJson(section.dataset.challengeUrl, {});
  if (!issued.ok) return issued;
  const statement = {
    v: issued.data.v,
    node: issued.data.node,
    log,
    challenge: issued.data.challenge,
    origin: window.location.origin,
  };
  const signature = await signLogin(log, statement);
  return postJson(
    section.dataset.loginUrl,
    { key: key.publicKey, challenge: statement.challenge, signature },
  );
}

function setUp(section) {
  const status = section.querySelector("[data-ayllu-status]");
  const button = section.querySelector("[data-ayllu-login-button]");
  const setupLink = section.querySelector("[data-ayllu-setup-link]");
  if (!deviceKeysSupported()) {
    showStatus(status, message(document, "unsupported"), { problem: true });
    return;
  }
  button.hidden = false;
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      const answer = await logIn(section, status);
      if (answer.ok) {
        showStatus(status, message(document, "done"));
        section.dataset.state = "logged-in";
        window.location.assign(answer.data.next);
        return;
      }
      section.dataset.state = answer.data.code || "failed";
      showStatus(status, answer.data.message || message(document, answer.data.code) || message(document, "failed"), {
        problem: true,
      });
    } catch (error) {
      const code = error instanceof DeviceKeyError ? error.code : "failed";
      section.dataset.state = code;
      showStatus(status, message(document, code) || message(document, "failed"), { problem: true });
      if (code === "no_key") setupLink.hidden = false;
    }
    button.disabled = false;
  });
}

for (const section of document.querySelectorAll("[data-ayllu-login]")) {
  setUp(section);
}
