// A member's part in a draw by lot: commit to a secret made on this device, then reveal it.
//
// The draw page (templates/web/cargos/draw.html) renders, for a logged-in member, a section marked
// data-ayllu-draw with data-log, data-draw, data-lottery (the lottery hash recorded before anyone
// committed), data-member (the member id the commitment binds), data-phase (committing, revealing,
// waiting, completed), data-commitment (the member's recorded commitment, "" when none) and
// data-revealed ("1" once the record holds the reveal). Inside it:
//   form[data-ayllu-draw-commit]   signs draw.committed {draw, commitment}
//   form[data-ayllu-draw-reveal]   signs draw.revealed {draw, secret}, shown when this device holds it
//   [data-ayllu-draw-kept] / [data-ayllu-draw-lost] / [data-ayllu-draw-mismatch]   shown by what this
//                                  device holds (hidden until checked)
// Both forms are signed and sent by act-form.js's submitActForm (the device key, the node's route).
//
// The secret: 32 bytes from crypto.getRandomValues, kept in this browser's IndexedDB
// ("ayllu-draw-secrets", next to the device keys' "ayllu-device-keys", same origin) until it is
// revealed. The commitment is SHA-256(COMMIT_CONTEXT || canonical([lottery hash, member]) || secret),
// byte for byte ayllu.core.sortition.commitment_for. The secret is stored *before* the commitment is
// sent, so a commitment in the record always has its secret here unless the browser's data is cleared;
// a second attempt (a lost answer, another tab) reuses the stored secret instead of making a new one.

import { fromHex, join, sha256, toHex } from "./bytes.js";
import { canonicalBytes } from "./canonical.js";
import { submitActForm } from "./act-form.js";
import { DeviceKeyError } from "./device-key.js";
import { message, showStatus } from "./messages.js";
import { objectStore } from "./idb.js";

export const COMMIT_CONTEXT = "ayllu/v1/sortition-commit\u0000";
const DB_NAME = "ayllu-draw-secrets";
const STORE = "secrets";
const SECRET_BYTES = 32;

export class DrawSecretError extends Error {
  constructor(code) {
    super(`draw secret: ${code}`);
    this.name = "DrawSecretError";
    this.code = code;
  }
}

const withStore = objectStore({
  dbName: DB_NAME,
  store: STORE,
  keyPath: "slot",
  unavailable: () => new DrawSecretError("no_storage"),
});

/** The slot of one member's secret for one draw of one record. */
export function secretSlot(log, draw, member) {
  return `${log}/${draw}/${member}`;
}

/** The hex commitment to `secretHex` for the lottery hash and member (sortition.commitment_for). */
export async function commitmentFor(secretHex, { lottery, member }) {
  const secret = fromHex(secretHex);
  if (secret.length !== SECRET_BYTES) throw new DrawSecretError("secret_length");
  const context = new TextEncoder().encode(COMMIT_CONTEXT);
  const bound = canonicalBytes([lottery, member]);
  return toHex(await sha256(join(context, bound, secret)));
}

/** The stored secret {slot, log, draw, member, lottery, secret, commitment, created}, or null. */
export async function getDrawSecret(log, draw, member) {
  return (await withStore("readonly", (store) => store.get(secretSlot(log, draw, member)))) || null;
}

/** Forget a secret (once revealed it is in the record; once the reveal time is over it is of no use). */
export function forgetDrawSecret(log, draw, member) {
  return withStore("readwrite", (store) => store.delete(secretSlot(log, draw, member)));
}

/**
 * The secret to commit to for this draw: the one already stored, or a new one made and stored now.
 * Resolves to {secret, commitment, fresh}. A stored secret is never overwritten.
 */
export async function secretToCommit(log, draw, { lottery, member }) {
  const stored = await getDrawSecret(log, draw, member);
  if (stored && stored.lottery === lottery) return { ...stored, fresh: false };
  if (stored) throw new DrawSecretError("other_lottery");
  const secret = toHex(crypto.getRandomValues(new Uint8Array(SECRET_BYTES)));
  const commitment = await commitmentFor(secret, { lottery, member });
  const record = { slot: secretSlot(log, draw, member), log, draw, member, lottery, secret, commitment };
  try {
    await withStore("readwrite", (store) => store.add({ ...record, created: Date.now() }));
  } catch (error) {
    if (error && error.name === "ConstraintError") return secretToCommit(log, draw, { lottery, member });
    throw new DrawSecretError("no_storage");
  }
  return { ...record, fresh: true };
}

