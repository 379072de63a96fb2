/**
 * The columns every tabular format (table, CSV, markdown) shows, so the
 * formats cannot drift apart. The columns depend on the options asked for,
 * never on the data: no column vanishes because it is zero.
 *
 * @module
 */
import { type CostView, exactUsd, type MoneyField, type TotalsView } from "./cost_view.ts";
import { formatUsd, usdToUnits } from "../cost/money.ts";
import { PAYLOAD_FIELDS } from "../event/fields.ts";
import { duration, thousands } from "./html_format.ts";
import { addCounts, type TokenCount } from "../cost/token_sum.ts";

/** The payload's flag field (`success`): its column is the share of runs with it true. */
type FlagKey = Extract<typeof PAYLOAD_FIELDS[number], { kind: "flag" }>["key"];
const FLAG_KEY: FlagKey =
  PAYLOAD_FIELDS.find((f): f is Extract<typeof f, { kind: "flag" }> => f.kind === "flag")!.key;

/** One row to render: a label per key column, and the totals. */
export interface Row {
  /** Key column name to label ("" for a blank cell). */
  labels: Record<string, string>;
  /** The row's sums. */
  totals: TotalsView;
  /** A group, one of its breakdown rows, or the total. */
  kind: "group" | "breakdown" | "total";
}

/** One column: header and how to read a row's value. */
export interface Column {
  /** The header cell. */
  header: string;
  /** Numbers are right-aligned. */
  numeric: boolean;
  /** The cell of `row`. */
  value(row: Row, format: NumberFormat): string;
}

/** How numbers are written: grouped, with `$`, for people; plain for machines. */
export type NumberFormat = "people" | "plain";

/**
 * Extra columns `--columns` adds: the reported and estimated parts of the
 * cost, the success rate and what failed runs cost (these two need the view's
 * failed sums).
 */
export type ExtraColumn =
  | "reported"
  | "estimated"
  | Extract<typeof PAYLOAD_FIELDS[number], { kind: "flag" }>["key"]
  | "failed_cost"
  | "duration";

/** Every extra column, in display order. */
export const EXTRA_COLUMNS: readonly ExtraColumn[] = [
  "reported",
  "estimated",
  FLAG_KEY,
  "failed_cost",
  "duration",
];

/** The extra columns that need the failed runs' sums. */
export const FAILED_COLUMNS: readonly ExtraColumn[] = [FLAG_KEY, "failed_cost"];

/** What to show. */
export interface ColumnOptions {
  /** The narrow set: keys, input, output, cache, cost, events. */
  compact?: boolean;
  /** Extra columns, shown after the others. */
  extra?: readonly ExtraColumn[];
}

// Token sums past 2**53 are BigInts: both print every digit.
const count = (n: TokenCount, f: NumberFormat) =>
  f === "people" ? n.toLocaleString("en-US") : String(n);
/**
 * Money for people in text tables (`cost`'s, `query --format table`'s):
 * `$12,345.6789`, rounded once from the exact units.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { peopleUsd } from "./columns.ts";
 * assert.equal(peopleUsd(12_345_678_949_990_000_000n), "$12,345.6789");
 * assert.equal(peopleUsd(49_999_600_000n), "$0.0000");
 * ```
 */
export function peopleUsd(units: bigint): string {
  const [whole, fraction] = formatUsd(units, 4).split(".");
  return `$${thousands(whole)}.${fraction}`;
}

/** Money from the exact units when the view has them: rounded once, never from a double. */
const usd = (t: TotalsView, field: MoneyField, f: NumberFormat) => {
  const units = exactUsd(t, field) ?? usdToUnits(t[field] ?? 0);
  return f === "plain" ? formatUsd(units, 6) : peopleUsd(units);
};
// Nothing priced at all: a dash says "unknown", where $0.0000 would claim "free".
const cost = (t: TotalsView, f: NumberFormat) =>
  f === "people" && t.event_count > 0 && t.unpriced_event_count === t.event_count
    ? "—"
    : usd(t, "total_cost_usd", f);

/** The share of runs that succeeded: `92.3%` for people, `0.923077` plain; empty without runs. */
const successRate = (t: TotalsView, f: NumberFormat) => {
  if (t.event_count === 0) return "";
  const rate = (t.event_count - (t.failed_event_count ?? 0)) / t.event_count;
  return f === "people" ? `${(rate * 100).toFixed(1)}%` : rate.toFixed(6);
};

/** A run time: short for people (`3.4 min`), whole ms plain; empty when unknown. */
const time = (ms: number | null | undefined, f: NumberFormat) =>
  ms === null || ms === undefined ? "" : f === "people" ? duration(ms) : String(ms);

/** A key's column header: `agent` → `Agent`. */
const title = (key: string) => key[0].toUpperCase() + key.slice(1);

