/**
 * Matching events in the total order, in memory that does not grow with
 * the result. The tool appends each feature's log in clock order (and the
 * merge driver keeps it so), so a large result is a merge of per-log runs
 * that are already sorted, holding one batch per log. A log found out of
 * order (hand edits, concatenated files) is sorted in memory on its own;
 * a small result is simply gathered and sorted.
 *
 * @module
 */
import type { Event } from "../event/envelope.ts";
import { compareEvents } from "../event/order.ts";
import { firstOfEachId } from "../event/first_of_each_id.ts";
import { formatProblem, type LineProblem, type WarningSink } from "../read/log_reader.ts";
import { logInOrder } from "../read/log_order.ts";
import type { ProjectLayout } from "../store/project_layout.ts";
import { type EventFilter, logsPart, matches } from "./filter.ts";
import { logEvents, matchingLogs } from "./query.ts";
import { heapDown, heapPush } from "./binary_heap.ts";

/** What is merged: anything with the order keys (events, output lines). */
type Keyed = Pick<Event, "lamport_clock" | "node_id" | "event_id">;

/** Reads one log's matching items in file order, in batches. */
type LogSource<T> = (
  path: string,
  filter: EventFilter,
  onProblem: (problem: LineProblem) => void,
) => AsyncGenerator<T[]>;

/**
 * Events per yielded batch (what the CLI encodes and writes at once): about
 * 120 KB of output, so each write buffer is small enough for malloc to reuse
 * (1000 a batch left ~60 MB more of them waiting for collection at 1M events).
 */
const BATCH = 256;

/** Options for {@linkcode orderedEvents}. */
export interface OrderedOptions {
  /** Results up to this many events (~20 MB at 20,000) are gathered and sorted in memory. */
  gather?: number;
}

/**
 * Yields the matching events in `(lamport_clock, node_id, event_id)` order
 * (ties in log order), in batches, each id once: its first copy in that
 * order, as `cost` counts it (the ids seen are kept, about 60 bytes each).
 * Each malformed line is reported once.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { orderedEvents } from "./ordered.ts";
 * import { ProjectLayout } from "../store/project_layout.ts";
 * const layout = new ProjectLayout(await Deno.makeTempDir());
 * assert.deepEqual(await Array.fromAsync(orderedEvents(layout, {}, () => {})), []);
 * ```
 */
export function orderedEvents(
  layout: ProjectLayout,
  filter: EventFilter,
  onWarning: WarningSink,
  options: OrderedOptions = {},
): AsyncGenerator<Event[]> {
  return ordered(logEvents, firstOfEachId, layout, filter, onWarning, options);
}

/**
 * Like {@linkcode orderedEvents}, but each id's copy is the one that counts
 * (its first of all copies in the logs the filter selects, as `cost` counts
 * it), kept when `filter` takes it: a filter takes an id's counted copy or
 * none, never a later copy that `cost` does not count. Every event of the
 * selected logs is read to find that.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { countedEvents } from "./ordered.ts";
 * import { ProjectLayout } from "../store/project_layout.ts";
 * const layout = new ProjectLayout(await Deno.makeTempDir());
 * assert.deepEqual(await Array.fromAsync(countedEvents(layout, { agents: ["x"] }, () => {})), []);
 * ```
 */
export async function* countedEvents(
  layout: ProjectLayout,
  filter: EventFilter,
  onWarning: WarningSink,
): AsyncGenerator<Event[]> {
  for await (const batch of orderedEvents(layout, logsPart(filter), onWarning)) {
    const kept = batch.filter((event) => matches(event, filter));
    if (kept.length > 0) yield kept;
  }
}

async function* ordered<T extends Keyed>(
  read: LogSource<T>,
  firstOfEach: () => (item: T) => boolean,
  layout: ProjectLayout,
  filter: EventFilter,
  onWarning: WarningSink,
  options: OrderedOptions,
): AsyncGenerator<T[]> {
  const limit = options.gather ?? 20_000;
  const paths = await matchingLogs(layout, filter);
  const gathered: T[] = [];
  // Problems are reported as found; a second reading repeats none of them.
  const reported = new Map<string, number>(); // path -> last line reported (0: the file)
  const report = (p: LineProblem) => {
    reported.set(p.path, Math.max(reported.get(p.path) ?? -1, p.line));
    onWarning(formatProblem(p));
  };
  let small = true;
  gather: for (const path of paths) {
    for await (const batch of read(path, filter, report)) {
      for (const event of batch) gathered.push(event);
      if (gathered.length > limit) {
        small = false;
        break gather;
      }
    }
    reported.set(path, Infinity);
  }
  // Each id once: the first copy in the total order (as `cost` counts it).
  const first = firstOfEach();
  if (small) {
    gathered.sort(compareEvents);
    const once = gathered.filter(first);
    for (let i = 0; i < once.length; i += BATCH) yield once.slice(i, i + BATCH);
    return;
  }
  gathered.length = 0;
  // Large: merge the logs as streams, each checked first (from its bytes) to be in order.
  const inOrder = await Promise.all(paths.map((path) => logInOrder(path)));
  const sources = paths.map((path, i) => {
    const seen = reported.get(path) ?? -1;
    const rest = (p: LineProblem) => {
      if (p.line > seen) onWarning(formatProblem(p));
    };
    return inOrder[i] ? read(path, filter, rest) : sortedLog(read, path, filter, rest);
  });
  for await (const batch of merge(sources)) {
    const once = batch.filter(first);
    if (once.length > 0) yield once;
  }
}

async function* sortedLog<T extends Keyed>(
  read: LogSource<T>,
  path: string,
  filter: EventFilter,
  onProblem: (problem: LineProblem) => void,
): AsyncGenerator<T[]> {
  const events: T[] = [];
  for await (const batch of read(path, filter, onProblem)) {
    for (const event of batch) events.push(event);
  }
  yield events.sort(compareEvents);
}

/** One source's place in the merge: its current batch and position. */
interface Head<T> {
  source: number;
  batch: T[];
  at: number;
  more: AsyncGenerator<T[]>;
}

const before = <T extends Keyed>(a: Head<T>, b: Head<T>) =>
  (compareEvents(a.batch[a.at], b.batch[b.at]) || a.source - b.source) < 0;

/** A k-way merge of sorted sources through a binary heap, in output batches. */
async function* merge<T extends Keyed>(sources: AsyncGenerator<T[]>[]): AsyncGenerator<T[]> {
  const heap: Head<T>[] = [];
  const refill = async (head: Head<T>): Promise<boolean> => {
    for (let step = await head.more.next(); !step.done; step = await head.more.next()) {
      if (step.value.length > 0) {
        head.batch = step.value;
        head.at = 0;
        return true;
      }
    }
    return false;
  };
  for (const [source, more] of sources.entries()) {
    const head: Head<T> = { source, batch: [], at: 0, more };
    if (await refill(head)) heapPush(heap, head, before);
  }
  let out: T[] = [];
  while (heap.length > 0) {
    const head = heap[0];
    out.push(head.batch[head.at++]);
    if (head.at === head.batch.length && !(await refill(head))) {
      const last = heap.pop()!;
      if (heap.length > 0) {
        heap[0] = last;
        heapDown(heap, 0, before);
      }
    } else heapDown(heap, 0, before);
    if (out.length >= BATCH) {
      yield out;
      out = [];
    }
  }
  if (out.length > 0) yield out;
}
