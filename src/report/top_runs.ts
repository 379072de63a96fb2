/**
 * The most expensive runs, kept in bounded memory: each thread keeps its
 * top N, and two tops merge into one top N.
 *
 * @module
 */

import type { TokenCount } from "../cost/token_sum.ts";
import { normalizeEventId } from "../event/event_id.ts";

/** One run as the report lists it (money in 1e-15 USD). */
export interface Run {
  /** The event's id (a run listed once even when its line repeats). */
  event_id: string;
  /** Its feature (aggregate id). */
  feature: string;
  /** Work package. */
  wp: string | null;
  /** Agent. */
  agent: string | null;
  /** Canonical model, null when none was recorded. */
  model: string | null;
  /** Input, output, cache read and cache write tokens, summed (exact: a BigInt past 2**53). */
  tokens: TokenCount;
  /** Reported or estimated cost. */
  cost: bigint;
  /** When it was recorded (the event's timestamp). */
  timestamp: string;
  /** Wall time in ms. */
  duration_ms: number;
  /** Whether it succeeded. */
  success: boolean;
}

/** How many runs the report lists. */
export const TOP_RUNS = 20;

/** Most expensive first, then by id (a total order, so any merge order gives one list). */
export function compareRuns(a: Run, b: Run): number {
  if (a.cost !== b.cost) return a.cost > b.cost ? -1 : 1;
  return a.event_id < b.event_id ? -1 : a.event_id > b.event_id ? 1 : 0;
}

/**
 * Keeps the `limit` most expensive of the runs offered.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { TopRuns } from "./top_runs.ts";
 * const top = new TopRuns(2);
 * const run = { feature: "f", wp: "WP01", agent: "a", model: null, tokens: 0, timestamp: "", duration_ms: 0, success: true };
 * for (const [id, cost] of [["a", 1n], ["b", 3n], ["c", 2n]] as const) {
 *   if (top.wants(Number(cost))) top.add({ ...run, event_id: id, cost });
 * }
 * assert.deepEqual(top.runs().map((r) => r.event_id), ["b", "c"]);
 * ```
 */
export class TopRuns {
  #runs: Run[] = [];
  // The cheapest listed cost as a double, less the slack; -Infinity until the list is full.
  #floor = -Infinity;
  constructor(readonly limit: number = TOP_RUNS) {}

  /**
   * Whether a run costing about `approx` (1e-15 USD, as a double) could
   * enter the list: a cheap check before its exact cost is worked out, with
   * slack for the double's rounding.
   */
  wants(approx: number): boolean {
    return approx >= this.#floor;
  }

  /** Offers one run; a run with an id already listed is ignored. */
  add(run: Run): void {
    const id = normalizeEventId(run.event_id);
    if (this.#runs.some((r) => normalizeEventId(r.event_id) === id)) return;
    this.#runs.push(run);
    this.#runs.sort(compareRuns);
    if (this.#runs.length > this.limit) this.#runs.length = this.limit;
    if (this.#runs.length === this.limit) {
      this.#floor = Number(this.#runs[this.limit - 1].cost) * (1 - 1e-9);
    }
  }

  /** The list, most expensive first. */
  runs(): Run[] {
    return [...this.#runs];
  }
}

/** Two lists as one top `limit` list. */
export function mergeTopRuns(a: Run[], b: Run[], limit: number = TOP_RUNS): Run[] {
  const top = new TopRuns(limit);
  for (const run of [...a, ...b]) top.add(run);
  return top.runs();
}
