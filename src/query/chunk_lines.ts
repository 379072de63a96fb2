/**
 * A block of lines that mostly stay where they were read: a line that
 * ends in `\n` in the read block is kept as a place in it (no copy), and
 * only the others (a kept canonical text, a line ending in `\r\n` or with
 * no line end) are copied, with a `\n`, into the block's
 * {@linkcode LineBlock.texts}. For `query`'s second reading when the block
 * is merged before the next one is read (the read block is valid until
 * then): the merge copies each line once, straight from the read block.
 *
 * @module
 */
import type { LineBlock } from "./line_blocks.ts";

/**
 * Lines of one read block (see the module doc); the block's `bytes` are
 * the read block's, set by {@linkcode ChunkLines.clear}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ChunkLines } from "./chunk_lines.ts";
 * const read = new TextEncoder().encode("a\nb\r\n");
 * const block = new ChunkLines();
 * block.clear(read);
 * block.addBytes(read, 0, 1, 1, "n");
 * block.addBytes(read, 2, 3, 2, "n");
 * assert.deepEqual([block.starts[0], block.ends[0]], [0, 2]); // in place, its "\n" included
 * assert.ok(block.starts[1] < 0); // copied: at ~start in texts
 * const copy = block.texts.subarray(~block.starts[1], ~block.ends[1]);
 * assert.equal(new TextDecoder().decode(copy), "b\n");
 * ```
 */
export class ChunkLines implements LineBlock {
  count = 0;
  bytes: Uint8Array = new Uint8Array(0);
  texts: Uint8Array = new Uint8Array(1 << 16);
  starts: Int32Array = new Int32Array(1 << 10);
  ends: Int32Array = new Int32Array(1 << 10);
  clocks: Float64Array = new Float64Array(1 << 10);
  nodes: string[] = [];
  #used = 0;

  /** Empties it for the lines of the read block `bytes`. */
  clear(bytes: Uint8Array = this.bytes): void {
    this.bytes = bytes;
    this.count = 0;
    this.#used = 0;
  }

  /**
   * Adds `from[start, end)` (the line without its end): in place when it is
   * in the read block followed by `\n`, else copied with a `\n`.
   */
  addBytes(from: Uint8Array, start: number, end: number, clock: number, node: string) {
    if (from === this.bytes && from[end] === 0x0a) {
      this.#line(start, end + 1, clock, node);
      return;
    }
    const length = end - start;
    if (this.#used + length + 1 > this.texts.length) {
      const grown = new Uint8Array(Math.max(this.texts.length * 2, this.#used + length + 1));
      grown.set(this.texts.subarray(0, this.#used));
      this.texts = grown;
    }
    this.texts.set(from.subarray(start, end), this.#used);
    this.texts[this.#used + length] = 0x0a;
    this.#line(~this.#used, ~(this.#used + length + 1), clock, node);
    this.#used += length + 1;
  }

  /** Nothing to copy: the lines in place stay in the read block. */
  flush(): void {}

  #line(start: number, end: number, clock: number, node: string): void {
    if (this.count === this.starts.length) {
      const n = this.count * 2;
      const grow = <T extends Int32Array | Float64Array>(a: T, b: T) => (b.set(a), b);
      this.starts = grow(this.starts, new Int32Array(n));
      this.ends = grow(this.ends, new Int32Array(n));
      this.clocks = grow(this.clocks, new Float64Array(n));
    }
    const k = this.count++;
    this.starts[k] = start;
    this.ends[k] = end;
    this.clocks[k] = clock;
    this.nodes[k] = node;
  }
}
