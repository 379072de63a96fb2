/**
 * What `query` prints by default: every matching event's canonical line in
 * the total order `(lamport_clock, node_id, event_id)`, each id once (its
 * first copy in that order, as `cost` counts it), written as bytes.
 *
 * On this thread (the default below 4 cores) each log is parsed once into
 * an index (`line_index.ts`: every problem reported, each matching line's
 * number, length, clock and node kept, or its text when it is written
 * anew; its order checked and its ids printed on the way). A result of up
 * to `gather` events is copied during that reading and sorted. A larger
 * one is a merge of the logs as streams, each read a second time only to
 * copy the lines its index names (`indexed_blocks.ts`); a log out of order
 * is sorted in memory on its own, and a log whose index did not fit the
 * budget is parsed again. With workers, each log is first read for its
 * facts (`log_facts.ts`), then parsed again while it is merged; workers
 * read the facts and some logs while this thread reads the rest and
 * merges. Either way, lines already canonical are copied from the log's
 * bytes to the output's, with their keys kept beside them; no event object
 * or string is made for them.
 *
 * @module
 */
import { formatProblem, type LineProblem, type WarningSink } from "../read/log_reader.ts";
import type { ProjectLayout } from "../store/project_layout.ts";
import type { ByteRange } from "../read/byte_range.ts";
import type { EventFilter } from "./filter.ts";
import { matchingLogs } from "./query.ts";
import { BlockBuilder, type LineBlock, logBlocks } from "./line_blocks.ts";
import { LineWriter, mergeBlocks, sortedBlocks } from "./block_merge.ts";
import { firstCopies } from "./id_prints.ts";
import { repeatedHashes } from "../event/repeated_hashes.ts";
import { type Gathering, indexLog, type LineIndex } from "./line_index.ts";
import type { IndexBudget } from "./kept_lines.ts";
import { indexedBlocks } from "./indexed_blocks.ts";
import { QueryWorkers } from "./query_workers.ts";

