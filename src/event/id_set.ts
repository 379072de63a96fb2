/**
 * A set of event ids (compared through `normalizeEventId`) that holds a
 * million of them in typed arrays: a 26-character id is 130 bits, kept
 * exactly as three numbers appended in order (24 bytes an id), found
 * through a table of 32-bit fingerprints (8 bytes a slot, so a probe
 * touches little memory); no string is kept, nothing for the collector to
 * trace. Other forms, rare, go to a plain set of their normalised spelling.
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

/** Five characters' values as one 25-bit integer; negative when one is no Crockford digit. */
function five(c0: number, c1: number, c2: number, c3: number, c4: number): number {
  const a = DIGIT[c0 & 127], b = DIGIT[c1 & 127], c = DIGIT[c2 & 127];
  const d = DIGIT[c3 & 127], e = DIGIT[c4 & 127];
  // A byte past 127 aliases a digit above: reject it with the others.
  if ((a | b | c | d | e | ((c0 | c1 | c2 | c3 | c4) & ~127)) < 0) return -1;
  return (a << 20) | (b << 15) | (c << 10) | (d << 5) | e;
}

/**
 * A 26-character id as three exact integers (50, 50 and 30 bits) in
 * `into`, from the bytes at `at`; false when it is not in that form (any
 * case maps to the same words, as `normalizeEventId` maps it).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { idWordsAt } from "./id_set.ts";
 * const upper = new Float64Array(3), lower = new Float64Array(3);
 * assert.ok(idWordsAt(new TextEncoder().encode("01KHJVJWDM0HGAGYGXJYKD1JQG"), 0, upper));
 * assert.ok(idWordsAt(new TextEncoder().encode("01khjvjwdm0hgagygxjykd1jqg"), 0, lower));
 * assert.deepEqual(upper, lower);
 * assert.ok(!idWordsAt(new TextEncoder().encode("01KHJVJWDM0HGAGYGXJYKD1JQU"), 0, upper));
 * ```
 */
export function idWordsAt(b: Uint8Array, at: number, into: Float64Array): boolean {
  const w0 = five(b[at], b[at + 1], b[at + 2], b[at + 3], b[at + 4]);
  const w1 = five(b[at + 5], b[at + 6], b[at + 7], b[at + 8], b[at + 9]);
  const w2 = five(b[at + 10], b[at + 11], b[at + 12], b[at + 13], b[at + 14]);
  const w3 = five(b[at + 15], b[at + 16], b[at + 17], b[at + 18], b[at + 19]);
  const w4 = five(b[at + 20], b[at + 21], b[at + 22], b[at + 23], b[at + 24]);
  const last = DIGIT[b[at + 25] & 127];
  if ((w0 | w1 | w2 | w3 | w4 | last | (b[at + 25] & ~127)) < 0) return false;
  into[0] = w0 * 0x2000000 + w1;
  into[1] = w2 * 0x2000000 + w3;
  into[2] = w4 * 32 + last;
  return true;
}

const SCRATCH = new Float64Array(3);
const CHUNK_BITS = 16;
const CHUNK_MASK = (1 << CHUNK_BITS) - 1;
const ASCII = new Uint8Array(26);

/** {@linkcode idWordsAt} for an id given as a string. */
export function idWordsOf(id: string, into: Float64Array): boolean {
  if (id.length !== 26) return false;
  for (let i = 0; i < 26; i++) {
    const c = id.charCodeAt(i);
    ASCII[i] = c < 128 ? c : 255;
  }
  return idWordsAt(ASCII, 0, into);
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
  // Open addressing over 32-bit fingerprints (slot: fingerprint, 1 + index),
  // 8 bytes a slot, so the table a probe touches stays small; the exact
  // words are appended in order and read only when a fingerprint matches.
  #slots = new Int32Array(2 << 12);
  #mask = (1 << 12) - 1;
  #words: Float64Array[] = [];
  #size = 0;
  readonly #others = new Set<string>();

  /** Adds the id; true when it was not in the set before. */
  add(id: string): boolean {
    if (!idWordsOf(id, SCRATCH)) return this.addOther(id);
    return this.addWords(SCRATCH[0], SCRATCH[1], SCRATCH[2]);
  }

  /** Adds a 26-character id given as its words (see {@linkcode idWordsAt}). */
  addWords(a: number, b: number, c: number): boolean {
    if (!this.#insert(a, b, c)) return false;
    if (++this.#size * 2 > this.#mask) this.#grow();
    return true;
  }

  /** Adds an id of another form (compared by its normalised spelling). */
  addOther(id: string): boolean {
    const normal = normalizeEventId(id);
    if (this.#others.has(normal)) return false;
    this.#others.add(normal);
    return true;
  }

  #insert(a: number, b: number, c: number): boolean {
    let h = Math.imul((a % 0x40000000) ^ Math.imul(b % 0x40000000, 0x9e3779b1) ^ c, 0x85ebca6b);
    h ^= h >>> 15;
    const fp = h | 1; // never 0, the empty slot's
    const s = this.#slots;
    const mask = this.#mask;
    for (let i = (h >>> 7) & mask;; i = (i + 1) & mask) {
      const k = i * 2;
      if (s[k] === 0) {
        const n = this.#size;
        const chunk = n >> CHUNK_BITS;
        if (chunk === this.#words.length) this.#words.push(new Float64Array(3 << CHUNK_BITS));
        const w = this.#words[chunk];
        const at = (n & CHUNK_MASK) * 3;
        w[at] = a;
        w[at + 1] = b;
        w[at + 2] = c;
        s[k] = fp;
        s[k + 1] = n;
        return true;
      }
      if (s[k] === fp && this.#same(s[k + 1], a, b, c)) return false;
    }
  }

  #same(n: number, a: number, b: number, c: number): boolean {
    const w = this.#words[n >> CHUNK_BITS];
    const at = (n & CHUNK_MASK) * 3;
    return w[at] === a && w[at + 1] === b && w[at + 2] === c;
  }

  #grow(): void {
    const old = this.#slots;
    this.#mask = this.#mask * 2 + 1;
    const s = new Int32Array((this.#mask + 1) * 2);
    for (let k = 0; k < old.length; k += 2) {
      const fp = old[k];
      if (fp === 0) continue;
      // The fingerprint is the hash (low bit set): its bits place it again.
      for (let i = (fp >>> 7) & this.#mask;; i = (i + 1) & this.#mask) {
        if (s[i * 2] === 0) {
          s[i * 2] = fp;
          s[i * 2 + 1] = old[k + 1];
          break;
        }
      }
    }
    this.#slots = s;
  }
}
