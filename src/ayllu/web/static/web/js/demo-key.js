// The demo node's "try it" page: keep the demo household's key in this browser, then log in with it at
// once (no second button to press); if the login fails, the login page is where to try again.
// Only demo nodes serve this page (web/views_demo.py); the key is the same for every visitor.

import { DeviceKeyError, installDemoKey } from "./device-key.js";
import { logIn } from "./login.js";
import { message, showStatus } from "./messages.js";

for (const section of document.querySelectorAll("[data-ayllu-demo-key]")) {
  const status = section.querySelector("[data-ayllu-status]");
  const button = section.querySelector("[data-ayllu-install]");
  button.hidden = false;
  button.addEventListener("click", async () => {
    button.disabled = true;
    showStatus(status, message(document, "installing"));
    try {
      await installDemoKey(section.dataset.log, section.dataset.seed, section.dataset.public);
      showStatus(status, message(document, "installed"));
    } catch (error) {
      const code = error instanceof DeviceKeyError ? error.code : "failed";
      showStatus(status, message(document, code) || message(document, "failed"), { problem: true });
      button.disabled = false;
      return;
    }
    try {
      const answer = await logIn(section, status);
      if (answer.ok) {
        window.location.assign(answer.data.next);
        return;
      }
    } catch {
      // the login page says what went wrong and lets the visitor try again
    }
    window.location.assign(section.dataset.next);
  });
}
