// A second verifier of an assembly's record, written from docs/record-format.md (version 1) alone.
//
// It runs in the member's own browser, so a member needs to trust neither the node nor the Python
// verifier. It does steps 1 to 7 and 9 of section 11 and step 3 (evidence beyond the record): canonical
// JSON (section 2, with its own strict parser), every header's fields, both Ed25519 signatures
// (WebCrypto), the log id, seq, the prev chain, no act twice, every body it holds, the Merkle tree
// (section 9) against every checkpoint and receipt. Signatures are checked by WebCrypto, or by ed25519.js
// where the browser's WebCrypto does not know Ed25519. Of the assembly's rules (step 8) it checks only the
// founding (`checkFounding`: the record's id, the author and every founder's endorsement); it does NOT
// replay the others (membership, which node may seal, decisions): its report says `replayed: 0`.
// Acts of format 1 and 2 (section 13): a format-2 entry's rule body must be held as public, its words
// are checked where held, and a format-1 entry after a format-2 one must be public. Whether an erased
// words body was erased by a `words.erased` act (`unauthorised_erasure`) needs the rules: not checked.
//
// Use: `const v = new RecordVerifier({log, visible, checkpoints, receipts}); await v.start();`
// then `await v.add(entries, lookup)` for each page of headers in seq order (Uint8Array each; `lookup`
// answers (hash, vis) with {bytes} for a held body, ERASED, or null), then `v.finish()`.

import { fromHex, join, sha256, toHex } from "./bytes.js";
import { canonicalize } from "./canonical.js";
import { strictKey, strictSignature, verify as verifyInJs } from "./ed25519.js";

