/**
 * Reading an execution event from the bytes of a line in the Python
 * writer's layout (`json.dumps(sort_keys=True)`: keys sorted, `", "` and
 * `": "` separators, non-ASCII escaped). Older Python writers leave out
 * payload keys (the reference logs have no cache or reasoning tokens), so
 * every payload key the table gives a default may be missing and then takes
 * that default. Like the canonical reader, it accepts a line only
 * when the full path would accept it with the same values; anything else
 * falls back.
 *
 * @module
 */
import { type ByteChunk, count, idOrNull, lineEndAt, name, scanned, ulid } from "./byte_scan.ts";
import { lineEndWithoutTypeKey, literal } from "./byte_literals.ts";
import { LINE, type LineView, type NameCache } from "./line_view.ts";
import { PAYLOAD_FIELDS } from "../event/fields.ts";
import { PayloadLayout, readPayload } from "./payload_bytes.ts";
import { isRfc3339Bytes } from "../event/text_rules.ts";

const HEAD = literal('{"aggregate_id": "');
const CAUSATION = literal('", "causation_id": ');
const EVENT_ID = literal(', "event_id": "');
const TYPE = literal('", "event_type": "');
const EXECUTION = literal('ExecutionEvent"');
const LAMPORT = literal(', "lamport_clock": ');
const NODE = literal(', "node_id": "');
const PAYLOAD = literal('", "payload": '); // the `{` is read with the first key
const TIMESTAMP = literal('}, "timestamp": "');

// Python's `json.dumps(sort_keys=True)` puts the payload keys in sorted order.
/** The payload layout of the Python writer (keys sorted, its separators). */
export const PAYLOAD_LAYOUT: PayloadLayout = new PayloadLayout(
  [...PAYLOAD_FIELDS].sort((x, y) => x.key < y.key ? -1 : 1),
  { separator: ", ", colon: ": " },
);

/**
 * True when the line starts the way the Python writer starts every line.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ByteChunk } from "./byte_scan.ts";
 * import { isPythonLayout } from "./python_bytes.ts";
 * const chunk = new ByteChunk(new TextEncoder().encode('{"aggregate_id": "043-x", ...'));
 * assert.ok(isPythonLayout(chunk, 0));
 * ```
 */
export function isPythonLayout(chunk: ByteChunk, start: number): boolean {
  return HEAD(chunk.view, chunk.end, start) > 0;
}

/**
 * Reads a Python-layout line at `start` into `view` (names through
 * `names`); returns a `LINE` value, and for a line it took, its end in
 * `view.lineEnd`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ByteChunk } from "./byte_scan.ts";
 * import { LINE, LineView, NameCache } from "./line_view.ts";
 * import { readPythonLine } from "./python_bytes.ts";
 * const line = '{"aggregate_id": "043-x", "causation_id": null, "event_id": ' +
 *   '"01KHJVJWDM0HGAGYGXJYKD1JQG", "event_type": "ExecutionEvent", "lamport_clock": 1, ' +
 *   '"node_id": "cli:WP04", "payload": {"agent": "copilot", "cost_usd": 15.6, ' +
 *   '"duration_ms": 17880000, "error": null, "exit_code": 0, "input_tokens": 30532200, ' +
 *   '"model": "claude-sonnet-4.5", "output_tokens": 178560, "role": "implementer", ' +
 *   '"success": true, "wp_id": "WP04"}, "timestamp": "2026-02-16T09:12:58.036834+00:00"}';
 * const view = new LineView();
 * const chunk = new ByteChunk(new TextEncoder().encode(line));
 * assert.equal(readPythonLine(chunk, 0, view, new NameCache()), LINE.EXECUTION);
 * assert.equal(view.payload.cost_usd, 15.6);
 * assert.equal(view.payload.cache_read_tokens, null);
 * ```
 */
export function readPythonLine(
  chunk: ByteChunk,
  start: number,
  view: LineView,
  names: NameCache,
): number {
  const { bytes: b, view: d, end } = chunk;
  let p = HEAD(d, end, start);
  let q = names.name(chunk, p);
  if (q < 0) return LINE.FALLBACK;
  const aggregate = names.found;
  p = idOrNull(d, b, end, CAUSATION(d, end, q));
  const id = EVENT_ID(d, end, p);
  p = TYPE(d, end, ulid(b, end, id));
  if (name(b, end, p) < 0) return LINE.FALLBACK;
  if (EXECUTION(d, end, p) < 0) {
    view.lineEnd = lineEndWithoutTypeKey(d, b, end, p);
    return view.lineEnd < 0 ? LINE.FALLBACK : LINE.OTHER_TYPE;
  }
  view.aggregate_id = aggregate;
  p = count(b, end, LAMPORT(d, end, EXECUTION(d, end, p)));
  if (p < 0) return LINE.FALLBACK;
  view.lamport_clock = scanned.number;
  p = names.name(chunk, NODE(d, end, p));
  if (p < 0) return LINE.FALLBACK;
  view.node_id = names.found;
  view.idFrom = id;
  p = PAYLOAD(d, end, p);
  if (p < 0) return LINE.FALLBACK;
  p = readPayload(
    PAYLOAD_LAYOUT,
    chunk,
    p,
    view.payload as unknown as Record<string, unknown>,
    names,
  );
  p = TIMESTAMP(d, end, p);
  q = name(b, end, p);
  if (q < 0 || !isRfc3339Bytes(b, p, q)) return LINE.FALLBACK;
  view.chunk = chunk;
  view.from = p;
  view.to = q;
  p = q + 1;
  if (p >= end || b[p] !== 0x7d) return LINE.FALLBACK;
  p = lineEndAt(b, end, p + 1);
  if (p < 0) return LINE.FALLBACK;
  view.lineEnd = p;
  return LINE.EXECUTION;
}
