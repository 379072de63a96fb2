/**
 * `query`'s first reading on workers (`query_workers.ts`, `query_worker.ts`):
 * whichever thread indexes a log, the lines printed, the warnings (their
 * text and their order, log after log), the bytes told to the read meter
 * and the error of a log that cannot be read are those of one thread.
 */
import assert from "node:assert/strict";
import { dirname } from "node:path";
import { encodeEvent } from "../src/event/line_codec.ts";
import { queryEvents } from "../src/query/query.ts";
import { readMeter } from "../src/read/byte_range.ts";
import { DataError } from "../src/errors.ts";
import { ProjectLayout } from "../src/store/project_layout.ts";
import type { WriteOrderedOptions } from "../src/query/write_ordered.ts";
import type { EventFilter } from "../src/query/filter.ts";
import { pythonLine } from "../bench/generate.ts";
import { sampleEvent } from "./store_contract.ts";
import { printed } from "./printed_query.ts";

/** Runs `work` with every `Worker` spied on: how many were started, how many logs they indexed. */
async function onWorkers<T>(
  work: () => Promise<T>,
): Promise<{ result: T; indexed: number; started: number }> {
  const Real = globalThis.Worker;
  let indexed = 0;
  let started = 0;
  globalThis.Worker = class extends Real {
    constructor(url: string | URL, options?: WorkerOptions) {
      super(url, options);
      started++;
      this.addEventListener("message", (e) => {
        if ("index" in (e as MessageEvent).data) indexed++;
      });
    }
  };
  try {
    const result = await work();
    return { result, indexed, started };
  } finally {
    globalThis.Worker = Real;
  }
}

/** A project whose first log is the largest: junk lines, Python lines, copies, a log out of order. */
async function project(): Promise<ProjectLayout> {
  const layout = new ProjectLayout(await Deno.makeTempDir());
  const sizes = [6000, 40, 300, 200, 250]; // a worker takes the second log first
  let clock = 0;
  const copies: string[] = [];
  for (const [f, count] of sizes.entries()) {
    const feature = `04${f}-threads`;
    const path = layout.logPath(feature);
    await Deno.mkdir(dirname(path), { recursive: true });
    const lines: string[] = [];
    for (let i = 0; i < count; i++) {
      const event = sampleEvent({ aggregate_id: feature, lamport_clock: ++clock });
      lines.push(i % 7 === 3 ? pythonLine(event) : encodeEvent(event));
      if (i % 50 === 0) lines.push(`junk ${f}.${i}`, '{"event_id": 5}');
      if (i % 90 === 1) copies.push(lines[lines.length - 1]);
    }
    if (f > 0) lines.push(copies[f * 3], copies[f]); // copies of other logs' events
    if (f === 3) lines.reverse(); // out of order
    await Deno.writeTextFile(path, lines.join("\n") + "\n");
  }
  return layout;
}

Deno.test("lines and warnings are one thread's, in its order, whichever thread indexed a log", async () => {
  const layout = await project();
  const expected = (await queryEvents(layout, {}, () => {})).map(encodeEvent);
  const alone = await printed(layout, {}, { gather: 0, workers: 0 });
  assert.deepEqual(alone.lines, expected);
  assert.ok(alone.warnings.length > 10);
  assert.ok(alone.warnings.some((w) => w.includes("044-threads")));
  const options: WriteOrderedOptions[] = [
    { workers: 1, minWorkerBytes: 0 },
    { workers: 2, minWorkerBytes: 0 },
    { workers: 1, minWorkerBytes: 0, indexBytes: 0 }, // every log parsed on both readings
    { workers: 1, minWorkerBytes: 0, indexBytes: 200_000 }, // some kept, some not
  ];
  for (const option of options) {
    const { result, indexed } = await onWorkers(() => printed(layout, {}, option));
    assert.ok(indexed > 0, `no worker indexed a log: ${JSON.stringify(option)}`);
    assert.deepEqual(result.lines, expected, JSON.stringify(option));
    assert.deepEqual(result.warnings, alone.warnings, JSON.stringify(option));
  }
});

Deno.test("the bytes a worker reads are told to this thread's read meter", async () => {
  const layout = await project();
  const metered = async (workers: number) => {
    let bytes = 0;
    readMeter.onRead = (n) => void (bytes += n);
    try {
      const { indexed } = await onWorkers(() =>
        printed(layout, {}, { gather: 0, workers, minWorkerBytes: 0 })
      );
      return { bytes, indexed };
    } finally {
      readMeter.onRead = undefined;
    }
  };
  const alone = await metered(0);
  const shared = await metered(1);
  assert.ok(shared.indexed > 0);
  assert.equal(shared.bytes, alone.bytes);
});

Deno.test("a log a worker cannot read fails the query as it fails on this thread", async () => {
  const layout = await project();
  // The second log (the one a worker takes first) is a folder.
  const folder = layout.logPath("041-threads");
  await Deno.remove(folder);
  await Deno.mkdir(folder);
  const failure = async (workers: number) => {
    const { result } = await onWorkers(() =>
      printed(layout, {}, { gather: 0, workers, minWorkerBytes: 0 }).then(() => undefined, (e) => e)
    );
    return result;
  };
  const alone = await failure(0);
  assert.ok(alone instanceof DataError, String(alone));
  assert.match(alone.message, /041-threads.*not a regular file/);
  const shared = await failure(1);
  assert.ok(shared instanceof DataError, String(shared));
  assert.equal(shared.message, alone.message);
});

Deno.test("by default a worker is started for large unfiltered logs", async () => {
  const layout = await project();
  const started = async (options: WriteOrderedOptions, filter: EventFilter = {}) =>
    (await onWorkers(() => printed(layout, filter, { gather: 0, ...options }))).started;
  const free = navigator.hardwareConcurrency >= 2 ? 1 : 0; // one core: never a worker
  assert.equal(await started({ minWorkerBytes: 0 }), free);
  assert.equal(await started({ minWorkerBytes: 0 }, { agents: ["codex"] }), 0);
  assert.equal(await started({}), 0); // a few small logs
  assert.equal(await started({ minWorkerBytes: 0, workers: 1 }), 1); // asked for
});
