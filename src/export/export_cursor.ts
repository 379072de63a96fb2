/**
 * What a push already sent, per target (signal, endpoint and filter): for
 * each feature and node, the highest Lamport clock sent. A feature's events
 * from one node reach a clone in clock order (a merge brings a prefix of that
 * node's history of the feature), so "clock above the mark" is "not sent
 * yet". Marks are per feature, not per node alone: a node's clock is shared
 * by all the features it writes, and one feature's branch may be merged
 * before another's with lower clocks. Pure: the CLI reads and writes the file.
 *
 * @module
 */

/** A feature's marks: each node id to its highest clock sent. */
export type NodeMarks = Record<string, number>;

/** One target's marks: each feature to its nodes' marks (`""`: any feature, from version 1). */
export type Marks = Record<string, NodeMarks>;

/** The cursor file's content (`.kittify/export-state.json`). */
export interface CursorState {
  /** Format version. */
  version: 2;
  /** Keyed by {@linkcode cursorTarget}. */
  sent: Record<string, Marks>;
}

/** The feature key of marks read from a version-1 cursor (per node only): they hold for every feature. */
const ANY_FEATURE = "";

/** An empty cursor. */
export function emptyCursor(): CursorState {
  return { version: 2, sent: Object.create(null) };
}

/**
 * The key of a push's marks: its signal, its URL and its filter flags (a
 * filtered push's marks say nothing of the events its filter left out).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { cursorTarget } from "./export_cursor.ts";
 * assert.equal(cursorTarget("logs", "http://h/v1/logs", ""), "logs http://h/v1/logs");
 * assert.equal(cursorTarget("logs", "http://h/v1/logs", "--agent=a"), "logs http://h/v1/logs --agent=a");
 * ```
 */
export function cursorTarget(signal: string, url: string, filter: string): string {
  return filter === "" ? `${signal} ${url}` : `${signal} ${url} ${filter}`;
}

function nodeMarks(value: unknown): NodeMarks | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const marks: NodeMarks = Object.create(null);
  for (const [node, clock] of Object.entries(value)) {
    if (Number.isSafeInteger(clock)) marks[node] = clock as number;
  }
  return marks;
}

/**
 * Reads a cursor file's JSON; anything unexpected gives an empty cursor
 * (the cost is a resend, which the deterministic ids make harmless). A
 * version-1 cursor's per-node marks hold for every feature.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseCursor, wasSent } from "./export_cursor.ts";
 * assert.deepEqual(Object.keys(parseCursor("not json").sent), []);
 * const v2 = parseCursor('{"version":2,"sent":{"logs x":{"f":{"constructor":4}}}}');
 * assert.equal(v2.sent["logs x"].f.constructor, 4);
 * const v1 = parseCursor('{"version":1,"sent":{"logs x":{"n1":4}}}');
 * assert.ok(wasSent(v1.sent["logs x"], { aggregate_id: "any", node_id: "n1", lamport_clock: 4 }));
 * ```
 */
export function parseCursor(text: string): CursorState {
  const cursor = emptyCursor();
  try {
    const data = JSON.parse(text);
    if (typeof data?.sent !== "object" || data.sent === null) return cursor;
    if (data.version !== 1 && data.version !== 2) return cursor;
    for (const [target, value] of Object.entries(data.sent)) {
      const marks: Marks = Object.create(null);
      if (data.version === 1) {
        const nodes = nodeMarks(value);
        if (nodes !== undefined) marks[ANY_FEATURE] = nodes;
      } else if (typeof value === "object" && value !== null) {
        for (const [feature, nodes] of Object.entries(value)) {
          const read = nodeMarks(nodes);
          if (read !== undefined) marks[feature] = read;
        }
      }
      cursor.sent[target] = marks;
    }
  } catch {
    // An unreadable cursor means "send everything".
  }
  return cursor;
}

/**
 * Why a cursor file's text is not a cursor this tool reads, or undefined
 * when it is one (then {@linkcode parseCursor} keeps its marks).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { cursorProblem } from "./export_cursor.ts";
 * assert.equal(cursorProblem('{"version":2,"sent":{}}'), undefined);
 * assert.match(cursorProblem("{")!, /not JSON/);
 * assert.match(cursorProblem('{"version":9,"sent":{}}')!, /version 9/);
 * ```
 */
