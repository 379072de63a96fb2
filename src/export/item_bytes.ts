/**
 * Spans and log records written straight into bytes (a {@linkcode ByteOut}),
 * for the file export: the same text as `spanJson` and `logRecordJson` in
 * `otlp_encode.ts` (the reference, which the push uses; a differential test
 * holds the two equal over random events), without a string per piece.
 * Fixed text is pre-encoded once, joined with what comes next wherever that
 * is fixed too; the attributes are written as remembered runs between the
 * counts (`attribute_runs.ts`); the ids are hashed into their frame of text
 * (`wasm/sha256_kernel.ts`); counts and times are written digit by digit.
 * Pure.
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
  spanName,
  STATUS_ERROR,
  statusMessage,
} from "./otlp_encode.ts";
import { type ExportRow, LOG_EVENT_NAME } from "./otlp_mapping.ts";
import { AttributeRuns } from "./attribute_runs.ts";
import { BATCH, IdBatch, IdFrame, idInput, MAX_ID_BYTES } from "./wasm/sha256_kernel.ts";
import { spanIds } from "./otlp_ids.ts";
import { ViewEvent } from "./view_event.ts";
import { startNanosText, unixMicros } from "./otlp_values.ts";

const CLOSE_BRACE = 0x7d;
const ZERO = 0x30;

/** Fixed text after a time: as written after its digits (with their `000`), and after a 0. */
interface AfterTime {
  digits: Uint8Array;
  zero: Uint8Array;
}

function afterTime(text: string): AfterTime {
  const digits = utf8("000" + text);
  return { digits, zero: digits.subarray(3) };
}

/**
 * The fixed text of spans and records, around what changes per item (the
 * wasm item writer's program is compiled from it too): a span's ids, name,
 * times, attributes and status; a record's times, severity, attributes and
 * ids.
 */
export const ITEM_TEXT = {
  /** Around a span's trace id and span id, up to its name. */
  spanIds: ['{"traceId":"', '","spanId":"', '","name":'] as [string, string, string],
  /** After the name, before the start time. */
  spanStart: `,"kind":${SPAN_KIND_INTERNAL},"startTimeUnixNano":"`,
  /** Between the start and end times. */
  spanEnd: '","endTimeUnixNano":"',
  /** After the end time. */
  spanAttributes: '","attributes":[',
  /** A failed span's status, before its message. */
  spanStatus: `,"status":{"code":${STATUS_ERROR},"message":`,
  /** A record's start, before its time. */
  logOpen: '{"timeUnixNano":"',
  /** Between a record's time and its observed time. */
  logObserved: '","observedTimeUnixNano":"',
  /** After the observed time, up to the attributes: by success, then failure. */
  logMiddle: (failed: boolean): string =>
    `","severityNumber":${failed ? SEVERITY_ERROR : SEVERITY_INFO},"severityText":"${
      failed ? "ERROR" : "INFO"
    }","eventName":${JSON.stringify(LOG_EVENT_NAME)},"body":{"stringValue":${
      JSON.stringify(LOG_EVENT_NAME)
    }},"attributes":[`,
  /** Around a record's trace id and span id, after its attributes. */
  logIds: ['],"traceId":"', '","spanId":"', '"}'] as [string, string, string],
};

const SPAN_IDS = ITEM_TEXT.spanIds;
const LOG_IDS = ITEM_TEXT.logIds;
const SPAN_START = ITEM_TEXT.spanStart;
const SPAN_END = afterTime(ITEM_TEXT.spanEnd);
const SPAN_ATTRIBUTES = afterTime(ITEM_TEXT.spanAttributes);
const SPAN_STATUS = utf8(ITEM_TEXT.spanStatus);
const LOG_OPEN = utf8(ITEM_TEXT.logOpen);
const LOG_OBSERVED = afterTime(ITEM_TEXT.logObserved);
const LOG_INFO = afterTime(ITEM_TEXT.logMiddle(false));
const LOG_ERROR = afterTime(ITEM_TEXT.logMiddle(true));

