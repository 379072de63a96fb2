/**
 * Worker side of {@linkcode allLogFacts}: reads the facts of each log it is
 * sent and posts them back (the prints are transferred, not copied).
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { type FactsAnswer, type FactsTask, logFacts } from "./log_facts.ts";

self.onmessage = async ({ data }: MessageEvent<FactsTask>) => {
  try {
    const facts = await logFacts(data.path);
    self.postMessage({ task: data.task, facts } as FactsAnswer, [facts.prints.buffer]);
  } catch (error) {
    self.postMessage({ failed: (error as Error).message } as FactsAnswer);
  }
};

// Loaded: the first log is asked for only now, so this thread takes the logs while it starts.
self.postMessage({ ready: true } as FactsAnswer);
