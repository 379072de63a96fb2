/**
 * The cost report as a GitHub-flavoured markdown table.
 *
 * @module
 */
import type { CostView } from "./cost_view.ts";
import { type ColumnOptions, costCells, costColumns, costRows } from "./columns.ts";

/**
 * A cell's text as markdown that renders as that text: each character that
 * can start markup in a table cell (backslash, code, emphasis, strikethrough,
 * links, HTML, entities, the cell separator) is backslash-escaped, so a
 * name is never an element, a link or two cells.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { markdownText } from "./markdown.ts";
 * assert.equal(markdownText("x\\|<b>*y*"), "x\\\\\\|\\<b\\>\\*y\\*");
 * assert.equal(markdownText("claude-sonnet-4-5 (none)"), "claude-sonnet-4-5 (none)");
 * ```
 */
export function markdownText(text: string): string {
  return text.replace(/[\\`*_~[\]<>|&]/g, "\\$&");
}

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
  const row = (r: string[]) => `| ${r.join(" | ")} |`;
  const align = `|${columns.map((c) => c.numeric ? " ---: " : " --- ").join("|")}|`;
  const body = cells.map((r) => r.map(markdownText));
  const total = body.pop()!.map((c) => c === "" ? "" : `**${c}**`);
  return [row(columns.map((c) => markdownText(c.header))), align, ...body.map(row), row(total)]
    .join("\n") + "\n";
}
