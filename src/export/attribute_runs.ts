/**
 * An item's attributes written as runs of remembered text between the
 * values that change per event. The text from one counted value (a token
 * count, a clock, the cost) to the next depends only on the names and flags
 * in between (agent, model, provider, feature, work package, role, node,
 * cost source, success) and on which counts are null: it is looked up by
 * those values, one step per attribute, in a tree that remembers each run's
 * bytes (with the next value's opening), and copied in one piece. So an
 * item is about ten copies instead of one per attribute, however many
 * attributes the table has. Pure.
 *
 * @module
 */
import { type ByteOut, utf8 } from "./byte_out.ts";
import {
  type AttributeSpec,
  EVENT_ATTRIBUTES,
  EVENT_ID_KEY,
  type ExportRow,
  VALUE_MEMBER,
} from "./otlp_mapping.ts";
import { ViewEvent } from "./view_event.ts";

/** What the value before a run left open: nothing (the first), `"}}` (an int), `}}`. */
const OPEN_NONE = 0;
const OPEN_INT = 1;
const OPEN_VALUE = 2;
const CLOSERS = ["", '"}}', "}}"];

/** Each attribute's text before its value. */
const PREFIXES = EVENT_ATTRIBUTES.map((spec) =>
  `{"key":${JSON.stringify(spec.key)},"value":{"${VALUE_MEMBER[spec.type]}":`
);
const COUNT = EVENT_ATTRIBUTES.length;
const EVENT_ID_AT = EVENT_ATTRIBUTES.findIndex((spec) => spec.key === EVENT_ID_KEY);
const QUOTE = 0x22;

const OF = EVENT_ATTRIBUTES.map((spec) => spec.of);

/**
 * Reads each attribute's value of a row into `values`, but the id's (the
 * byte writer copies a view's id from its bytes): generated from the table,
 * one call per attribute in straight-line code, so that each call site
 * sees one function and the compiler inlines it (a loop's one call site
 * sees them all).
 */
const readValues = new Function(
  "of",
  "row",
  "values",
  EVENT_ATTRIBUTES.map((_, i) => i === EVENT_ID_AT ? "" : `values[${i}] = of[${i}](row);`).join(
    "\n",
  ),
) as (of: AttributeSpec["of"][], row: ExportRow, values: unknown[]) => void;

/** Distinct values of an attribute remembered in one place before it is written afresh each time. */
const REMEMBERED = 256;
/** Values of a place looked for in a list (then in a map). */
const LISTED = 8;
/** Runs remembered in all (then forgotten, and learnt again): memory stays bounded. */
const MAX_NODES = 20_000;

/** A run so far: its text, and where it goes on (by the value of the attribute at `at`). */
class Node {
  /**
   * The runs on, by value: the first few in a list compared by identity
   * (names are the reader's strings, one per name), the rest in a map.
   */
  readonly keys: unknown[] = [];
  readonly next: Node[] = [];
  more: Map<unknown, Node> | undefined;
  size = 0;
  /** The run's bytes and the opening of the value at `at` (or the item's end), once needed. */
  bytes: Uint8Array | undefined;
  constructor(readonly at: number, readonly text: string, readonly members: boolean) {}
}

/**
 * Writes a row's attributes (the members of an OTLP `KeyValue` list, in
 * table order, the unknown ones left out) followed by `end`; remembers runs
 * of text, so make one per export.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ByteOut } from "./byte_out.ts";
 * import { AttributeRuns } from "./attribute_runs.ts";
 * import { attributesJson, type ExportRow } from "./otlp_mapping.ts";
 * const event = {
 *   event_id: "01KHJVJWDM0HGAGYGXJYKD1JQG", event_type: "ExecutionEvent" as const, aggregate_id: "f",
 *   lamport_clock: 1, node_id: "n", causation_id: null, timestamp: "2026-01-01T00:00:00+00:00",
 *   payload: { wp_id: "WP01", agent: "claude", role: "r", model: null, input_tokens: 3,
 *     output_tokens: null, cache_read_tokens: 2, cache_write_tokens: null, cache_write_1h_tokens: null,
 *     reasoning_tokens: null, cost_usd: null, duration_ms: 0, success: true, error: null, exit_code: 0 },
 * };
 * const row: ExportRow = { event, cost: { kind: "unpriced", units: 0n, model: null }, canonicalModel: null, provider: null };
 * let text = "";
 * const out = new ByteOut(new Uint8Array(4096), (b) => (text += new TextDecoder().decode(b), new Uint8Array(4096)));
 * new AttributeRuns("]").write(out, row);
 * out.flush();
 * assert.equal(text, attributesJson(row) + "]");
 * ```
 */
export class AttributeRuns {
  /** Where runs start: by attribute, by what the value before left open. */
  #roots: (Node | undefined)[][] = [];
  #nodes = 0;
  /** Whether an attribute's string values are remembered (not once it had too many). */
  readonly #remembered = EVENT_ATTRIBUTES.map((spec) => spec.type === "string");
  /** The row's values, by attribute (the id's is read only when it is written as text). */
  readonly #values: unknown[] = EVENT_ATTRIBUTES.map(() => null);

