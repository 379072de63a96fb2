/**
 * Reading logs for a file export without decoding them: each log is read
 * in file order through the byte readers (as `cost` reads), and each
 * matching execution event is handed over as a row over the reused view,
 * to be encoded on the spot. Lines the view cannot stand for (free text
 * such as an error message set, or a layout the readers leave to the full
 * path) are decoded on the spot too, in their place (so the order of the
 * items is the order of the lines, however the log is cut into blocks and
 * ranges), but for the few that need the schemas or have unknown values:
 * those come decoded after their block. Each event id is exported once: copies of the ids a
 * first pass found repeated are held back and settled at the end as `cost`
 * settles them (the first in the total order is kept).
 *
 * @module
 */
import type { Event } from "../event/envelope.ts";
import type { ExecutionEvent } from "../event/execution.ts";
import { EXECUTION_EVENT } from "../event/fields.ts";
import { type EventSink, lineSinkOf } from "../read/event_sink.ts";
import type { LineSink } from "../read/byte_blocks.ts";
import type { ByteChunk } from "../read/byte_scan.ts";
import { lineEnd } from "../read/line_walk.ts";
import { readEvent } from "../event/fast_check.ts";
import { type ExecutionView, LineView } from "../read/line_view.ts";
import { textFieldsNull, ViewEvent } from "./view_event.ts";
import { type LineProblem, scanLogBatches } from "../read/log_reader.ts";
import { PROBLEMS_SHOWN } from "../read/problem_cap.ts";
import type { ByteRange } from "../read/byte_range.ts";
import type { ScanTask, TaskReport } from "../read/parallel_scan.ts";
import { type EventFilter, matches } from "../query/filter.ts";
import { RowPricer } from "./row_cost.ts";
import type { PricingTable } from "../cost/pricing.ts";
import { hasHash, HashList, idHashAt, idHashOf } from "../cost/id_hash.ts";
import { settle } from "../cost/exactly_once.ts";
import type { ExportRow } from "./otlp_mapping.ts";

/** A line's id hash: the reader's (the wasm kernel's), else from the id's bytes. */
function hashOf(view: LineView): number {
  const known = view.idHash;
  return known !== undefined && known === known ? known : idHashAt(view.idData(), view.idFrom);
}

/** What {@linkcode scanForExport} needs besides the logs. */
export interface ExportScanOptions {
  /** Which events to export. */
  filter: EventFilter;
  /** Prices, for cost and the canonical model. */
  pricing: PricingTable;
  /**
   * Sorted id hashes a first pass found repeated (`selectionRepeats`): every
   * copy of these, selected or not, is held and settled at the end.
   */
  repeated: Float64Array;
  /**
   * How far to read each log (by index in `paths`; default: to its end):
   * the sizes seen before the first pass, so that lines appended meanwhile
   * are left to the next export rather than read by one pass only.
   */
  sizes?: readonly number[];
  /** Whether rows need the free text (default true; metrics read no `error`: no decoding for it). */
  freeText?: boolean;
}

/** A file's size (0 when it cannot be read: the scan then reports nothing new). */
export function fileSize(path: string): Promise<number> {
  return Deno.stat(path).then((s) => s.size, () => 0);
}

/** The scan's options without the sizes (what a worker is handed). */
export type RangeScanOptions = Omit<ExportScanOptions, "sizes">;

/**
 * Writes the item of a row from its line's bytes `chunk.bytes[from, to)`,
 * if it can (`ItemRun.fast`: a verbatim line, see `ExecutionView.verbatim`,
 * or one in the Python layout spelt as the tool would; it also checks the
 * free text is null); false leaves it to `each` (or to decoding).
 */
export type VerbatimItem = (
  chunk: ByteChunk,
  from: number,
  to: number,
  row: ExportRow,
  verbatim: boolean,
) => boolean;

