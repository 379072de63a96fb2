/**
 * Reading an execution event straight from the bytes of a line the tool
 * wrote itself, without `JSON.parse`: the canonical layout (see
 * `line_encode.ts`) fixes every key and its place, so only values are
 * scanned. It accepts a line only when `JSON.parse` plus `fastCheck` would
 * accept it and give the same values; anything else (another layout,
 * escapes in a name, unknown keys, whitespace) is left to that full path.
 * A differential test keeps the two in agreement.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { isRfc3339Bytes, MAX_NAME_LENGTH } from "./text_rules.ts";

/** The payload fields of an execution event that filters and cost read. */
export type ExecutionViewPayload = {
  wp_id: string;
  agent: string;
  role: string;
  model: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  cache_read_tokens: number | null;
  cache_write_tokens: number | null;
  reasoning_tokens: number | null;
  cost_usd: number | null;
  duration_ms: number;
  success: boolean;
  exit_code: number;
};

/** The fields of an execution event that filters and cost read. */
export interface ExecutionView {
  readonly event_type: "ExecutionEvent";
  aggregate_id: string;
  readonly timestamp: string;
  payload: ExecutionViewPayload;
}

/**
 * A block of lines, `bytes[0, end)`. Its `text` is the same bytes as latin1
 * (one char per byte, so offsets agree), made on first use, for cutting
 * strings cheaply.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ByteChunk } from "./canonical_bytes.ts";
 * assert.equal(new ByteChunk(new Uint8Array([0x61, 0x0a, 0x62]), 2).text, "a\n");
 * ```
 */
export class ByteChunk {
  /** The same bytes, for reading four at a time. */
  readonly view: DataView;
  #text: string | undefined;

  /** A chunk of `bytes[0, end)` (default: all of it). */
  constructor(readonly bytes: Uint8Array, readonly end: number = bytes.length) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** The bytes as latin1 text. */
  get text(): string {
    this.#text ??= Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.end)
      .toString("latin1");
    return this.#text;
  }
}

/** What {@linkcode CanonicalReader.read} found on a line. */
export const LINE = {
  /** Not provably valid in the canonical layout: use the full path. */
  FALLBACK: 0,
  /** A canonical line of another event type (not checked further). */
  OTHER_TYPE: 1,
  /** A valid execution event, now in `view`. */
  EXECUTION: 2,
} as const;

/** Matches a fixed literal at `p`: the position after it, or -1. */
type Literal = (d: DataView, end: number, p: number) => number;

/**
 * A matcher for one literal, comparing four bytes at a time. One closure per
 * literal keeps each call site monomorphic with its words in registers,
 * about twice as fast as one shared loop over a table.
 */
function literal(text: string): Literal {
  const bytes = new TextEncoder().encode(text);
  const n = bytes.length;
  const words = new Int32Array(n >> 2);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < words.length; i++) words[i] = view.getInt32(i * 4, true);
  const count = words.length;
  return (d, end, p) => {
    if (p < 0 || p + n > end) return -1;
    for (let i = 0; i < count; i++) if (d.getInt32(p + 4 * i, true) !== words[i]) return -1;
    for (let i = count * 4; i < n; i++) if (d.getUint8(p + i) !== bytes[i]) return -1;
    return p + n;
  };
}

const HEAD = literal('{"event_id":"');
const TYPE = literal('","event_type":"');
const EXECUTION = literal('ExecutionEvent"');
const AGGREGATE = literal(',"aggregate_id":"');
const LAMPORT = literal('","lamport_clock":');
const NODE = literal(',"node_id":"');
const CAUSATION = literal('","causation_id":');
const TIMESTAMP = literal(',"timestamp":"');
const WP = literal('","payload":{"wp_id":"');
const AGENT = literal('","agent":"');
const ROLE = literal('","role":"');
const MODEL = literal('","model":');
const INPUT = literal(',"input_tokens":');
const OUTPUT = literal(',"output_tokens":');
const CACHE_READ = literal(',"cache_read_tokens":');
const CACHE_WRITE = literal(',"cache_write_tokens":');
const REASONING = literal(',"reasoning_tokens":');
const COST = literal(',"cost_usd":');
const DURATION = literal(',"duration_ms":');
const SUCCESS = literal(',"success":');
const ERROR = literal(',"error":');
const EXIT = literal(',"exit_code":');
const NULL = literal("null");
const TRUE = literal("true");
const FALSE = literal("false");
const QUOTE = 0x22;
const N = 0x6e;
const NEWLINE = 0x0a;

