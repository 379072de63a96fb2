/**
 * Worker side of `indexOnThreads` (`query_workers.ts`): indexes its first
 * log, then each log whose number it takes from the counter it shares with
 * the other threads, and hands each index over (its arrays transferred,
 * not copied) with the problems met, for the main thread to report in
 * order. It reads with `readSync` (see `readMode`): it has
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
  const { paths, sizes, filter } = data;
  const next = new Int32Array(data.next);
  const budget = { left: data.budget };
  for (let task = data.first; task < paths.length; task = Atomics.add(next, 0, 1)) {
    try {
      const problems: LineProblem[] = [];
      const read = await indexLog(
        paths[task],
        sizes[task],
        filter,
        (p) => problems.push(p),
        budget,
      );
      const [index, buffers] = logIndex(read);
      tell();
      post({ task, index, problems }, buffers);
    } catch (error) {
      unread = 0; // the log is read again on the main thread
      post({ task, failed: (error as Error).message });
    }
  }
  post({ done: true });
};
