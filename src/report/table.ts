/**
 * The cost report as an aligned text table for people.
 *
 * @module
 */
import type { CostView } from "./cost_view.ts";
import { type ColumnOptions, costCells, costColumns, costRows } from "./columns.ts";
import { alignRows } from "../text_table.ts";

/** Rendering options. */
export interface TableOptions extends ColumnOptions {
  /** Bold header and TOTAL (ANSI); only for a terminal without NO_COLOR. */
  color?: boolean;
  /**
   * The width available (a terminal's columns): a table wider than this
   * drops to the compact columns. Unset: no limit.
   */
  width?: number;
}

/**
 * Renders the table with a TOTAL row. Notes (unpriced events, skipped
 * lines) are not part of it: see `costNotes`, for stderr.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { renderTable } from "./table.ts";
 * import { costView } from "./cost_view.ts";
 * import { CostAggregator } from "../cost/aggregate.ts";
 * import { defaultPricing } from "../cost/builtin_pricing.ts";
 * const view = costView(new CostAggregator(["agent"], defaultPricing()), ["agent"], {}, 0);
 * assert.ok(renderTable(view).startsWith("No execution events"));
 * ```
 */
export function renderTable(view: CostView, options: TableOptions = {}): string {
  if (view.total.event_count === 0) return "No execution events match.\n";
  const full = layout(view, options);
  const fits = options.width === undefined || full.width <= options.width;
  const chosen = options.compact || !fits ? layout(view, { ...options, compact: true }) : full;
  const bold = (text: string) => options.color ? `\x1b[1m${text}\x1b[0m` : text;
  const { lines } = chosen;
  return [bold(lines[0]), ...lines.slice(1, -1), bold(lines[lines.length - 1])].join("\n") + "\n";
}

function layout(view: CostView, options: ColumnOptions): { lines: string[]; width: number } {
  const columns = costColumns(view, options);
  const cells = costCells(costRows(view, { total: true }), columns, "people");
  const headers = columns.map((c) => c.header);
  const lines = alignRows(
    [headers, null, ...cells.slice(0, -1), null, cells.at(-1)!],
    columns.map((c) => c.numeric),
  );
  return { lines, width: lines[1].length };
}
