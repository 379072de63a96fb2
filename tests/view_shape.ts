/**
 * An event's values in the shape a reader's view holds them, for the tests
 * that hold the byte and wasm readers to the full path.
 *
 * @module
 */
import type { Event } from "../src/event/envelope.ts";
import { PAYLOAD_KEYS } from "../src/event/fields.ts";

/** The full path's values, in the view's shape (the error text is not held). */
export function viewOf(event: Event) {
  const p = event.payload as Record<string, unknown>;
  const { aggregate_id, timestamp, lamport_clock, node_id, event_id } = event;
  return {
    aggregate_id,
    timestamp,
    lamport_clock,
    node_id,
    event_id,
    payload: Object.fromEntries(PAYLOAD_KEYS.filter((k) => k !== "error").map((k) => [k, p[k]])),
  };
}
