/**
 * Reading logs for a file export without decoding them: each log is read
 * in file order through the byte readers (as `cost` reads), and each
 * matching execution event is handed over as a row over the reused view,
 * to be encoded on the spot. Lines the view cannot stand for (free text
 * such as an error message set, or a layout the readers leave to the full
 * path) come decoded. Each event id is exported once: copies of the ids a
 * first pass found repeated are held back and settled at the end as `cost`
 * settles them (the first in the total order is kept).
 *
 * @module
 */
import type { Event } from "../event/envelope.ts";
import type { ExecutionEvent } from "../event/execution.ts";
import { EXECUTION_EVENT, PAYLOAD_FIELDS } from "../event/fields.ts";
import { type EventSink, lineSinkOf } from "../read/event_sink.ts";
import { type ExecutionView, LineView } from "../read/line_view.ts";
import { scanLogBatches } from "../read/log_reader.ts";
import { type ByteRange, lineRanges } from "../read/byte_range.ts";
import { type EventFilter, matches } from "../query/filter.ts";
import { eventCost } from "../cost/estimate.ts";
import { canonicalModel } from "../cost/canonical_model.ts";
import { findPrice, type PricingTable } from "../cost/pricing.ts";
import { hasHash, idHashAt, idHashOf } from "../cost/id_hash.ts";
import { settle } from "../cost/exactly_once.ts";
import type { ExportRow } from "./otlp_mapping.ts";

/** What {@linkcode scanForExport} needs besides the logs. */
export interface ExportScanOptions {
  /** Which events to export. */
  filter: EventFilter;
  /** Prices, for cost and the canonical model. */
  pricing: PricingTable;
  /** Sorted id hashes seen on more than one line (`repeatedHashes` of a first pass). */
  repeated: Float64Array;
  /**
   * How far to read each log (by index in `paths`; default: to its end):
   * the sizes seen before the first pass, so that lines appended meanwhile
   * are left to the next export rather than read by one pass only.
   */
  sizes?: readonly number[];
}

/** A file's size (0 when it cannot be read: the scan then reports nothing new). */
export function fileSize(path: string): Promise<number> {
  return Deno.stat(path).then((s) => s.size, () => 0);
}

/** Bytes read between two yields (what is encoded meanwhile is a few times this). */
const RANGE_BYTES = 256 << 10;

/** What pricing says of one model, looked up once per model. */
interface ModelFacts {
  canonicalModel: string | null;
  provider: string | null;
}

/** The scan's options without the sizes (what a worker is handed). */
export type RangeScanOptions = Omit<ExportScanOptions, "sizes">;

/**
 * Reads ranges of logs for an export, handing `each` a row for every
 * matching execution event whose id is not repeated; events of repeated
 * ids are kept in {@linkcode ExportScanner.held}, to be settled once every
 * range is read (see {@linkcode settleHeld}). The row (and its event) may
 * be reused for the next one: encode or copy it before returning.
 */
export class ExportScanner {
  /** Events of repeated ids, in the order read. */
  readonly held: ExecutionEvent[] = [];
  readonly #models = new Map<string | null, ModelFacts>();
  readonly #sink: EventSink;

