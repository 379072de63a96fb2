/**
 * Names and ids (feature, wp, agent, role, model, node, event type): one
 * rule for all of them, so every boundary rejects the same things.
 *
 * @module
 */
import { hasControlChars, MAX_NAME_LENGTH } from "./text_rules.ts";
import { fieldRule, type Schema, schemaOf } from "./table_schema.ts";

export { hasControlChars, MAX_NAME_LENGTH };

/**
 * A name under the one name rule (`nameProblem` in `text_rules.ts`): at
 * most {@linkcode MAX_NAME_LENGTH} characters, no control characters, no
 * lone surrogates.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { NameSchema } from "./names.ts";
 * assert.ok(!NameSchema.safeParse("").success);
 * ```
 */
export const NameSchema: Schema<string> = schemaOf(
  fieldRule({ key: "name", kind: "name", nullable: false }).run,
);
