/**
 * `verify --repair`: rewrite a log without its torn tail, git conflict
 * marker lines and repeated event ids, under the feature's lock, atomically, keeping a
 * backup; and raise the clock file to what the log holds.
 *
 * @module
 */
import { dirname, join } from "node:path";
import { decodeLine } from "../event/line_codec.ts";
import { readLines } from "../read/line_reader.ts";
import { readClockFile, writeClockFile } from "../clock/clock_file.ts";
import { type ClockState, mergeClockStates } from "../clock/lamport.ts";
import { openLocked } from "./feature_lock.ts";
import { MAX_LINE_BYTES } from "../read/log_reader.ts";
import { isConflictMarker } from "./verify.ts";
import type { ProjectLayout } from "./project_layout.ts";
import { openLog } from "../read/open_log.ts";

/** What a repair did. */
export interface RepairResult {
  /** The feature repaired. */
  feature: string;
  /** Lines dropped: the torn tail and repeats of an id. */
  droppedLines: number[];
  /** Where the original log was copied, when it was rewritten. */
  backup: string | null;
  /** Whether the clock file was raised. */
  clockRaised: boolean;
}

/**
 * Repairs one feature. Other malformed lines are kept as they are: they may
 * be fixable by hand, and dropping them would lose the only copy. A log or
 * clock file that is a symbolic link is left alone (verify reports it); one
 * that is not a regular file is refused.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { repairFeature } from "./repair.ts";
 * import { ProjectLayout } from "./project_layout.ts";
 * const layout = new ProjectLayout(await Deno.makeTempDir());
 * await Deno.mkdir(`${layout.specsDir}/043-x`, { recursive: true });
 * const r = await repairFeature(layout, "043-x", new Date(0));
 * assert.ok(r.backup === null && r.droppedLines.length === 0);
 * ```
 */
export async function repairFeature(
  layout: ProjectLayout,
  feature: string,
  now: Date,
): Promise<RepairResult> {
  const path = layout.logPath(feature);
  const nothing = { feature, droppedLines: [], backup: null, clockRaised: false };
  let link = false;
  await openLog(path, { symlink: () => link = true });
  if (link) return nothing;
  using file = await openLocked(path);
  try {
    const temp = join(dirname(path), `.execution.events.${crypto.randomUUID()}.tmp`);
    const kept: string[] = [];
    const dropped: number[] = [];
    const seen = new Set<string>();
    const logClock: ClockState = {};
    using out = await Deno.open(temp, { write: true, createNew: true });
    const encoder = new TextEncoder();
    // openLocked created the log if it was missing, and the lock keeps it in place.
    const source = (await openLog(path))!;
    for await (const line of readLines(await source.stream(), { maxLineBytes: MAX_LINE_BYTES })) {
      const decoded = line.oversize ? null : decodeLine(line.text);
      if (decoded?.ok) {
        if (seen.has(decoded.event.event_id)) {
          dropped.push(line.number);
          continue;
        }
        seen.add(decoded.event.event_id);
        const { node_id, lamport_clock } = decoded.event;
        logClock[node_id] = Math.max(logClock[node_id] ?? 0, lamport_clock);
      } else if (!line.complete || isConflictMarker(line.text)) {
        // A torn tail or a marker from a text merge carries no event.
        dropped.push(line.number);
        continue;
      }
      kept.push(line.text + "\n");
      if (kept.length >= 1000) await out.write(encoder.encode(kept.splice(0).join("")));
    }
    await out.write(encoder.encode(kept.join("")));
    let backup: string | null = null;
    if (dropped.length > 0) {
      backup = `${path}.${now.toISOString().replace(/[-:]/g, "").replace(/\.\d+/, "")}.bak`;
      await Deno.copyFile(path, backup);
      await Deno.rename(temp, path);
    } else {
      await Deno.remove(temp);
    }
    const clockPath = layout.clockPath(feature);
    let clockLink = false;
    const clock = await readClockFile(clockPath, { symlink: () => clockLink = true });
    if (clockLink) return { ...nothing, droppedLines: dropped, backup };
    const raised = mergeClockStates(clock.state, logClock);
    const clockRaised = clock.corrupt !== undefined ||
      Object.entries(raised).some(([node, v]) => clock.state[node] !== v);
    if (clockRaised) await writeClockFile(clockPath, raised);
    return { feature, droppedLines: dropped, backup, clockRaised };
  } finally {
    await file.unlock();
  }
}
