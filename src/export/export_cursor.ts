/**
 * What a push already sent, per endpoint and signal: for each node, the
 * highest Lamport clock sent. A node's events reach a clone in clock order
 * (a merge brings a prefix of each node's history), so "clock above the
 * mark" is "not sent yet". Pure: the CLI reads and writes the file.
 *
 * @module
 */

/** The cursor file's content (`.kittify/export-state.json`). */
export interface CursorState {
  /** Format version. */
  version: 1;
  /** Keyed by `{signal} {endpoint}`; each maps a node id to its highest clock sent. */
  sent: Record<string, Record<string, number>>;
}

/** An empty cursor. */
export function emptyCursor(): CursorState {
  return { version: 1, sent: Object.create(null) };
}

/**
 * Reads a cursor file's JSON; anything unexpected gives an empty cursor
 * (the cost is a resend, which the deterministic ids make harmless).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseCursor } from "./export_cursor.ts";
 * assert.deepEqual(Object.keys(parseCursor("not json").sent), []);
 * assert.equal(parseCursor('{"version":1,"sent":{"logs x":{"constructor":4}}}').sent["logs x"].constructor, 4);
 * ```
 */
export function parseCursor(text: string): CursorState {
  const cursor = emptyCursor();
  try {
    const data = JSON.parse(text);
    if (data?.version !== 1 || typeof data.sent !== "object" || data.sent === null) return cursor;
    for (const [target, nodes] of Object.entries(data.sent)) {
      if (typeof nodes !== "object" || nodes === null) continue;
      const marks: Record<string, number> = Object.create(null);
      for (const [node, clock] of Object.entries(nodes)) {
        if (Number.isSafeInteger(clock)) marks[node] = clock as number;
      }
      cursor.sent[target] = marks;
    }
  } catch {
    // An unreadable cursor means "send everything".
  }
  return cursor;
}

/** The marks for one target, created empty when missing. */
export function marksFor(cursor: CursorState, target: string): Record<string, number> {
  return cursor.sent[target] ??= Object.create(null);
}

/**
 * Whether an event was sent already under these marks.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { wasSent } from "./export_cursor.ts";
 * const marks = Object.assign(Object.create(null), { n1: 5 });
 * assert.ok(wasSent(marks, "n1", 5) && !wasSent(marks, "n1", 6) && !wasSent(marks, "n2", 1));
 * ```
 */
export function wasSent(marks: Record<string, number>, node: string, clock: number): boolean {
  return Object.hasOwn(marks, node) && clock <= marks[node];
}

/** Raises the marks to cover events now sent. */
export function markSent(
  marks: Record<string, number>,
  sent: readonly { node_id: string; lamport_clock: number }[],
): void {
  for (const e of sent) {
    if (!Object.hasOwn(marks, e.node_id) || e.lamport_clock > marks[e.node_id]) {
      marks[e.node_id] = e.lamport_clock;
    }
  }
}
