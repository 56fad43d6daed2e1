// Forms that make an act: the browser builds the act, signs it with this device's key and sends it.
//
// A page marks such a form with data-ayllu-act and gives, as attributes the server renders:
//   action      the node's route for signed acts (web:submit_act)
//   data-log    the assembly's record id;   data-type  the act type, e.g. "notice.posted"
//   data-key-log  optional; the record whose device key signs, when it is not data-log: a delegate's act
//               in a federation, or an entry of a home record cited into a federation by one of its
//               members, is signed with the key kept for the home assembly
//   data-vis    "public", "members" or "confidential"
//   data-nonce  optional; a fresh random nonce is made when it is absent. A form that makes one act and
//               then leaves the page (data-next, data-ayllu-goto) keeps the nonce the server rendered, so
//               sending it again (back, then submit) is the same act: the node answers where the first
//               one landed with "duplicate": true, and the form goes on there, with a notice
//   data-next   optional; where to go once the act is recorded (otherwise the form is reset)
// The body is either given whole by the server, as canonical JSON text in an element marked
// data-ayllu-body (its value), or built from the form's fields named "body.<field>":
//   a checkbox gives true/false; type=number or data-ayllu-kind="int" gives an integer;
//   data-ayllu-kind="list" (or a multiple select) gives the list of values of every field of that name;
//   data-ayllu-kind="json" parses the value as JSON; anything else gives the value as a string.
//   data-ayllu-optional leaves an empty field out of the body.
//   data-ayllu-kind="household" with an empty value gives a fresh household id made on this device:
//   "h-" and 32 random hex digits (docs/record-format.md section 13; the name travels as words).
// The form holds a [data-ayllu-status] area; the page holds [data-ayllu-messages] with sentences named
// no_key, signing, sent, network, invalid, failed: `{% script_messages "act" %}` (web/script_messages.py).
// Errors from the node come translated.

import { toHex } from "./bytes.js";
import { canonicalize, CanonicalError } from "./canonical.js";
import { DeviceKeyError, getDeviceKey, randomNonce, sha256Hex, signAct } from "./device-key.js";
import { message, postJson, showStatus } from "./messages.js";

// Acts are written in format 2 (docs/record-format.md, section 13): the body the act names is the public
// rule data, and what the member wrote (the act type's prose fields, listed by the page in
// #ayllu-prose-fields) is a second body under the act's visibility, committed to by the first.
const FORMAT_VERSION = 2;
const PREFIX = "body.";
const WORDS = "words";

class FormError extends Error {
  constructor(code, field) {
    super(`${code}: ${field}`);
    this.code = code;
    this.field = field;
  }
}

/** A new household's opaque id: "h-" and 128 random bits (core/charter/households.py). */
function newHouseholdId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return "h-" + toHex(bytes);
}

