/**
 * Telling from the bytes whether a JSON value is already in the form
 * `JSON.stringify(JSON.parse(text))` gives back: no whitespace, each key
 * once and in an order `JSON.parse` keeps (no key that looks like an array
 * index, which objects list first), numbers and escapes spelled as
 * `JSON.stringify` spells them, valid UTF-8. Such a value can be copied
 * out as it stands. The check is conservative: a value it refuses is only
 * parsed and written again.
 *
 * @module
 */
import { stringifiedEscape } from "./json_escape.ts";

/** Set by {@linkcode canonicalValueEnd} when a string in the value held a byte past ASCII. */
export const canonicalScan = { nonAscii: false };

const MAX_DEPTH = 32;
const MAX_KEYS = 64;
const ESCAPED = new Uint8Array(128);
for (const c of '"\\bfnrt') ESCAPED[c.charCodeAt(0)] = 1;

/**
 * The position after the canonical JSON value at `p`, or -1 when the
 * bytes are no JSON value or not in canonical form.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { canonicalValueEnd } from "./canonical_json.ts";
 * const bytes = (s: string) => new TextEncoder().encode(s);
 * const end = (s: string) => canonicalValueEnd(bytes(s), bytes(s).length, 0);
 * assert.equal(end('{"a":[1,2.5,"é",null],"b":{}}'), 30);
 * assert.equal(end('{"a": 1}'), -1); // whitespace
 * assert.equal(end('{"a":1,"a":2}'), -1); // a key twice
 * assert.equal(end('{"b":1,"1":2}'), -1); // an index key, listed first by JSON.parse
 * assert.equal(end('[1.50]'), -1);
 * ```
 */
export function canonicalValueEnd(b: Uint8Array, end: number, p: number, depth = 0): number {
  if (p >= end || depth > MAX_DEPTH) return -1;
  const c = b[p];
  if (c === 0x22) return stringEnd(b, end, p + 1);
  if (c === 0x7b) return objectEnd(b, end, p + 1, depth);
  if (c === 0x5b) {
    p++;
    if (p < end && b[p] === 0x5d) return p + 1;
    for (;;) {
      p = canonicalValueEnd(b, end, p, depth + 1);
      if (p < 0 || p >= end) return -1;
      if (b[p] === 0x5d) return p + 1;
      if (b[p++] !== 0x2c) return -1;
    }
  }
  if (c === 0x74) return word(b, end, p, "true");
  if (c === 0x66) return word(b, end, p, "false");
  if (c === 0x6e) return word(b, end, p, "null");
  return numberEnd(b, end, p);
}

function objectEnd(b: Uint8Array, end: number, p: number, depth: number): number {
  if (p < end && b[p] === 0x7d) return p + 1;
  const keys: number[] = []; // start and end of each key, to refuse a repeated one
  for (;;) {
    if (p >= end || b[p] !== 0x22) return -1;
    const from = p + 1;
    const to = stringEnd(b, end, from) - 1;
    if (to < 0 || (to > from && b[from] >= 0x30 && b[from] <= 0x39)) return -1;
    for (let k = 0; k < keys.length; k += 2) {
      if (same(b, keys[k], keys[k + 1], from, to)) return -1;
    }
    if (keys.length >= MAX_KEYS * 2) return -1;
    keys.push(from, to);
    p = to + 1;
    if (p >= end || b[p] !== 0x3a) return -1;
    p = canonicalValueEnd(b, end, p + 1, depth + 1);
    if (p < 0 || p >= end) return -1;
    if (b[p] === 0x7d) return p + 1;
    if (b[p++] !== 0x2c) return -1;
  }
}

function same(b: Uint8Array, a0: number, a1: number, b0: number, b1: number): boolean {
  if (a1 - a0 !== b1 - b0) return false;
  for (let i = 0; i < a1 - a0; i++) if (b[a0 + i] !== b[b0 + i]) return false;
  return true;
}

function word(b: Uint8Array, end: number, p: number, text: string): number {
  if (p + text.length > end) return -1;
  for (let i = 0; i < text.length; i++) if (b[p + i] !== text.charCodeAt(i)) return -1;
  return p + text.length;
}

/** After a string's opening quote: the position after its closing one. */
function stringEnd(b: Uint8Array, end: number, p: number): number {
  while (p < end) {
    const c = b[p];
    if (c === 0x22) return p + 1;
    if (c < 0x20) return -1;
    if (c === 0x5c) {
      if (p + 1 >= end) return -1;
      const e = b[p + 1];
      if (e === 0x75) {
        if (p + 6 > end || !stringifiedEscape(b, p + 2)) return -1;
        p += 6;
      } else if (e < 128 && ESCAPED[e] === 1) p += 2;
      else return -1;
      continue;
    }
    if (c < 0x80) {
      p++;
      continue;
    }
    canonicalScan.nonAscii = true;
    p = utf8End(b, end, p, c);
    if (p < 0) return -1;
  }
  return -1;
}

/** One well-formed UTF-8 sequence (no overlong form, no surrogate): its end, or -1. */
function utf8End(b: Uint8Array, end: number, p: number, c: number): number {
  const cont = (i: number, lo = 0x80, hi = 0xbf) => i < end && b[i] >= lo && b[i] <= hi;
  if (c >= 0xc2 && c <= 0xdf) return cont(p + 1) ? p + 2 : -1;
  if (c >= 0xe0 && c <= 0xef) {
    const lo = c === 0xe0 ? 0xa0 : 0x80;
    const hi = c === 0xed ? 0x9f : 0xbf;
    return cont(p + 1, lo, hi) && cont(p + 2) ? p + 3 : -1;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    const lo = c === 0xf0 ? 0x90 : 0x80;
    const hi = c === 0xf4 ? 0x8f : 0xbf;
    return cont(p + 1, lo, hi) && cont(p + 2) && cont(p + 3) ? p + 4 : -1;
  }
  return -1;
}

/**
 * A number `JSON.stringify` writes the same way: no exponent, at most 15
 * digits (one double, written back with the same digits), no trailing 0
 * after the point, not `-0`, and with a point at least 1e-6 (smaller ones
 * are written with an exponent).
 */
function numberEnd(b: Uint8Array, end: number, p: number): number {
  let i = p;
  const negative = b[i] === 0x2d;
  if (negative) i++;
  const whole = i;
  while (i < end && b[i] >= 0x30 && b[i] <= 0x39) i++;
  if (i === whole || (b[whole] === 0x30 && i - whole > 1)) return -1;
  let digits = i - whole;
  let zero = i - whole === 1 && b[whole] === 0x30;
  if (i < end && b[i] === 0x2e) {
    const from = ++i;
    while (i < end && b[i] >= 0x30 && b[i] <= 0x39) i++;
    if (i === from || b[i - 1] === 0x30) return -1;
    digits += i - from;
    // 0.000000x (below 1e-6) is written with an exponent.
    if (zero && i - from >= 7 && b[from] === 0x30 && b[from + 5] === 0x30) {
      let k = from;
      while (b[k] === 0x30) k++;
      if (k - from >= 6) return -1;
    }
    zero = false;
  }
  // An exponent is left to the caller, which finds no `,`, `]` or `}` after the digits.
  if (digits > 15 || (negative && zero)) return -1;
  return i;
}
