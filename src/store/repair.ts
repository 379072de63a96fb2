/**
 * `verify --repair`: rewrite a log without its torn tail, git conflict
 * marker lines, exact repeats of a line, and (when asked) lines that are
 * not events, under the feature's lock, atomically; move what it drops into
 * a new quarantine file beside the log; raise the clock file to the log.
 *
 * @module
 */
import { dirname } from "node:path";
import { readClockFile, writeClockFile } from "../clock/clock_file.ts";
import { type ClockState, emptyClock, mergeClockStates } from "../clock/lamport.ts";
import { openLocked } from "./feature_lock.ts";
import { featurePathRefusal } from "./path_policy.ts";
import { removeStaleTemps, tempPathFor } from "./temp_files.ts";
import type { ProjectLayout } from "./project_layout.ts";
import { openLog } from "../read/open_log.ts";
import { rawLines } from "./raw_lines.ts";
import { classifyLine } from "./line_kind.ts";
import { LineSink } from "./line_sink.ts";
import { onInterrupt } from "../interrupt.ts";

/** What a repair did. */
export interface RepairResult {
  /** The feature repaired. */
  feature: string;
  /** Lines moved out of the log, by their original number. */
  droppedLines: number[];
  /** The new file holding exactly the dropped lines, when there were any. */
  quarantine: string | null;
  /** Lines repeating an earlier id with other bytes: left in place for a person. */
  conflictLines: number[];
  /** Whether the clock file was raised. */
  clockRaised: boolean;
}

/** Which lines that are not events to move out as well. */
export interface RepairOptions {
  /** `"all"`, or these line numbers (events among them are never moved). */
  quarantine?: "all" | ReadonlySet<number>;
}

/**
 * Repairs one feature. Every line kept is written back byte for byte; an
 * event is never dropped unless it is a byte-exact repeat of an earlier
 * line; a line that is not an event stays unless it is a conflict marker,
 * the torn tail, or named in `options.quarantine`. The dropped lines go to
 * `execution.events.jsonl.<time>-<random>.quarantine`, created exclusively,
 * so the quarantine plus the new log hold every line of the old one. A
 * feature that `emit`'s path policy refuses (`featurePathRefusal`: a
 * symbolic link out of the project, a linked log or clock file) is left
 * alone (verify reports it).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { repairFeature } from "./repair.ts";
 * import { ProjectLayout } from "./project_layout.ts";
 * const layout = new ProjectLayout(await Deno.makeTempDir());
 * await Deno.mkdir(`${layout.specsDir}/043-x`, { recursive: true });
 * await Deno.writeTextFile(layout.logPath("043-x"), "{kept}\n=======\n");
 * const r = await repairFeature(layout, "043-x", new Date(0));
 * assert.deepEqual(r.droppedLines, [2]);
 * assert.equal(await Deno.readTextFile(layout.logPath("043-x")), "{kept}\n");
 * assert.equal(await Deno.readTextFile(r.quarantine!), "=======\n");
 * ```
 */
export async function repairFeature(
  layout: ProjectLayout,
  feature: string,
  now: Date,
  options: RepairOptions = {},
): Promise<RepairResult> {
  const path = layout.logPath(feature);
  const nothing = { feature, droppedLines: [], quarantine: null, conflictLines: [] };
  // Exactly emit's path policy: a link out of the project, a linked log or
  // clock file, and nothing is read, written or copied (verify reports it).
  if (await featurePathRefusal(layout, feature)) return { ...nothing, clockRaised: false };
  using file = await openLocked(path);
  try {
    // Under the lock, a temp file of ours no writer holds is left by a killed one.
    await removeStaleTemps(dirname(path), () => {});
    const rewrite = await rewriteLog(path, now, options);
    const clockPath = layout.clockPath(feature);
    let clockLink = false;
    const clock = await readClockFile(clockPath, { symlink: () => clockLink = true });
    const { logClock, ...result } = { feature, ...rewrite };
    if (clockLink) return { ...result, clockRaised: false };
    const raised = mergeClockStates(clock.state, logClock);
    const clockRaised = clock.corrupt !== undefined ||
      Object.keys(raised).some((node) =>
        !Object.hasOwn(clock.state, node) ||
        clock.state[node] !== raised[node]
      );
    if (clockRaised) await writeClockFile(clockPath, raised);
    return { ...result, clockRaised };
  } finally {
    await file.unlock();
  }
}

