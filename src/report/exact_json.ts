/**
 * JSON text of a report whose integers may be BigInts (token sums past
 * 2**53): each BigInt is written as a JSON integer with every digit, where
 * `JSON.stringify` alone throws on a BigInt (and a double would round). Pure.
 *
 * @module
 */

// `JSON.rawJSON` (V8, ES2026): a value `JSON.stringify` writes as the text given.
const raw = (JSON as unknown as { rawJSON(text: string): unknown }).rawJSON;

const exact = (_key: string, value: unknown): unknown =>
  typeof value === "bigint" ? raw(value.toString()) : value;

/**
 * `JSON.stringify(value)`, BigInts written as exact integers.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { exactJson } from "./exact_json.ts";
 * assert.equal(exactJson({ tokens: 2n ** 53n + 1n, n: 1 }), '{"tokens":9007199254740993,"n":1}');
 * ```
 */
export function exactJson(value: unknown): string {
  return JSON.stringify(value, exact);
}
