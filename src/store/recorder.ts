/**
 * Recording execution events: turn validated `emit` inputs into stored
 * events with ids, timestamps and Lamport clock values, all under the
 * feature's lock.
 *
 * @module
 */
import type { Event } from "../event/envelope.ts";
import type { ExecutionRecord } from "../event/execution.ts";
import { EXECUTION_EVENT } from "../event/fields.ts";
import { withDefaults } from "../event/field_checks.ts";
import { normalizeEventId } from "../event/event_id.ts";
import { advance, type ClockState } from "../clock/lamport.ts";
import { appendToFeature } from "./feature_log.ts";
import type { WarningSink } from "../read/log_reader.ts";
import type { ProjectLayout } from "./project_layout.ts";

/** Where ids, time and the node come from (injected so tests are exact). */
export interface RecordContext {
  /** This writer's `node_id`: the Lamport clock it advances and the tie-breaker in ordering. */
  nodeId: string;
  /** The event `timestamp` source; only informative, since order comes from the clock. */
  now: () => Date;
  /** Makes an `event_id` for inputs that bring none (normally `ulidFactory()`). */
  newId: () => string;
  /** Told about a corrupt clock file rebuilt from the log, and lines skipped while reading it. */
  onWarning: WarningSink;
  /** Per input, the time it happened when known (ingested records); else `now()`. */
  timestamps?: readonly string[];
}

/** One input's outcome. */
export interface Recorded {
  /** The event as stored: the new one, or for a known id the one already in the log. */
  event: Event;
  /** False when the event id was already stored (nothing was written). */
  written: boolean;
}

/**
 * Builds the events for `inputs` against the current clock; payload fields
 * left out get their defaults. Inputs whose
 * `event_id` is already stored (or repeated within the batch), in any
 * spelling, are not written again; the stored event is returned for them.
 * `existing` is keyed by normalised id (as `findEvents` returns it).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { planRecords } from "./recorder.ts";
 * const { records, clock } = planRecords("043-x", [{
 *   wp_id: "WP01", agent: "claude", role: "implementer", input_tokens: 1, output_tokens: 2,
 * }], { n1: 4 }, new Map(), {
 *   nodeId: "n1", now: () => new Date(0), newId: () => "01KHJVJWDM0HGAGYGXJYKD1JQG",
 *   onWarning: () => {},
 * });
 * assert.ok(records[0].event.lamport_clock === 5 && clock.n1 === 5);
 * assert.equal(records[0].event.payload.duration_ms, 0);
 * ```
 */
export function planRecords(
  feature: string,
  inputs: readonly ExecutionRecord[],
  clock: ClockState,
  existing: Map<string, Event>,
  context: RecordContext,
): { records: Recorded[]; clock: ClockState } {
  const seen = new Map(existing);
  const records: Recorded[] = [];
  for (const [index, input] of inputs.entries()) {
    const { event_id, event_type, causation_id, ...payload } = input;
    const id = event_id ?? context.newId();
    const key = normalizeEventId(id);
    const stored = seen.get(key);
    if (stored) {
      records.push({ event: stored, written: false });
      continue;
    }
    const next = advance(clock, context.nodeId);
    clock = next.state;
    const event: Event = {
      event_id: id,
      event_type: event_type ?? EXECUTION_EVENT,
      aggregate_id: feature,
      lamport_clock: next.value,
      node_id: context.nodeId,
      causation_id: causation_id ?? null,
      timestamp: context.timestamps?.[index] ?? context.now().toISOString(),
      payload: withDefaults(payload),
    };
    seen.set(key, event);
    records.push({ event, written: true });
  }
  return { records, clock };
}

/**
 * Records `inputs` in the feature's log, all or nothing: one append and one
 * clock update under the lock. Only caller-supplied ids cost a log scan.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { recordExecutions } from "./recorder.ts";
 * import { ProjectLayout } from "./project_layout.ts";
 * const layout = new ProjectLayout(await Deno.makeTempDir());
 * const out = await recordExecutions(layout, "043-x", [], {
 *   nodeId: "n1", now: () => new Date(), newId: () => "x", onWarning: () => {},
 * });
 * assert.ok(out.length === 0);
 * ```
 */
export async function recordExecutions(
  layout: ProjectLayout,
  feature: string,
  inputs: readonly ExecutionRecord[],
  context: RecordContext,
): Promise<Recorded[]> {
  const lookupIds = inputs.flatMap((i) => i.event_id ? [i.event_id] : []);
  let records: Recorded[] = [];
  await appendToFeature(
    layout,
    feature,
    lookupIds,
    ({ clock, existing }) => {
      const planned = planRecords(feature, inputs, clock, existing, context);
      records = planned.records;
      return {
        events: records.filter((r) => r.written).map((r) => r.event),
        clock: planned.clock,
      };
    },
    context.onWarning,
  );
  return records;
}
