/**
 * The event schemas as the library exports them. They are zod schemas, but
 * typed here by the parsing calls alone, so that the stable surface does not
 * change shape when zod does (and its documentation does not pull in zod's).
 * Code inside the package keeps the full zod types.
 *
 * @module
 */
import type { Event } from "./envelope.ts";
import { EnvelopeSchema as envelope } from "./envelope.ts";
import type { ExecutionInput, ExecutionPayload } from "./execution.ts";
import { ExecutionInputSchema as input, ExecutionPayloadSchema as payload } from "./execution.ts";

/** One reason a value failed validation. */
export interface SchemaIssue {
  /** Where in the value: keys and array indexes from the top; empty for the value itself. */
  readonly path: readonly PropertyKey[];
  /** What is wrong there. */
  readonly message: string;
}

/** A failed validation: a thrown or returned error listing every problem found. */
export interface SchemaError extends Error {
  /** All the problems, first one first (messages usually quote only that one). */
  readonly issues: readonly SchemaIssue[];
}

/** What {@linkcode Schema.safeParse} returns: the parsed value or why there is none. */
export type SafeParseResult<T> =
  | { success: true; data: T }
  | { success: false; error: SchemaError };

/** A validator that turns unknown input (parsed JSON) into a typed value. */
export interface Schema<T> {
  /** The parsed value, defaults filled in; throws a {@linkcode SchemaError} when invalid. */
  parse(value: unknown): T;
  /** Like `parse`, but returns failures instead of throwing. */
  safeParse(value: unknown): SafeParseResult<T>;
}

/**
 * The envelope of every event. Unknown top-level keys are kept, since a newer
 * writer may add fields that a rewrite must not drop.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { EnvelopeSchema } from "./schemas.ts";
 * const r = EnvelopeSchema.safeParse({ event_id: "nope" });
 * assert.ok(!r.success && r.error.issues.some((i) => i.path[0] === "event_id"));
 * ```
 */
export const EnvelopeSchema: Schema<Event> = envelope;

/**
 * An execution payload as read from a log: optional keys that older writers
 * (and the Python layout) leave out get their defaults; unknown keys are kept.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ExecutionPayloadSchema } from "./schemas.ts";
 * const p = ExecutionPayloadSchema.parse({ agent: "claude", role: "planner" });
 * assert.ok(p.wp_id === "N/A" && p.input_tokens === null);
 * ```
 */
export const ExecutionPayloadSchema: Schema<ExecutionPayload> = payload;

/**
 * One execution record as a caller hands it to `emit`: the payload plus
 * optional ids. Unknown keys are rejected, since on input they are almost
 * always typos that would silently lose data.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ExecutionInputSchema } from "./schemas.ts";
 * const r = ExecutionInputSchema.safeParse({ agent: "a", role: "r", input_token: 1 });
 * assert.ok(!r.success);
 * ```
 */
export const ExecutionInputSchema: Schema<ExecutionInput> = input;
