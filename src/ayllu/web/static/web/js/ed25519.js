// Ed25519 signature verification (RFC 8032, section 5.1.7) in plain JavaScript, for browsers whose
// WebCrypto does not verify Ed25519. Written for ayllu (same licence as the project); no code copied.
//
// As strict as libsodium's crypto_sign_verify_detached, which docs/record-format.md section 1 asks for
// (`strictKey` and `strictSignature` also hold WebCrypto's answers to that standard):
// S must be below the group order L; the public key must be a canonical encoding of a point that is not
// of small order; R must not be of small order; and the check is that encode(S·B - k·A) equals R byte
// for byte, with k = SHA-512(R || A || message) mod L. SHA-512 comes from WebCrypto, which every browser
// with crypto.subtle has. BigInt arithmetic, slower than WebCrypto (a few milliseconds a signature).

import { toHex } from "./bytes.js";

const P = 2n ** 255n - 19n;
const L = 2n ** 252n + 27742317777372353535851937790883648493n;
const D = mod(-121665n * inverse(121666n));
const SQRT_M1 = power(2n, (P - 1n) / 4n);
const BASE_Y = mod(4n * inverse(5n));

function mod(a, m = P) {
  const r = a % m;
  return r < 0n ? r + m : r;
}

function power(base, exponent) {
  let result = 1n;
  let b = mod(base);
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % P;
    b = (b * b) % P;
    e >>= 1n;
  }
  return result;
}

function inverse(a) {
  return power(a, P - 2n);
}

// Points in extended coordinates (X, Y, Z, T) with x = X/Z, y = Y/Z, xy = T/Z.
const IDENTITY = [0n, 1n, 1n, 0n];

function add([x1, y1, z1, t1], [x2, y2, z2, t2]) {
  const a = mod((y1 - x1) * (y2 - x2));
  const b = mod((y1 + x1) * (y2 + x2));
  const c = mod(2n * D * t1 * t2);
  const d = mod(2n * z1 * z2);
  const e = b - a;
  const f = d - c;
  const g = d + c;
  const h = b + a;
  return [mod(e * f), mod(g * h), mod(f * g), mod(e * h)];
}

function multiply(point, scalar) {
  let result = IDENTITY;
  let addend = point;
  let k = scalar;
  while (k > 0n) {
    if (k & 1n) result = add(result, addend);
    addend = add(addend, addend);
    k >>= 1n;
  }
  return result;
}

function encode([x, y, z]) {
  const zi = inverse(z);
  const out = toBytes(mod(y * zi));
  if (mod(x * zi) & 1n) out[31] |= 0x80;
  return out;
}

function littleEndian(bytes) {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]);
  return n;
}

/** The point a 32-byte encoding names, or null when it is not a canonical encoding of a curve point. */
function decode(bytes) {
  const sign = bytes[31] >> 7;
  const copy = Uint8Array.from(bytes);
  copy[31] &= 0x7f;
  const y = littleEndian(copy);
  if (y >= P) return null;
  const u = mod(y * y - 1n);
  const v = mod(D * y * y + 1n);
  let x = mod(u * power(v, 3n) * power(u * power(v, 7n), (P - 5n) / 8n));
  const vx2 = mod(v * x * x);
  if (vx2 === mod(-u)) x = mod(x * SQRT_M1);
  else if (vx2 !== u) return null;
  if (x === 0n && sign === 1) return null;
  if (Number(x & 1n) !== sign) x = P - x;
  return [x, y, 1n, mod(x * y)];
}

function isIdentity([x, y, z]) {
  return mod(x) === 0n && mod(y - z) === 0n;
}

function smallOrder(point) {
  return isIdentity(multiply(point, 8n));
}

function toBytes(n) {
  const out = new Uint8Array(32);
  let rest = n;
  for (let i = 0; i < 32; i++) {
    out[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  return out;
}

// The base point: y = 4/5 and the even x (sign bit clear).
const BASE = decode(toBytes(BASE_Y));

let smallOrderEncodings = null;

/** The canonical encodings (hex) of the eight points of small order, found once from a point of order 8. */
function smallOrderHex() {
  if (smallOrderEncodings === null) {
    for (let y = 2n; smallOrderEncodings === null; y++) {
      const p = decode(toBytes(y));
      if (p === null) continue;
      const torsion = multiply(p, L); // what is left of p outside the prime-order subgroup
      if (isIdentity(multiply(torsion, 4n))) continue; // not of order 8
      const found = new Set();
      let q = IDENTITY;
      for (let i = 0; i < 8; i++) {
        found.add(toHex(encode(q)));
        q = add(q, torsion);
      }
      smallOrderEncodings = found;
    }
  }
  return smallOrderEncodings;
}

/** True when the signature's S is below L and its R is not a point of small order (libsodium's checks). */
export function strictSignature(signature) {
  return signature.length === 64 && littleEndian(signature.slice(32)) < L && !smallOrderHex().has(toHex(signature.slice(0, 32)));
}

/** True when the key is a canonical encoding of a curve point not of small order (libsodium's checks). */
export function strictKey(publicKey) {
  if (publicKey.length !== 32) return false;
  const a = decode(publicKey);
  return a !== null && !smallOrder(a);
}

/** True when `signature` (64 bytes) is `publicKey`'s (32 bytes) Ed25519 signature of `message`. */
export async function verify(publicKey, signature, message) {
  if (!strictKey(publicKey) || !strictSignature(signature)) return false;
  const r = signature.slice(0, 32);
  const s = littleEndian(signature.slice(32));
  const a = decode(publicKey);
  const input = new Uint8Array(64 + message.length);
  input.set(r, 0);
  input.set(publicKey, 32);
  input.set(message, 64);
  const k = mod(littleEndian(new Uint8Array(await crypto.subtle.digest("SHA-512", input))), L);
  const negA = [mod(-a[0]), a[1], a[2], mod(-a[3])];
  const check = encode(add(multiply(BASE, s), multiply(negA, k)));
  let same = 0;
  for (let i = 0; i < 32; i++) same |= check[i] ^ r[i];
  return same === 0;
}
