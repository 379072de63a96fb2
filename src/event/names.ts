/**
 * Names and ids (feature, wp, agent, role, model, node, event type): one
 * rule for all of them, so every boundary rejects the same things.
 *
 * @module
 */
import { z } from "../deps.ts";
import { hasControlChars, MAX_NAME_LENGTH, nameProblem } from "./text_rules.ts";

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
export const NameSchema: z.ZodString = z.string().superRefine((v, ctx) => {
  const problem = nameProblem(v);
  if (problem !== null) ctx.addIssue({ code: "custom", message: problem });
});
