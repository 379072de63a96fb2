/**
 * Budgets shown: the JSON view (the stable contract for programs) and an
 * aligned table for people, both from the same statuses. Pure.
 *
 * @module
 */
import { formatUsd, unitsToNumber, usdToUnits } from "../cost/money.ts";
import { type BudgetState, type BudgetStatus, worstState } from "./budget_status.ts";
import { periodLabel } from "./period.ts";
import { alignRows } from "../text_table.ts";

/** One budget in `budget --json`. Money in USD rounded to 6 decimals. */
export interface BudgetView {
  /** The budget's name. */
  name: string;
  /** Its filters, as in the file (each a list). */
  filters: Record<string, string[]>;
  /** total, day, week or month. */
  period: string;
  /** The current period as `cost` labels it (`2026-03-02`, `2026-W10`, `2026-03`), or null. */
  period_label: string | null;
  /** The current period's first instant (ISO), or null for total. */
  period_start: string | null;
  /** The instant after it ends (ISO), or null for total. */
  period_end: string | null;
  /** Spent in the period (reported cost, else estimated from tokens). */
  spent_usd: number;
  /** The limit. */
  limit_usd: number;
  /** The limit less the spent amount, never below 0. */
  remaining_usd: number;
  /** Spent / limit (1 = the whole limit). */
  fraction_used: number;
  /** The fraction at which the budget warns. */
  warn_at: number;
  /** ok, warn or over. */
  status: BudgetState;
  /** Straight-line forecast to the period's end; null for total. */
  forecast_usd: number | null;
  /** Events counted. */
  event_count: number;
  /** Of those, events with no cost and no price (counted as $0). */
  unpriced_event_count: number;
}

/** `budget --json`. */
export interface BudgetsView {
  /** The budgets file read. */
  budgets_file: string;
  /** The instant the periods and forecasts are taken at (ISO). */
  at: string;
  /** The worst status of all budgets. */
  status: BudgetState;
  /** Each budget, in file order. */
  budgets: BudgetView[];
}

/**
 * The JSON view of `statuses` taken at `now` from `file`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { budgetsView } from "./budget_report.ts";
 * const view = budgetsView([], "b.yaml", 0);
 * assert.equal(view.status, "ok");
 * assert.equal(view.at, "1970-01-01T00:00:00.000Z");
 * ```
 */
export function budgetsView(
  statuses: readonly BudgetStatus[],
  file: string,
  now: number,
): BudgetsView {
  return {
    budgets_file: file,
    at: new Date(now).toISOString(),
    status: worstState(statuses.map((s) => s.state)),
    budgets: statuses.map((s) =>
      withUnits(s, {
        name: s.budget.name,
        filters: Object.fromEntries(s.budget.filters),
        period: s.budget.period,
        period_label: periodLabel(s.budget.period, now),
        period_start: s.window && new Date(s.window.start).toISOString(),
        period_end: s.window && new Date(s.window.end).toISOString(),
        spent_usd: unitsToNumber(s.spend.units),
        limit_usd: unitsToNumber(s.budget.limit),
        remaining_usd: unitsToNumber(s.remaining),
        fraction_used: s.fractionUsed,
        warn_at: s.budget.warnFraction,
        status: s.state,
        forecast_usd: s.forecast === null ? null : unitsToNumber(s.forecast),
        event_count: s.spend.events,
        unpriced_event_count: s.spend.unpriced,
      })
    ),
  };
}

const HEADERS = ["Budget", "Period", "Spent", "Limit", "Remaining", "Used", "Status", "Forecast"];
const NUMERIC = [false, false, true, true, true, true, false, true];

type MoneyField = "spent_usd" | "limit_usd" | "remaining_usd" | "forecast_usd";

// The exact units behind each view's money, for the table (the view's
// numbers are already rounded to 6 decimals: rounding them again to 4
// would round twice).
const EXACT = new WeakMap<BudgetView, Partial<Record<MoneyField, bigint>>>();

function withUnits(s: BudgetStatus, view: BudgetView): BudgetView {
  EXACT.set(view, {
    spent_usd: s.spend.units,
    limit_usd: s.budget.limit,
    remaining_usd: s.remaining,
    ...(s.forecast === null ? {} : { forecast_usd: s.forecast }),
  });
  return view;
}

/**
 * Budget money for people (the table, its notes, `emit --check-budgets`):
 * 4 decimals with thousands separators, rounded once from exact units; an
 * amount that is not 0 yet would show as 0.0000 gets 6 (a limit may be as
 * small as 0.000001).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { budgetUsd } from "./budget_report.ts";
 * assert.equal(budgetUsd(1_234_500_049_990_000_000n), "1,234.5000");
 * assert.equal(budgetUsd(1_000_000_000n), "0.000001");
 * assert.equal(budgetUsd(0n), "0.0000");
 * ```
 */
export function budgetUsd(units: bigint): string {
  const decimals = units > 0n && formatUsd(units, 4) === "0.0000" ? 6 : 4;
  const [whole, fraction] = formatUsd(units, decimals).split(".");
  return `${BigInt(whole).toLocaleString("en-US")}.${fraction}`;
}

const money = (b: BudgetView, field: MoneyField): string => {
  const value = b[field];
  return value === null ? "-" : budgetUsd(EXACT.get(b)?.[field] ?? usdToUnits(value));
};

/**
 * The table for people: one row per budget, then a line per budget that
 * warns or is over, and a note on unpriced events.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { budgetsView, renderBudgetTable } from "./budget_report.ts";
 * assert.match(renderBudgetTable(budgetsView([], "b.yaml", 0)), /No budgets/);
 * ```
 */
export function renderBudgetTable(view: BudgetsView): string {
  if (view.budgets.length === 0) return `No budgets in ${view.budgets_file}.\n`;
  const rows = view.budgets.map((b) => [
    b.name,
    b.period_label === null ? b.period : `${b.period} ${b.period_label}`,
    money(b, "spent_usd"),
    money(b, "limit_usd"),
    money(b, "remaining_usd"),
    `${(b.fraction_used * 100).toFixed(1)}%`,
    b.status,
    money(b, "forecast_usd"),
  ]);
  const out = alignRows([HEADERS, null, ...rows], NUMERIC);
  const notes = view.budgets.filter((b) => b.status !== "ok").map((b) =>
    b.status === "over"
      ? `over: ${JSON.stringify(b.name)} has spent $${money(b, "spent_usd")} of $${
        money(b, "limit_usd")
      } (exit code 3).`
      : `warn: ${JSON.stringify(b.name)} has used ${(b.fraction_used * 100).toFixed(1)}% ` +
        `(warns from ${(b.warn_at * 100).toFixed(0)}%).`
  );
  const unpriced = view.budgets.reduce((n, b) => n + b.unpriced_event_count, 0);
  if (unpriced > 0) {
    notes.push(
      `Some events have no reported cost and no price: they count as $0 (see \`cost\`). ` +
        `Add prices in .kittify/pricing.yaml.`,
    );
  }
  if (notes.length > 0) out.push("", ...notes);
  return out.join("\n") + "\n";
}
