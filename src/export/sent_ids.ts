/**
 * What a push already sent: the 64-bit key of each event id sent to a
 * target, in a hash set, and as the bytes its file keeps (8 bytes a key,
 * appended after each accepted request). A key stands for the id in any
 * spelling (`normalizeEventId`), so a copy of an event in another log, or
 * an event that reaches this clone late (a merge of another clone's work
 * that used the same node id, with clocks below those already sent) is
 * known by its id alone: nothing is skipped for its clock. Two ids share a
 * key with odds of about n²/2⁶⁵ (3·10⁻⁸ at a million events). Pure.
 *
 * @module
 */
import { normalizeEventId } from "../event/event_id.ts";

/** Bytes of one key in a file: its two 32-bit halves, little-endian. */
export const KEY_BYTES = 8;

/** A key: two 32-bit halves (the set's own layout; no BigInt per event). */
export type IdKey = [hi: number, lo: number];

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * The key of the id spelt by `bytes[from, to)`, already normalised, or a
 * 26-character id in any case (`fold`: letters folded to lower case, as a
 * ULID's case means nothing). Two MurmurHash3-style mixes, one per half.
 */
export function keyOfBytes(bytes: Uint8Array, from: number, to: number, fold: boolean, out: IdKey) {
  const n = to - from;
  let h1 = 0x9747b28c ^ n;
  let h2 = 0x2f5a0e1b ^ Math.imul(n, 0x01000193);
  const mask = fold ? 0x20 : 0;
  for (let i = from; i < to; i++) {
    const k1 = Math.imul(bytes[i] | mask, 0xcc9e2d51);
    h1 ^= Math.imul((k1 << 15) | (k1 >>> 17), 0x1b873593);
    h1 = Math.imul((h1 << 13) | (h1 >>> 19), 5) + 0xe6546b64;
    const k2 = Math.imul((bytes[i] | mask) ^ 0xa5, 0x85ebca6b);
    h2 ^= Math.imul((k2 << 13) | (k2 >>> 19), 0xc2b2ae35);
    h2 = Math.imul((h2 << 11) | (h2 >>> 21), 9) + 0x52dce729;
  }
  out[0] = fmix(h1);
  out[1] = fmix(h2 ^ h1);
}

const scratch = new Uint8Array(64);

/**
 * The key of an event id given as text, in any spelling.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { keyOfId } from "./sent_ids.ts";
 * assert.deepEqual(keyOfId("01khjvjwdm0hgagygxjykd1jqg"), keyOfId("01KHJVJWDM0HGAGYGXJYKD1JQG"));
 * assert.notDeepEqual(keyOfId("01KHJVJWDM0HGAGYGXJYKD1JQG"), keyOfId("01KHJVJWDM0HGAGYGXJYKD1JQH"));
 * ```
 */
export function keyOfId(id: string, out: IdKey = [0, 0]): IdKey {
  const normal = normalizeEventId(id);
  const bytes = normal.length <= scratch.length ? scratch : new Uint8Array(normal.length * 3);
  const { written } = new TextEncoder().encodeInto(normal, bytes);
  keyOfBytes(bytes, 0, written, normal.length === 26 && written === 26, out);
  return out;
}

/**
 * A set of keys (open addressing over two `Uint32Array`s: 16 bytes a key
 * at most, no object per key).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { keyBytes, keyOfId, SentIds } from "./sent_ids.ts";
 * const sent = new SentIds();
 * const key = keyOfId("01KHJVJWDM0HGAGYGXJYKD1JQG");
 * assert.equal(sent.add(key), true);
 * assert.equal(sent.add(key), false);
 * const again = SentIds.from(keyBytes([...key, ...key]));
 * assert.ok(again.has(key) && again.size === 1);
 * ```
 */
export class SentIds {
  #hi = new Uint32Array(1024);
  #lo = new Uint32Array(1024);
  #mask = 1023;
  /** Keys in the set. */
  size = 0;

  /** The keys of a file's bytes (a torn last key, shorter than 8 bytes, is left out). */
  static from(bytes: Uint8Array): SentIds {
    const set = new SentIds();
    set.addBytes(bytes);
    return set;
  }

  /** Adds the keys of a file's bytes (as {@linkcode SentIds.from}); each one not in yet goes to `fresh` too. */
  addBytes(bytes: Uint8Array, fresh?: number[]): void {
    const d = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const key: IdKey = [0, 0];
    for (let at = 0; at + KEY_BYTES <= bytes.length; at += KEY_BYTES) {
      key[0] = d.getUint32(at, true);
      key[1] = d.getUint32(at + 4, true);
      if (this.add(key)) fresh?.push(key[0], key[1]);
    }
  }

  /** Whether the key (0, 0) is in: that value marks an empty slot. */
  #zero = false;

  /** Whether the key is in the set. */
  has([hi, lo]: IdKey): boolean {
    if ((hi | lo) === 0) return this.#zero;
    const mask = this.#mask;
    for (let at = lo & mask;; at = (at + 1) & mask) {
      const h = this.#hi[at];
      const l = this.#lo[at];
      if (h === hi && l === lo) return true;
      if ((h | l) === 0) return false;
    }
  }

  /** Adds the key; false when it was in already. */
  add([hi, lo]: IdKey): boolean {
    if ((hi | lo) === 0) {
      if (this.#zero) return false;
      this.size++;
      return this.#zero = true;
    }
    if ((this.size + 1) * 2 > this.#mask) this.#grow();
    const mask = this.#mask;
    for (let at = lo & mask;; at = (at + 1) & mask) {
      const h = this.#hi[at];
      const l = this.#lo[at];
      if (h === hi && l === lo) return false;
      if ((h | l) === 0) {
        this.#hi[at] = hi;
        this.#lo[at] = lo;
        this.size++;
        return true;
      }
    }
  }

  #grow(): void {
    const hi = this.#hi;
    const lo = this.#lo;
    this.#hi = new Uint32Array(hi.length * 2);
    this.#lo = new Uint32Array(lo.length * 2);
    this.#mask = this.#hi.length - 1;
    this.size = this.#zero ? 1 : 0;
    for (let i = 0; i < hi.length; i++) if ((hi[i] | lo[i]) !== 0) this.add([hi[i], lo[i]]);
  }
}

/**
 * Appends keys to what a file keeps (the bytes appended after a request is accepted).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { keyBytes, keyOfId, SentIds } from "./sent_ids.ts";
 * const key = keyOfId("01KHJVJWDM0HGAGYGXJYKD1JQG");
 * assert.ok(SentIds.from(keyBytes([key[0], key[1]])).has(key));
 * ```
 */
export function keyBytes(halves: readonly number[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(halves.length * 4);
  const d = new DataView(out.buffer);
  for (let i = 0; i < halves.length; i++) d.setUint32(i * 4, halves[i], true);
  return out;
}
