/**
 * The event envelope shared by every event type, wire-compatible with the
 * JSON of the Python `spec_kitty_events.Event`.
 *
 * @module
 */
import { z } from "../deps.ts";
import { isUlid, isUuid } from "./ulid.ts";
import { NameSchema as name } from "./names.ts";

/**
 * True for an RFC 3339 date-time with an offset (`Z`, `+00:00`, any) and
 * any number of fraction digits (Python writes microseconds, JavaScript
 * milliseconds), whose fields are in range (`Date.parse` alone accepts
 * February 30). Hand-written: it runs once per event read, and a regex with
 * captures costs several times more.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isRfc3339 } from "./envelope.ts";
 * assert.ok(isRfc3339("2026-02-16T09:12:58.036834+00:00"));
 * assert.ok(!isRfc3339("2026-02-30T09:12:58Z"));
 * ```
 */
export function isRfc3339(value: string): boolean {
  const n = value.length;
  if (n < 20) return false;
  const year = digits(value, 0, 4);
  const month = digits(value, 5, 2);
  const day = digits(value, 8, 2);
  const hour = digits(value, 11, 2);
  const minute = digits(value, 14, 2);
  const second = digits(value, 17, 2);
  if (
    year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 ||
    minute > 59 || second < 0 || second > 59 || value[4] !== "-" || value[7] !== "-" ||
    (value[10] !== "T" && value[10] !== "t") || value[13] !== ":" || value[16] !== ":"
  ) {
    return false;
  }
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const daysInMonth = month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 ||
      month === 9 || month === 11
    ? 30
    : 31;
  if (day > daysInMonth) return false;
  let i = 19;
  if (value[i] === ".") {
    const start = ++i;
    while (i < n && value.charCodeAt(i) >= 48 && value.charCodeAt(i) <= 57) i++;
    if (i === start) return false;
  }
  if (i === n - 1) return value[i] === "Z" || value[i] === "z";
  if (i !== n - 6 || (value[i] !== "+" && value[i] !== "-") || value[i + 3] !== ":") return false;
  const offsetHour = digits(value, i + 1, 2);
  const offsetMinute = digits(value, i + 4, 2);
  return offsetHour >= 0 && offsetHour < 24 && offsetMinute >= 0 && offsetMinute < 60;
}

/** The number written by `length` ASCII digits at `at`, or -1. */
function digits(text: string, at: number, length: number): number {
  let value = 0;
  for (let i = at; i < at + length; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    value = value * 10 + c;
  }
  return value;
}

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
export const EnvelopeSchema = z.looseObject({
  event_id: EventIdSchema,
  event_type: name,
  aggregate_id: name,
  lamport_clock: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  node_id: name,
  causation_id: EventIdSchema.nullable(),
  timestamp: TimestampSchema,
  payload: z.record(z.string(), z.unknown()),
});

/** An event of any type, as read from or written to a log. */
export type Event = z.infer<typeof EnvelopeSchema>;

/**
 * The total order of events: `(lamport_clock, node_id, event_id)`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compareEvents } from "./envelope.ts";
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
