/**
 * Primitives for reading JSON values straight from bytes: a block of lines
 * with a latin1 twin for cutting strings, and scanners for ids, names,
 * strings and numbers (fixed literals are in `byte_literals.ts`). Each scanner
 * takes the bytes and the block's end as parameters (so V8 keeps them in
 * registers once inlined), never reads at or past `end`, and returns the
 * position after what it read, or -1. Values land in {@linkcode scanned}.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { literal } from "./byte_literals.ts";
import { MAX_NAME_LENGTH } from "../event/text_rules.ts";
import { stringifiedEscape } from "./json_escape.ts";

/**
 * A block of lines, `bytes[0, end)`. Its `text` is the same bytes as latin1
 * (one char per byte, so offsets agree), made on first use, for cutting
 * strings cheaply.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ByteChunk } from "./byte_scan.ts";
 * assert.equal(new ByteChunk(new Uint8Array([0x61, 0x0a, 0x62]), 2).text, "a\n");
 * ```
 */
export class ByteChunk {
  /** The same bytes, for reading four at a time. */
  readonly view: DataView;
  #text: string | undefined;

  /** A chunk of `bytes[0, end)` (default: all of it). */
  constructor(readonly bytes: Uint8Array, readonly end: number = bytes.length) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** The bytes as latin1 text. */
  get text(): string {
    this.#text ??= Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.end)
      .toString("latin1");
    return this.#text;
  }
}

/** What the last scanner read. */
export const scanned = {
  /** The last count's value (NaN for `null`). */
  number: 0,
  /** The last decimal's value. */
  decimal: 0,
  /** Set to 0 by a scanner that read a value `JSON.stringify` spells otherwise (`1.50`, `-0`). */
  exact: 1,
};

const QUOTE = 0x22;
const NULL = literal("null");
const POWERS = Array.from({ length: 16 }, (_, k) => 10 ** k);
const table = (chars: string) => {
  const t = new Uint8Array(256);
  for (const c of chars) t[c.charCodeAt(0)] = 1;
  return t;
};
/** The characters of a 26-character event id (Crockford base32, either case). */
export const ID_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZabcdefghjkmnpqrstvwxyz";
const BASE32 = table(ID_ALPHABET);
const HEX = table("0123456789abcdefABCDEF");
const ESCAPES = table('"\\/bfnrt');

/**
 * A 26-character event id (Crockford base32, either case, any first
 * character: spec-kitty's `uuid4().hex[:26]` fallback starts with 8-f half
 * the time). UUID ids are left to the full path.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ulid } from "./byte_scan.ts";
 * const b = new TextEncoder().encode("01KHJVJWDM0HGAGYGXJYKD1JQG 9f1c2b7a0d4e4f1ab3c5d6e7f8");
 * assert.equal(ulid(b, b.length, 0), 26);
 * assert.equal(ulid(b, b.length, 27), 53);
 * ```
 */
export function ulid(b: Uint8Array, end: number, p: number): number {
  if (p < 0 || p + 26 > end) return -1;
  for (let i = p; i < p + 26; i++) if (BASE32[b[i]] === 0) return -1;
  return p + 26;
}

/**
 * A name's body (printable ASCII, no escapes, 1..MAX_NAME_LENGTH chars):
 * the position of its closing quote.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { name } from "./byte_scan.ts";
 * const b = new TextEncoder().encode('WP01"');
 * assert.equal(name(b, b.length, 0), 4);
 * ```
 */
export function name(b: Uint8Array, end: number, p: number): number {
  if (p < 0) return -1;
  let i = p;
  for (; i < end; i++) {
    const c = b[i];
    if (c === QUOTE) break;
    if (c < 0x20 || c >= 0x7f || c === 0x5c) return -1;
  }
  return i < end && i > p && i - p <= MAX_NAME_LENGTH ? i : -1;
}

/**
 * Any JSON string's body (escapes checked, not decoded): the position of
 * its closing quote.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { anyString } from "./byte_scan.ts";
 * const b = new TextEncoder().encode('a\\"\\u00e9"');
 * assert.equal(anyString(b, b.length, 0), b.length - 1);
 * ```
 */
export function anyString(b: Uint8Array, end: number, p: number): number {
  if (p < 0) return -1;
  let i = p;
  while (i < end) {
    const c = b[i];
    if (c === QUOTE) return i;
    if (c < 0x20) return -1;
    if (c >= 0x80) scanned.exact = 0; // kept exact only for ASCII (no UTF-8 check here)
    if (c === 0x5c) {
      if (i + 1 >= end) return -1;
      const e = b[i + 1];
      if (e === 0x75) {
        for (let k = i + 2; k < i + 6; k++) if (k >= end || HEX[b[k]] === 0) return -1;
        if (!stringifiedEscape(b, i + 2)) scanned.exact = 0;
        i += 6;
        continue;
      }
      if (ESCAPES[e] === 0) return -1;
      if (e === 0x2f) scanned.exact = 0; // `\/`: JSON.stringify writes `/`
      i += 2;
      continue;
    }
    i++;
  }
  return -1;
}

/**
 * A non-negative integer of at most 15 digits (so exact, no leading
 * zeros); its value goes to `scanned.number`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { count, scanned } from "./byte_scan.ts";
 * const b = new TextEncoder().encode("1234,");
 * assert.equal(count(b, b.length, 0), 4);
 * assert.equal(scanned.number, 1234);
 * ```
 */
