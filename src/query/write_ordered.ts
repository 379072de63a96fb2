/**
 * What `query` prints by default: every matching event's canonical line in
 * the total order `(lamport_clock, node_id, event_id)`, each id once (its
 * first copy in that order, as `cost` counts it), written as bytes.
 *
 * Each log is parsed once into an index (`line_index.ts`: every problem
 * reported, each matching line's number, length, clock and node kept, or
 * its text when it is written anew; its order checked and its ids printed
 * on the way), on this thread and, for large logs, on workers too, each
 * thread taking the next log (`query_workers.ts`). On this thread alone, a
 * result of up to `gather` events is copied during that reading and
 * sorted. A larger one is a merge of the logs as streams on this thread,
 * each read a second time only to copy the lines its index names
 * (`indexed_blocks.ts`); a log out of order is sorted in memory on its
 * own, and a log whose index did not fit the budget is parsed again.
 * Lines already canonical are copied from the log's bytes to the output's,
 * with their keys kept beside them; no event object or string is made for
 * them.
 *
 * @module
 */
import { formatProblem, type LineProblem, type WarningSink } from "../read/log_reader.ts";
import type { ProjectLayout } from "../store/project_layout.ts";
import type { EventFilter } from "./filter.ts";
import { matchingLogs } from "./query.ts";
import { BlockBuilder, type LineBlock, logBlocks } from "./line_blocks.ts";
import { LineWriter, mergeBlocks, sortedBlocks } from "./block_merge.ts";
import { firstCopies } from "./id_prints.ts";
import { repeatedHashes } from "../event/repeated_hashes.ts";
import { type Gathering, indexLog, type LineIndex } from "./line_index.ts";
import { indexedBlocks } from "./indexed_blocks.ts";
import { indexOnThreads, type LogIndex, logIndex } from "./query_workers.ts";

/** Options for {@linkcode writeOrdered}. */
export interface WriteOrderedOptions {
  /** Results up to this many events are gathered and sorted in memory (default 20,000). */
  gather?: number;
  /** At most this many lines (the first in the order). */
  limit?: number;
  /**
   * Worker threads that index logs besides this one (at most one fewer than
   * the logs). Default: none with a filter other than features; else one
   * below 4 cores (none on one), else the cores less 2, at most 3.
   */
  workers?: number;
  /** Below this many bytes of logs in all, no worker is started (default 16 MiB). */
  minWorkerBytes?: number;
  /**
   * Bytes the logs' indexes may keep in all (default 128 MiB, about 24
   * bytes a line and the text of each line not copied as it stands; shared
   * out evenly between the threads); a log past it is parsed on both readings.
   */
  indexBytes?: number;
}

/**
 * Writes the matching events' lines in order through `write` (which must
 * be done with its bytes when it resolves); resolves to the number of
 * lines written. Each malformed line is reported once.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { writeOrdered } from "./write_ordered.ts";
 * import { ProjectLayout } from "../store/project_layout.ts";
 * const layout = new ProjectLayout(await Deno.makeTempDir());
 * assert.equal(await writeOrdered(layout, {}, () => {}, async () => {}), 0);
 * ```
 */
export async function writeOrdered(
  layout: ProjectLayout,
  filter: EventFilter,
  onWarning: WarningSink,
  write: (bytes: Uint8Array) => Promise<void>,
  options: WriteOrderedOptions = {},
): Promise<number> {
  const gather = options.gather ?? 20_000;
  const limit = options.limit ?? Infinity;
  const paths = await matchingLogs(layout, filter);
  const out = new LineWriter(write);
  const sizes = await Promise.all(paths.map((p) => Deno.lstat(p).then((s) => s.size, () => 0)));
  const workers = workersFor(sizes, filter, options);
  const budget = { left: options.indexBytes ?? 128 << 20 };
  const report = (p: LineProblem) => onWarning(formatProblem(p));
  let indexes: LogIndex[];
  if (workers > 0) indexes = await indexOnThreads(paths, sizes, filter, report, budget, workers);
  else {
    const here: LineIndex[] = [];
    // A small result is copied while it is indexed, and sorted: no second reading.
    const gathering: Gathering = { left: gather };
    // One log after another (all at once measured no faster here, and took 11 MB more).
    for (const [i, path] of paths.entries()) {
      here.push(await indexLog(path, sizes[i], filter, report, budget, gathering));
    }
    if (gathering.left >= 0) {
      const blocks = here.flatMap((index) => index.gathered); // ties in log order
      await mergeBlocks([sortedBlocks(blocks)], firstCopies(undefined), out, limit);
      return out.lines;
    }
    indexes = here.map((index) => logIndex(index)[0]);
  }
  await mergeIndexed(paths, sizes, filter, indexes, out, limit);
  return out.lines;
}

/**
 * The second reading: each log read again to copy the lines its index
 * names (see `indexed_blocks.ts`), merged as streams (a log not in order
 * sorted on its own). A log whose index the budget could not hold is read
 * again as {@linkcode logBlocks} reads it.
 */
async function mergeIndexed(
  paths: string[],
  sizes: number[],
  filter: EventFilter,
  indexes: LogIndex[],
  out: LineWriter,
  limit: number,
): Promise<void> {
  const quiet = () => {}; // the first reading told every problem
  const blocksOf = (i: number, fresh?: () => BlockBuilder): AsyncGenerator<LineBlock> =>
    !indexes[i].store.dropped
      ? indexedBlocks(indexes[i].store, paths[i], sizes[i], fresh)
      : logBlocks(paths[i], filter, quiet, fresh, { start: 0, end: sizes[i] });
  const fresh = () => new BlockBuilder();
  const sorted = async function* (i: number): AsyncGenerator<LineBlock> {
    yield* sortedBlocks(await Array.fromAsync(blocksOf(i, fresh)));
  };
  // Each id once: prints seen twice name the ids to check exactly.
  const repeated = new Set(repeatedHashes(indexes.map((index) => index.prints)));
  // No print repeated and every id printed: every line is its id's first copy.
  const once = repeated.size === 0 && !indexes.some((index) => index.others > 0);
  const sources = paths.map((_, i) => indexes[i].inOrder ? blocksOf(i) : sorted(i));
  await mergeBlocks(sources, once ? () => true : firstCopies(repeated), out, limit);
}

/**
 * Workers worth starting: none for a few small logs (starting one costs
 * more), and by default none for a filter that may leave few lines of the
 * logs it reads (this thread alone gathers a small result in one reading).
 */
function workersFor(sizes: number[], filter: EventFilter, options: WriteOrderedOptions): number {
  const cores = navigator.hardwareConcurrency ?? 1;
  const narrows = Object.entries(filter).some(([key, v]) => key !== "features" && v !== undefined);
  const workers = options.workers ??
    (narrows ? 0 : cores < 4 ? cores - 1 : Math.min(cores - 2, 3));
  if (workers <= 0 || sizes.length < 2) return 0;
  const bytes = sizes.reduce((a, b) => a + b, 0);
  return bytes < (options.minWorkerBytes ?? 16 << 20) ? 0 : Math.min(workers, sizes.length - 1);
}
