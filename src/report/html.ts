/**
 * The HTML report: one self-contained page (inline style, one small inline
 * script, charts as inline SVG; a Content-Security-Policy that forbids any
 * fetch), from {@linkcode ReportData} aggregates. No I/O: a string out.
 *
 * @module
 */
import type { ReportData } from "./report_data.ts";
import { NONE } from "./run_stats.ts";
import type { TotalsView } from "./cost_view.ts";
import { count, esc, isolate, percent, usd } from "./html_format.ts";
import { REPORT_CSS, SORT_SCRIPT } from "./html_style.ts";
import {
  featureSection,
  outcomeSection,
  pricingSection,
  spendSection,
  topRunsSection,
  whoSection,
} from "./html_sections.ts";
import { budgetSection } from "./html_budgets.ts";

/** Nothing is loaded from anywhere: inline style and script only. */
const CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; " +
  "img-src data:; base-uri 'none'; form-action 'none'";

/**
 * The sections in page order, after the totals. Budgets come first: a
 * budget over its limit is the one thing a reader must not miss.
 */
const SECTIONS: ReadonlyArray<(data: ReportData) => string> = [
  (data) => data.budgets ? budgetSection(data.budgets) : "",
  spendSection,
  featureSection,
  whoSection,
  outcomeSection,
  topRunsSection,
  pricingSection,
];

/**
 * The whole page.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { renderHtml } from "./html.ts";
 * import { reportData } from "./report_data.ts";
 * import { createReducer, REPORT_GROUPS } from "./report_reducer.ts";
 * import { defaultPricing } from "../cost/builtin_pricing.ts";
 * const pricing = defaultPricing();
 * const sums = createReducer({ groupBy: [...REPORT_GROUPS], pricing, filter: {} }).result();
 * const html = renderHtml(reportData(sums, {
 *   pricing, now: new Date(0), filters: {}, skippedLines: 0,
 *   repeats: { duplicateLines: 0, conflictingIds: [] },
 * }));
 * assert.match(html, /^<!doctype html>/);
 * assert.match(html, /data-total="event_count" data-value="0"/);
 * ```
 */
export function renderHtml(data: ReportData): string {
  const filters = Object.entries(data.filters).map(([k, v]) =>
    `--${k} ${(Array.isArray(v) ? v : [String(v)]).map(isolate).join(",")}`
  ).join(" ");
  const first = data.spend[0]?.label;
  const last = data.spend[data.spend.length - 1]?.label;
  const range = first === undefined ? "no events" : first === last ? first : `${first} – ${last}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<title>kitty-telemetry report</title>
<style>${REPORT_CSS}</style></head>
<body><header><h1>Agent spend report</h1>
<p>${esc(range)} · ${filters === "" ? "all events" : `filters: <code>${esc(filters)}</code>`}</p>
<p>Made ${esc(data.generated_at)} by kitty-telemetry · prices checked ${
    esc(data.pricing.updated ?? "(date not stated)")
  }</p></header>
<main>${totalsSection(data)}${SECTIONS.map((render) => render(data)).join("\n")}</main>
<script>${SORT_SCRIPT}</script></body></html>
`;
}

/** The headline numbers; each carries its `cost --json` field name and value in data-* attributes. */
function totalsSection(data: ReportData): string {
  const t = data.total;
  const kpi = (field: keyof TotalsView, label: string, text: string) =>
    `<div class="kpi" data-total="${field}" data-value="${esc(String(t[field]))}"><b>${
      esc(text)
    }</b><span>${esc(label)}</span></div>`;
  const notes: string[] = [];
  if (t.unpriced_event_count > 0) {
    const noModel = t.unpriced_models.includes(NONE);
    const priced = t.unpriced_models.filter((m) => m !== NONE);
    notes.push(
      `<div class="warn" data-unpriced="${t.unpriced_event_count}"><b>${
        count(t.unpriced_event_count)
      } event(s) have no reported cost and no price</b>; they count as $0, so the spend is a lower bound.${
        priced.length > 0
          ? ` Models to price (add them to .kittify/pricing.yaml): ${
            priced.map((m) => `<code>${esc(isolate(m))}</code>`).join(", ")
          }.`
          : ""
      }${
        noModel ? " Some events name no model: record one with <code>emit --model</code>." : ""
      }</div>`,
    );
  }
  const n = data.notes;
  if (n.skipped_lines + n.duplicate_lines + n.conflicting_ids > 0) {
    notes.push(
      `<p class="note">${count(n.skipped_lines)} malformed line(s) skipped, ${
        count(n.duplicate_lines)
      } duplicate line(s) ignored, ${
        count(n.conflicting_ids)
      } conflicting id(s) counted once: run <code>kitty-telemetry verify</code>.</p>`,
    );
  }
  return `<section id="totals" class="wide"><h2>Totals</h2><div class="kpis">
${kpi("total_cost_usd", "total spend", usd(data.money.total))}
${kpi("reported_cost_usd", "reported by agents", usd(data.money.reported))}
${kpi("estimated_cost_usd", "estimated from tokens", usd(data.money.estimated))}
${kpi("event_count", "runs (events)", count(t.event_count))}
${kpi("estimated_event_count", "of them estimated", count(t.estimated_event_count))}
${kpi("unpriced_event_count", "unpriced", count(t.unpriced_event_count))}
${kpi("total_input_tokens", "input tokens", count(t.total_input_tokens))}
${kpi("total_output_tokens", "output tokens", count(t.total_output_tokens))}
${kpi("total_cache_read_tokens", "cache read tokens", count(t.total_cache_read_tokens))}
${kpi("total_cache_write_tokens", "cache write tokens", count(t.total_cache_write_tokens))}
</div><p class="note">Reported ${
    percent(t.reported_cost_usd, t.total_cost_usd)
  } of spend; estimated from tokens and the price table ${
    percent(t.estimated_cost_usd, t.total_cost_usd)
  }.</p>${notes.join("")}</section>`;
}
