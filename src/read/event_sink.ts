/**
 * The one interface between the byte readers and what is computed from a
 * log (cost sums, query results): a sink is handed execution events as
 * views read straight from the bytes, and every other line decoded, so
 * callers never see the readers' verdicts. Only {@linkcode lineSinkOf}
 * switches on them.
 *
 * @module
 */
import type { Event } from "../event/envelope.ts";
import { DECODE_LINE, type LineSink } from "./byte_blocks.ts";
import { type ExecutionView, LINE } from "./canonical_bytes.ts";
import { FOLDED, WasmReader } from "./wasm_reader.ts";
import type { FoldPlan } from "./wasm/fold_table.ts";
import { type LineProblem, scanLogBatches } from "./log_reader.ts";
import type { ByteRange } from "./byte_range.ts";
import { VerbatimReader } from "./other_lines.ts";

/** Receives a log's events: fast ones as views, the rest decoded. */
export interface EventSink {
  /**
   * An execution event read from its bytes (the view is reused for the next
   * line: copy what you keep); `line` is its number in the log (or range).
   * Return true when done with it, false to have the line decoded and handed
   * to {@linkcode EventSink.events} as well.
   */
  execution(view: ExecutionView, line: number): boolean;
  /**
   * Whether lines of other event types are wanted: true has them decoded and
   * handed to `events`; false skips them unread (a line the readers cannot
   * vouch for is always decoded, since it may be an execution event).
   */
  readonly otherTypes: boolean;
  /**
   * With `otherTypes`: a line of another type read from its bytes when it
   * is verbatim (see `other_lines.ts`; reused for the next line). Return
   * true when done with it, false to have it decoded. Left out: decoded.
   */
  other?(line: VerbatimReader, number: number): boolean;
  /** Events decoded by the full path (schemas), in file order, a block's worth at a time. */
  events(events: Event[]): void;
  /**
   * For a sink that only sums: the lines the wasm kernel vouches for are
   * summed in the kernel by this plan (see `wasm/fold_table.ts`), never
   * handed to `execution`; the sums come to the plan by the end of
   * {@linkcode readLog}.
   */
  readonly fold?: FoldPlan;
}

/**
 * The line-level sink that feeds `sink`: one reader, both layouts.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ByteChunk } from "./byte_scan.ts";
 * import { DECODE_LINE } from "./byte_blocks.ts";
 * import { lineSinkOf } from "./event_sink.ts";
 * const other = '{"event_id":"01KHJVJWDM0HGAGYGXJYKD1JQG","event_type":"Note","x":1}\n';
 * const chunk = new ByteChunk(new TextEncoder().encode(other));
 * const skip = lineSinkOf({ execution: () => true, otherTypes: false });
 * assert.equal(skip(chunk, 0, 1), other.length - 1);
 * const keep = lineSinkOf({ execution: () => true, otherTypes: true });
 * assert.equal(keep(chunk, 0, 1), DECODE_LINE);
 * ```
 */
export function lineSinkOf(
  sink: Pick<EventSink, "execution" | "otherTypes" | "other">,
): LineSink {
  return readerSink(sink, new WasmReader());
}

/** {@linkcode lineSinkOf} through `reader` (one that may fold, see {@linkcode readLog}). */
function readerSink(
  sink: Pick<EventSink, "execution" | "otherTypes" | "other">,
  reader: WasmReader,
): LineSink {
  const skipOthers = !sink.otherTypes;
  reader.skipOthers = skipOthers;
  const others = sink.otherTypes && sink.other ? new VerbatimReader() : undefined;
  const lines: LineSink = (chunk, start, line) => {
    lines.runLines = 0;
    const found = reader.read(chunk, start);
    if (found === LINE.EXECUTION) {
      return sink.execution(reader.view, line) ? reader.lineEnd : DECODE_LINE;
    }
    if (found === FOLDED) {
      // The kernel summed a run of lines: skipped in one step.
      lines.runLines = reader.runLines - 1;
      return reader.lineEnd;
    }
    if (found !== LINE.OTHER_TYPE) return DECODE_LINE;
    if (skipOthers) return reader.lineEnd;
    return others && others.read(chunk, start) && sink.other!(others, line)
      ? others.lineEnd
      : DECODE_LINE;
  };
  lines.home = reader.home;
  return lines;
}

/**
 * Feeds every event of a log (or of one line-aligned range of it) to
 * `sink`; lines that are not events go to `onProblem`, numbered from the
 * range's start. Returns the number of lines read.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readLog } from "./event_sink.ts";
 * const path = await Deno.makeTempFile();
 * await Deno.writeTextFile(path, "not json\n");
 * const problems: string[] = [];
 * const sink = { execution: () => true, otherTypes: true, events: () => {} };
 * assert.equal(await readLog(path, sink, (p) => problems.push(p.message)), 1);
 * assert.equal(problems.length, 1);
 * ```
 */
export async function readLog(
  path: string,
  sink: EventSink,
  onProblem: (problem: LineProblem) => void,
  range?: ByteRange,
): Promise<number> {
  const reader = new WasmReader(sink.fold);
  const scan = scanLogBatches(path, onProblem, range, readerSink(sink, reader));
  let step = await scan.next();
  for (; !step.done; step = await scan.next()) sink.events(step.value);
  reader.finish();
  return step.value;
}
