/**
 * What the HTML report shows, as plain aggregates: built from the report
 * reducer's sums (cost groups counted once, run statistics), the pricing
 * table and the time it was made. No raw events: its size grows with the
 * number of features, work packages, agents, models and days, not events.
 * Pure.
 *
 * @module
 */
import type { Group } from "../cost/aggregate.ts";
import { findPrice, type PricingTable } from "../cost/pricing.ts";
import { periodAt, rateText } from "../cost/price_period.ts";
import { costView, type Repeats, type TotalsView } from "./cost_view.ts";
import { percentile } from "./duration_histogram.ts";
import type { ReportPartial } from "./report_reducer.ts";
import { NONE } from "./run_stats.ts";
import { costOf } from "./spend_over_time.ts";
import type { Run } from "./top_runs.ts";
import type { ReportBudgets } from "./html_budgets.ts";
import { addCounts, type TokenCount, tokenCount } from "../cost/token_sum.ts";
import { type PeriodSpend, spendOverTime } from "./spend_over_time.ts";

export type { PeriodSpend };

/** One row of a breakdown (money in 1e-15 USD). */
export interface Share {
  /** The row's label (`(none)` for a missing value). */
  key: string;
  /** Reported plus estimated. */
  cost: bigint;
  /** Events counted. */
  events: number;
  /** Tokens of every kind (exact: a BigInt past 2**53). */
  tokens: TokenCount;
}

/** What the runs of one agent or model bought. */
export interface Outcome {
  /** Agent or model. */
  key: string;
  /** Runs counted. */
  runs: number;
  /** Of those, failed. */
  failed: number;
  /** Spend on failed runs. */
  failed_cost: bigint;
  /** Spend on successful runs divided by their number; null with none. */
  cost_per_success: bigint | null;
}

/** Duration percentiles of one agent, in ms (within 2.2%: see `duration_histogram.ts`). */
export interface Durations {
  /** The agent. */
  agent: string;
  /** Runs timed. */
  runs: number;
  /** Median. */
  p50: number;
  /** 90th percentile. */
  p90: number;
}

/** Cache savings for one model: cache reads priced as input, minus their price. */
export interface Saving {
  /** The canonical model. */
  model: string;
  /** Its cache read tokens. */
  cache_read_tokens: TokenCount;
  /** What they saved, 1e-15 USD. */
  saved: bigint;
}

/** A price used: per million tokens, as the table writes it. */
export interface PriceUsed {
  /** Canonical id. */
  model: string;
  /** Input, output, cache read and cache write, USD per million tokens. */
  rates: Record<"input" | "output" | "cache_read" | "cache_write", string>;
  /** Where the entry came from. */
  source: string;
}

/** The whole report. */
export interface ReportData {
  /** When it was made (ISO 8601 UTC). */
  generated_at: string;
  /** The filters given, as `cost --json` echoes them. */
  filters: Record<string, unknown>;
  /** The totals, exactly as `cost --json` gives them. */
  total: TotalsView;
  /** The total's money unrounded (1e-15 USD), for display. */
  money: { total: bigint; reported: bigint; estimated: bigint };
  /** Lines skipped, duplicates ignored, conflicts. */
  notes: { skipped_lines: number; duplicate_lines: number; conflicting_ids: number };
  /** `day`, or `week` for ranges over `WEEKLY_AFTER_DAYS` days. */
  period: "day" | "week";
  /** The models the spend chart stacks, most spent first (the rest as `other`). */
  chart_models: string[];
  /** Spend per period, in time order (days with no spend included). */
  spend: PeriodSpend[];
  /** Spend by feature, by feature and work package, agent, role, model: most spent first. */
  by: { feature: Share[]; wp: Share[]; agent: Share[]; role: Share[]; model: Share[] };
  /** Success and failure spend per agent and per model. */
  outcomes: { agent: Outcome[]; model: Outcome[] };
  /** Cache savings per model, most saved first. */
  savings: Saving[];
  /** Duration percentiles per agent. */
  durations: Durations[];
  /** The most expensive runs. */
  top: Run[];
  /** The pricing table's date and the prices of the models met. */
  pricing: { updated: string | null; used: PriceUsed[] };
  /** The budgets and their status at `generated_at` (none given: no budgets section). */
  budgets?: ReportBudgets;
}

/** Models the spend chart stacks by name; the rest are summed as `other`. */
export const CHART_MODELS = 6;
/** The label of the summed rest. */
export const OTHER = "other";

/** What {@linkcode reportData} needs beyond the sums. */
export interface ReportContext {
  pricing: PricingTable;
  now: Date;
  filters: Record<string, unknown>;
  skippedLines: number;
  repeats: Repeats;
  /** The budgets at `now`, as `budget` computes them (see `cli/budget.ts`). */
  budgets?: ReportBudgets;
}