const enc = new TextEncoder();
const CONTEXTS = {
  act: "ayllu/v1/act\u0000",
  entry: "ayllu/v1/entry\u0000",
  checkpoint: "ayllu/v1/checkpoint\u0000",
  receipt: "ayllu/v1/receipt\u0000",
  endorse: "ayllu/v1/endorse\u0000",
  log: "ayllu/v1/log\u0000",
};
const MAX_DEPTH = 32;
const MAX_SAFE = 9007199254740991n;
const MAX_BODY = 262144;
const BODY_LIMITS = { "draw.prepared": 2097152 };
const VISIBILITIES = ["public", "members", "confidential"];
// Section 13: format 1 acts carry one body under their visibility; format 2 acts a public rule body
// (addressed by (body, "public")) that names a words body under the act's visibility.
const WHOLE_BODY_FORMAT = 1;
const SPLIT_FORMAT = 2;
const ACT_FORMATS = [WHOLE_BODY_FORMAT, SPLIT_FORMAT];
const RULE_VIS = "public";
const HEADER_FIELDS = ["asig", "author", "body", "log", "node", "nonce", "nsig", "prev", "seq", "time", "type", "v", "vis"];
const CHECKPOINT_FIELDS = ["log", "node", "root", "sig", "size", "time", "v"];
const RECEIPT_FIELDS = ["entry", "log", "node", "seq", "sig", "time", "v"];
const TYPE_RE = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*){1,3}$/;
const NONCE_RE = /^[A-Za-z0-9_-]{1,64}$/;
const HEX_RE = /^[0-9a-f]*$/;
const PLAIN = /[^"\\\u0000-\u001f]*/y;
const NUMBER = /-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/y;

/** What a body lookup returns for a body erased for privacy: it passes as "no body". */
export const ERASED = Object.freeze({ erased: true });

/** A check that failed, with the code of docs/record-format.md section 11. */
export class Refused extends Error {
  constructor(code, detail = {}) {
    super(code);
    this.name = "Refused";
    this.code = code;
    this.detail = detail;
  }
}

// --- section 2: canonical JSON ----------------------------------------------------------------------

class Parser {
  // RFC 8259 with nesting of at most 32 arrays and objects: anything else is not_json at once. Values
  // signed data may not hold (fractions, exponents, integers past 2^53 - 1, a key twice, a lone
  // surrogate) are noted and refused only once the whole text parsed: not_json wins over them.
  constructor(text) {
    this.text = text;
    this.at = 0;
    this.forbidden = null;
  }

  fail(reason) {
    throw new Refused("not_json", { reason, at: this.at });
  }

  forbid(reason) {
    if (this.forbidden === null) this.forbidden = reason;
  }

  space() {
    while (this.at < this.text.length && " \t\n\r".includes(this.text[this.at])) this.at++;
  }

  value(depth) {
    this.space();
    const c = this.text[this.at];
    if (c === "{") return this.object(depth + 1);
    if (c === "[") return this.array(depth + 1);
    if (c === '"') return this.string();
    if (c === "-" || (c >= "0" && c <= "9")) return this.number();
    for (const [word, value] of [["true", true], ["false", false], ["null", null]]) {
      if (this.text.startsWith(word, this.at)) {
        this.at += word.length;
        return value;
      }
    }
    return this.fail("unexpected");
  }

  object(depth) {
    if (depth > MAX_DEPTH) this.fail("too_deep");
    this.at++;
    const obj = Object.create(null);
    const keys = new Set();
    this.space();
    if (this.text[this.at] === "}") {
      this.at++;
      return obj;
    }
    for (;;) {
      this.space();
      if (this.text[this.at] !== '"') this.fail("key");
      const key = this.string();
      this.space();
      if (this.text[this.at] !== ":") this.fail("colon");
      this.at++;
      const item = this.value(depth);
      if (keys.has(key)) this.forbid("duplicate_key");
      keys.add(key);
      obj[key] = item;
      this.space();
      const c = this.text[this.at++];
      if (c === "}") return obj;
      if (c !== ",") this.fail("object");
    }
  }

  array(depth) {
    if (depth > MAX_DEPTH) this.fail("too_deep");
    this.at++;
    const out = [];
    this.space();
    if (this.text[this.at] === "]") {
      this.at++;
      return out;
    }
    for (;;) {
      out.push(this.value(depth));
      this.space();
      const c = this.text[this.at++];
      if (c === "]") return out;
      if (c !== ",") this.fail("array");
    }
  }

  string() {
    this.at++;
    let out = "";
    for (;;) {
      PLAIN.lastIndex = this.at; // a run of characters that need no care, taken at once
      out += PLAIN.exec(this.text)[0];
      this.at = PLAIN.lastIndex;
      if (this.at >= this.text.length) this.fail("string");
      const c = this.text[this.at++];
      if (c === '"') break;
      if (c < " ") this.fail("control");
      const e = this.text[this.at++];
      const simple = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" }[e];
      if (simple !== undefined) {
        out += simple;
      } else if (e === "u" && /^[0-9a-fA-F]{4}$/.test(this.text.slice(this.at, this.at + 4))) {
        out += String.fromCharCode(parseInt(this.text.slice(this.at, this.at + 4), 16));
        this.at += 4;
      } else {
        this.fail("escape");
      }
    }
    if (!out.isWellFormed()) this.forbid("lone_surrogate");
    return out;
  }

  number() {
    NUMBER.lastIndex = this.at; // sticky: matches here without copying the rest of a 2 MiB body
    const match = NUMBER.exec(this.text);
    if (!match) this.fail("number");
    this.at += match[0].length;
    if (match[2] !== undefined || match[3] !== undefined) {
      this.forbid("float");
      return 0;
    }
    const big = BigInt(match[0]);
    if (big > MAX_SAFE || big < -MAX_SAFE) {
      this.forbid("integer_out_of_range");
      return 0;
    }
    return Number(big); // "-0" reads as 0, and 0 is written "0": non_canonical, as it should be
  }
}

/** Parse bytes that must be canonical JSON (section 2); throw Refused with the first code that applies. */
export function parseCanonical(bytes) {
  let text;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new Refused("not_json", { reason: "utf8" });
  }
  const parser = new Parser(text);
  const value = parser.value(0);
  parser.space();
  if (parser.at !== text.length) parser.fail("trailing");
  if (parser.forbidden !== null) throw new Refused("forbidden_value", { reason: parser.forbidden });
  // The input decoded strictly, so equal text is equal bytes.
  if (canonicalize(value) !== text) throw new Refused("non_canonical");
  return value;
}

// --- hashes, hex, signatures ------------------------------------------------------------------------

function isHex(value, length) {
  return typeof value === "string" && value.length === length && HEX_RE.test(value);
}

function isCount(value, minimum) {
  return Number.isSafeInteger(value) && value >= minimum;
}

const keyCache = new Map();
const strictKeys = new Map();
let webCrypto = null; // whether WebCrypto verifies Ed25519 here; null until first asked

