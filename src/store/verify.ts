/**
 * Integrity checks over a project's logs: malformed lines, git conflict
 * markers, duplicate ids, events filed under another feature, per-node
 * clock regressions, clock files behind their logs; and notes on what is
 * unusual but sound (a node id several machines share).
 *
 * @module
 */
import { decodeLine } from "../event/line_codec.ts";
import { unknownValues } from "../event/field_checks.ts";
import { normalizeEventId } from "../event/event_id.ts";
import { readLineBatches } from "../read/line_reader.ts";
import { readClockFile } from "../clock/clock_file.ts";
import { type ClockState, emptyClock } from "../clock/lamport.ts";
import { MAX_LINE_BYTES } from "../read/log_reader.ts";
import type { ProjectLayout } from "./project_layout.ts";
import { openLog } from "../read/open_log.ts";
import { featurePathRefusal } from "./path_policy.ts";
import { bytesNotEvent, textNotEvent } from "../read/not_event.ts";
import { FindingCap } from "./finding_cap.ts";
import { staleTemps } from "./temp_files.ts";
import { type Repeat, repeatAdvice, sameBytes } from "./repeat_bytes.ts";

/** First bytes of a git conflict marker (`<`, `=`, `>`, `|`): such lines are judged as text. */
const MARKER_START = new Set([0x3c, 0x3d, 0x3e, 0x7c]);

/** Kinds of problems `verify` reports. */
export type FindingKind =
  | "malformed"
  | "unknown-value"
  | "torn-tail"
  | "conflict-marker"
  | "duplicate-id"
  | "foreign-event"
  | "clock-regression"
  | "clock-behind"
  | "clock-corrupt"
  | "symlink"
  | "stale-temp";

/** One problem, located. */
export interface Finding {
  /** What sort of problem: decides whether `--repair` can fix it. */
  kind: FindingKind;
  /** The file it is in. */
  path: string;
  /** 1-based line, when the problem is on one line. */
  line?: number;
  /** What is wrong, and the fix. */
  message: string;
  /** Set on a summary: how many more findings of its kind it stands for (not listed one by one). */
  more?: number;
}

/**
 * Kinds of notes: sound states worth knowing, never a failure. `shared-node`:
 * one node id gave the same clock value to several events, as when two
 * machines record under one name (spec-kitty's `cli:<wp>`) and their logs
 * are merged; the order then falls back on `event_id`, and the next event
 * on that node still comes after both.
 */
export type NoteKind = "shared-node";

/** Something sound but unusual, located like a finding. */
export interface Note {
  /** What sort of note. */
  kind: NoteKind;
  /** The file it is about. */
  path: string;
  /** 1-based line where it was first seen. */
  line?: number;
  /** What was seen, and why it is fine. */
  message: string;
}

/** What one feature's check found. */
export interface FeatureReport {
  /** The feature checked. */
  feature: string;
  /** Valid events in its log. */
  events: number;
  /** Problems found, in file order: the first few of each kind, then a summary of the rest. */
  findings: Finding[];
  /** Notes (not problems), in file order. */
  notes: Note[];
  /** Highest clock per node in the log. */
  logClock: ClockState;
}

/**
 * True for a line git writes around a text conflict.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isConflictMarker } from "./verify.ts";
 * assert.ok(isConflictMarker("<<<<<<< HEAD") && !isConflictMarker("{}"));
 * ```
 */
export function isConflictMarker(line: string): boolean {
  return /^(<{7}|={7}|>{7}|\|{7})( |$)/.test(line);
}

/**
 * Checks one feature's log and clock file.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { verifyFeature } from "./verify.ts";
 * import { ProjectLayout } from "./project_layout.ts";
 * const layout = new ProjectLayout(await Deno.makeTempDir());
 * const report = await verifyFeature(layout, "043-x");
 * assert.ok(report.findings.length === 0 && report.notes.length === 0);
 * ```
 */
