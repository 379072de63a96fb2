/**
 * A file export's second read on two threads: the logs are cut into
 * line-aligned ranges of a few MB, which this thread and a worker take from
 * one queue and encode (each range into lines of its own, so ranges need
 * not know how many items came before); the encoded bytes are written in
 * range order, a buffer at a time, while the next ones are encoded. Buffers
 * go back to the thread that filled them once written, and no thread runs
 * more than a few ranges ahead of the writer, so memory stays flat however
 * large the logs. Events of repeated ids are held by each thread, settled
 * here, and written last.
 *
 * @module
 */
import type { ByteRange } from "../read/byte_range.ts";
import { lineRanges } from "../read/byte_range.ts";
import type { ExecutionEvent } from "../event/execution.ts";
import { compareEvents } from "../event/order.ts";
import { EXPORT_WORKER } from "../dynamic_modules.ts";
import { ByteOut } from "./byte_out.ts";
import { ExportScanner, type RangeScanOptions, settleHeld } from "./export_scan.ts";
import { LineBytes } from "./line_bytes.ts";
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
  /** Threads to encode on, this one included (default: up to 2, as the cores allow). */
  threads?: number;
  /** Target bytes of log per range (tests set it small). */
  rangeBytes?: number;
}

/** Main thread to export worker. */
export type ExportToWorker =
  | { init: { options: RangeScanOptions; signal: ItemSignal; project: string } }
  | { task: number; path: string; range: ByteRange }
  | { buffer: ArrayBuffer }
  | { done: true };

/** Export worker to main thread. */
export type ExportFromWorker =
  | { next: true }
  | { task: number; bytes: Uint8Array }
  | { finished: number }
  | { held: ExecutionEvent[] }
  | { failed: string };

/** Bytes of one output buffer. */
export const OUT_BYTES = 1 << 20;
/** Ranges encoded ahead of the one being written, at most. */
const AHEAD = 3;

/**
 * Encodes one range into `lines` and flushes the buffer; a `standalone`
 * range closes its last line (its bytes then stand alone, in any order).
 */
export async function encodeRange(
  scanner: ExportScanner,
  lines: LineBytes,
  path: string,
  range: ByteRange,
  standalone: boolean,
): Promise<void> {
  for await (const _ of scanner.range(path, range)) { /* rows went to lines */ }
  if (standalone) lines.end();
  lines.out.flush();
}

/** One range's output as it comes: buffers not yet written, and who filled them. */
interface Output {
  chunks: Uint8Array[];
  done: boolean;
  owner: Worker | undefined;
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
): Promise<void> {
  const target = plan.rangeBytes ?? RANGE_BYTES;
  const tasks: { path: string; range: ByteRange }[] = [];
  for (const [i, path] of plan.paths.entries()) {
    const parts = Math.max(1, Math.round(plan.sizes[i] / target));
    for (const range of await lineRanges(path, plan.sizes[i], parts)) tasks.push({ path, range });
  }
  const threads = Math.min(
    plan.threads ?? Math.min(navigator.hardwareConcurrency ?? 1, 2),
    tasks.length,
  );
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
  let next = 0;
  let writing = 0;
  const take = async (): Promise<number | undefined> => {
    while (next < tasks.length && next - writing >= AHEAD) await changed();
    return next < tasks.length ? next++ : undefined;
  };

  const pool: Uint8Array[] = [];
  let current = 0;
  const out = new ByteOut(new Uint8Array(OUT_BYTES), (filled) => {
    outputs[current].chunks.push(filled);
    notify();
    return pool.pop() ?? new Uint8Array(OUT_BYTES);
  });
  const lines = new LineBytes(plan.signal, plan.project, out);
  const scanner = new ExportScanner(plan.options, (row) => lines.row(row));
  const here = async (): Promise<ExecutionEvent[]> => {
    for (let task = await take(); task !== undefined; task = await take()) {
      current = task;
      await encodeRange(scanner, lines, tasks[task].path, tasks[task].range, threads > 1);
      outputs[task].done = true;
      notify();
    }
    return scanner.held;
  };

  const workers: Worker[] = [];
  const there = (): Promise<ExecutionEvent[]> => {
    const worker = new Worker(EXPORT_WORKER, { type: "module" });
    workers.push(worker);
    const send = (message: ExportToWorker, transfer: Transferable[] = []) =>
      worker.postMessage(message, transfer);
    return new Promise((resolve, reject) => {
      worker.onmessage = ({ data }: MessageEvent<ExportFromWorker>) => {
        if ("next" in data) {
          take().then((task) =>
            send(task === undefined ? { done: true } : { task, ...tasks[task] })
          );
        } else if ("bytes" in data) {
          outputs[data.task].chunks.push(data.bytes);
          outputs[data.task].owner = worker;
          notify();
        } else if ("finished" in data) {
          outputs[data.finished].done = true;
          notify();
        } else if ("held" in data) resolve(data.held);
        else reject(new Error(`export worker failed: ${data.failed}`));
      };
      worker.onerror = (event) => {
        event.preventDefault();
        reject(new Error(`export worker failed: ${event.message}`));
      };
      send({ init: { options: plan.options, signal: plan.signal, project: plan.project } });
    });
  };

  const writer = async () => {
    while (writing < outputs.length) {
      const output = outputs[writing];
      const chunk = output.chunks.shift();
      if (chunk !== undefined) {
        await write(chunk);
        // Back to the thread that filled it.
        if (output.owner) {
          output.owner.postMessage({ buffer: chunk.buffer }, [chunk.buffer as ArrayBuffer]);
        } else pool.push(new Uint8Array(chunk.buffer));
      } else if (output.done) {
        writing++;
        notify();
      } else await changed();
    }
  };

  const settled = async () => {
    const held = await Promise.all([here(), ...Array.from({ length: threads - 1 }, there)]);
    // The copies of repeated ids that count, in the total order, last (on the line left
    // open by the last range when this thread read them all).
    current = tasks.length;
    for (const event of settleHeld(held.flat().sort(compareEvents))) {
      lines.row(scanner.rowOf(event));
    }
    lines.end();
    out.flush();
    outputs[current].done = true;
    notify();
  };
  try {
    await Promise.all([settled(), writer()]);
  } finally {
    for (const worker of workers) worker.terminate();
  }
}

/** Target bytes of log per range: a few MB, so two threads finish together. */
const RANGE_BYTES = 4 << 20;
