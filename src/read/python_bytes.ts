/**
 * Reading an execution event from the bytes of a line in the Python
 * writer's layout (`json.dumps(sort_keys=True)`: keys sorted, `", "` and
 * `": "` separators, non-ASCII escaped). Older Python writers leave out
 * payload keys (the reference logs have no cache or reasoning tokens), so
 * every payload key but `agent` and `role` may be missing and then takes
 * the schema's default. Like the canonical reader, it accepts a line only
 * when the full path would accept it with the same values; anything else
 * falls back.
 *
 * @module
 */
import {
  anyString,
  type ByteChunk,
  count,
  countOrNull,
  decimal,
  idOrNull,
  int32,
  lineEndAt,
  name,
  scanned,
  ulid,
} from "./byte_scan.ts";
import { lineEndWithoutTypeKey, literal } from "./byte_literals.ts";
import { LINE, type LineView, type NameCache } from "./line_view.ts";
import { PAYLOAD_DEFAULTS } from "../event/payload_keys.ts";
import { isRfc3339Bytes } from "../event/text_rules.ts";

const HEAD = literal('{"aggregate_id": "');
const CAUSATION = literal('", "causation_id": ');
const EVENT_ID = literal(', "event_id": "');
const TYPE = literal('", "event_type": "');
const EXECUTION = literal('ExecutionEvent"');
const LAMPORT = literal(', "lamport_clock": ');
const NODE = literal(', "node_id": "');
const PAYLOAD = literal('", "payload": {');
const TIMESTAMP = literal('}, "timestamp": "');
const NULL = literal("null");
const TRUE = literal("true");
const FALSE = literal("false");
const QUOTE = 0x22;

/** How a payload value is read. */
const Kind = {
  Name: 0,
  NameOrNull: 1,
  CountOrNull: 2,
  Count: 3,
  Cost: 4,
  Bool: 5,
  StringOrNull: 6,
  Int: 7,
} as const;

/** The payload keys in sorted order; `required` ones must be present. */
const FIELDS = [
  ["agent", Kind.Name, true],
  ["cache_read_tokens", Kind.CountOrNull, false],
  ["cache_write_tokens", Kind.CountOrNull, false],
  ["cost_usd", Kind.Cost, false],
  ["duration_ms", Kind.Count, false],
  ["error", Kind.StringOrNull, false],
  ["exit_code", Kind.Int, false],
  ["input_tokens", Kind.CountOrNull, false],
  ["model", Kind.NameOrNull, false],
  ["output_tokens", Kind.CountOrNull, false],
  ["reasoning_tokens", Kind.CountOrNull, false],
  ["role", Kind.Name, true],
  ["success", Kind.Bool, false],
  ["wp_id", Kind.Name, false],
] as const;
// The first key has no separator before it.
const KEYS = FIELDS.map(([key], i) => literal(`${i === 0 ? "" : ", "}"${key}": `));

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
  const pay = view.payload;
  const values = pay as unknown as Record<string, unknown>;
  for (let i = 0; i < FIELDS.length; i++) {
    const [key, kind, required] = FIELDS[i];
    const at = KEYS[i](d, end, p);
    if (at < 0) {
      if (required) return LINE.FALLBACK;
      // The view holds no error text; every other key takes the schema's default.
      if (key !== "error") values[key] = PAYLOAD_DEFAULTS[key as keyof typeof PAYLOAD_DEFAULTS];
      continue;
    }
    p = at;
    switch (kind) {
      case Kind.Name:
      case Kind.NameOrNull:
        if (kind === Kind.NameOrNull && b[p] !== QUOTE) {
          p = NULL(d, end, p);
          values[key] = null;
          break;
        }
        if (b[p] !== QUOTE) return LINE.FALLBACK;
        q = names.name(chunk, p + 1);
        if (q < 0) return LINE.FALLBACK;
        values[key] = names.found;
        p = q + 1;
        break;
      case Kind.CountOrNull:
        p = countOrNull(d, b, end, p);
        values[key] = scanned.number === scanned.number ? scanned.number : null;
        break;
      case Kind.Count:
        p = count(b, end, p);
        values[key] = scanned.number;
        break;
      case Kind.Cost: {
        if (b[p] === 0x6e) {
          p = NULL(d, end, p);
          pay.cost_usd = null;
          break;
        }
        p = decimal(chunk, p);
        if (p < 0 || !(scanned.decimal <= 1e12)) return LINE.FALLBACK;
        pay.cost_usd = scanned.decimal;
        break;
      }
      case Kind.Bool:
        pay.success = b[p] === 0x74;
        p = pay.success ? TRUE(d, end, p) : FALSE(d, end, p);
        break;
      case Kind.StringOrNull:
        if (b[p] === QUOTE) {
          p = anyString(b, end, p + 1);
          if (p >= 0) p++;
        } else p = NULL(d, end, p);
        break;
      case Kind.Int:
        p = int32(b, end, p);
        pay.exit_code = scanned.number;
        break;
    }
    if (p < 0) return LINE.FALLBACK;
  }
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
