/**
 * The second reading of counting each id once, made cheap: of a log's lines
 * only those that may hold a repeated id are decoded. Each line's id, when
 * it is 26 plain characters after its key (both layouts), is hashed where
 * it lies, and the line is decoded only when that hash may repeat; every
 * other line is skipped unread, whatever it holds. A line skipped that the
 * scan counted under a repeated hash (an id this cannot read from the
 * bytes: a UUID, an escape, a second `event_id` key) is caught by the
 * caller's count, since the lines found must be as many as the scan counted
 * (see {@linkcode occurrences}); the caller then reads in full. Pure.
 *
 * @module
 */
import { DECODE_LINE, type LineSink } from "../read/byte_blocks.ts";
import type { ByteChunk } from "../read/byte_scan.ts";
import { hasHash, idHashAt } from "./id_hash.ts";
import { ENVELOPE_FIELDS } from "../event/fields.ts";
import { repeatedHashes } from "../event/repeated_hashes.ts";

// The event id is the table's first envelope field (its example says so).
const KEY = [...`"${ENVELOPE_FIELDS[0].key}":`].map((c) => c.charCodeAt(0));
const QUOTE = 0x22;
const NEWLINE = 0x0a;
const ID_LENGTH = 26;
/** How far into a line the key is looked for (past two short values in the Python layout). */
const SEARCHED = 256;

/**
 * Where the id of the line at `start` begins: after its first `"event_id":`
 * key (the line's first in the tool's layout; within the first bytes, the
 * third key, in the Python writer's sorted one, after a space), when a
 * quote closes it 26 characters on (a plain id: its bytes hash as
 * `idHashOf` hashes the decoded id; any other line's hash is unknown);
 * -1 otherwise.
 */
function idAt(bytes: Uint8Array, start: number, end: number): number {
  let key = start + 1;
  if (bytes[key] !== QUOTE || bytes[key + 1] !== KEY[1]) {
    key = -1;
    const stop = Math.min(end - KEY.length, start + SEARCHED);
    for (let i = start; i < stop && bytes[i] !== NEWLINE; i++) {
      if (bytes[i] === QUOTE && bytes[i + 1] === KEY[1] && bytes[i + 2] === KEY[2]) {
        key = i;
        break;
      }
    }
    if (key < 0) return -1;
  }
  for (let i = 2; i < KEY.length; i++) if (bytes[key + i] !== KEY[i]) return -1;
  let at = key + KEY.length;
  if (bytes[at] === 0x20) at++;
  if (at + ID_LENGTH + 1 >= end || bytes[at] !== QUOTE || bytes[at + ID_LENGTH + 1] !== QUOTE) {
    return -1;
  }
  return at + 1;
}

/**
 * A line sink for `scanLogBatches` that has decoded only the lines whose
 * id hash may be in the sorted `repeated`, and skips the rest a run at a
 * time (see `LineSink.runLines`): one loop over a block, not a call per line.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ByteChunk } from "../read/byte_scan.ts";
 * import { DECODE_LINE } from "../read/byte_blocks.ts";
 * import { candidateLines } from "./candidate_lines.ts";
 * import { idHashOf } from "./id_hash.ts";
 * const line = (id: string) => `{"event_id":"${id}","event_type":"X"}\n`;
 * const [a, b] = ["01KHJVJWDM0HGAGYGXJYKD1JQG", "01KHJVJWDM0HGAGYGXJYKD1JQH"];
 * const text = line(a) + "junk\r\n" + line(a) + line(b) + line(a);
 * const chunk = new ByteChunk(new TextEncoder().encode(text));
 * const sink = candidateLines(Float64Array.of(idHashOf(b)));
 * const bAt = text.indexOf(b) - 13;
 * assert.equal(sink(chunk, 0, 1), bAt - 1); // up to the line before b's
 * assert.equal(sink.runLines, 2);
 * assert.equal(sink(chunk, bAt, 4), DECODE_LINE);
 * assert.equal(sink(chunk, bAt + line(b).length, 5), text.length - 1); // the rest
 * ```
 */
export function candidateLines(repeated: Float64Array): LineSink {
  const maybe = repeatedTest(repeated);
  const sink: LineSink = (chunk: ByteChunk, start: number): number => {
    const { bytes, end, view } = chunk;
    let stop = -1;
    let lines = 0;
    for (let p = start; p < end; lines++) {
      const at = idAt(bytes, p, end);
      if (at >= 0 && maybe(idHashAt(view, at))) break;
      let nl = bytes.indexOf(NEWLINE, at < 0 ? p : at);
      if (nl === -1 || nl > end) nl = end;
      // The run's end at its last `\n` (`nextLine` goes past it, `\r\n` or not).
      stop = nl;
      p = nl + 1;
    }
    sink.runLines = lines - 1;
    return lines === 0 ? DECODE_LINE : stop;
  };
  return sink;
}

/**
 * A test for "is in the sorted `repeated`", most answers by one look at a
 * bit per low 20 bits of each hash, the rest by a binary search.
 */
function repeatedTest(repeated: Float64Array): (hash: number) => boolean {
  const bits = new Int32Array(1 << 15);
  for (const hash of repeated) bits[(hash % BITS) >>> 5] |= 1 << (hash % 32);
  return (hash) =>
    (bits[(hash % BITS) >>> 5] & (1 << (hash % 32))) !== 0 && hasHash(repeated, hash);
}

const BITS = 1 << 20;

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
  const has = repeatedTest(repeated);
  let n = 0;
  for (const part of parts) for (let i = 0; i < part.length; i++) if (has(part[i])) n++;
  return n;
}

/**
 * The hashes of the sorted `repeated` that occur in `parts`, sorted: the
 * repeats that touch a selection (its hashes in `parts`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { present } from "./candidate_lines.ts";
 * assert.deepEqual([...present([Float64Array.of(5, 2), Float64Array.of(2)], Float64Array.of(2, 3, 5))], [2, 5]);
 * ```
 */
export function present(parts: readonly Float64Array[], repeated: Float64Array): Float64Array {
  const has = repeatedTest(repeated);
  const seen = new Set<number>();
  for (const part of parts) {
    for (let i = 0; i < part.length; i++) if (has(part[i])) seen.add(part[i]);
  }
  return Float64Array.from(seen).sort();
}

/**
 * The repeated ids a selection must settle, sorted: hashes on more than one
 * line among the `selected` lines' and the `others` (lines a filter left
 * out), that occur among the selected. The first copy of all copies is the
 * one that counts, so a filter takes it or none, and an id repeated only
 * among lines the filter left out is none of its business.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { selectionRepeats } from "./candidate_lines.ts";
 * // 2 is on a selected line and a left-out one; 7 on two left-out lines.
 * const picked = selectionRepeats([Float64Array.of(2, 3)], [Float64Array.of(2, 7, 7)]);
 * assert.deepEqual([...picked], [2]);
 * ```
 */
export function selectionRepeats(
  selected: readonly Float64Array[],
  others: readonly Float64Array[] = [],
): Float64Array {
  if (others.every((part) => part.length === 0)) return repeatedHashes(selected);
  const any = repeatedHashes([...selected, ...others]);
  return any.length === 0 ? any : present(selected, any);
}
