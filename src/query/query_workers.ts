/**
 * The threads `query` reads on: workers that read the logs' facts (this
 * thread takes some too), then read the logs as blocks of output lines
 * while this thread merges and writes them. A block's arrays move between
 * the threads without a copy and are handed back for the next block, so
 * memory holds about two blocks per log.
 *
 * @module
 */
import type { LineProblem } from "../read/log_reader.ts";
import type { EventFilter } from "./filter.ts";
import type { ByteRange } from "../read/byte_range.ts";
import type { BlockArrays, LineBlock } from "./line_blocks.ts";
import { type LogFacts, logFacts } from "./log_facts.ts";
import { QUERY_WORKER } from "../dynamic_modules.ts";

/** A block as it crosses threads: `numbers` holds each line's node, by number (see `names`). */
export type WireBlock = BlockArrays & { count: number };

/** This thread to a worker. */
export type ToWorker =
  | { facts: number; path: string }
  | { open: number; path: string; filter: EventFilter; range: ByteRange }
  | { next: number }
  | { recycle: BlockArrays };

/** A worker to this thread. */
export type FromWorker =
  | { ready: true }
  | { task: number; facts: LogFacts }
  | { source: number; block: WireBlock; names: string[] }
  | { source: number; done: true }
  | { source: number; problem: LineProblem }
  | { failed: string };

/** One log read on a worker, as the merge reads a source. */
class RemoteSource implements AsyncIterator<LineBlock> {
  #arrived: (WireBlock | undefined)[] = [];
  #waiting: ((block: WireBlock | undefined) => void) | undefined;
  #current: WireBlock | undefined;
  /** The log's nodes by number, as the worker named them. */
  readonly names: string[] = [];
  readonly #nodes: string[] = [];

  constructor(
    readonly worker: Worker,
    readonly id: number,
    readonly onProblem: (problem: LineProblem) => void,
  ) {}

  /** A block (or the end, `undefined`) arrived. */
  deliver(block: WireBlock | undefined): void {
    if (this.#waiting) this.#waiting(block);
    else this.#arrived.push(block);
    this.#waiting = undefined;
  }

  async next(): Promise<IteratorResult<LineBlock>> {
    // Done with the last block: its arrays go back to be filled again.
    const last = this.#current;
    if (last) {
      const { bytes, starts, ends, clocks, numbers } = last;
      this.worker.postMessage({ recycle: { bytes, starts, ends, clocks, numbers } } as ToWorker, [
        bytes.buffer,
        starts.buffer,
        ends.buffer,
        clocks.buffer,
        numbers.buffer,
      ]);
    }
    const block = this.#arrived.length > 0
      ? this.#arrived.shift()
      : await new Promise<WireBlock | undefined>((resolve) => this.#waiting = resolve);
    this.#current = block;
    if (!block) return { done: true, value: undefined };
    this.worker.postMessage({ next: this.id } as ToWorker); // the next one is read meanwhile
    const { count, bytes, starts, ends, clocks, numbers } = block;
    const nodes = this.#nodes;
    for (let k = 0; k < count; k++) nodes[k] = this.names[numbers[k]];
    return { done: false, value: { count, bytes, starts, ends, clocks, nodes } };
  }
}

/**
 * Workers for one `query` (closed with {@linkcode QueryWorkers.close}).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { QueryWorkers } from "./query_workers.ts";
 * const workers = new QueryWorkers(1);
 * try {
 *   const facts = await workers.facts(["/nonexistent/a.jsonl", "/nonexistent/b.jsonl"]);
 *   assert.deepEqual(facts.map((f) => f.inOrder), [true, true]);
 *   const source = workers.blocks(0, "/nonexistent/a.jsonl", {}, () => {}, { start: 0, end: 0 });
 *   assert.equal((await source.next()).done, true);
 * } finally {
 *   workers.close();
 * }
 * ```
 */
export class QueryWorkers {
  readonly #workers: Worker[] = [];
  readonly #ready: Promise<void>[] = [];
  readonly #sources = new Map<number, RemoteSource>();
  #onFacts = new Map<Worker, (task: number, facts: LogFacts) => void>();
  #failed: Error | undefined;
  #fail: ((error: Error) => void)[] = [];

  /** Starts `count` workers. */
  constructor(count: number) {
    for (let i = 0; i < count; i++) {
      const worker = new Worker(QUERY_WORKER, { type: "module" });
      this.#workers.push(worker);
      this.#ready.push(
        new Promise((resolve) => {
          worker.onmessage = ({ data }: MessageEvent<FromWorker>) => {
            if ("ready" in data) resolve();
            else this.#receive(worker, data);
          };
        }),
      );
      worker.onerror = (event) => {
        event.preventDefault();
        this.#failure(new Error(`query worker failed: ${event.message}`));
      };
    }
  }

  #receive(worker: Worker, data: FromWorker): void {
    if ("failed" in data) this.#failure(new Error(data.failed));
    else if ("task" in data) this.#onFacts.get(worker)?.(data.task, data.facts);
    else if ("problem" in data) this.#sources.get(data.source)!.onProblem(data.problem);
    else if ("block" in data) {
      const source = this.#sources.get(data.source)!;
      source.names.push(...data.names);
      source.deliver(data.block);
    } else if ("done" in data) this.#sources.get(data.source)!.deliver(undefined);
  }

  #failure(error: Error): void {
    this.#failed ??= error;
    for (const reject of this.#fail) reject(error);
    for (const source of this.#sources.values()) source.deliver(undefined);
  }

  /** The facts of every log, read on the workers and this thread, each taking the next log. */
  async facts(paths: string[]): Promise<LogFacts[]> {
    const facts: LogFacts[] = new Array(paths.length);
    let next = 0;
    const here = async () => {
      for (let task = next++; task < paths.length; task = next++) {
        facts[task] = await logFacts(paths[task]);
      }
    };
    const there = (worker: Worker, ready: Promise<void>) =>
      new Promise<void>((resolve, reject) => {
        this.#fail.push(reject);
        const give = () => {
          const task = next++;
          if (task < paths.length) {
            worker.postMessage({ facts: task, path: paths[task] } as ToWorker);
          } else resolve();
        };
        this.#onFacts.set(worker, (task, found) => {
          facts[task] = found;
          give();
        });
        ready.then(give);
      });
    await Promise.all([here(), ...this.#workers.map((w, i) => there(w, this.#ready[i]))]);
    if (this.#failed) throw this.#failed;
    return facts;
  }

  /** Log `source` (numbered by the caller, once each; `range` of it) read on a worker, as blocks. */
  blocks(
    source: number,
    path: string,
    filter: EventFilter,
    onProblem: (problem: LineProblem) => void,
    range: ByteRange,
  ): AsyncIterator<LineBlock> {
    const worker = this.#workers[source % (this.#workers.length + 1) % this.#workers.length];
    const remote = new RemoteSource(worker, source, onProblem);
    this.#sources.set(source, remote);
    worker.postMessage({ open: source, path, filter, range } as ToWorker);
    worker.postMessage({ next: source } as ToWorker);
    const failed = () => this.#failed;
    return {
      async next() {
        const step = await remote.next();
        const error = failed();
        if (error) throw error;
        return step;
      },
    };
  }

  /** Stops every worker (reads still open are dropped). */
  close(): void {
    for (const worker of this.#workers) worker.terminate();
  }
}
