/**
 * The cost report as an aligned text table for people.
 *
 * @module
 */
import type { CostView } from "./cost_view.ts";
import { costCells, costColumns } from "./columns.ts";

/** Rendering options. */
export interface TableOptions {
  /** Bold header and TOTAL (ANSI); only for a terminal without NO_COLOR. */
  color?: boolean;
}

/**
 * Renders the table with a TOTAL row, and a note on unpriced events.
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
  const columns = costColumns(view);
  const cells = costCells(view, columns, "people");
  const headers = columns.map((c) => c.header);
  headers[0] = `Group (${view.group_by.join(", ")})`;
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i].length)));
  const line = (row: string[]) =>
    row.map((cell, i) => columns[i].numeric ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))
      .join("  ").trimEnd();
  const bold = (text: string) => options.color ? `\x1b[1m${text}\x1b[0m` : text;
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  const body = cells.slice(0, -1).map(line);
  const out = [bold(line(headers)), rule, ...body, rule, bold(line(cells[cells.length - 1]))];
  const t = view.total;
  if (t.unpriced_event_count > 0) {
    out.push(
      "",
      `${t.unpriced_event_count} event(s) have no reported cost and no price (models: ${
        t.unpriced_models.join(", ")
      }); they count as $0. Add prices in .kittify/pricing.yaml.`,
    );
  }
  if (view.skipped_lines > 0) out.push(`${view.skipped_lines} malformed line(s) skipped.`);
  if (view.duplicate_lines > 0) {
    out.push(`${view.duplicate_lines} duplicate line(s) ignored: each event is counted once.`);
  }
  if (view.conflicting_ids.length > 0) {
    out.push(
      `${view.conflicting_ids.length} id(s) with conflicting lines, each counted once: ${
        view.conflicting_ids.join(", ")
      }.`,
    );
  }
  return out.join("\n") + "\n";
}
