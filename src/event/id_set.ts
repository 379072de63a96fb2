/**
 * A set of event ids (compared through `normalizeEventId`) that holds a
 * million of them in typed arrays: a 26-character id is 130 bits, kept
 * exactly as three numbers in an open-addressing table (24 bytes an id, no
 * string kept, nothing for the collector to trace); other forms, rare, go
 * to a plain set of their normalised spelling.
 *
 * @module
 */
import { normalizeEventId } from "./event_id.ts";

/** Each character's 5-bit Crockford value, either case; -1 for others. */
const DIGIT = new Int8Array(128).fill(-1);
for (const [v, c] of [..."0123456789ABCDEFGHJKMNPQRSTVWXYZ"].entries()) {
  DIGIT[c.charCodeAt(0)] = v;
  DIGIT[c.toLowerCase().charCodeAt(0)] = v;
}

/** 5 bits a character: characters [from, to) as one exact integer (at most 50 bits). */
function word(id: string, from: number, to: number): number {
  let w = 0;
  for (let i = from; i < to; i++) {
    const c = id.charCodeAt(i);
    const v = c < 128 ? DIGIT[c] : -1;
    if (v < 0) return -1;
    w = w * 32 + v;
  }
  return w;
}

/**
 * Ids seen so far.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { IdSet } from "./id_set.ts";
 * const seen = new IdSet();
 * assert.equal(seen.add("01KHJVJWDM0HGAGYGXJYKD1JQG"), true);
 * assert.equal(seen.add("01khjvjwdm0hgagygxjykd1jqg"), false); // the same id
 * assert.equal(seen.add("01KHJVJWDM0HGAGYGXJYKD1JQH"), true);
 * assert.equal(seen.add("0123456789ABCDEF0123456789abcdef"), true);
 * assert.equal(seen.add("01234567-89ab-cdef-0123-456789ABCDEF"), false);
 * ```
 */
export class IdSet {
  #slots = new Float64Array(3 << 12).fill(-1);
  #mask = (1 << 12) - 1;
  #size = 0;
  readonly #others = new Set<string>();

  /** Adds the id; true when it was not in the set before. */
  add(id: string): boolean {
    if (id.length !== 26) return this.#addOther(id);
    const a = word(id, 0, 10);
    const b = word(id, 10, 20);
    const c = word(id, 20, 26);
    if (a < 0 || b < 0 || c < 0) return this.#addOther(id);
    if (!this.#insert(a, b, c)) return false;
    if (++this.#size * 2 > this.#mask) this.#grow();
    return true;
  }

  #addOther(id: string): boolean {
    const normal = normalizeEventId(id);
    if (this.#others.has(normal)) return false;
    this.#others.add(normal);
    return true;
  }

  #insert(a: number, b: number, c: number): boolean {
    const s = this.#slots;
    const mask = this.#mask;
    let h = Math.imul((a % 0x40000000) ^ Math.imul(b % 0x40000000, 0x9e3779b1) ^ c, 0x85ebca6b);
    h ^= h >>> 15;
    for (let i = h & mask;; i = (i + 1) & mask) {
      const k = i * 3;
      if (s[k + 2] === -1) {
        s[k] = a;
        s[k + 1] = b;
        s[k + 2] = c;
        return true;
      }
      if (s[k] === a && s[k + 1] === b && s[k + 2] === c) return false;
    }
  }

  #grow(): void {
    const old = this.#slots;
    this.#mask = this.#mask * 2 + 1;
    this.#slots = new Float64Array((this.#mask + 1) * 3).fill(-1);
    for (let k = 0; k < old.length; k += 3) {
      if (old[k + 2] !== -1) this.#insert(old[k], old[k + 1], old[k + 2]);
    }
  }
}