  /** Runs that end each item's attributes with `end`. */
  constructor(readonly end: string) {}

  /** How many runs are remembered now (at most 20,000: then they are forgotten and learnt again). */
  get size(): number {
    return this.#nodes;
  }

  /** Writes `row`'s attributes and the end. */
  write(out: ByteOut, row: ExportRow): void {
    const values = this.#values;
    readValues(OF, row, values);
    let node = this.#root(0, OPEN_NONE);
    for (;;) {
      const at = node.at;
      if (at === COUNT) {
        out.bytes(node.bytes ?? this.#close(node));
        return;
      }
      const spec = EVENT_ATTRIBUTES[at];
      const type = spec.type;
      if (type === "string" && !this.#remembered[at]) {
        // A value that does not repeat (ids, messages): written each time.
        if (at === EVENT_ID_AT && row.event instanceof ViewEvent) {
          out.bytes(node.bytes ?? this.#close(node));
          idBytes(out, row.event);
          node = this.#root(at + 1, OPEN_VALUE);
          continue;
        }
        const value = at === EVENT_ID_AT ? spec.of(row) : values[at];
        if (value !== null && value !== undefined) {
          out.bytes(node.bytes ?? this.#close(node));
          out.jsonString(String(value));
          node = this.#root(at + 1, OPEN_VALUE);
          continue;
        }
        node = find(node, null) ?? this.#step(node, null);
        continue;
      }
      let value = at === EVENT_ID_AT ? spec.of(row) : values[at];
      if (value === undefined) value = null;
      if (value !== null) {
        if (type === "int") {
          out.bytes(node.bytes ?? this.#close(node));
          if (typeof value === "number") out.uint(value);
          else out.ascii(String(value));
          node = this.#root(at + 1, OPEN_INT);
          continue;
        }
        if (type === "double") {
          const n = Number(value);
          if (Number.isFinite(n)) {
            out.bytes(node.bytes ?? this.#close(node));
            out.decimal(n);
            node = this.#root(at + 1, OPEN_VALUE);
            continue;
          }
          value = null;
        } else if (type === "bool") value = value ? true : false;
      }
      node = find(node, value) ?? this.#step(node, value);
    }
  }

  /** The run from `node` on through the attribute's `value` (a name, a flag, or null). */
  #step(node: Node, value: unknown): Node {
    const at = node.at;
    if (node.size >= REMEMBERED && value !== null) {
      // Too many values here: written each time from now on (a string), or not remembered.
      if (this.#remembered[at]) {
        this.#remembered[at] = false;
        return node;
      }
      return new Node(at + 1, node.text + member(node, at, value), true);
    }
    if (++this.#nodes > MAX_NODES) this.#forget();
    const next = value === null
      ? new Node(at + 1, node.text, node.members)
      : new Node(at + 1, node.text + member(node, at, value), true);
    if (node.size++ < LISTED) {
      node.keys.push(value);
      node.next.push(next);
    } else (node.more ??= new Map()).set(value, next);
    return next;
  }

  /** The run from attribute `at` on, after what the value before left open. */
  #root(at: number, open: number): Node {
    const roots = this.#roots[at] ??= [];
    let root = roots[open];
    if (root === undefined) {
      root = roots[open] = new Node(at, CLOSERS[open], open !== OPEN_NONE);
      this.#nodes++;
    }
    return root;
  }

  /** The run's bytes and what opens the value at its end (or the end of the attributes). */
  #close(node: Node): Uint8Array {
    const at = node.at;
    let text = node.text;
    if (at === COUNT) text += this.end;
    else {
      text += (node.members ? "," : "") + PREFIXES[at];
      if (EVENT_ATTRIBUTES[at].type === "int") text += '"';
    }
    return node.bytes = utf8(text);
  }

  #forget(): void {
    this.#roots = [];
    this.#nodes = 0;
  }
}

/** Where `node` goes on with `value`, if it went there before. */
function find(node: Node, value: unknown): Node | undefined {
  const keys = node.keys;
  for (let i = 0; i < keys.length; i++) if (keys[i] === value) return node.next[i];
  return node.more?.get(value);
}

/** A member of remembered value (a string or a flag), a comma first if it is not the first. */
function member(node: Node, at: number, value: unknown): string {
  const json = EVENT_ATTRIBUTES[at].type === "bool"
    ? (value ? "true" : "false")
    : JSON.stringify(String(value));
  return (node.members ? "," : "") + PREFIXES[at] + json + "}}";
}

/** The id as a JSON string, from the bytes the reader took it from (26 ASCII letters and digits). */
function idBytes(out: ByteOut, event: ViewEvent): void {
  out.room(28);
  const buf = out.buf;
  const b = event.bytes;
  let at = out.at;
  buf[at++] = QUOTE;
  for (let i = 0, from = event.idAt; i < 26; i++) buf[at++] = b[from + i];
  buf[at++] = QUOTE;
  out.at = at;
}