/** Crockford base32 as ULIDs use it, either case: 1 = allowed. */
const BASE32 = new Uint8Array(256);
for (const c of "0123456789ABCDEFGHJKMNPQRSTVWXYZabcdefghjkmnpqrstvwxyz") {
  BASE32[c.charCodeAt(0)] = 1;
}
const HEX = new Uint8Array(256);
for (const c of "0123456789abcdefABCDEF") HEX[c.charCodeAt(0)] = 1;
const ESCAPES = new Uint8Array(256);
for (const c of '"\\/bfnrt') ESCAPES[c.charCodeAt(0)] = 1;

// Helpers take the line as parameters (not module state) so V8 keeps them in
// registers once inlined; each returns the position after what it read, or -1.

function ulid(b: Uint8Array, end: number, p: number): number {
  if (p < 0 || p + 26 > end || b[p] < 0x30 || b[p] > 0x37) return -1;
  for (let i = p + 1; i < p + 26; i++) if (BASE32[b[i]] === 0) return -1;
  return p + 26;
}

/** Hash of the last name read (FNV-1a), to find its string without making one. */
let nameHash = 0;

/** A name (printable ASCII, no escapes, 1..MAX chars); the position of its closing quote. */
function name(b: Uint8Array, end: number, p: number): number {
  if (p < 0) return -1;
  let h = 0x811c9dc5;
  let i = p;
  for (; i < end; i++) {
    const c = b[i];
    if (c === QUOTE) break;
    if (c < 0x20 || c >= 0x7f || c === 0x5c) return -1;
    h = Math.imul(h ^ c, 0x01000193);
  }
  nameHash = h;
  return i < end && i > p && i - p <= MAX_NAME_LENGTH ? i : -1;
}

/** Any JSON string body (escapes allowed); the position of its closing quote. */
function anyString(b: Uint8Array, end: number, p: number): number {
  let i = p;
  while (i < end) {
    const c = b[i];
    if (c === QUOTE) return i;
    if (c < 0x20) return -1;
    if (c === 0x5c) {
      const e = b[i + 1];
      if (e === 0x75) {
        for (let k = i + 2; k < i + 6; k++) if (k >= end || HEX[b[k]] === 0) return -1;
        i += 6;
        continue;
      }
      if (i + 1 >= end || ESCAPES[e] === 0) return -1;
      i += 2;
      continue;
    }
    i++;
  }
  return -1;
}

const POWERS = Array.from({ length: 16 }, (_, k) => 10 ** k);

/** The value of the last number read. */
let num = 0;

/** A non-negative integer of at most 15 digits (so exact) into `num`. */
function count(b: Uint8Array, end: number, p: number): number {
  if (p < 0 || p >= end) return -1;
  let i = p;
  let value = 0;
  for (; i < end; i++) {
    const d = b[i] - 0x30;
    if (d < 0 || d > 9) break;
    value = value * 10 + d;
  }
  if (i === p || i - p > 15 || (b[p] === 0x30 && i - p > 1)) return -1;
  num = value;
  return i;
}

/** `null` (num = NaN) or a count. */
function countOrNull(d: DataView, b: Uint8Array, end: number, p: number): number {
  if (p >= 0 && b[p] === N) {
    num = NaN;
    return NULL(d, end, p);
  }
  return count(b, end, p);
}

function digitsAt(b: Uint8Array, end: number, p: number): number {
  while (p < end && b[p] >= 0x30 && b[p] <= 0x39) p++;
  return p;
}

/**
 * The value of the last `decimal()` when it is exactly computable here
 * (at most 15 digits, no exponent), else -1.
 */
let exactDecimal = -1;

