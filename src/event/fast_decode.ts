/**
 * Decoding a line without the schemas: `JSON.parse` plus the hand-written
 * check. Lines it cannot vouch for return `undefined`, for `decodeLine` to
 * settle.
 *
 * @module
 */
import type { Event } from "./envelope.ts";
import { fastCheck } from "./fast_check.ts";
import type { DecodeResult } from "./line_codec.ts";

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

let codec: Promise<typeof import("./line_codec.ts")> | undefined;

/**
 * `decodeLine` and the schemas, loaded on first call: for lines
 * {@linkcode fastDecode} could not vouch for.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeWithSchemas } from "./fast_decode.ts";
 * assert.equal((await decodeWithSchemas("[]")).ok, false);
 * ```
 */
export async function decodeWithSchemas(line: string): Promise<DecodeResult> {
  codec ??= import("./line_codec.ts");
  return (await codec).decodeLine(line);
}

/**
 * `decodeLine`, loading the schemas only for lines the fast check
 * cannot vouch for (for callers that decode a few lines, like the log tail).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeLineLazily } from "./fast_decode.ts";
 * assert.equal((await decodeLineLazily("[]")).ok, false);
 * ```
 */
export async function decodeLineLazily(line: string): Promise<DecodeResult> {
  const fast = fastDecode(line);
  return fast ? { ok: true, event: fast } : await decodeWithSchemas(line);
}
