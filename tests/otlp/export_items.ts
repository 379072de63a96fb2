/**
 * A file export's items as written, against the string encoder's: for the
 * tests that hold the byte and wasm writers to `spanJson` and
 * `logRecordJson`.
 *
 * @module
 */
import assert from "node:assert/strict";
import { orderedEvents } from "../../src/query/ordered.ts";
import { ProjectLayout } from "../../src/store/project_layout.ts";
import { defaultPricing } from "../../src/cost/builtin_pricing.ts";
import { RowPricer } from "../../src/export/row_cost.ts";
import type { ExportRow } from "../../src/export/otlp_mapping.ts";
import type { PricingTable } from "../../src/cost/pricing.ts";
import type { Event } from "../../src/event/envelope.ts";
import { isExecutionEvent } from "../../src/event/execution.ts";
import { lineEnds, logRecordJson, spanJson } from "../../src/export/otlp_encode.ts";
import { type EventFilter, matches } from "../../src/query/filter.ts";
import { cli } from "../helpers.ts";

/** `export --signal SIGNAL --project p --out OUT` of `root`, with `flags`: must exit 0. */
export async function exportFile(
  root: string,
  signal: "traces" | "logs",
  out: string,
  flags: string[] = [],
): Promise<void> {
  const args = ["--signal", signal, "--root", root, "--project", "p", "--out", out];
  const run = await cli(["export", ...args, ...flags]);
  assert.equal(run.code, 0, run.stderr);
}

/** The items of OTLP/JSON lines as written: cut where the next item starts, sorted. */
export function rawItems(signal: "traces" | "logs", text: string): string[] {
  const start = signal === "traces" ? '{"traceId":"' : '{"timeUnixNano":"';
  const { open, close } = lineEnds(signal, "p");
  const out: string[] = [];
  for (const line of text.split("\n")) {
    if (line === "") continue;
    assert.ok(line.startsWith(open) && line.endsWith(close), line.slice(0, 200));
    const items = line.slice(open.length, -close.length).split("," + start);
    out.push(...items.map((item, i) => (i === 0 ? item : start + item)));
  }
  return out.sort();
}

/**
 * The string encoder's items of the project's events under `filter`, sorted:
 * each id's counted copy (the first of all its copies), when `filter` takes it.
 */
export async function referenceItems(root: string, signal: "traces" | "logs", filter: EventFilter) {
  const out: string[] = [];
  const all = orderedEvents(new ProjectLayout(root), { types: ["ExecutionEvent"] }, () => {});
  async function* taken() {
    for await (const batch of all) yield batch.filter((event) => matches(event, filter));
  }
  for await (const batch of exportRows(taken(), defaultPricing())) {
    out.push(...batch.map(signal === "traces" ? spanJson : logRecordJson));
  }
  return out.sort();
}

/** Priced rows of decoded events, in their order, a batch at a time (the string encoder's input). */
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
