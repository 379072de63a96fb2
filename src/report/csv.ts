/**
 * The cost report as CSV (RFC 4180), same columns as the table, plain numbers.
 *
 * @module
 */
import type { CostView } from "./cost_view.ts";
import { costCells, costColumns } from "./columns.ts";

/**
 * Renders a header row, one row per group and a TOTAL row.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { renderCsv } from "./csv.ts";
 * import { costView } from "./cost_view.ts";
 * import { CostAggregator } from "../cost/aggregate.ts";
 * import { defaultPricing } from "../cost/builtin_pricing.ts";
 * const view = costView(new CostAggregator(["agent"], defaultPricing()), ["agent"], {}, 0);
 * assert.ok(renderCsv(view).startsWith("Group,Input Tokens"));
 * ```
 */
export function renderCsv(view: CostView): string {
  const columns = costColumns(view);
  const rows = [columns.map((c) => c.header), ...costCells(view, columns, "plain")];
  return rows.map((r) => r.map(quote).join(",")).join("\r\n") + "\r\n";
}

function quote(cell: string): string {
  return /[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}
