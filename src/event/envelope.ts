/**
 * The event envelope shared by every event type, wire-compatible with the
 * JSON of the Python `spec_kitty_events.Event`.
 *
 * @module
 */
import { z } from "../deps.ts";
import { isUlid, isUuid } from "./ulid.ts";
import { NameSchema as name } from "./names.ts";
import { isRfc3339 } from "./text_rules.ts";

export { isRfc3339 };

/** An event id as accepted on read: a ULID or a UUID. */
export const EventIdSchema: z.ZodType<string> = z.string().refine(
  (v) => isUlid(v) || isUuid(v),
  { message: "must be a 26-character ULID or a 36-character UUID" },
);

/** An RFC 3339 timestamp with an explicit offset. */
export const TimestampSchema: z.ZodType<string> = z.string().refine(
  isRfc3339,
  { message: "must be an RFC 3339 date-time with an offset" },
);

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
export const EnvelopeSchema: z.ZodType<Event> = z.looseObject({
  event_id: EventIdSchema,
  event_type: name,
  aggregate_id: name,
  lamport_clock: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  node_id: name,
  causation_id: EventIdSchema.nullable(),
  timestamp: TimestampSchema,
  payload: z.record(z.string(), z.unknown()),
});

/**
 * An event of any type, as read from or written to a log. Written out rather
 * than inferred from {@linkcode EnvelopeSchema} so that its documentation is
 * readable; the schema's annotation makes the compiler hold the two together.
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

// Kept apart from the schemas (readers sort without loading them); re-exported here.
export { compareEvents } from "./order.ts";