/** True when WebCrypto in this browser verifies Ed25519 (RFC 8032). */
export async function ed25519Supported() {
  try {
    const key = await crypto.subtle.importKey("raw", new Uint8Array(32).fill(1), { name: "Ed25519" }, false, ["verify"]);
    await crypto.subtle.verify({ name: "Ed25519" }, key, new Uint8Array(64), new Uint8Array(1));
    return true;
  } catch (error) {
    return !(error instanceof DOMException && error.name === "NotSupportedError");
  }
}

/** Check signatures with ed25519.js even where WebCrypto could (tests run both ways). */
export function useJsEd25519(on) {
  webCrypto = on ? false : null;
}

/** True when `signatureHex` is `publicHex`'s signature of `context || message`, as strict as libsodium. */
export async function verifySignature(publicHex, context, message, signatureHex) {
  if (webCrypto === null) webCrypto = await ed25519Supported();
  const signed = join(enc.encode(context), message);
  if (!webCrypto) return verifyInJs(fromHex(publicHex), fromHex(signatureHex), signed);
  // WebCrypto follows RFC 8032, which accepts what libsodium refuses (a key or an R of small order).
  if (!strictKeys.has(publicHex)) strictKeys.set(publicHex, strictKey(fromHex(publicHex)));
  if (!strictKeys.get(publicHex) || !strictSignature(fromHex(signatureHex))) return false;
  try {
    let key = keyCache.get(publicHex);
    if (key === undefined) {
      key = crypto.subtle.importKey("raw", fromHex(publicHex), { name: "Ed25519" }, false, ["verify"]);
      keyCache.set(publicHex, key);
    }
    return await crypto.subtle.verify({ name: "Ed25519" }, await key, fromHex(signatureHex), signed);
  } catch {
    return false; // not a point on the curve, or not a key at all
  }
}

// --- section 7: one header, on its own (steps 2.1 and 2.2) ----------------------------------------------

function sameKeys(obj, names) {
  const keys = Object.keys(obj).sort();
  return keys.length === names.length && keys.every((k, i) => k === names[i]);
}

function checkHeaderFields(h) {
  const bad = (field) => new Refused("malformed_entry", { field });
  if (typeof h !== "object" || h === null || Array.isArray(h)) throw bad("header");
  if (!sameKeys(h, HEADER_FIELDS)) throw bad("fields");
  if (!ACT_FORMATS.includes(h.v)) throw bad("v");
  if (!isCount(h.seq, 1)) throw bad("seq");
  if (!isCount(h.time, 0)) throw bad("time");
  if (h.prev !== "" && !isHex(h.prev, 64)) throw bad("prev");
  if (!isHex(h.node, 64)) throw bad("node");
  if (!isHex(h.asig, 128)) throw bad("asig");
  if (!isHex(h.nsig, 128)) throw bad("nsig");
  if (!isHex(h.log, 64)) throw bad("log");
  if (typeof h.type !== "string" || !TYPE_RE.test(h.type)) throw bad("type");
  if (!isHex(h.author, 64)) throw bad("author");
  if (!VISIBILITIES.includes(h.vis)) throw bad("vis");
  if (!isHex(h.body, 64)) throw bad("body");
  if (typeof h.nonce !== "string" || !NONCE_RE.test(h.nonce)) throw bad("nonce");
}

/** Steps 2.1 and 2.2 for one header: {header, hash, actId} or {refused}. */
export async function checkHeader(bytes) {
  try {
    const h = parseCanonical(bytes);
    checkHeaderFields(h);
    const act = enc.encode(canonicalize({ v: h.v, log: h.log, type: h.type, author: h.author, vis: h.vis, body: h.body, nonce: h.nonce }));
    if (!(await verifySignature(h.author, CONTEXTS.act, act, h.asig))) throw new Refused("bad_author_signature");
    const { nsig, ...unsigned } = h;
    if (!(await verifySignature(h.node, CONTEXTS.entry, enc.encode(canonicalize(unsigned)), nsig))) {
      throw new Refused("bad_node_signature");
    }
    const [hash, actId] = await Promise.all([sha256(bytes), sha256(join(enc.encode(CONTEXTS.act), act))]);
    return { header: h, hash: toHex(hash), actId: toHex(actId) };
  } catch (error) {
    if (error instanceof Refused) return { refused: error };
    throw error;
  }
}

// --- section 13: a format-2 rule body's commitment to its words ------------------------------------

