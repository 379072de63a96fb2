/**
 * A file export's second read on two threads: the logs are cut into
 * line-aligned ranges of a few MB, which this thread and a worker take in
 * turn from one shared count and encode (each range as items alone, so ranges need not know
 * how many items came before); the encoded bytes are written in range
 * order, a buffer at a time, while the next ones are encoded, the writer
 * breaking the lines every `BATCH_EVENTS` items it counts (`LineBreaks`):
 * the same bytes whatever the threads and ranges. A worker's buffers are
 * in its wasm module's shared memory and written from there (no copy);
 * buffers go back to the thread that filled them once written, and a
 * thread waits while `UNWRITTEN` of its own are not, so memory stays flat
 * however large the logs. Events of repeated ids are held by each thread, settled
 * here, and written last.
 *
 * @module
 */
import { lineRanges, readMode } from "../read/byte_range.ts";
import type { LineProblem } from "../read/log_reader.ts";
import type { ScanTask, TaskReport } from "../read/parallel_scan.ts";
import type { ExecutionEvent } from "../event/execution.ts";
import { compareEvents } from "../event/order.ts";
import { EXPORT_WORKER } from "../dynamic_modules.ts";
import { ByteOut } from "./byte_out.ts";
import { outBuffer, releaseBuffer } from "./item_kernel.ts";
import {
  type ExportFound,
  ExportScanner,
  type RangeScanOptions,
  settleHeld,
} from "./export_scan.ts";
import { type ItemChunk, ItemRun, LineBreaks } from "./line_bytes.ts";
import type { ItemSignal } from "./otlp_encode.ts";

/** What a file export's second read needs. */
export interface ExportPlan {
  /** The logs, in the order written. */
  paths: readonly string[];
  /** How far to read each (the sizes before the first read). */
  sizes: readonly number[];
  /** Filter, pricing and repeated ids. */
  options: RangeScanOptions;
  /** Traces or logs. */
  signal: ItemSignal;
  /** The `kitty.project` resource attribute. */
  project: string;
  /**
   * Threads to encode on, this one included (default 1; a worker's isolate
   * costs ~45 MB of peak memory and 0.3-0.4 s of CPU, and pays on a quiet
   * machine only: see docs/performance.md).
   */
  threads?: number;
  /**
   * Whether this thread encodes ranges too, besides writing (default true:
   * it takes fewer, since it writes too; false leaves them to the workers).
   */
  encodeHere?: boolean;
  /** Target bytes of log per range (tests set it small). */
  rangeBytes?: number;
  /** Collect what `cost`'s scan would find: id hashes, and lines that are no events. */
  collect?: boolean;
}

/** Main thread to export worker: what to read, and the counts shared with it. */
export interface ExportToWorker {
  init: { options: RangeScanOptions; signal: ItemSignal; collect: boolean };
  /** The ranges; each thread takes the next by adding 1 to `taken[0]` (no message). */
  tasks: ScanTask[];
  taken: Int32Array;
  /** `[0]`: how many of the worker's buffers are written (they go back in the order sent). */
  written: Int32Array;
}

/**
 * Export worker to main thread: full buffers of a range (views of its
 * module's shared memory, not copied), a few at a time, with what reading
 * the range found once it is read; when no range is left, the events of
 * repeated ids it held.
 */
export type ExportFromWorker =
  | { task: number; chunks: ItemChunk[]; finished?: TaskReport }
  | { held: ExecutionEvent[]; ids: Float64Array[]; others: Float64Array[] }
  | { failed: string };

/** Bytes of one output buffer. */
export const OUT_BYTES = 1 << 20;
/**
 * Buffers a thread fills ahead of the writer before it waits: about two
 * ranges' output (a 4 MB range of log makes ~11 MB of logs items), since
 * the writer takes the ranges in order and the other thread's range may be
 * the one it waits on. At 8, a worker could not finish even its own range
 * while this thread encoded the one before: it waited 0.1-0.25 s per 1M
 * events. The wasm module has room for 24, `BUFFER_COUNT` (one more is
 * being filled).
 */
