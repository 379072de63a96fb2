/**
 * The canonical line of an execution line in the Python writer's layout,
 * written from the kernel's record of it and its bytes, with no parse: what
 * `encodeEvent(JSON.parse(line))` gives, the same keys in the same order
 * (`keyTexts` of the field table) and each value spelled by `valueText`.
 * The kernel vouches for the values (the numbers it parsed are the ones
 * `JSON.parse` reads; a key left out takes the table's default, as
 * `readPayload` fills it); ids, the time and free text are copied from the
 * line, which is why a line with a backslash or a byte past ASCII anywhere
 * is left to the decoder. The kernel skips payload keys the table does not
 * have, which `encodeEvent` keeps: such a key is seen here as quotes the
 * record does not account for (every key is quoted, and so is every
 * string value), and the line is left to the decoder too.
 *
 * @module
 */
import {
  ENVELOPE_FIELDS,
  EXECUTION_EVENT,
  type FieldKind,
  type FieldSpec,
  PAYLOAD_FIELDS,
} from "../event/fields.ts";
import { ENVELOPE_KEYS, keyTexts, valueText } from "../event/line_encode.ts";
import { PAYLOAD_LAYOUT as PYTHON_PAYLOAD } from "../read/python_bytes.ts";
import { BLOCK_AT, SLOT } from "../read/wasm/line_kernel.ts";

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
/** A quoted id: its 26 characters and two quotes (the kernel reads no other). */
const QUOTED_ID = 28;

/** The envelope as this writer fills it, in the tool's order (the kernel reads the same). */
const ENVELOPE_KINDS = ["id", "name", "name", "clock", "name", "id", "time", "object"];
if (JSON.stringify(ENVELOPE_FIELDS.map((f) => f.kind)) !== JSON.stringify(ENVELOPE_KINDS)) {
  throw new RangeError(`the record writer fills envelopes of kinds ${ENVELOPE_KINDS}`);
}

const STRING_KINDS: ReadonlySet<FieldKind> = new Set(["id", "name", "time", "text"]);
/** Quotes a line holds whatever its values: each key's, and each string that cannot be null. */
const FIXED_QUOTES = ENVELOPE_FIELDS.reduce(
  (n, f: FieldSpec) => n + 2 + (STRING_KINDS.has(f.kind) && !f.nullable ? 2 : 0),
  0,
);
const encoder = new TextEncoder();
const ENVELOPE = keyTexts(ENVELOPE_KEYS).map((text) => encoder.encode(text));
const PAYLOAD = keyTexts(PAYLOAD_FIELDS.map((f) => f.key)).map((text) => encoder.encode(text));
const KINDS: readonly FieldKind[] = PAYLOAD_FIELDS.map((f) => f.kind);
/** A left-out key's value as written (the table's default; a required key is never left out). */
const DEFAULTS: readonly Uint8Array[] = PAYLOAD_FIELDS.map((f) =>
  encoder.encode(valueText("default" in f ? f.default : null))
);
/** The key of each free-text row as the Python writer spells it after another (UTF-8). */
const TEXT_KEYS: readonly (Uint8Array | undefined)[] = PAYLOAD_FIELDS.map((f) =>
  f.kind === "text"
    ? encoder.encode(PYTHON_PAYLOAD.keyTexts.next[PYTHON_PAYLOAD.keys.indexOf(f.key)])
    : undefined
);
const TYPE = encoder.encode(valueText(EXECUTION_EVENT));
const NULL = encoder.encode(valueText(null));
const [TRUE, FALSE] = [encoder.encode(valueText(true)), encoder.encode(valueText(false))];
const CLOSE = encoder.encode("}}");

/** Each name's JSON text (UTF-8) by its id, and the name it was made for (ids are reused). */
const quoted: Uint8Array[] = [];
const quotedFor: string[] = [];

/** The line being written, and how much of it is. */
let out = new Uint8Array(1 << 12);
let used = 0;

/** Appends `from[start, end)`. */
function put(from: Uint8Array, start: number, end: number): void {
  if (end - start > 24) {
    out.set(from.subarray(start, end), used);
    used += end - start;
    return;
  }
  const o = out;
  let u = used;
  for (let i = start; i < end; i++) o[u++] = from[i];
  used = u;
}

/** Appends all of `from`. */
function putAll(from: Uint8Array): void {
  const o = out, n = from.length;
  let u = used;
  for (let i = 0; i < n; i++) o[u++] = from[i];
  used = u;
}

/** Appends `valueText(names[id])`, made once per name. */
function putName(names: readonly string[], id: number): void {
  const name = names[id];
  if (quotedFor[id] !== name) {
    quotedFor[id] = name;
    quoted[id] = encoder.encode(valueText(name));
  }
  putAll(quoted[id]);
}

/** Appends `valueText(v)` for a finite number. */
function putNumber(v: number): void {
  if (v >= 1 && v < 0x80000000 && (v | 0) === v) {
    // A whole number's digits, as String spells it.
    const o = out;
    let n = v | 0, u = used;
    for (; n > 0; n = (n / 10) | 0) o[u++] = 0x30 + (n % 10);
    for (let i = used, j = u - 1; i < j; i++, j--) {
      const c = o[i];
      o[i] = o[j];
      o[j] = c;
    }
    used = u;
    return;
  }
  const text = valueText(v);
  for (let i = 0; i < text.length; i++) out[used++] = text.charCodeAt(i);
}

