/**
 * Telling a line that starts with `{` is no event without `JSON.parse`: one
 * pass over its bytes checks the JSON grammar (as `JSON.parse` has it) and
 * notes which envelope keys the top-level object holds, building nothing.
 * A line that is not JSON, or lacks an envelope key that has no default,
 * certainly is no event; anything else is left undecided, for the full path.
 *
 * @module
 */
import { ENVELOPE_FIELDS } from "../event/fields.ts";

const encoder = new TextEncoder();
/** The envelope keys without a default: an object missing one is no event. */
const REQUIRED: Uint8Array[] = ENVELOPE_FIELDS.filter((f) => !("default" in f))
  .map((f) => encoder.encode(f.key));
const ALL_FOUND = REQUIRED.length === 0 ? 0 : 2 ** REQUIRED.length - 1;

/** What one walk found; module state, reset by each walk (no allocation per line). */
let found = 0;
let escapedKey = false;

const UNDECIDED = 0;
const NOT_JSON = 1;
const NOT_EVENT = 2;

/**
 * True when the bytes `[start, end)` of a line certainly are no event: they
 * are not JSON (and hold no `NaN` or `Infinity`, which the full path reads
 * as Python's numbers), not an object, or an object without one of the
 * envelope keys that have no default. False means undecided. A key written
 * with an escape leaves a missing key undecided; bytes >= 0x80 inside
 * strings are taken as `TextDecoder` would (any of them decodes to a
 * character), outside strings they break the grammar as their character
 * would.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { jsonNotEvent } from "./json_bytes.ts";
 * const at = (s: string) => { const b = new TextEncoder().encode(s); return jsonNotEvent(b, 0, b.length); };
 * assert.ok(at('{"event_id":"x","event_type":"y"}')); // keys missing
 * assert.ok(at('{"a":trUe}')); // not JSON
 * assert.ok(!at('{"a":NaN}')); // Python's NaN: undecided
 * ```
 */
export function jsonNotEvent(bytes: Uint8Array, start: number, end: number): boolean {
  const verdict = walk(bytes, start, end);
  if (verdict === NOT_JSON) return !pythonWords(bytes, start, end);
  return verdict === NOT_EVENT;
}

/**
 * Whether `JSON.parse` would accept the text these bytes decode to (bytes
 * that are not UTF-8 inside a string decode to a character, so they pass
 * as any character would).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isJson } from "./json_bytes.ts";
 * const at = (s: string) => { const b = new TextEncoder().encode(s); return isJson(b, 0, b.length); };
 * assert.ok(at(' [1, -0.5e+3, "\\u00e9", {"a": null}] ') && !at("[01]") && !at("{,}"));
 * ```
 */
export function isJson(bytes: Uint8Array, start: number, end: number): boolean {
  return walk(bytes, start, end) !== NOT_JSON;
}

/**
 * Where the JSON value at `p` (no whitespace before it) ends, or -1 when
 * `JSON.parse` would not accept it: how the byte readers skip the value of
 * a payload key they do not know, checked as the full path would.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { jsonValueEnd } from "./json_bytes.ts";
 * const b = new TextEncoder().encode('{"a":[1,{"b":"\\u00e9"}]},"x"');
 * assert.equal(jsonValueEnd(b, 5, b.length), 23);
 * assert.equal(jsonValueEnd(b, 0, 10), -1); // cut short
 * ```
 */
export function jsonValueEnd(bytes: Uint8Array, p: number, end: number): number {
  return p < end ? value(bytes, p, end, 1) : -1;
}

function walk(b: Uint8Array, start: number, end: number): number {
  found = 0;
  escapedKey = false;
  let p = skipSpace(b, start, end);
  if (p >= end) return NOT_JSON;
  const top = b[p];
  p = value(b, p, end, 0);
  if (p < 0) return NOT_JSON;
  if (skipSpace(b, p, end) !== end) return NOT_JSON;
  if (top !== 0x7b) return NOT_EVENT;
  return found !== ALL_FOUND && !escapedKey ? NOT_EVENT : UNDECIDED;
}

function skipSpace(b: Uint8Array, p: number, end: number): number {
  while (p < end) {
    const c = b[p];
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
    p++;
  }
  return p;
}

/** The end of the value at `p` (not whitespace), or -1. Containers nest by recursion up to a depth, then by a stack. */
function value(b: Uint8Array, p: number, end: number, depth: number): number {
  const c = b[p];
  if (c === 0x22) return string(b, p, end);
  if (c === 0x7b || c === 0x5b) return depth < 64 ? container(b, p, end, depth) : deep(b, p, end);
  if (c === 0x74) return word(b, p, end, TRUE);
  if (c === 0x66) return word(b, p, end, FALSE);
  if (c === 0x6e) return word(b, p, end, NULL);
  return number(b, p, end);
}

const TRUE = encoder.encode("true");
const FALSE = encoder.encode("false");
const NULL = encoder.encode("null");

function word(b: Uint8Array, p: number, end: number, w: Uint8Array): number {
  if (p + w.length > end) return -1;
  for (let i = 1; i < w.length; i++) if (b[p + i] !== w[i]) return -1;
  return p + w.length;
}

function digits(b: Uint8Array, p: number, end: number): number {
  const from = p;
  while (p < end && b[p] >= 0x30 && b[p] <= 0x39) p++;
  return p > from ? p : -1;
}

function number(b: Uint8Array, p: number, end: number): number {
  if (b[p] === 0x2d) p++;
  if (p >= end) return -1;
  if (b[p] === 0x30) p++;
  else if ((p = digits(b, p, end)) < 0) return -1;
  if (p < end && b[p] === 0x2e && (p = digits(b, p + 1, end)) < 0) return -1;
  if (p < end && (b[p] === 0x65 || b[p] === 0x45)) {
    p++;
    if (p < end && (b[p] === 0x2b || b[p] === 0x2d)) p++;
    if ((p = digits(b, p, end)) < 0) return -1;
  }
  return p;
}

