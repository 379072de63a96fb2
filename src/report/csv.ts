/**
 * The cost report as CSV (RFC 4180), same columns as the table, plain
 * numbers. The columns depend on the options only (never on the data), and
 * the rows are groups only: the total is `--totals`, or the JSON.
 *
 * @module
 */
import type { CostView } from "./cost_view.ts";
import { type ColumnOptions, costCells, costColumns, costRows } from "./columns.ts";

/** CSV options. */
export interface CsvOptions extends ColumnOptions {
  /** Only the TOTAL row (after the header), instead of the groups. */
  totals?: boolean;
}

/**
 * Renders a header row and one row per group (breakdown rows repeat their
 * group's keys), or with `totals` the TOTAL row alone.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { renderCsv } from "./csv.ts";
 * import { costView } from "./cost_view.ts";
 * import { CostAggregator } from "../cost/aggregate.ts";
 * import { defaultPricing } from "../cost/builtin_pricing.ts";
 * const view = costView(new CostAggregator(["agent"], defaultPricing()), ["agent"], {}, 0);
 * assert.equal(renderCsv(view).split("\r\n")[0].split(",")[0], "Agent");
 * ```
 */
export function renderCsv(view: CostView, options: CsvOptions = {}): string {
  const columns = costColumns(view, options);
  const all = costRows(view, { total: options.totals === true, repeatKeys: true });
  const rows = options.totals ? all.filter((r) => r.kind === "total") : all;
  const cells = [columns.map((c) => c.header), ...costCells(rows, columns, "plain")];
  return cells.map((r) => r.map(quote).join(",")).join("\r\n") + "\r\n";
}

function quote(cell: string): string {
  return /[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}
