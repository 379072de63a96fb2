/**
 * `import` of sources of any size without holding them: each feature's
 * sources are merged as streams (`sortedMerge`), once to check them before
 * anything is written, once to append them to the log or to merge them
 * with it through a temp file. Only the case where that gives today's
 * bytes, counts and conflicts is taken (every input all events, each in
 * the log order, no id at two places); anything else is left to the
 * in-memory import (`importIntoFeature`), which the caller then runs.
 *
 * @module
 */
import { withLockedFeature } from "../store/locked_feature.ts";
import { type ClockState, emptyClock } from "../clock/lamport.ts";
import type { Event } from "../event/envelope.ts";
import { DataError } from "../errors.ts";
import type { WarningSink } from "../read/log_reader.ts";
import { appendWhole, writeAll } from "../store/append_whole.ts";
import type { ProjectLayout } from "../store/project_layout.ts";
import { appendable, clockForAppend, type ImportOutcome, raiseClock } from "./import_feature.ts";
import type { MergeConflict } from "./merge_logs.ts";
import { replaceFileBy } from "./replace_file.ts";
import { sortedMerge, type SortedObserver } from "./sorted_merge.ts";
import type { InputOpener } from "./stream_import.ts";
import { chunks } from "./stream_merge.ts";
import { sameBytes } from "./same_bytes.ts";

/** One source of a streamed import: a label for messages, and how to read it (again). */
export interface SortedSource {
  /** Lines are reported as `label:line`. */
  label: string;
  /** Opens its bytes afresh (only the feature's lines, others blanked, for a mixed file). */
  open: InputOpener;
}

/** What the first pass found of one feature's sources. */
export interface CheckedFeature {
  /** The feature. */
  feature: string;
  /** Its sources, in the order given. */
  sources: SortedSource[];
  /** Distinct events among them. */
  count: number;
  /** The smallest of them. */
  first: Event | undefined;
  /** The highest clock per node among them. */
  clock: ClockState;
  /** Ids with two contents among the sources (the import of this feature is then aborted). */
  conflicts: MergeConflict[];
  /** The bytes the sources' merge writes. */
  bytes: number;
  /** True when that is exactly the lone source's bytes (then copied, not merged again). */
  verbatim: boolean;
}

/**
 * The first pass over one feature's sources, writing nothing: undefined
 * when they are not for the streamed import (a line that is not an event,
 * lines out of order, an id at two places, an event of another feature).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkFeature } from "./sorted_import.ts";
 * const open = () => Promise.resolve(new Blob(["junk\n"]).stream());
 * assert.equal(await checkFeature("043-x", [{ label: "in", open }]), undefined);
 * ```
 */
export async function checkFeature(
  feature: string,
  sources: SortedSource[],
): Promise<CheckedFeature | undefined> {
  let count = 0;
  let first: Event | undefined;
  const clock = emptyClock();
  const observe: SortedObserver = (versions) => {
    if (versions.some((v) => v.event.aggregate_id !== feature)) return false;
    const event = versions[0].event;
    first ??= event;
    count++;
    raise(clock, event);
    return true;
  };
  const inputs = await opened(sources);
  // A lone source is measured as it is read: its size and its last byte.
  let size = 0;
  let last = -1;
  if (inputs.length === 1) {
    inputs[0].stream = inputs[0].stream.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, out) {
          size += chunk.length;
          if (chunk.length > 0) last = chunk[chunk.length - 1];
          out.enqueue(chunk);
        },
      }),
    );
  }
  let bytes = 0;
  const merged = await sortedMerge(inputs, undefined, (written) => {
    bytes += written.length;
    return Promise.resolve();
  }, observe);
  if (merged === undefined) return undefined;
  // Each kept line is a line of the source, in its order, with its "\n": as many bytes as the
  // source and a "\n" at its end leave no room for a blank line or a line left out.
  const verbatim = inputs.length === 1 && bytes === size && last === 0x0a;
  return { feature, sources, count, first, clock, conflicts: merged.conflicts, bytes, verbatim };
}

/**
 * The second pass for one checked feature, under its lock: the sources
 * appended to the log (when `appendable`), or merged with it into a temp
 * file renamed over it (when that changes it), the clock file raised
 * first. Null, having written nothing, when the in-memory import must do
 * it (no event to import, a corrupt clock file, a log that is not all
 * events in order, an id the log holds elsewhere).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkFeature, importChecked } from "./sorted_import.ts";
 * import { ProjectLayout } from "../store/project_layout.ts";
 * const layout = new ProjectLayout(await Deno.makeTempDir());
 * const line = '{"event_id":"01KHJVJWDM0HGAGYGXJYKD1JQG","event_type":"Note","aggregate_id":"043-x",' +
 *   '"lamport_clock":1,"node_id":"n","causation_id":null,"timestamp":"2026-02-16T09:12:58Z","payload":{}}';
 * const open = () => Promise.resolve(new Blob([line + "\n"]).stream());
 * const checked = (await checkFeature("043-x", [{ label: "in", open }]))!;
 * const out = await importChecked(layout, checked, [], () => {});
 * assert.deepEqual([out?.added, out?.wrote], [1, "appended"]);
 * ```
 */