export function count(b: Uint8Array, end: number, p: number): number {
  if (p < 0 || p >= end) return -1;
  let i = p;
  let value = 0;
  for (; i < end; i++) {
    const d = b[i] - 0x30;
    if (d < 0 || d > 9) break;
    value = value * 10 + d;
  }
  if (i === p || i - p > 15 || (b[p] === 0x30 && i - p > 1)) return -1;
  scanned.number = value;
  return i;
}

function digitsAt(b: Uint8Array, end: number, p: number): number {
  while (p < end && b[p] >= 0x30 && b[p] <= 0x39) p++;
  return p;
}

/**
 * A non-negative JSON number, checked against the grammar; its value (the
 * double JSON.parse gives) goes to `scanned.decimal`. With at most 15
 * digits and no exponent it is computed from the digits (both integers are
 * exact doubles, so one division rounds correctly); otherwise the text is
 * parsed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ByteChunk, decimal, scanned } from "./byte_scan.ts";
 * const chunk = new ByteChunk(new TextEncoder().encode("15.6,1e-7,"));
 * assert.equal(decimal(chunk, 0), 4);
 * assert.equal(scanned.decimal, 15.6);
 * assert.equal(decimal(chunk, 5), 9);
 * assert.equal(scanned.decimal, 1e-7);
 * ```
 */
export function decimal(chunk: ByteChunk, p: number): number {
  const { bytes: b, end } = chunk;
  if (p < 0) return -1;
  let i = digitsAt(b, end, p);
  if (i === p || (b[p] === 0x30 && i - p > 1)) return -1;
  const whole = i;
  let places = 0;
  if (i < end && b[i] === 0x2e) {
    const from = i + 1;
    i = digitsAt(b, end, from);
    if (i === from) return -1;
    places = i - from;
  }
  if (i < end && (b[i] === 0x65 || b[i] === 0x45)) {
    i++;
    if (i < end && (b[i] === 0x2b || b[i] === 0x2d)) i++;
    const from = i;
    i = digitsAt(b, end, from);
    if (i === from) return -1;
    scanned.decimal = Number(chunk.text.slice(p, i));
    scanned.exact = 0;
    return i;
  }
  if (whole - p + places > 15) {
    scanned.decimal = Number(chunk.text.slice(p, i));
    scanned.exact = 0;
    return i;
  }
  let m = 0;
  for (let k = p; k < i; k++) if (k !== whole) m = m * 10 + b[k] - 0x30;
  const value = m / POWERS[places];
  scanned.decimal = value;
  // At most 15 digits name one double, which JSON.stringify writes back the
  // same way unless the text has a trailing 0 after the point or is below 1e-6.
  if (places > 0 && (b[i - 1] === 0x30 || value < 1e-6)) scanned.exact = 0;
  return i;
}

/**
 * A 32-bit signed integer (an exit code) into `scanned.number`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { int32, scanned } from "./byte_scan.ts";
 * const b = new TextEncoder().encode("-1}2147483648}");
 * assert.equal(int32(b, b.length, 0), 2);
 * assert.equal(scanned.number, -1);
 * assert.equal(int32(b, b.length, 3), -1);
 * ```
 */
export function int32(b: Uint8Array, end: number, p: number): number {
  if (p < 0) return -1;
  const negative = p < end && b[p] === 0x2d;
  const q = count(b, end, negative ? p + 1 : p);
  if (q < 0) return -1;
  const value = negative ? -scanned.number : scanned.number;
  if (value < -(2 ** 31) || value >= 2 ** 31) return -1;
  if (negative && value === 0) scanned.exact = 0; // `-0` is written `0`
  scanned.number = value;
  return q;
}

/**
 * `null` or a quoted 26-character id (a causation id).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ByteChunk, idOrNull } from "./byte_scan.ts";
 * const { bytes, view, end } = new ByteChunk(new TextEncoder().encode('"01KHJVJWDM0HGAGYGXJYKD1JQG",null'));
 * assert.equal(idOrNull(view, bytes, end, 0), 28);
 * assert.equal(idOrNull(view, bytes, end, 29), 33);
 * ```
 */
export function idOrNull(d: DataView, b: Uint8Array, end: number, p: number): number {
  if (p < 0 || p >= end) return -1;
  if (b[p] !== QUOTE) return NULL(d, end, p);
  const q = ulid(b, end, p + 1);
  return q < 0 || q >= end || b[q] !== QUOTE ? -1 : q + 1;
}

/**
 * `p` when a line ends there (a `\n`, a `\r\n`, or the block's end), else -1.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { lineEndAt } from "./byte_scan.ts";
 * const b = new TextEncoder().encode("}\r\n}x");
 * assert.equal(lineEndAt(b, b.length, 1), 1);
 * assert.equal(lineEndAt(b, b.length, 4), -1);
 * ```
 */
export function lineEndAt(b: Uint8Array, end: number, p: number): number {
  if (p < 0) return -1;
  if (p === end || b[p] === 0x0a) return p;
  return b[p] === 0x0d && (p + 1 === end || b[p + 1] === 0x0a) ? p : -1;
}
