/**
 * The event envelope shared by every event type, wire-compatible with the
 * JSON of the Python `spec_kitty_events.Event`.
 *
 * @module
 */
import { z } from "../deps.ts";
import { fieldSchema, shapeOf } from "./field_schemas.ts";
import { ENVELOPE_FIELDS, type EnvelopeFields, fieldOf } from "./fields.ts";
import { isRfc3339 } from "./text_rules.ts";

export { isRfc3339 };

/** An event id as accepted on read: a ULID or a UUID. */
export const EventIdSchema: z.ZodType<string> = fieldSchema(fieldOf("event_id")!) as z.ZodType<
  string
>;

/** An RFC 3339 timestamp with an explicit offset. */
export const TimestampSchema: z.ZodType<string> = fieldSchema(
  fieldOf("timestamp")!,
) as z.ZodType<string>;

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
export const EnvelopeSchema: z.ZodType<Event> = z.looseObject(
  shapeOf(ENVELOPE_FIELDS),
) as unknown as z.ZodType<Event>;

/** An event of any type, as read from or written to a log: the envelope plus unknown keys, kept. */
export type Event = EnvelopeFields & { [key: string]: unknown };

// Kept apart from the schemas (readers sort without loading them); re-exported here.
export { compareEvents } from "./order.ts";
