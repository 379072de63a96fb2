/**
 * The event schemas as zod builds them from the field table: the oracle
 * `schema_oracle_test.ts` holds the table-driven validators of
 * `src/event/table_schema.ts` to. Test-only, so that no read command loads
 * zod (25-35 ms per process and per worker).
 */
import { z } from "../src/deps.ts";
import { EXECUTION_EVENT, type FieldKind, fieldOf, type FieldSpec } from "../src/event/fields.ts";
import { ENVELOPE_FIELDS, PAYLOAD_FIELDS } from "../src/event/fields.ts";
import { MAX_LAMPORT_CLOCK } from "../src/event/clock_ceiling.ts";
import { KIND_CHECKS, KIND_WORDING } from "../src/event/field_checks.ts";
import { nameProblem } from "../src/event/text_rules.ts";

/** The name rule as a zod schema. */
export const ZodName: z.ZodString = z.string().superRefine((v, ctx) => {
  const problem = nameProblem(v);
  if (problem !== null) ctx.addIssue({ code: "custom", message: problem });
});

/** One zod schema per kind, as `src/event/field_schemas.ts` built them before. */
const KIND_SCHEMAS: { readonly [K in FieldKind]: z.ZodType } = {
  name: ZodName,
  count: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  clock: z.number().int().min(0).max(MAX_LAMPORT_CLOCK, {
    message: `is over the clock ceiling, ${MAX_LAMPORT_CLOCK}`,
  }),
  usd: z.number().min(0).max(1e12),
  flag: z.boolean(),
  text: z.string(),
  integer: z.number().int().min(-(2 ** 31)).max(2 ** 31 - 1),
  time: z.string().refine(KIND_CHECKS.time, { message: `must be ${KIND_WORDING.time}` }),
  id: z.string().refine(KIND_CHECKS.id, { message: `must be ${KIND_WORDING.id}` }),
  object: z.record(z.string(), z.unknown()),
};

/** The zod schema of one row. */
export function zodField(field: FieldSpec): z.ZodType {
  let schema: z.ZodType = KIND_SCHEMAS[field.kind];
  if (field.nullable) schema = schema.nullable();
  if ("default" in field) schema = schema.default(field.default as never);
  return schema;
}

const shape = (fields: readonly FieldSpec[]) =>
  Object.fromEntries(fields.map((f) => [f.key, zodField(f)]));

/** The envelope, unknown keys kept. */
export const ZodEnvelope: z.ZodType = z.looseObject(shape(ENVELOPE_FIELDS));

/** The execution payload as read, unknown keys kept. */
export const ZodPayload: z.ZodType = z.looseObject(shape(PAYLOAD_FIELDS));

/** An `emit` record, unknown keys rejected. */
export const ZodInput: z.ZodType = z.strictObject({
  ...shape(PAYLOAD_FIELDS),
  event_id: zodField(fieldOf("event_id")!).optional(),
  causation_id: zodField(fieldOf("causation_id")!).default(null),
  event_type: zodField(fieldOf("event_type")!).default(EXECUTION_EVENT),
});
