/**
 * Streams the events of one JSONL log, skipping (and reporting) lines that
 * are not valid events.
 *
 * @module
 */
import type { Event } from "../event/envelope.ts";
import { decodeWithSchemas } from "../event/fast_decode.ts";
import { unknownValues } from "../event/field_checks.ts";
import { readEvent } from "../event/fast_check.ts";
import type { ByteChunk } from "./byte_scan.ts";
import { DECODE_EVENT, type LineSink, OVERSIZE, readBlocks } from "./byte_blocks.ts";
import { type ByteRange, rangeReader } from "./byte_range.ts";
import { openLog } from "./open_log.ts";
import { lineEnd, nextLine, withoutCr } from "./line_walk.ts";
import { bytesNotEvent, MIN_EVENT_BYTES, valueNotEvent } from "./not_event.ts";
import { type LineProblem, ProblemCap, PROBLEMS_SHOWN } from "./problem_cap.ts";

export type { LineProblem };

/** Longest line read; longer ones are skipped unread (no event is that large). */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

/** Receives one diagnostic line (the CLI prints it on stderr). */
export type WarningSink = (message: string) => void;

/**
 * Formats a problem the way warnings name places: `path:line: message`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatProblem } from "./log_reader.ts";
 * assert.ok(formatProblem({ path: "a", line: 3, message: "m" }) === "a:3: m");
 * assert.ok(formatProblem({ path: "a", line: 3, message: "m", more: 2 }) === "a: m");
 * ```
 */
export function formatProblem(problem: LineProblem): string {
  return problem.line > 0 && problem.more === undefined
    ? `${problem.path}:${problem.line}: ${problem.message}`
    : `${problem.path}: ${problem.message}`;
}

/**
 * How many skipped lines a warning made by {@linkcode formatProblem} stands
 * for: a summary's count, else 1. Warning sinks see text only, and must
 * count the lines a summary stands for to report an exact total.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatProblem, problemLines } from "./log_reader.ts";
 * import { summaryProblem } from "./problem_cap.ts";
 * assert.equal(problemLines(formatProblem(summaryProblem("a", 9, 7))), 7);
 * assert.equal(problemLines("a:3: skipped malformed line: not a JSON object"), 1);
 * ```
 */
export function problemLines(warning: string): number {
  const summary = SUMMARY.exec(warning);
  return summary ? Number(summary[1]) : 1;
}

// Kept in step with summaryProblem's wording by this file's example.
const SUMMARY = /: (\d+) more line\(s\) skipped, not shown$/;

/**
 * Yields the valid events of a log (or of one line-aligned byte range of
 * it) in file order, a block's worth at a time. Line numbers in problems
 * count from the start of the range. The first `limit` problems are told in
 * full; the rest are only counted (nothing is built for them) and told at
 * the end as one summary (see {@linkcode ProblemCap}). `sink`, when given,
 * sees each line's bytes first and may take it (see {@linkcode LineSink}).
 * `lines`, when given, is refilled with the line number of each event of
 * the batch just yielded, and every block yields (its batch maybe empty). Returns the number of lines read. A missing log yields nothing, a
 * symbolic link is reported and skipped, anything else but a regular file
 * is refused (see {@linkcode openLog}).
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
  limit: number = PROBLEMS_SHOWN,
  lines?: number[],
): AsyncGenerator<Event[], number> {
  const log = await openLog(path, { symlink: (message) => onProblem({ path, line: 0, message }) });
  if (!log) return 0;
  // A sink with a home for the blocks (the wasm kernel's memory) has them read there.
  const home = sink?.home;
  const stream = home
    ? await rangeReader(log.path, range?.start ?? 0, range?.end ?? Infinity)
    : await log.stream(range?.start, range?.end);
  const decoder = new TextDecoder();
  const cap = new ProblemCap(path, onProblem, limit);
  // Events read with unknown values are counted apart from skipped lines.
  const unknown = new ProblemCap(path, onProblem, limit, "unknown-value");
  let number = 0;
  for await (const block of readBlocks(stream, { maxLineBytes: MAX_LINE_BYTES, home })) {
    if (block === OVERSIZE) {
      cap.tell(++number, `skipped line over ${MAX_LINE_BYTES >> 20} MiB`);
      continue;
    }
    const texts = linesToDecode(block, number, sink, decoder, cap);
    number = texts.lastNumber;
    // Decoding the block's bytes is done; the rest may await the schemas.
    const events: Event[] = [];
    if (lines) lines.length = 0;
    const keep = (event: Event, line: number) => {
      events.push(event);
      lines?.push(line);
    };
    for (const [text, line, complete] of texts.lines) {
      if (text.trim() === "") continue;
      let value: unknown = NOT_JSON;
      try {
        value = JSON.parse(text);
      } catch { /* not an event: settled below */ }
      // A valid envelope is an event, its invalid payload values unknown: no schemas needed.
      const read = value === NOT_JSON ? undefined : readEvent(value);
      if (read) {
        keep(read.event, line);
        if (read.invalid) tellUnknown(unknown, line, read.invalid);
        continue;
      }
      // Past the limit a line that certainly is no event needs no message, nor the schemas.
      const notEvent = () =>
        value === NOT_JSON
          ? !/NaN|Infinity/.test(text) // Python's NaN is no JSON, yet its line may be an event
          : valueNotEvent(value);
      if (cap.full && notEvent()) {
        cap.count(line);
        continue;
      }
      // Only other layouts pay for the schemas and their issues.
      const result = await decodeWithSchemas(text);
      if (result.ok) {
        keep(result.event, line);
        if (result.invalid) tellUnknown(unknown, line, result.invalid);
      } else {
        const why = complete ? result.reason : `torn last line (${result.reason})`;
        cap.tell(line, `skipped malformed line: ${why}`);
      }
    }
    if (events.length > 0 || lines) yield events;
  }
  cap.finish();
  unknown.finish();
  return number;
}

