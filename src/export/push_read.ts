/**
 * A push's two reads of the logs, from their bytes as a file export reads
 * them (no event decoded unless its line needs it, spans and records
 * written in WebAssembly), log after log in file order: the order the
 * requests go in. The cursor marks each feature and node's highest clock
 * sent after each accepted request, which is only right when that order
 * has each feature and node's clocks rising: the first read checks it
 * (and finds what `cost` would warn of, and repeated ids); the second
 * makes the request bodies, each with the events it carries.
 *
 * @module
 */
import {
  type ExportFound,
  ExportScanner,
  type RangeScanOptions,
  type VerbatimItem,
} from "./export_scan.ts";
import type { ExportRow } from "./otlp_mapping.ts";
import type { ItemSignal } from "./otlp_encode.ts";
import { ByteOut } from "./byte_out.ts";
import { ItemRun } from "./line_bytes.ts";
import { outBuffer, releaseBuffer } from "./item_kernel.ts";
import { BodyCutter, MAX_BODY_BYTES } from "./request_bodies.ts";
import { ClockOrder, type CursorEvent } from "./export_cursor.ts";
import type { LineProblem } from "../read/log_reader.ts";
import type { ScanTask, TaskReport } from "../read/parallel_scan.ts";

/** The logs a push reads, how far (their sizes before the first read), and what it takes. */
export interface PushLogs {
  /** The logs, in the order sent. */
  paths: readonly string[];
  /** How far to read each. */
  sizes: readonly number[];
  /** Filter and pricing (no repeated ids: a push with some reads in the total order instead). */
  options: RangeScanOptions;
}

/** What the first read found. */
export interface PushCheck extends ExportFound {
  /** Whether each feature and node's clocks rise in the order sent (a cursor mark per request holds). */
  clocksRise: boolean;
  /** The matching execution events not sent before (as `wasSent` tells). */
  unsent: number;
  /** Those sent before. */
  sent: number;
}

/** Reads the logs in the order sent, yielding after each block read; returns what it found. */
async function* readAll(
  logs: PushLogs,
  scanner: ExportScanner,
): AsyncGenerator<void, Pick<ExportFound, "tasks" | "reports">> {
  const tasks: ScanTask[] = [];
  const reports: TaskReport[] = [];
  for (const [i, path] of logs.paths.entries()) {
    const range = { start: 0, end: logs.sizes[i] };
    const problems: LineProblem[] = [];
    const scan = scanner.range(path, range, (p) => problems.push(p));
    let step = await scan.next();
    for (; !step.done; step = await scan.next()) yield;
    reports.push({ task: tasks.length, lines: step.value, problems });
    tasks.push({ path, range });
  }
  return { tasks, reports };
}

/** The first read's stand-in for the wasm writer: nothing written, so rows come as the second read's do. */
const writesNothing: VerbatimItem = () => false;

/**
 * The first read: what `cost` would warn of, the id hashes (for
 * `selectionRepeats`), whether the clocks rise, and how many events
 * `wasSent` rules out (when all, no second read is needed).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkPush } from "./push_read.ts";
 * const options = { filter: {}, pricing: { updated: null, entries: [] }, repeated: new Float64Array() };
 * const found = await checkPush({ paths: ["/none.jsonl"], sizes: [0], options });
 * assert.equal(found.clocksRise, true);
 * ```
 */
export async function checkPush(
  logs: PushLogs,
  wasSent: (event: CursorEvent) => boolean = () => false,
): Promise<PushCheck> {
  const order = new ClockOrder();
  let sent = 0;
  const each = (row: ExportRow) => {
    order.add(row.event);
    if (wasSent(row.event)) sent++;
  };
  const scanner = new ExportScanner(logs.options, each, true, writesNothing);
  const scan = readAll(logs, scanner);
  let step = await scan.next();
  while (!step.done) step = await scan.next();
  // Rows of repeated ids would be settled and sent last, out of this order: the caller checks.
  const ids = scanner.ids!.values();
  const others = scanner.others!.values();
  const unsent = order.count - sent;
  return { ...step.value, ids, others, clocksRise: order.rises, unsent, sent };
}

/** One request: its body (valid until the next is asked for) and the events it carries. */
export interface PushBody {
  /** A whole `TracesData` or `LogsData` object. */
  bytes: Uint8Array<ArrayBuffer>;
  /** The events in it, in order. */
  events: CursorEvent[];
}

/** Bytes of the buffer items are written into before they are cut into bodies. */
const OUT_BYTES = 1 << 20;

/**
 * The second read: the bodies of `signal`, in order, of the events
 * `wasSent` does not rule out; `skipped` counts those it does.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pushBodies } from "./push_read.ts";
 * const options = { filter: {}, pricing: { updated: null, entries: [] }, repeated: new Float64Array() };
 * const logs = { paths: ["/none.jsonl"], sizes: [0], options };
 * assert.deepEqual(await Array.fromAsync(pushBodies(logs, "logs", "p", () => false)), []);
 * ```
 */
export async function* pushBodies(
  logs: PushLogs,
  signal: ItemSignal,
  project: string,
  wasSent: (event: CursorEvent) => boolean,
  skipped: { count: number } = { count: 0 },
  maxBytes: number = MAX_BODY_BYTES,
): AsyncGenerator<PushBody> {
  const cutter = new BodyCutter(signal, project, undefined, maxBytes);
  // The events written, in item order; those before `head` are in bodies already.
  let queue: CursorEvent[] = [];
  let head = 0;
  const home = outBuffer(OUT_BYTES) ?? new Uint8Array(OUT_BYTES);
  const out = new ByteOut(home, (bytes) => {
    // Copied into the body being made: the buffer is free again at once.
    cutter.add({ bytes, starts: items.take() });
    return home;
  });
  const items = new ItemRun(signal, out);
  const note = ({ aggregate_id, node_id, lamport_clock }: CursorEvent) => {
    queue.push({ aggregate_id, node_id, lamport_clock });
  };
  const each = (row: ExportRow) => {
    if (wasSent(row.event)) skipped.count++;
    else (items.row(row), note(row.event));
  };
  const fast: VerbatimItem = (chunk, from, to, row, verbatim) => {
    if (wasSent(row.event)) return (skipped.count++, true);
    if (!items.fast(chunk, from, to, row, verbatim)) return false;
    note(row.event);
    return true;
  };
  const finished = function* (): Generator<PushBody> {
    for (const body of cutter.take()) {
      yield { bytes: body.bytes, events: queue.slice(head, head + body.items) };
      // Asked for the next: this one is sent.
      cutter.reuse(body);
      head += body.items;
    }
    if (head > 4096 && head * 2 > queue.length) {
      queue = queue.slice(head);
      head = 0;
    }
  };
  try {
    // Each body is sent (the caller awaits it) before more of the log is read.
    const scan = readAll(logs, new ExportScanner(logs.options, each, false, fast));
    for (let step = await scan.next(); !step.done; step = await scan.next()) yield* finished();
    out.flush();
    cutter.end();
    yield* finished();
  } finally {
    releaseBuffer(home);
  }
}
