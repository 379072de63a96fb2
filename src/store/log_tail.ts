/**
 * What the end of a log says, read in O(1): whether the last line is torn,
 * and the last whole event (the highest clock a locked append wrote).
 *
 * @module
 */
import type { Event } from "../event/envelope.ts";
import { decodeLineLazily } from "../event/fast_decode.ts";
import { openLog } from "../read/open_log.ts";

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
 * Reads the tail of a log (a missing one is empty). The caller holds the
 * feature's lock, so no append moves the end while it is read.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readTail } from "./log_tail.ts";
 * const path = await Deno.makeTempFile();
 * await Deno.writeTextFile(path, "partial");
 * assert.ok((await readTail(path)).torn);
 * assert.ok(!(await readTail(`${path}.missing`)).torn);
 * ```
 */
export async function readTail(path: string): Promise<LogTail> {
  const log = await openLog(path);
  if (!log || log.size === 0) return { torn: false };
  const size = log.size;
  const length = Math.min(size, TAIL_BYTES);
  const window = await log.stream(size - length, size);
  const tail = new Uint8Array(await new Response(window).arrayBuffer());
  const torn = tail[tail.length - 1] !== 0x0a;
  const end = tail.lastIndexOf(0x0a);
  if (end <= 0) return { torn };
  const start = tail.lastIndexOf(0x0a, end - 1) + 1;
  if (start === 0 && length < size) return { torn }; // the line began before the window
  const decoded = await decodeLineLazily(new TextDecoder().decode(tail.subarray(start, end)));
  return decoded.ok ? { torn, last: decoded.event } : { torn };
}
