/**
 * The report's sections below the totals: spend over time, spend by
 * feature, work package, agent, role and model, what the money bought,
 * the most expensive runs and the prices used. Each returns one
 * `<section>`; every string from the data is escaped. Pure.
 *
 * @module
 */
import type { Outcome, ReportData, Share } from "./report_data.ts";
import { NONE } from "./run_stats.ts";
import { barChart, type BarRow, spendChart } from "./html_charts.ts";
import { count, dollars, duration, esc, isolate, percent, usd, utcMinute } from "./html_format.ts";
import { barCell, type Cell, table } from "./html_table.ts";

const section = (id: string, title: string, body: string, wide = false) =>
  `<section id="${id}"${wide ? ' class="wide"' : ""}><h2>${esc(title)}</h2>${body}</section>`;

const none = (what: string) => `<p class="note">No ${esc(what)} in this selection.</p>`;

/** Spend per day or week, stacked by model, with the cumulative line. */
export function spendSection(data: ReportData): string {
  const body = data.spend.length === 0 ? none("spend") : spendChart(data.spend, data.chart_models);
  return section("spend", `Spend per ${data.period}`, body, true);
}

function shareTable(name: string, label: string, rows: Share[]): string {
  const max = Math.max(0, ...rows.map((r) => dollars(r.cost)));
  return table(
    name,
    [{ label, text: true }, { label: "Cost" }, { label: "" }, { label: "Events" }, {
      label: "Tokens",
    }],
    rows.map((r): Cell[] => [
      { text: r.key },
      { text: usd(r.cost), sort: dollars(r.cost) },
      barCell(dollars(r.cost), max),
      { text: count(r.events), sort: r.events },
      { text: count(r.tokens), sort: Number(r.tokens) },
    ]),
    true,
  );
}

/** Spend by feature and by work package: sortable tables with bars. */
export function featureSection(data: ReportData): string {
  const body = data.by.feature.length === 0
    ? none("features")
    : `<h3>By feature</h3>${
      shareTable("feature", "Feature", data.by.feature)
    }<h3>By work package</h3>${shareTable("wp", "Feature / work package", data.by.wp)}` +
      `<p class="note">Click a header to sort.</p>`;
  return section("features", "Spend by feature and work package", body, true);
}

function costBars(name: string, rows: Share[]): string {
  return barChart(
    name,
    rows.map((r): BarRow => ({
      label: r.key,
      parts: [{ value: dollars(r.cost), cls: "cost", title: `${isolate(r.key)}: ${usd(r.cost)}` }],
      text: usd(r.cost),
    })),
  );
}

/** Spend by agent, by role and by model, as bars. */
export function whoSection(data: ReportData): string {
  const part = (title: string, name: string, rows: Share[]) =>
    `<div><h3>${esc(title)}</h3>` + (rows.length === 0 ? none(name) : costBars(name, rows)) +
    "</div>";
  return section(
    "who",
    "Spend by agent, role and model",
    `<div class="cols">${
      part("By agent", "agents", data.by.agent) + part("By role", "roles", data.by.role) +
      part("By model", "models", data.by.model)
    }</div>`,
    true,
  );
}

function outcomeTable(name: string, label: string, rows: Outcome[]): string {
  return table(
    name,
    [{ label, text: true }, { label: "Runs" }, { label: "Success" }, { label: "Failed" }, {
      label: "Spent on failures",
    }, { label: "Per success" }],
    rows.map((r): Cell[] => [
      { text: r.key },
      { text: count(r.runs), sort: r.runs },
      { text: percent(r.runs - r.failed, r.runs), sort: r.runs ? (r.runs - r.failed) / r.runs : 0 },
      { text: count(r.failed), sort: r.failed, cls: r.failed > 0 ? "failed" : undefined },
      { text: usd(r.failed_cost), sort: dollars(r.failed_cost) },
      r.cost_per_success === null
        ? { text: "—", sort: 0 }
        : { text: usd(r.cost_per_success), sort: dollars(r.cost_per_success) },
    ]),
    true,
  );
}