function fieldValue(element) {
  const kind = element.getAttribute("data-ayllu-kind") || "";
  if (kind === "household") return element.value || newHouseholdId();
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

function proseFields(type) {
  const element = document.getElementById("ayllu-prose-fields");
  const all = element ? JSON.parse(element.dataset.fields) : {};
  return all[type] || [];
}

/** Split an act's content into its rule body and its words, as canonical texts. */
export async function splitBody(type, content) {
  const prose = proseFields(type);
  const rule = {};
  const words = {};
  for (const [name, value] of Object.entries(content)) {
    if (prose.includes(name)) words[name] = value;
    else rule[name] = value;
  }
  const wordsText = canonicalize(words);
  rule[WORDS] = {
    hash: await sha256Hex(new TextEncoder().encode(wordsText)),
    fields: Object.keys(words).sort(),
  };
  return { text: canonicalize(rule), wordsText };
}

/** Sign and send the act a form describes; resolve to the node's answer {ok, status, data}. */
export async function submitActForm(form) {
  const log = form.dataset.log;
  const keyLog = form.dataset.keyLog || log;
  const key = await getDeviceKey(keyLog);
  if (!key) throw new DeviceKeyError("no_key");
  const { text, wordsText } = await splitBody(form.dataset.type, bodyFromForm(form));
  const act = {
    v: FORMAT_VERSION,
    log,
    type: form.dataset.type,
    author: key.publicKey,
    vis: form.dataset.vis,
    body: await sha256Hex(new TextEncoder().encode(text)),
    nonce: form.dataset.nonce || randomNonce(),
  };
  const asig = await signAct(act, keyLog);
  return postJson(form.action, { act, body: text, words: wordsText, asig });
}

const NOTICE = "ayllu-notice";

function leavesPage(form) {
  return Boolean(form.dataset.next || form.hasAttribute("data-ayllu-goto"));
}

/** The first required text field holding only spaces, or null. */
function blankField(form) {
  for (const element of form.elements) {
    const isText = element.tagName === "TEXTAREA" || element.type === "text" || element.type === "";
    if (element.required && isText && !element.disabled && element.value.trim() === "") return element;
  }
  return null;
}

/** Mark the field an error names (detail.field) as invalid, and take the member to it. */
function markField(form, field) {
  const element = field && form.querySelector(`[name="${PREFIX}${field}"]`);
  if (!element || element.type === "hidden") return;
  element.setAttribute("aria-invalid", "true");
  element.addEventListener("input", () => element.removeAttribute("aria-invalid"), { once: true });
  element.focus();
}

/** Make a form marked data-ayllu-act sign and send its act on submit (done for every such form on load). */
export function bindActForm(form) {
  const status = form.querySelector("[data-ayllu-status]");
  form.dataset.bound = "1"; // signed on submit from now on (tests wait for it before pressing)
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const blank = blankField(form);
    if (blank) {
      showStatus(status, message(document, "blank") || message(document, "invalid"), { problem: true });
      markField(form, blank.name.startsWith(PREFIX) ? blank.name.slice(PREFIX.length) : "");
      blank.focus();
      return;
    }
    const buttons = form.querySelectorAll("button[type=submit], button:not([type])");
    buttons.forEach((b) => (b.disabled = true));
    showStatus(status, message(document, "signing"));
    try {
      const answer = await submitActForm(form);
      if (answer.ok && answer.data.duplicate && leavesPage(form)) {
        // Sent before (back, then submit again): go where the first one went, and say so there.
        const again = message(document, "again");
        if (again) sessionStorage.setItem(NOTICE, again);
        form.dataset.state = "recorded";
        const detail = { ...answer.data, again: true };
        form.dispatchEvent(new CustomEvent("ayllu:act-recorded", { bubbles: true, detail }));
        if (form.dataset.next) window.location.assign(form.dataset.next);
      } else if (answer.ok) {
        form.dataset.state = "recorded";
        form.dispatchEvent(new CustomEvent("ayllu:act-recorded", { bubbles: true, detail: answer.data }));
        // An application to join or a key claim waits outside the record until a member takes it in
        // (answer 202); the form names its own sentence for that, and the next page shows it too.
        const said = message(document, answer.data.waiting ? form.dataset.waiting || "waiting" : "sent");
        showStatus(status, said);
        if (answer.data.waiting && said && form.dataset.next) sessionStorage.setItem(NOTICE, said);
        if (!leavesPage(form)) delete form.dataset.nonce; // a nonce names one act: the next one gets its own
        if (form.dataset.next) window.location.assign(form.dataset.next);
        else form.reset();
      } else {
        form.dataset.state = answer.data.code || "failed";
        const text = answer.data.message || message(document, answer.data.code) || message(document, "failed");
        showStatus(status, text, { problem: true });
        markField(form, answer.data.detail && answer.data.detail.field);
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

// The notice a form left for this page (an act sent twice lands here, on the one recorded).
const notice = sessionStorage.getItem(NOTICE);
const noticeArea = document.querySelector("[data-ayllu-notice]");
if (notice && noticeArea) {
  sessionStorage.removeItem(NOTICE);
  showStatus(noticeArea, notice);
  noticeArea.hidden = false;
}
