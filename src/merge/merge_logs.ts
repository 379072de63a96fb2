/**
 * The merge of event logs: the union of their events by `event_id`, each
 * event's original line kept byte for byte, in `(lamport_clock, node_id,
 * event_id)` order. Pure: no I/O. Git's merge driver and `import` both use it.
 *
 * @module
 */
import { compareEvents } from "../event/order.ts";
import type { Event } from "../event/envelope.ts";
import { type ClockState, emptyClock } from "../clock/lamport.ts";
import { equalClasses, missingWarning, smallest } from "./event_versions.ts";
import { formatProblem } from "../read/log_reader.ts";
import { PROBLEMS_SHOWN, summaryProblem } from "../read/problem_cap.ts";
import {
  cachedDecoder,
  type EventLine,
  type LineDecoder,
  type LogInput,
  type ParsedLog,
  parseLog,
} from "./parsed_log.ts";
import { equalBytes } from "./equal_bytes.ts";

/** Something the merge cannot settle on its own. */
export interface MergeConflict {
  /** The event id when two versions of one event differ; null for a bad line. */
  eventId: string | null;
  /** Every line involved, as `label:line`. */
  locations: string[];
  /** What is wrong, for the person who has to resolve it. */
  reason: string;
}

/** A line of a side that is not an event, kept byte for byte after the events. */
export interface NonEventLine {
  /** Where it is, as `label:line`. */
  location: string;
  /** Why it is not an event. */
  reason: string;
  /** Its bytes, without the `\n`. */
  bytes: Uint8Array;
}

/** The merged log and what was found on the way. */
export interface MergeResult {
  /** The merged events: one per line, each ending in `\n` ("" when none). */
  text: string;
  /** The whole merged log: `text`, then each of `nonEvents` and a `\n`. */
  bytes: Uint8Array;
  /** Lines of the sides that are not events, each once, ours first. */
  nonEvents: NonEventLine[];
  /** Empty when the merge is clean. */
  conflicts: MergeConflict[];
  /** Things worth knowing that did not stop the merge. */
  warnings: string[];
  /** How many events `text` holds. */
  eventCount: number;
  /** The events of `text`, in its order: each line as it is, its event with ids normalised. */
  events: ReadonlyArray<{ line: string; event: Event }>;
  /** The highest `lamport_clock` per `node_id` in `text`. */
  clock: ClockState;
}

/** The inputs of {@linkcode mergeLogs}. */
export interface MergeInputs {
  /**
   * The logs to unite, "ours" first: when versions of an event conflict, the
   * first side's version is the one kept in `text`.
   */
  sides: LogInput[];
  /** The common ancestor (git's `%O`), when there is one. */
  base?: LogInput;
  /** A shared line decoder (its cache then spans calls). */
  decode?: LineDecoder;
  /**
   * Whose lines that are not events to keep: every side's (git's driver:
   * both sides are files the merge replaces), only the first side's
   * (`import`: the other sides are sources it leaves as they are), or none.
   * Those not kept are named in `warnings`.
   */
  keepNonEvents?: "all" | "first" | "none";
}

/**
 * Merges logs. The result depends only on the set of events, never on the
 * order of `sides`, as long as there is no conflict: the merge is
 * commutative, associative and idempotent byte for byte.
 *
 * - An event is its original line; nothing is re-serialised, so unknown
 *   fields and any writer's layout survive.
 * - Lines of one id that differ in bytes but decode to equal events (the
 *   Python layout and ours, say) are one event: the lexicographically
 *   smallest line is kept, a choice every clone makes alike.
 * - Lines of one id that decode to different events are a conflict; the
 *   first side's version is kept.
 * - An event of `base` that a side lacks is kept, with a warning: logs are
 *   append-only, so a missing event is a mistake, not a deletion.
 * - A line of a side that is not a valid event (a git conflict marker, torn
 *   or invalid JSON, bytes that are not UTF-8) is no conflict: it is kept
 *   byte for byte after the events (first side first, identical lines once)
 *   and listed in `nonEvents`; in `base` it is only a warning, as the base
 *   is not what either side holds now.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mergeLogs } from "./merge_logs.ts";
 * const line = (id: string, clock: number) =>
 *   `{"event_id":"${id}","event_type":"Note","aggregate_id":"043-x","lamport_clock":${clock},` +
 *   `"node_id":"n1","causation_id":null,"timestamp":"2026-02-16T09:12:58Z","payload":{}}`;
 * const a = line("01KHJVJWDM0HGAGYGXJYKD1JQA", 2) + "\n";
 * const b = line("01KHJVJWDM0HGAGYGXJYKD1JQB", 1) + "\n";
 * const ab = mergeLogs({ sides: [{ label: "a", text: a }, { label: "b", text: b }] });
 * const ba = mergeLogs({ sides: [{ label: "b", text: b }, { label: "a", text: a }] });
 * assert.ok(ab.text === b + a && ba.text === ab.text && ab.conflicts.length === 0);
 * ```
 */