/**
 * The columns for a view: one per group key (and the breakdown key), then
 * the numbers.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { costColumns } from "./columns.ts";
 * const view = { group_by: ["agent", "model"] } as never;
 * const headers = costColumns(view, { compact: true }).map((c) => c.header);
 * assert.deepEqual(headers, ["Agent", "Model", "Input", "Output", "Cache", "Cost", "Events"]);
 * ```
 */
export function costColumns(view: CostView, options: ColumnOptions = {}): Column[] {
  const keys = [...view.group_by, ...(view.breakdown_by ? [view.breakdown_by] : [])];
  const col = (
    header: string,
    pick: (r: TotalsView) => TokenCount,
    fmt: (n: TokenCount, f: NumberFormat) => string = count,
  ): Column => ({ header, numeric: true, value: (r, f) => fmt(pick(r.totals), f) });
  const money = (header: string, field: MoneyField): Column => ({
    header,
    numeric: true,
    value: (r, f) => usd(r.totals, field, f),
  });
  const costColumn = (header: string): Column => ({
    header,
    numeric: true,
    value: (r, f) => cost(r.totals, f),
  });
  const keyColumns = keys.map((k): Column => ({
    header: title(k),
    numeric: false,
    value: (r) => r.labels[k] ?? "",
  }));
  const timeColumn = (header: string, pick: (r: TotalsView) => number | null | undefined) => ({
    header,
    numeric: true,
    value: (r: Row, f: NumberFormat) => time(pick(r.totals), f),
  });
  const extras: Record<ExtraColumn, Column | Column[]> = {
    reported: money("Reported (USD)", "reported_cost_usd"),
    estimated: money("Estimated (USD)", "estimated_cost_usd"),
    [FLAG_KEY]: { header: "Success", numeric: true, value: (r, f) => successRate(r.totals, f) },
    failed_cost: money("Failed Cost (USD)", "failed_cost_usd"),
    duration: [
      timeColumn("Duration", (r) => r.total_duration_ms),
      timeColumn("p50 Duration", (r) => r.duration_p50_ms),
    ],
  };
  const chosen = EXTRA_COLUMNS.filter((c) => options.extra?.includes(c)).flatMap((c) => extras[c]);
  if (options.compact) {
    return [
      ...keyColumns,
      col("Input", (r) => r.total_input_tokens),
      col("Output", (r) => r.total_output_tokens),
      col("Cache", (r) => addCounts(r.total_cache_read_tokens, r.total_cache_write_tokens)),
      costColumn("Cost"),
      col("Events", (r) => r.event_count),
      ...chosen,
    ];
  }
  return [
    ...keyColumns,
    col("Input Tokens", (r) => r.total_input_tokens),
    col("Output Tokens", (r) => r.total_output_tokens),
    col("Cache Read", (r) => r.total_cache_read_tokens),
    col("Cache Write", (r) => r.total_cache_write_tokens),
    costColumn("Cost (USD)"),
    col("Events", (r) => r.event_count),
    col("Estimated", (r) => r.estimated_event_count),
    col("Unpriced", (r) => r.unpriced_event_count),
    ...chosen,
  ];
}

/**
 * The rows: each group (followed by its breakdown rows), then TOTAL when
 * `total` is set. `repeatKeys` fills a breakdown row's group keys (for
 * machines); people see them blank under their group.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { costRows } from "./columns.ts";
 * const view = { group_by: ["agent"], groups: [{ key: { agent: null } }], total: {} } as never;
 * const rows = costRows(view, { total: true });
 * assert.deepEqual(rows.map((r) => r.labels.agent), ["(none)", "TOTAL"]);
 * ```
 */
export function costRows(
  view: CostView,
  options: { total: boolean; repeatKeys?: boolean },
): Row[] {
  const rows: Row[] = [];
  const label = (v: string | null | undefined) => v ?? "(none)";
  for (const g of view.groups) {
    const labels: Record<string, string> = {};
    for (const k of view.group_by) labels[k] = label(g.key[k]);
    rows.push({ labels, totals: g, kind: "group" });
    for (const b of g.breakdown ?? []) {
      const sub: Record<string, string> = {};
      for (const k of view.group_by) sub[k] = options.repeatKeys ? labels[k] : "";
      for (const [k, v] of Object.entries(b.key)) sub[k] = label(v);
      rows.push({ labels: sub, totals: b, kind: "breakdown" });
    }
  }
  if (options.total) {
    rows.push({ labels: { [view.group_by[0]]: "TOTAL" }, totals: view.total, kind: "total" });
  }
  return rows;
}

/**
 * Rows as cells.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { costCells } from "./columns.ts";
 * assert.deepEqual(costCells([], [], "plain"), []);
 * ```
 */
export function costCells(rows: Row[], columns: Column[], format: NumberFormat): string[][] {
  return rows.map((row) => columns.map((c) => c.value(row, format)));
}
