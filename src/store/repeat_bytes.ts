/**
 * For `verify`: whether a line that repeats an earlier event id is a
 * byte-exact repeat of the line that first held it (counted once, and
 * `verify --repair` drops it) or has other bytes (another layout of the
 * same event, or other content: `cost` counts one of the two, and a person
 * must choose). Read only when a log repeats an id: a second read of the
 * log picks out the lines concerned.
 *
 * @module
 */
import { readLineBatches } from "../read/line_reader.ts";
import { MAX_LINE_BYTES } from "../read/log_reader.ts";
import { openLog } from "../read/open_log.ts";

/** A repeated id: the line that first held it and the line repeating it (1-based). */
export interface Repeat {
  /** The line that first held the id. */
  first: number;
  /** The line repeating it. */
  line: number;
}

/**
 * True for each repeat whose line has the same bytes as the first line
 * (false when either cannot be read again, say the log was replaced).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sameBytes } from "./repeat_bytes.ts";
 * const path = await Deno.makeTempFile();
 * await Deno.writeTextFile(path, '{"a":1}\n{"a":1}\n{"a": 1}\n');
 * assert.deepEqual(await sameBytes(path, [{ first: 1, line: 2 }, { first: 1, line: 3 }]), [true, false]);
 * ```
 */
export async function sameBytes(path: string, repeats: readonly Repeat[]): Promise<boolean[]> {
  const wanted = new Set(repeats.flatMap((r) => [r.first, r.line]));
  const texts = new Map<number, string>();
  const log = repeats.length === 0 ? undefined : await openLog(path);
  // The read stops at the last line wanted.
  const last = Math.max(0, ...wanted);
  if (log) {
    read: for await (
      const batch of readLineBatches(await log.stream(), { maxLineBytes: MAX_LINE_BYTES })
    ) {
      for (const line of batch) {
        if (wanted.has(line.number) && !line.oversize) texts.set(line.number, line.text);
        if (line.number >= last) break read;
      }
    }
  }
  return repeats.map((r) => texts.has(r.first) && texts.get(r.first) === texts.get(r.line));
}

/**
 * The end of a `duplicate-id` finding's message: what the repeat does to
 * the totals and the fix.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { repeatAdvice } from "./repeat_bytes.ts";
 * assert.match(repeatAdvice(true), /--repair/);
 * ```
 */
export function repeatAdvice(same: boolean): string {
  return same
    ? " (the same bytes: counted once; verify --repair drops the repeat)"
    : ", with other bytes (another layout, or other content: cost counts one of the two, " +
      "the first in clock order); keep the right line and delete the other";
}