/** Where a kept event line sits in the original file, to compare a repeat with. */
interface Seen {
  offset: number;
  length: number;
}

async function rewriteLog(path: string, now: Date, options: RepairOptions) {
  const mode = (await Deno.stat(path)).mode ?? 0o644;
  const temp = tempPathFor(path);
  let moved: { sink: LineSink; path: string } | undefined;
  // The quarantine's name from just before it is created (a signal may come
  // while it is being opened, before `moved` is set).
  let quarantine: string | undefined;
  // Until the rename, the old log holds every line: stopped, or failed, the new files go.
  const undo = onInterrupt(() => {
    for (const file of [temp, quarantine]) if (file) Deno.removeSync(file);
  });
  const kept = await LineSink.create(temp, mode & 0o7777).catch((error) => {
    undo[Symbol.dispose]();
    throw error;
  });
  using reader = await Deno.open(path, { read: true });
  const droppedLines: number[] = [];
  const conflictLines: number[] = [];
  const seen = new Map<string, Seen[]>();
  const logClock: ClockState = emptyClock();
  try {
    // openLocked created the log if it was missing, and the lock keeps it in place.
    const source = (await openLog(path))!;
    for await (const line of rawLines(await source.stream())) {
      const kind = classifyLine(line.bytes);
      let drop = false;
      if (kind.kind === "event") {
        const id = kind.event.event_id;
        const earlier = seen.get(id) ?? [];
        drop = await repeatsAny(reader, earlier, line.bytes);
        if (!drop) {
          if (earlier.length > 0) conflictLines.push(line.number);
          seen.set(id, [...earlier, { offset: line.offset, length: line.bytes.length }]);
          const { node_id: node, lamport_clock: value } = kind.event;
          logClock[node] = Math.max(Object.hasOwn(logClock, node) ? logClock[node] : 0, value);
        }
      } else {
        // A torn tail or a marker from a text merge carries no event.
        const asked = options.quarantine === "all" || options.quarantine?.has(line.number);
        drop = kind.kind === "marker" || !line.complete || (kind.kind === "other" && !!asked);
      }
      if (!drop) {
        await kept.write(line.bytes);
        continue;
      }
      droppedLines.push(line.number);
      moved ??= await createQuarantine(path, now, mode & 0o7777, (name) => quarantine = name);
      await moved.sink.write(line.bytes);
    }
    await kept.close();
    if (moved) {
      await moved.sink.close();
      await Deno.rename(temp, path);
      undo[Symbol.dispose](); // the quarantine now holds lines the log does not
    } else {
      await Deno.remove(temp);
    }
  } catch (error) {
    kept.abandon();
    moved?.sink.abandon();
    await Deno.remove(temp).catch(() => {});
    // Its lines are still in the log: an empty or partial quarantine would only mislead.
    if (quarantine) await Deno.remove(quarantine).catch(() => {});
    throw error;
  } finally {
    undo[Symbol.dispose]();
  }
  return { droppedLines, quarantine: moved?.path ?? null, conflictLines, logClock };
}

/** True when `bytes` equals one of the earlier lines, read back from the file. */
async function repeatsAny(reader: Deno.FsFile, earlier: Seen[], bytes: Uint8Array) {
  for (const { offset, length } of earlier) {
    if (length !== bytes.length) continue;
    const buffer = new Uint8Array(length);
    await reader.seek(offset, Deno.SeekMode.Start);
    for (let at = 0; at < length;) {
      const n = await reader.read(buffer.subarray(at));
      if (n === null) break;
      at += n;
    }
    if (buffer.every((b, i) => b === bytes[i])) return true;
  }
  return false;
}

/**
 * A new quarantine file: a unique name, created exclusively, never an
 * existing one. `creating` is told each name just before it is tried, and
 * undefined when that name was taken.
 */
async function createQuarantine(
  path: string,
  now: Date,
  mode: number,
  creating: (name: string | undefined) => void,
) {
  const stamp = now.toISOString().replace(/[-:.]/g, "");
  while (true) {
    const candidate = `${path}.${stamp}-${crypto.randomUUID().slice(0, 8)}.quarantine`;
    try {
      creating(candidate);
      return { sink: await LineSink.create(candidate, mode), path: candidate };
    } catch (error) {
      creating(undefined);
      if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
    }
  }
}
