/**
 * The field table as schemas: one per row, and the object shape of a list
 * of rows. Built by `table_schema.ts` from the table and `field_checks.ts`,
 * with no schema library loaded.
 *
 * @module
 */
import type { FieldSpec } from "./fields.ts";
import { type FieldRule, fieldRule, type Schema, schemaOf } from "./table_schema.ts";

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
export function fieldSchema<T = unknown>(field: FieldSpec): Schema<T> {
  return schemaOf<T>(fieldRule(field).run);
}

/**
 * The object shape of a list of rows, keyed by their JSON keys (for
 * `objectSchema` in `table_schema.ts`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PAYLOAD_FIELDS } from "./fields.ts";
 * import { shapeOf } from "./field_schemas.ts";
 * assert.deepEqual(Object.keys(shapeOf(PAYLOAD_FIELDS)), PAYLOAD_FIELDS.map((f) => f.key));
 * ```
 */
export function shapeOf(fields: readonly FieldSpec[]): Record<string, FieldRule> {
  return Object.fromEntries(fields.map((f) => [f.key, fieldRule(f)]));
}
