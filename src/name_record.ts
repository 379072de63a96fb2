/**
 * A record of named values (models, by name) that keeps every name: zod's
 * own record assigns each entry through a plain object's setters, so a key
 * named `__proto__` is dropped unread, value and all. Names are data here.
 *
 * @module
 */
import { z } from "./deps.ts";

const PROTO = "__proto__";

/**
 * `z.record(key, value)`, with an own `__proto__` entry read and checked
 * like the rest (its issues under its name) and kept as an own property.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { z } from "./deps.ts";
 * import { nameRecord } from "./name_record.ts";
 * const schema = nameRecord(z.string(), z.number());
 * const out = schema.parse(JSON.parse('{"a": 1, "__proto__": 2}'));
 * assert.deepEqual(Object.entries(out), [["a", 1], ["__proto__", 2]]);
 * const bad = schema.safeParse(JSON.parse('{"__proto__": "x"}'));
 * assert.deepEqual(bad.error?.issues[0].path, ["__proto__"]);
 * ```
 */
export function nameRecord<V extends z.ZodType>(
  key: z.ZodType<string>,
  value: V,
): z.ZodType<Record<string, z.output<V>>> {
  const record = z.record(key, value);
  return z.unknown().transform((input, ctx) => {
    const parsed = record.safeParse(input);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) ctx.issues.push({ ...issue, input } as never);
      return z.NEVER;
    }
    const out = parsed.data as Record<string, z.output<V>>;
    if (typeof input !== "object" || input === null || !Object.hasOwn(input, PROTO)) return out;
    const own = value.safeParse((input as Record<string, unknown>)[PROTO]);
    if (!own.success) {
      for (const issue of own.error.issues) {
        ctx.issues.push({ ...issue, path: [PROTO, ...issue.path], input } as never);
      }
      return z.NEVER;
    }
    Object.defineProperty(out, PROTO, {
      value: own.data,
      enumerable: true,
      writable: true,
      configurable: true,
    });
    return out;
  }) as unknown as z.ZodType<Record<string, z.output<V>>>;
}
