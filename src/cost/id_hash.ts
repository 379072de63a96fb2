/**
 * Event identity as a number, for counting each event once over millions
 * of them without a string per event: a 52-bit hash of the id with case
 * and hyphens folded away, so the spellings `normalizeEventId` joins (a
 * ULID in either case, a UUID with or without hyphens) hash alike. A hash
 * only nominates duplicates; they are confirmed on the normalised ids.
 *
 * @module
 */

/**
 * The hash of the id in `bytes[from, to)`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { idHash, idHashOf } from "./id_hash.ts";
 * const bytes = new TextEncoder().encode("01khjvjwdm0hgagygxjykd1jqg");
 * assert.equal(idHash(bytes, 0, bytes.length), idHashOf("01KHJVJWDM0HGAGYGXJYKD1JQG"));
 * ```
 */
export function idHash(bytes: Uint8Array, from: number, to: number): number {
  let h1 = 0x811c9dc5 | 0;
  let h2 = 0x1b873593 | 0;
  for (let i = from; i < to; i++) {
    let c = bytes[i];
    if (c === 0x2d) continue;
    if (c >= 0x41 && c <= 0x5a) c |= 0x20;
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
  }
  // 32 + 20 bits: exact in a double, so sets and sorts of doubles hold them.
  return (h1 >>> 0) * 0x100000 + (h2 >>> 12);
}

/**
 * The hash of an id given as a string (same value as {@linkcode idHash}).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { idHashOf } from "./id_hash.ts";
 * assert.equal(
 *   idHashOf("0123456789ABCDEF0123456789ABCDEF"),
 *   idHashOf("01234567-89ab-cdef-0123-456789abcdef"),
 * );
 * assert.notEqual(idHashOf("01KHJVJWDM0HGAGYGXJYKD1JQG"), idHashOf("01KHJVJWDM0HGAGYGXJYKD1JQH"));
 * ```
 */
export function idHashOf(id: string): number {
  const bytes = new Uint8Array(id.length);
  for (let i = 0; i < id.length; i++) bytes[i] = id.charCodeAt(i) & 0xff;
  return idHash(bytes, 0, bytes.length);
}

/**
 * A growing list of hashes in one typed array (8 bytes an event).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { HashList } from "./id_hash.ts";
 * const list = new HashList();
 * for (let i = 0; i < 5000; i++) list.push(i);
 * assert.equal(list.values().length, 5000);
 * ```
 */
export class HashList {
  #values = new Float64Array(1024);
  #length = 0;

  /** Adds one hash. */
  push(hash: number): void {
    if (this.#length === this.#values.length) {
      const grown = new Float64Array(this.#values.length * 2);
      grown.set(this.#values);
      this.#values = grown;
    }
    this.#values[this.#length++] = hash;
  }

  /** The hashes pushed, in order (a view: valid until the next push). */
  values(): Float64Array {
    return this.#values.subarray(0, this.#length);
  }
}

/**
 * The hashes that occur more than once, sorted (for {@linkcode hasHash}).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { repeatedHashes } from "./id_hash.ts";
 * assert.deepEqual([...repeatedHashes([Float64Array.of(3, 1, 2), Float64Array.of(2, 3, 3)])], [2, 3]);
 * ```
 */
export function repeatedHashes(parts: readonly Float64Array[]): Float64Array {
  const all = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    all.set(part, at);
    at += part.length;
  }
  all.sort();
  const repeated: number[] = [];
  for (let i = 1; i < all.length; i++) {
    if (all[i] === all[i - 1] && repeated.at(-1) !== all[i]) repeated.push(all[i]);
  }
  return Float64Array.from(repeated);
}

/**
 * True when the sorted list holds `hash` (binary search).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { hasHash } from "./id_hash.ts";
 * assert.ok(hasHash(Float64Array.of(1, 5, 9), 5) && !hasHash(Float64Array.of(1, 5, 9), 4));
 * ```
 */
export function hasHash(sorted: Float64Array, hash: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = sorted[mid];
    if (v === hash) return true;
    if (v < hash) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}