/** Distinct agents whose span name is remembered. */
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
  readonly #names = new Map<string | null, Uint8Array>();
  readonly #ids: IdFrame;
  readonly #batch = IdBatch.get();
  /** Where the frames of the ids not hashed yet stand in `#out`'s buffer. */
  readonly #holes = new Int32Array(BATCH);
  #pending = 0;
  #out: ByteOut | undefined;
  readonly #attributes: AttributeRuns;
  /** Writes one item of `signal`. */
  readonly write: (out: ByteOut, row: ExportRow) => void;

  /** A writer of `signal`'s items. */
  constructor(signal: ItemSignal) {
    const traces = signal === "traces";
    this.#ids = IdFrame.of(...(traces ? SPAN_IDS : LOG_IDS));
    // A record's ids come after its attributes, their frame opening with the list's `]`.
    this.#attributes = new AttributeRuns(traces ? "]" : "");
    this.write = traces
      ? (out, row) => this.#span(out, row)
      : (out, row) => this.#logRecord(out, row);
  }

  #span(out: ByteOut, row: ExportRow): void {
    const event = row.event;
    const p = event.payload;
    const micros = row.micros ?? unixMicros(event.timestamp);
    this.#writeIds(out, event);
    out.bytes(this.#name(p.agent));
    const duration = p.duration_ms ?? 0;
    const less = micros - duration * 1000;
    if (Number.isSafeInteger(less)) nanos(out, less, SPAN_END);
    else {
      // A duration too long for a double's integers: exact through BigInt (rare).
      out.ascii(startNanosText(micros, duration));
      out.bytes(SPAN_END.zero);
    }
    nanos(out, micros, SPAN_ATTRIBUTES);
    this.#attributes.write(out, row);
    if (p.success === false) {
      out.bytes(SPAN_STATUS);
      out.jsonString(statusMessage(p.error));
      out.byte(CLOSE_BRACE);
    }
    out.byte(CLOSE_BRACE);
  }

  #logRecord(out: ByteOut, row: ExportRow): void {
    const event = row.event;
    const micros = row.micros ?? unixMicros(event.timestamp);
    out.bytes(LOG_OPEN);
    nanos(out, micros, LOG_OBSERVED);
    nanos(out, micros, event.payload.success === false ? LOG_ERROR : LOG_INFO);
    this.#attributes.write(out, row);
    this.#writeIds(out, event);
  }

  /**
   * The frame with the event's ids. A view's id (26 bytes) is hashed with
   * three others at once: its frame is written with the digits left to
   * fill, when the fourth comes or before the buffer is handed on.
   */
  #writeIds(out: ByteOut, event: ExecutionEvent): void {
    const frame = this.#ids;
    if (!(event instanceof ViewEvent)) {
      out.bytes(idsOf(frame, event));
      return;
    }
    if (this.#out !== out) this.#attach(out);
    // Another writer's ids may wait in the batch: hashed first.
    this.#batch.use(this.#fill);
    const bytes = frame.bytes;
    out.room(bytes.length);
    const k = this.#pending;
    this.#holes[k] = out.at;
    out.bytes(bytes);
    const input = this.#batch.inputs[k];
    const b = event.bytes;
    for (let i = 0, at = event.idAt; i < 26; i++) input[i] = b[at + i];
    if (++this.#pending === BATCH) this.#fill();
  }

  /** Hashes the ids waiting and puts their digits into their frames. */
  readonly #fill = (): void => {
    const n = this.#pending;
    if (n === 0) return;
    this.#pending = 0;
    const batch = this.#batch;
    batch.hash();
    const buf = this.#out!.buf;
    const { traceAt, spanAt } = this.#ids;
    for (let k = 0; k < n; k++) {
      const hex = batch.hex[k];
      const at = this.#holes[k];
      for (let i = 0; i < 32; i++) buf[at + traceAt + i] = hex[i];
      for (let i = 0; i < 16; i++) buf[at + spanAt + i] = hex[32 + i];
    }
  };

  /** Writes into `out` from now on (filling what waits for the one before). */
  #attach(out: ByteOut): void {
    this.#fill();
    this.#out = out;
    const before = out.beforeFlush;
    out.beforeFlush = before ? () => (before(), this.#fill()) : this.#fill;
  }

  /** `"invoke_agent {agent}"` and the text up to the start time, remembered per agent. */
  #name(agent: string | null): Uint8Array {
    let name = this.#names.get(agent);
    if (name === undefined) {
      name = utf8(JSON.stringify(spanName(agent)) + SPAN_START);
      if (this.#names.size < REMEMBERED) this.#names.set(agent, name);
    }
    return name;
  }
}

/** Nanoseconds as text from microseconds (`nanosText`'s text), then `then`. */
function nanos(out: ByteOut, micros: number, then: AfterTime): void {
  if (micros <= 0) {
    out.byte(ZERO);
    out.bytes(then.zero);
  } else {
    out.uint(micros);
    out.bytes(then.digits);
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
