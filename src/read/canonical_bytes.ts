/**
 * Reading an execution event straight from the bytes of a line the tool
 * wrote itself, without `JSON.parse`: the canonical layout (see
 * `line_encode.ts`) fixes every key and its place, so only values are
 * scanned (the payload's by `payload_bytes.ts`, from the field table). Lines
 * in the Python writer's layout go to `python_bytes.ts`. It accepts a line
 * only when `JSON.parse` plus `fastCheck` would accept it and give the same
 * values; anything else (another layout,
 * escapes in a name, unknown keys, whitespace) is left to that full path.
 * A differential test keeps the two in agreement.
 *
 * @module
 */
import { ByteChunk, count, idOrNull, lineEndAt, name, scanned, ulid } from "./byte_scan.ts";
import { lineEndWithoutTypeKey, literal, Skeleton } from "./byte_literals.ts";
import { isRfc3339Bytes } from "../event/text_rules.ts";
import { PAYLOAD_FIELDS } from "../event/fields.ts";
import { PayloadLayout, readPayload } from "./payload_bytes.ts";
import { type ExecutionView, LINE, LineView, NameCache } from "./line_view.ts";
import { isPythonLayout, readPythonLine } from "./python_bytes.ts";

export { ByteChunk };

export { type ExecutionView, type ExecutionViewPayload, LINE } from "./line_view.ts";

// Checked on the spot: the next step depends on them.
const HEAD = literal('{"event_id":"');
const HEAD_LENGTH = '{"event_id":"'.length;
const TYPE = literal('","event_type":"');
const EXECUTION = literal('ExecutionEvent"');
const EXECUTION_LENGTH = 'ExecutionEvent"'.length;

// The envelope's keys: checked after the scan, all at once (see Skeleton), in this order.
const KEYS = new Skeleton([
  ',"aggregate_id":"',
  '","lamport_clock":',
  ',"node_id":"',
  '","causation_id":',
  ',"timestamp":"',
  '","payload":', // the payload's `{` is read with its first key
]);
const LEN = KEYS.lengths;
const AT = KEYS.at;
const PAYLOAD = new PayloadLayout(PAYLOAD_FIELDS, { separator: ",", colon: ":" });

/**
 * Reads canonical execution lines from bytes into one reused view.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ByteChunk, CanonicalReader, LINE } from "./canonical_bytes.ts";
 * const line = '{"event_id":"01KHJVJWDM0HGAGYGXJYKD1JQG","event_type":"ExecutionEvent",' +
 *   '"aggregate_id":"043-x","lamport_clock":1,"node_id":"n1","causation_id":null,' +
 *   '"timestamp":"2026-02-16T09:12:58.036Z","payload":{"wp_id":"WP01","agent":"claude",' +
 *   '"role":"implementer","model":"claude-opus-4-6","input_tokens":10,"output_tokens":5,' +
 *   '"cache_read_tokens":null,"cache_write_tokens":null,"reasoning_tokens":null,' +
 *   '"cost_usd":0.25,"duration_ms":100,"success":true,"error":null,"exit_code":0}}\n';
 * const reader = new CanonicalReader();
 * const chunk = new ByteChunk(new TextEncoder().encode(line));
 * assert.equal(reader.read(chunk, 0), LINE.EXECUTION);
 * assert.equal(reader.view.payload.cost_usd, 0.25);
 * assert.equal(reader.lineEnd, line.length - 1);
 * ```
 */
export class CanonicalReader {
  /** The last execution event read (overwritten by the next read). */
  readonly view: ExecutionView;
  /** After an `EXECUTION` or `OTHER_TYPE` read: where the line ends (its `\n` or `\r\n`, or the chunk's end). */
  lineEnd = 0;
  readonly #view = new LineView();
  readonly #names = new NameCache();

  constructor() {
    this.view = this.#view;
  }

  /**
   * Reads the line that starts at `start` in `chunk`; the scan itself finds
   * where a canonical line ends. Returns a {@linkcode LINE} value.
   */
  read(chunk: ByteChunk, start: number): number {
    const { bytes: b, view: d, end } = chunk;
    this.#view.lineStart = start;
    if (HEAD(d, end, start) < 0) {
      if (!isPythonLayout(chunk, start)) return LINE.FALLBACK;
      this.#view.verbatim = false;
      const found = readPythonLine(chunk, start, this.#view, this.#names);
      this.lineEnd = this.#view.lineEnd;
      return found;
    }
    let p = TYPE(d, end, ulid(b, end, start + HEAD_LENGTH));
    // The type must be a plain name: "Execution\u0045vent" is an execution event too.
    if (name(b, end, p) < 0) return LINE.FALLBACK;
    if (EXECUTION(d, end, p) < 0) return this.#otherType(chunk, p);
    p += EXECUTION_LENGTH;
    // From here, keys are assumed where the layout puts them and checked at
    // the end; every scan stays inside the block, so a wrong guess only
    // means a fallback.
    const v = this.#view;
    const pay = v.payload;
    let k = 0;
    AT[k] = p;
    p += LEN[k++];
    let q = this.#names.name(chunk, p);
    if (q < 0) return LINE.FALLBACK;
    v.aggregate_id = this.#names.found;
    AT[k] = q;
    p = count(b, end, q + LEN[k++]);
    if (p < 0) return LINE.FALLBACK;
    v.lamport_clock = scanned.number;
    AT[k] = p;
    p = this.#names.name(chunk, p + LEN[k++]);
    if (p < 0) return LINE.FALLBACK;
    v.node_id = this.#names.found;
    v.idFrom = start + HEAD_LENGTH;
    AT[k] = p;
    p += LEN[k++];
    p = idOrNull(d, b, end, p);
    if (p < 0) return LINE.FALLBACK;
    AT[k] = p;
    p += LEN[k++];
    q = name(b, end, p);
    if (q < 0 || !isRfc3339Bytes(b, p, q)) return LINE.FALLBACK;
    v.chunk = chunk;
    v.from = p;
    v.to = q;
    AT[k] = q;
    scanned.exact = 1;
    p = readPayload(
      PAYLOAD,
      chunk,
      q + LEN[k],
      pay as unknown as Record<string, unknown>,
      this.#names,
    );
    if (p < 0 || p + 2 > end || b[p] !== 0x7d || b[p + 1] !== 0x7d) return LINE.FALLBACK;
    p = lineEndAt(b, end, p + 2);
    if (p < 0) return LINE.FALLBACK;
    // Every key lies before `p`, which is inside the block: safe to check.
    if (!KEYS.check(d)) return LINE.FALLBACK;
    v.verbatim = scanned.exact === 1;
    this.lineEnd = p;
    v.lineEnd = p;
    return LINE.EXECUTION;
  }

  /**
   * A canonical line of another type ends at its newline; but JSON lets a
   * later duplicate key win, so a second `"event_type"` (which cannot occur
   * inside a string, where quotes are escaped) sends the line to the full
   * path instead.
   */
  #otherType(chunk: ByteChunk, p: number): number {
    const lineEnd = lineEndWithoutTypeKey(chunk.view, chunk.bytes, chunk.end, p);
    if (lineEnd < 0) return LINE.FALLBACK;
    this.lineEnd = lineEnd;
    return LINE.OTHER_TYPE;
  }
}
