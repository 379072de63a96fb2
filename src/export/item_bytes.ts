/**
 * Spans and log records written straight into bytes (a {@linkcode ByteOut}),
 * for the file export: the same text as `spanJson` and `logRecordJson` in
 * `otlp_encode.ts` (the reference, which the push uses; a differential test
 * holds the two equal over random events), without a string per piece.
 * Fixed text is pre-encoded once; an attribute whose values repeat
 * (agents, models, features, flags) is copied as one remembered piece;
 * counts, times and ids are written digit by digit. Pure.
 *
 * @module
 */
import { normalizeEventId } from "../event/event_id.ts";
import type { ExecutionEvent } from "../event/execution.ts";
import { type ByteOut, utf8 } from "./byte_out.ts";
import {
  type ItemSignal,
  SEVERITY_ERROR,
  SEVERITY_INFO,
  SPAN_KIND_INTERNAL,
  STATUS_ERROR,
} from "./otlp_encode.ts";
import {
  type AttributeSpec,
  EVENT_ATTRIBUTES,
  type ExportRow,
  LOG_EVENT_NAME,
  OPERATION,
  VALUE_MEMBER,
} from "./otlp_mapping.ts";
import { IdFrame, idInput, MAX_ID_BYTES } from "./wasm/sha256_kernel.ts";
import { spanIds } from "./otlp_ids.ts";
import { ViewEvent } from "./view_event.ts";
import { unixMicros } from "./otlp_values.ts";

const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const ZERO = 0x30;
const VALUE_END = utf8("}}");
const INT_END = utf8('"}}');
const THOUSAND = utf8("000");

/**
 * A piece as the first member (`first`), after a member (`rest`: a comma
 * first), or after an int member whose closing `"}}` is still to write
 * (`afterInt`: those three bytes and the comma first, one copy for both).
 */
interface Piece {
  first: Uint8Array;
  rest: Uint8Array;
  afterInt: Uint8Array;
}

function piece(text: string): Piece {
  const afterInt = utf8('"}},' + text);
  return { first: afterInt.subarray(4), rest: afterInt.subarray(3), afterInt };
}

/** Which of a piece's forms comes next. */
const FIRST = 0;
const REST = 1;
const AFTER_INT = 2;

function form(p: Piece, state: number): Uint8Array {
  return state === REST ? p.rest : state === AFTER_INT ? p.afterInt : p.first;
}

/** Each attribute's text before its value. */
const PREFIXES = EVENT_ATTRIBUTES.map((spec) =>
  `{"key":${JSON.stringify(spec.key)},"value":{"${VALUE_MEMBER[spec.type]}":`
);
const VALUE_PREFIXES = PREFIXES.map((p) => piece(p));
const INT_PREFIXES = PREFIXES.map((p) => piece(p + '"'));
const BOOLS = PREFIXES.map((p) => ({ yes: piece(p + "true}}"), no: piece(p + "false}}") }));

/** What stands around a span's ids, and a record's. */
const SPAN_IDS: [string, string, string] = ['{"traceId":"', '","spanId":"', '","name":'];
const LOG_IDS: [string, string, string] = ['],"traceId":"', '","spanId":"', '"}'];
const SPAN_START = utf8(`,"kind":${SPAN_KIND_INTERNAL},"startTimeUnixNano":"`);
const SPAN_END = utf8('","endTimeUnixNano":"');
const SPAN_ATTRIBUTES = utf8('","attributes":[');
const SPAN_STATUS = utf8(`,"status":{"code":${STATUS_ERROR},"message":`);
const LOG_OPEN = utf8('{"timeUnixNano":"');
const LOG_OBSERVED = utf8('","observedTimeUnixNano":"');
const logMiddle = (severity: number, text: string) =>
  utf8(
    `","severityNumber":${severity},"severityText":"${text}","eventName":${
      JSON.stringify(LOG_EVENT_NAME)
    },"body":{"stringValue":${JSON.stringify(LOG_EVENT_NAME)}},"attributes":[`,
  );
const LOG_INFO = logMiddle(SEVERITY_INFO, "INFO");
const LOG_ERROR = logMiddle(SEVERITY_ERROR, "ERROR");

/** Distinct values remembered per attribute before it is written afresh each time. */
const REMEMBERED = 256;

/**
 * Writes one signal's items. Each writer remembers the pieces it wrote
 * (a few hundred per attribute at most), so make one per export.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ByteOut } from "./byte_out.ts";
 * import { ItemWriter } from "./item_bytes.ts";
 * const event = {
 *   event_id: "01KHJVJWDM0HGAGYGXJYKD1JQG", event_type: "ExecutionEvent" as const, aggregate_id: "f",
 *   lamport_clock: 1, node_id: "n", causation_id: null, timestamp: "2026-01-01T00:00:00+00:00",
 *   payload: { wp_id: "WP01", agent: "claude", role: "r", model: null, input_tokens: 3,
 *     output_tokens: null, cache_read_tokens: 2, cache_write_tokens: null, cache_write_1h_tokens: null,
 *     reasoning_tokens: null, cost_usd: null, duration_ms: 0, success: true, error: null, exit_code: 0 },
 * };
 * let text = "";
 * const out = new ByteOut(new Uint8Array(4096), (b) => (text += new TextDecoder().decode(b), new Uint8Array(4096)));
 * new ItemWriter("traces").write(out, { event, cost: { kind: "unpriced", units: 0n, model: null }, canonicalModel: null, provider: null });
 * out.flush();
 * assert.equal(JSON.parse(text).name, "invoke_agent claude");
 * ```
 */
