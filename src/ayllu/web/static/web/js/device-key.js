// The member's device key: an Ed25519 key made by WebCrypto, never extractable, kept in IndexedDB.
//
// IndexedDB belongs to this node's origin; inside it there is one key per assembly record (log id),
// so a member of two assemblies on one node has two keys, and no other site or node can use them.
// A founder's key is made before its record exists: it waits under its draft's slot (draftSlot) and
// is filed under the record's id once the assembly is founded (fileDeviceKey).
// The private key cannot be read by any script, this one included: it can only be asked to sign.
// The signed bytes are exactly those of ayllu.core.ledger.keys (a context string, then canonical JSON).

import { fromHex, join, sha256, toHex } from "./bytes.js";
import { canonicalBytes } from "./canonical.js";
import { objectStore } from "./idb.js";

const DB_NAME = "ayllu-device-keys";
const STORE = "keys";
const ALGORITHM = { name: "Ed25519" };

// The contexts of ayllu.core.ledger.keys: ACT_CONTEXT and LOGIN_CONTEXT, each ending in a zero byte.
export const ACT_CONTEXT = "ayllu/v1/act\u0000";
export const LOGIN_CONTEXT = "ayllu/v1/login\u0000";
// ENDORSE_CONTEXT: a founder's endorsement of an assembly's founding content.
export const ENDORSE_CONTEXT = "ayllu/v1/endorse\u0000";

export class DeviceKeyError extends Error {
  constructor(code) {
    super(`device key: ${code}`);
    this.name = "DeviceKeyError";
    this.code = code;
  }
}

const withStore = objectStore({
  dbName: DB_NAME,
  store: STORE,
  keyPath: "log",
  unavailable: () => new DeviceKeyError("no_storage"),
});

/** True when this browser can make and use Ed25519 keys (WebCrypto in a secure context). */
export function deviceKeysSupported() {
  return Boolean(globalThis.isSecureContext && globalThis.crypto && crypto.subtle && globalThis.indexedDB);
}

/** The stored key for `log` as {log, publicKey: hex, created, keys: CryptoKeyPair}, or null. */
export async function getDeviceKey(log) {
  const stored = await withStore("readonly", (store) => store.get(log));
  if (!stored) return null;
  return { log: stored.log, publicKey: stored.publicHex, created: stored.created, keys: stored.keys };
}

/** Make and store this device's key for `log`; refuse when one exists (a key is never overwritten). */
export async function createDeviceKey(log) {
  if (!deviceKeysSupported()) throw new DeviceKeyError("unsupported");
  if (await getDeviceKey(log)) throw new DeviceKeyError("key_exists");
  let keys;
  try {
    keys = await crypto.subtle.generateKey(ALGORITHM, false, ["sign", "verify"]);
  } catch {
    throw new DeviceKeyError("unsupported");
  }
  return storeNewKey(log, toHex(await crypto.subtle.exportKey("raw", keys.publicKey)), keys);
}

/** Keep `keys` as this device's key for `log`, never over another one. */
async function storeNewKey(log, publicHex, keys) {
  const record = { log, publicHex, created: Date.now(), keys };
  // add() (not put) fails if another tab stored a key for this log in the meantime.
  try {
    await withStore("readwrite", (store) => store.add(record));
  } catch (error) {
    throw new DeviceKeyError(error && error.name === "ConstraintError" ? "key_exists" : "no_storage");
  }
  return { log, publicKey: publicHex, created: record.created, keys };
}

async function requireKey(log) {
  const key = await getDeviceKey(log);
  if (!key) throw new DeviceKeyError("no_key");
  return key;
}

/** Sign `context || canonical(value)` with this device's key for `log`; return the hex signature. */
export async function signCanonical(log, context, value) {
  const key = await requireKey(log);
  const message = join(new TextEncoder().encode(context), canonicalBytes(value));
  const signature = await crypto.subtle.sign(ALGORITHM, key.keys.privateKey, message);
  return toHex(signature);
}

/** The key slot of a founding draft: a record's id is known only once every founder has endorsed. */
export function draftSlot(draft) {
  return `draft:${draft}`;
}

/**
 * File the key kept under slot `from` (a founding draft's) under the record id `log`, once founded.
 * Done again, it returns the key already filed; a different key already under `log` is refused.
 */