const NOT_JSON = Symbol("not JSON");

/**
 * The `\n` that ends the line at `start`, or -1 when the block ends first:
 * a plain loop over the first bytes (for a line like `{}` cheaper than a
 * native call), then one `indexOf` for a longer line.
 */
function newlineAt(bytes: Uint8Array, start: number, end: number): number {
  const limit = Math.min(end, start + 16);
  for (let i = start; i < limit; i++) if (bytes[i] === 0x0a) return i;
  if (limit === end) return -1;
  const nl = bytes.indexOf(0x0a, limit);
  return nl < end ? nl : -1;
}

/** Names a line's unknown values while the cap has room; past it only counts the line. */
function tellUnknown(cap: ProblemCap, line: number, invalid: Parameters<typeof unknownValues>[0]) {
  if (cap.full) cap.count(line);
  else cap.tell(line, unknownValues(invalid));
}

/**
 * Offers each line of a block to the sink and decodes the ones it leaves:
 * runs of consecutive lines are decoded at once and split, which is what
 * keeps the no-sink case as fast as one decode per block. A line whose bytes
 * show it is no event is not decoded but counted, unless the cap has room to
 * tell it. Returns the texts with their line numbers (and whether each ended
 * in a newline), and the number of the block's last line.
 */
function linesToDecode(
  block: ByteChunk,
  before: number,
  sink: LineSink | undefined,
  decoder: TextDecoder,
  cap: ProblemCap,
): { lines: Array<[string, number, boolean]>; lastNumber: number } {
  const { bytes, end } = block;
  const lines: Array<[string, number, boolean]> = [];
  let number = before;
  let runStart = -1;
  let runNumber = 0;
  let room = cap.room;
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
    let lineStop = -1;
    if (room <= 0) {
      // Past the room, short junk needs neither the sink nor a message: just a count.
      const nl = newlineAt(bytes, start, end);
      if (nl >= 0) {
        lineStop = nl > start && bytes[nl - 1] === 0x0d ? nl - 1 : nl;
        if (lineStop - start < MIN_EVENT_BYTES && bytesNotEvent(bytes, start, lineStop)) {
          flush(start);
          cap.count(number);
          start = nl + 1;
          continue;
        }
      }
    }
    const stop = sink(block, start, number);
    if (stop >= 0) {
      flush(start);
      start = nextLine(block, stop);
      number += sink.runLines ?? 0;
      continue;
    }
    if (lineStop < 0) lineStop = lineEnd(block, start);
    const next = nextLine(block, lineStop);
    if (stop !== DECODE_EVENT && bytesNotEvent(bytes, start, lineStop)) {
      flush(start);
      // Earlier lines of this block take the room first: past it, no line is told.
      if (room-- > 0) {
        lines.push([
          decoder.decode(bytes.subarray(start, lineStop)),
          number,
          bytes[next - 1] === 0x0a,
        ]);
      } else cap.count(number);
    } else if (runStart < 0) {
      runStart = start;
      runNumber = number;
    }
    start = next;
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
