/**
 * Event identity as a number, for counting each event once over millions
 * of them without a string per event: a 52-bit hash of the normalised id
 * (see `normalizeEventId`). The byte readers hand over 26-character ids
 * in place; those are hashed from six 32-bit words and a 16-bit one with
 * case folded (`| 0x20` lowers a Crockford letter and leaves a digit), so
 * the hash costs a few multiplications and boxes nothing. A hash only
 * nominates duplicates; they are confirmed on the normalised ids.
 *
 * @module
 */
import { normalizeEventId } from "../event/event_id.ts";
import { hash26 } from "../event/id_hash26.ts";

/**
 * The hash of the 26-character id at `at` in a block (as the byte readers
 * hand it over).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { idHashAt, idHashOf } from "./id_hash.ts";
 * const bytes = new TextEncoder().encode("01khjvjwdm0hgagygxjykd1jqg");
 * assert.equal(idHashAt(new DataView(bytes.buffer), 0), idHashOf("01KHJVJWDM0HGAGYGXJYKD1JQG"));
 * ```
 */
export function idHashAt(d: DataView, at: number): number {
  return hash26(d, at);
}

/**
 * The hash of an id given as a string: the same as {@linkcode idHashAt}
 * for a 26-character id, and for every spelling of one UUID the same.
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
  const normal = normalizeEventId(id);
  const bytes = new Uint8Array(Math.ceil(normal.length / 4) * 4);
  for (let i = 0; i < normal.length; i++) bytes[i] = normal.charCodeAt(i) & 0xff;
  const d = new DataView(bytes.buffer);
  if (normal.length === 26) return hash26(d, 0);
  // Other forms (UUIDs, or what no form fits): the same mixing over every word, with the length.
  let a = (0x811c9dc5 ^ normal.length) | 0;
  let c = 0x1b873593 | 0;
  for (let at = 0; at < bytes.length; at += 4) {
    const w = d.getUint32(at, true);
    a = Math.imul(a ^ w, 0x01000193);
    a ^= a >>> 15;
    c = Math.imul(c ^ w, 0x5bd1e995);
    c ^= c >>> 13;
  }
  return (a >>> 0) * 0x100000 + (c >>> 12);
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
 * const bytes = new TextEncoder().encode("01KHJVJWDM0HGAGYGXJYKD1JQG");
 * list.pushAt(new DataView(bytes.buffer), 0);
 * assert.equal(list.values().reduce((n, part) => n + part.length, 0), 5001);
 * ```
 */
export class HashList {
  // Fixed-size chunks: growing one array meant zeroing and copying it again
  // and again (a tenth of a scan's time at a million events).
  private chunks: Float64Array[] = [];
  private chunk = new Float64Array(CHUNK);
  private at = 0;

  /** Adds one hash. */
  push(hash: number): void {
    if (this.at === CHUNK) this.next();
    this.chunk[this.at++] = hash;
  }

  /** Adds the hash of the 26-character id at `at` (computed here: nothing boxed per call). */
  pushAt(d: DataView, at: number): void {
    if (this.at === CHUNK) this.next();
    this.chunk[this.at++] = hash26(d, at);
  }

  /**
   * The hashes pushed, as chunks (not copied into one array: every fresh
   * page costs, and a sort needs none of it in one piece).
   */
  values(): Float64Array[] {
    return [...this.chunks, this.chunk.slice(0, this.at)];
  }

  private next(): void {
    this.chunks.push(this.chunk);
    this.chunk = new Float64Array(CHUNK);
    this.at = 0;
  }
}

const CHUNK = 64 * 1024;

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
