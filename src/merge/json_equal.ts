/**
 * Structural equality of parsed JSON values.
 *
 * @module
 */

/**
 * True when two parsed JSON values are equal: same type, same array items
 * in the same order, same object keys (in any order) with equal values.
 * Key order is ignored because two writers lay out one event differently
 * (ours in a fixed order, Python's sorted); number spelling (`1.0`, `1`) is
 * already gone after parsing.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { jsonEqual } from "./json_equal.ts";
 * assert.ok(jsonEqual(JSON.parse('{"a": 1, "b": [null]}'), JSON.parse('{"b":[null],"a":1.0}')));
 * assert.ok(!jsonEqual({ a: 1 }, { a: 1, b: null }));
 * ```
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) {
    return false;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length &&
      a.every((item, i) => jsonEqual(item, b[i]));
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const keys = Object.keys(ra);
  return keys.length === Object.keys(rb).length &&
    keys.every((k) => Object.hasOwn(rb, k) && jsonEqual(ra[k], rb[k]));
}
