/**
 * The field table as zod schemas: the full path that settles every line the
 * hand checks cannot vouch for, and the oracle the tests hold them to.
 *
 * @module
 */
import { z } from "../deps.ts";
import { NameSchema } from "./names.ts";
import type { FieldKind, FieldSpec } from "./fields.ts";
import { MAX_LAMPORT_CLOCK } from "./clock_ceiling.ts";
import { KIND_CHECKS, KIND_WORDING } from "./field_checks.ts";

/** One zod schema per kind, each accepting exactly what the table's check accepts. */
const KIND_SCHEMAS: { readonly [K in FieldKind]: z.ZodType } = {
  name: NameSchema,
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

/**
 * The schema of one row: its kind, null where allowed, its default where
 * it has one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fieldOf } from "./fields.ts";
 * import { fieldSchema } from "./field_schemas.ts";
 * assert.equal(fieldSchema(fieldOf("wp_id")!).parse(undefined), "N/A");
 * assert.ok(!fieldSchema(fieldOf("duration_ms")!).safeParse(null).success);
 * ```
 */
export function fieldSchema(field: FieldSpec): z.ZodType {
  let schema: z.ZodType = KIND_SCHEMAS[field.kind];
  if (field.nullable) schema = schema.nullable();
  if ("default" in field) schema = schema.default(field.default as never);
  return schema;
}

/**
 * The object shape of a list of rows, keyed by their JSON keys.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PAYLOAD_FIELDS } from "./fields.ts";
 * import { shapeOf } from "./field_schemas.ts";
 * assert.deepEqual(Object.keys(shapeOf(PAYLOAD_FIELDS)), PAYLOAD_FIELDS.map((f) => f.key));
 * ```
 */
export function shapeOf(fields: readonly FieldSpec[]): Record<string, z.ZodType> {
  return Object.fromEntries(fields.map((f) => [f.key, fieldSchema(f)]));
}
