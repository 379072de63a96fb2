/**
 * The columns every tabular format (table, CSV, markdown) shows, so the
 * formats cannot drift apart.
 *
 * @module
 */
import type { CostView, TotalsView } from "./cost_view.ts";

/** One column: header and how to read a row's value. */
export interface Column {
  header: string;
  numeric: boolean;
  value(row: TotalsView, label: string, format: NumberFormat): string;
}

/** How numbers are written: grouped for people, plain for machines. */
export type NumberFormat = "people" | "plain";

const count = (n: number, f: NumberFormat) =>
  f === "people" ? n.toLocaleString("en-US") : String(n);
const usd = (n: number, f: NumberFormat) =>
  f === "people"
    ? n.toLocaleString("en-US", { minimumFractionDigits: 4, maximumFractionDigits: 4 })
    : n.toFixed(6);

/**
 * The columns for a view: cache columns only when any cache tokens exist.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { costColumns } from "./columns.ts";
 * const view = { total: { total_cache_read_tokens: 0, total_cache_write_tokens: 0 } } as never;
 * assert.ok(costColumns(view)[0].header === "Group");
 * ```
 */
export function costColumns(view: CostView): Column[] {
  const t = view.total;
  const col = (
    header: string,
    pick: (r: TotalsView) => number,
    fmt: (n: number, f: NumberFormat) => string = count,
  ): Column => ({ header, numeric: true, value: (r, _l, f) => fmt(pick(r), f) });
  return [
    { header: "Group", numeric: false, value: (_r, label) => label },
    col("Input Tokens", (r) => r.total_input_tokens),
    col("Output Tokens", (r) => r.total_output_tokens),
    ...(t.total_cache_read_tokens > 0 ? [col("Cache Read", (r) => r.total_cache_read_tokens)] : []),
    ...(t.total_cache_write_tokens > 0
      ? [col("Cache Write", (r) => r.total_cache_write_tokens)]
      : []),
    col("Cost (USD)", (r) => r.total_cost_usd, usd),
    col("Events", (r) => r.event_count),
    col("Estimated", (r) => r.estimated_event_count),
    col("Unpriced", (r) => r.unpriced_event_count),
  ];
}

/**
 * Rows as cells: one per group, then TOTAL.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { costCells } from "./columns.ts";
 * assert.ok(typeof costCells === "function");
 * ```
 */
export function costCells(view: CostView, columns: Column[], format: NumberFormat): string[][] {
  const rows = view.groups.map((g) => columns.map((c) => c.value(g, g.group_key, format)));
  rows.push(columns.map((c) => c.value(view.total, "TOTAL", format)));
  return rows;
}
