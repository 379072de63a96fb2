/**
 * Worker side of `exportLines` (`parallel_export.ts`): encodes the ranges it
 * is handed into buffers in its wasm module's shared memory (the item
 * writer writes there directly), and posts the full ones a few at a time,
 * as views of that memory: the writer on the main thread writes them from
 * there, with no copy, and counts each one written in a shared counter
 * (buffers go back in the order sent), so no message comes back per
 * buffer. It takes ranges from a count shared with the other threads; when
 * none is left, posts the events of repeated ids it held.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { hydratePricing } from "../cost/catalogue.ts";
import { ByteOut } from "./byte_out.ts";
import { ExportScanner } from "./export_scan.ts";
import { type ItemChunk, ItemRun } from "./line_bytes.ts";
import { outBuffer } from "./item_kernel.ts";
import { readMode } from "../read/byte_range.ts";
import {
  encodeRange,
  type ExportFromWorker,
  type ExportToWorker,
  OUT_BYTES,
  UNWRITTEN,
} from "./parallel_export.ts";

// Nothing else waits on this thread: a read here goes straight to the file, not through the
// runtime's blocking pool and back (as the query worker reads).
readMode.sync = true;

/** Full buffers posted together (each message wakes the main thread: fewer, larger). */
const POSTED_TOGETHER = 2;

const post = (message: ExportFromWorker, transfer: Transferable[] = []) =>
  self.postMessage(message, transfer);
const pool: Uint8Array[] = [];
/** Buffers handed to the writer (posted or about to be), oldest first. */
const lent: Uint8Array[] = [];
/** Full buffers not posted yet. */
let pending: ItemChunk[] = [];
/** How many of the lent buffers the writer has written; `[0]` of it counts them. */
let given = 0;
let written: Int32Array<ArrayBufferLike> = new Int32Array(1);
let task = -1;

/** This thread's buffers are in its module's memory while there is room (else plain ones). */
const fresh = () => outBuffer(OUT_BYTES) ?? new Uint8Array(OUT_BYTES);

/** Takes back the buffers written since last asked. */
const reclaim = () => {
  for (const n = Atomics.load(written, 0); given < n; given++) pool.push(lent.shift()!);
};

/** Posts the full buffers not posted yet (and, when given, the range's end). */
const send = (finished?: Extract<ExportFromWorker, { chunks: unknown }>["finished"]) => {
  const chunks = pending;
  pending = [];
  // A view of shared memory is shared, not copied; a plain buffer is copied (kept here).
  post({ task, chunks, finished }, chunks.map((c) => c.starts.buffer as ArrayBuffer));
};

/** Between blocks: waits (blocking this thread) while the writer has too many unwritten. */
const pause = (): Promise<void> => {
  reclaim();
  if (lent.length >= UNWRITTEN) {
    if (pending.length > 0) send();
    while (lent.length >= UNWRITTEN) {
      Atomics.wait(written, 0, given);
      reclaim();
    }
  }
  return Promise.resolve();
};

self.onmessage = async ({ data }: MessageEvent<ExportToWorker>) => {
  try {
    const { tasks, taken } = data;
    written = data.written;
    const out = new ByteOut(fresh(), (bytes) => {
      pending.push({ bytes, starts: items.take() });
      lent.push(new Uint8Array(bytes.buffer, bytes.byteOffset, OUT_BYTES));
      if (pending.length >= POSTED_TOGETHER) send();
      reclaim();
      return pool.pop() ?? fresh();
    });
    const items = new ItemRun(data.init.signal, out);
    // Posted here, the catalogue entries' lazy periods need restoring.
    const options = { ...data.init.options, pricing: hydratePricing(data.init.options.pricing) };
    const scanner = new ExportScanner(
      options,
      (row) => items.row(row),
      data.init.collect,
      (chunk, from, to, row, verbatim) => items.fast(chunk, from, to, row, verbatim),
    );
    // The next range not taken yet, till none is left.
    for (task = Atomics.add(taken, 0, 1); task < tasks.length; task = Atomics.add(taken, 0, 1)) {
      send(await encodeRange(scanner, out, task, tasks[task], pause));
    }
    const ids = scanner.ids?.values() ?? [];
    const others = scanner.others?.values() ?? [];
    post(
      { held: scanner.held, ids, others },
      [...ids, ...others].map((chunk) => chunk.buffer as ArrayBuffer),
    );
  } catch (error) {
    post({ failed: (error as Error).stack ?? String(error) });
  }
};
