/**
 * The report's budgets section: each budget of `.kittify/budgets.yaml` as
 * `kitty-telemetry budget` computes it (the same statuses and view, at the
 * report's own instant), or how to add a budgets file, or the file's
 * problem. Every string from the data is escaped. Pure.
 *
 * @module
 */
import type { BudgetsView, BudgetView } from "../budget/budget_report.ts";
import type { BudgetStatus } from "../budget/budget_status.ts";
import { esc, usd } from "./html_format.ts";

/** The budgets the report shows: read, missing, or a file with a problem. */
export type ReportBudgets =
  | {
    /** The budgets file was read. */
    state: "read";
    /** Its path. */
    file: string;
    /** What `budget --json` prints for it. */
    view: BudgetsView;
    /** The statuses behind it, in the same order (exact money, rounded once here). */
    statuses: BudgetStatus[];
  }
  | {
    /** There is no budgets file. */
    state: "missing";
    /** Where it would be. */
    file: string;
  }
  | {
    /** The file could not be read or parsed. */
    state: "invalid";
    /** Its path. */
    file: string;
    /** The problem (`file:line: problem`). */
    message: string;
  };

const HOW = `see <code>docs/budgets.md</code> or <code>kitty-telemetry budget --help</code>`;

function row(b: BudgetView, s: BudgetStatus): string {
  const used = Math.max(0, b.fraction_used);
  const period = b.period_label === null ? b.period : `${b.period} ${b.period_label}`;
  return `<tr data-budget="${esc(b.name)}" data-status="${b.status}" data-spent="${b.spent_usd}"` +
    ` data-limit="${b.limit_usd}" data-fraction="${b.fraction_used}">` +
    `<td>${esc(b.name)}</td><td class="text">${esc(period)}</td>` +
    `<td>${usd(s.spend.units)}</td><td>${usd(s.budget.limit)}</td><td>${usd(s.remaining)}</td>` +
    `<td class="bar budget-${b.status}" data-sort="${used}"><span style="width:${
      (Math.min(1, used) * 100).toFixed(1)
    }%"></span></td><td>${(used * 100).toFixed(1)}%</td>` +
    `<td class="text status-${b.status}">${b.status}</td>` +
    `<td>${s.forecast === null ? "—" : usd(s.forecast)}</td></tr>`;
}

const HEAD = ["Budget", "Period", "Spent", "Limit", "Remaining", "", "Used", "Status", "Forecast"];

/**
 * The budgets section.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { budgetSection } from "./html_budgets.ts";
 * const html = budgetSection({ state: "missing", file: ".kittify/budgets.yaml" });
 * assert.match(html, /<section id="budgets"/);
 * assert.match(html, /docs\/budgets\.md/);
 * ```
 */
export function budgetSection(budgets: ReportBudgets): string {
  let body: string;
  if (budgets.state === "missing") {
    body =
      `<p class="note" data-budgets="missing">No budgets file at <code>${
        esc(budgets.file)
      }</code>. To set limits (per feature, agent or model; per day, week, month or in total) and ` +
      `see them here, add one: ${HOW}.</p>`;
  } else if (budgets.state === "invalid") {
    body = `<div class="warn" data-budgets="invalid"><b>The budgets file cannot be used</b>: ${
      esc(budgets.message)
    }. Fix it (${HOW}); <code>kitty-telemetry budget</code> shows the same problem.</div>`;
  } else if (budgets.view.budgets.length === 0) {
    body = `<p class="note" data-budgets="empty">No budgets in <code>${
      esc(budgets.file)
    }</code>: add entries to its <code>budgets:</code> list (${HOW}).</p>`;
  } else {
    const v = budgets.view;
    body = `<div class="scroll"><table data-table="budgets"><thead><tr>${
      HEAD.map((h, i) => `<th${i === 1 || i === 7 ? ' class="text"' : ""}>${h}</th>`).join("")
    }</tr></thead><tbody>${
      v.budgets.map((b, i) => row(b, budgets.statuses[i])).join("")
    }</tbody></table></div>` +
      `<p class="note" data-budgets="${v.status}">As <code>kitty-telemetry budget</code> gives ` +
      `them at ${
        esc(v.at)
      } (UTC periods; each budget's own filters, not the report's), from <code>${
        esc(v.budgets_file)
      }</code>. The forecast is a straight line to the period's end. ` +
      `Worst status: ${v.status}${v.status === "over" ? " (budget exits 3)" : ""}.</p>`;
  }
  return `<section id="budgets" class="wide"><h2>Budgets</h2>${body}</section>`;
}