/** Where `key` first stands in `bytes[from, to)`, or -1. */
function find(bytes: Uint8Array, key: Uint8Array, from: number, to: number): number {
  const first = key[0];
  for (let i = bytes.indexOf(first, from); i >= 0 && i + key.length <= to;) {
    let k = 1;
    while (k < key.length && bytes[i + k] === key[k]) k++;
    if (k === key.length) return i;
    i = bytes.indexOf(first, i + 1);
  }
  return -1;
}

/**
 * The canonical line (UTF-8, no newline; valid until the next call) of the
 * Python-layout execution line
 * `bytes[start, end)` (its end without the line break), which the kernel
 * took into record `o` of `r` (its names in `names`; its positions offset
 * by `base`, the kernel's `base` when it loaded the block), or `undefined` when
 * it must be decoded (a backslash, a byte past ASCII, a key the table does
 * not have).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeEvent } from "../event/line_encode.ts";
 * import { readEvent } from "../event/fast_check.ts";
 * import { ByteChunk } from "../read/byte_scan.ts";
 * import { BLOCK_AT, LineKernel, SLOT } from "../read/wasm/line_kernel.ts";
 * import { recordLine } from "./record_line.ts";
 * const line = '{"aggregate_id": "043-x", "causation_id": null, "event_id": ' +
 *   '"01KHJVJWDM0HGAGYGXJYKD1JQG", "event_type": "ExecutionEvent", "lamport_clock": 1, ' +
 *   '"node_id": "n1", "payload": {"agent": "codex", "cost_usd": 1.50, "duration_ms": 9, ' +
 *   '"error": "boom", "role": "implementer"}, "timestamp": "2026-02-16T09:12:58+00:00"}';
 * const bytes = new TextEncoder().encode(line);
 * const kernel = new LineKernel();
 * kernel.load(new ByteChunk(bytes));
 * kernel.run(0);
 * const end = kernel.records[SLOT.end] - BLOCK_AT;
 * const text = new TextDecoder().decode(recordLine(bytes, 0, end, kernel.records, 0, kernel.names));
 * assert.equal(text, encodeEvent(readEvent(JSON.parse(line))!.event));
 * const unknown = line.replace('"role"', '"ticket": 7, "role"');
 * const more = new TextEncoder().encode(unknown);
 * kernel.load(new ByteChunk(more));
 * kernel.run(0);
 * assert.equal(recordLine(more, 0, more.length, kernel.records, 0, kernel.names), undefined);
 * ```
 */

export function recordLine(
  bytes: Uint8Array,
  start: number,
  end: number,
  r: Float64Array,
  o: number,
  names: readonly string[],
  base: number = BLOCK_AT,
): Uint8Array | undefined {
  let quotes = 0;
  for (let i = start; i < end; i++) {
    const b = bytes[i];
    if (b === QUOTE) quotes++;
    else if (b === BACKSLASH || b >= 0x80) return undefined;
  }
  // Room for the line with every key's default (a few hundred bytes past it at most).
  if (out.length < 2 * (end - start) + 1024) out = new Uint8Array(2 * (end - start) + 1024);
  used = 0;
  let expected = FIXED_QUOTES;
  const id = r[o + SLOT.id] - base;
  putAll(ENVELOPE[0]);
  put(bytes, id - 1, id + QUOTED_ID - 1);
  putAll(ENVELOPE[1]);
  putAll(TYPE);
  putAll(ENVELOPE[2]);
  putName(names, r[o + SLOT.feature]);
  putAll(ENVELOPE[3]);
  putNumber(r[o + SLOT.clock]);
  putAll(ENVELOPE[4]);
  putName(names, r[o + SLOT.node]);
  putAll(ENVELOPE[5]);
  // The causation id stands before the separator of the event id's key.
  let p = id - 2;
  while (p > start && bytes[p] !== COMMA) p--;
  if (bytes[p - 1] === QUOTE) {
    put(bytes, p - QUOTED_ID, p);
    expected += 2;
  } else putAll(NULL);
  putAll(ENVELOPE[6]);
  put(bytes, r[o + SLOT.timeFrom] - base - 1, r[o + SLOT.timeTo] - base + 1);
  putAll(ENVELOPE[7]);
  const missing = r[o + SLOT.missing];
  for (let i = 0; i < KINDS.length; i++) {
    putAll(PAYLOAD[i]);
    if ((missing & (1 << i)) !== 0) {
      putAll(DEFAULTS[i]);
      continue;
    }
    expected += 2;
    const v = r[o + SLOT.rows + i];
    switch (KINDS[i]) {
      case "name":
        if (v < 0) putAll(NULL);
        else {
          putName(names, v);
          expected += 2;
        }
        break;
      case "flag":
        putAll(v === 1 ? TRUE : FALSE);
        break;
      case "text": {
        if (v !== v) {
          putAll(NULL);
          break;
        }
        const key = TEXT_KEYS[i]!;
        const from = find(bytes, key, id, end) + key.length;
        const to = bytes.indexOf(QUOTE, from + 1);
        if (from < key.length || bytes[from] !== QUOTE || to < 0 || to >= end) return undefined;
        put(bytes, from, to + 1);
        expected += 2;
        break;
      }
      default: // the numbers: NaN for null
        if (v !== v) putAll(NULL);
        else putNumber(v);
    }
  }
  putAll(CLOSE);
  return quotes === expected ? out.subarray(0, used) : undefined;
}
