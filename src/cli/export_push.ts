/**
 * `export --endpoint`: batches to an OTLP/HTTP receiver, and the cursor
 * (`.kittify/export-state.json`, git-ignored) that makes a re-run send only
 * what was not sent. Metrics are cumulative totals, so they are sent whole.
 *
 * @module
 */
import { join } from "node:path";
import type { ExportRow } from "../export/otlp_mapping.ts";
import { BATCH_EVENTS, logsLine, type Signal, tracesLine } from "../export/otlp_encode.ts";
import { MetricsFold } from "../export/otlp_metrics.ts";
import {
  cursorProblem,
  type CursorState,
  cursorTarget,
  markSent,
  marksFor,
  parseCursor,
  wasSent,
} from "../export/export_cursor.ts";
import type { CliIo } from "./io.ts";
import { warningSink } from "./warnings.ts";
import { ATTEMPT_TIMEOUT_MS, postOtlp, type PushIo, shownUrl, signalUrl } from "./otlp_push.ts";
import { replaceFile } from "../merge/replace_file.ts";

/** Where a clone keeps its export cursor. */
export const EXPORT_STATE = join(".kittify", "export-state.json");

/** Largest request body (UTF-8 bytes, as sent) before a batch is split. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

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

/**
 * Pushes the rows; the cursor advances after each accepted request. The
 * receiver's answers (retries, partial successes) are told as they come: a
 * push waiting on a busy receiver says so, and one that fails shows its
 * retries before the error.
 */
export async function pushEvents(
  io: CliIo,
  root: string,
  plan: PushPlan,
  rows: AsyncIterable<ExportRow[]>,
): Promise<void> {
  const url = signalUrl(plan.endpoint, plan.signal);
  const told = warningSink(io);
  const push: PushIo = { ...pushIo, warn: told.warn, flush: told.flush };
  try {
    await pushTo(io, root, plan, rows, url, push);
  } finally {
    await told.flush();
  }
}

async function pushTo(
  io: CliIo,
  root: string,
  plan: PushPlan,
  rows: AsyncIterable<ExportRow[]>,
  url: string,
  push: PushIo,
): Promise<void> {
  if (plan.signal === "metrics") {
    const fold = new MetricsFold();
    for await (const batch of rows) for (const row of batch) fold.add(row);
    await postOtlp(url, fold.line(plan.project), push);
    return;
  }
  const statePath = join(root, EXPORT_STATE);
  const cursor = await readCursor(statePath, push.warn);
  // Kept without credentials: the file is plain text, and one endpoint is one cursor whoever logs in.
  const marks = marksFor(cursor, cursorTarget(plan.signal, shownUrl(url), plan.filter));
  const encode = plan.signal === "traces" ? tracesLine : logsLine;
  let sent = 0;
  let skipped = 0;
  // Requests of BATCH_EVENTS whatever size of batch the reader yields.
  let pending: ExportRow[] = [];
  const send = async (chunk: ExportRow[]) => {
    await postSplit(url, chunk, (r) => encode(r, plan.project), push);
    markSent(marks, chunk.map((r) => r.event));
    await writeCursor(statePath, cursor);
    sent += chunk.length;
  };
  for await (const batch of rows) {
    const fresh = plan.full ? batch : batch.filter((r) => !wasSent(marks, r.event));
    skipped += batch.length - fresh.length;
    pending.push(...fresh);
    while (pending.length >= BATCH_EVENTS) {
      await send(pending.slice(0, BATCH_EVENTS));
      pending = pending.slice(BATCH_EVENTS);
    }
  }
  if (pending.length > 0) await send(pending);

  await push.flush();
  await io.stderr(
    `export: sent ${sent} event(s) to ${shownUrl(url)}${
      skipped > 0 ? `; ${skipped} sent before (--full sends them again)` : ""
    }\n`,
  );
}

/** Posts rows as one request, or halves while the body is over the cap. */
async function postSplit(
  url: string,
  rows: ExportRow[],
  encode: (rows: ExportRow[]) => string,
  push: PushIo,
): Promise<void> {
  // Bytes, not UTF-16 units: a batch of CJK or emoji text is up to three times its length.
  const body = new TextEncoder().encode(encode(rows));
  if (body.length > MAX_BODY_BYTES && rows.length > 1) {
    const half = rows.length >> 1;
    await postSplit(url, rows.slice(0, half), encode, push);
    await postSplit(url, rows.slice(half), encode, push);
    return;
  }
  await postOtlp(url, body, push);
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
