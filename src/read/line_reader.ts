/**
 * Splits a byte stream into text lines without holding more than one chunk
 * (plus one partial line) in memory.
 *
 * @module
 */

/** One line of a stream. */
export interface Line {
  /** The line's text, without its newline (a trailing `\r` is removed). */
  text: string;
  /** 1-based line number. */
  number: number;
  /** False for a last line with no newline after it (possibly torn). */
  complete: boolean;
}

/**
 * Yields the lines of a byte stream. Bytes are split on `\n` and decoded
 * once per chunk rather than per line, which is what keeps this fast;
 * invalid UTF-8 becomes U+FFFD instead of throwing.
 *
 * @example
 * ```ts
 * import { readLines } from "./line_reader.ts";
 * const bytes = new TextEncoder().encode("a\nb\r\nc");
 * const lines = [];
 * for await (const line of readLines(new Blob([bytes]).stream())) lines.push(line);
 * console.assert(lines.map((l) => l.text).join() === "a,b,c");
 * console.assert(lines[2].complete === false);
 * ```
 */
export async function* readLines(
  stream: ReadableStream<Uint8Array>,
): AsyncGenerator<Line> {
  const decoder = new TextDecoder();
  let carry: Uint8Array = new Uint8Array(0);
  let number = 0;
  for await (const chunk of stream) {
    const last = chunk.lastIndexOf(0x0a);
    if (last === -1) {
      // Copy: a stream may reuse its chunk buffers.
      carry = carry.length > 0 ? concat(carry, chunk) : chunk.slice();
      continue;
    }
    const head = concat(carry, chunk.subarray(0, last));
    carry = chunk.slice(last + 1);
    const texts = decoder.decode(head).split("\n");
    for (const text of texts) {
      number++;
      yield { text: stripCr(text), number, complete: true };
    }
  }
  if (carry.length > 0) {
    number++;
    yield { text: stripCr(decoder.decode(carry)), number, complete: false };
  }
}

function stripCr(text: string): string {
  return text.endsWith("\r") ? text.slice(0, -1) : text;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
