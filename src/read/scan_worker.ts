/**
 * Worker side of {@linkcode parallelScan}: folds its byte ranges with the
 * reducer module it is handed and posts the partial result back.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { scanLogBatches } from "../store/log_reader.ts";
import type { ReducerModule, ScanTask, WorkerReply } from "./parallel_scan.ts";

self.onmessage = async (message: MessageEvent) => {
  const { reducerUrl, init, tasks } = message.data as {
    reducerUrl: string;
    init: unknown;
    tasks: ScanTask[];
  };
  try {
    const module = await import(reducerUrl) as ReducerModule<unknown, unknown>;
    const reducer = module.createReducer(init);
    const reply: WorkerReply<unknown> = { result: undefined, lines: [], problems: [] };
    let bytes = 0;
    let reported = 0;
    for (const [task, { path, range }] of tasks.entries()) {
      const scan = scanLogBatches(
        path,
        (p) => reply.problems.push({ ...p, task }),
        range,
        reducer.sink,
      );
      let step = await scan.next();
      while (!step.done) {
        reducer.add(step.value);
        step = await scan.next();
      }
      reply.lines.push(step.value);
      bytes += range.end - range.start;
      if (bytes - reported > 16 * 1024 * 1024) {
        self.postMessage({ progress: bytes });
        reported = bytes;
      }
    }
    reply.result = reducer.result();
    self.postMessage(reply);
  } catch (error) {
    self.postMessage({ error: (error as Error).message });
  }
};
