/**
 * Primitives for reading JSON values straight from bytes: a block of lines
 * with a latin1 twin for cutting strings, fixed-literal checks four bytes at
 * a time, and scanners for ids, names, strings and numbers. Each scanner
 * takes the bytes and the block's end as parameters (so V8 keeps them in
 * registers once inlined), never reads at or past `end`, and returns the
 * position after what it read, or -1. Values land in {@linkcode scanned}.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { MAX_NAME_LENGTH } from "./text_rules.ts";

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

/**
 * Literals to check after a scan, all at once: the scan records where each
 * should stand, and one tight loop compares them four bytes at a time
 * (cheaper than a call per literal). A literal's last word may overlap the
 * one before it, so no byte-by-byte tail is needed; literals are >= 4 bytes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ByteChunk, Skeleton } from "./byte_scan.ts";
 * const keys = new Skeleton(['{"a":', ',"bc":']);
 * const chunk = new ByteChunk(new TextEncoder().encode('{"a":1,"bc":2}'));
 * keys.at[0] = 0;
 * keys.at[1] = 6;
 * assert.ok(keys.check(chunk.view));
 * ```
 */
export class Skeleton {
  /** Where each literal starts in the line being read (set by the scan). */
  readonly at: Int32Array;
  /** Each literal's length in bytes. */
  readonly lengths: Int32Array;
  readonly #literal: Int32Array;
  readonly #offset: Int32Array;
  readonly #word: Int32Array;

  /** Checks for these literals, in the order their positions are recorded. */
  constructor(literals: readonly string[]) {
    const encoded = literals.map((l) => new TextEncoder().encode(l));
    const literal: number[] = [];
    const offset: number[] = [];
    const word: number[] = [];
    for (const [k, bytes] of encoded.entries()) {
      if (bytes.length < 4) throw new RangeError(`literal too short: ${literals[k]}`);
      const view = new DataView(bytes.buffer);
      for (let o = 0; o < bytes.length; o += 4) {
        const at = Math.min(o, bytes.length - 4);
        literal.push(k);
        offset.push(at);
        word.push(view.getInt32(at, true));
      }
    }
    this.at = new Int32Array(literals.length);
    this.lengths = Int32Array.from(encoded, (b) => b.length);
    this.#literal = Int32Array.from(literal);
    this.#offset = Int32Array.from(offset);
    this.#word = Int32Array.from(word);
  }

  /** True when every literal stands where recorded (the caller keeps them in bounds). */
  check(d: DataView): boolean {
    const at = this.at;
    const literal = this.#literal;
    const offset = this.#offset;
    const word = this.#word;
    for (let w = 0; w < word.length; w++) {
      if (d.getInt32(at[literal[w]] + offset[w], true) !== word[w]) return false;
    }
    return true;
  }
}

/** Matches a fixed literal at `p`: the position after it, or -1. */
export type Literal = (d: DataView, end: number, p: number) => number;

/**
 * A matcher for one literal checked on the spot (where the next step
 * depends on it). One closure per literal keeps each call monomorphic.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ByteChunk, literal } from "./byte_scan.ts";
 * const { view, end } = new ByteChunk(new TextEncoder().encode("null,"));
 * assert.equal(literal("null")(view, end, 0), 4);
 * assert.equal(literal("true")(view, end, 0), -1);
 * ```
 */
export function literal(text: string): Literal {
  const bytes = new TextEncoder().encode(text);
  const n = bytes.length;
  const words = new Int32Array(n >> 2);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < words.length; i++) words[i] = view.getInt32(i * 4, true);
  const count = words.length;
  return (d, end, p) => {
    if (p < 0 || p + n > end) return -1;
    for (let i = 0; i < count; i++) if (d.getInt32(p + 4 * i, true) !== words[i]) return -1;
    for (let i = count * 4; i < n; i++) if (d.getUint8(p + i) !== bytes[i]) return -1;
    return p + n;
  };
}

/** What the last scanner read. */
export const scanned = {
  /** The last count's value (NaN for `null`). */
  number: 0,
  /** FNV-1a hash of the last name, to find its string without making one. */
  hash: 0,
  /** The last decimal's value when exact without parsing text, else -1. */
  decimal: -1,
};

const QUOTE = 0x22;
const NULL = literal("null");
const POWERS = Array.from({ length: 16 }, (_, k) => 10 ** k);
const table = (chars: string) => {
  const t = new Uint8Array(256);
  for (const c of chars) t[c.charCodeAt(0)] = 1;
  return t;
};
const BASE32 = table("0123456789ABCDEFGHJKMNPQRSTVWXYZabcdefghjkmnpqrstvwxyz");
const HEX = table("0123456789abcdefABCDEF");
const ESCAPES = table('"\\/bfnrt');