const HEX = new Uint8Array(256);
for (const c of "0123456789abcdefABCDEF") HEX[c.charCodeAt(0)] = 1;
const ESCAPE = new Uint8Array(256);
for (const c of '"\\/bfnrt') ESCAPE[c.charCodeAt(0)] = 1;

/** Set by {@linkcode string}: whether the string just walked held an escape. */
let escaped = false;

/** Bytes that stop a string's plain run: its quote, a backslash, control characters. */
const STOP = new Uint8Array(256);
for (let c = 0; c < 0x20; c++) STOP[c] = 1;
STOP[0x22] = STOP[0x5c] = 1;

function string(b: Uint8Array, p: number, end: number): number {
  escaped = false;
  for (p++; p < end; p++) {
    const c = b[p];
    if (STOP[c] === 0) continue;
    if (c === 0x22) return p + 1;
    if (c < 0x20) return -1;
    if (c === 0x5c) {
      escaped = true;
      const e = b[++p];
      if (p >= end) return -1;
      if (e === 0x75) {
        if (p + 4 >= end) return -1;
        for (let i = 1; i <= 4; i++) if (!HEX[b[p + i]]) return -1;
        p += 4;
      } else if (!ESCAPE[e]) return -1;
    }
  }
  return -1;
}

function container(b: Uint8Array, p: number, end: number, depth: number): number {
  const object = b[p] === 0x7b;
  p = skipSpace(b, p + 1, end);
  if (p < end && b[p] === (object ? 0x7d : 0x5d)) return p + 1;
  for (;;) {
    if (p >= end) return -1;
    if (object) {
      if (b[p] !== 0x22) return -1;
      const key = p + 1;
      p = string(b, p, end);
      if (p < 0) return -1;
      if (depth === 0) noteKey(b, key, p - 1);
      p = skipSpace(b, p, end);
      if (p >= end || b[p] !== 0x3a) return -1;
      p = skipSpace(b, p + 1, end);
      if (p >= end) return -1;
    }
    p = value(b, p, end, depth + 1);
    if (p < 0) return -1;
    p = skipSpace(b, p, end);
    if (p >= end) return -1;
    if (b[p] === (object ? 0x7d : 0x5d)) return p + 1;
    if (b[p] !== 0x2c) return -1;
    p = skipSpace(b, p + 1, end);
  }
}

/** A top-level key `[from, to)` (its quotes excluded), just walked by {@linkcode string}. */
function noteKey(b: Uint8Array, from: number, to: number): void {
  if (escaped) {
    escapedKey = true;
    return;
  }
  const length = to - from;
  outer: for (let k = 0; k < REQUIRED.length; k++) {
    const key = REQUIRED[k];
    if (key.length !== length) continue;
    for (let i = 0; i < length; i++) if (b[from + i] !== key[i]) continue outer;
    found |= 1 << k;
    return;
  }
}

/**
 * Containers nested deeper than the recursion goes: walked with a stack of
 * their kinds. Keys this deep are never top-level ones.
 */
function deep(b: Uint8Array, p: number, end: number): number {
  const stack: boolean[] = []; // true: an object
  let expectValue = true;
  for (;;) {
    p = skipSpace(b, p, end);
    if (p >= end) return -1;
    const c = b[p];
    if (expectValue) {
      if (c === 0x7b || c === 0x5b) {
        stack.push(c === 0x7b);
        p = skipSpace(b, p + 1, end);
        if (p < end && b[p] === (c === 0x7b ? 0x7d : 0x5d)) {
          stack.pop();
          p++;
          expectValue = false;
          if (stack.length === 0) return p;
          continue;
        }
        if (c === 0x7b) {
          p = objectKey(b, p, end);
          if (p < 0) return -1;
        }
        continue;
      }
      p = value(b, p, end, 64);
      if (p < 0) return -1;
      expectValue = false;
      continue;
    }
    const object = stack[stack.length - 1];
    if (c === (object ? 0x7d : 0x5d)) {
      stack.pop();
      p++;
      if (stack.length === 0) return p;
    } else if (c === 0x2c) {
      p = skipSpace(b, p + 1, end);
      if (object && (p = objectKey(b, p, end)) < 0) return -1;
      expectValue = true;
    } else return -1;
  }
}

/** A key and its colon at `p`; where the value starts, or -1. */
function objectKey(b: Uint8Array, p: number, end: number): number {
  if (p >= end || b[p] !== 0x22) return -1;
  p = skipSpace(b, string(b, p, end), end);
  if (p < 0 || p >= end || b[p] !== 0x3a) return -1;
  return p + 1;
}

/** Whether `NaN` or `Infinity` occurs in the bytes (as `/NaN|Infinity/` would in the text). */
function pythonWords(b: Uint8Array, start: number, end: number): boolean {
  // A view of the line alone: `indexOf` on the whole block would search past its end.
  const line = b.subarray(start, end);
  return occurs(line, NAN) || occurs(line, INFINITY);
}

const NAN = encoder.encode("NaN");
const INFINITY = encoder.encode("Infinity");

/** Whether `w` occurs in `b`; its first byte found by `indexOf` (native). */
function occurs(b: Uint8Array, w: Uint8Array): boolean {
  const last = b.length - w.length;
  for (let p = b.indexOf(w[0]); p >= 0 && p <= last; p = b.indexOf(w[0], p + 1)) {
    let i = 1;
    while (i < w.length && b[p + i] === w[i]) i++;
    if (i === w.length) return true;
  }
  return false;
}
