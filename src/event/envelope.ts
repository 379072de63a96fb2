/**
 * The event envelope shared by every event type, wire-compatible with the
 * JSON of the Python `spec_kitty_events.Event`.
 *
 * @module
 */
import { fieldSchema, shapeOf } from "./field_schemas.ts";
import { objectSchema, type Schema } from "./table_schema.ts";
import { ENVELOPE_FIELDS, type EnvelopeFields, fieldOf } from "./fields.ts";
import { isRfc3339 } from "./text_rules.ts";

export { isRfc3339 };

/** An event id as accepted on read: a ULID or a UUID. */
export const EventIdSchema: Schema<string> = fieldSchema(fieldOf("event_id")!);

/** An RFC 3339 timestamp with an explicit offset. */
export const TimestampSchema: Schema<string> = fieldSchema(fieldOf("timestamp")!);

/**
 * The envelope schema. Unknown top-level keys are kept (a newer writer may
 * add fields; dropping them would lose data on a rewrite).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { EnvelopeSchema } from "./envelope.ts";
 * const event = EnvelopeSchema.parse({
 *   event_id: "01KHJVJWDM0HGAGYGXJYKD1JQG", event_type: "Note",
 *   aggregate_id: "043-x", lamport_clock: 1, node_id: "n1",
 *   causation_id: null, timestamp: "2026-02-16T09:12:58Z", payload: {},
 * });
 * assert.ok(event.lamport_clock === 1);
 * ```
 */
export const EnvelopeSchema: Schema<Event> = objectSchema(shapeOf(ENVELOPE_FIELDS), "loose");

/**
 * An event of any type, as read from or written to a log. Written out rather
 * than derived from the field table so that its documentation is readable;
 * the compiler holds the two together (see `TABLE_AGREES`).
 */
export interface Event {
  /** Unique per event: a ULID from this tool, a UUID from some older writers. */
  event_id: string;
  /** What happened, e.g. `ExecutionEvent`; decides how `payload` is read. */
  event_type: string;
  /** The feature slug: which log the event belongs to. */
  aggregate_id: string;
  /** The writer's Lamport clock value: with `node_id` and `event_id`, the log's order. */
  lamport_clock: number;
  /** The writing machine or process, whose clock `lamport_clock` is. */
  node_id: string;
  /** The event that caused this one, if any. */
  causation_id: string | null;
  /** Wall-clock time with an offset (RFC 3339): for display and filters, not ordering. */
  timestamp: string;
  /** Type-specific fields, kept as written. */
  payload: Record<string, unknown>;
  /** Top-level keys from newer writers, kept so a rewrite does not drop them. */
  [key: string]: unknown;
}

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
// Compile-time only: a row added to or changed in ENVELOPE_FIELDS without
// the same change here (or the other way round) fails type checking.
const TABLE_AGREES: Same<EnvelopeFields, Pick<Event, keyof EnvelopeFields>> = true;
void TABLE_AGREES;

// Kept apart from the schemas (readers sort without loading them); re-exported here.
export { compareEvents } from "./order.ts";