/** The {hash, fields} a format-2 rule body's content commits its words to, or null if malformed. */
export function wordsCommitment(content) {
  const words = content.words;
  if (typeof words !== "object" || words === null || Array.isArray(words) || !sameKeys(words, ["fields", "hash"])) {
    return null;
  }
  const { hash, fields } = words;
  if (!isHex(hash, 64) || !Array.isArray(fields) || !fields.every((f) => typeof f === "string")) return null;
  const sorted = [...new Set(fields)].sort(); // UTF-16 code units, as keys are sorted
  if (sorted.length !== fields.length || !sorted.every((f, i) => f === fields[i])) return null;
  return { hash, fields };
}

// --- section 10: checkpoints and receipts (step 1) ----------------------------------------------------

async function parseEvidence(bytes, kind) {
  const obj = parseCanonical(bytes);
  const code = `malformed_${kind}`;
  const names = kind === "checkpoint" ? CHECKPOINT_FIELDS : RECEIPT_FIELDS;
  if (typeof obj !== "object" || obj === null || Array.isArray(obj)) throw new Refused(code, { field: "object" });
  if (!sameKeys(obj, names)) throw new Refused(code, { field: "fields" });
  if (obj.v !== 1) throw new Refused(code, { field: "v" });
  if (!isHex(obj.log, 64)) throw new Refused(code, { field: "log" });
  if (!isCount(obj.time, 0)) throw new Refused(code, { field: "time" });
  if (!isHex(obj.node, 64)) throw new Refused(code, { field: "node" });
  if (!isHex(obj.sig, 128)) throw new Refused(code, { field: "sig" });
  if (kind === "checkpoint") {
    if (!isCount(obj.size, 0)) throw new Refused(code, { field: "size" });
    if (!isHex(obj.root, 64)) throw new Refused(code, { field: "root" });
  } else {
    if (!isCount(obj.seq, 1)) throw new Refused(code, { field: "seq" });
    if (!isHex(obj.entry, 64)) throw new Refused(code, { field: "entry" });
  }
  const { sig, ...unsigned } = obj;
  if (!(await verifySignature(obj.node, CONTEXTS[kind], enc.encode(canonicalize(unsigned)), sig))) {
    throw new Refused(`bad_${kind}_signature`);
  }
  return obj;
}

// --- section 9: the Merkle tree, kept as its frontier ---------------------------------------------------

class Frontier {
  constructor() {
    this.stack = []; // [size, hash bytes], largest subtree first
  }

  async append(entryHashHex) {
    let node = [1, await sha256(join(new Uint8Array([0]), fromHex(entryHashHex)))];
    while (this.stack.length && this.stack[this.stack.length - 1][0] === node[0]) {
      const [size, left] = this.stack.pop();
      node = [size * 2, await sha256(join(new Uint8Array([1]), left, node[1]))];
    }
    this.stack.push(node);
  }

  async root() {
    if (!this.stack.length) return toHex(await sha256(new Uint8Array(0)));
    let root = this.stack[this.stack.length - 1][1];
    for (let i = this.stack.length - 2; i >= 0; i--) root = await sha256(join(new Uint8Array([1]), this.stack[i][1], root));
    return toHex(root);
  }
}

// --- section 8.1, "Founding": the one rule this verifier replays ---------------------------------------

/**
 * Check the founding as section 8.1 states it, but for the charter's validity and the cargos: the first
 * entry is `assembly.founded`, the record's id derives from its body, the author is a founder, and every
 * founder (and no one else) endorsed the body. Resolve to null when it holds, else the code.
 */
export async function checkFounding(log, header, bodyBytes) {
  if (header.type !== "assembly.founded") return "not_founded";
  if (toHex(await sha256(join(enc.encode(CONTEXTS.log), bodyBytes))) !== log) return "wrong_log";
  const body = parseCanonical(bodyBytes);
  const founders = new Set();
  if (!Array.isArray(body.founders) || !body.founders.length) return "malformed_body";
  for (const item of body.founders) {
    if (typeof item !== "object" || item === null || !sameKeys(item, ["household", "key"]) || !isHex(item.key, 64)) {
      return "malformed_body";
    }
    if (founders.has(item.key)) return "malformed_body";
    founders.add(item.key);
  }
  if (!founders.has(header.author)) return "not_a_founder";
  if (!Array.isArray(body.endorsements)) return "malformed_body";
  const { endorsements, ...content } = body;
  const message = join(enc.encode(CONTEXTS.endorse), enc.encode(canonicalize(content)));
  const endorsed = new Set();
  for (const item of endorsements) {
    if (typeof item !== "object" || item === null || !sameKeys(item, ["key", "sig"]) || !isHex(item.sig, 128)) {
      return "malformed_body";
    }
    if (!founders.has(item.key)) return "not_a_founder";
    if (endorsed.has(item.key)) return "malformed_body";
    if (!(await verifySignature(item.key, "", message, item.sig))) return "bad_endorsement";
    endorsed.add(item.key);
  }
  return endorsed.size === founders.size ? null : "missing_endorsement";
}

