/**
 * Checking fixed literals in bytes eight at a time: one at a time where the
 * next step depends on it, or all of a layout's keys in one pass after a
 * scan. Dependency-free, like the scanners in `byte_scan.ts`.
 *
 * @module
 */

/**
 * The 8-byte words of a literal (the last overlapping the one before it, so
 * no byte-by-byte tail) as doubles: comparing two doubles is one 8-byte
 * compare. Exact here: printable ASCII bytes always make a finite non-zero
 * double (the top byte is below 0x7f), and such a double has exactly one
 * encoding, so equal doubles mean equal bytes.
 */
function words8(bytes: Uint8Array): { offsets: number[]; words: number[] } {
  if (bytes.length < 8 || bytes.some((c) => c < 0x20 || c > 0x7e)) {
    throw new RangeError(`not an 8+ byte printable literal: ${new TextDecoder().decode(bytes)}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const offsets: number[] = [];
  const words: number[] = [];
  for (let o = 0; o < bytes.length; o += 8) {
    const at = Math.min(o, bytes.length - 8);
    offsets.push(at);
    words.push(view.getFloat64(at, true));
  }
  return { offsets, words };
}

/**
 * Literals to check after a scan, all at once: the scan records where each
 * should stand, and one tight loop compares them eight bytes at a time
 * (cheaper than a call per literal). Literals are printable and >= 8 bytes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ByteChunk } from "./byte_scan.ts";
 * import { Skeleton } from "./byte_literals.ts";
 * const keys = new Skeleton(['{"alpha":', ',"bravo":']);
 * const chunk = new ByteChunk(new TextEncoder().encode('{"alpha":1,"bravo":2}'));
 * keys.at[0] = 0;
 * keys.at[1] = 10;
 * assert.ok(keys.check(chunk.view));
 * keys.at[1] = 9;
 * assert.ok(!keys.check(chunk.view));
 * ```
 */
export class Skeleton {
  /** Where each literal starts in the line being read (set by the scan). */
  readonly at: Int32Array;
  /** Each literal's length in bytes. */
  readonly lengths: Int32Array;
  readonly #literal: Int32Array;
  readonly #offset: Int32Array;
  readonly #word: Float64Array;

  /** Checks for these literals, in the order their positions are recorded. */
  constructor(literals: readonly string[]) {
    const encoded = literals.map((l) => new TextEncoder().encode(l));
    const literal: number[] = [];
    const offset: number[] = [];
    const word: number[] = [];
    for (const [k, bytes] of encoded.entries()) {
      const { offsets, words } = words8(bytes);
      literal.push(...offsets.map(() => k));
      offset.push(...offsets);
      word.push(...words);
    }
    this.at = new Int32Array(literals.length);
    this.lengths = Int32Array.from(encoded, (b) => b.length);
    this.#literal = Int32Array.from(literal);
    this.#offset = Int32Array.from(offset);
    this.#word = Float64Array.from(word);
  }

  /** True when every literal stands where recorded (the caller keeps them in bounds). */
  check(d: DataView): boolean {
    const at = this.at;
    const literal = this.#literal;
    const offset = this.#offset;
    const word = this.#word;
    for (let w = 0; w < word.length; w++) {
      if (d.getFloat64(at[literal[w]] + offset[w], true) !== word[w]) return false;
    }
    return true;
  }
}

/** Matches a fixed literal at `p`: the position after it, or -1. */
export type Literal = (d: DataView, end: number, p: number) => number;

/**
 * A matcher for one literal checked on the spot (where the next step
 * depends on it). One closure per literal keeps each call monomorphic;
 * literals of 8 bytes or more are compared eight bytes at a time.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ByteChunk } from "./byte_scan.ts";
 * import { literal } from "./byte_literals.ts";
 * const { view, end } = new ByteChunk(new TextEncoder().encode("null, \"event_id\": "));
 * assert.equal(literal("null")(view, end, 0), 4);
 * assert.equal(literal("true")(view, end, 0), -1);
 * assert.equal(literal(', "event_id": ')(view, end, 4), end);
 * ```
 */
export function literal(text: string): Literal {
  const bytes = new TextEncoder().encode(text);
  const n = bytes.length;
  if (n >= 8) {
    const { offsets, words } = words8(bytes);
    const count = words.length;
    const at = Int32Array.from(offsets);
    const expected = Float64Array.from(words);
    return (d, end, p) => {
      if (p < 0 || p + n > end) return -1;
      for (let i = 0; i < count; i++) if (d.getFloat64(p + at[i], true) !== expected[i]) return -1;
      return p + n;
    };
  }
  return (d, end, p) => {
    if (p < 0 || p + n > end) return -1;
    for (let i = 0; i < n; i++) if (d.getUint8(p + i) !== bytes[i]) return -1;
    return p + n;
  };
}

/** Where a line ends, or -1 when one of the guarded keys follows on it. */
export type LineEndGuard = (d: DataView, b: Uint8Array, end: number, p: number) => number;

/**
 * A guard against later duplicates of the given keys, each containing a
 * "_": it returns where the line from `p` ends (its `\n` or `\r\n`, or
 * `end`), or -1 when a quoted key of the list follows on it, since JSON lets
 * a later duplicate win. (A quoted key cannot occur inside a string, where
 * quotes are escaped.) Native searches jump from "_" to "_"; each line of
 * the layouts starts with one, so a search never runs far past its line.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ByteChunk } from "./byte_scan.ts";
 * import { guardAgainstKeys } from "./byte_literals.ts";
 * const guard = guardAgainstKeys(["event_type"]);
 * const { bytes, view, end } = new ByteChunk(new TextEncoder().encode('x","a":1}\n{'));
 * assert.equal(guard(view, bytes, end, 0), 9);
 * const twice = new ByteChunk(new TextEncoder().encode('x","event_type":"E"}\n'));
 * assert.equal(guard(twice.view, twice.bytes, twice.end, 0), -1);
 * ```
 */
export function guardAgainstKeys(keys: readonly string[]): LineEndGuard {
  const checks = keys.map((key) => {
    if (!key.includes("_")) throw new RangeError(`key without "_": ${key}`);
    return { quoted: literal(`"${key}"`), before: key.indexOf("_") + 1 };
  });
  return (d, b, end, p) => {
    let nl = b.indexOf(0x0a, p);
    if (nl === -1 || nl >= end) nl = end;
    for (let u = b.indexOf(0x5f, p); u !== -1 && u < nl; u = b.indexOf(0x5f, u + 1)) {
      for (const { quoted, before } of checks) {
        if (u - before >= p && quoted(d, end, u - before) > 0) return -1;
      }
    }
    return nl < end && nl > p && b[nl - 1] === 0x0d ? nl - 1 : nl;
  };
}

/** The guard a line of another event type needs before it is skipped. */
export const lineEndWithoutTypeKey: LineEndGuard = guardAgainstKeys(["event_type"]);
