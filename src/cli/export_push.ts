/**
 * `export --endpoint`: batches to an OTLP/HTTP receiver, and the cursor
 * (`.kittify/export-state.json`, git-ignored) that makes a re-run send only
 * what was not sent. Metrics are cumulative totals, so they are sent whole.
 *
 * @module
 */
import { join } from "node:path";
import type { ExportRow } from "../export/otlp_mapping.ts";
import {
  BATCH_EVENTS,
  type ItemSignal,
  logsLine,
  type Signal,
  tracesLine,
} from "../export/otlp_encode.ts";
import { MAX_BODY_BYTES } from "../export/request_bodies.ts";
import { checkPush, pushBodies, type PushBody, type PushLogs } from "../export/push_read.ts";
import { fileSize } from "../export/export_scan.ts";
import { RowPricer } from "../export/row_cost.ts";
import { selectionRepeats } from "../cost/candidate_lines.ts";
import type { PricingTable } from "../cost/pricing.ts";
import type { Event } from "../event/envelope.ts";
import { isExecutionEvent } from "../event/execution.ts";
import type { EventFilter } from "../query/filter.ts";
import { countedEvents } from "../query/ordered.ts";
import { matchingLogs } from "../query/query.ts";
import { ProjectLayout } from "../store/project_layout.ts";
import {
  type CursorEvent,
  cursorProblem,
  type CursorState,
  cursorTarget,
  type Marks,
  markSent,
  marksFor,
  parseCursor,
  wasSent,
} from "../export/export_cursor.ts";
import type { CliIo } from "./io.ts";
import { warningSink } from "./warnings.ts";
import { ATTEMPT_TIMEOUT_MS, postOtlp, type PushIo, shownUrl, signalUrl } from "./otlp_push.ts";
import { replaceFile } from "../merge/replace_file.ts";
import { costRead, fileExport, warnAsCost } from "./export_file.ts";

/** Where a clone keeps its export cursor. */
export const EXPORT_STATE = join(".kittify", "export-state.json");

/** What to push where. */
export interface PushPlan {
  /** Base endpoint, e.g. `http://localhost:4318`. */
  endpoint: string;
  /** The signal (its path is `/v1/<signal>`). */
  signal: Signal;
  /** Ignore the cursor: send every matching event. */
  full: boolean;
  /** The `kitty.project` resource attribute. */
  project: string;
  /** The filter flags as given (`--agent=["a"]`, …; empty: none): a filtered push has its own cursor. */
  filter: string;
}

/** The push's I/O; tests replace `fetch` and `sleep`. */
export const pushIo = {
  fetch: (input: string | URL | Request, init?: RequestInit) => fetch(input, init),
  sleep: (ms: number) => new Promise<void>((done) => setTimeout(done, ms)),
  timeoutMs: ATTEMPT_TIMEOUT_MS,
};

/** What a push reads, and where it tells what it found. */
export interface PushSource {
  /** Which events (of the execution type only). */
  filter: EventFilter & { types: string[] };
  /** Prices, for each event's cost. */
  pricing: PricingTable;
  /** Told what `cost` would warn of in the logs. */
  warn: (message: string) => void;
  /** Told the bytes that reads on other threads read (the progress line's count). */
  more: (bytes: number) => void;
}

/**
 * Pushes the matching events; the cursor advances after each accepted
 * request. The receiver's answers (retries, partial successes) are told as
 * they come: a push waiting on a busy receiver says so, and one that fails
 * shows its retries before the error.
 */
export async function pushEvents(
  io: CliIo,
  root: string,
  plan: PushPlan,
  source: PushSource,
): Promise<void> {
  const url = signalUrl(plan.endpoint, plan.signal);
  const told = warningSink(io);
  const push: PushIo = { ...pushIo, warn: told.warn, flush: told.flush };
  try {
    await pushTo(io, root, plan, source, url, push);
  } finally {
    await told.flush();
  }
}

async function pushTo(
  io: CliIo,
  root: string,
  plan: PushPlan,
  source: PushSource,
  url: string,
  push: PushIo,
): Promise<void> {
  if (plan.signal === "metrics") {
    // Cumulative totals: the file export's one line, whole, as cost counts the events.
    const parts: Uint8Array[] = [];
    const keep = (bytes: Uint8Array) => (parts.push(bytes.slice()), Promise.resolve());
    const { filter, pricing, warn, more } = source;
    await fileExport(root, "metrics", filter, pricing, plan.project, warn, keep, undefined, more);
    const line = new TextDecoder().decode(concat(parts)).trimEnd();
    await postOtlp(url, line, push);
    return;
  }
  const statePath = join(root, EXPORT_STATE);
  const cursor = await readCursor(statePath, push.warn);
  // Kept without credentials: the file is plain text, and one endpoint is one cursor whoever logs in.
  const marks = marksFor(cursor, cursorTarget(plan.signal, shownUrl(url), plan.filter));
  const skipped = { count: 0 };
  let sent = 0;
  for await (const body of requests(root, plan, source, marks, skipped)) {
    await postOtlp(url, body.bytes, push);
    markSent(marks, body.events);
    await writeCursor(statePath, cursor);
    sent += body.events.length;
  }
  await push.flush();
  await io.stderr(
    `export: sent ${sent} event(s) to ${shownUrl(url)}${
      skipped.count > 0 ? `; ${skipped.count} sent before (--full sends them again)` : ""
    }\n`,
  );
}

