/**
 * Splits a byte stream into text lines without holding more than one chunk
 * (plus one partial line, bounded by `maxLineBytes`) in memory.
 *
 * @module
 */
import { CarryBytes } from "./carry_bytes.ts";
import { withoutCr } from "./line_walk.ts";
import { invalidUtf8Line } from "./utf8_lines.ts";

/** One line of a stream. */
export interface Line {
  /** The line's text, without its newline (a trailing `\r` is removed). */
  text: string;
  /** 1-based line number. */
  number: number;
  /** False for a last line with no newline after it (possibly torn). */
  complete: boolean;
  /** Set when the line was longer than `maxLineBytes`; `text` is then "". */
  oversize?: boolean;
}

/** Options for {@linkcode readLines}. */
export interface ReadLinesOptions {
  /** Holds a line a chunk did not finish (given by tests, to count its copies). */
  carry?: CarryBytes;
  /** Lines longer than this are reported as oversize instead of buffered. */
  maxLineBytes?: number;
  /**
   * Throw an {@linkcode InvalidUtf8Error} (a TypeError naming the line) on
   * invalid UTF-8 instead of decoding it to U+FFFD.
   */
  fatal?: boolean;
  /**
   * Asked once per chunk for a function (none: the chunk is decoded whole,
   * the fast way) that is offered the bytes `[start, end)` of each of its
   * lines with a newline after it (without the `\n` or a `\r` before it)
   * and its number, before the line is decoded: true means the caller dealt
   * with it, and no {@linkcode Line} is made (a log of junk then costs no
   * object per line).
   */
  skip?: () =>
    | ((bytes: Uint8Array, start: number, end: number, number: number) => boolean)
    | undefined;
}

type SkipLine = NonNullable<ReturnType<NonNullable<ReadLinesOptions["skip"]>>>;

/**
 * Yields the lines of a byte stream. Bytes are split on `\n` and decoded
 * once per chunk rather than per line, which is what keeps this fast;
 * invalid UTF-8 becomes U+FFFD (or, with `fatal`, a TypeError).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readLines } from "./line_reader.ts";
 * const bytes = new TextEncoder().encode("a\nb\r\nc");
 * const lines = [];
 * for await (const line of readLines(new Blob([bytes]).stream())) lines.push(line);
 * assert.ok(lines.map((l) => l.text).join() === "a,b,c");
 * assert.ok(lines[2].complete === false);
 * ```
 */
export async function* readLines(
  stream: ReadableStream<Uint8Array>,
  options: ReadLinesOptions = {},
): AsyncGenerator<Line> {
  for await (const batch of readLineBatches(stream, options)) yield* batch;
}

/**
 * Like {@linkcode readLines}, but yields the lines of each chunk as one
 * array: one async step per chunk instead of per line.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readLineBatches } from "./line_reader.ts";
 * const stream = new Blob([new TextEncoder().encode("a\nb\n")]).stream();
 * const batches = await Array.fromAsync(readLineBatches(stream));
 * assert.ok(batches.flat().length === 2);
 * ```
 */
