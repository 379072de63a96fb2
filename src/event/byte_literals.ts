/**
 * Checking fixed literals in bytes four at a time: one at a time where the
 * next step depends on it, or all of a layout's keys in one pass after a
 * scan. Dependency-free, like the scanners in `byte_scan.ts`.
 *
 * @module
 */

const QUOTE = 0x22;

/**
 * Literals to check after a scan, all at once: the scan records where each
 * should stand, and one tight loop compares them four bytes at a time
 * (cheaper than a call per literal). A literal's last word may overlap the
 * one before it, so no byte-by-byte tail is needed; literals are >= 4 bytes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ByteChunk } from "./byte_scan.ts";
 * import { Skeleton } from "./byte_literals.ts";
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
 * import { ByteChunk } from "./byte_scan.ts";
 * import { literal } from "./byte_literals.ts";
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

const TYPE_KEY = literal('event_type"');

/**
 * Where the line from `p` ends (its `\n` or `\r\n`, or `end`), or -1 when a
 * `"event_type"` key follows on it: JSON lets a later duplicate key win.
 * (The quoted key cannot occur inside a string, where quotes are escaped.)
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ByteChunk } from "./byte_scan.ts";
 * import { lineEndWithoutTypeKey } from "./byte_literals.ts";
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