/**
 * A ULID's 26 characters (Crockford base32, either case, first <= '7').
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ulid } from "./byte_scan.ts";
 * const b = new TextEncoder().encode("01KHJVJWDM0HGAGYGXJYKD1JQG");
 * assert.equal(ulid(b, b.length, 0), 26);
 * ```
 */
export function ulid(b: Uint8Array, end: number, p: number): number {
  if (p < 0 || p + 26 > end || b[p] < 0x30 || b[p] > 0x37) return -1;
  for (let i = p + 1; i < p + 26; i++) if (BASE32[b[i]] === 0) return -1;
  return p + 26;
}

/**
 * A name's body (printable ASCII, no escapes, 1..MAX_NAME_LENGTH chars):
 * the position of its closing quote; its hash goes to `scanned.hash`.
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
  let h = 0x811c9dc5;
  let i = p;
  for (; i < end; i++) {
    const c = b[i];
    if (c === QUOTE) break;
    if (c < 0x20 || c >= 0x7f || c === 0x5c) return -1;
    h = Math.imul(h ^ c, 0x01000193);
  }
  scanned.hash = h;
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
    if (c === 0x5c) {
      if (i + 1 >= end) return -1;
      const e = b[i + 1];
      if (e === 0x75) {
        for (let k = i + 2; k < i + 6; k++) if (k >= end || HEX[b[k]] === 0) return -1;
        i += 6;
        continue;
      }
      if (ESCAPES[e] === 0) return -1;
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

/**
 * `null` (`scanned.number` = NaN) or a {@linkcode count}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ByteChunk, countOrNull, scanned } from "./byte_scan.ts";
 * const { bytes, view, end } = new ByteChunk(new TextEncoder().encode("null}"));
 * assert.equal(countOrNull(view, bytes, end, 0), 4);
 * assert.ok(Number.isNaN(scanned.number));
 * ```
 */
export function countOrNull(d: DataView, b: Uint8Array, end: number, p: number): number {
  if (p >= 0 && p < end && b[p] === 0x6e) {
    scanned.number = NaN;
    return NULL(d, end, p);
  }
  return count(b, end, p);
}

function digitsAt(b: Uint8Array, end: number, p: number): number {
  while (p < end && b[p] >= 0x30 && b[p] <= 0x39) p++;
  return p;
}

/**
 * A non-negative JSON number, checked against the grammar. When it has at
 * most 15 digits and no exponent, its value goes to `scanned.decimal`
 * (both integers are exact doubles, so one division rounds correctly: the
 * double JSON.parse gives); otherwise that is -1 and the caller parses text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decimal, scanned } from "./byte_scan.ts";
 * const b = new TextEncoder().encode("15.6,");
 * assert.equal(decimal(b, b.length, 0), 4);
 * assert.equal(scanned.decimal, 15.6);
 * ```
 */
export function decimal(b: Uint8Array, end: number, p: number): number {
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
  const exponent = i < end && (b[i] === 0x65 || b[i] === 0x45);
  scanned.decimal = -1;
  if (!exponent && whole - p + places <= 15) {
    let m = 0;
    for (let k = p; k < i; k++) if (k !== whole) m = m * 10 + b[k] - 0x30;
    scanned.decimal = m / POWERS[places];
  }
  if (exponent) {
    i++;
    if (i < end && (b[i] === 0x2b || b[i] === 0x2d)) i++;
    const from = i;
    i = digitsAt(b, end, from);
    if (i === from) return -1;
  }
  return i;
}

const TYPE_KEY = literal('event_type"');

/**
 * Where the line from `p` ends (its `\n` or `\r\n`, or `end`), or -1 when a
 * `"event_type"` key follows on it: JSON lets a later duplicate key win.
 * (The quoted key cannot occur inside a string, where quotes are escaped.)
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ByteChunk, lineEndWithoutTypeKey } from "./byte_scan.ts";
 * const { bytes, view, end } = new ByteChunk(new TextEncoder().encode('x","a":1}\n{'));
 * assert.equal(lineEndWithoutTypeKey(view, bytes, end, 0), 9);
 * const twice = new ByteChunk(new TextEncoder().encode('x","event_type":"E"}\n'));
 * assert.equal(lineEndWithoutTypeKey(twice.view, twice.bytes, twice.end, 0), -1);
 * ```
 */
export function lineEndWithoutTypeKey(d: DataView, b: Uint8Array, end: number, p: number): number {
  let nl = b.indexOf(0x0a, p);
  if (nl === -1 || nl >= end) nl = end;
  // Native searches for the key's rare "_" (each line of the layout starts
  // with one, so a search never runs far past this line's end).
  for (let u = b.indexOf(0x5f, p); u !== -1 && u < nl; u = b.indexOf(0x5f, u + 1)) {
    if (u - 6 >= p && b[u - 6] === QUOTE && TYPE_KEY(d, end, u - 5) > 0) return -1;
  }
  return nl < end && nl > p && b[nl - 1] === 0x0d ? nl - 1 : nl;
}