/** Failures, cost per success, cache savings, durations. */
export function outcomeSection(data: ReportData): string {
  const byAgent = new Map(data.by.agent.map((s) => [s.key, s]));
  const failedChart = barChart(
    "outcome",
    data.outcomes.agent.map((o): BarRow => {
      const spent = byAgent.get(o.key)?.cost ?? 0n;
      return {
        label: o.key,
        parts: [
          {
            value: dollars(spent - o.failed_cost),
            cls: "ok",
            title: `succeeded: ${usd(spent - o.failed_cost)}`,
          },
          { value: dollars(o.failed_cost), cls: "failed", title: `failed: ${usd(o.failed_cost)}` },
        ],
        text: o.failed_cost > 0n ? `${usd(o.failed_cost)} failed` : "no failures",
      };
    }),
  );
  const failedTotal = data.outcomes.agent.reduce((a, o) => a + o.failed_cost, 0n);
  const saved = data.savings.reduce((a, s) => a + s.saved, 0n);
  const savings = data.savings.length === 0 ? none("cache reads of priced models") : barChart(
    "savings",
    data.savings.map((s): BarRow => ({
      label: s.model,
      parts: [{
        value: dollars(s.saved),
        cls: "saved",
        title: `${count(s.cache_read_tokens)} cache read tokens`,
      }],
      text: usd(s.saved),
    })),
  );
  const durations = data.durations.length === 0 ? none("runs") : barChart(
    "durations",
    data.durations.map((d): BarRow => ({
      label: d.agent,
      parts: [
        { value: d.p50, cls: "p50", title: `p50 ${duration(d.p50)}` },
        { value: Math.max(0, d.p90 - d.p50), cls: "p90", title: `p90 ${duration(d.p90)}` },
      ],
      text: `${duration(d.p50)} / ${duration(d.p90)}`,
    })),
    150,
  );
  const body = data.outcomes.agent.length === 0 ? none("runs") : `<div class="cols two"><div>
<div class="kpis"><div class="kpi" data-kpi="failed-cost"><b>${
    esc(usd(failedTotal))
  }</b><span>spent on failed runs</span></div>
<div class="kpi" data-kpi="cache-saved"><b>${
    esc(usd(saved))
  }</b><span>saved by cache reads (at list prices)</span></div></div>
<h3>Succeeded and failed spend per agent</h3>${failedChart}
<div class="legend"><span><i style="background:var(--good)"></i>succeeded</span><span><i style="background:var(--bad)"></i>failed</span></div>
<h3>Per agent</h3>${outcomeTable("outcome-agent", "Agent", data.outcomes.agent)}
</div><div><h3>Per model</h3>${outcomeTable("outcome-model", "Model", data.outcomes.model)}
<h3>Cache savings per model</h3>${savings}
<p class="note">What the cache reads would have cost as uncached input at the model's price, minus what they cost.</p>
<h3>Duration p50 / p90 per agent</h3>${durations}
<div class="legend"><span><i style="background:#76b7b2"></i>p50</span><span><i style="background:#b07aa1"></i>p90</span></div>
<p class="note">Percentiles from a log-scale histogram: within 2.2% of the exact value.</p>
</div></div>`;
  return section("outcomes", "What the money bought", body, true);
}

/** The most expensive runs. */
export function topRunsSection(data: ReportData): string {
  const body = data.top.length === 0 ? none("runs") : table(
    "top",
    [
      { label: "Cost" },
      { label: "Feature", text: true },
      { label: "WP", text: true },
      { label: "Agent", text: true },
      { label: "Model", text: true },
      { label: "Tokens" },
      { label: "Duration" },
      { label: "When (UTC)", text: true },
    ],
    data.top.map((r): Cell[] => [
      { text: usd(r.cost), sort: dollars(r.cost), cls: r.success ? undefined : "failed" },
      { text: r.feature, cls: "text" },
      { text: r.wp ?? NONE, cls: "text" },
      { text: r.agent ?? NONE, cls: "text" },
      { text: r.model ?? NONE, cls: "text" },
      { text: count(r.tokens), sort: Number(r.tokens) },
      { text: duration(r.duration_ms), sort: r.duration_ms },
      { text: utcMinute(r.timestamp), cls: "text" },
    ]),
    true,
  ) + `<p class="note">Failed runs' costs in red.</p>`;
  return section(
    "top",
    `The ${data.top.length || ""} most expensive runs`.replace("  ", " "),
    body,
    true,
  );
}

/** The prices used, and when the table and the report were made. */
export function pricingSection(data: ReportData): string {
  const rate = (v: string) => `$${v}`;
  const rows = data.pricing.used.map((p): Cell[] => [
    { text: p.model },
    { text: rate(p.rates.input) },
    { text: rate(p.rates.output) },
    { text: rate(p.rates.cache_read) },
    { text: rate(p.rates.cache_write) },
    { text: p.source, cls: "text" },
  ]);
  const body = (rows.length === 0 ? none("priced models") : table(
    "pricing",
    [
      { label: "Model", text: true },
      { label: "Input" },
      { label: "Output" },
      {
        label: "Cache read",
      },
      { label: "Cache write" },
      { label: "Source", text: true },
    ],
    rows,
  )) +
    `<p class="note">USD per million tokens. Prices checked: ${
      esc(data.pricing.updated ?? "not stated")
    }; rates in force when the report was made, ${esc(data.generated_at)}.</p>`;
  return section("pricing", "Prices used", body, true);
}
