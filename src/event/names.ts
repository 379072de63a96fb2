/**
 * Names and ids (feature, wp, agent, role, model, node, event type): one
 * rule for all of them, so every boundary rejects the same things.
 *
 * @module
 */
import { z } from "../deps.ts";
import { hasControlChars, MAX_NAME_LENGTH } from "./text_rules.ts";

export { hasControlChars, MAX_NAME_LENGTH };

/**
 * A non-empty name of at most {@linkcode MAX_NAME_LENGTH} characters
 * without control characters.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { NameSchema } from "./names.ts";
 * assert.ok(!NameSchema.safeParse("").success);
 * ```
 */
export const NameSchema: z.ZodString = z.string().min(1).max(MAX_NAME_LENGTH).refine(
  (v) => !hasControlChars(v),
  { message: "must not contain control characters" },
);