export async function importChecked(
  layout: ProjectLayout,
  checked: CheckedFeature,
  clocks: ClockState[],
  onWarning: WarningSink,
): Promise<ImportOutcome | null> {
  const { feature, first } = checked;
  const outcome = { feature, added: 0, alreadyPresent: 0, changed: false };
  if (checked.conflicts.length > 0) {
    return { ...outcome, conflicts: checked.conflicts, inInput: true };
  }
  if (first === undefined) return null;
  return await withLockedFeature(
    layout,
    feature,
    onWarning,
    async ({ file, logPath, clockPath }) => {
      if (
        await appendable(file, logPath, first, () => idsOf(checked)) &&
        await clockForAppend(clockPath, logPath, checked.clock, ...clocks)
      ) {
        await appendWhole(file, logPath, async () => {
          const again = checked.verbatim
            ? await copied(checked.sources[0], file, checked)
            : await mergeSources(checked.sources, (bytes) => writeAll(file, bytes));
          if (again?.eventCount !== checked.count || again.conflicts.length > 0) {
            throw new DataError(
              `${checked.sources.map((s) => s.label).join(", ")}: changed while it was ` +
                "imported; import it again",
            );
          }
        });
        return {
          ...outcome,
          added: checked.count,
          conflicts: [],
          changed: true,
          wrote: "appended",
        };
      }
      return await mergeWithLog(file, logPath, clockPath, checked, clocks, onWarning);
    },
  );
}

/** The merge with the log, streamed: null when it leaves the sorted case. */
async function mergeWithLog(
  file: Deno.FsFile,
  logPath: string,
  clockPath: string,
  checked: CheckedFeature,
  clocks: ClockState[],
  onWarning: WarningSink,
): Promise<ImportOutcome | null> {
  const { feature, count } = checked;
  if (checked.verbatim && await sameAsSource(file, logPath, checked)) {
    // The log is the source byte for byte: the merge would write it again.
    const changed = await raiseClock(clockPath, onWarning, checked.clock, ...clocks);
    return { feature, added: 0, alreadyPresent: count, conflicts: [], changed, wrote: "streamed" };
  }
  type Settled = { conflicts: MergeConflict[]; added: number; changed: boolean };
  let result: Settled | null = null;
  await replaceFileBy(logPath, async (write) => {
    const clock = emptyClock();
    let added = 0;
    const observe: SortedObserver = (versions, inputs) => {
      raise(clock, versions[0].event);
      if (inputs[0] !== 0) added++;
      return true;
    };
    await file.seek(0, Deno.SeekMode.Start);
    const log = { label: logPath, stream: ReadableStream.from(chunks(file)) };
    using same = await sameBytes(logPath);
    const merged = await sortedMerge(
      [log, ...await opened(checked.sources)],
      undefined,
      async (bytes) => {
        await same.next(bytes);
        await write(bytes);
      },
      observe,
    );
    if (merged === undefined) return undefined;
    if (merged.conflicts.length > 0) {
      result = { conflicts: merged.conflicts, added: 0, changed: false };
      return undefined;
    }
    // The clock first: a crash before the rename leaves it too high, never too low.
    const clockChanged = await raiseClock(clockPath, onWarning, clock, ...clocks);
    const logChanged = !(await same.equal());
    result = { conflicts: [], added, changed: clockChanged || logChanged };
    return logChanged ? true : undefined;
  });
  // Set inside the callback, which TypeScript does not follow.
  const settled = result as Settled | null;
  if (settled === null) return null;
  const { conflicts, added, changed } = settled;
  if (conflicts.length > 0) return { feature, added: 0, alreadyPresent: 0, conflicts, changed };
  return { feature, added, alreadyPresent: count - added, conflicts, changed, wrote: "streamed" };
}

/** The ids of a checked feature's events, read again (only for an append onto a log that has lines). */
async function idsOf(checked: CheckedFeature): Promise<string[]> {
  const ids: string[] = [];
  const observe: SortedObserver = (versions) => {
    ids.push(versions[0].event.event_id);
    return true;
  };
  await mergeSources(checked.sources, () => Promise.resolve(), observe);
  return ids;
}

/** Appends a verbatim source as it is; its counts as a merge's, when it has not changed. */
async function copied(source: SortedSource, file: Deno.FsFile, checked: CheckedFeature) {
  let bytes = 0;
  for await (const chunk of await source.open()) {
    bytes += chunk.length;
    await writeAll(file, chunk);
  }
  const same = bytes === checked.bytes;
  return same ? { eventCount: checked.count, conflicts: [] } : undefined;
}

/** True when the locked log holds exactly the verbatim source's bytes. */
async function sameAsSource(file: Deno.FsFile, logPath: string, checked: CheckedFeature) {
  if ((await file.stat()).size !== checked.bytes) return false;
  using same = await sameBytes(logPath);
  for await (const chunk of await checked.sources[0].open()) await same.next(chunk);
  return await same.equal();
}

/** A sorted merge of the sources alone (the import's own check and bytes). */
async function mergeSources(
  sources: SortedSource[],
  write: (bytes: Uint8Array) => Promise<void>,
  observe?: SortedObserver,
) {
  return await sortedMerge(await opened(sources), undefined, write, observe);
}

async function opened(sources: SortedSource[]) {
  const out = [];
  for (const s of sources) out.push({ label: s.label, stream: await s.open() });
  return out;
}

function raise(clock: ClockState, event: Event): void {
  const node = event.node_id;
  clock[node] = Math.max(Object.hasOwn(clock, node) ? clock[node] : 0, event.lamport_clock);
}
