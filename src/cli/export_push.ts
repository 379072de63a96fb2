/**
 * `export --endpoint`: batches to an OTLP/HTTP receiver, read as a file
 * export reads the logs, and the record of the ids sent (`push_record.ts`,
 * git-ignored) that makes a re-run send only what was not sent. Metrics are
 * cumulative totals, so they are sent whole.
 *
 * @module
 */
import type { Signal } from "../export/otlp_encode.ts";
import { checkPush, pushBodies, type PushLogs } from "../export/push_read.ts";
import { fileSize } from "../export/export_scan.ts";
import type { IdKey } from "../export/sent_ids.ts";
import { cursorTarget } from "../export/export_cursor.ts";
import { selectionRepeats } from "../cost/candidate_lines.ts";
import type { PricingTable } from "../cost/pricing.ts";
import type { EventFilter } from "../query/filter.ts";
import { matchingLogs } from "../query/query.ts";
import { ProjectLayout } from "../store/project_layout.ts";
import type { CliIo } from "./io.ts";
import { warningSink } from "./warnings.ts";
import { ATTEMPT_TIMEOUT_MS, postOtlp, type PushIo, shownUrl, signalUrl } from "./otlp_push.ts";
import { costRead, fileExport, warnAsCost } from "./export_file.ts";
import { PushRecord } from "./push_record.ts";

/** What to push where. */
export interface PushPlan {
  /** Base endpoint, e.g. `http://localhost:4318`. */
  endpoint: string;
  /** The signal (its path is `/v1/<signal>`). */
  signal: Signal;
  /** Ignore the record of what was sent: send every matching event. */
  full: boolean;
  /** The `kitty.project` resource attribute. */
  project: string;
  /** The filter flags as given (`--agent=["a"]`, …; empty: none): older versions kept a record per filter. */
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
 * Pushes the matching events; the record of sent ids grows after each accepted
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
  const { filter, pricing, warn, more } = source;
  if (plan.signal === "metrics") {
    // Cumulative totals: the file export's one line, whole, as cost counts the events.
    const parts: Uint8Array[] = [];
    const keep = (bytes: Uint8Array) => (parts.push(bytes.slice()), Promise.resolve());
    await fileExport(root, "metrics", filter, pricing, plan.project, warn, keep, undefined, more);
    const line = concat(parts);
    // The line's bytes as the file has them, but for its newline.
    await postOtlp(url, line.subarray(0, line.length - 1), push);
    await push.flush();
    // Said as the other signals say it: a push from cron leaves a line that it went.
    await io.stderr(`export: sent the metrics (cumulative totals) to ${shownUrl(url)}\n`);
    return;
  }
  // Kept without credentials: the files are plain, and one endpoint is one record whoever logs in.
  // One whatever the filters: an id sent is sent, so a push without them sends only the rest.
  const target = cursorTarget(plan.signal, shownUrl(url), "");
  const own = cursorTarget(plan.signal, shownUrl(url), plan.filter);
  const waits = (message: string) => (push.warn(message), push.flush());
  const record = await PushRecord.open(root, target, own, push.warn, waits);
  const skipped = { count: 0 };
  let sent = 0;
  try {
    const paths = await matchingLogs(new ProjectLayout(root), filter);
    const sizes = await Promise.all(paths.map(fileSize));
    const options = { filter, pricing, repeated: new Float64Array() };
    const found = await checkPush(
      { paths, sizes, options },
      (event, key) => !plan.full && record.knows(event, key),
    );
    await record.carryOver();
    const repeated = selectionRepeats(found.ids, found.others);
    // Warned as cost warns: from this read, or (an id on several lines) from cost's own read.
    if (repeated.length > 0) await costRead(paths, sizes, filter, pricing, warn, more);
    else warnAsCost(found, warn);
    // Every copy sent before: nothing to read again, unless an id on several lines makes the
    // first read's count one of lines (the second settles them: each event counted once).
    if (found.unsent === 0 && repeated.length === 0) skipped.count = found.sent;
    else {
      const logs: PushLogs = { paths, sizes, options: { ...options, repeated } };
      const known = (key: IdKey) => !plan.full && record.sent.has(key);
      for await (const body of pushBodies(logs, plan.signal, plan.project, known, skipped)) {
        await postOtlp(url, body.bytes, push);
        await record.append(body.keys);
        sent += body.keys.length / 2;
      }
    }
  } finally {
    // The record's lock held throughout: a second push to the target reads what this one sent.
    await record.close();
  }
  await push.flush();
  await io.stderr(
    `export: sent ${sent} event(s) to ${shownUrl(url)}${
      skipped.count > 0 ? `; ${skipped.count} sent before (--full sends them again)` : ""
    }\n`,
  );
}

function concat(parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) (all.set(part, at), at += part.length);
  return all;
}
