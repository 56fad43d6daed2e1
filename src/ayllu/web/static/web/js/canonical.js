// Canonical JSON (RFC 8785, JCS) for what a member signs: the same bytes as ayllu.core.ledger.canonical.
//
// Signed data holds only objects, arrays, strings, booleans, null and safe integers. Floats, integers
// beyond 2^53 - 1, lone surrogates and anything that is not plain data are refused, as the node refuses
// them, so a member can never sign bytes that no verifier would reproduce.

const MAX_DEPTH = 32;

export class CanonicalError extends Error {
  constructor(reason, value) {
    super(`not canonical data: ${reason}`);
    this.name = "CanonicalError";
    this.reason = reason;
    this.value = value;
  }
}

function isPlainObject(value) {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function encodeString(text) {
  if (!text.isWellFormed()) throw new CanonicalError("lone_surrogate", text);
  // JSON.stringify escapes exactly as RFC 8785 section 3.2.2.2 asks: \b \t \n \f \r \" \\ and \u00xx.
  return JSON.stringify(text);
}

// `depth` counts the arrays and objects around `value`: at most 32 may be open at once, as in Python.
function encode(value, depth) {
  if (value === null) return "null";
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "string":
      return encodeString(value);
    case "number":
      if (!Number.isInteger(value)) throw new CanonicalError("float", value);
      if (!Number.isSafeInteger(value)) throw new CanonicalError("integer_out_of_range", value);
      return Object.is(value, -0) ? "0" : String(value);
    case "object":
      break;
    default:
      throw new CanonicalError("type", typeof value);
  }
  if (depth >= MAX_DEPTH) throw new CanonicalError("too_deep");
  if (Array.isArray(value)) {
    return `[${value.map((item) => encode(item, depth + 1)).join(",")}]`;
  }
  if (!isPlainObject(value)) throw new CanonicalError("type", Object.prototype.toString.call(value));
  // The default sort compares UTF-16 code units, which is the order RFC 8785 prescribes.
  const keys = Object.keys(value).sort();
  const members = keys.map((key) => `${encodeString(key)}:${encode(value[key], depth + 1)}`);
  return `{${members.join(",")}}`;
}

/** Encode `value` as canonical JSON text; throw CanonicalError for anything signed data may not hold. */
export function canonicalize(value) {
  return encode(value, 0);
}

/** The canonical JSON of `value` as UTF-8 bytes: what is hashed and signed. */
export function canonicalBytes(value) {
  return new TextEncoder().encode(canonicalize(value));
}
