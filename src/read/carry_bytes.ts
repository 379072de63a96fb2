/**
 * The start of a line that a chunk did not finish, kept until its newline
 * comes: a buffer that doubles as it grows, so a long line costs copies in
 * proportion to its length, not to its length times its chunks.
 *
 * @module
 */

/**
 * A growing byte buffer.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { CarryBytes } from "./carry_bytes.ts";
 * const carry = new CarryBytes();
 * carry.push(new Uint8Array([1, 2]));
 * carry.push(new Uint8Array([3]));
 * assert.deepEqual([...carry.bytes()], [1, 2, 3]);
 * carry.clear();
 * assert.equal(carry.length, 0);
 * ```
 */
export class CarryBytes {
  #buffer = new Uint8Array(0);
  #length = 0;
  /** Bytes copied so far, growth included (what keeps a long line linear, tested). */
  copied = 0;

  /** How many bytes are held. */
  get length(): number {
    return this.#length;
  }

  /** Appends a copy of `bytes` (a stream may reuse its chunk buffers). */
  push(bytes: Uint8Array): void {
    const need = this.#length + bytes.length;
    if (need > this.#buffer.length) {
      const grown = new Uint8Array(Math.max(need, this.#buffer.length * 2, 1024));
      grown.set(this.#buffer.subarray(0, this.#length));
      this.copied += this.#length;
      this.#buffer = grown;
    }
    this.#buffer.set(bytes, this.#length);
    this.copied += bytes.length;
    this.#length = need;
  }

  /** The bytes held, as a view valid until the next push or clear. */
  bytes(): Uint8Array {
    return this.#buffer.subarray(0, this.#length);
  }

  /** Forgets the bytes held (the buffer is dropped when it grew large). */
  clear(): void {
    this.#length = 0;
    if (this.#buffer.length > 1024 * 1024) this.#buffer = new Uint8Array(0);
  }
}
