/**
 * Reading an event's order keys `(lamport_clock, node_id, event_id)` from
 * the bytes of a line in the tool's layout, where every event type starts
 * with the same envelope keys: for checking that a log is in clock order
 * without parsing it. A later duplicate of one of those keys (JSON lets
 * the last one win) sends the line to `JSON.parse` instead.
 *
 * @module
 */
import { type ByteChunk, count, name, scanned, ulid } from "./byte_scan.ts";
import { guardAgainstKeys, literal } from "./byte_literals.ts";
import { CanonicalReader } from "./canonical_bytes.ts";
import { LINE, type LineView, NameCache } from "./line_view.ts";

const HEAD = literal('{"event_id":"');
const TYPE = literal('","event_type":"');
const AGGREGATE = literal('","aggregate_id":"');
const LAMPORT = literal('","lamport_clock":');
const NODE = literal(',"node_id":"');
const lineEndWithoutOrderKeys = guardAgainstKeys(["event_id", "lamport_clock", "node_id"]);

/**
 * The order keys of lines in the tool's layout, one line at a time.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ByteChunk } from "./byte_scan.ts";
 * import { OrderKeys } from "./order_bytes.ts";
 * const line = '{"event_id":"01KHJVJWDM0HGAGYGXJYKD1JQG","event_type":"Note",' +
 *   '"aggregate_id":"043-x","lamport_clock":7,"node_id":"n1","causation_id":null}\n';
 * const keys = new OrderKeys();
 * assert.ok(keys.read(new ByteChunk(new TextEncoder().encode(line)), 0));
 * assert.deepEqual([keys.lamport_clock, keys.node_id, keys.event_id], [7, "n1", "01KHJVJWDM0HGAGYGXJYKD1JQG"]);
 * assert.equal(keys.lineEnd, line.length - 1);
 * ```
 */
export class OrderKeys {
  lamport_clock = 0;
  node_id = "";
  /** Where the id's 26 characters stand in {@linkcode OrderKeys.bytes}. */
  idFrom = 0;
  /** The block of the line read last. */
  bytes: Uint8Array = new Uint8Array(0);
  /** Where the line read last ends (its `\n` or `\r\n`, or the block's end). */
  lineEnd = 0;
  /** The id, cut when asked (not the whole block as text for one id). */
  get event_id(): string {
    return String.fromCharCode.apply(null, [...this.bytes.subarray(this.idFrom, this.idFrom + 26)]);
  }
  readonly #nodes = new NameCache();
  readonly #events = new CanonicalReader();

  /** Reads the keys of the line at `start`; false when it is not in the layout. */
  read(chunk: ByteChunk, start: number): boolean {
    // Execution lines: the full template (no key can repeat) gives them too.
    if (this.#events.read(chunk, start) === LINE.EXECUTION) {
      const view = this.#events.view as LineView;
      this.lamport_clock = view.lamport_clock;
      this.node_id = view.node_id;
      this.bytes = chunk.bytes;
      this.idFrom = view.idFrom;
      this.lineEnd = this.#events.lineEnd;
      return true;
    }
    const { bytes: b, view: d, end } = chunk;
    const id = HEAD(d, end, start);
    let p = TYPE(d, end, ulid(b, end, id));
    p = AGGREGATE(d, end, name(b, end, p));
    p = count(b, end, LAMPORT(d, end, name(b, end, p)));
    if (p < 0) return false;
    const lamport = scanned.number;
    const q = this.#nodes.name(chunk, NODE(d, end, p));
    if (q < 0) return false;
    const nl = lineEndWithoutOrderKeys(d, b, end, q);
    if (nl < 0) return false;
    this.lamport_clock = lamport;
    this.node_id = this.#nodes.found;
    this.bytes = chunk.bytes;
    this.idFrom = id;
    this.lineEnd = nl;
    return true;
  }
}