export async function fileDeviceKey(from, log) {
  const [source, existing] = [await getDeviceKey(from), await getDeviceKey(log)];
  if (existing && (!source || existing.publicKey === source.publicKey)) return existing;
  if (existing) throw new DeviceKeyError("key_exists");
  if (!source) throw new DeviceKeyError("no_key");
  const record = { log, publicHex: source.publicKey, created: source.created, keys: source.keys };
  try {
    await withStore("readwrite", (store) => store.add(record));
  } catch (error) {
    throw new DeviceKeyError(error && error.name === "ConstraintError" ? "key_exists" : "no_storage");
  }
  return { log, publicKey: source.publicKey, created: source.created, keys: source.keys };
}

/** The key a founding draft's slot holds that is one of `founders` (hex public keys), or null. */
export async function foundingDraftKey(founders) {
  if (!founders.length) return null;
  const stored = await withStore("readonly", (store) => store.getAll());
  const match = stored.find((s) => s.log.startsWith(draftSlot("")) && founders.includes(s.publicHex));
  return match ? getDeviceKey(match.log) : null;
}

/**
 * This device's key for `log`. When it has none there but keeps one of the record's `founders` keys
 * under a founding draft's slot, that key is filed under `log` first: a founder's device enters the
 * assembly with the key it endorsed with, whichever page it opens first.
 */
export async function findDeviceKey(log, founders = []) {
  const existing = await getDeviceKey(log);
  if (existing) return existing;
  const founding = await foundingDraftKey(founders);
  return founding ? fileDeviceKey(founding.log, log) : null;
}

/**
 * File the founding key `founding` under `log` in place of a key the node said is no member's (made by
 * "set up this device" before the founding key was filed). That key is kept aside, never deleted.
 */
export async function replaceStrayKey(log, founding) {
  const stray = await getDeviceKey(log);
  if (stray && stray.publicKey !== founding.publicKey) {
    const aside = { log: `unused:${log}:${stray.publicKey}`, publicHex: stray.publicKey, created: stray.created, keys: stray.keys };
    await withStore("readwrite", (store) => store.put(aside));
    await withStore("readwrite", (store) => store.delete(log));
  }
  return fileDeviceKey(founding.log, log);
}

// PKCS #8 wrapping of a raw 32-byte Ed25519 private key (RFC 8410): WebCrypto imports seeds only so.
const PKCS8_ED25519_PREFIX = [0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20];

/**
 * Keep a demo node's visitor key for `log` (the demo page hands its seed to anyone): imported
 * non-extractable like any device key. Refused when this browser already holds another key for `log`.
 */
export async function installDemoKey(log, seedHex, publicHex) {
  if (!deviceKeysSupported()) throw new DeviceKeyError("unsupported");
  const existing = await getDeviceKey(log);
  if (existing && existing.publicKey === publicHex) return existing;
  if (existing) throw new DeviceKeyError("key_exists");
  let keys;
  try {
    const privateKey = await crypto.subtle.importKey(
      "pkcs8", join(new Uint8Array(PKCS8_ED25519_PREFIX), fromHex(seedHex)), ALGORITHM, false, ["sign"]);
    const publicKey = await crypto.subtle.importKey("raw", fromHex(publicHex), ALGORITHM, true, ["verify"]);
    keys = { privateKey, publicKey };
  } catch {
    throw new DeviceKeyError("unsupported");
  }
  return storeNewKey(log, publicHex, keys);
}

/** Sign an act (v, log, type, author, vis, body, nonce) as the record expects, with this device's key
 * for `keyLog`: the act's own record, or a delegate's home assembly for an act in a federation. */
export function signAct(act, keyLog = act.log) {
  return signCanonical(keyLog, ACT_CONTEXT, act);
}

/** Sign a login statement for `log`: proves this device holds the key at this moment. */
export function signLogin(log, statement) {
  return signCanonical(log, LOGIN_CONTEXT, statement);
}

/** Lowercase hex SHA-256 of `bytes` (a body's hash, as the record names it). */
export async function sha256Hex(bytes) {
  return toHex(await sha256(bytes));
}

/** A random act nonce of 22 URL-safe characters (128 bits). */
export function randomNonce() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
