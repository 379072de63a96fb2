/**
 * Decoding a line without the schema library: `JSON.parse` plus the
 * hand-written check. Lines it cannot vouch for return `undefined`, for
 * `decodeLine` (zod) to settle.
 *
 * @module
 */
import type { Event } from "./envelope.ts";
import { fastCheck } from "./fast_check.ts";

/**
 * The event on the line, if it is valid and complete as written; else
 * `undefined` (it may still be valid: ask `decodeLine`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fastDecode } from "./fast_decode.ts";
 * assert.equal(fastDecode("{not json"), undefined);
 * ```
 */
export function fastDecode(line: string): Event | undefined {
  try {
    return fastCheck(JSON.parse(line));
  } catch {
    return undefined;
  }
}
