/**
 * Appending to one feature's log: under an OS lock on the log file, read the
 * clock, let the caller decide what to write, append it in one write, then
 * replace the clock file. Every writer (the store's `save`, `emit`) goes
 * through {@linkcode appendToFeature}, so all share one locking scheme.
 *
 * @module
 */
import type { Event } from "../event/envelope.ts";
import { encodeEvent } from "../event/line_encode.ts";
import { type ClockState, emptyClock, mergeClockStates } from "../clock/lamport.ts";
import { readClockFile, writeClockFile } from "../clock/clock_file.ts";
import type { ProjectLayout } from "./project_layout.ts";
import { scanLog, type WarningSink } from "../read/log_reader.ts";
import { LOCK_TIMEOUT_MS, openLocked, prepareFeatureDir } from "./feature_lock.ts";
import { readTail } from "./log_tail.ts";
import { removeStaleTemps } from "./temp_files.ts";
import { findEvents } from "../read/find_events.ts";
import { appendWhole, writeAll } from "./append_whole.ts";

/** What the caller of {@linkcode appendToFeature} sees while the lock is held. */
export interface AppendContext {
  /** The feature's clock state (recovered from the log if the file was corrupt). */
  clock: ClockState;
  /** Stored events whose ids were asked for in `lookupIds`, by normalised id. */
  existing: Map<string, Event>;
}

/** What to write: the events to append and the clock state to persist. */
export interface AppendPlan {
  events: Event[];
  clock: ClockState;
}

/**
 * Runs `plan` under the feature's lock and writes what it returns. Nothing
 * is written when `plan` throws. A torn last line is never glued to: the
 * append then starts with a newline. Once the events are appended the call
 * succeeds: a clock file that cannot be written then is only a warning.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type AppendContext, appendToFeature } from "./feature_log.ts";
 * import { ProjectLayout } from "./project_layout.ts";
 * const layout = new ProjectLayout(await Deno.makeTempDir());
 * const event = {
 *   event_id: "01KHJVJWDM0HGAGYGXJYKD1JQG", event_type: "Note", aggregate_id: "043-x",
 *   lamport_clock: 1, node_id: "n", causation_id: null,
 *   timestamp: "2026-02-16T09:12:58Z", payload: {},
 * };
 * await appendToFeature(layout, "043-x", [], () => ({ events: [event], clock: { n: 1 } }), () => {});
 * // The next writer sees the stored clock, and the event whose id it asks for.
 * let seen: AppendContext | undefined;
 * await appendToFeature(layout, "043-x", [event.event_id], (context) => {
 *   seen = context;
 *   return { events: [], clock: context.clock };
 * }, () => {});
 * assert.deepEqual({ ...seen?.clock }, { n: 1 });
 * assert.deepEqual(seen?.existing.get(event.event_id), event);
 * assert.equal((await Deno.readTextFile(layout.logPath("043-x"))).split("\n").length, 2);
 * ```
 */
export async function appendToFeature(
  layout: ProjectLayout,
  feature: string,
  lookupIds: string[],
  plan: (context: AppendContext) => AppendPlan,
  onWarning: WarningSink,
  lockTimeoutMs: number = LOCK_TIMEOUT_MS,
): Promise<AppendPlan> {
  const logPath = layout.logPath(feature);
  const clockPath = layout.clockPath(feature);
  await prepareFeatureDir(layout, feature);
  using file = await openLocked(logPath, lockTimeoutMs);
  try {
    // Under the lock, a temp file of ours no writer holds is left by a killed one.
    await removeStaleTemps(layout.featureDir(feature), onWarning);
    const tail = await readTail(logPath);
    let clock = await loadClock(clockPath, logPath, onWarning);
    if (tail.last) {
      // A crash between the append and the clock write leaves the clock
      // file behind the log; the last line has the highest clock, so this
      // keeps values unique without scanning.
      // (mergeClockStates leaves out a value over the ceiling.)
      const last = emptyClock();
      last[tail.last.node_id] = tail.last.lamport_clock;
      clock = mergeClockStates(clock, last);
    }
    const existing = lookupIds.length > 0
      ? await findEvents(logPath, new Set(lookupIds))
      : new Map<string, Event>();
    const result = plan({ clock, existing });
    if (result.events.length > 0) {
      const body = result.events.map((e) => encodeEvent(e) + "\n").join("");
      const bytes = new TextEncoder().encode((tail.torn ? "\n" : "") + body);
      await appendWhole(file, logPath, () => writeAll(file, bytes));
    }
    if (!sameState(clock, result.clock)) {
      try {
        await writeClockFile(clockPath, result.clock);
      } catch (error) {
        // The events are in the log: the emit has happened, and failing now
        // would make a caller retry and record the run twice. The clock file
        // only lags: the next append reads the last value from the tail.
        if (result.events.length === 0) throw error;
        onWarning(
          `${clockPath}: could not write the clock file (${(error as Error).message}); ` +
            "the event is recorded, and the next emit recovers the clock from the log",
        );
      }
    }
    return result;
  } finally {
    await file.unlock();
  }
}

async function loadClock(
  clockPath: string,
  logPath: string,
  onWarning: WarningSink,
): Promise<ClockState> {
  const read = await readClockFile(clockPath);
  if (read.corrupt === undefined) return read.state;
  onWarning(
    `${clockPath}: clock file is corrupt (${read.corrupt}); recovering from ${logPath}`,
  );
  const fromLog = emptyClock();
  for await (const event of scanLog(logPath, onWarning)) {
    const node = event.node_id;
    fromLog[node] = Math.max(Object.hasOwn(fromLog, node) ? fromLog[node] : 0, event.lamport_clock);
  }
  return mergeClockStates(read.state, fromLog);
}

function sameState(a: ClockState, b: ClockState): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length &&
    keys.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
}
