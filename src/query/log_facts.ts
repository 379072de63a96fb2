/**
 * What `query` learns of each log before it writes a line: whether its
 * events stand in clock order (so it can be merged as a stream) and the
 * prints of its ids (so each id is written once without a set of them
 * all; see `id_prints.ts`). One reading per log, on a worker while this
 * thread reads another.
 *
 * @module
 */
import { logInOrder } from "../read/log_order.ts";
import { IdPrints } from "./id_prints.ts";

/** One log's facts. */
export interface LogFacts {
  /** Every event is in `(lamport_clock, node_id, event_id)` order. */
  inOrder: boolean;
  /** The prints of its 26-character ids, sorted. */
  prints: Float64Array<ArrayBuffer>;
  /** A line may be an event whose id could not be read: prints cannot vouch for ids. */
  unsure: boolean;
}

/**
 * Reads one log's facts (a missing log: in order, no ids).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { logFacts } from "./log_facts.ts";
 * const path = await Deno.makeTempFile();
 * const line = (clock: number, id: string) =>
 *   `{"event_id":"${id}","event_type":"Note","aggregate_id":"f","lamport_clock":${clock},"node_id":"n"}\n`;
 * await Deno.writeTextFile(path, line(2, "01KHJVJWDM0HGAGYGXJYKD1JQG") + line(1, "01KHJVJWDM0HGAGYGXJYKD1JQH"));
 * const facts = await logFacts(path);
 * assert.deepEqual([facts.inOrder, facts.prints.length, facts.unsure], [false, 2, false]);
 * ```
 */
export async function logFacts(path: string): Promise<LogFacts> {
  const prints = new IdPrints();
  const inOrder = await logInOrder(path, { ids: prints });
  return { inOrder, prints: prints.sorted(), unsure: prints.unsure };
}

/** Main thread to a facts worker: a log to read. */
export interface FactsTask {
  /** The task's number, sent back. */
  task: number;
  /** The log. */
  path: string;
}

/** A facts worker's word: ready for a log (at start), a log's facts, or a failure. */
export type FactsAnswer = { ready: true } | { task: number; facts: LogFacts } | { failed: string };

/**
 * The facts of every log, read on this thread and `workers` others, each
 * taking the next log as it finishes one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { allLogFacts } from "./log_facts.ts";
 * const facts = await allLogFacts(["/nonexistent/a.jsonl", "/nonexistent/b.jsonl"], 1);
 * assert.deepEqual(facts.map((f) => f.inOrder), [true, true]);
 * ```
 */
export async function allLogFacts(paths: string[], workers: number): Promise<LogFacts[]> {
  const facts: LogFacts[] = new Array(paths.length);
  let next = 0;
  const here = async () => {
    for (let task = next++; task < paths.length; task = next++) {
      facts[task] = await logFacts(paths[task]);
    }
  };
  const there = () =>
    new Promise<void>((resolve, reject) => {
      const worker = new Worker(new URL("./facts_worker.ts", import.meta.url), {
        type: "module",
      });
      const give = () => {
        const task = next++;
        if (task < paths.length) worker.postMessage({ task, path: paths[task] } as FactsTask);
        else {
          worker.terminate();
          resolve();
        }
      };
      worker.onmessage = ({ data }: MessageEvent<FactsAnswer>) => {
        if ("failed" in data) {
          worker.terminate();
          reject(new Error(data.failed));
          return;
        }
        if ("task" in data) facts[data.task] = data.facts;
        give();
      };
      worker.onerror = (event) => {
        event.preventDefault();
        worker.terminate();
        reject(new Error(`order check worker failed: ${event.message}`));
      };
    });
  const count = Math.min(workers, paths.length - 1);
  await Promise.all([here(), ...Array.from({ length: Math.max(count, 0) }, there)]);
  return facts;
}