export async function verifyFeature(
  layout: ProjectLayout,
  feature: string,
): Promise<FeatureReport> {
  const path = layout.logPath(feature);
  const found = new FindingCap();
  const logClock: ClockState = emptyClock();
  const lastByNode = new Map<string, number>();
  const seen = new Map<string, number>();
  const repeats: (Repeat & { finding: Finding })[] = [];
  // Per node: the line of its first repeated clock value, and how many repeats.
  const shared = new Map<string, { line: number; clock: number; count: number }>();
  let events = 0;
  let last: { node: string; clock: number } | undefined;
  const refusal = await featurePathRefusal(layout, feature);
  if (
    refusal && (refusal.path === layout.specsDir || refusal.path === layout.featureDir(feature))
  ) {
    found.add({ kind: "symlink", path: refusal.path, message: refusal.message });
    return { feature, events, findings: found.findings(), notes: [], logClock };
  }
  const log = await openLog(path, {
    symlink: () =>
      found.add({ kind: "symlink", path, message: "log is a symbolic link (not read)" }),
  });
  if (!log) {
    const findings = [...found.findings(), ...await tempFindings(layout.featureDir(feature))];
    return { feature, events, findings, notes: [], logClock };
  }
  // A block's lines at a time: one await per line costs more than a junk line does.
  // Past the limit, junk is counted from its bytes: no text, no object per line.
  const junk = (bytes: Uint8Array, start: number, end: number, number: number) => {
    if (start === end || MARKER_START.has(bytes[start]) || !bytesNotEvent(bytes, start, end)) {
      return false;
    }
    found.count("malformed", path, number);
    return true;
  };
  const skip = () => found.full("malformed") ? junk : undefined;
  const batches = readLineBatches(await log.stream(), { maxLineBytes: MAX_LINE_BYTES, skip });
  for await (const batch of batches) {
    for (const line of batch) {
      const at = { path, line: line.number };
      if (line.oversize) {
        found.add({ kind: "malformed", ...at, message: "line over 16 MiB" });
        continue;
      }
      if (line.text.trim() === "") continue;
      if (isConflictMarker(line.text)) {
        found.add({
          kind: "conflict-marker",
          ...at,
          message:
            "git conflict marker: the log was merged as text; run 'kitty-telemetry git-setup', then redo the merge",
        });
        continue;
      }
      // Past the limit, a line that certainly is no event is counted without its reason.
      if (line.complete && found.full("malformed") && textNotEvent(line.text)) {
        found.count("malformed", path, line.number);
        continue;
      }
      const decoded = decodeLine(line.text);
      if (!decoded.ok) {
        // A clock over the ceiling is no event either (the field table's rule).
        found.add(
          line.complete
            ? { kind: "malformed", ...at, message: decoded.reason }
            : { kind: "torn-tail", ...at, message: `torn last line (${decoded.reason})` },
        );
        continue;
      }
      events++;
      if (decoded.invalid) {
        found.add({ kind: "unknown-value", ...at, message: unknownValues(decoded.invalid) });
      }
      const e = decoded.event;
      // One id in any spelling is one event.
      const id = normalizeEventId(e.event_id);
      const first = seen.get(id);
      if (first !== undefined) {
        const finding: Finding = {
          kind: "duplicate-id",
          ...at,
          message: `event ${id} already at line ${first}`,
        };
        // Only the listed ones are looked at again (the rest are a count).
        if (!found.full("duplicate-id")) repeats.push({ first, line: line.number, finding });
        found.add(finding);
        continue;
      }
      seen.set(id, line.number);
      if (e.aggregate_id !== feature) {
        found.add({
          kind: "foreign-event",
          ...at,
          message: `event ${id} belongs to feature ${e.aggregate_id} (its aggregate_id), not ` +
            `${feature}: cost and query count it there; move the line to that feature's log`,
        });
      }
      const previous = lastByNode.get(e.node_id);
      if (previous !== undefined && e.lamport_clock < previous) {
        found.add({
          kind: "clock-regression",
          ...at,
          message: `node ${e.node_id}: clock ${e.lamport_clock} after ${previous}`,
        });
      } else if (previous === e.lamport_clock) {
        // One writer never repeats a value (it holds the lock and the clock
        // file); a repeat means several machines share the node id.
        const repeat = shared.get(e.node_id);
        if (repeat) repeat.count++;
        else shared.set(e.node_id, { line: line.number, clock: e.lamport_clock, count: 1 });
      }
      lastByNode.set(e.node_id, Math.max(previous ?? 0, e.lamport_clock));
      last = { node: e.node_id, clock: e.lamport_clock };
      logClock[e.node_id] = Math.max(logClock[e.node_id] ?? 0, e.lamport_clock);
    }
  }
  const findings = found.findings();
  (await sameBytes(path, repeats)).forEach((same, i) =>
    repeats[i].finding.message += repeatAdvice(same)
  );
  findings.push(...await checkClockFile(layout.clockPath(feature), logClock, last?.clock ?? 0));
  findings.push(...await tempFindings(layout.featureDir(feature)));
  const notes = [...shared].map(([node, s]): Note => ({
    kind: "shared-node",
    path,
    line: s.line,
    message: `node ${node}: clock ${s.clock} is held by more than one event` +
      (s.count > 1 ? ` (${s.count} repeats in all)` : "") +
      ": several machines record under this node id (spec-kitty names nodes cli:<wp>); " +
      "expected after a merge, nothing to fix",
  }));
  return { feature, events, findings, notes, logClock };
}

/**
 * A clock file behind its log is a problem only when the next emit could
 * reuse a value: emit takes the highest of the clock file and the log's
 * last line (a crash between append and clock write leaves exactly that
 * gap), so only a gap beyond that is reported.
 */
async function checkClockFile(
  path: string,
  logClock: ClockState,
  lastLineClock: number,
): Promise<Finding[]> {
  let link = false;
  const read = await readClockFile(path, { symlink: () => link = true });
  if (link) {
    return [{ kind: "symlink", path, message: "clock file is a symbolic link (not read)" }];
  }
  if (read.corrupt) {
    return [{ kind: "clock-corrupt", path, message: `clock file is corrupt (${read.corrupt})` }];
  }
  const known = Math.max(lastLineClock, 0, ...Object.values(read.state));
  const logMax = Math.max(0, ...Object.values(logClock));
  if (known >= logMax) return [];
  return Object.entries(logClock).filter(([node, max]) => (read.state[node] ?? 0) < max).map((
    [node, max],
  ) => ({
    kind: "clock-behind" as const,
    path,
    message: `node ${node}: clock file says ${read.state[node] ?? "nothing"}, log has ${max}`,
  }));
}

/** Temp files a killed import, repair or clock write left (see `temp_files.ts`). */
async function tempFindings(dir: string): Promise<Finding[]> {
  return (await staleTemps(dir)).map((temp) => ({
    kind: "stale-temp",
    path: temp.path,
    message: `temp file of an interrupted write (${temp.size} bytes, last written ` +
      `${temp.mtime.toISOString()}); nothing reads it: verify --repair, or the next emit or ` +
      "import into this feature, removes it (or delete it)",
  }));
}