export class ItemWriter {
  readonly #strings: (Map<unknown, Piece> | undefined)[] = EVENT_ATTRIBUTES.map(() => new Map());
  readonly #names = new Map<string | null, Uint8Array>();
  readonly #ids: IdFrame;
  /** Writes one item of `signal`. */
  readonly write: (out: ByteOut, row: ExportRow) => void;

  /** A writer of `signal`'s items. */
  constructor(signal: ItemSignal) {
    this.#ids = IdFrame.of(...(signal === "traces" ? SPAN_IDS : LOG_IDS));
    this.write = signal === "traces"
      ? (out, row) => this.#span(out, row)
      : (out, row) => this.#logRecord(out, row);
  }

  #span(out: ByteOut, row: ExportRow): void {
    const event = row.event;
    const p = event.payload;
    const micros = row.micros ?? unixMicros(event.timestamp);
    out.bytes(idsOf(this.#ids, event));
    out.bytes(this.#name(p.agent));
    out.bytes(SPAN_START);
    const duration = p.duration_ms ?? 0;
    const less = micros - duration * 1000;
    // A duration too long for a double's integers: exact through BigInt.
    if (Number.isSafeInteger(less)) nanos(out, less);
    else out.ascii(String(BigInt(micros) * 1000n - BigInt(duration) * 1_000_000n));
    out.bytes(SPAN_END);
    nanos(out, micros);
    out.bytes(SPAN_ATTRIBUTES);
    this.#attributes(out, row);
    out.byte(CLOSE_BRACKET);
    if (p.success === false) {
      out.bytes(SPAN_STATUS);
      out.jsonString((p.error ?? "").slice(0, 1024));
      out.byte(CLOSE_BRACE);
    }
    out.byte(CLOSE_BRACE);
  }

  #logRecord(out: ByteOut, row: ExportRow): void {
    const event = row.event;
    const micros = row.micros ?? unixMicros(event.timestamp);
    out.bytes(LOG_OPEN);
    nanos(out, micros);
    out.bytes(LOG_OBSERVED);
    nanos(out, micros);
    out.bytes(event.payload.success === false ? LOG_ERROR : LOG_INFO);
    this.#attributes(out, row);
    out.bytes(idsOf(this.#ids, event));
  }

  /** `"invoke_agent {agent}"`, remembered per agent. */
  #name(agent: string | null): Uint8Array {
    let name = this.#names.get(agent);
    if (name === undefined) {
      name = utf8(JSON.stringify(`${OPERATION} ${agent}`));
      if (this.#names.size < REMEMBERED) this.#names.set(agent, name);
    }
    return name;
  }

  /** The attributes, in table order, without the unknown ones. */
  #attributes(out: ByteOut, row: ExportRow): void {
    let state = FIRST;
    for (let i = 0; i < EVENT_ATTRIBUTES.length; i++) {
      const spec: AttributeSpec = EVENT_ATTRIBUTES[i];
      const value = spec.of(row);
      if (value === null || value === undefined) continue;
      switch (spec.type) {
        case "string": {
          const known = this.#strings[i];
          let written = known?.get(value);
          if (written === undefined && known !== undefined && known.size < REMEMBERED) {
            written = piece(PREFIXES[i] + JSON.stringify(String(value)) + "}}");
            known.set(value, written);
          }
          if (written === undefined) {
            // Values that do not repeat (ids, messages): written each time.
            this.#strings[i] = undefined;
            out.bytes(form(VALUE_PREFIXES[i], state));
            out.jsonString(String(value));
            out.bytes(VALUE_END);
          } else out.bytes(form(written, state));
          state = REST;
          break;
        }
        case "int":
          out.bytes(form(INT_PREFIXES[i], state));
          if (typeof value === "number") out.uint(value);
          else out.ascii(String(value));
          // Its `"}}` goes out with what follows.
          state = AFTER_INT;
          break;
        case "double": {
          const n = Number(value);
          if (!Number.isFinite(n)) continue;
          out.bytes(form(VALUE_PREFIXES[i], state));
          out.ascii(String(n));
          out.bytes(VALUE_END);
          state = REST;
          break;
        }
        case "bool":
          out.bytes(form(value ? BOOLS[i].yes : BOOLS[i].no, state));
          state = REST;
          break;
      }
    }
    if (state === AFTER_INT) out.bytes(INT_END);
  }
}

/** Nanoseconds as text from microseconds (`nanosText`'s text). */
function nanos(out: ByteOut, micros: number): void {
  if (micros === 0) out.byte(ZERO);
  else {
    out.uint(micros);
    out.bytes(THOUSAND);
  }
}

/**
 * The frame with the event's trace and span ids (as `spanIds` derives them:
 * SHA-256 of the normalised id; an all-zero id ends in 1), hashed from the
 * id's bytes when the reader has them.
 */
function idsOf(frame: IdFrame, event: ExecutionEvent): Uint8Array {
  const input = idInput();
  if (event instanceof ViewEvent) {
    // 26 bytes the reader took as the id (the kernel spells a ULID in upper case).
    const b = event.bytes;
    for (let i = 0, at = event.idAt; i < 26; i++) input[i] = b[at + i];
    frame.hash(26);
    return frame.bytes;
  }
  // A ULID is normalised by the kernel; other ids here.
  const id = event.event_id.length === 26 ? event.event_id : normalizeEventId(event.event_id);
  const n = id.length;
  let ascii = n <= MAX_ID_BYTES;
  for (let i = 0; ascii && i < n; i++) {
    const c = id.charCodeAt(i);
    input[i] = c;
    ascii = c < 0x80;
  }
  if (ascii) frame.hash(n);
  else {
    const { traceId, spanId } = spanIds(id);
    frame.set(traceId, spanId);
  }
  return frame.bytes;
}