export function cursorProblem(text: string): string | undefined {
  let data;
  try {
    data = JSON.parse(text);
  } catch {
    return "not JSON";
  }
  if (data?.version !== 1 && data?.version !== 2) {
    return `version ${JSON.stringify(data?.version)}, not 1 or 2`;
  }
  if (typeof data.sent !== "object" || data.sent === null) return `no "sent" object`;
  return undefined;
}

/** The marks for one target, created empty when missing. */
export function marksFor(cursor: CursorState, target: string): Marks {
  return cursor.sent[target] ??= Object.create(null);
}

/** What the cursor knows of an event. */
export interface CursorEvent {
  /** Its feature. */
  aggregate_id: string;
  /** The node that wrote it. */
  node_id: string;
  /** Its clock. */
  lamport_clock: number;
}

function below(nodes: NodeMarks | undefined, node: string, clock: number): boolean {
  return nodes !== undefined && Object.hasOwn(nodes, node) && clock <= nodes[node];
}

/**
 * Whether an event was sent already under these marks.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { wasSent } from "./export_cursor.ts";
 * const marks = Object.assign(Object.create(null), { f: Object.assign(Object.create(null), { n1: 5 }) });
 * const at = (aggregate_id: string, node_id: string, lamport_clock: number) => ({ aggregate_id, node_id, lamport_clock });
 * assert.ok(wasSent(marks, at("f", "n1", 5)) && !wasSent(marks, at("f", "n1", 6)));
 * assert.ok(!wasSent(marks, at("f", "n2", 1)) && !wasSent(marks, at("g", "n1", 1)));
 * ```
 */
export function wasSent(marks: Marks, event: CursorEvent): boolean {
  const feature = Object.hasOwn(marks, event.aggregate_id) ? marks[event.aggregate_id] : undefined;
  return below(feature, event.node_id, event.lamport_clock) ||
    below(marks[ANY_FEATURE], event.node_id, event.lamport_clock);
}

/** Raises the marks to cover events now sent. */
export function markSent(marks: Marks, sent: readonly CursorEvent[]): void {
  for (const e of sent) {
    const nodes = Object.hasOwn(marks, e.aggregate_id)
      ? marks[e.aggregate_id]
      : (marks[e.aggregate_id] = Object.create(null) as NodeMarks);
    if (!Object.hasOwn(nodes, e.node_id) || e.lamport_clock > nodes[e.node_id]) {
      nodes[e.node_id] = e.lamport_clock;
    }
  }
}

/**
 * Whether events come with each feature and node's clocks strictly rising:
 * what lets a push raise the marks after each request, since an event not
 * yet sent then always has a clock above its mark. Told events in the
 * order they would be sent; {@linkcode ClockOrder.rises} stays false once
 * a clock falls or repeats.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ClockOrder } from "./export_cursor.ts";
 * const order = new ClockOrder();
 * order.add({ aggregate_id: "f", node_id: "n", lamport_clock: 2 });
 * order.add({ aggregate_id: "g", node_id: "n", lamport_clock: 1 });
 * assert.equal(order.rises, true);
 * order.add({ aggregate_id: "f", node_id: "n", lamport_clock: 2 });
 * assert.equal(order.rises, false);
 * ```
 */
export class ClockOrder {
  /** Whether every event told so far had a clock above its feature and node's last one. */
  rises = true;
  /** Events told. */
  count = 0;
  readonly #last = new Map<string, Map<string, number>>();

  /** Tells the next event. */
  add(event: CursorEvent): void {
    this.count++;
    let nodes = this.#last.get(event.aggregate_id);
    if (nodes === undefined) this.#last.set(event.aggregate_id, nodes = new Map());
    const last = nodes.get(event.node_id);
    if (last !== undefined && event.lamport_clock <= last) this.rises = false;
    nodes.set(event.node_id, event.lamport_clock);
  }
}
