/**
 * Importing events into one feature's log: the same merge as git's driver,
 * run under the feature's lock, the log replaced atomically and the clock
 * file raised to cover every imported event.
 *
 * @module
 */
import { withLockedFeature } from "../store/locked_feature.ts";
import { type ClockState, emptyClock, mergeClockStates } from "../clock/lamport.ts";
import { readClockFile, writeClockFile } from "../clock/clock_file.ts";
import type { ProjectLayout } from "../store/project_layout.ts";
import type { WarningSink } from "../read/log_reader.ts";
import { appendWhole, writeAll } from "../store/append_whole.ts";
import { readTail } from "../store/log_tail.ts";
import { findEvents } from "../read/find_events.ts";
import { compareEvents } from "../event/order.ts";
import { normalizeEventId } from "../event/event_id.ts";
import type { Event } from "../event/envelope.ts";
import { type MergeConflict, mergeLogs } from "./merge_logs.ts";
import { cachedDecoder, type LogInput, parseLog } from "./parsed_log.ts";
import { replaceFile } from "./replace_file.ts";
import { streamMerge } from "./stream_merge.ts";
import { equalBytes } from "./equal_bytes.ts";

/** What importing into one feature did. */
export interface ImportOutcome {
  /** The feature slug imported into. */
  feature: string;
  /** Imported events that were not in the log (0 when aborted). */
  added: number;
  /** Imported events the log already held (equal content, any layout). */
  alreadyPresent: number;
  /** Non-empty means the import of this feature was aborted, nothing changed. */
  conflicts: MergeConflict[];
  /** Whether the log or the clock file was rewritten. */
  changed: boolean;
  /** Set when the conflicts are within what was imported (the input contradicts itself). */
  inInput?: boolean;
  /** How the log was written: the new events appended, or the log merged and replaced. */
  wrote?: "appended" | "merged" | "streamed";
}

/**
 * Merges `sources` into the feature's log. When every new event sorts after
 * the log's last line and none is in the log yet, they are appended (one
 * write, as `emit` appends; the log is not read whole); otherwise the log is
 * merged and replaced: streamed through a temp file when the log is all
 * events in order (see `streamMerge`), else merged in memory. All or nothing: on any conflict
 * (between sources, or with the log) neither the log nor the clock file is
 * touched. Running it twice changes nothing the second time. `clocks` are
 * clock states that came with the sources (their clock files).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { importIntoFeature } from "./import_feature.ts";
 * import { ProjectLayout } from "../store/project_layout.ts";
 * const layout = new ProjectLayout(await Deno.makeTempDir());
 * const out = await importIntoFeature(layout, "043-x", [{ label: "-", text: "" }], [], () => {});
 * assert.ok(out.added === 0 && !out.changed);
 * ```
 */
export async function importIntoFeature(
  layout: ProjectLayout,
  feature: string,
  sources: LogInput[],
  clocks: ClockState[],
  onWarning: WarningSink,
): Promise<ImportOutcome> {
  const outcome = { feature, added: 0, alreadyPresent: 0, changed: false };
  const decode = cachedDecoder();
  // Conflicts among the sources are found before the project is touched,
  // so an aborted import never creates a log file.
  const imported = mergeLogs({ sides: sources, decode, keepNonEvents: "none" });
  if (imported.conflicts.length > 0) {
    return { ...outcome, conflicts: imported.conflicts, inInput: true };
  }
  imported.warnings.forEach(onWarning);
  const importedIds = imported.events.map((e) => e.event.event_id);
  if (importedIds.length === 0 && clocks.length === 0) return { ...outcome, conflicts: [] };

  return await withLockedFeature(
    layout,
    feature,
    onWarning,
    async ({ file, logPath, clockPath }) => {
      const first = imported.events[0]?.event;
      if (
        first !== undefined && await appendable(file, logPath, first, importedIds) &&
        await clockForAppend(clockPath, logPath, imported.clock, ...clocks)
      ) {
        // The events only (keepNonEvents "none"), all or none of them.
        await appendWhole(file, logPath, () => writeAll(file, imported.bytes));
        const added = importedIds.length;
        return { ...outcome, added, conflicts: [], changed: true, wrote: "appended" };
      }
      const streamed = await streamMerge(file, logPath, imported.events);
      if (streamed !== undefined) {
        try {
          const clockChanged = await raiseClock(clockPath, onWarning, streamed.clock, ...clocks);
          if (streamed.temp !== null) await Deno.rename(streamed.temp, logPath);
          const changed = clockChanged || streamed.temp !== null;
          const { added, alreadyPresent } = streamed;
          return { ...outcome, added, alreadyPresent, conflicts: [], changed, wrote: "streamed" };
        } finally {
          if (streamed.temp !== null) await Deno.remove(streamed.temp).catch(() => {});
        }
      }
      const current = await readWhole(file);
      // The log's own lines that are not events stay (as bytes); the sources'
      // were reported by the first merge and stay where they are.
      const merged = mergeLogs({
        sides: [{ label: logPath, text: "", bytes: current }, ...sources],
        decode,
        keepNonEvents: "first",
      });
      if (merged.conflicts.length > 0) return { ...outcome, conflicts: merged.conflicts };
      merged.nonEvents.forEach((n) => onWarning(`${n.location}: not an event, kept: ${n.reason}`));
      const present = parseLog({ label: logPath, text: "", bytes: current }, decode).events;
      const added = importedIds.filter((id) => !present.has(id)).length;

      // The clock first: a crash between the two writes then leaves a clock
      // that is too high (harmless), never one below an event in the log.
      const clockChanged = await raiseClock(clockPath, onWarning, merged.clock, ...clocks);
      const logChanged = !equalBytes(merged.bytes, current);
      if (logChanged) await replaceFile(logPath, merged.bytes);
      return {
        ...outcome,
        added,
        alreadyPresent: importedIds.length - added,
        conflicts: [],
        changed: clockChanged || logChanged,
        wrote: "merged",
      };
    },
  );
}

