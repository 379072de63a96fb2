/**
 * Run time per group for `cost --columns duration`: the total and the
 * median (p50) of `duration_ms`. A reducer for the parallel reader, run as
 * a second read only when the column is asked for (as the failed runs'
 * sums are); per group an exact total and a fixed log-scale histogram
 * (`duration_histogram.ts`: bounded memory, p50 within 2.2%). Each id
 * counts once: the copies that the cost scan's count-once left out are
 * taken out here too ({@linkcode withoutExtraDurations}), so no second
 * count-once read is needed. Pure.
 *
 * @module
 */
import type { Event } from "../event/envelope.ts";
import type { ExecutionEvent } from "../event/execution.ts";
import { EXECUTION_EVENT } from "../event/fields.ts";
import type { Reducer } from "../read/parallel_scan.ts";
import { matches } from "../query/filter.ts";
import type { CostScanInit } from "../cost/cost_reducer.ts";
import { type CostedEvent, type GroupKey, keyValue } from "../cost/group_keys.ts";
import type { PricingTable } from "../cost/pricing.ts";
import { hydratePricing } from "../cost/catalogue.ts";
import {
  addDuration,
  bucketOf,
  type Histogram,
  mergeHistograms,
  percentile,
} from "./duration_histogram.ts";
import type { CostView, TotalsView } from "./cost_view.ts";

/** One group's run times. */
export interface DurationGroup {
  /** The group's key values, as `cost` groups them. */
  key: Record<string, string | null>;
  /** The runs' durations summed, ms (exact: integers). */
  ms: number;
  /** The runs' durations as a histogram. */
  runs: Histogram;
}

/** Run times by group (structured-clone safe). */
export interface DurationPartial {
  /** One entry per group met. */
  groups: DurationGroup[];
}

/** An event as the sums read it: its group keys and its duration. */
type TimedEvent = CostedEvent & { payload: { duration_ms: number | null } };

/** Sums by the keys `by`: adds (or, with `sign` -1, takes out) one run. */
class DurationSums {
  readonly #groups = new Map<string, DurationGroup>();
  /** Starts from `groups` (keyed by `by`), taken over as they are. */
  constructor(
    readonly by: readonly GroupKey[],
    readonly pricing: PricingTable,
    groups: DurationGroup[] = [],
  ) {
    for (const g of groups) this.#groups.set(JSON.stringify(by.map((k) => g.key[k] ?? null)), g);
  }

  add(event: TimedEvent, sign: 1 | -1 = 1): void {
    const values = this.by.map((k) => keyValue(event, k, this.pricing));
    const id = JSON.stringify(values);
    let group = this.#groups.get(id);
    if (!group) {
      if (sign === -1) return; // never: every extra was counted in its group
      const key: DurationGroup["key"] = {};
      this.by.forEach((k, i) => key[k] = values[i]);
      this.#groups.set(id, group = { key, ms: 0, runs: new Map() });
    }
    const ms = event.payload.duration_ms ?? 0;
    group.ms += sign * ms;
    if (sign === 1) addDuration(group.runs, ms);
    else {
      const bucket = bucketOf(ms);
      const left = (group.runs.get(bucket) ?? 0) - 1;
      if (left > 0) group.runs.set(bucket, left);
      else group.runs.delete(bucket);
    }
  }