export const UNWRITTEN = 20;

/**
 * Encodes one range's items and flushes the buffer. `pause` is awaited after each block read (it resolves when the writer has
 * caught up). Returns what reading it found.
 */
export async function encodeRange(
  scanner: ExportScanner,
  out: ByteOut,
  task: number,
  { path, range }: ScanTask,
  pause: () => Promise<void>,
): Promise<TaskReport> {
  const problems: LineProblem[] = [];
  const scan = scanner.range(path, range, (p) => problems.push(p));
  let step = await scan.next();
  while (!step.done) {
    // Between blocks: wait while the writer is behind.
    await pause();
    step = await scan.next();
  }
  out.flush();
  return { task, lines: step.value, problems };
}

/** One range's output as it comes: buffers not yet written, and the count of the worker that filled them. */
interface Output {
  chunks: ItemChunk[];
  done: boolean;
  owner: Int32Array | undefined;
}

/**
 * Writes the plan's lines through `write` (called one buffer at a time;
 * the buffer is reused once its promise resolves).
 *
 * @example
 * ```ts ignore
 * await exportLines(plan, (bytes) => file.write(bytes));
 * ```
 */
export async function exportLines(
  plan: ExportPlan,
  write: (bytes: Uint8Array) => Promise<void>,
): Promise<ExportFound> {
  // One thread reads each log whole (a range's reader costs fresh buffers); more share ranges.
  const target = plan.rangeBytes ?? ((plan.threads ?? 1) > 1 ? RANGE_BYTES : Infinity);
  const tasks: ScanTask[] = [];
  const reports: TaskReport[] = [];
  const ids: Float64Array[] = [];
  const others: Float64Array[] = [];
  const collect = plan.collect ?? false;
  for (const [i, path] of plan.paths.entries()) {
    const parts = Math.max(1, Math.round(plan.sizes[i] / target));
    for (const range of await lineRanges(path, plan.sizes[i], parts)) tasks.push({ path, range });
  }
  const threads = Math.min(plan.threads ?? 1, tasks.length);
  // One output per range, and one last for the settled copies of repeated ids.
  const outputs: Output[] = [...tasks, null].map(() => ({
    chunks: [],
    done: false,
    owner: undefined,
  }));
  let waiters: (() => void)[] = [];
  const changed = () => new Promise<void>((wake) => waiters.push(wake));
  const notify = () => {
    const woken = waiters;
    waiters = [];
    for (const wake of woken) wake();
  };
  let writing = 0;
  // No thread runs far ahead of the writer: each waits while a few of its buffers are unwritten.
  const taken = new Int32Array(new SharedArrayBuffer(4));
  const take = (): number | undefined => {
    const task = Atomics.add(taken, 0, 1);
    return task < tasks.length ? task : undefined;
  };

  const pool: Uint8Array[] = [];
  let current = 0;
  // Buffers this thread filled that are not written yet.
  let unwritten = 0;
  const pause = async () => {
    while (unwritten >= UNWRITTEN) await changed();
  };
  // This thread's buffers are in the wasm item writer's memory while it has room: written there.
  const fresh = () => outBuffer(OUT_BYTES) ?? new Uint8Array(OUT_BYTES);
  const out = new ByteOut(fresh(), (bytes) => {
    outputs[current].chunks.push({ bytes, starts: items.take() });
    unwritten++;
    notify();
    return pool.pop() ?? fresh();
  });
  const items = new ItemRun(plan.signal, out);
  const scanner = new ExportScanner(
    plan.options,
    (row) => items.row(row),
    collect,
    (chunk, from, to, row, verbatim) => items.fast(chunk, from, to, row, verbatim),
  );
  // With workers, this thread (the writer) takes a range only once the writer has caught up.
  const behind = async () => {
    if (threads === 1) return;
    const upTo = Math.min(Atomics.load(taken, 0), tasks.length);
    for (let i = writing; i < upTo; i++) {
      while (outputs[i].chunks.length > 0 && writing <= i) await changed();
    }
  };
  const here = async (): Promise<ExecutionEvent[]> => {
    const first = (plan.encodeHere ?? true) ? take() : undefined;
    for (let task = first; task !== undefined; task = (await behind(), take())) {
      current = task;
      reports.push(await encodeRange(scanner, out, task, tasks[task], pause));
      outputs[task].done = true;
      notify();
    }
    if (scanner.ids) ids.push(...scanner.ids.values());
    if (scanner.others) others.push(...scanner.others.values());
    return scanner.held;
  };

  const workers: Worker[] = [];
  const there = (): Promise<ExecutionEvent[]> => {
    const worker = new Worker(EXPORT_WORKER, { type: "module" });
    workers.push(worker);
    const written = new Int32Array(new SharedArrayBuffer(4));
    return new Promise((resolve, reject) => {
      worker.onmessage = ({ data }: MessageEvent<ExportFromWorker>) => {
        if ("chunks" in data) {
          const output = outputs[data.task];
          output.chunks.push(...data.chunks);
          output.owner = written;
          if (data.finished) {
            reports.push(data.finished);
            output.done = true;
          }
          notify();
        } else if ("held" in data) {
          ids.push(...data.ids);
          others.push(...data.others);
          resolve(data.held);
        } else reject(new Error(`export worker failed: ${data.failed}`));
      };
      worker.onerror = (event) => {
        event.preventDefault();
        reject(new Error(`export worker failed: ${event.message}`));
      };
      const { options, signal } = plan;
      const init: ExportToWorker = { init: { options, signal, collect }, tasks, taken, written };
      worker.postMessage(init);
    });
  };

  const breaks = new LineBreaks(plan.signal, plan.project);
  const writer = async () => {
    while (writing < outputs.length) {
      const output = outputs[writing];
      const chunk = output.chunks.shift();
      if (chunk !== undefined) {
        for (const piece of breaks.pieces(chunk)) await write(piece);
        // Back to the thread that filled it (a worker is told by a count: no message).
        if (output.owner) {
          Atomics.add(output.owner, 0, 1);
          Atomics.notify(output.owner, 0);
        } else {
          const buffer = chunk.bytes.buffer;
          pool.push(new Uint8Array(buffer, chunk.bytes.byteOffset, OUT_BYTES));
          unwritten--;
          notify();
        }
      } else if (output.done) {
        writing++;
        notify();
      } else await changed();
    }
    for (const piece of breaks.end()) await write(piece);
  };

  const settled = async () => {
    const held = await Promise.all([here(), ...Array.from({ length: threads - 1 }, there)]);
    // The copies of repeated ids that count, in the total order, last.
    current = tasks.length;
    for (const event of settleHeld(held.flat().sort(compareEvents), plan.options.filter)) {
      items.row(scanner.rowOf(event));
    }
    out.flush();
    outputs[current].done = true;
    notify();
  };
  // Reads on this thread too go straight to the file (it yields between blocks all the same):
  // 2-3% less CPU on 1M events than a round trip through the runtime's blocking pool a block.
  const wasSync = readMode.sync;
  readMode.sync = true;
  try {
    await Promise.all([settled(), writer()]);
    // Every buffer is written: those in the wasm writer's memory go back to it.
    for (const buffer of [...pool, out.buf]) releaseBuffer(buffer);
    return { tasks, reports, ids, others };
  } finally {
    readMode.sync = wasSync;
    for (const worker of workers) worker.terminate();
  }
}

/** Target bytes of log per range: a few MB, so two threads finish together. */
const RANGE_BYTES = 4 << 20;
