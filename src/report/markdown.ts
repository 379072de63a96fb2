/**
 * The cost report as a GitHub-flavoured markdown table.
 *
 * @module
 */
import type { CostView } from "./cost_view.ts";
import { type ColumnOptions, costCells, costColumns, costRows } from "./columns.ts";

/**
 * Renders the table; the TOTAL row is bold.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { renderMarkdown } from "./markdown.ts";
 * import { costView } from "./cost_view.ts";
 * import { CostAggregator } from "../cost/aggregate.ts";
 * import { defaultPricing } from "../cost/builtin_pricing.ts";
 * const view = costView(new CostAggregator(["agent"], defaultPricing()), ["agent"], {}, 0);
 * assert.ok(renderMarkdown(view).startsWith("| Agent |"));
 * ```
 */
export function renderMarkdown(view: CostView, options: ColumnOptions = {}): string {
  const columns = costColumns(view, options);
  const cells = costCells(costRows(view, { total: true }), columns, "people");
  const escape = (s: string) => s.replaceAll("|", "\\|");
  const row = (r: string[]) => `| ${r.map(escape).join(" | ")} |`;
  const align = `|${columns.map((c) => c.numeric ? " ---: " : " --- ").join("|")}|`;
  const total = cells.pop()!.map((c) => c === "" ? "" : `**${c}**`);
  return [row(columns.map((c) => c.header)), align, ...cells.map(row), row(total)].join("\n") +
    "\n";
}