/**
 * Reads ranges of logs for an export, handing `each` a row for every
 * matching execution event whose id is not repeated; events of repeated
 * ids are kept in {@linkcode ExportScanner.held}, the copies the filter
 * leaves out too (the first copy of all is the one that counts), to be
 * settled once every range is read (see {@linkcode settleHeld}). The row (and its event) may
 * be reused for the next one: encode or copy it before returning.
 */
export class ExportScanner {
  /** Events of repeated ids, in the order read. */
  readonly held: ExecutionEvent[] = [];
  readonly #sink: EventSink;
  readonly #lines: LineSink;
  readonly #pricer: RowPricer;
  /** The row of every line read from its bytes (and its event), refilled per line. */
  readonly #viewEvent = new ViewEvent();
  readonly #viewRow: ExportRow = {
    event: this.#viewEvent as unknown as ExecutionEvent,
    cost: { kind: "unpriced", units: 0n, model: null },
    canonicalModel: null,
    provider: null,
  };

  /**
   * With `collect`: the id hash of every matching execution event read, for
   * finding repeated ids (`repeatedHashes`) as `cost`'s scan finds them.
   */
  readonly ids: HashList | undefined;

  /** With `collect`: the id hash of every execution event the filter left out. */
  readonly others: HashList | undefined;

  /** A scanner that hands rows to `each` (and collects id hashes when told). */
  constructor(
    readonly options: RangeScanOptions,
    readonly each: (row: ExportRow) => void,
    collect = false,
    fast?: VerbatimItem,
  ) {
    const { filter, repeated } = options;
    const needText = options.freeText ?? true;
    this.#pricer = new RowPricer(options.pricing);
    const ids = this.ids = collect ? new HashList() : undefined;
    const others = this.others = collect ? new HashList() : undefined;
    const isRepeated = (hash: number) => repeated.length > 0 && hasHash(repeated, hash);
    this.#sink = {
      execution: (view: ExecutionView): boolean => {
        if (!matches(view, filter)) {
          if (others === undefined && repeated.length === 0) return true;
          if (!(view instanceof LineView)) return false;
          const hash = hashOf(view);
          // A left-out copy of a repeated id may be the one that counts: decoded and held.
          if (isRepeated(hash)) return false;
          others?.push(hash);
          return true;
        }
        if (!(view instanceof LineView)) return false;
        // The view has no free text: a line with some set (or any doubt) is decoded. The wasm
        // writer checks the free text itself (and leaves the line here when some is set): looked
        // for in JS first, it cost 2-3% of the export's CPU (the Python layout's lines).
        if (needText && fast === undefined && !textFieldsNull(view)) return false;
        const hash = hashOf(view);
        if (isRepeated(hash)) return false;
        this.#viewEvent.read(view);
        const row = this.#viewRow;
        // The readers checked the time: read from the bytes as unixMicros reads the text.
        const ms = view.timeMs();
        this.#pricer.price(row, ms);
        row.micros = Math.round(ms * 1000);
        if (fast !== undefined) {
          if (fast(view.chunk!, view.lineStart, view.lineEnd, row, view.verbatim)) {
            ids?.push(hash);
            return true;
          }
          if (!textFieldsNull(view)) return false;
        }
        ids?.push(hash);
        each(row);
        return true;
      },
      otherTypes: false,
      events: (events: Event[]): void => {
        for (const event of events) take(event);
      },
    };
    const take = (event: Event) => {
      if (event.event_type !== EXECUTION_EVENT) return;
      const hash = idHashOf(event.event_id);
      const selected = matches(event, filter);
      (selected ? ids : others)?.push(hash);
      if (isRepeated(hash)) this.held.push(event as ExecutionEvent);
      else if (selected) each(this.rowOf(event as ExecutionEvent));
    };
    // A line the view leaves is decoded here, in its place, when it reads as an event as it
    // stands; else (no JSON, the schemas needed, unknown values) the reader decodes it.
    const views = lineSinkOf(this.#sink);
    const decoder = new TextDecoder();
    this.#lines = (chunk, start, line) => {
      const stop = views(chunk, start, line);
      this.#lines.runLines = views.runLines;
      if (stop >= 0) return stop;
      const end = lineEnd(chunk, start);
      const event = eventOf(decoder.decode(chunk.bytes.subarray(start, end)));
      if (event === undefined) return stop;
      take(event);
      return end;
    };
    // Blocks read into the wasm kernel's memory, scanned there (a stream's were copied in: 4%).
    this.#lines.home = views.home;
  }

  /** The row of an event: its cost, canonical model and provider. */
  rowOf(event: ExecutionEvent): ExportRow {
    return this.#pricer.rowOf(event);
  }

  /**
   * Reads one line-aligned range of a log, telling `onProblem` of lines
   * that are no events (numbered from the range's start), yielding after
   * each block read: the scan hands back control only then (or when it
   * decodes a line). Returns the number of lines read.
   */
  async *range(
    path: string,
    range: ByteRange,
    onProblem: (problem: LineProblem) => void = () => {},
  ): AsyncGenerator<void, number> {
    // A line-number list asked for makes every block yield (a batch maybe empty).
    const scan = scanLogBatches(path, onProblem, range, this.#lines, PROBLEMS_SHOWN, []);
    let step = await scan.next();
    for (; !step.done; step = await scan.next()) {
      this.#sink.events(step.value);
      yield;
    }
    return step.value;
  }
}