  result(): DurationPartial {
    return { groups: [...this.#groups.values()] };
  }
}

/**
 * The reducer: the execution events `init.filter` matches, by `init.groupBy`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createReducer } from "./duration_sums.ts";
 * const r = createReducer({ groupBy: ["agent"], pricing: { updated: null, entries: [] }, filter: {} });
 * r.events([{ event_type: "ExecutionEvent", payload: { agent: "a", duration_ms: 7 } } as never]);
 * assert.equal(r.result().groups[0].ms, 7);
 * ```
 */
export function createReducer(init: CostScanInit): Reducer<DurationPartial> {
  const sums = new DurationSums(init.groupBy, hydratePricing(init.pricing));
  return {
    execution(view): boolean {
      if (matches(view, init.filter)) sums.add(view);
      return true;
    },
    otherTypes: false,
    events(events: Event[]): void {
      for (const event of events) {
        if (event.event_type === EXECUTION_EVENT && matches(event, init.filter)) {
          sums.add(event as ExecutionEvent);
        }
      }
    },
    result: () => sums.result(),
  };
}

/**
 * Two threads' sums as one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mergeResults } from "./duration_sums.ts";
 * const part = () => ({ groups: [{ key: { agent: "a" }, ms: 5, runs: new Map([[38, 1]]) }] });
 * const merged = mergeResults(part(), part());
 * assert.deepEqual([merged.groups.length, merged.groups[0].ms, merged.groups[0].runs.get(38)], [1, 10, 2]);
 * ```
 */
export function mergeResults(a: DurationPartial, b: DurationPartial): DurationPartial {
  const groups = new Map<string, DurationGroup>();
  for (const group of [...a.groups, ...b.groups]) {
    const id = JSON.stringify(Object.values(group.key));
    const into = groups.get(id);
    if (!into) groups.set(id, { key: group.key, ms: group.ms, runs: new Map(group.runs) });
    else {
      into.ms += group.ms;
      mergeHistograms(into.runs, group.runs);
    }
  }
  return { groups: [...groups.values()] };
}

/**
 * `partial` with `extras` (the copies of repeated ids that `cost` did not
 * count: `CountedOnce.extras`) taken out.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { withoutExtraDurations } from "./duration_sums.ts";
 * const partial = { groups: [{ key: { agent: "a" }, ms: 10, runs: new Map([[1, 2]]) }] };
 * const extra = { payload: { agent: "a", duration_ms: 1 } } as never;
 * const out = withoutExtraDurations(partial, [extra], ["agent"], { updated: null, entries: [] });
 * assert.deepEqual([out.groups[0].ms, out.groups[0].runs.get(1)], [9, 1]);
 * ```
 */
export function withoutExtraDurations(
  partial: DurationPartial,
  extras: readonly ExecutionEvent[],
  groupBy: readonly GroupKey[],
  pricing: PricingTable,
): DurationPartial {
  if (extras.length === 0) return partial;
  const sums = new DurationSums(groupBy, pricing, mergeResults(partial, { groups: [] }).groups);
  for (const event of extras) sums.add(event, -1);
  return sums.result();
}

/** Sets `total_duration_ms` and `duration_p50_ms` on `view`. */
function setTimes(view: TotalsView, ms: number, runs: Histogram): void {
  view.total_duration_ms = ms;
  view.duration_p50_ms = percentile(runs, 0.5);
}

/**
 * Adds the run times to every row of `view` (groups, their breakdown rows,
 * the total), from sums grouped by the view's keys (and breakdown key).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { addDurations } from "./duration_sums.ts";
 * const view = { group_by: ["agent"], groups: [{ key: { agent: "a" } }], total: {} } as never;
 * addDurations(view, { groups: [{ key: { agent: "a" }, ms: 9, runs: new Map([[1, 3]]) }] });
 * assert.equal((view as { total: { total_duration_ms: number } }).total.total_duration_ms, 9);
 * ```
 */
export function addDurations(view: CostView, sums: DurationPartial): void {
  const keys = view.group_by;
  const extra = view.breakdown_by;
  const idOf = (key: Record<string, string | null>, by: readonly string[]) =>
    JSON.stringify(by.map((k) => key[k] ?? null));
  const parents = new Map<string, { ms: number; runs: Histogram }>();
  const rows = new Map<string, DurationGroup>();
  const total = { ms: 0, runs: new Map() as Histogram };
  for (const g of sums.groups) {
    const id = idOf(g.key, keys);
    let parent = parents.get(id);
    if (!parent) parents.set(id, parent = { ms: 0, runs: new Map() });
    for (const into of [parent, total]) {
      into.ms += g.ms;
      mergeHistograms(into.runs, g.runs);
    }
    if (extra !== undefined) rows.set(idOf(g.key, [...keys, extra]), g);
  }
  const none = { ms: 0, runs: new Map() as Histogram };
  for (const row of view.groups) {
    const parent = parents.get(idOf(row.key, keys)) ?? none;
    setTimes(row, parent.ms, parent.runs);
    for (const sub of row.breakdown ?? []) {
      const g = rows.get(idOf({ ...row.key, ...sub.key }, [...keys, extra!])) ?? none;
      setTimes(sub, g.ms, g.runs);
    }
  }
  setTimes(view.total, total.ms, total.runs);
}
