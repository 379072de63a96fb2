/**
 * Reading many or large logs on all cores: files are cut into line-aligned
 * byte ranges, Web Workers fold each range with a reducer they are handed
 * (by module URL, so this reader knows nothing of what is computed), and the
 * partial results are merged. Reducers must be order-independent.
 *
 * @module
 */
import { capProblems, type LineProblem } from "./problem_cap.ts";
import { type EventSink, readLog } from "./event_sink.ts";
import { type ByteRange, lineRanges } from "./byte_range.ts";

/** What a reducer module exports. */
export interface ReducerModule<I, R> {
  /** A reducer for one thread, from the structured-cloneable `init`. */
  createReducer(init: I): Reducer<R>;
  /** Two threads' results as one (in any order: reducers are order-independent). */
  mergeResults(a: R, b: R): R;
}

/** Folds a log's events, handed over as an {@linkcode EventSink}, into a result. */
export interface Reducer<R> extends EventSink {
  /** What was folded so far (structured-cloneable: workers post it). */
  result(): R;
  /** Reads a range (or file) as `readLog` would, for a reducer with a line sink of its own. */
  read?(path: string, onProblem: (p: LineProblem) => void, range?: ByteRange): Promise<number>;
}

/** Reads `path` (or a range of it) into `reducer`: by its own `read`, else by `readLog`. */
export function readInto<R>(
  path: string,
  reducer: Reducer<R>,
  onProblem: (problem: LineProblem) => void,
  range?: ByteRange,
): Promise<number> {
  return reducer.read?.(path, onProblem, range) ?? readLog(path, reducer, onProblem, range);
}

/** One range of one file. */
export interface ScanTask {
  path: string;
  range: ByteRange;
}

/** Main thread to worker (`load`: import the reducer module ahead, no answer). */
export type ToWorker =
  | { load: string }
  | { reducerUrl: string; init: unknown }
  | { task: number; path: string; range: ByteRange }
  | { done: true };

/** Worker to main thread: ready for a task (after `finished` one, if set), or its result. */
export type FromWorker<R> =
  | { next: true; finished?: TaskReport }
  | { result: R }
  | { failed: string };

/** What reading one task found. */
export interface TaskReport {
  task: number;
  /** Lines read, to turn range-local line numbers into file ones. */
  lines: number;
  problems: LineProblem[];
}

/** Options for {@linkcode parallelScan}. */
export interface ParallelOptions {
  /**
   * Threads to read on, this one included (default: the machine's cores, at
   * most 4: each extra thread is a worker isolate of its own, ~40 MB, so
   * more would cost memory faster than they save time on a log this shape).
   */
  workers?: number;
  /** Below this many bytes in all, read in this thread only (workers cost start-up). */
  minBytes?: number;
  /** Target size of one range (default: a few MB); tests set it small to cut a small file. */
  rangeBytes?: number;
  /** Told of bytes read so far, as ranges finish. */
  onProgress?: (bytes: number, total: number) => void;
  /** How far to read each file (default: its size as the scan starts): what an earlier read saw. */
  sizes?: readonly number[];
}

/**
 * Folds every event of `paths` with the reducer exported by `reducerUrl`.
 * Files are cut into line-aligned ranges that this thread and its workers
 * take from one queue as they go (so a worker that starts late, or a slow
 * range, never leaves a thread idle). Problems are reported with file line
 * numbers, after all ranges are read, as one reading of each file would
 * tell them: the first few in full, the rest as one count (each range
 * keeps no more than that, so memory does not grow with the bad lines).
 *
 * @example
 * ```ts ignore
 * const result = await parallelScan(paths, new URL("./my_reducer.ts", import.meta.url).href, init, console.warn);
 * ```
 */
export async function parallelScan<I, R>(
  paths: string[],
  reducerUrl: string,
  init: I,
  onProblem: (problem: LineProblem) => void,
  options: ParallelOptions = {},
): Promise<R> {
  const sizes = options.sizes ?? await sizesOf(paths);
  const total = sizes.reduce((a, b) => a + b, 0);
  const threads = threadsFor(total, options);
  const module = await import(reducerUrl) as ReducerModule<I, R>;
  if (threads <= 1) {
    const reducer = module.createReducer(init);
    for (const [i, path] of paths.entries()) {
      await readInto(path, reducer, onProblem, options.sizes && { start: 0, end: sizes[i] });
    }
    return reducer.result();
  }
  // Ranges of a few MB: small enough that the last ones finish together.
  const target = options.rangeBytes ??
    Math.min(Math.max(total / (threads * 8), 4 << 20), 32 << 20);
  // The files are cut at once (each cut a few small reads), in file order.
  const cut = await Promise.all(
    paths.map((path, i) => lineRanges(path, sizes[i], Math.max(1, Math.round(sizes[i] / target)))),
  );
  const tasks: ScanTask[] = cut.flatMap((ranges, i) =>
    ranges.map((range) => ({ path: paths[i], range }))
  );
  const queue = new TaskQueue(tasks, total, options.onProgress);
  const reports: TaskReport[] = [];
  const results: R[] = await Promise.all([
    scanHere(module.createReducer(init), queue, reports),
    ...Array.from(
      { length: Math.min(threads - 1, tasks.length - 1) },
      () => runWorker<R>(reducerUrl, init, queue, reports),
    ),
  ]);
  reportProblems(tasks, reports, onProblem);
  return results.reduce((a, b) => module.mergeResults(a, b));
}