/**
 * The report's aggregates from the reducer's sums (cost groups already
 * counted once: see `cli/report.ts`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { reportData } from "./report_data.ts";
 * import { createReducer, REPORT_GROUPS } from "./report_reducer.ts";
 * import { defaultPricing } from "../cost/builtin_pricing.ts";
 * const pricing = defaultPricing();
 * const sums = createReducer({ groupBy: [...REPORT_GROUPS], pricing, filter: {} }).result();
 * const data = reportData(sums, {
 *   pricing, now: new Date(0), filters: {}, skippedLines: 0,
 *   repeats: { duplicateLines: 0, conflictingIds: [] },
 * });
 * assert.equal(data.total.event_count, 0);
 * assert.equal(data.spend.length, 0);
 * ```
 */
export function reportData(sums: ReportPartial, context: ReportContext): ReportData {
  const groups = sums.dimensions;
  const view = costView(
    { total: sums.cost.total, groups: () => [] },
    [],
    context.filters,
    context.skippedLines,
    context.repeats,
  );
  const by = {
    feature: shares(groups, (k) => [k.feature]),
    wp: shares(groups, (k) => [k.feature, k.wp]),
    agent: shares(groups, (k) => [k.agent]),
    role: shares(groups, (k) => [k.role]),
    model: shares(groups, (k) => [k.model]),
  };
  const models = by.model.map((s) => s.key);
  const named = models.length > CHART_MODELS ? models.slice(0, CHART_MODELS - 1) : models;
  const chartModels = named.length < models.length ? [...named, OTHER] : named;
  const { period, spend } = spendOverTime(sums.days, chartModels, OTHER);
  return {
    generated_at: context.now.toISOString(),
    filters: context.filters,
    total: view.total,
    money: {
      total: costOf(sums.cost.total),
      reported: sums.cost.total.reported,
      estimated: sums.cost.total.estimated,
    },
    notes: {
      skipped_lines: view.skipped_lines,
      duplicate_lines: view.duplicate_lines,
      conflicting_ids: view.conflicting_ids.length,
    },
    period,
    chart_models: chartModels,
    spend,
    by,
    outcomes: {
      agent: outcomes(by.agent, sums.runs.failed, (k) => k.agent),
      model: outcomes(by.model, sums.runs.failed, (k) => k.model),
    },
    savings: [...sums.runs.savings].map(([model, saved]) => ({
      model,
      cache_read_tokens: by.model.find((s) => s.key === model)?.tokens_cache_read ?? 0,
      saved,
    })).sort((a, b) => compareBig(b.saved, a.saved) || cmp(a.model, b.model)),
    durations: [...sums.runs.durations].map(([agent, h]) => ({
      agent,
      runs: [...h.values()].reduce((a, b) => a + b, 0),
      p50: percentile(h, 0.5) ?? 0,
      p90: percentile(h, 0.9) ?? 0,
    })).sort((a, b) => cmp(a.agent, b.agent)),
    top: sums.runs.top,
    budgets: context.budgets,
    pricing: {
      updated: context.pricing.updated,
      used: models.flatMap((model) => {
        const price = findPrice(context.pricing, model);
        if (!price) return [];
        // The rates in force when the report is made.
        const r = periodAt(price.periods, context.now.getTime()).rates;
        const rates = {
          input: rateText(r.input),
          output: rateText(r.output),
          cache_read: rateText(r.cache_read),
          cache_write: rateText(r.cache_write),
        };
        return [{ model: price.id, rates, source: price.source }];
      }),
    },
  };
}

export { costOf };

function shares(
  groups: Group[],
  keyOf: (key: Record<string, string | null>) => (string | null)[],
): (Share & { tokens_cache_read: TokenCount })[] {
  const rows = new Map<string, Share & { tokens_cache_read: TokenCount }>();
  for (const { key, totals: t } of groups) {
    const label = keyOf(key).map((v) => v ?? NONE).join(" / ");
    let row = rows.get(label);
    if (!row) {
      rows.set(label, row = { key: label, cost: 0n, events: 0, tokens: 0, tokens_cache_read: 0 });
    }
    row.cost += costOf(t);
    row.events += t.event_count;
    const tokens = t.input_tokens + t.output_tokens + t.cache_read_tokens + t.cache_write_tokens;
    row.tokens = addCounts(row.tokens, tokenCount(tokens));
    row.tokens_cache_read = addCounts(row.tokens_cache_read, tokenCount(t.cache_read_tokens));
  }
  return [...rows.values()].sort((a, b) => compareBig(b.cost, a.cost) || cmp(a.key, b.key));
}

function outcomes(
  rows: Share[],
  failed: Group[],
  valueOf: (key: Group["key"]) => string | null | undefined,
): Outcome[] {
  return rows.map((row) => {
    let failedRuns = 0;
    let failedCost = 0n;
    for (const g of failed) {
      if ((valueOf(g.key) ?? NONE) !== row.key) continue;
      failedRuns += g.totals.event_count;
      failedCost += costOf(g.totals);
    }
    const good = row.events - failedRuns;
    return {
      key: row.key,
      runs: row.events,
      failed: failedRuns,
      failed_cost: failedCost,
      cost_per_success: good > 0 ? (row.cost - failedCost) / BigInt(good) : null,
    };
  });
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const compareBig = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);