export function mergeLogs(inputs: MergeInputs): MergeResult {
  const decode = inputs.decode ?? cachedDecoder();
  const keep = { all: inputs.sides.length, first: 1, none: 0 }[inputs.keepNonEvents ?? "all"];
  // Lines not kept are only named: the first few, the rest counted.
  const sides = inputs.sides.map((side, i) =>
    parseLog(side, decode, i < keep ? Infinity : PROBLEMS_SHOWN)
  );
  const base = inputs.base ? parseLog(inputs.base, decode, PROBLEMS_SHOWN) : undefined;
  const conflicts: MergeConflict[] = [];
  const warnings: string[] = [];
  const nonEvents = keptNonEvents(sides.slice(0, keep));
  const name = (log: ParsedLog, what: string) => {
    for (const bad of log.bad) {
      warnings.push(`${log.label}:${bad.lineNumber}: ${what}: ${bad.reason}`);
    }
    if (log.unlisted > 0) {
      warnings.push(formatProblem(summaryProblem(log.label, log.lastUnlisted, log.unlisted)));
    }
  };
  for (const side of sides.slice(keep)) name(side, "not an event, not imported");
  if (base) name(base, "ignored line in base");

  const ordered = base ? [...sides, base] : sides;
  const ids = new Set(ordered.flatMap((log) => [...log.events.keys()]));
  const kept: EventLine[] = [];
  for (const id of ids) {
    const versions = ordered.flatMap((log) =>
      (log.events.get(id) ?? []).map((version) => ({ log, version }))
    );
    const classes = equalClasses(versions.map((v) => v.version));
    if (classes.length > 1) {
      conflicts.push({
        eventId: id,
        locations: versions.map((v) => `${v.log.label}:${v.version.lineNumber}`),
        reason: "the same event_id with different content",
      });
    }
    kept.push(smallest(classes[0]));
    if (base) warnMissing(id, base, sides, warnings);
  }

  kept.sort((a, b) => compareEvents(a.event, b.event));
  const clock: ClockState = emptyClock();
  for (const { event } of kept) {
    const node = event.node_id;
    clock[node] = Math.max(Object.hasOwn(clock, node) ? clock[node] : 0, event.lamport_clock);
  }
  // The text is made only when asked for: the bytes need no copy of a large log as a string.
  let text: string | undefined;
  return {
    get text() {
      return text ??= kept.map((k) => k.line + "\n").join("");
    },
    bytes: joinLines(encodeLines(kept), nonEvents.map((n) => n.bytes)),
    nonEvents,
    conflicts,
    warnings,
    eventCount: kept.length,
    events: kept,
    clock,
  };
}

/** The sides' lines that are not events, in side then file order, each distinct line once. */
function keptNonEvents(sides: ParsedLog[]): NonEventLine[] {
  // Bucketed by length and first bytes, so repeats are found without comparing every pair.
  const buckets = new Map<string, Uint8Array[]>();
  const out: NonEventLine[] = [];
  for (const side of sides) {
    for (const bad of side.bad) {
      const key = `${bad.bytes.length}:${bad.bytes.subarray(0, 32).join(",")}`;
      const bucket = buckets.get(key) ?? [];
      if (bucket.some((b) => equalBytes(b, bad.bytes))) continue;
      buckets.set(key, [...bucket, bad.bytes]);
      out.push({
        location: `${side.label}:${bad.lineNumber}`,
        reason: bad.reason,
        bytes: bad.bytes,
      });
    }
  }
  return out;
}

/** The lines, each with its `\n`, as UTF-8 in one buffer (sized first: no intermediate string). */
function encodeLines(lines: EventLine[]): Uint8Array {
  const encoder = new TextEncoder();
  // deno-lint-ignore no-control-regex
  const ascii = /^[\x00-\x7f]*$/;
  const sizes = lines.map((l) =>
    ascii.test(l.line) ? l.line.length : encoder.encode(l.line).length
  );
  const out = new Uint8Array(sizes.reduce((n, size) => n + size + 1, 0));
  let at = 0;
  lines.forEach((l, i) => {
    encoder.encodeInto(l.line, out.subarray(at));
    at += sizes[i];
    out[at++] = 0x0a;
  });
  return out;
}

function joinLines(head: Uint8Array, lines: Uint8Array[]): Uint8Array {
  if (lines.length === 0) return head; // no second copy of a large log
  const out = new Uint8Array(lines.reduce((n, l) => n + l.length + 1, head.length));
  out.set(head, 0);
  let at = head.length;
  for (const line of lines) {
    out.set(line, at);
    out[at + line.length] = 0x0a;
    at += line.length + 1;
  }
  return out;
}

function warnMissing(id: string, base: ParsedLog, sides: ParsedLog[], warnings: string[]): void {
  const inBase = base.events.get(id);
  if (!inBase) return;
  for (const side of sides) {
    if (!side.events.has(id)) {
      warnings.push(missingWarning(id, base.label, inBase[0].lineNumber, side.label));
    }
  }
}

/**
 * One line per conflict for people: the event id (if any), where, and why.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { describeConflict } from "./merge_logs.ts";
 * const text = describeConflict({ eventId: null, locations: ["a.jsonl:3"], reason: "invalid JSON" });
 * assert.ok(text === "a.jsonl:3: invalid JSON");
 * ```
 */
export function describeConflict(conflict: MergeConflict): string {
  const where = conflict.locations.join(", ");
  return conflict.eventId === null
    ? `${where}: ${conflict.reason}`
    : `event ${conflict.eventId}: ${conflict.reason} (${where})`;
}
