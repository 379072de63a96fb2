/**
 * Worker side of `exportLines` (`parallel_export.ts`): encodes the ranges it
 * is handed, posting each full buffer (transferred, not copied) as it
 * fills and reusing the buffers handed back once written; when told there
 * are no more ranges, posts the events of repeated ids it held.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { hydratePricing } from "../cost/catalogue.ts";
import { ByteOut } from "./byte_out.ts";
import { ExportScanner } from "./export_scan.ts";
import { ItemRun } from "./line_bytes.ts";
import {
  encodeRange,
  type ExportFromWorker,
  type ExportToWorker,
  OUT_BYTES,
  UNWRITTEN,
} from "./parallel_export.ts";

const post = (message: ExportFromWorker, transfer: Transferable[] = []) =>
  self.postMessage(message, transfer);
const pool: Uint8Array[] = [];
let task = -1;
// Buffers posted and not handed back yet; a block is read only while few are.
let unwritten = 0;
let resume: (() => void) | undefined;
const pause = async () => {
  while (unwritten >= UNWRITTEN) await new Promise<void>((done) => resume = done);
};
let scanner: ExportScanner | undefined;
let out: ByteOut | undefined;

self.onmessage = async ({ data }: MessageEvent<ExportToWorker>) => {
  try {
    if ("buffer" in data) {
      pool.push(new Uint8Array(data.buffer));
      unwritten--;
      resume?.();
    } else if ("init" in data) {
      out = new ByteOut(new Uint8Array(OUT_BYTES), (bytes) => {
        const starts = items.take();
        post({ task, chunk: { bytes, starts } }, [
          bytes.buffer as ArrayBuffer,
          starts.buffer as ArrayBuffer,
        ]);
        unwritten++;
        return pool.pop() ?? new Uint8Array(OUT_BYTES);
      });
      const items = new ItemRun(data.init.signal, out);
      // Posted here, the catalogue entries' lazy periods need restoring.
      const options = { ...data.init.options, pricing: hydratePricing(data.init.options.pricing) };
      scanner = new ExportScanner(
        options,
        (row) => items.row(row),
        data.init.collect,
        (chunk, from, to, row, verbatim) => items.fast(chunk, from, to, row, verbatim),
      );
      post({ next: true });
    } else if ("task" in data) {
      task = data.task;
      post({ finished: await encodeRange(scanner!, out!, data.task, data, pause) });
      post({ next: true });
    } else {
      const ids = scanner!.ids?.values() ?? [];
      const others = scanner!.others?.values() ?? [];
      post(
        { held: scanner!.held, ids, others },
        [...ids, ...others].map((chunk) => chunk.buffer as ArrayBuffer),
      );
    }
  } catch (error) {
    post({ failed: (error as Error).stack ?? String(error) });
  }
};