// --- section 11: the walk --------------------------------------------------------------------------------

class Stop extends Error {
  constructor(seq, code, detail = {}) {
    super(code);
    this.problem = { seq, code, detail };
  }
}

export class RecordVerifier {
  /** `checkpoints` and `receipts` are exact bytes (Uint8Array); `visible` the visibilities it must hold. */
  constructor({ log, visible = ["public", "members"], checkpoints = [], receipts = [] }) {
    this.log = log;
    this.visible = new Set(visible);
    this.rawCheckpoints = checkpoints;
    this.rawReceipts = receipts;
    this.size = 0;
    this.head = "";
    this.frontier = new Frontier();
    this.acts = new Map();
    this.splitSeen = false; // whether a format-2 entry came yet (section 13, "Order of formats")
    this.problem = null;
    this.founding = "not_checked"; // null once the founding holds, else its code
    this.checkpoints = new Map(); // size -> [[index, checkpoint]]
    this.receipts = new Map(); // seq -> [[index, receipt]]
  }

  /** Step 1: parse every checkpoint, then every receipt. */
  async start() {
    try {
      for (const [kind, raws, by, at] of [
        ["checkpoint", this.rawCheckpoints, this.checkpoints, "size"],
        ["receipt", this.rawReceipts, this.receipts, "seq"],
      ]) {
        for (const [i, raw] of raws.entries()) {
          let obj;
          try {
            obj = await parseEvidence(raw, kind);
          } catch (error) {
            if (error instanceof Refused) throw new Stop(null, error.code, { [kind]: i, ...error.detail });
            throw error;
          }
          if (obj.log !== this.log) throw new Stop(null, "wrong_log", { [kind]: i });
          if (!by.has(obj[at])) by.set(obj[at], []);
          by.get(obj[at]).push([i, obj]);
        }
      }
    } catch (error) {
      this.stopWith(error);
    }
    return this.problem === null;
  }

  stopWith(error) {
    if (!(error instanceof Stop)) throw error;
    this.problem = error.problem;
  }

  /** Check the next headers (Uint8Array each, in stored order); false once a problem is found. */
  async add(headers, lookup) {
    if (this.problem !== null) return false;
    const checked = await Promise.all(headers.map((raw) => checkHeader(raw)));
    try {
      for (const result of checked) await this.take(result, lookup);
    } catch (error) {
      this.stopWith(error);
    }
    return this.problem === null;
  }

  async take(result, lookup) {
    const p = this.size + 1;
    if (result.refused) throw new Stop(p, result.refused.code, result.refused.detail);
    const h = result.header;
    if (h.log !== this.log) throw new Stop(p, "wrong_log");
    if (h.seq !== p) throw new Stop(p, "seq_gap", { expected: p, found: h.seq });
    if (h.prev !== this.head) throw new Stop(p, "broken_chain");
    if (this.acts.has(result.actId)) throw new Stop(p, "duplicate_act", { first_seq: this.acts.get(result.actId) });
    this.checkFormatOrder(p, h);
    const body = await this.checkBody(p, h, lookup);
    if (p === 1) this.founding = body === null ? "not_checked" : await checkFounding(this.log, h, body);
    this.size = p;
    this.head = result.hash;
    this.acts.set(result.actId, p);
    await this.frontier.append(result.hash);
    const checkpoints = this.checkpoints.get(p) || [];
    if (checkpoints.length) {
      const root = await this.frontier.root();
      for (const [i, cp] of checkpoints) {
        if (cp.root !== root) throw new Stop(p, "inconsistent_checkpoint", { reason: "root_differs", checkpoint: i });
      }
    }
    for (const [i, receipt] of this.receipts.get(p) || []) {
      if (receipt.entry !== this.head) throw new Stop(p, "receipt_not_honoured", { reason: "fork", receipt: i });
    }
  }

