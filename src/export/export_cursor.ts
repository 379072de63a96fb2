/**
 * What a clone's pushes sent, per target (signal, endpoint and filter): the
 * index file `.kittify/export-state.json`, naming each target's file of
 * sent id keys (`sent_ids.ts`; the ids are the record, so an event that
 * reaches this clone late, below clocks already sent, is still sent), and
 * the marks of older versions of the file, read once to carry them over.
 * Version 1 kept the highest Lamport clock sent per node; version 2 per
 * feature and node: an event at or below its mark counts as sent. Pure:
 * the CLI reads and writes the files.
 *
 * @module
 */
import { sha256Hex } from "./sha256.ts";

/** A feature's marks (versions 1 and 2): each node id to its highest clock sent. */
export type NodeMarks = Record<string, number>;

/** One target's marks (versions 1 and 2): each feature to its nodes' marks (`""`: any feature). */
export type Marks = Record<string, NodeMarks>;

/** What the index keeps of a target. */
export interface TargetEntry {
  /** Its file of sent id keys, relative to `.kittify/`. */
  ids: string;
  /** How many ids it held after the last push (for telling a lost file). */
  events: number;
}

/** The index file's content. */
export interface CursorState {
  /** Format version. */
  version: 3;
  /** Each target (keyed by {@linkcode cursorTarget}) and its file of sent ids. */
  targets: Record<string, TargetEntry>;
  /** Marks of versions 1 and 2 not yet carried over into a target's file. */
  marks: Record<string, Marks>;
}

/** The feature key of marks read from a version-1 file (per node only): they hold for every feature. */
const ANY_FEATURE = "";

/** An empty index. */
export function emptyCursor(): CursorState {
  return { version: 3, targets: Object.create(null), marks: Object.create(null) };
}

/**
 * The key of a push's record: its signal and its URL; with filter flags,
 * the key older versions kept a filtered push's record under.
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

/**
 * The file of a target's sent ids, relative to `.kittify/`: named by a
 * hash of the target (a URL and flags make no file name).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { idsFileOf } from "./export_cursor.ts";
 * assert.match(idsFileOf("logs http://h/v1/logs"), /^export-sent\/[0-9a-f]{16}\.ids$/);
 * ```
 */
export function idsFileOf(target: string): string {
  return `export-sent/${sha256Hex(target).slice(0, 16)}.ids`;
}

function nodeMarks(value: unknown): NodeMarks | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const marks: NodeMarks = Object.create(null);
  for (const [node, clock] of Object.entries(value)) {
    if (Number.isSafeInteger(clock)) marks[node] = clock as number;
  }
  return marks;
}

function marksOf(version: 1 | 2, value: unknown): Marks | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const marks: Marks = Object.create(null);
  if (version === 1) {
    const nodes = nodeMarks(value);
    if (nodes !== undefined) marks[ANY_FEATURE] = nodes;
  } else {
    for (const [feature, nodes] of Object.entries(value)) {
      const read = nodeMarks(nodes);
      if (read !== undefined) marks[feature] = read;
    }
  }
  return marks;
}

/**
 * Reads the index's JSON; anything unexpected gives an empty index (the
 * files of sent ids are found by their names all the same). The marks of a
 * version-1 or -2 file are kept to be carried over.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseCursor, wasSent } from "./export_cursor.ts";
 * assert.deepEqual(Object.keys(parseCursor("not json").targets), []);
 * const v2 = parseCursor('{"version":2,"sent":{"logs x":{"f":{"constructor":4}}}}');
 * assert.equal(v2.marks["logs x"].f.constructor, 4);
 * const v1 = parseCursor('{"version":1,"sent":{"logs x":{"n1":4}}}');
 * assert.ok(wasSent(v1.marks["logs x"], { aggregate_id: "any", node_id: "n1", lamport_clock: 4 }));
 * ```
 */
export function parseCursor(text: string): CursorState {
  const cursor = emptyCursor();
  let data;
  try {
    data = JSON.parse(text);
  } catch {
    return cursor;
  }
  if (data?.version === 1 || data?.version === 2) {
    if (typeof data.sent !== "object" || data.sent === null) return cursor;
    for (const [target, value] of Object.entries(data.sent)) {
      const marks = marksOf(data.version, value);
      if (marks !== undefined) cursor.marks[target] = marks;
    }
    return cursor;
  }
  if (data?.version !== 3) return cursor;
  for (const [target, entry] of Object.entries(data.targets ?? {})) {
    const { ids, events } = (entry ?? {}) as Partial<TargetEntry>;
    if (typeof ids === "string" && Number.isSafeInteger(events)) {
      cursor.targets[target] = { ids, events: events! };
    }
  }
  for (const [target, value] of Object.entries(data.marks ?? {})) {
    const marks = marksOf(2, value);
    if (marks !== undefined) cursor.marks[target] = marks;
  }
  return cursor;
}

/**
 * Why an index file's text is not one this tool reads, or undefined when
 * it is one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { cursorProblem } from "./export_cursor.ts";
 * assert.equal(cursorProblem('{"version":3,"targets":{},"marks":{}}'), undefined);
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
  if (![1, 2, 3].includes(data?.version)) {
    return `version ${JSON.stringify(data?.version)}, not 1, 2 or 3`;
  }
  const key = data.version === 3 ? "targets" : "sent";
  if (typeof data[key] !== "object" || data[key] === null) return `no "${key}" object`;
  return undefined;
}

/** What older versions of the record say of a push's target. */
export interface OlderRecords {
  /** Marks (versions 1 and 2) that count events as sent: the target's, and its filter's. */
  marks: Marks[];
  /** The keys of the marks a push carries over whole (then they go). */
  carried: string[];
  /** Targets of filtered pushes to the same signal and URL, whose files of ids are carried over. */
  files: string[];
}

/**
 * The older records a push to `target` reads, `own` being the target with
 * its filter flags (older versions kept a record per filter; now the ids
 * sent to a URL are one record, whatever the filters). A filtered push
 * reads only its filter's events, so it carries over the marks of its own
 * filter, not those of a push without filters (they stay for one).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { olderRecords, parseCursor } from "./export_cursor.ts";
 * const index = parseCursor(JSON.stringify({
 *   version: 3,
 *   targets: { "logs u --agent=a": { ids: "x", events: 1 }, "logs uv": { ids: "y", events: 1 } },
 *   marks: { "logs u": { f: { n: 1 } }, "logs u --agent=a": { f: { n: 2 } } },
 * }));
 * const older = olderRecords(index, "logs u", "logs u --agent=a");
 * assert.deepEqual([older.marks.length, older.carried, older.files], [2, ["logs u --agent=a"], ["logs u --agent=a"]]);
 * assert.deepEqual(olderRecords(index, "logs u", "logs u").carried, ["logs u"]);
 * ```
 */
export function olderRecords(index: CursorState, target: string, own: string): OlderRecords {
  const marks: Marks[] = [];
  const carried: string[] = [];
  for (const key of own === target ? [target] : [target, own]) {
    const found = index.marks[key];
    if (found === undefined) continue;
    marks.push(found);
    if (key === own) carried.push(key);
  }
  const files = Object.keys(index.targets).filter((key) => key.startsWith(`${target} `));
  return { marks, carried, files };
}

/** What the marks of versions 1 and 2 know of an event. */
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
 * Whether marks of version 1 or 2 count an event as sent (its clock at or
 * below its feature and node's mark).
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
