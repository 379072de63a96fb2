/**
 * Worker side of {@linkcode parallelScan}: loads the reducer module it is
 * handed (maybe ahead, see `prestartScan`), then reads one range after
 * another, asking for the next as each finishes, and posts its partial
 * result when told there are no more.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import type { LineProblem } from "./log_reader.ts";
import {
  type FromWorker,
  readInto,
  type Reducer,
  type ReducerModule,
  type ToWorker,
} from "./parallel_scan.ts";

let reducer: Reducer<unknown> | undefined;
const post = (message: FromWorker<unknown>) => self.postMessage(message);

self.onmessage = async ({ data }: MessageEvent<ToWorker>) => {
  try {
    if ("load" in data) {
      await import(data.load);
    } else if ("reducerUrl" in data) {
      const module = await import(data.reducerUrl) as ReducerModule<unknown, unknown>;
      reducer = module.createReducer(data.init);
      post({ next: true });
    } else if ("task" in data) {
      const problems: LineProblem[] = [];
      const lines = await readInto(data.path, reducer!, (p) => problems.push(p), data.range);
      post({ next: true, finished: { task: data.task, lines, problems } });
    } else {
      post({ result: reducer!.result() });
    }
  } catch (error) {
    post({ failed: (error as Error).message });
  }
};