  /** A scanner that hands rows to `each`. */
  constructor(readonly options: RangeScanOptions, readonly each: (row: ExportRow) => void) {
    const { filter, repeated } = options;
    const isRepeated = (hash: number) => repeated.length > 0 && hasHash(repeated, hash);
    this.#sink = {
      execution: (view: ExecutionView): boolean => {
        if (!matches(view, filter)) return true;
        // The view has no free text: a line with some set (or any doubt) is decoded.
        if (!(view instanceof LineView) || !textFieldsNull(view)) return false;
        if (isRepeated(idHashAt(view.idData(), view.idFrom))) return false;
        each(this.rowOf(eventOf(view)));
        return true;
      },
      otherTypes: false,
      events: (events: Event[]): void => {
        for (const event of events) {
          if (event.event_type !== EXECUTION_EVENT || !matches(event, filter)) continue;
          if (isRepeated(idHashOf(event.event_id))) this.held.push(event as ExecutionEvent);
          else each(this.rowOf(event as ExecutionEvent));
        }
      },
    };
  }

  /** The row of an event: its cost, canonical model and provider. */
  rowOf(event: ExecutionEvent): ExportRow {
    const pricing = this.options.pricing;
    const model = event.payload.model;
    let facts = this.#models.get(model);
    if (!facts) {
      facts = {
        canonicalModel: model === null ? null : canonicalModel(pricing, model),
        provider: (model === null ? undefined : findPrice(pricing, model))?.provider ?? null,
      };
      this.#models.set(model, facts);
    }
    return { event, cost: eventCost(event.payload, pricing), ...facts };
  }

  /**
   * Reads one line-aligned range of a log (problems were reported by the
   * first pass), yielding after each block read: the scan hands back
   * control only then (or when it decodes a line).
   */
  async *range(path: string, range: ByteRange): AsyncGenerator<void> {
    const scan = scanLogBatches(path, () => {}, range, lineSinkOf(this.#sink));
    for (let step = await scan.next(); !step.done; step = await scan.next()) {
      this.#sink.events(step.value);
      yield;
    }
  }
}

/**
 * Of the events of repeated ids (from every range), the one copy of each id
 * that counts, as `cost` settles them: the first in the total order; copies
 * and conflicting copies dropped.
 */
export function settleHeld(held: readonly ExecutionEvent[]): ExecutionEvent[] {
  const { copies, conflicts } = settle(held as ExecutionEvent[]);
  const dropped = new Set([...copies, ...conflicts]);
  return held.filter((event) => !dropped.has(event));
}

/**
 * Calls `each` with a row for every matching execution event of `paths`,
 * each id once. The row (and its event) may be reused for the next one:
 * encode or copy it before returning. Yields after each block read, so the
 * caller can write out what it encoded; events of repeated ids come last.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { scanForExport } from "./export_scan.ts";
 * const options = { filter: {}, pricing: { updated: null, entries: [] }, repeated: new Float64Array() };
 * const ids: string[] = [];
 * await Array.fromAsync(scanForExport(["/none.jsonl"], options, (r) => ids.push(r.event.event_id)));
 * assert.deepEqual(ids, []);
 * ```
 */
export async function* scanForExport(
  paths: readonly string[],
  options: ExportScanOptions,
  each: (row: ExportRow) => void,
): AsyncGenerator<void> {
  const scanner = new ExportScanner(options, each);
  for (const [i, path] of paths.entries()) {
    const size = options.sizes?.[i] ?? await fileSize(path);
    const parts = Math.max(1, Math.ceil(size / RANGE_BYTES));
    for (const range of await lineRanges(path, size, parts)) {
      yield* scanner.range(path, range);
      yield;
    }
  }
  for (const event of settleHeld(scanner.held)) each(scanner.rowOf(event));
  yield;
}

/**
 * The fields the mapping reads, from the view: its payload (free text all
 * null here) and the id and time cut from the bytes as short strings (the
 * view's own getters cut them from the block's text, a string as long as
 * the block made for each block read, which piles up until a full GC).
 */
function eventOf(view: LineView): ExecutionEvent {
  const b = view.chunk!.bytes;
  return {
    event_id: ascii(b, view.idFrom, view.idFrom + 26),
    event_type: EXECUTION_EVENT,
    aggregate_id: view.aggregate_id,
    lamport_clock: view.lamport_clock,
    node_id: view.node_id,
    causation_id: null,
    timestamp: ascii(b, view.from, view.to),
    payload: view.payload,
  } as unknown as ExecutionEvent;
}

/** Bytes the readers checked as ASCII, as a string. */
function ascii(b: Uint8Array, from: number, to: number): string {
  return String.fromCharCode.apply(null, b.subarray(from, to) as unknown as number[]);
}

/** The payload's free-text keys, as the bytes spell them between quotes. */
const TEXT_KEYS = PAYLOAD_FIELDS.filter((f) => f.kind === "text").map((f) =>
  new TextEncoder().encode(`"${f.key}"`)
);
const NEWLINE = 0x0a;
const SPACE = 0x20;
const COLON = 0x3a;
const NULL = new TextEncoder().encode("null");

/**
 * Whether every free-text field of the line `view` was read from is null
 * (or absent, its default): each key is found from the line's end back
 * (a quote inside a string is escaped, so a quoted name followed by a colon
 * is a key), then its value checked for `null`. The readers accepted the
 * line, so each key appears at most once.
 */
function textFieldsNull(view: LineView): boolean {
  const chunk = view.chunk;
  if (chunk === undefined) return false;
  const b = chunk.bytes;
  let end = b.indexOf(NEWLINE, view.to);
  if (end < 0 || end > chunk.end) end = chunk.end;
  for (const key of TEXT_KEYS) {
    let at = end - key.length;
    for (; at >= 0 && b[at] !== NEWLINE; at--) {
      if (b[at] === key[0] && matchesAt(b, at, key)) {
        let p = at + key.length;
        while (b[p] === SPACE) p++;
        if (b[p] !== COLON) continue;
        p++;
        while (b[p] === SPACE) p++;
        if (!matchesAt(b, p, NULL)) return false;
        break;
      }
    }
  }
  return true;
}

function matchesAt(b: Uint8Array, at: number, word: Uint8Array): boolean {
  for (let i = 0; i < word.length; i++) if (b[at + i] !== word[i]) return false;
  return true;
}
