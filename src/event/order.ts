/**
 * The total order of events, free of the schema library so readers can
 * sort without loading it.
 *
 * @module
 */
import type { Event } from "./envelope.ts";

/**
 * The total order of events: `(lamport_clock, node_id, event_id)`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compareEvents } from "./order.ts";
 * const a = { lamport_clock: 1, node_id: "b", event_id: "1" };
 * const b = { lamport_clock: 2, node_id: "a", event_id: "0" };
 * assert.ok(compareEvents(a, b) < 0);
 * ```
 */
export function compareEvents(
  a: Pick<Event, "lamport_clock" | "node_id" | "event_id">,
  b: Pick<Event, "lamport_clock" | "node_id" | "event_id">,
): number {
  if (a.lamport_clock !== b.lamport_clock) {
    return a.lamport_clock - b.lamport_clock;
  }
  if (a.node_id !== b.node_id) return a.node_id < b.node_id ? -1 : 1;
  if (a.event_id !== b.event_id) return a.event_id < b.event_id ? -1 : 1;
  return 0;
}
