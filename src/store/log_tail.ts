/**
 * What the end of a log says, read in O(1): whether the last line is torn,
 * and the last whole event (the highest clock a locked append wrote).
 *
 * @module
 */
import type { Event } from "../event/envelope.ts";
import { decodeLineLazily } from "../event/fast_decode.ts";
import { type LogFile, openLog } from "../read/open_log.ts";
import { MAX_LINE_BYTES } from "../read/log_reader.ts";

/** Bytes first read from the end of the log; enough for almost every last line. */
const TAIL_BYTES = 64 * 1024;
/** The most read back: a torn part and a last line, each up to the line limit. */
const MAX_WINDOW = 2 * (MAX_LINE_BYTES + 1);

/** The end of a log. */
export interface LogTail {
  /** The file is non-empty and does not end with a newline. */
  torn: boolean;
  /** The last complete, valid event line, if it is within the line limit. */
  last?: Event;
}

/**
 * Reads the tail of a log (a missing one is empty). The caller holds the
 * feature's lock, so no append moves the end while it is read. Usually one
 * 64 KiB read; a longer last line is read back in windows four times larger
 * each, up to the 16 MiB line limit, so its clock is never missed (a
 * missed clock after a crash between append and clock write would be reused).
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
  for (let length = Math.min(size, TAIL_BYTES);; length = Math.min(size, length * 4, MAX_WINDOW)) {
    const tail = await readRange(log, size - length, size);
    const torn = tail[tail.length - 1] !== 0x0a;
    const end = tail.lastIndexOf(0x0a);
    const start = end <= 0 ? 0 : tail.lastIndexOf(0x0a, end - 1) + 1;
    const whole = start > 0 || length === size;
    if (!whole) {
      // The last line began before the window: read further back, unless it
      // is already over the line limit (then no reader takes it anyway).
      const seen = end === -1 ? 0 : end;
      if (seen > MAX_LINE_BYTES || length >= MAX_WINDOW) return { torn };
      continue;
    }
    if (end <= 0 || end - start > MAX_LINE_BYTES) return { torn };
    const decoded = await decodeLineLazily(new TextDecoder().decode(tail.subarray(start, end)));
    return decoded.ok ? { torn, last: decoded.event } : { torn };
  }
}

async function readRange(log: LogFile, start: number, end: number): Promise<Uint8Array> {
  return new Uint8Array(await new Response(await log.stream(start, end)).arrayBuffer());
}
