/**
 * Names and ids (feature, wp, agent, role, model, node, event type): one
 * rule for all of them, so every boundary rejects the same things.
 *
 * @module
 */
import { z } from "../deps.ts";

/** Longest accepted id or name. */
export const MAX_NAME_LENGTH = 256;

/**
 * True when the text holds a C0 control character or DEL.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { hasControlChars } from "./names.ts";
 * assert.ok(hasControlChars("a\nb") && !hasControlChars("043-x"));
 * ```
 */
export function hasControlChars(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

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
