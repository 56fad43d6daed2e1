// Check one decision's inclusion proof in the browser, trusting nothing the node says about it.
//
// The page embeds (as JSON in #ayllu-proof) the exact text of the decision's entry, the exact text of a
// checkpoint the node signed, and the audit path. This module checks, with WebCrypto only:
//   1. the checkpoint's Ed25519 signature by its node over CHECKPOINT_CONTEXT || canonical(it without sig);
//   2. the entry belongs to the checkpoint's record and sits at the place the proof claims;
//   3. RFC 9162 2.1.3.2: hashing the entry's leaf up the path gives the signed root at the signed size.
// The same checks run offline with `ayllu check-proof FILE` (docs/record-format.md, section 9).

import { fromHex, join, sha256, toHex } from "./bytes.js";
import { canonicalize } from "./canonical.js";

export const CHECKPOINT_CONTEXT = "ayllu/v1/checkpoint\u0000";
const HEX = /^[0-9a-f]*$/;

/** The bytes of `text`, which must be the hex of `length` bytes. */
function hexBytes(text, length) {
  if (typeof text !== "string" || !HEX.test(text) || text.length !== 2 * length) throw new Error("not_hex");
  return fromHex(text);
}

/** The Merkle leaf hash of an entry, from the entry's hex hash (RFC 9162: H(0x00 || data)). */
export async function leafHash(entryHashHex) {
  return sha256(join(new Uint8Array([0]), hexBytes(entryHashHex, 32)));
}

/** RFC 9162 2.1.3.2: true when `proof` leads from entry `index` (0-based) to `rootHex` in a tree of `size`. */
export async function verifyInclusion(entryHashHex, index, size, proof, rootHex) {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = await leafHash(entryHashHex);
  for (const stepHex of proof) {
    const p = hexBytes(stepHex, 32);
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = await sha256(join(new Uint8Array([1]), p, r));
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = await sha256(join(new Uint8Array([1]), r, p));
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && toHex(r) === rootHex;
}

async function checkpointSigned(checkpoint) {
  const { sig, ...unsigned } = checkpoint;
  const message = new TextEncoder().encode(CHECKPOINT_CONTEXT + canonicalize(unsigned));
  const key = await crypto.subtle.importKey("raw", hexBytes(checkpoint.node, 32), { name: "Ed25519" }, false, [
    "verify",
  ]);
  return crypto.subtle.verify({ name: "Ed25519" }, key, hexBytes(sig, 64), message);
}

/** Check a whole proof as the page embeds it; resolve to {ok, steps: {signature, entry, path}}. */
export async function checkProof(data) {
  const steps = { signature: false, entry: false, path: false };
  let checkpoint;
  let header;
  try {
    checkpoint = JSON.parse(data.checkpoint);
    header = JSON.parse(data.entry);
  } catch {
    return { ok: false, steps };
  }
  try {
    steps.signature = await checkpointSigned(checkpoint);
  } catch {
    steps.signature = false;
  }
  const entryHash = toHex(await sha256(new TextEncoder().encode(data.entry)));
  steps.entry =
    header.log === checkpoint.log && header.seq === data.seq && data.log === checkpoint.log;
  try {
    steps.path = await verifyInclusion(entryHash, data.seq - 1, checkpoint.size, data.proof, checkpoint.root);
  } catch {
    steps.path = false;
  }
  return { ok: steps.signature && steps.entry && steps.path, steps, entryHash };
}

function say(name) {
  const holder = document.querySelector(`[data-ayllu-proof-messages] [data-msg="${name}"]`);
  return holder ? holder.textContent.trim() : name;
}

function show(area, text, problem) {
  const line = document.createElement("p");
  line.textContent = text;
  area.classList.toggle("proof-check__status--bad", problem);
  area.classList.toggle("proof-check__status--ok", !problem);
  area.setAttribute("role", problem ? "alert" : "status");
  area.replaceChildren(line);
}

async function run(section, data) {
  const status = section.querySelector("[data-ayllu-proof-status]");
  const list = section.querySelector("[data-ayllu-proof-steps]");
  show(status, say("checking"), false);
  const result = await checkProof(data);
  list.replaceChildren(
    ...["signature", "entry", "path"].map((name) => {
      const item = document.createElement("li");
      item.dataset.step = name;
      item.dataset.holds = String(result.steps[name]);
      item.textContent = `${result.steps[name] ? "✓" : "✗"} ${say(`step_${name}`)}: ${say(result.steps[name] ? "holds" : "fails")}`;
      return item;
    }),
  );
  list.hidden = false;
  show(status, say(result.ok ? "ok" : "bad"), !result.ok);
  section.dataset.state = result.ok ? "ok" : "bad";
}

const section = document.querySelector("[data-ayllu-proof-check]");
const embedded = document.getElementById("ayllu-proof");
if (section && embedded) {
  const data = JSON.parse(embedded.textContent);
  const button = section.querySelector("[data-ayllu-proof-run]");
  if (!(window.crypto && crypto.subtle)) {
    show(section.querySelector("[data-ayllu-proof-status]"), say("unsupported"), true);
  } else {
    button.hidden = false;
    button.addEventListener("click", () => run(section, data));
    run(section, data);
  }
}