/**
 * The requests of a push of spans or records, in an order in which each
 * feature and node's clocks rise (the cursor's marks rely on it): log
 * after log from the bytes, when that order has it and no id is repeated;
 * else the total order, from decoded events, each id's copy that counts
 * (as `cost` counts it; a filter takes that copy or none).
 */
async function* requests(
  root: string,
  plan: PushPlan,
  source: PushSource,
  marks: Marks,
  skipped: { count: number },
): AsyncGenerator<PushBody> {
  const { filter, pricing, warn } = source;
  const layout = new ProjectLayout(root);
  const paths = await matchingLogs(layout, filter);
  const logs: PushLogs = {
    paths,
    sizes: await Promise.all(paths.map(fileSize)),
    options: { filter, pricing, repeated: new Float64Array() },
  };
  const fresh = (event: CursorEvent) => plan.full || !wasSent(marks, event);
  const found = await checkPush(logs, (event) => !fresh(event));
  const repeated = selectionRepeats(found.ids, found.others).length > 0;
  // Warned as cost warns: from this read, or (an id on several lines) from cost's own read.
  if (repeated) await costRead(paths, logs.sizes, filter, pricing, warn, source.more);
  else warnAsCost(found, warn);
  const signal = plan.signal as ItemSignal;
  if (!repeated && found.unsent === 0) {
    // All sent before: nothing to read again.
    skipped.count += found.sent;
    return;
  }
  if (!repeated && found.clocksRise) {
    yield* pushBodies(logs, signal, plan.project, (event) => !fresh(event), skipped);
    return;
  }
  const encode = signal === "traces" ? tracesLine : logsLine;
  // The lines were warned of above.
  let pending: ExportRow[] = [];
  for await (const batch of exportRows(countedEvents(layout, filter, () => {}), pricing)) {
    const rows = batch.filter((row) => fresh(row.event));
    skipped.count += batch.length - rows.length;
    pending.push(...rows);
    while (pending.length >= BATCH_EVENTS) {
      yield* bodiesOf(pending.slice(0, BATCH_EVENTS), (r) => encode(r, plan.project));
      pending = pending.slice(BATCH_EVENTS);
    }
  }
  if (pending.length > 0) yield* bodiesOf(pending, (r) => encode(r, plan.project));
}

function concat(parts: Uint8Array[]): Uint8Array {
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) (all.set(part, at), at += part.length);
  return all;
}

/** Priced rows, in the order of `batches`, a batch at a time. */
export async function* exportRows(
  batches: AsyncIterable<Event[]>,
  pricing: PricingTable,
): AsyncGenerator<ExportRow[]> {
  const pricer = new RowPricer(pricing);
  for await (const batch of batches) {
    const rows = batch.filter(isExecutionEvent).map((event) => pricer.rowOf(event));
    if (rows.length > 0) yield rows;
  }
}

/** The rows as one request, or halves while the body is over the cap. */
function* bodiesOf(
  rows: ExportRow[],
  encode: (rows: ExportRow[]) => string,
): Generator<PushBody> {
  // Bytes, not UTF-16 units: a batch of CJK or emoji text is up to three times its length.
  const bytes = new TextEncoder().encode(encode(rows));
  if (bytes.length > MAX_BODY_BYTES && rows.length > 1) {
    const half = rows.length >> 1;
    yield* bodiesOf(rows.slice(0, half), encode);
    yield* bodiesOf(rows.slice(half), encode);
    return;
  }
  yield { bytes, events: rows.map((row) => row.event) };
}

async function readCursor(path: string, warn: (message: string) => void): Promise<CursorState> {
  try {
    const text = await Deno.readTextFile(path);
    const problem = cursorProblem(text);
    if (problem !== undefined) {
      warn(
        `${path}: ${problem}, so every matching event is sent again (the same ids: backends ` +
          `that de-duplicate can); the file is replaced after the first accepted batch`,
      );
    }
    return parseCursor(text);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return parseCursor("");
    throw error;
  }
}

/** Replaces the cursor file whole (write, then rename). */
async function writeCursor(path: string, cursor: CursorState): Promise<void> {
  await Deno.mkdir(join(path, ".."), { recursive: true });
  await replaceFile(path, JSON.stringify(cursor, null, 2) + "\n");
}
