// Endorsing a move of the record to another node (web/assembly/record_move.html): the member's device
// signs the move statement {v: 1, type: "record.moved", log, node, after} with the endorsement context
// (core/ledger/succession.py) and posts {node, after, sig} to the page; the node checks and keeps it.
// Signing the move itself, once enough members endorsed, is an ordinary act form (act-form.js). In a
// federation a seated delegate signs with the key their device keeps for their home assembly: the form's
// data-key-log names that record (the statement still names the federation's).

import { DeviceKeyError, ENDORSE_CONTEXT, signCanonical } from "./device-key.js";
import { message, postJson, showStatus } from "./messages.js";

const KEY_RE = /^[0-9a-f]{64}$/;

function moveMessage(name) {
  return message(document.querySelector("[data-ayllu-move-messages]"), name) || message(document, name);
}

function bindMoveForm(form) {
  const status = form.querySelector("[data-ayllu-status]");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const node = form.elements.node.value.trim();
    if (!KEY_RE.test(node)) {
      showStatus(status, message(document, "invalid"), { problem: true });
      return;
    }
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    showStatus(status, message(document, "signing"));
    try {
      const { log, after } = form.dataset;
      const statement = { v: 1, type: "record.moved", log, node, after };
      const sig = await signCanonical(form.dataset.keyLog || log, ENDORSE_CONTEXT, statement);
      const answer = await postJson(window.location.pathname, { node, after, sig });
      if (answer.ok) {
        form.dataset.state = "endorsed";
        showStatus(status, moveMessage("endorsed"));
        window.location.reload();
        return;
      }
      form.dataset.state = answer.data.code || "failed";
      showStatus(status, answer.data.message || message(document, "failed"), { problem: true });
    } catch (error) {
      const code = error instanceof DeviceKeyError ? error.code : "failed";
      form.dataset.state = code;
      showStatus(status, message(document, code) || message(document, "failed"), { problem: true });
    }
    button.disabled = false;
  });
}

for (const form of document.querySelectorAll("form[data-ayllu-move]")) {
  bindMoveForm(form);
}