/** The files' sizes (0 for one that cannot be read: its reader reports why). */
function sizesOf(paths: readonly string[]): Promise<number[]> {
  return Promise.all(paths.map((p) => Deno.stat(p).then((s) => s.size, () => 0)));
}

/** The threads a scan of `total` bytes reads on, this one included (1: no workers). */
function threadsFor(total: number, options: ParallelOptions): number {
  const threads = options.workers ?? Math.min(navigator.hardwareConcurrency ?? 1, 4);
  return total < (options.minBytes ?? 16 * 1024 * 1024) ? 1 : threads;
}

/** Workers started ahead of a scan by {@linkcode prestartScan}. */
export interface PrestartedScan extends Disposable {
  /** How many were started (0 when a scan of the files would read on this thread alone). */
  readonly started: number;
  /** How many of them no scan has taken yet (disposing ends these). */
  readonly waiting: number;
}

/** Workers started by {@linkcode prestartScan}, not yet taken by a scan. */
const started: Worker[] = [];

function newWorker(): Worker {
  return new Worker(new URL("./scan_worker.ts", import.meta.url), { type: "module" });
}

/**
 * Starts the workers that {@linkcode parallelScan} of `paths` would start,
 * and has them load `reducerUrl`, so that they boot (~40 ms of module
 * loading each) while this thread does other work, such as building the
 * pricing table; the next `parallelScan` takes them. Dispose of the result
 * when done (`using`): it ends the workers no scan took (a scan that read
 * fewer files, or none).
 *
 * @example
 * ```ts ignore
 * using _ = await prestartScan(paths, COST_REDUCER.href);
 * ```
 */
export async function prestartScan(
  paths: string[],
  reducerUrl: string,
  options: ParallelOptions = {},
): Promise<PrestartedScan> {
  const threads = threadsFor((await sizesOf(paths)).reduce((a, b) => a + b, 0), options);
  const mine: Worker[] = [];
  for (let i = 1; i < threads; i++) {
    const worker = newWorker();
    worker.postMessage({ load: reducerUrl } satisfies ToWorker);
    mine.push(worker);
  }
  started.push(...mine);
  return {
    started: mine.length,
    get waiting() {
      return mine.filter((worker) => started.includes(worker)).length;
    },
    [Symbol.dispose]() {
      for (const worker of mine) {
        const at = started.indexOf(worker);
        if (at >= 0) {
          started.splice(at, 1);
          worker.terminate();
        }
      }
    },
  };
}

/** The ranges not yet taken, handed out in order. */
class TaskQueue {
  #next = 0;
  #done = 0;
  constructor(
    readonly tasks: ScanTask[],
    readonly total: number,
    readonly onProgress?: (bytes: number, total: number) => void,
  ) {}

  take(): number | undefined {
    return this.#next < this.tasks.length ? this.#next++ : undefined;
  }

  finished(task: number): void {
    const { range } = this.tasks[task];
    this.#done += range.end - range.start;
    this.onProgress?.(this.#done, this.total);
  }
}

async function scanHere<R>(
  reducer: Reducer<R>,
  queue: TaskQueue,
  reports: TaskReport[],
): Promise<R> {
  for (let task = queue.take(); task !== undefined; task = queue.take()) {
    const { path, range } = queue.tasks[task];
    const problems: LineProblem[] = [];
    const lines = await readInto(path, reducer, (p) => problems.push(p), range);
    reports.push({ task, lines, problems });
    queue.finished(task);
  }
  return reducer.result();
}

function runWorker<R>(
  reducerUrl: string,
  init: unknown,
  queue: TaskQueue,
  reports: TaskReport[],
): Promise<R> {
  const worker = started.shift() ?? newWorker();
  const send = (message: ToWorker) => worker.postMessage(message);
  return new Promise<R>((resolve, reject) => {
    worker.onmessage = ({ data }: MessageEvent<FromWorker<R>>) => {
      if ("next" in data) {
        if (data.finished) {
          reports.push(data.finished);
          queue.finished(data.finished.task);
        }
        const task = queue.take();
        if (task === undefined) send({ done: true });
        else send({ task, ...queue.tasks[task] });
        return;
      }
      worker.terminate();
      if ("failed" in data) reject(new Error(data.failed));
      else resolve(data.result);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      worker.terminate();
      reject(new Error(`scan worker failed: ${event.message}`));
    };
    send({ reducerUrl, init });
  });
}

/**
 * Reports problems in file order, with line numbers counted from each
 * file's start, capped as one reading of each file would tell them (for
 * other readers of ranges too: a file export's).
 */
export function reportProblems(
  tasks: readonly ScanTask[],
  reports: TaskReport[],
  onProblem: (problem: LineProblem) => void,
): void {
  const lines = new Map(reports.map((r) => [r.task, r.lines]));
  // Lines before each task in its file: tasks of a file are in file order.
  const before: number[] = [];
  for (const [i, task] of tasks.entries()) {
    const previous = tasks[i - 1];
    before.push(previous?.path === task.path ? before[i - 1] + lines.get(i - 1)! : 0);
  }
  const found = reports.flatMap((r) =>
    r.problems.map((p) => ({ ...p, line: p.line > 0 ? p.line + before[r.task] : 0, task: r.task }))
  ).sort((a, b) => a.task - b.task || a.line - b.line).map(({ task: _, ...p }) => p);
  for (const problem of capProblems(found)) onProblem(problem);
}
