/**
 * Streams the events of one JSONL log, skipping (and reporting) lines that
 * are not valid events.
 *
 * @module
 */
import type { Event } from "../event/envelope.ts";
import { decodeWithSchemas, fastDecode } from "../event/fast_decode.ts";
import { readLineBatches } from "../read/line_reader.ts";
import { type ByteRange, rangeStream } from "../read/byte_range.ts";

/** Longest line read; longer ones are skipped unread (no event is that large). */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

/** Receives one diagnostic line (the CLI prints it on stderr). */
export type WarningSink = (message: string) => void;

/** A line that was skipped; `line` is 0 for problems with the whole file. */
export interface LineProblem {
  path: string;
  line: number;
  message: string;
}

/**
 * Formats a problem the way warnings name places: `path:line: message`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatProblem } from "./log_reader.ts";
 * assert.ok(formatProblem({ path: "a", line: 3, message: "m" }) === "a:3: m");
 * ```
 */
export function formatProblem(problem: LineProblem): string {
  return problem.line > 0
    ? `${problem.path}:${problem.line}: ${problem.message}`
    : `${problem.path}: ${problem.message}`;
}

/**
 * Yields the valid events of a log (or of one line-aligned byte range of
 * it) in file order, a chunk's worth at a time. Line numbers in problems
 * count from the start of the range. `keep`, when given, skips lines before
 * they are parsed. Returns the number of lines read.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { scanLogBatches } from "./log_reader.ts";
 * const batches = await Array.fromAsync(scanLogBatches("/nonexistent.jsonl", () => {}));
 * assert.ok(batches.length === 0);
 * ```
 */
export async function* scanLogBatches(
  path: string,
  onProblem: (problem: LineProblem) => void,
  range?: ByteRange,
  keep?: (line: string) => boolean,
): AsyncGenerator<Event[], number> {
  let stream: ReadableStream<Uint8Array>;
  try {
    if ((await Deno.lstat(path)).isSymlink) {
      onProblem({
        path,
        line: 0,
        message: "is a symbolic link; not following it out of the project",
      });
      return 0;
    }
    stream = await rangeStream(path, range?.start ?? 0, range?.end ?? Infinity);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return 0;
    throw error;
  }
  let lines = 0;
  for await (const batch of readLineBatches(stream, { maxLineBytes: MAX_LINE_BYTES })) {
    const events: Event[] = [];
    for (const line of batch) {
      lines = line.number;
      if (line.oversize) {
        onProblem({
          path,
          line: line.number,
          message: `skipped line over ${MAX_LINE_BYTES >> 20} MiB`,
        });
        continue;
      }
      if (line.text.trim() === "") continue;
      // Lines that cannot matter to the caller are not parsed (nor reported).
      if (keep && !keep(line.text)) continue;
      const fast = fastDecode(line.text);
      if (fast) {
        events.push(fast);
        continue;
      }
      // Only other layouts pay for the schema library (a tenth of a worker's memory).
      const result = await decodeWithSchemas(line.text);
      if (result.ok) {
        events.push(result.event);
      } else {
        const why = line.complete ? result.reason : `torn last line (${result.reason})`;
        onProblem({ path, line: line.number, message: `skipped malformed line: ${why}` });
      }
    }
    if (events.length > 0) yield events;
  }
  return lines;
}

/**
 * Yields each valid event of the file at `path` in file order. A missing
 * file yields nothing. Each malformed non-blank line is reported once,
 * naming the file and line, and skipped; reading goes on.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { scanLog } from "./log_reader.ts";
 * const warnings: string[] = [];
 * for await (const _ of scanLog("/nonexistent.jsonl", (w) => warnings.push(w))) {}
 * assert.ok(warnings.length === 0);
 * ```
 */
export async function* scanLog(path: string, onWarning: WarningSink): AsyncGenerator<Event> {
  for await (const batch of scanLogBatches(path, (p) => onWarning(formatProblem(p)))) {
    yield* batch;
  }
}