/** Options for {@linkcode writeOrdered}. */
export interface WriteOrderedOptions {
  /** Results up to this many events are gathered and sorted in memory (default 20,000). */
  gather?: number;
  /** At most this many lines (the first in the order). */
  limit?: number;
  /**
   * Worker threads that read logs besides this one. Default: none below 4
   * cores (on 2 shared cores a worker cost ~0.7 s more CPU at 1M events than
   * it saved: each isolate warms its own JIT), else the cores less 2, at most 3.
   */
  workers?: number;
  /** Below this many bytes of logs in all, no worker is started (default 16 MiB). */
  minWorkerBytes?: number;
  /**
   * Without workers: bytes the logs' indexes may keep in all (default 128
   * MiB, about 24 bytes a line and the text of each line not copied as it
   * stands); a log past it is parsed on both readings.
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
  const count = await workersFor(paths, options);
  if (count === 0) {
    const budget = { left: options.indexBytes ?? 128 << 20 };
    await writeIndexed(paths, filter, onWarning, out, { gather, limit, budget });
    return out.lines;
  }
  // Problems are reported as found; a second reading repeats none of them.
  const reported = new Map<string, number>(); // path -> last line reported (0: the file)
  const report = (p: LineProblem) => {
    reported.set(p.path, Math.max(reported.get(p.path) ?? -1, p.line));
    onWarning(formatProblem(p));
  };
  const gathered: LineBlock[] = [];
  let found = 0;
  gather: for (const path of paths) {
    for await (const block of logBlocks(path, filter, report, () => new BlockBuilder())) {
      gathered.push(block);
      found += block.count;
      if (found > gather) break gather;
    }
    reported.set(path, Infinity);
  }
  if (found <= gather) {
    await mergeBlocks([sortedBlocks(gathered)], firstCopies(undefined), out, limit);
    return out.lines;
  }
  gathered.length = 0;
  const workers = new QueryWorkers(count);
  try {
    const facts = await workers.facts(paths);
    // Each id once: prints seen twice name the ids to check exactly (all of them when unsure).
    const repeated = facts.some((f) => f.unsure)
      ? undefined
      : new Set(repeatedHashes(facts.map((f) => f.prints)));
    // No print repeated and every id printed: every line is its id's first copy.
    const once = repeated?.size === 0 && !facts.some((f) => f.others > 0);
    const sources = paths.map((path, i) => {
      const seen = reported.get(path) ?? -1;
      const rest = (p: LineProblem) => {
        if (p.line > seen) onWarning(formatProblem(p));
      };
      // Only the bytes the facts hold for: a line appended since was not printed.
      const range = { start: 0, end: facts[i].size };
      if (!facts[i].inOrder) return sortedLog(path, filter, rest, range);
      // This thread merges, and reads its share of the logs too.
      return i % (count + 1) !== count
        ? workers.blocks(i, path, filter, rest, range)
        : logBlocks(path, filter, rest, undefined, range);
    });
    facts.length = 0;
    await mergeBlocks(sources, once ? () => true : firstCopies(repeated), out, limit);
  } finally {
    workers.close();
  }
  return out.lines;
}

/** Options of {@linkcode writeIndexed}. */
interface IndexedOptions {
  gather: number;
  limit: number;
  budget: IndexBudget;
}

/**
 * On this thread: each log read once for its index (every problem reported
 * then), then read again to copy the lines it names (see `line_index.ts`),
 * merged as streams (a log not in order sorted on its own), or gathered
 * and sorted when there are at most `gather` of them. A log whose index
 * the budget could not hold is read again as {@linkcode logBlocks} reads it.
 */
async function writeIndexed(
  paths: string[],
  filter: EventFilter,
  onWarning: WarningSink,
  out: LineWriter,
  { gather, limit, budget }: IndexedOptions,
): Promise<void> {
  const report = (p: LineProblem) => onWarning(formatProblem(p));
  const sizes = await Promise.all(paths.map((p) => Deno.lstat(p).then((s) => s.size, () => 0)));
  const indexes: LineIndex[] = [];
  // A small result is copied while it is indexed, and sorted: no second reading.
  const gathering: Gathering = { left: gather };
  // One log after another (all at once measured no faster here, and took 11 MB more).
  for (const [i, path] of paths.entries()) {
    indexes.push(await indexLog(path, sizes[i], filter, report, budget, gathering));
  }
  if (gathering.left >= 0) {
    const blocks = indexes.flatMap((index) => index.gathered); // ties in log order
    await mergeBlocks([sortedBlocks(blocks)], firstCopies(undefined), out, limit);
    return;
  }
  for (const index of indexes) index.gathered.length = 0; // the logs read before it was too many
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
  const repeated = new Set(repeatedHashes(indexes.map((index) => index.prints.list())));
  // No print repeated and every id printed: every line is its id's first copy.
  const once = repeated.size === 0 && !indexes.some((index) => index.prints.others > 0);
  const sources = paths.map((_, i) => indexes[i].inOrder ? blocksOf(i) : sorted(i));
  await mergeBlocks(sources, once ? () => true : firstCopies(repeated), out, limit);
}

/** A log not in order: gathered whole, then sorted. */
async function* sortedLog(
  path: string,
  filter: EventFilter,
  onProblem: (problem: LineProblem) => void,
  range: ByteRange,
): AsyncGenerator<LineBlock> {
  const fresh = () => new BlockBuilder();
  yield* sortedBlocks(await Array.fromAsync(logBlocks(path, filter, onProblem, fresh, range)));
}

/** Workers worth starting: none for a few small logs (starting one costs more). */
async function workersFor(paths: string[], options: WriteOrderedOptions): Promise<number> {
  const cores = navigator.hardwareConcurrency ?? 1;
  const workers = options.workers ?? (cores < 4 ? 0 : Math.min(cores - 2, 3));
  if (workers <= 0 || paths.length < 2) return 0;
  let bytes = 0;
  for (const path of paths) bytes += await Deno.stat(path).then((s) => s.size, () => 0);
  return bytes < (options.minWorkerBytes ?? 16 << 20) ? 0 : workers;
}
