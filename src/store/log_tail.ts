/**
 * What the end of a log says, read in O(1): whether the last line is torn,
 * and the last whole event (the highest clock a locked append wrote).
 *
 * @module
 */
import type { Event } from "../event/envelope.ts";
import { decodeLineLazily } from "../event/fast_decode.ts";

/** Bytes read from the end of the log. */
const TAIL_BYTES = 64 * 1024;

/** The end of a log. */
export interface LogTail {
  /** The file is non-empty and does not end with a newline. */
  torn: boolean;
  /** The last complete, valid event line, if it fits in the tail window. */
  last?: Event;
}

/**
 * Reads the tail of an open log file.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readTail } from "./log_tail.ts";
 * const path = await Deno.makeTempFile();
 * await Deno.writeTextFile(path, "partial");
 * using file = await Deno.open(path, { read: true });
 * assert.ok((await readTail(file)).torn);
 * ```
 */
export async function readTail(file: Deno.FsFile): Promise<LogTail> {
  const size = (await file.stat()).size;
  if (size === 0) return { torn: false };
  const length = Math.min(size, TAIL_BYTES);
  await file.seek(size - length, Deno.SeekMode.Start);
  const bytes = new Uint8Array(length);
  let read = 0;
  while (read < length) {
    const n = await file.read(bytes.subarray(read));
    if (n === null) break;
    read += n;
  }
  const tail = bytes.subarray(0, read);
  const torn = tail[tail.length - 1] !== 0x0a;
  const end = tail.lastIndexOf(0x0a);
  if (end <= 0) return { torn };
  const start = tail.lastIndexOf(0x0a, end - 1) + 1;
  if (start === 0 && length < size) return { torn }; // the line began before the window
  const decoded = await decodeLineLazily(new TextDecoder().decode(tail.subarray(start, end)));
  return decoded.ok ? { torn, last: decoded.event } : { torn };
}
