/**
 * Worker side of {@linkcode parallelScan}: loads the reducer module it is
 * handed, then reads one range after another, asking for the next as each
 * finishes, and posts its partial result when told there are no more.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { type LineProblem, scanLogBatches } from "./log_reader.ts";
import type { FromWorker, Reducer, ReducerModule, ToWorker } from "./parallel_scan.ts";

let reducer: Reducer<unknown> | undefined;
const post = (message: FromWorker<unknown>) => self.postMessage(message);

self.onmessage = async ({ data }: MessageEvent<ToWorker>) => {
  try {
    if ("reducerUrl" in data) {
      const module = await import(data.reducerUrl) as ReducerModule<unknown, unknown>;
      reducer = module.createReducer(data.init);
      post({ next: true });
    } else if ("task" in data) {
      const problems: LineProblem[] = [];
      const scan = scanLogBatches(data.path, (p) => problems.push(p), data.range, reducer!.sink);
      let step = await scan.next();
      for (; !step.done; step = await scan.next()) reducer!.add(step.value);
      post({ next: true, finished: { task: data.task, lines: step.value, problems } });
    } else {
      post({ result: reducer!.result() });
    }
  } catch (error) {
    post({ failed: (error as Error).message });
  }
};