  /** Section 13: once a format-2 entry came, a format-1 entry must have a public body. */
  checkFormatOrder(p, h) {
    if (h.v === SPLIT_FORMAT) {
      this.splitSeen = true;
    } else if (this.splitSeen && h.vis !== RULE_VIS) {
      throw new Stop(p, "malformed_entry", { field: "v", reason: "format_went_back", value: h.v });
    }
  }

  /**
   * Step 2.7: the body the act names, and in format 2 its words (section 13). Resolve to the bytes of
   * the body (format 2: the rule body) when held, else null.
   */
  async checkBody(p, h, lookup) {
    if (h.v !== SPLIT_FORMAT) {
      const found = await this.held(p, h, h.body, h.vis, lookup, this.visible);
      return found === null || found === ERASED ? null : found.bytes;
    }
    // The rule body is public and must be held by every verifier; rule data is never erased.
    const rule = await this.held(p, h, h.body, RULE_VIS, lookup, new Set([...this.visible, RULE_VIS]));
    if (rule === ERASED) throw new Stop(p, "unauthorised_erasure", { body: h.body, vis: RULE_VIS });
    const words = wordsCommitment(rule.content);
    if (words === null) throw new Stop(p, "malformed_body", { field: "words" });
    // The words: held, erased (allowed only by a words.erased act, which needs the rules to check), or
    // not held because this verifier may not see their visibility.
    await this.held(p, h, words.hash, h.vis, lookup, this.visible);
    return rule.bytes;
  }

  /** The body at (hash, vis) checked as step 2.7 says: {bytes, content}, ERASED, or null when not held. */
  async held(p, h, hash, vis, lookup, visible) {
    const found = lookup(hash, vis);
    if (found === ERASED) return ERASED;
    if (found === null || found === undefined) {
      if (visible.has(vis)) throw new Stop(p, "missing_body", { body: hash, vis });
      return null;
    }
    if (toHex(await sha256(found.bytes)) !== hash || (found.vis !== undefined && found.vis !== vis)) {
      throw new Stop(p, "wrong_body_hash", { body: hash, vis });
    }
    if (found.bytes.length > (BODY_LIMITS[h.type] || MAX_BODY)) throw new Stop(p, "malformed_body", { reason: "too_large" });
    let content;
    try {
      content = parseCanonical(found.bytes);
    } catch (error) {
      if (error instanceof Refused) throw new Stop(p, error.code, { ...error.detail, body: hash });
      throw error;
    }
    if (typeof content !== "object" || content === null || Array.isArray(content)) {
      throw new Stop(p, "malformed_body", { reason: "not_an_object" });
    }
    return { bytes: found.bytes, content };
  }

  /**
   * Step 3, then the report: {ok, size, head, root, replayed: 0, problem, founding}. `problem` covers
   * steps 1-7 and 9; `founding` is null when the founding holds (checkFounding), its code when it does
   * not, or "not_checked" when the first entry or its body was not there.
   */
  async finish() {
    if (this.problem === null) {
      try {
        await this.checkBeyond();
      } catch (error) {
        this.stopWith(error);
      }
    }
    return {
      ok: this.problem === null,
      size: this.size,
      head: this.head,
      root: await this.frontier.root(),
      replayed: 0,
      problem: this.problem,
      founding: this.founding,
    };
  }

  async checkBeyond() {
    const empty = toHex(await sha256(new Uint8Array(0)));
    for (const [i, cp] of this.checkpoints.get(0) || []) {
      if (cp.root !== empty) throw new Stop(null, "inconsistent_checkpoint", { reason: "root_differs", checkpoint: i });
    }
    const sizes = [...this.checkpoints.keys()].sort((a, b) => a - b);
    for (const size of sizes) {
      const roots = new Set(this.checkpoints.get(size).map(([, cp]) => cp.root));
      if (size > this.size && roots.size > 1) throw new Stop(null, "inconsistent_checkpoint", { reason: "equivocation", size });
    }
    const claims = [];
    for (const [size, cps] of this.checkpoints) {
      if (size > this.size) claims.push([size, "checkpoint", "inconsistent_checkpoint", "record_shorter"]);
    }
    for (const [seq] of this.receipts) {
      if (seq > this.size) claims.push([seq, "receipt", "receipt_not_honoured", "missing"]);
    }
    if (claims.length) {
      claims.sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : 1));
      const [at, , code, reason] = claims[0];
      throw new Stop(this.size + 1, code, { reason, claimed: at, record_size: this.size });
    }
  }
}

