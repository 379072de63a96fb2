/**
 * Turns a byte stream into blocks of whole lines, copied into one reused
 * buffer: the byte-level readers scan lines in place, with no string or
 * array made per line, and memory stays at one buffer (plus the longest
 * line) whatever the stream's size.
 *
 * @module
 */
import { ByteChunk } from "../event/canonical_bytes.ts";

/** Marks a line longer than the limit, skipped unread, in place of its block. */
export const OVERSIZE = Symbol("oversize line");

/**
 * Takes a line of a block before it is decoded: returns where the line ends
 * (its newline, `\r\n` or the block's end) when it dealt with the line
 * itself, {@linkcode SKIP_LINE} to drop it unparsed, or
 * {@linkcode DECODE_LINE} to have it decoded and yielded as an event.
 */
export type LineSink = (chunk: ByteChunk, start: number) => number;

/** A {@linkcode LineSink} answer: the line cannot matter; drop it unparsed. */
export const SKIP_LINE = -2;
/** A {@linkcode LineSink} answer: decode the line and yield its event. */
export const DECODE_LINE = -1;

/** Options for {@linkcode readBlocks}. */
export interface ReadBlocksOptions {
  /** Lines longer than this are skipped and reported as {@linkcode OVERSIZE}. */
  maxLineBytes?: number;
  /** Bytes gathered before a block is handed out (default 256 KiB). */
  blockBytes?: number;
}

/**
 * Yields blocks that end just after a newline, except the stream's last,
 * which ends where the stream does. A block is only valid until the next
 * step: the buffer under it is reused.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readBlocks } from "./byte_blocks.ts";
 * const stream = new Blob(["a\nbb\nc"]).stream();
 * const texts = [];
 * for await (const block of readBlocks(stream, { blockBytes: 4 })) {
 *   texts.push(typeof block === "symbol" ? "!" : block.text);
 * }
 * assert.deepEqual(texts, ["a\nbb\n", "c"]);
 * ```
 */
export async function* readBlocks(
  stream: ReadableStream<Uint8Array>,
  options: ReadBlocksOptions = {},
): AsyncGenerator<ByteChunk | typeof OVERSIZE> {
  const max = options.maxLineBytes ?? Infinity;
  // A line over the limit can never fit the buffer, so it is always caught
  // when the buffer fills without a newline.
  let buffer = new Uint8Array(Math.min((options.blockBytes ?? 256 * 1024) * 2, max + 1));
  const target = Math.ceil(buffer.length / 2);
  let fill = 0;
  let skipping = false; // inside a line already known to be oversize
  for await (const piece of stream) {
    let from = 0;
    if (skipping) {
      const nl = piece.indexOf(0x0a);
      if (nl === -1) continue;
      skipping = false;
      from = nl + 1;
      yield OVERSIZE;
    }
    while (from < piece.length) {
      if (fill === buffer.length) {
        // No newline in a full buffer: one line fills it.
        if (fill > max) {
          fill = 0;
          const nl = piece.indexOf(0x0a, from);
          if (nl === -1) {
            skipping = true;
            break;
          }
          from = nl + 1;
          yield OVERSIZE;
          continue;
        }
        const grown = new Uint8Array(Math.min(buffer.length * 2, max + 1));
        grown.set(buffer);
        buffer = grown;
      }
      const take = Math.min(piece.length - from, buffer.length - fill);
      buffer.set(piece.subarray(from, from + take), fill);
      fill += take;
      from += take;
      if (fill < target) continue;
      const last = buffer.lastIndexOf(0x0a, fill - 1);
      if (last === -1) continue;
      yield new ByteChunk(buffer, last + 1);
      buffer.copyWithin(0, last + 1, fill);
      fill -= last + 1;
    }
  }
  if (skipping) yield OVERSIZE;
  else if (fill > max) yield OVERSIZE;
  else if (fill > 0) yield new ByteChunk(buffer, fill);
}