/**
 * True when the imported events can simply be appended: the log ends in a
 * whole line that is an event (or is empty), the first (smallest) imported
 * event sorts after it, and no imported id is in the log yet (one pass over
 * the log, all ids at once; `ids` may be a function reading them).
 * Anything else takes the merge. `file` is the locked log.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendable } from "./import_feature.ts";
 * const path = await Deno.makeTempFile();
 * using file = await Deno.open(path, { read: true });
 * const event = {
 *   event_id: "01KHJVJWDM0HGAGYGXJYKD1JQG", event_type: "Note", aggregate_id: "043-x",
 *   lamport_clock: 1, node_id: "n", causation_id: null, timestamp: "2026-02-16T09:12:58Z",
 *   payload: {},
 * };
 * assert.ok(await appendable(file, path, event, [event.event_id]));
 * ```
 */
export async function appendable(
  file: Deno.FsFile,
  logPath: string,
  first: Event,
  ids: string[] | (() => Promise<string[]>),
): Promise<boolean> {
  if ((await file.stat()).size === 0) return true;
  const tail = await readTail(logPath);
  if (tail.torn || tail.last === undefined) return false;
  const last = { ...tail.last, event_id: normalizeEventId(tail.last.event_id) };
  if (compareEvents(last, first) >= 0) return false;
  // The ids may be read only now (a streamed import reads its sources again for them).
  const list = typeof ids === "function" ? await ids() : ids;
  return (await findEvents(logPath, new Set(list))).size === 0;
}

/**
 * Before an append under the lock: raises the clock file over the log's
 * last line and `states`, written only if that changes it (the clock goes
 * first: a crash before the append leaves it too high, never below an
 * event in the log). False, writing nothing, when the clock file is
 * corrupt: the caller takes the merge, which rebuilds it with a warning.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { clockForAppend } from "./import_feature.ts";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/log`, "");
 * assert.ok(await clockForAppend(`${dir}/clock.json`, `${dir}/log`, { n: 4 }));
 * assert.match(await Deno.readTextFile(`${dir}/clock.json`), /"n": ?4/);
 * ```
 */
export async function clockForAppend(
  clockPath: string,
  logPath: string,
  ...states: ClockState[]
): Promise<boolean> {
  const read = await readClockFile(clockPath);
  if (read.corrupt !== undefined) return false;
  const { last } = await readTail(logPath);
  const tail = emptyClock();
  if (last) tail[last.node_id] = last.lamport_clock;
  const clock = mergeClockStates(read.state, tail, ...states);
  if (!sameState(read.state, clock)) await writeClockFile(clockPath, clock);
  return true;
}

/**
 * Raises the clock file to cover `states` (rebuilt when corrupt, with a
 * warning); true when it was written.
 */
export async function raiseClock(
  clockPath: string,
  onWarning: WarningSink,
  ...states: ClockState[]
): Promise<boolean> {
  const read = await readClockFile(clockPath);
  if (read.corrupt !== undefined) {
    onWarning(`${clockPath}: clock file is corrupt (${read.corrupt}); rebuilt from the log`);
  }
  const clock = mergeClockStates(read.state, ...states);
  const clockChanged = read.corrupt !== undefined || !sameState(read.state, clock);
  if (clockChanged) await writeClockFile(clockPath, clock);
  return clockChanged;
}

/** Reads through the locked handle, so the bytes are the file the lock guards. */
async function readWhole(file: Deno.FsFile): Promise<Uint8Array> {
  await file.seek(0, Deno.SeekMode.Start);
  const size = (await file.stat()).size;
  const bytes = new Uint8Array(size);
  let read = 0;
  while (read < size) {
    const n = await file.read(bytes.subarray(read));
    if (n === null) break;
    read += n;
  }
  return bytes.subarray(0, read);
}

function sameState(a: ClockState, b: ClockState): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length &&
    keys.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
}