// --- docs/export-format.md: reading an export file -------------------------------------------------------

/**
 * Read an export file's text strictly, line by line; throw Refused("malformed_export", {line, ...}) for
 * the first bad line. Resolves to {log, visible, entries, bodies: Map("hash/vis" -> {bytes, vis} |
 * ERASED), checkpoints}.
 */
export async function readExport(text) {
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  const bad = (line, detail) => new Refused("malformed_export", { line, ...detail });
  const object = (i) => {
    let obj;
    try {
      obj = JSON.parse(lines[i]);
    } catch {
      throw bad(i + 1, { reason: "not_json" });
    }
    if (typeof obj !== "object" || obj === null || Array.isArray(obj)) throw bad(i + 1, { reason: "not_an_object" });
    return obj;
  };
  const head = lines.length ? object(0) : null;
  if (!head || head.format !== "ayllu-record-export" || head.version !== 1) throw bad(1, { field: "format" });
  const visible = head.visible;
  if (!Array.isArray(visible) || !visible.every((v) => v === "public" || v === "members")) throw bad(1, { field: "visible" });
  if (typeof head.log !== "string") throw bad(1, { field: "log" });
  const record = { log: head.log, visible, entries: [], bodies: new Map(), checkpoints: [] };
  const named = new Set(); // "hash/vis" the entries and format-2 rule bodies read so far name
  const wordsVis = new Map(); // a format-2 rule body's "hash/public" -> the visibilities of its words
  // A format-2 rule body names its words at (words.hash, the act's vis) (record-format.md section 13).
  const nameWords = (rule, vis) => {
    let content;
    try {
      content = parseCanonical(rule.bytes);
    } catch (error) {
      if (error instanceof Refused) return; // not canonical JSON: the verifier names the entry
      throw error;
    }
    if (typeof content !== "object" || content === null || Array.isArray(content)) return;
    const words = wordsCommitment(content);
    if (words !== null) named.add(`${words.hash}/${vis}`);
  };
  const str = (obj, key, line) => {
    if (typeof obj[key] !== "string") throw bad(line, { field: key });
    return obj[key];
  };
  for (let i = 1; i < lines.length; i++) {
    const line = i + 1;
    const obj = object(i);
    const keys = Object.keys(obj).sort().join(",");
    if (keys === "entry") {
      if (record.checkpoints.length) throw bad(line, { reason: "entry_after_checkpoints" });
      const entry = str(obj, "entry", line);
      record.entries.push(enc.encode(entry));
      let h = null;
      try {
        h = JSON.parse(entry);
      } catch {
        // not a header at all: the verifier names this entry
      }
      if (h && typeof h === "object" && typeof h.body === "string" && typeof h.vis === "string") {
        if (h.v === SPLIT_FORMAT) {
          // Two acts may share one rule body with words under two visibilities: the rule body is
          // written once, after the first of them; each one's words after both.
          const key = `${h.body}/${RULE_VIS}`;
          named.add(key);
          if (!wordsVis.has(key)) wordsVis.set(key, new Set());
          wordsVis.get(key).add(h.vis);
          const held = record.bodies.get(key);
          if (held !== undefined && held !== ERASED) nameWords(held, h.vis);
        } else {
          named.add(`${h.body}/${h.vis}`);
        }
      }
    } else if (keys === "body,vis" || keys === "erased,vis") {
      const vis = str(obj, "vis", line);
      if (!visible.includes(vis)) throw bad(line, { field: "vis", value: vis });
      const bytes = keys === "body,vis" ? enc.encode(str(obj, "body", line)) : null;
      const hash = bytes === null ? str(obj, "erased", line) : toHex(await sha256(bytes));
      if (record.checkpoints.length) throw bad(line, { reason: "body_after_checkpoints" });
      const key = `${hash}/${vis}`;
      if (!named.has(key)) throw bad(line, { reason: "body_before_entry", body: hash, vis });
      if (record.bodies.has(key)) throw bad(line, { reason: "duplicate_body", body: hash, vis });
      record.bodies.set(key, bytes === null ? ERASED : { bytes, vis });
      if (bytes !== null) for (const wordsAt of wordsVis.get(key) || []) nameWords({ bytes }, wordsAt);
    } else if (keys === "checkpoint") {
      record.checkpoints.push(enc.encode(str(obj, "checkpoint", line)));
    } else {
      throw bad(line, { fields: keys });
    }
  }
  return record;
}