function show(element, visible) {
  if (element) element.hidden = !visible;
}

function failureCode(error) {
  if (error instanceof DeviceKeyError || error instanceof DrawSecretError) return error.code;
  return "failed";
}

async function send(form, status) {
  const buttons = form.querySelectorAll("button");
  buttons.forEach((b) => (b.disabled = true));
  showStatus(status, message(document, "signing"));
  try {
    return await submitActForm(form);
  } finally {
    buttons.forEach((b) => (b.disabled = false));
  }
}

function recorded(form, status) {
  form.dataset.state = "recorded";
  showStatus(status, message(document, "sent"));
  window.location.assign(form.dataset.next || window.location.href);
}

function refused(form, status, answer) {
  form.dataset.state = answer.data.code || "failed";
  const text = answer.data.message || message(document, answer.data.code) || message(document, "failed");
  showStatus(status, text, { problem: true });
}

function failed(form, status, error) {
  const code = failureCode(error);
  form.dataset.state = code;
  showStatus(status, message(document, code) || message(document, "failed"), { problem: true });
}

function bindCommit(form, where) {
  const status = form.querySelector("[data-ayllu-status]");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    let made = null;
    try {
      made = await secretToCommit(where.log, where.draw, where);
      form.querySelector("input[name='body.commitment']").value = made.commitment;
      const answer = await send(form, status);
      if (answer.ok) return recorded(form, status);
      // Refused by the node: a secret made for this attempt commits to nothing, so it goes. A network
      // failure keeps it: the commitment may have reached the record, and a retry reuses it.
      if (made.fresh && answer.status !== 0) await forgetDrawSecret(where.log, where.draw, where.member);
      refused(form, status, answer);
    } catch (error) {
      failed(form, status, error);
    }
  });
}

function bindReveal(section, form, where) {
  const status = form.querySelector("[data-ayllu-status]");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const stored = await getDrawSecret(where.log, where.draw, where.member);
      if (!stored) throw new DrawSecretError("draw_secret_lost");
      if ((await commitmentFor(stored.secret, where)) !== section.dataset.commitment) {
        throw new DrawSecretError("draw_secret_mismatch");
      }
      form.querySelector("input[name='body.secret']").value = stored.secret;
      const answer = await send(form, status);
      if (!answer.ok) return refused(form, status, answer);
      await forgetDrawSecret(where.log, where.draw, where.member).catch(() => {});
      recorded(form, status);
    } catch (error) {
      failed(form, status, error);
    }
  });
}

/** Show what this device holds for the member's commitment; forget secrets of reveal windows gone by. */
async function showHeld(section, where) {
  const committed = Boolean(section.dataset.commitment);
  const revealed = section.dataset.revealed === "1";
  const phase = section.dataset.phase;
  const reveal = section.querySelector("form[data-ayllu-draw-reveal]");
  let stored = null;
  try {
    stored = await getDrawSecret(where.log, where.draw, where.member);
  } catch {
    stored = null;
  }
  const open = phase === "committing" || phase === "revealing";
  if (stored && (revealed || !open)) {
    await forgetDrawSecret(where.log, where.draw, where.member).catch(() => {});
    stored = null;
  }
  if (!committed || revealed || !open) return;
  const matches = stored && (await commitmentFor(stored.secret, where)) === section.dataset.commitment;
  show(section.querySelector("[data-ayllu-draw-kept]"), Boolean(matches));
  show(section.querySelector("[data-ayllu-draw-lost]"), !stored);
  show(section.querySelector("[data-ayllu-draw-mismatch]"), Boolean(stored) && !matches);
  show(reveal, Boolean(matches) && phase === "revealing");
  section.dataset.held = matches ? "kept" : stored ? "mismatch" : "lost";
}

function bindDraw(section) {
  const where = {
    log: section.dataset.log,
    draw: Number(section.dataset.draw),
    lottery: section.dataset.lottery,
    member: section.dataset.member,
  };
  const commit = section.querySelector("form[data-ayllu-draw-commit]");
  const reveal = section.querySelector("form[data-ayllu-draw-reveal]");
  if (commit) bindCommit(commit, where);
  if (reveal) bindReveal(section, reveal, where);
  showHeld(section, where).finally(() => {
    section.dataset.ready = "1";
  });
}

document.querySelectorAll("[data-ayllu-draw]").forEach(bindDraw);
