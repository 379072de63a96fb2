/**
 * Payload keys the field table does not have (an orchestrator's own
 * `ticket`): the full path reads such a key and drops it, so a line's
 * values are the same without it. The byte readers skip it, its value
 * checked as `JSON.parse` would, wherever it stands in the payload; a key
 * with an escape or beyond printable ASCII could spell a known key, and a
 * known key out of place may be a repeat: those lines go to the full path.
 *
 * @module
 */
import type { ByteChunk } from "./byte_scan.ts";
import { jsonValueEnd } from "./json_bytes.ts";

/**
 * One writer's way of spelling a key the table does not have.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ByteChunk } from "./byte_scan.ts";
 * import { UnknownPairs } from "./unknown_pairs.ts";
 * const pairs = new UnknownPairs(["model"], { separator: ",", colon: ":" });
 * const at = (s: string) => pairs.skip(new ByteChunk(new TextEncoder().encode(s)), 0, false);
 * assert.equal(at(',"ticket":[1,"a"]}'), 17);
 * assert.equal(at(',"model":"x"}'), -1); // a known key
 * assert.equal(at(',"t":[1,}'), -1); // not JSON
 * ```
 */
export class UnknownPairs {
  /** Before such a key as the first one, before it after another, and between it and its value. */
  readonly texts: readonly [first: string, next: string, colon: string];
  readonly #bytes: readonly Uint8Array[];

  /** For a payload of `keys`, spelled with `style`'s separator and colon. */
  constructor(
    readonly keys: readonly string[],
    style: { readonly separator: string; readonly colon: string },
  ) {
    this.texts = ['{"', `${style.separator}"`, `"${style.colon}`];
    this.#bytes = this.texts.map((t) => new TextEncoder().encode(t));
  }

  /**
   * Skips the pair at `p` (`{` before its key when `first`, else the
   * separator); returns where it ends, or -1 when it is no pair to skip.
   */
  skip(chunk: ByteChunk, p: number, first: boolean): number {
    const { bytes: b, end } = chunk;
    const lead = this.#bytes[first ? 0 : 1];
    if (p + lead.length > end) return -1;
    for (let i = 0; i < lead.length; i++) if (b[p + i] !== lead[i]) return -1;
    const from = p + lead.length;
    let q = from;
    while (q < end && b[q] >= 0x20 && b[q] <= 0x7e && b[q] !== 0x22 && b[q] !== 0x5c) q++;
    if (q >= end || b[q] !== 0x22) return -1;
    if (this.keys.includes(String.fromCharCode(...b.subarray(from, q)))) return -1;
    const colon = this.#bytes[2];
    if (q + colon.length > end) return -1;
    for (let i = 0; i < colon.length; i++) if (b[q + i] !== colon[i]) return -1;
    return jsonValueEnd(b, q + colon.length, end);
  }
}
