/**
 * Cost aggregation as a reducer for the parallel reader: each worker folds
 * its ranges into partial sums, and partials merge in any order. Pure.
 *
 * @module
 */
import type { Event } from "../event/envelope.ts";
import type { ExecutionEvent } from "../event/execution.ts";
import { EXECUTION_EVENT } from "../event/fields.ts";
import type { Reducer } from "../read/parallel_scan.ts";
import type { ExecutionView } from "../read/line_view.ts";
import { type EventFilter, matches } from "../query/filter.ts";
import { CostAggregator, emptyTotals, type Group, mergeTotals, type Totals } from "./aggregate.ts";
import type { GroupKey } from "./group_keys.ts";
import { HashList, idHashOf } from "./id_hash.ts";
import type { PricingTable } from "./pricing.ts";
import { hydratePricing } from "./catalogue.ts";
import { kernelFold } from "./kernel_fold.ts";

/** What each worker is handed. */
export interface CostScanInit {
  groupBy: GroupKey[];
  pricing: PricingTable;
  filter: EventFilter;
}

/** Partial sums (structured-clone safe: BigInt and Set survive postMessage). */
export interface CostPartial {
  /** The groups' sums. */
  groups: Group[];
  /** The sums over every event added. */
  total: Totals;
  /** The id hash of every event added, for counting each id once (see `exactly_once.ts`). */
  ids: Float64Array[];
  /**
   * The id hash of every execution event read that the filter left out: a
   * copy of an id there may be the one that counts, so a copy the filter
   * takes is then not counted (see `exactly_once.ts`). Absent: none.
   */
  otherIds?: Float64Array[];
}

/**
 * A reducer that filters events and adds them to cost totals: execution
 * events come as views read from their bytes where the readers can, other
 * event types are skipped unread, and the rest come decoded.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createReducer } from "./cost_reducer.ts";
 * import { defaultPricing } from "./builtin_pricing.ts";
 * const r = createReducer({ groupBy: ["agent"], pricing: defaultPricing(), filter: {} });
 * r.events([]);
 * assert.ok(r.result().total.event_count === 0);
 * ```
 */
export function createReducer(init: CostScanInit): Reducer<CostPartial> {
  // Posted to a worker, the catalogue entries' lazy periods need restoring.
  const pricing = hydratePricing(init.pricing);
  const aggregator = new CostAggregator(init.groupBy, pricing);
  const ids = new HashList();
  const others = new HashList();
  const hashInto = (list: HashList, view: ExecutionView) => {
    // Hashed by the reader (the wasm kernel), or here from the id's bytes.
    const hash = view.idHash;
    if (hash !== undefined && hash === hash) list.push(hash);
    else list.pushAt(view.idData(), view.idFrom);
  };
  return {
    // No filter, one name key: the kernel sums the lines it vouches for.
    fold: kernelFold({ ...init, pricing }, aggregator, ids),
    execution(view): boolean {
      if (matches(view, init.filter)) {
        aggregator.add(view);
        hashInto(ids, view);
      } else hashInto(others, view);
      return true;
    },
    // Other event types cost nothing: skipped unread.
    otherTypes: false,
    events(events: Event[]): void {
      for (const event of events) {
        if (event.event_type !== EXECUTION_EVENT) continue;
        if (matches(event, init.filter)) {
          aggregator.add(event as ExecutionEvent);
          ids.push(idHashOf(event.event_id));
        } else others.push(idHashOf(event.event_id));
      }
    },
    result: (): CostPartial => ({
      groups: aggregator.groups(),
      total: aggregator.total,
      ids: ids.values(),
      otherIds: others.values(),
    }),
  };
}

/**
 * Merges two partials; groups with the same key values are added.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mergeResults } from "./cost_reducer.ts";
 * import { emptyTotals } from "./aggregate.ts";
 * const part = {
 *   groups: [{ key: { agent: "a" }, totals: { ...emptyTotals(), event_count: 1 } }],
 *   total: { ...emptyTotals(), event_count: 1 },
 *   ids: [Float64Array.of(7)],
 * };
 * const merged = mergeResults(part, structuredClone(part));
 * assert.ok(merged.groups.length === 1 && merged.total.event_count === 2);
 * assert.deepEqual(merged.ids.map((part) => [...part]), [[7], [7]]);
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
  return {
    groups: [...groups.values()],
    total,
    ids: [...a.ids, ...b.ids],
    otherIds: [...a.otherIds ?? [], ...b.otherIds ?? []],
  };
}
