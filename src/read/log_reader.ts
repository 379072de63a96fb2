/**
 * Streams the events of one JSONL log, skipping (and reporting) lines that
 * are not valid events.
 *
 * @module
 */
import type { Event } from "../event/envelope.ts";
import { decodeWithSchemas, fastDecode } from "../event/fast_decode.ts";
import { unknownValues } from "../event/field_checks.ts";
import type { ByteChunk } from "./byte_scan.ts";
import { type LineSink, OVERSIZE, readBlocks } from "./byte_blocks.ts";
import type { ByteRange } from "./byte_range.ts";
import { openLog } from "./open_log.ts";
import { lineEnd, nextLine, withoutCr } from "./line_walk.ts";

/** Longest line read; longer ones are skipped unread (no event is that large). */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

/** Receives one diagnostic line (the CLI prints it on stderr). */
export type WarningSink = (message: string) => void;

/** A line that was skipped; `line` is 0 for problems with the whole file. */
export interface LineProblem {
  /** The log's path. */
  path: string;
  /** 1-based line number; 0 for the whole file. */
  line: number;
  /** What is wrong, without the place. */
  message: string;
  /**
   * Absent: the line was skipped. `unknown-value`: the event was read and
   * counted, with the values named in `message` as unknown.
   */
  kind?: "unknown-value";
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
 * it) in file order, a block's worth at a time. Line numbers in problems
 * count from the start of the range. `sink`, when given, sees each line's
 * bytes first and may take it (see {@linkcode LineSink}). Returns the number
 * of lines read. A missing log yields nothing, a symbolic link is reported
 * and skipped, anything else but a regular file is refused (see
 * {@linkcode openLog}).
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
  sink?: LineSink,
): AsyncGenerator<Event[], number> {
  const log = await openLog(path, { symlink: (message) => onProblem({ path, line: 0, message }) });
  if (!log) return 0;
  const stream = await log.stream(range?.start, range?.end);
  const decoder = new TextDecoder();
  let number = 0;
  for await (const block of readBlocks(stream, { maxLineBytes: MAX_LINE_BYTES })) {
    if (block === OVERSIZE) {
      number++;
      onProblem({ path, line: number, message: `skipped line over ${MAX_LINE_BYTES >> 20} MiB` });
      continue;
    }
    const texts = linesToDecode(block, number, sink, decoder);
    number = texts.lastNumber;
    // Decoding the block's bytes is done; the rest may await the schemas.
    const events: Event[] = [];
    for (const [text, line, complete] of texts.lines) {
      if (text.trim() === "") continue;
      const fast = fastDecode(text);
      if (fast) {
        events.push(fast);
        continue;
      }
      // Only other layouts pay for the schema library (a tenth of a worker's memory).
      const result = await decodeWithSchemas(text);
      if (result.ok) {
        events.push(result.event);
        if (result.invalid) {
          onProblem({ path, line, message: unknownValues(result.invalid), kind: "unknown-value" });
        }
      } else {
        const why = complete ? result.reason : `torn last line (${result.reason})`;
        onProblem({ path, line, message: `skipped malformed line: ${why}` });
      }
    }
    if (events.length > 0) yield events;
  }
  return number;
}

/**
 * Offers each line of a block to the sink and decodes the ones it leaves:
 * runs of consecutive lines are decoded at once and split, which is what
 * keeps the no-sink case as fast as one decode per block. Returns the
 * texts with their line numbers (and whether each ended in a newline), and
 * the number of the block's last line.
 */
function linesToDecode(
  block: ByteChunk,
  before: number,
  sink: LineSink | undefined,
  decoder: TextDecoder,
): { lines: Array<[string, number, boolean]>; lastNumber: number } {
  const { bytes, end } = block;
  const lines: Array<[string, number, boolean]> = [];
  let number = before;
  let runStart = -1;
  let runNumber = 0;
  const flush = (runEnd: number) => {
    if (runStart < 0) return;
    const complete = bytes[runEnd - 1] === 0x0a;
    const texts = decoder.decode(bytes.subarray(runStart, complete ? runEnd - 1 : runEnd))
      .split("\n");
    for (const [i, text] of texts.entries()) {
      lines.push([withoutCr(text), runNumber + i, complete || i < texts.length - 1]);
    }
    runStart = -1;
  };
  if (!sink) {
    runStart = 0;
    runNumber = number + 1;
    flush(end);
    return { lines, lastNumber: number + lines.length };
  }
  for (let start = 0; start < end;) {
    number++;
    const stop = sink(block, start);
    if (stop >= 0) {
      flush(start);
      start = nextLine(block, stop);
      continue;
    }
    if (runStart < 0) {
      runStart = start;
      runNumber = number;
    }
    start = nextLine(block, lineEnd(block, start));
  }
  flush(end);
  return { lines, lastNumber: number };
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
