/**
 * A worker of `verify` on several threads (`verify_threads.ts`): it checks
 * the features it is sent, one at a time, and posts each report back.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { ProjectLayout } from "./project_layout.ts";
import { type FeatureReport, verifyFeature } from "./verify.ts";

/** This thread to a verify worker: a feature to check, or the end. */
export type ToVerifyWorker = { root: string; feature: string } | { done: true };

/** A verify worker to this thread: a feature's report, or why it could not make one. */
export type FromVerifyWorker = { report: FeatureReport } | { failed: string };

self.onmessage = async ({ data }: MessageEvent<ToVerifyWorker>) => {
  if ("done" in data) return self.close();
  try {
    self.postMessage({ report: await verifyFeature(new ProjectLayout(data.root), data.feature) });
  } catch (error) {
    self.postMessage({ failed: String(error) });
  }
};
