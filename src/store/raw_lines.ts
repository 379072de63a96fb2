/**
 * Splitting a byte stream into lines without decoding them: what a repair
 * keeps must be the bytes it read, whatever they are (invalid UTF-8 too)
 * and however long the line is.
 *
 * @module
 */

/** One line's bytes, located in its file. */
export interface RawLine {
  /** The line's bytes without its `\n` (a `\r` before it stays). */
  bytes: Uint8Array;
  /** 1-based line number. */
  number: number;
  /** Byte offset of the line's first byte in the stream. */
  offset: number;
  /** False for a last line with no `\n` after it (a torn tail). */
  complete: boolean;
}

/** Options of {@linkcode rawLines}. */
export interface RawLinesOptions {
  /**
   * Yield a line that lies in one chunk as a view of it, valid only until
   * the next line is asked for: no copy and no buffer per line, for callers
   * that look at a line and let it go (both passes of a streamed import).
   */
  borrow?: boolean;
}

/**
 * Yields every line of `stream` as bytes. A line is held whole (a line is
 * never cut: an event of any size must survive a repair); the parts of a
 * long line are joined once, at its end, so the cost stays linear.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rawLines } from "./raw_lines.ts";
 * const bytes = new Uint8Array([0x61, 0x0a, 0xff, 0x0d, 0x0a, 0x62]);
 * const lines = await Array.fromAsync(rawLines(new Blob([bytes]).stream()));
 * assert.deepEqual(lines.map((l) => [...l.bytes]), [[0x61], [0xff, 0x0d], [0x62]]);
 * assert.ok(lines[1].offset === 2 && lines[2].complete === false);
 * ```
 */
export async function* rawLines(
  stream: ReadableStream<Uint8Array>,
  options: RawLinesOptions = {},
): AsyncGenerator<RawLine> {
  const first = options.borrow
    ? (c: Uint8Array, a: number, b: number) => c.subarray(a, b)
    : (c: Uint8Array, a: number, b: number) => c.slice(a, b);
  let parts: Uint8Array[] = [];
  let number = 0;
  let offset = 0; // of the line being gathered
  let position = 0; // of the current chunk
  for await (const chunk of stream) {
    let from = 0;
    for (let nl = chunk.indexOf(0x0a); nl !== -1; nl = chunk.indexOf(0x0a, from)) {
      // A copy: the caller may hold the line after the stream reuses the chunk.
      parts.push(parts.length === 0 ? first(chunk, from, nl) : chunk.subarray(from, nl));
      yield { bytes: join(parts), number: ++number, offset, complete: true };
      parts = [];
      from = nl + 1;
      offset = position + from;
    }
    if (from < chunk.length) parts.push(chunk.slice(from));
    position += chunk.length;
  }
  if (parts.length > 0) yield { bytes: join(parts), number: ++number, offset, complete: false };
}

/**
 * The parts as one array (the part itself when there is one).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { join } from "./raw_lines.ts";
 * assert.deepEqual([...join([new Uint8Array([1]), new Uint8Array([2, 3])])], [1, 2, 3]);
 * ```
 */
export function join(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
