/**
 * Turns a byte stream into blocks of whole lines, copied into one reused
 * buffer: the byte-level readers scan lines in place, with no string or
 * array made per line, and memory stays at one buffer (plus the longest
 * line) whatever the stream's size.
 *
 * @module
 */
import { ByteChunk } from "./canonical_bytes.ts";

/** Marks a line longer than the limit, skipped unread, in place of its block. */
export const OVERSIZE = Symbol("oversize line");

/**
 * Takes a line of a block before it is decoded: returns where the line ends
 * (its newline, `\r\n` or the block's end) when it dealt with the line
 * itself (used it, or dropped it unparsed), or {@linkcode DECODE_LINE} to
 * have it decoded and yielded as an event ({@linkcode DECODE_EVENT}: one it
 * knows is an event). `line` is the line's number.
 */
export type LineSink = ((chunk: ByteChunk, start: number, line: number) => number) & {
  /**
   * Set by a sink that took a run of lines at once (the returned end is
   * the run's last line's): how many lines past the first it took, so the
   * walk counts them. Left unset: one line.
   */
  runLines?: number;
  /** Where the sink would have the blocks read (see {@linkcode BlockHome}). */
  home?: BlockHome;
};

/** A {@linkcode LineSink} answer: decode the line and yield its event. */
export const DECODE_LINE: -1 = -1;

/**
 * A {@linkcode LineSink} answer: decode the line and yield its event, which
 * the sink knows it is (its reader vouched for it), so the reader skips its
 * check for lines that are certainly no event.
 */
export const DECODE_EVENT: -2 = -2;

/** Options for {@linkcode readBlocks}. */
export interface ReadBlocksOptions {
  /** Lines longer than this are skipped and reported as {@linkcode OVERSIZE}. */
  maxLineBytes?: number;
  /** Bytes gathered before a block is handed out (default 256 KiB). */
  blockBytes?: number;
  /** Where to read blocks in place (with a {@linkcode ByteReader} source only). */
  home?: BlockHome;
}

/** Bytes read straight into the caller's buffer, with no transfer (a file range). */
export interface ByteReader {
  /** Fills `into` from the start as far as it can; 0 only at the end. */
  read(into: Uint8Array): Promise<number>;
  /** Closes the source. */
  close(): void;
}

/**
 * Two buffers a reader of blocks wants its bytes read into, so it scans
 * them where they were read (the wasm kernel's memory: no copy per block).
 */
export interface BlockHome {
  /** Two buffers of `bytes` each, or undefined (in use, or too small): plain ones are made. */
  buffers(bytes: number): [Uint8Array, Uint8Array] | undefined;
  /** The buffers are no longer used. */
  release(): void;
}