/** The event a line's text stands for as it is (no schemas, no unknown values), if any. */
function eventOf(text: string): Event | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const read = readEvent(value);
  return read && !read.invalid ? read.event : undefined;
}

/**
 * Of the events of repeated ids (from every range, selected or not), the
 * one copy of each id that counts, as `cost` settles them: the first in
 * the total order, kept when `filter` selects it; copies and conflicting
 * copies dropped.
 */
export function settleHeld(
  held: readonly ExecutionEvent[],
  filter: EventFilter,
): ExecutionEvent[] {
  const { copies, conflicts } = settle(held as ExecutionEvent[]);
  const dropped = new Set([...copies, ...conflicts]);
  return held.filter((event) => !dropped.has(event) && matches(event, filter));
}

/** What an export's read found (with `collect`; else no ids). */
export interface ExportFound {
  /** The ranges read (for `reportProblems`). */
  tasks: ScanTask[];
  /** What reading each found. */
  reports: TaskReport[];
  /** The id hash of every matching execution event read (for `selectionRepeats`). */
  ids: Float64Array[];
  /** The id hash of every execution event the filter left out. */
  others: Float64Array[];
}

/**
 * Calls `each` with a row for every matching execution event of `paths`
 * (each read up to its size in `sizes`, if given), each id once: events of
 * repeated ids come last. With `collect`, also finds what `cost`'s scan
 * would (lines that are no events, the id hashes).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readForExport } from "./export_scan.ts";
 * const options = { filter: {}, pricing: { updated: null, entries: [] }, repeated: new Float64Array() };
 * const ids: string[] = [];
 * const found = await readForExport(["/none.jsonl"], options, (r) => ids.push(r.event.event_id), true);
 * assert.deepEqual([ids, found.reports[0].lines], [[], 0]);
 * ```
 */
export async function readForExport(
  paths: readonly string[],
  options: ExportScanOptions,
  each: (row: ExportRow) => void,
  collect = false,
): Promise<ExportFound> {
  const scanner = new ExportScanner(options, each, collect);
  const tasks: ScanTask[] = [];
  const reports: TaskReport[] = [];
  for (const [i, path] of paths.entries()) {
    const range = { start: 0, end: options.sizes?.[i] ?? await fileSize(path) };
    const problems: LineProblem[] = [];
    const scan = scanner.range(path, range, (p) => problems.push(p));
    let step = await scan.next();
    while (!step.done) step = await scan.next();
    reports.push({ task: tasks.length, lines: step.value, problems });
    tasks.push({ path, range });
  }
  for (const event of settleHeld(scanner.held, options.filter)) each(scanner.rowOf(event));
  const { ids, others } = scanner;
  return { tasks, reports, ids: ids?.values() ?? [], others: others?.values() ?? [] };
}
