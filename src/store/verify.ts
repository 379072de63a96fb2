/**
 * Integrity checks over a project's logs: malformed lines, git conflict
 * markers, duplicate ids, per-node clock regressions, clock files behind
 * their logs; and the repair of what can be repaired safely.
 *
 * @module
 */
import { decodeLine } from "../event/line_codec.ts";
import { readLines } from "../read/line_reader.ts";
import { readClockFile } from "../clock/clock_file.ts";
import { type ClockState, emptyClock, isAcceptedClock } from "../clock/lamport.ts";
import { MAX_LINE_BYTES } from "../read/log_reader.ts";
import type { ProjectLayout } from "./project_layout.ts";
import { openLog } from "../read/open_log.ts";

/** Kinds of problems `verify` reports. */
export type FindingKind =
  | "malformed"
  | "torn-tail"
  | "conflict-marker"
  | "duplicate-id"
  | "clock-regression"
  | "clock-behind"
  | "clock-corrupt"
  | "symlink";

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
}

/** What one feature's check found. */
export interface FeatureReport {
  /** The feature checked. */
  feature: string;
  /** Valid events in its log. */
  events: number;
  /** Problems found, in file order. */
  findings: Finding[];
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
 * assert.ok((await verifyFeature(layout, "043-x")).findings.length === 0);
 * ```
 */
export async function verifyFeature(
  layout: ProjectLayout,
  feature: string,
): Promise<FeatureReport> {
  const path = layout.logPath(feature);
  const findings: Finding[] = [];
  const logClock: ClockState = emptyClock();
  const lastByNode = new Map<string, number>();
  const seen = new Map<string, number>();
  let events = 0;
  let last: { node: string; clock: number } | undefined;
  const log = await openLog(path, {
    symlink: () =>
      findings.push({ kind: "symlink", path, message: "log is a symbolic link (not read)" }),
  });
  if (!log) return { feature, events, findings, logClock };
  for await (const line of readLines(await log.stream(), { maxLineBytes: MAX_LINE_BYTES })) {
    const at = { path, line: line.number };
    if (line.oversize) {
      findings.push({ kind: "malformed", ...at, message: "line over 16 MiB" });
      continue;
    }
    if (line.text.trim() === "") continue;
    if (isConflictMarker(line.text)) {
      findings.push({
        kind: "conflict-marker",
        ...at,
        message:
          "git conflict marker: the log was merged as text; run 'kitty-telemetry git-setup', then redo the merge",
      });
      continue;
    }
    const decoded = decodeLine(line.text);
    if (!decoded.ok) {
      findings.push(
        line.complete
          ? { kind: "malformed", ...at, message: decoded.reason }
          : { kind: "torn-tail", ...at, message: `torn last line (${decoded.reason})` },
      );
      continue;
    }
    const e = decoded.event;
    if (!isAcceptedClock(e.lamport_clock)) {
      findings.push({
        kind: "malformed",
        ...at,
        message:
          `lamport_clock ${e.lamport_clock} is over the ceiling; move it out with --repair --quarantine ${line.number}`,
      });
      continue;
    }
    events++;
    const first = seen.get(e.event_id);
    if (first !== undefined) {
      findings.push({
        kind: "duplicate-id",
        ...at,
        message: `event ${e.event_id} already at line ${first}`,
      });
      continue;
    }
    seen.set(e.event_id, line.number);
    const previous = lastByNode.get(e.node_id);
    if (previous !== undefined && e.lamport_clock <= previous) {
      findings.push({
        kind: "clock-regression",
        ...at,
        message: `node ${e.node_id}: clock ${e.lamport_clock} after ${previous}`,
      });
    }
    lastByNode.set(e.node_id, Math.max(previous ?? 0, e.lamport_clock));
    last = { node: e.node_id, clock: e.lamport_clock };
    logClock[e.node_id] = Math.max(lastByNode.get(e.node_id) ?? 0, e.lamport_clock);
  }
  findings.push(...await checkClockFile(layout.clockPath(feature), logClock, last?.clock ?? 0));
  return { feature, events, findings, logClock };
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
