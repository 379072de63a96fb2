/**
 * A budget's standing: what is left, how much of it is used, `ok`, `warn`
 * or `over`, and for a day, week or month a straight-line forecast to the
 * period's end. Exact integer money throughout. Pure.
 *
 * @module
 */
import type { Budget } from "./budget_keys.ts";
import type { Spend } from "./budget_spend.ts";
import { periodWindow, type Window } from "./period.ts";

/** The three states, from best to worst. */
export const STATES = ["ok", "warn", "over"] as const;

/** One state: `warn` from `warn_at` of the limit, `over` past the limit. */
export type BudgetState = typeof STATES[number];

/** A budget at one instant. */
export interface BudgetStatus {
  /** The budget. */
  budget: Budget;
  /** Its current period's window (null for `total`). */
  window: Window | null;
  /** What its events add up to in that window. */
  spend: Spend;
  /** The limit less what is spent, never below 0 (1e-15 USD). */
  remaining: bigint;
  /** Spent / limit, to 6 decimals (1 = the whole limit). */
  fractionUsed: number;
  /** ok, warn or over. */
  state: BudgetState;
  /**
   * What the period will have cost at its end if spending goes on at the
   * rate so far (spent / elapsed fraction of the period), in 1e-15 USD;
   * null for `total`, and at the period's very first millisecond.
   */
  forecast: bigint | null;
}

const SCALE = 10n ** 15n; // of `warnAt`

/**
 * The state of `budget` having spent `spend` at `now` (epoch ms). Spending
 * exactly the limit is not over it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { budgetStatus } from "./budget_status.ts";
 * import { parseBudgets } from "./budget_file.ts";
 * const [b] = parseBudgets("budgets:\n  - {name: a, period: day, limit_usd: 10}\n", "b");
 * const spend = { units: 9n * 10n ** 15n, events: 3, unpriced: 0, unpricedModels: new Set<string>() };
 * const s = budgetStatus(b, spend, Date.UTC(2026, 2, 2, 6)); // a quarter of the day gone
 * assert.equal(s.state, "warn");
 * assert.equal(s.forecast, 36n * 10n ** 15n);
 * assert.equal(s.fractionUsed, 0.9);
 * ```
 */
export function budgetStatus(budget: Budget, spend: Spend, now: number): BudgetStatus {
  const spent = spend.units;
  const state: BudgetState = spent > budget.limit
    ? "over"
    : spent * SCALE >= budget.limit * budget.warnAt
    ? "warn"
    : "ok";
  const window = periodWindow(budget.period, now);
  let forecast: bigint | null = null;
  if (window) {
    const elapsed = BigInt(Math.floor(now) - window.start);
    if (elapsed > 0n) forecast = spent * BigInt(window.end - window.start) / elapsed;
  }
  return {
    budget,
    window,
    spend,
    remaining: spent >= budget.limit ? 0n : budget.limit - spent,
    fractionUsed: Number(spent * 1_000_000n / budget.limit) / 1_000_000,
    state,
    forecast,
  };
}

/**
 * The worst state of several (ok for none).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { worstState } from "./budget_status.ts";
 * assert.equal(worstState(["ok", "over", "warn"]), "over");
 * assert.equal(worstState([]), "ok");
 * ```
 */
export function worstState(states: readonly BudgetState[]): BudgetState {
  return STATES[Math.max(0, ...states.map((s) => STATES.indexOf(s)))];
}