/**
 * Yields blocks that end just after a newline, except the stream's last,
 * which ends where the stream does. A block is only valid until the next
 * step: the buffer under it is reused. A byte stream (like
 * `rangeStream`'s) is read in BYOB mode, straight into that buffer; other
 * streams' chunks are copied in. A {@linkcode ByteReader} (`rangeReader`)
 * reads straight into the buffers, the `home`'s when it lends them.
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
  stream: ReadableStream<Uint8Array> | ByteReader,
  options: ReadBlocksOptions = {},
): AsyncGenerator<ByteChunk | typeof OVERSIZE> {
  const max = options.maxLineBytes ?? Infinity;
  // A line over the limit can never fit the buffer, so it is always caught
  // when the buffer fills without a newline.
  const size = Math.min((options.blockBytes ?? 256 * 1024) * 2, max + 1);
  const target = Math.ceil(size / 2);
  const source = byteSource(stream);
  // Two buffers: the next read goes into one while the block in the other
  // is being scanned, so reading overlaps the work instead of idling it.
  const home = stream instanceof ReadableStream ? undefined : options.home;
  const homed = home?.buffers(size);
  let spare: Uint8Array = homed?.[1] ?? new Uint8Array(size);
  let fill = 0;
  let skipping = false; // inside a line already known to be oversize
  // Bytes at the buffer's start already searched and found without a newline:
  // a long line read in many pieces is searched once, not once per piece.
  let searched = 0;
  let pending: Promise<{ buffer: Uint8Array; n: number }> | undefined = source.read(
    homed?.[0] ?? new Uint8Array(size),
    0,
  );
  try {
    while (pending) {
      const read = await pending;
      pending = undefined;
      let buffer = read.buffer;
      if (read.n === 0) {
        if (skipping || fill > max) yield OVERSIZE;
        else if (fill > 0) yield new ByteChunk(buffer, fill);
        break;
      }
      const start = fill;
      fill += read.n;
      if (skipping) {
        const nl = buffer.subarray(start, fill).indexOf(0x0a);
        if (nl === -1) {
          fill = 0;
        } else {
          buffer.copyWithin(0, start + nl + 1, fill);
          fill -= start + nl + 1;
          skipping = false;
          yield OVERSIZE;
        }
      }
      let last = -1;
      if (fill >= target) {
        last = buffer.subarray(searched, fill).lastIndexOf(0x0a);
        if (last === -1) searched = fill;
        else last += searched;
      }
      if (last === -1) {
        if (fill === buffer.length) {
          // Full with no newline: one line fills it.
          if (buffer.length > max) {
            fill = 0;
            searched = 0;
            skipping = true;
          } else {
            const grown = new Uint8Array(Math.min(buffer.length * 2, max + 1));
            grown.set(buffer);
            buffer = grown;
          }
        }
        pending = source.read(buffer, fill);
        continue;
      }
      // Carry the partial last line over, start the next read, then hand out the block.
      const carry = fill - (last + 1);
      searched = 0;
      if (spare.length < buffer.length) spare = new Uint8Array(buffer.length);
      spare.set(buffer.subarray(last + 1, fill), 0);
      pending = source.read(spare, carry);
      fill = carry;
      yield new ByteChunk(buffer, last + 1);
      spare = buffer;
    }
  } finally {
    await pending?.catch(() => {});
    source.release();
    if (homed) home!.release();
  }
}

/** Reads a stream into a caller's buffer: in place when it can, by copying when not. */
function byteSource(stream: ReadableStream<Uint8Array> | ByteReader) {
  if (!(stream instanceof ReadableStream)) {
    return {
      async read(buffer: Uint8Array, at: number): Promise<{ buffer: Uint8Array; n: number }> {
        return { buffer, n: await stream.read(buffer.subarray(at)) };
      },
      release: () => stream.close(),
    };
  }
  let byob: ReadableStreamBYOBReader | undefined;
  try {
    byob = stream.getReader({ mode: "byob" });
  } catch {
    // Not a byte stream: copy its chunks.
  }
  const reader = byob ? undefined : stream.getReader();
  let piece: Uint8Array | undefined;
  let used = 0;
  return {
    /**
     * Fills `buffer` from `at`; `n` is 0 only at the end. The buffer comes
     * back as a new object over the same memory after an in-place read.
     */
    async read(buffer: Uint8Array, at: number): Promise<{ buffer: Uint8Array; n: number }> {
      if (byob) {
        // The memory is transferred to the stream and back, even at the end.
        const length = buffer.length; // read before the transfer empties `buffer`
        const { value } = await byob.read(new Uint8Array(buffer.buffer, at));
        if (!value) throw new TypeError("byte stream returned no buffer");
        return { buffer: new Uint8Array(value.buffer, 0, length), n: value.length };
      }
      while (!piece || used === piece.length) {
        const { value, done } = await reader!.read();
        if (done) return { buffer, n: 0 };
        piece = value;
        used = 0;
      }
      const n = Math.min(piece.length - used, buffer.length - at);
      buffer.set(piece.subarray(used, used + n), at);
      used += n;
      return { buffer, n };
    },
    release(): void {
      (byob ?? reader)!.releaseLock();
    },
  };
}
