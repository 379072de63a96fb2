/**
 * Reading many or large logs on all cores: files are cut into line-aligned
 * byte ranges, Web Workers fold each range with a reducer they are handed
 * (by module URL, so this reader knows nothing of what is computed), and the
 * partial results are merged. Reducers must be order-independent.
 *
 * @module
 */
import type { Event } from "../event/envelope.ts";
import { type LineProblem, scanLogBatches } from "../store/log_reader.ts";
import type { LineSink } from "./byte_blocks.ts";
import { type ByteRange, lineRanges } from "./byte_range.ts";

/** What a reducer module exports. */
export interface ReducerModule<I, R> {
  createReducer(init: I): Reducer<R>;
  mergeResults(a: R, b: R): R;
}

/** Folds events into a result. */
export interface Reducer<R> {
  /** Adds events decoded from lines the sink did not take. */
  add(events: Event[]): void;
  /** Optional: sees each line's bytes first (see {@linkcode LineSink}). */
  sink?: LineSink;
  result(): R;
}

/** One range of one file. */
export interface ScanTask {
  path: string;
  range: ByteRange;
}

/** What a worker sends back. */
export interface WorkerReply<R> {
  result: R;
  /** Lines read per task, to turn range-local line numbers into file ones. */
  lines: number[];
  problems: Array<LineProblem & { task: number }>;
}

/** Options for {@linkcode parallelScan}. */
export interface ParallelOptions {
  /**
   * Workers to use (default: the machine's cores, at most 4: each worker is
   * an isolate of its own, ~40 MB, so more cores would cost memory faster
   * than they save time on a log of this shape).
   */
  workers?: number;
  /** Below this many bytes in all, read in this thread (workers cost start-up). */
  minBytes?: number;
  /** Told of bytes read so far (from workers, every few MB). */
  onProgress?: (bytes: number, total: number) => void;
}

/**
 * Folds every event of `paths` with the reducer exported by `reducerUrl`.
 * Problems are reported with file line numbers, after all ranges are read.
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
  const sizes = await Promise.all(paths.map((p) => Deno.stat(p).then((s) => s.size, () => 0)));
  const total = sizes.reduce((a, b) => a + b, 0);
  const workers = options.workers ?? Math.min(navigator.hardwareConcurrency ?? 1, 4);
  if (workers <= 1 || total < (options.minBytes ?? 16 * 1024 * 1024)) {
    return await scanHere(paths, reducerUrl, init, onProblem);
  }
  // Cut big files so each worker gets about the same number of bytes.
  const tasks: ScanTask[] = [];
  for (const [i, path] of paths.entries()) {
    const parts = Math.max(1, Math.round((sizes[i] / total) * workers * 2));
    for (const range of await lineRanges(path, sizes[i], parts)) tasks.push({ path, range });
  }
  const shares: number[][] = Array.from({ length: workers }, () => []);
  const load = new Array(workers).fill(0);
  tasks.map((t, i) => [i, t.range.end - t.range.start]).sort((a, b) => b[1] - a[1]).forEach(
    ([i, bytes]) => {
      const w = load.indexOf(Math.min(...load));
      shares[w].push(i);
      load[w] += bytes;
    },
  );
  const progress = new Array(workers).fill(0);
  const replies = await Promise.all(
    shares.filter((s) => s.length > 0).map((share, w) =>
      runWorker<R>(reducerUrl, init, share.map((i) => tasks[i]), (bytes) => {
        progress[w] = bytes;
        options.onProgress?.(progress.reduce((a, b) => a + b, 0), total);
      }).then((reply) => ({ reply, share }))
    ),
  );
  const module = await import(reducerUrl) as ReducerModule<I, R>;
  let result: R | undefined;
  const linesByTask = new Map<number, number>();
  for (const { reply, share } of replies) {
    result = result === undefined ? reply.result : module.mergeResults(result, reply.result);
    reply.lines.forEach((n, k) => linesByTask.set(share[k], n));
  }
  const problems = replies.flatMap(({ reply, share }) =>
    reply.problems.map((p) => ({ ...p, task: share[p.task] }))
  );
  for (const p of problems.sort((a, b) => a.task - b.task || a.line - b.line)) {
    const { path, range } = tasks[p.task];
    const before = tasks.reduce(
      (n, t, i) => t.path === path && t.range.start < range.start ? n + linesByTask.get(i)! : n,
      0,
    );
    onProblem({ path, line: p.line > 0 ? p.line + before : 0, message: p.message });
  }
  return result!;
}

async function scanHere<I, R>(
  paths: string[],
  reducerUrl: string,
  init: I,
  onProblem: (problem: LineProblem) => void,
): Promise<R> {
  const module = await import(reducerUrl) as ReducerModule<I, R>;
  const reducer = module.createReducer(init);
  for (const path of paths) {
    for await (const batch of scanLogBatches(path, onProblem, undefined, reducer.sink)) {
      reducer.add(batch);
    }
  }
  return reducer.result();
}

function runWorker<R>(
  reducerUrl: string,
  init: unknown,
  tasks: ScanTask[],
  onProgress: (bytes: number) => void,
): Promise<WorkerReply<R>> {
  const worker = new Worker(new URL("./scan_worker.ts", import.meta.url), { type: "module" });
  return new Promise<WorkerReply<R>>((resolve, reject) => {
    worker.onmessage = (message) => {
      if (message.data.progress !== undefined) return onProgress(message.data.progress);
      worker.terminate();
      if (message.data.error) reject(new Error(message.data.error));
      else resolve(message.data as WorkerReply<R>);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      worker.terminate();
      reject(new Error(`scan worker failed: ${event.message}`));
    };
    worker.postMessage({ reducerUrl, init, tasks });
  });
}
