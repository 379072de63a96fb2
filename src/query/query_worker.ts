/**
 * Worker side of `indexOnThreads` (`query_workers.ts`): indexes the logs it
 * is given, one at a time, and hands each index over (its arrays
 * transferred, not copied) with the problems met, for the main thread to
 * report in order. It reads with `readSync` (see `readMode`): it has
 * nothing else to do while a read is on its way.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import type { LineProblem } from "../read/log_reader.ts";
import { readMeter, readMode } from "../read/byte_range.ts";
import { indexLog } from "./line_index.ts";
import { type FromWorker, logIndex, type ToWorker } from "./query_workers.ts";

const post = (message: FromWorker, transfer: Transferable[] = []) =>
  self.postMessage(message, transfer);

readMode.sync = true;
// Bytes read, told to the main thread's read meter (a progress line) every 8 MiB or so.
let unread = 0;
const tell = () => {
  if (unread > 0) post({ read: unread });
  unread = 0;
};
readMeter.onRead = (bytes) => {
  unread += bytes;
  if (unread >= 1 << 23) tell();
};

self.onmessage = async ({ data }: MessageEvent<ToWorker>) => {
  const { task, path, size, filter } = data;
  try {
    const problems: LineProblem[] = [];
    const budget = { left: data.budget };
    const read = await indexLog(path, size, filter, (p) => problems.push(p), budget);
    const [index, buffers] = logIndex(read);
    tell();
    post({ task, index, problems, left: budget.left }, buffers);
  } catch (error) {
    unread = 0; // the log is read again on the main thread
    post({ task, failed: (error as Error).message });
  }
};

// Loaded: work is sent only now, so the main thread takes it while this one starts.
post({ ready: true });
