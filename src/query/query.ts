/**
 * Project-wide reads: walk every feature log that the filter's feature
 * patterns admit, in sorted folder order, and yield the matching events.
 *
 * @module
 */
import type { Event } from "../event/envelope.ts";
import { compareEvents } from "../event/order.ts";
import { firstOfEachId } from "../event/first_of_each_id.ts";
import { lineSinkOf } from "../read/event_sink.ts";
import {
  formatProblem,
  type LineProblem,
  scanLogBatches,
  type WarningSink,
} from "../read/log_reader.ts";
import type { ProjectLayout } from "../store/project_layout.ts";
import { type EventFilter, featureMatches, matches } from "./filter.ts";

/**
 * Streams matching events in file order, one log after another, in
 * constant memory (what aggregations want: they need no order).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { scanEvents } from "./query.ts";
 * import { ProjectLayout } from "../store/project_layout.ts";
 * const layout = new ProjectLayout(await Deno.makeTempDir());
 * const events = await Array.fromAsync(scanEvents(layout, {}, () => {}));
 * assert.ok(events.length === 0);
 * ```
 */
export async function* scanEvents(
  layout: ProjectLayout,
  filter: EventFilter,
  onWarning: WarningSink,
): AsyncGenerator<Event> {
  for (const path of await matchingLogs(layout, filter)) {
    const onProblem = (problem: LineProblem) => onWarning(formatProblem(problem));
    for await (const batch of logEvents(path, filter, onProblem)) yield* batch;
  }
}

/**
 * The matching events of one log, in file order, a block's worth at a time.
 * Lines in the tool's layout are tested from their bytes; only matches are
 * parsed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { logEvents } from "./query.ts";
 * assert.deepEqual(await Array.fromAsync(logEvents("/nonexistent.jsonl", {}, () => {})), []);
 * ```
 */
export async function* logEvents(
  path: string,
  filter: EventFilter,
  onProblem: (problem: LineProblem) => void,
): AsyncGenerator<Event[]> {
  // A matching execution event is decoded (the output needs all of it); a
  // non-matching one is done with. Other types may match a type filter.
  const sink = lineSinkOf({ execution: (view) => !matches(view, filter), otherTypes: true });
  for await (const batch of scanLogBatches(path, onProblem, undefined, sink)) {
    const matching = batch.filter((event) => matches(event, filter));
    if (matching.length > 0) yield matching;
  }
}

/**
 * The log paths of the features the filter's feature patterns admit, in
 * sorted folder order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { matchingLogs } from "./query.ts";
 * import { ProjectLayout } from "../store/project_layout.ts";
 * const layout = new ProjectLayout(await Deno.makeTempDir());
 * assert.deepEqual(await matchingLogs(layout, { features: ["043"] }), []);
 * ```
 */
export async function matchingLogs(layout: ProjectLayout, filter: EventFilter): Promise<string[]> {
  return (await layout.features())
    .filter((f) => !filter.features || filter.features.some((p) => featureMatches(f, p)))
    .map((f) => layout.logPath(f));
}

/**
 * Matching events in total order `(lamport_clock, node_id, event_id)`, each id once (its
 * first copy in that order; see `cost`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { queryEvents } from "./query.ts";
 * import { ProjectLayout } from "../store/project_layout.ts";
 * const layout = new ProjectLayout(await Deno.makeTempDir());
 * assert.ok((await queryEvents(layout, {}, () => {})).length === 0);
 * ```
 */
export async function queryEvents(
  layout: ProjectLayout,
  filter: EventFilter,
  onWarning: WarningSink,
): Promise<Event[]> {
  const events = (await Array.fromAsync(scanEvents(layout, filter, onWarning))).sort(compareEvents);
  return events.filter(firstOfEachId());
}