export async function* readLineBatches(
  stream: ReadableStream<Uint8Array>,
  options: ReadLinesOptions = {},
): AsyncGenerator<Line[]> {
  const max = options.maxLineBytes ?? Infinity;
  const decoder = new TextDecoder("utf-8", { fatal: options.fatal ?? false });
  const carry = options.carry ?? new CarryBytes();
  let skipping = false; // inside a line already known to be oversize
  let number = 0;
  for await (const chunk of chunksOf(stream)) {
    const batch: Line[] = [];
    let from = 0;
    if (skipping) {
      const end = chunk.indexOf(0x0a);
      if (end === -1) continue;
      number++;
      batch.push({ text: "", number, complete: true, oversize: true });
      skipping = false;
      from = end + 1;
    }
    const last = chunk.lastIndexOf(0x0a);
    if (last < from) {
      // Copy: a stream may reuse its chunk buffers.
      carry.push(chunk.subarray(from));
      if (carry.length > max) {
        carry.clear();
        skipping = true;
      }
      if (batch.length > 0) yield batch;
      continue;
    }
    const head = carry.length === 0
      ? chunk.subarray(from, last)
      : concat(carry.bytes(), chunk.subarray(from, last));
    carry.clear();
    carry.push(chunk.subarray(last + 1));
    // The lines of `bytes`, numbered from `first`; returns how many.
    const push = (bytes: Uint8Array, first: number): number => {
      const texts = decodeNamed(decoder, bytes, first - 1).split("\n");
      for (const [i, text] of texts.entries()) {
        const at = first + i;
        if (text.length > max) batch.push({ text: "", number: at, complete: true, oversize: true });
        else batch.push({ text: withoutCr(text), number: at, complete: true });
      }
      return texts.length;
    };
    const skip = options.skip?.();
    if (skip) number = offerLines(head, number, skip, push);
    else number += push(head, number + 1);
    yield batch;
  }
  if (skipping) {
    yield [{ text: "", number: number + 1, complete: false, oversize: true }];
  } else if (carry.length > 0) {
    const text = withoutCr(decodeNamed(decoder, carry.bytes(), number));
    yield [{ text, number: number + 1, complete: false }];
  }
}

/**
 * Offers each line of `head` (complete lines, the last without its `\n`)
 * to `skip`; each run of lines it leaves goes to `push` as one piece.
 * `number` is that of the line before `head`; returns that of its last.
 */
function offerLines(
  head: Uint8Array,
  number: number,
  skip: SkipLine,
  push: (bytes: Uint8Array, first: number) => number,
): number {
  let run = -1;
  let runFirst = 0;
  for (let start = 0; start <= head.length;) {
    let nl = head.indexOf(0x0a, start);
    if (nl < 0) nl = head.length;
    const stop = nl > start && head[nl - 1] === 0x0d ? nl - 1 : nl;
    number++;
    if (skip(head, start, stop, number)) {
      if (run >= 0) push(head.subarray(run, start - 1), runFirst);
      run = -1;
    } else if (run < 0) {
      run = start;
      runFirst = number;
    }
    start = nl + 1;
  }
  if (run >= 0) push(head.subarray(run), runFirst);
  return number;
}

/**
 * The stream's chunks; a byte stream is read into one reused buffer, since
 * V8 lets fresh chunks (external memory) pile up by tens of MB before it
 * collects them. A chunk is valid until the next is asked for.
 */
async function* chunksOf(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  let byob: ReadableStreamBYOBReader;
  try {
    byob = stream.getReader({ mode: "byob" });
  } catch {
    return yield* stream;
  }
  let buffer = new ArrayBuffer(64 * 1024);
  try {
    for (;;) {
      const { value, done } = await byob.read(new Uint8Array(buffer));
      if (done || !value) return;
      buffer = value.buffer as ArrayBuffer;
      yield value;
    }
  } finally {
    byob.releaseLock();
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/**
 * Invalid UTF-8 met by a `fatal` reader, with the 1-based line it is on.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { InvalidUtf8Error, readLines } from "./line_reader.ts";
 * const stream = new Blob([new Uint8Array([0x61, 0x0a, 0xff, 0x0a])]).stream();
 * await assert.rejects(
 *   Array.fromAsync(readLines(stream, { fatal: true })),
 *   (e) => e instanceof InvalidUtf8Error && e.lineNumber === 2,
 * );
 * ```
 */
export class InvalidUtf8Error extends TypeError {
  /** Creates the error for line `lineNumber`. */
  constructor(readonly lineNumber: number, options?: ErrorOptions) {
    super(`line ${lineNumber}: not valid UTF-8`, options);
    this.name = "InvalidUtf8Error";
  }
}

/** Decodes whole lines following line `before`; a fatal decoder's error names the bad line. */
function decodeNamed(decoder: TextDecoder, bytes: Uint8Array, before: number): string {
  try {
    return decoder.decode(bytes);
  } catch (error) {
    throw new InvalidUtf8Error(before + (invalidUtf8Line(bytes) ?? 1), { cause: error });
  }
}
