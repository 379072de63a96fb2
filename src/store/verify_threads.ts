/**
 * `verify` of several features on two threads: each feature's log is
 * checked whole by whichever thread is free next, this one or a worker,
 * and the reports come back in the features' order. A feature the worker
 * fails on is checked again here, so its error is the one this thread
 * would throw.
 *
 * @module
 */
import { VERIFY_WORKER } from "../dynamic_modules.ts";
import type { ProjectLayout } from "./project_layout.ts";
import { type FeatureReport, verifyFeature } from "./verify.ts";
import type { FromVerifyWorker, ToVerifyWorker } from "./verify_worker.ts";

/** Logs smaller than this in all are checked on this thread alone (a worker costs its start). */
const MIN_BYTES = 16 << 20;

/**
 * The reports of `features`, in their order; `sizes` (each log's bytes)
 * decide whether a worker pays (at least `minBytes` in all); `onWorkerBytes`
 * is told the bytes of each log a worker checked (this thread's reads are
 * metered as they happen).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { verifyOnThreads } from "./verify_threads.ts";
 * import { ProjectLayout } from "./project_layout.ts";
 * const layout = new ProjectLayout(await Deno.makeTempDir());
 * const reports = await verifyOnThreads(layout, ["043-a", "043-b"], [0, 0]);
 * assert.deepEqual(reports.map((r) => r.events), [0, 0]);
 * ```
 */
export async function verifyOnThreads(
  layout: ProjectLayout,
  features: readonly string[],
  sizes: readonly number[],
  onWorkerBytes: (bytes: number) => void = () => {},
  minBytes = MIN_BYTES,
): Promise<FeatureReport[]> {
  const reports: FeatureReport[] = new Array(features.length);
  const total = sizes.reduce((a, b) => a + b, 0);
  if (features.length < 2 || total < minBytes) {
    for (const [i, feature] of features.entries()) {
      reports[i] = await verifyFeature(layout, feature);
    }
    return reports;
  }
  let next = 0;
  const redo: number[] = [];
  const worker = new Worker(VERIFY_WORKER, { type: "module" });
  const there = new Promise<void>((resolve) => {
    let task = -1;
    const send = () => {
      task = next < features.length ? next++ : -1;
      const message: ToVerifyWorker = task < 0
        ? { done: true }
        : { root: layout.root, feature: features[task] };
      worker.postMessage(message);
      if (task < 0) resolve();
    };
    worker.onmessage = ({ data }: MessageEvent<FromVerifyWorker>) => {
      if ("report" in data) {
        // Keyed by node ids: null-prototype again (a clone's objects have Object's).
        const logClock = Object.assign(Object.create(null), data.report.logClock);
        reports[task] = { ...data.report, logClock };
        onWorkerBytes(sizes[task]);
      } else redo.push(task);
      send();
    };
    worker.onerror = (event) => {
      event.preventDefault();
      if (task >= 0) redo.push(task);
      resolve();
    };
    send();
  });
  try {
    while (next < features.length) {
      const task = next++;
      reports[task] = await verifyFeature(layout, features[task]);
    }
    await there;
  } finally {
    worker.terminate();
  }
  for (const task of redo) reports[task] = await verifyFeature(layout, features[task]);
  return reports;
}
