/**
 * Lines of event types other than execution events, in the tool's layout,
 * checked from their bytes to be exactly what `encodeEvent` writes for the
 * event `JSON.parse` and the schemas read from them (the envelope's keys in
 * order with valid values, a canonical payload object; see
 * `canonical_json.ts`): `query` copies such a line instead of parsing it.
 *
 * @module
 */
import { type ByteChunk, count, idOrNull, lineEndAt, name, scanned, ulid } from "./byte_scan.ts";
import { literal } from "./byte_literals.ts";
import { canonicalScan, canonicalValueEnd } from "./canonical_json.ts";
import { isRfc3339Bytes } from "../event/text_rules.ts";
import { NameCache } from "./line_view.ts";

const HEAD = literal('{"event_id":"');
const TYPE = literal('","event_type":"');
const AGGREGATE = literal('","aggregate_id":"');
const LAMPORT = literal('","lamport_clock":');
const NODE = literal(',"node_id":"');
const CAUSATION = literal('","causation_id":');
const TIME = literal(',"timestamp":"');
const PAYLOAD = literal('","payload":');
const decoder = new TextDecoder();

/**
 * Reads verbatim lines of any event type into itself (reused line to line).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ByteChunk } from "./byte_scan.ts";
 * import { VerbatimReader } from "./other_lines.ts";
 * const line = '{"event_id":"01KHJVJWDM0HGAGYGXJYKD1JQG","event_type":"Note",' +
 *   '"aggregate_id":"043-x","lamport_clock":7,"node_id":"n1","causation_id":null,' +
 *   '"timestamp":"2026-02-16T09:12:58Z","payload":{"note":"résumé"}}';
 * const reader = new VerbatimReader();
 * assert.ok(reader.read(new ByteChunk(new TextEncoder().encode(line + "\n")), 0));
 * assert.equal(reader.lineText(), line);
 * assert.ok(!reader.read(new ByteChunk(new TextEncoder().encode(line.replace(":7", ": 7"))), 0));
 * ```
 */
export class VerbatimReader {
  /** The event type. */
  event_type = "";
  /** The feature. */
  aggregate_id = "";
  /** Order key 1. */
  lamport_clock = 0;
  /** Order key 2. */
  node_id = "";
  /** Where the id stands in the block. */
  idFrom = 0;
  /** Where the line starts and ends (its `\n`, `\r\n` or the block's end). */
  lineStart = 0;
  /** See {@linkcode VerbatimReader.lineStart}. */
  lineEnd = 0;
  /** No payload field is read: filters on them must not use this reader. */
  readonly payload: Record<string, unknown> = Object.create(null);
  #chunk: ByteChunk | undefined;
  #from = 0;
  #to = 0;
  #nonAscii = false;
  readonly #names = new NameCache();

  /** Order key 3. */
  get event_id(): string {
    return this.#chunk!.text.slice(this.idFrom, this.idFrom + 26);
  }
  /** RFC 3339. */
  get timestamp(): string {
    return this.#chunk!.text.slice(this.#from, this.#to);
  }
  /** The block's bytes (the id stands at `idFrom`). */
  idBytes(): Uint8Array {
    return this.#chunk!.bytes;
  }
  /** The line, without its line end. */
  lineText(): string {
    const c = this.#chunk!;
    return this.#nonAscii
      ? decoder.decode(c.bytes.subarray(this.lineStart, this.lineEnd))
      : c.text.slice(this.lineStart, this.lineEnd);
  }

  /** True when the line at `start` is verbatim; its fields are then in this reader. */
  read(chunk: ByteChunk, start: number): boolean {
    const { bytes: b, view: d, end } = chunk;
    const names = this.#names;
    const id = HEAD(d, end, start);
    let p = names.name(chunk, TYPE(d, end, ulid(b, end, id)));
    if (p < 0) return false;
    const type = names.found;
    p = names.name(chunk, AGGREGATE(d, end, p));
    if (p < 0) return false;
    const aggregate = names.found;
    p = count(b, end, LAMPORT(d, end, p));
    if (p < 0) return false;
    const lamport = scanned.number;
    p = names.name(chunk, NODE(d, end, p));
    if (p < 0) return false;
    const node = names.found;
    const from = TIME(d, end, idOrNull(d, b, end, CAUSATION(d, end, p)));
    const to = name(b, end, from); // times are all different: not cached
    if (to < 0 || !isRfc3339Bytes(b, from, to)) return false;
    p = PAYLOAD(d, end, to);
    if (p < 0 || b[p] !== 0x7b) return false;
    canonicalScan.nonAscii = false;
    p = canonicalValueEnd(b, end, p);
    if (p < 0 || p >= end || b[p] !== 0x7d) return false;
    const nl = lineEndAt(b, end, p + 1);
    if (nl < 0) return false;
    this.event_type = type;
    this.aggregate_id = aggregate;
    this.lamport_clock = lamport;
    this.node_id = node;
    this.idFrom = id;
    this.lineStart = start;
    this.lineEnd = nl;
    this.#chunk = chunk;
    this.#from = from;
    this.#to = to;
    this.#nonAscii = canonicalScan.nonAscii;
    return true;
  }
}
