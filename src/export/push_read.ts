/**
 * A push's reads of the logs, from their bytes as a file export reads them
 * (no event decoded unless its line needs it, spans and records written in
 * WebAssembly), log after log in file order, each id once as `cost` counts
 * it (copies of a repeated id held back and the one that counts sent
 * last). The first read finds what `cost` would warn of, repeated ids,
 * and how many events are not sent yet; the second makes the request
 * bodies, each with the keys of the events it carries (`sent_ids.ts`).
 *
 * @module
 */
import {
  type ExportFound,
  ExportScanner,
  type RangeScanOptions,
  settleHeld,
  type VerbatimItem,
} from "./export_scan.ts";
import type { ExportRow } from "./otlp_mapping.ts";
import type { ItemSignal } from "./otlp_encode.ts";
import { ByteOut } from "./byte_out.ts";
import { ItemRun } from "./line_bytes.ts";
import { outBuffer, releaseBuffer } from "./item_kernel.ts";
import { BodyCutter, MAX_BODY_BYTES } from "./request_bodies.ts";
import { type IdKey, keyOfBytes, keyOfId } from "./sent_ids.ts";
import { ViewEvent } from "./view_event.ts";
import { compareEvents } from "../event/order.ts";
import type { Event } from "../event/envelope.ts";
import type { LineProblem } from "../read/log_reader.ts";
import type { ScanTask, TaskReport } from "../read/parallel_scan.ts";

/** The logs a push reads, how far (their sizes before the first read), and what it takes. */
export interface PushLogs {
  /** The logs, in the order sent. */
  paths: readonly string[];
  /** How far to read each. */
  sizes: readonly number[];
  /** Filter, pricing and the ids a first read found repeated. */
  options: RangeScanOptions;
}

/** The key of an event's id: from the line's bytes when it was read from them. */
export function keyOfEvent(event: Pick<Event, "event_id">, out: IdKey): IdKey {
  if (event instanceof ViewEvent) {
    keyOfBytes(event.bytes, event.idAt, event.idAt + 26, true, out);
    return out;
  }
  return keyOfId(event.event_id, out);
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

/** What the first read found. */
export interface PushCheck extends ExportFound {
  /** Matching execution events (every copy) whose key `wasSent` does not know. */
  unsent: number;
  /** Those it knows. */
  sent: number;
}

/**
 * The first read: what `cost` would warn of, the id hashes (for
 * `selectionRepeats`), and how many events `wasSent` (told each event and
 * its key) rules out: when all, no second read is needed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkPush } from "./push_read.ts";
 * const options = { filter: {}, pricing: { updated: null, entries: [] }, repeated: new Float64Array() };
 * const found = await checkPush({ paths: ["/none.jsonl"], sizes: [0], options }, () => false);
 * assert.equal(found.unsent, 0);
 * ```
 */
export async function checkPush(
  logs: PushLogs,
  wasSent: (event: ExportRow["event"], key: IdKey) => boolean,
): Promise<PushCheck> {
  let sent = 0;
  let all = 0;
  const key: IdKey = [0, 0];
  const each = (row: ExportRow) => {
    all++;
    if (wasSent(row.event, keyOfEvent(row.event, key))) sent++;
  };
  // No item written: rows come as the second read's do, `each` told all that `fast` is not.
  const scanner = new ExportScanner(logs.options, each, true, () => false);
  const scan = readAll(logs, scanner);
  let step = await scan.next();
  while (!step.done) step = await scan.next();
  const ids = scanner.ids!.values();
  const others = scanner.others!.values();
  return { ...step.value, ids, others, unsent: all - sent, sent };
}

/** One request: its body (valid until the next is asked for) and its events' keys. */
export interface PushBody {
  /** A whole `TracesData` or `LogsData` object. */
  bytes: Uint8Array<ArrayBuffer>;
  /** The keys of the events in it, two halves each (`keyBytes` makes a file's bytes of them). */
  keys: number[];
}

/** Bytes of the buffer items are written into before they are cut into bodies. */
const OUT_BYTES = 1 << 20;

/**
 * The second read: the bodies of `signal`, in order, of the events whose
 * key `wasSent` does not know; `skipped` counts those it knows.
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
  wasSent: (key: IdKey) => boolean,
  skipped: { count: number } = { count: 0 },
  maxBytes: number = MAX_BODY_BYTES,
): AsyncGenerator<PushBody> {
  const cutter = new BodyCutter(signal, project, undefined, maxBytes);
  // The keys of the items written, in order; those before `head` are in bodies already.
  let keys: number[] = [];
  let head = 0;
  const home = outBuffer(OUT_BYTES) ?? new Uint8Array(OUT_BYTES);
  const out = new ByteOut(home, (bytes) => {
    // Copied into the body being made: the buffer is free again at once.
    cutter.add({ bytes, starts: items.take() });
    return home;
  });
  const items = new ItemRun(signal, out);
  const key: IdKey = [0, 0];
  const fresh = (row: ExportRow) => {
    if (wasSent(keyOfEvent(row.event, key))) return (skipped.count++, false);
    keys.push(key[0], key[1]);
    return true;
  };
  const each = (row: ExportRow) => {
    if (fresh(row)) items.row(row);
  };
  const fast: VerbatimItem = (chunk, from, to, row, verbatim) => {
    if (!fresh(row)) return true;
    if (items.fast(chunk, from, to, row, verbatim)) return true;
    // Left to `each`, which notes its key again.
    keys.length -= 2;
    return false;
  };
  const finished = function* (): Generator<PushBody> {
    for (const body of cutter.take()) {
      yield { bytes: body.bytes, keys: keys.slice(2 * head, 2 * (head + body.items)) };
      // Asked for the next: this one is sent.
      cutter.reuse(body);
      head += body.items;
    }
    if (head > 4096 && head * 4 > keys.length) {
      keys = keys.slice(2 * head);
      head = 0;
    }
  };
  try {
    // Each body is sent (the caller awaits it) before more of the log is read.
    const scanner = new ExportScanner(logs.options, each, false, fast);
    const scan = readAll(logs, scanner);
    for (let step = await scan.next(); !step.done; step = await scan.next()) yield* finished();
    // The copies of repeated ids that count, in the total order, last.
    for (const event of settleHeld(scanner.held.sort(compareEvents), logs.options.filter)) {
      each(scanner.rowOf(event));
    }
    out.flush();
    cutter.end();
    yield* finished();
  } finally {
    releaseBuffer(home);
  }
}
