/**
 * `query`'s first reading on more than one thread: each log's index (see
 * `line_index.ts`) is built by whichever thread is free next, this one or
 * a worker (each takes the next log from a shared counter), and a worker's index moves here without a copy (its pages,
 * texts and prints are transferred). The merge stays on this thread, after
 * every log is indexed. Problems are reported in the order one thread
 * would report them (log after log), each log's once it and the logs
 * before it are read; the bytes a worker reads are told to this thread's
 * read meter (a progress line).
 *
 * @module
 */
import type { LineProblem } from "../read/log_reader.ts";
import { readMeter, readMode } from "../read/byte_range.ts";
import type { EventFilter } from "./filter.ts";
import type { IndexBudget, KeptData } from "./kept_lines.ts";
import { indexLog, type LineIndex } from "./line_index.ts";
import { QUERY_WORKER } from "../dynamic_modules.ts";

/** A log's index as plain data, as it crosses threads (see {@linkcode LineIndex}). */
export interface LogIndex {
  /** See {@linkcode LineIndex.inOrder}. */
  inOrder: boolean;
  /** The prints of its ids (see `id_prints.ts`). */
  prints: Float64Array<ArrayBuffer>;
  /** Ids met that have no print (see `IdPrints.others`). */
  others: number;
  /** The kept lines. */
  store: KeptData;
}

/**
 * This thread to a worker: index logs of `paths` (the first `sizes[i]`
 * bytes of each), log `first` first, then each log whose number it takes
 * from `next` (an `Int32Array` over the buffer, shared by every thread),
 * keeping up to `budget` bytes in all.
 */
export interface ToWorker {
  /** The logs. */
  paths: string[];
  /** Bytes of each to read. */
  sizes: number[];
  /** The query's filter. */
  filter: EventFilter;
  /** The worker's first log. */
  first: number;
  /** The next log to take, shared. */
  next: SharedArrayBuffer;
  /** Bytes its indexes may keep. */
  budget: number;
}

/** A worker to this thread. */
export type FromWorker =
  | { read: number }
  | { task: number; index: LogIndex; problems: LineProblem[] }
  | { task: number; failed: string }
  | { done: true };

/**
 * The plain data of `index` and the buffers to transfer with it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LineIndex } from "./line_index.ts";
 * import { logIndex } from "./query_workers.ts";
 * const [data, buffers] = logIndex(new LineIndex({ left: 1 << 20 }));
 * assert.deepEqual([data.inOrder, data.prints.length, data.store.lines, buffers.length], [true, 0, 0, 1]);
 * ```
 */
export function logIndex(index: LineIndex): [LogIndex, ArrayBuffer[]] {
  const { lines, dropped, pages, names, texts, textEnds } = index.store;
  const prints = index.prints.list();
  const data = {
    inOrder: index.inOrder,
    prints,
    others: index.prints.others,
    store: { lines, dropped, pages, names, texts, textEnds },
  };
  const buffers: ArrayBuffer[] = [prints.buffer];
  for (const page of pages) {
    for (const a of [page.numbers, page.lengths, page.clocks, page.nodes]) {
      buffers.push(a.buffer as ArrayBuffer);
    }
  }
  for (const text of texts) buffers.push(text.buffer as ArrayBuffer);
  return [data, buffers];
}

/**
 * Indexes `paths` (the first `sizes[i]` bytes of each) on this thread and
 * `workers` workers: this thread starts with the first log, worker `w` with
 * log `w + 1`, then each thread takes the next log from a counter they
 * share (no message asks for work, so a thread busy reading holds no one
 * up); `budget` is shared out evenly between the threads. This thread reads
 * with `readSync` meanwhile (a read handed to the runtime's blocking
 * threads would wait for a core the two readers hold). A log a worker
 * failed on, or never answered for, is read again here (so its error is
 * thrown as this thread would throw it).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { indexOnThreads } from "./query_workers.ts";
 * const paths = ["/nonexistent/a.jsonl", "/nonexistent/b.jsonl"];
 * const indexes = await indexOnThreads(paths, [0, 0], {}, () => {}, { left: 1 << 20 }, 1);
 * assert.deepEqual(indexes.map((i) => [i.inOrder, i.store.lines]), [[true, 0], [true, 0]]);
 * ```
 */
export async function indexOnThreads(
  paths: string[],
  sizes: number[],
  filter: EventFilter,
  onProblem: (problem: LineProblem) => void,
  budget: IndexBudget,
  workers: number,
): Promise<LogIndex[]> {
  const share = Math.floor(budget.left / (workers + 1));
  const indexes: LogIndex[] = new Array(paths.length);
  const problems: LineProblem[][] = paths.map(() => []);
  let told = 0; // logs whose problems are reported
  const done = (task: number, index: LogIndex) => {
    indexes[task] = index;
    while (told < paths.length && indexes[told]) problems[told++].forEach(onProblem);
  };
  const next = new Int32Array(new SharedArrayBuffer(4));
  next[0] = workers + 1; // the logs after each thread's first
  const mine = { left: share };
  const here = async (task: number) => {
    const onOne = (p: LineProblem) => problems[task].push(p);
    done(task, logIndex(await indexLog(paths[task], sizes[task], filter, onOne, mine))[0]);
  };
  const local = async () => {
    readMode.sync = true;
    try {
      for (let task = 0; task < paths.length; task = Atomics.add(next, 0, 1)) await here(task);
    } finally {
      readMode.sync = false;
    }
  };
  const started: Worker[] = [];
  try {
    for (let w = 0; w < workers; w++) {
      started.push(new Worker(QUERY_WORKER, { type: "module" }));
      const job: ToWorker = {
        paths,
        sizes,
        filter,
        first: w + 1,
        next: next.buffer,
        budget: share,
      };
      started[w].postMessage(job);
    }
  } catch { /* no (more) workers: this thread reads the rest */ }
  const remote = (worker: Worker) =>
    new Promise<void>((resolve) => {
      worker.onmessage = ({ data }: MessageEvent<FromWorker>) => {
        if ("read" in data) readMeter.onRead?.(data.read);
        else if ("done" in data) resolve();
        else if ("index" in data) {
          problems[data.task] = data.problems;
          done(data.task, data.index);
        } // a log it failed on is read below
      };
      worker.onerror = (event) => {
        event.preventDefault();
        resolve(); // its log, if any, is read below
      };
    });
  try {
    await Promise.all([local(), ...started.map(remote)]);
  } finally {
    for (const worker of started) worker.terminate();
  }
  // Logs a worker failed on or never answered for: read here.
  for (let task = 0; task < paths.length; task++) if (!indexes[task]) await here(task);
  return indexes;
}
