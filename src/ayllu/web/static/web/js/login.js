// Logging in without a password: the node gives a one-time challenge, this device signs a statement
// naming the node, the assembly, the challenge and this page's origin, and the node checks it.

import {
  DeviceKeyError,
  deviceKeysSupported,
  findDeviceKey,
  foundingDraftKey,
  replaceStrayKey,
  signLogin,
} from "./device-key.js";
import { message, postJson, showStatus } from "./messages.js";

async function signIn(section, key) {
  const log = section.dataset.log;
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

/** Log in to the assembly `section.dataset.log` with this device's key (the section names the
 * challenge and login routes in data-challenge-url and data-login-url, and may name the founders' keys
 * in data-founders); resolve to the node's answer, whose `next` is where a member goes once logged in.
 * Also used right after founding (founding.js).
 *
 * A founder's device may hold, besides the key it founded with, a key made on "set up this device"
 * before the founding key was filed: when the node says that key is no member's, the founding key
 * takes its place and signs instead. */
export async function logIn(section, status) {
  const log = section.dataset.log;
  const founders = JSON.parse(section.dataset.founders || "[]");
  const key = await findDeviceKey(log, founders);
  if (!key) throw new DeviceKeyError("no_key");
  showStatus(status, message(document, "signing"));
  const answer = await signIn(section, key);
  if (answer.ok || answer.data.code !== "login_not_a_member") return answer;
  const founding = await foundingDraftKey(founders);
  if (!founding || founding.publicKey === key.publicKey) return answer;
  return signIn(section, await replaceStrayKey(log, founding));
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
