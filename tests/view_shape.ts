/**
 * An event's values and a reader's view's, in one shape, for the tests
 * that hold the byte and wasm readers to the full path.
 *
 * @module
 */
import type { Event } from "../src/event/envelope.ts";
import { PAYLOAD_KEYS } from "../src/event/fields.ts";
import type { LineView } from "../src/read/line_view.ts";

/** What an event and a view share: the envelope's values, and `payload` as given. */
type Envelope = Pick<
  Event,
  "aggregate_id" | "timestamp" | "lamport_clock" | "node_id" | "event_id"
>;

function shaped(from: Envelope, payload: Record<string, unknown>) {
  const { aggregate_id, timestamp, lamport_clock, node_id, event_id } = from;
  return { aggregate_id, timestamp, lamport_clock, node_id, event_id, payload };
}

/** The full path's values, in the view's shape (the error text is not held). */
export function viewOf(event: Event) {
  const p = event.payload as Record<string, unknown>;
  return shaped(
    event,
    Object.fromEntries(PAYLOAD_KEYS.filter((k) => k !== "error").map((k) => [k, p[k]])),
  );
}

/** The values a reader's view holds, in the same shape (the error text is not held). */
export function viewValues(view: LineView) {
  return shaped(view, { ...view.payload });
}
