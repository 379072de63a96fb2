/**
 * Walking the lines of a block of bytes: the one place that knows what ends
 * a line. A line ends at `\n`; a `\r` just before it (a log edited on
 * Windows) is not part of the line, nor is a `\r` the block ends with (a
 * torn `\r\n`).
 *
 * @module
 */
import type { ByteChunk } from "./byte_scan.ts";

/**
 * Where the line that starts at `start` ends: at its `\n`, at the `\r` of
 * its `\r\n`, or at the block's end (before a last `\r`). Sinks answer the
 * same position (see `LineSink`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ByteChunk } from "./byte_scan.ts";
 * import { lineEnd } from "./line_walk.ts";
 * const block = new ByteChunk(new TextEncoder().encode("ab\r\ncd\nef"));
 * assert.deepEqual([lineEnd(block, 0), lineEnd(block, 4), lineEnd(block, 7)], [2, 6, 9]);
 * ```
 */
export function lineEnd(block: ByteChunk, start: number): number {
  const { bytes, end } = block;
  const nl = bytes.indexOf(0x0a, start);
  const stop = nl === -1 || nl >= end ? end : nl;
  return stop > start && bytes[stop - 1] === 0x0d ? stop - 1 : stop;
}

/**
 * Where the line after the one ending at `stop` (as {@linkcode lineEnd}
 * gives it) starts; the block's end after its last line.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ByteChunk } from "./byte_scan.ts";
 * import { lineEnd, nextLine } from "./line_walk.ts";
 * const block = new ByteChunk(new TextEncoder().encode("ab\r\ncd\nef\r"));
 * const starts = [];
 * for (let start = 0; start < block.end; start = nextLine(block, lineEnd(block, start))) {
 *   starts.push(start);
 * }
 * assert.deepEqual(starts, [0, 4, 7]);
 * ```
 */
export function nextLine(block: ByteChunk, stop: number): number {
  // Past the block's end the buffer holds stale bytes: the clamp ignores them.
  return Math.min(block.bytes[stop] === 0x0d ? stop + 2 : stop + 1, block.end);
}

/**
 * A line decoded together with others and split on `\n`, without the `\r`
 * of its `\r\n`: the same line {@linkcode lineEnd} gives, for readers that
 * decode many lines at once (one decode per block is what keeps them fast).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { withoutCr } from "./line_walk.ts";
 * assert.deepEqual("a\r\nb\n".split("\n").map(withoutCr), ["a", "b", ""]);
 * ```
 */
export function withoutCr(text: string): string {
  return text.endsWith("\r") ? text.slice(0, -1) : text;
}
