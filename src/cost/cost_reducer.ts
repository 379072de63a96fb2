/**
 * Cost aggregation as a reducer for the parallel reader: each worker folds
 * its ranges into partial sums, and partials merge in any order. Pure.
 *
 * @module
 */
import type { Event } from "../event/envelope.ts";
import type { ExecutionEvent } from "../event/execution.ts";
import { type EventFilter, matches } from "../query/filter.ts";
import {
  CostAggregator,
  emptyTotals,
  type Group,
  type GroupKey,
  mergeTotals,
  type Totals,
} from "./aggregate.ts";
import type { PricingTable } from "./pricing.ts";

/** What each worker is handed. */
export interface CostScanInit {
  groupBy: GroupKey[];
  pricing: PricingTable;
  filter: EventFilter;
}

/** Partial sums (structured-clone safe: BigInt and Set survive postMessage). */
export interface CostPartial {
  groups: Group[];
  total: Totals;
}

/**
 * A reducer that filters events and adds them to cost totals.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createReducer } from "./cost_reducer.ts";
 * import { defaultPricing } from "./pricing_file.ts";
 * const r = createReducer({ groupBy: ["agent"], pricing: defaultPricing(), filter: {} });
 * r.add([]);
 * assert.ok(r.result().total.event_count === 0);
 * ```
 */
export function createReducer(init: CostScanInit) {
  const aggregator = new CostAggregator(init.groupBy, init.pricing);
  return {
    add(events: Event[]): void {
      for (const event of events) {
        if (matches(event, init.filter)) aggregator.add(event as ExecutionEvent);
      }
    },
    result: (): CostPartial => ({ groups: aggregator.groups(), total: aggregator.total }),
  };
}

/**
 * Skips, unparsed, lines in the tool's own layout whose `event_type` is not
 * `ExecutionEvent` (the layout fixes where it stands: after the 26-character
 * id). Other layouts are always parsed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { lineFilter } from "./cost_reducer.ts";
 * const keep = lineFilter();
 * const other = '{"event_id":"01KHJVJWDM0HGAGYGXJYKD1JQG","event_type":"PhaseDone",...';
 * assert.ok(!keep(other) && keep('{"aggregate_id": "043"}'));
 * ```
 */
export function lineFilter(): (line: string) => boolean {
  return (line) =>
    !(line.startsWith(CANONICAL_HEAD) && line.startsWith(TYPE_KEY, 39)) ||
    line.startsWith(EXECUTION_VALUE, 55);
}

const CANONICAL_HEAD = '{"event_id":"';
const TYPE_KEY = '","event_type":"';
const EXECUTION_VALUE = 'ExecutionEvent"';

/**
 * Merges two partials; groups with the same key values are added.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mergeResults } from "./cost_reducer.ts";
 * import { emptyTotals } from "./aggregate.ts";
 * const part = { groups: [{ key: { agent: "a" }, totals: { ...emptyTotals(), event_count: 1 } }], total: { ...emptyTotals(), event_count: 1 } };
 * const merged = mergeResults(part, structuredClone(part));
 * assert.ok(merged.groups.length === 1 && merged.total.event_count === 2);
 * ```
 */
export function mergeResults(a: CostPartial, b: CostPartial): CostPartial {
  const groups = new Map<string, Group>();
  const total = emptyTotals();
  for (const part of [a, b]) {
    mergeTotals(total, part.total);
    for (const group of part.groups) {
      const id = JSON.stringify(Object.values(group.key));
      const into = groups.get(id);
      if (into) mergeTotals(into.totals, group.totals);
      else groups.set(id, { key: group.key, totals: structuredClone(group.totals) });
    }
  }
  return { groups: [...groups.values()], total };
}