/** A JSON number's end, checked against the grammar (no sign: costs are >= 0). */
function decimal(b: Uint8Array, end: number, p: number): number {
  let i = digitsAt(b, end, p);
  if (i === p || (b[p] === 0x30 && i - p > 1)) return -1;
  const whole = i;
  let places = 0;
  if (b[i] === 0x2e) {
    const from = i + 1;
    i = digitsAt(b, end, from);
    if (i === from) return -1;
    places = i - from;
  }
  exactDecimal = -1;
  if (whole - p + places <= 15 && b[i] !== 0x65 && b[i] !== 0x45) {
    // Both integers are exact doubles, so one division rounds correctly:
    // the same double JSON.parse gives.
    let m = 0;
    for (let k = p; k < i; k++) if (k !== whole) m = m * 10 + b[k] - 0x30;
    exactDecimal = m / POWERS[places];
  }
  if (b[i] === 0x65 || b[i] === 0x45) {
    i++;
    if (b[i] === 0x2b || b[i] === 0x2d) i++;
    const from = i;
    i = digitsAt(b, end, from);
    if (i === from) return -1;
  }
  return i;
}

class View implements ExecutionView {
  readonly event_type = "ExecutionEvent";
  aggregate_id = "";
  payload: ExecutionViewPayload = {
    wp_id: "",
    agent: "",
    role: "",
    model: null,
    input_tokens: null,
    output_tokens: null,
    cache_read_tokens: null,
    cache_write_tokens: null,
    reasoning_tokens: null,
    cost_usd: null,
    duration_ms: 0,
    success: true,
    exit_code: 0,
  };
  chunk: ByteChunk | undefined;
  from = 0;
  to = 0;
  // Cut only when asked: most reports never look at the time.
  get timestamp(): string {
    return this.chunk!.text.slice(this.from, this.to);
  }
}

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
  /** After an `EXECUTION` read: where the line ends (its `\n` or `\r\n`, or the chunk's end). */
  lineEnd = 0;
  readonly #view = new View();
  // Names repeat: one flat string each, found by hash without slicing.
  readonly #names = new Map<number, string>();

  constructor() {
    this.view = this.#view;
  }

  /**
   * Reads the line that starts at `start` in `chunk`; the scan itself finds
   * where a canonical line ends. Returns a {@linkcode LINE} value.
   */
  read(chunk: ByteChunk, start: number): number {
    const { bytes: b, view: d, end } = chunk;
    let p = TYPE(d, end, ulid(b, end, HEAD(d, end, start)));
    // The type must be a plain name: "Execution\u0045vent" is an execution event too.
    if (name(b, end, p) < 0) return LINE.FALLBACK;
    p = EXECUTION(d, end, p);
    if (p < 0) return LINE.OTHER_TYPE;
    const v = this.#view;
    const pay = v.payload;
    p = AGGREGATE(d, end, p);
    let q = name(b, end, p);
    if (q < 0) return LINE.FALLBACK;
    v.aggregate_id = this.#name(chunk, p, q);
    p = count(b, end, LAMPORT(d, end, q));
    p = name(b, end, NODE(d, end, p));
    p = CAUSATION(d, end, p);
    if (p < 0) return LINE.FALLBACK;
    if (b[p] === QUOTE) {
      p = ulid(b, end, p + 1);
      if (p < 0 || b[p] !== QUOTE) return LINE.FALLBACK;
      p++;
    } else p = NULL(d, end, p);
    p = TIMESTAMP(d, end, p);
    q = name(b, end, p);
    if (q < 0 || !isRfc3339Bytes(b, p, q)) return LINE.FALLBACK;
    v.chunk = chunk;
    v.from = p;
    v.to = q;
    p = WP(d, end, q);
    q = name(b, end, p);
    if (q < 0) return LINE.FALLBACK;
    pay.wp_id = this.#name(chunk, p, q);
    p = AGENT(d, end, q);
    q = name(b, end, p);
    if (q < 0) return LINE.FALLBACK;
    pay.agent = this.#name(chunk, p, q);
    p = ROLE(d, end, q);
    q = name(b, end, p);
    if (q < 0) return LINE.FALLBACK;
    pay.role = this.#name(chunk, p, q);
    p = MODEL(d, end, q);
    if (p < 0) return LINE.FALLBACK;
    if (b[p] === QUOTE) {
      q = name(b, end, p + 1);
      if (q < 0) return LINE.FALLBACK;
      pay.model = this.#name(chunk, p + 1, q);
      p = q + 1;
    } else {
      p = NULL(d, end, p);
      pay.model = null;
    }
    if ((p = countOrNull(d, b, end, INPUT(d, end, p))) < 0) return LINE.FALLBACK;
    pay.input_tokens = num === num ? num : null;
    if ((p = countOrNull(d, b, end, OUTPUT(d, end, p))) < 0) return LINE.FALLBACK;
    pay.output_tokens = num === num ? num : null;
    if ((p = countOrNull(d, b, end, CACHE_READ(d, end, p))) < 0) return LINE.FALLBACK;
    pay.cache_read_tokens = num === num ? num : null;
    if ((p = countOrNull(d, b, end, CACHE_WRITE(d, end, p))) < 0) return LINE.FALLBACK;
    pay.cache_write_tokens = num === num ? num : null;
    if ((p = countOrNull(d, b, end, REASONING(d, end, p))) < 0) return LINE.FALLBACK;
    pay.reasoning_tokens = num === num ? num : null;
    p = COST(d, end, p);
    if (p < 0) return LINE.FALLBACK;
    if (b[p] === N) {
      p = NULL(d, end, p);
      pay.cost_usd = null;
    } else {
      q = decimal(b, end, p);
      if (q < 0) return LINE.FALLBACK;
      const cost = exactDecimal >= 0 ? exactDecimal : Number(chunk.text.slice(p, q));
      if (!(cost <= 1e12)) return LINE.FALLBACK;
      pay.cost_usd = cost;
      p = q;
    }
    p = count(b, end, DURATION(d, end, p));
    if (p < 0) return LINE.FALLBACK;
    pay.duration_ms = num;
    p = SUCCESS(d, end, p);
    if (p < 0) return LINE.FALLBACK;
    pay.success = b[p] === 0x74;
    p = pay.success ? TRUE(d, end, p) : FALSE(d, end, p);
    p = ERROR(d, end, p);
    if (p < 0) return LINE.FALLBACK;
    if (b[p] === QUOTE) {
      p = anyString(b, end, p + 1);
      if (p < 0) return LINE.FALLBACK;
      p++;
    } else p = NULL(d, end, p);
    p = EXIT(d, end, p);
    if (p < 0) return LINE.FALLBACK;
    const negative = b[p] === 0x2d;
    p = count(b, end, negative ? p + 1 : p);
    if (p < 0 || b[p] !== 0x7d || b[p + 1] !== 0x7d) return LINE.FALLBACK;
    p += 2;
    if (
      p < end && b[p] !== NEWLINE && !(b[p] === 0x0d && (p + 1 === end || b[p + 1] === NEWLINE))
    ) {
      return LINE.FALLBACK;
    }
    this.lineEnd = p;
    const exit = negative ? -num : num;
    if (exit < -(2 ** 31) || exit >= 2 ** 31) return LINE.FALLBACK;
    pay.exit_code = exit;
    return LINE.EXECUTION;
  }

  /** The name just read by `name()` (its hash is in `nameHash`), as a shared flat string. */
  #name(chunk: ByteChunk, from: number, to: number): string {
    const b = chunk.bytes;
    const known = this.#names.get(nameHash);
    if (known !== undefined && known.length === to - from) {
      let i = 0;
      while (i < known.length && known.charCodeAt(i) === b[from + i]) i++;
      if (i === known.length) return known;
    }
    // A flat copy: a slice would keep the whole chunk's text alive.
    const copy = JSON.parse(JSON.stringify(chunk.text.slice(from, to))) as string;
    if (this.#names.size > 100_000) this.#names.clear();
    this.#names.set(nameHash, copy);
    return copy;
  }
}
