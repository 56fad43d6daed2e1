// Forms that make an act: the browser builds the act, signs it with this device's key and sends it.
//
// A page marks such a form with data-ayllu-act and gives, as attributes the server renders:
//   action      the node's route for signed acts (web:submit_act)
//   data-log    the assembly's record id;   data-type  the act type, e.g. "notice.posted"
//   data-vis    "public", "members" or "confidential"
//   data-nonce  optional; a fresh random nonce is made when it is absent
//   data-next   optional; where to go once the act is recorded (otherwise the form is reset)
// The body is either given whole by the server, as canonical JSON text in an element marked
// data-ayllu-body (its value), or built from the form's fields named "body.<field>":
//   a checkbox gives true/false; type=number or data-ayllu-kind="int" gives an integer;
//   data-ayllu-kind="list" (or a multiple select) gives the list of values of every field of that name;
//   data-ayllu-kind="json" parses the value as JSON; anything else gives the value as a string.
//   data-ayllu-optional leaves an empty field out of the body.
// The form holds a [data-ayllu-status] area; the page holds [data-ayllu-messages] with sentences named
// no_key, signing, sent, network, invalid, failed: include web/includes/act_messages.html.
// Errors from the node come translated.

import { canonicalize, CanonicalError } from "./canonical.js";
import { DeviceKeyError, getDeviceKey, randomNonce, sha256Hex, signAct } from "./device-key.js";
import { message, postJson, showStatus } from "./messages.js";

const FORMAT_VERSION = 1;
const PREFIX = "body.";

class FormError extends Error {
  constructor(code, field) {
    super(`${code}: ${field}`);
    this.code = code;
    this.field = field;
  }
}

function fieldValue(element) {
  const kind = element.getAttribute("data-ayllu-kind") || "";
  if (element.type === "checkbox" && kind !== "list") return element.checked;
  if (kind === "int" || element.type === "number") {
    if (element.value.trim() === "") return undefined;
    const number = Number(element.value);
    if (!Number.isSafeInteger(number)) throw new FormError("not_an_integer", element.name);
    return number;
  }
  if (kind === "json") {
    try {
      return JSON.parse(element.value);
    } catch {
      throw new FormError("not_json", element.name);
    }
  }
  return element.value;
}

/** Build an act's body from a form, by the convention above. */
export function bodyFromForm(form) {
  const given = form.querySelector("[data-ayllu-body]");
  if (given) {
    const value = JSON.parse(given.value);
    if (canonicalize(value) !== given.value) throw new FormError("not_canonical", "body");
    return value;
  }
  const body = {};
  for (const element of form.elements) {
    if (!element.name || !element.name.startsWith(PREFIX) || element.disabled) continue;
    const name = element.name.slice(PREFIX.length);
    const isList = element.getAttribute("data-ayllu-kind") === "list" || element.multiple;
    if (isList) {
      body[name] = body[name] || [];
      if (element.multiple) body[name].push(...Array.from(element.selectedOptions, (o) => o.value));
      else if (element.type !== "checkbox" || element.checked) body[name].push(element.value);
      continue;
    }
    const value = fieldValue(element);
    const optional = element.hasAttribute("data-ayllu-optional");
    if (optional && (value === undefined || value === "")) continue;
    if (value === undefined) throw new FormError("missing", name);
    body[name] = value;
  }
  return body;
}

/** Sign and send the act a form describes; resolve to the node's answer {ok, status, data}. */
export async function submitActForm(form) {
  const log = form.dataset.log;
  const key = await getDeviceKey(log);
  if (!key) throw new DeviceKeyError("no_key");
  const text = canonicalize(bodyFromForm(form));
  const act = {
    v: FORMAT_VERSION,
    log,
    type: form.dataset.type,
    author: key.publicKey,
    vis: form.dataset.vis,
    body: await sha256Hex(new TextEncoder().encode(text)),
    nonce: form.dataset.nonce || randomNonce(),
  };
  const asig = await signAct(act);
  return postJson(form.action, { act, body: text, asig });
}

/** Make a form marked data-ayllu-act sign and send its act on submit (done for every such form on load). */
export function bindActForm(form) {
  const status = form.querySelector("[data-ayllu-status]");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const buttons = form.querySelectorAll("button[type=submit], button:not([type])");
    buttons.forEach((b) => (b.disabled = true));
    showStatus(status, message(document, "signing"));
    try {
      const answer = await submitActForm(form);
      if (answer.ok) {
        form.dataset.state = "recorded";
        form.dispatchEvent(new CustomEvent("ayllu:act-recorded", { bubbles: true, detail: answer.data }));
        showStatus(status, message(document, "sent"));
        delete form.dataset.nonce; // a nonce names one act: the next one gets its own
        if (form.dataset.next) window.location.assign(form.dataset.next);
        else form.reset();
      } else {
        form.dataset.state = answer.data.code || "failed";
        const text = answer.data.message || message(document, answer.data.code) || message(document, "failed");
        showStatus(status, text, { problem: true });
      }
    } catch (error) {
      let code = "failed";
      if (error instanceof DeviceKeyError) code = error.code;
      else if (error instanceof CanonicalError || error instanceof FormError) code = "invalid";
      form.dataset.state = code;
      showStatus(status, message(document, code) || message(document, "failed"), { problem: true });
    } finally {
      buttons.forEach((b) => (b.disabled = false));
    }
  });
}

for (const form of document.querySelectorAll("form[data-ayllu-act]")) {
  bindActForm(form);
}
