/**
 * What each budget has spent, from ONE cost scan: the scan groups the
 * events by every dimension some budget filters on (and by UTC day when a
 * budget has a period), and each budget then adds up the groups its filters
 * and its window take. Windows start and end at UTC midnight, so the day
 * groups fall wholly in or out. Pure.
 *
 * @module
 */
import type { Group } from "../cost/aggregate.ts";
import { type GroupKey, keyValue } from "../cost/group_keys.ts";
import type { PricingTable } from "../cost/pricing.ts";
import { EXECUTION_EVENT, type GroupedKey, PAYLOAD_GROUPS } from "../event/fields.ts";
import { type EventFilter, featureMatches } from "../query/filter.ts";
import { type Budget, FILTER_KEYS, type FilterKey } from "./budget_keys.ts";
import { periodWindow, type Window, windowDays } from "./period.ts";

/** What one scan for a set of budgets needs: its grouping and its filter. */
export interface ScanPlan {
  /** The dimensions the budgets filter on, then `day` when any has a period. */
  groupBy: GroupKey[];
  /** Execution events; narrowed to the budgets' features and windows when all have them. */
  filter: EventFilter;
}

const DAY: GroupKey = "day";
const FEATURE: FilterKey = "feature";
// The payload field behind each grouped dimension, to read a filter value as `cost` groups it.
const FIELD_OF = new Map<FilterKey, GroupedKey>(PAYLOAD_GROUPS);

/**
 * The one scan that answers every budget in `budgets` at `now` (epoch ms).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { scanPlan } from "./budget_spend.ts";
 * import { parseBudgets } from "./budget_file.ts";
 * const budgets = parseBudgets("budgets:\n  - {name: a, feature: '043', period: day, limit_usd: 1}\n", "b");
 * const plan = scanPlan(budgets, Date.UTC(2026, 2, 2, 10));
 * assert.deepEqual(plan.groupBy, ["feature", "day"]);
 * assert.equal(plan.filter.since, Date.UTC(2026, 2, 2));
 * assert.deepEqual(plan.filter.features, ["043"]);
 * ```
 */
export function scanPlan(budgets: readonly Budget[], now: number): ScanPlan {
  const used = FILTER_KEYS.filter((key) => budgets.some((b) => b.filters.has(key)));
  const windows = budgets.map((b) => periodWindow(b.period, now));
  const groupBy: GroupKey[] = windows.some((w) => w !== null) ? [...used, DAY] : [...used];
  if (groupBy.length === 0) groupBy.push(FEATURE);
  const filter: EventFilter = { types: [EXECUTION_EVENT] };
  const bounded = windows.filter((w): w is Window => w !== null);
  if (bounded.length > 0 && bounded.length === windows.length) {
    filter.since = Math.min(...bounded.map((w) => w.start));
    // Inclusive, and timestamps carry microseconds.
    filter.until = Math.max(...bounded.map((w) => w.end)) - 0.001;
  }
  if (budgets.length > 0 && budgets.every((b) => b.filters.has(FEATURE))) {
    filter.features = [...new Set(budgets.flatMap((b) => b.filters.get(FEATURE)!))];
  }
  return { groupBy, filter };
}

/** What one budget's events add up to. */
export interface Spend {
  /** Reported plus estimated cost, in 1e-15 USD. */
  units: bigint;
  /** Events counted. */
  events: number;
  /** Of those, events with no reported cost and no price (counted as $0). */
  unpriced: number;
  /** The canonical models of the unpriced events. */
  unpricedModels: Set<string>;
}

/**
 * Adds up the groups of a scan planned by {@linkcode scanPlan} that
 * `budget` takes at `now`. Filter values are read as `cost` groups them
 * (a model by its canonical name in `pricing`, so any spelling matches);
 * features match as `--feature` does (prefix or glob).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { budgetSpend } from "./budget_spend.ts";
 * import { parseBudgets } from "./budget_file.ts";
 * import { emptyTotals } from "../cost/aggregate.ts";
 * const [b] = parseBudgets("budgets:\n  - {name: a, feature: '043', limit_usd: 1}\n", "b");
 * const groups = [
 *   { key: { feature: "043-x" }, totals: { ...emptyTotals(), event_count: 1, reported: 5n } },
 *   { key: { feature: "044-y" }, totals: { ...emptyTotals(), event_count: 1, reported: 7n } },
 * ];
 * const pricing = { updated: null, entries: [] };
 * assert.equal(budgetSpend(b, groups, pricing, 0).units, 5n);
 * ```
 */
export function budgetSpend(
  budget: Budget,
  groups: readonly Group[],
  pricing: PricingTable,
  now: number,
): Spend {
  const wanted = new Map<FilterKey, Set<string | null>>();
  for (const [key, values] of budget.filters) {
    if (key === FEATURE) continue;
    const field = FIELD_OF.get(key)!;
    const event = (value: string) => ({ payload: { [field]: value } }) as never;
    wanted.set(key, new Set(values.map((v) => keyValue(event(v), key, pricing))));
  }
  const features = budget.filters.get(FEATURE);
  const window = periodWindow(budget.period, now);
  const days = window && windowDays(window);
  const spend: Spend = { units: 0n, events: 0, unpriced: 0, unpricedModels: new Set() };
  for (const { key, totals } of groups) {
    if (days && !(key[DAY]! >= days.first && key[DAY]! <= days.last)) continue;
    if (features && !features.some((f) => featureMatches(key[FEATURE]!, f))) continue;
    let taken = true;
    for (const [k, values] of wanted) taken &&= values.has(key[k]);
    if (!taken) continue;
    spend.units += totals.reported + totals.estimated;
    spend.events += totals.event_count;
    spend.unpriced += totals.unpriced_event_count;
    for (const model of totals.unpriced_models) spend.unpricedModels.add(model);
  }
  return spend;
}
