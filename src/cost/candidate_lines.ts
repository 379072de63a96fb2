/**
 * The second reading of counting each id once, made cheap: of a log's lines
 * only those that may hold a repeated id are decoded. A line that starts
 * with its event id (the tool's layout, `{"event_id":"…"`, or the Python
 * writer's, `{"event_id": "…"`) and whose id is 26 plain characters is
 * hashed from its bytes where it lies, and skipped unread when the hash is
 * not a repeated one; every other line is decoded, as the byte readers
 * would leave it. A line skipped here that should not have been (a second
 * `event_id` key later in the line, which `JSON.parse` would take) is caught
 * by the caller's count: the lines found must be as many as the scan
 * counted (see {@linkcode occurrences}). Pure.
 *
 * @module
 */
import { DECODE_LINE, type LineSink } from "../read/byte_blocks.ts";
import type { ByteChunk } from "../read/byte_scan.ts";
import { lineEnd } from "../read/line_walk.ts";
import { hasHash, idHashAt } from "./id_hash.ts";
import { ENVELOPE_FIELDS } from "../event/fields.ts";

// The event id is the table's first envelope field (its example says so).
const ID_KEY = ENVELOPE_FIELDS[0].key;

// The key and its colon as bytes; the Python layout has one space after the colon.
const KEY = [...`"${ID_KEY}":`].map((c) => c.charCodeAt(0));
const QUOTE = 0x22;
const ID_LENGTH = 26;
/** How far into a line the key is looked for (past two short values in the Python layout). */
const SEARCHED = 256;

/**
 * Where the 26-character id of the line at `start` begins: after the first
 * `"event_id":` in the line's first bytes (the first key in the tool's
 * layout, the third in the Python writer's sorted one), when its characters
 * need no unescaping (printable ASCII, no quote, no backslash: then its
 * bytes hash as `idHashOf` hashes the decoded id); -1 otherwise.
 */
function plainIdAt(bytes: Uint8Array, start: number, end: number): number {
  let at = bytes[start + 1] === QUOTE && bytes[start + 2] === KEY[1] ? start + 1 : -1;
  for (let i = start, stop = Math.min(end, start + SEARCHED); at < 0 && i < stop; i++) {
    if (bytes[i] === QUOTE && bytes[i + 1] === KEY[1] && bytes[i + 2] === KEY[2]) at = i;
  }
  if (at < 0 || at + KEY.length + ID_LENGTH + 3 >= end) return -1;
  for (let i = 3; i < KEY.length; i++) if (bytes[at + i] !== KEY[i]) return -1;
  at += KEY.length;
  if (bytes[at] === 0x20) at++;
  if (bytes[at] !== QUOTE || bytes[at + ID_LENGTH + 1] !== QUOTE) return -1;
  at++;
  for (let i = at; i < at + ID_LENGTH; i++) {
    const b = bytes[i];
    if (b < 0x20 || b > 0x7e || b === QUOTE || b === 0x5c) return -1;
  }
  return at;
}

/**
 * A line sink for `scanLogBatches` that decodes only the lines whose id
 * hash may be in the sorted `repeated` (and every line it cannot tell).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ByteChunk } from "../read/byte_scan.ts";
 * import { DECODE_LINE } from "../read/byte_blocks.ts";
 * import { candidateLines } from "./candidate_lines.ts";
 * import { idHashOf } from "./id_hash.ts";
 * const line = '{"event_id":"01KHJVJWDM0HGAGYGXJYKD1JQG","event_type":"X"}\n';
 * const chunk = new ByteChunk(new TextEncoder().encode(line));
 * assert.equal(candidateLines(Float64Array.of(1))(chunk, 0, 1), line.length - 1);
 * const repeated = Float64Array.of(idHashOf("01KHJVJWDM0HGAGYGXJYKD1JQG"));
 * assert.equal(candidateLines(repeated)(chunk, 0, 1), DECODE_LINE);
 * ```
 */
export function candidateLines(repeated: Float64Array): LineSink {
  return (chunk: ByteChunk, start: number): number => {
    const at = plainIdAt(chunk.bytes, start, chunk.end);
    if (at < 0 || hasHash(repeated, idHashAt(chunk.view, at))) return DECODE_LINE;
    return lineEnd(chunk, start);
  };
}

/**
 * How many of the hashes in `parts` are in the sorted `repeated`: the lines
 * a second reading must find.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { occurrences } from "./candidate_lines.ts";
 * assert.equal(occurrences([Float64Array.of(1, 2, 2), Float64Array.of(2, 3)], Float64Array.of(2)), 3);
 * ```
 */
export function occurrences(parts: readonly Float64Array[], repeated: Float64Array): number {
  const set = new Set(repeated);
  let n = 0;
  for (const part of parts) for (let i = 0; i < part.length; i++) if (set.has(part[i])) n++;
  return n;
}
