/**
 * The report's charts as inline SVG, drawn here (no chart library, no
 * script): deterministic, small, and visible with scripts off or on paper.
 * Every chart is an `<svg class="chart" data-chart=NAME>`; every label goes
 * through {@linkcode esc}. Pure.
 *
 * @module
 */
import { clip, dollars, esc, isolate, usd } from "./html_format.ts";
import type { PeriodSpend } from "./report_data.ts";

/** Series colours (colour-blind safe, Tableau 10); the last is for `other`. */
export const PALETTE: readonly string[] = [
  "#4e79a7",
  "#f28e2b",
  "#59a14f",
  "#e15759",
  "#b07aa1",
  "#76b7b2",
  "#9c9c9c",
];

const f = (n: number) => (Math.round(n * 10) / 10).toString();

/** A colour for series `i` of `n` (`other`, when last, is grey). */
export function colour(i: number, name: string): string {
  return name === "other" ? PALETTE[PALETTE.length - 1] : PALETTE[i % (PALETTE.length - 1)];
}

/** The smallest 1, 2, 2.5 or 5 times a power of ten at or above `v`: a round axis top. */
export function niceCeiling(v: number): number {
  const power = 10 ** Math.floor(Math.log10(v));
  return ([1, 2, 2.5, 5, 10].find((m) => m * power >= v * (1 - 1e-12)) ?? 10) * power;
}

/**
 * Spend per period, stacked by model, with the cumulative spend as a line
 * on its own scale (right axis).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { spendChart } from "./html_charts.ts";
 * const svg = spendChart([{ label: "2026-03-01", by_model: [10n ** 15n] }], ["m"]);
 * assert.match(svg, /<rect class="bar"/);
 * assert.match(svg, /<path class="cumulative"/);
 * ```
 */
export function spendChart(spend: PeriodSpend[], models: string[]): string {
  const W = 760, H = 280, left = 56, right = 64, top = 14, bottom = 42;
  const plotW = W - left - right, plotH = H - top - bottom;
  const totals = spend.map((p) => p.by_model.reduce((a, b) => a + b, 0n));
  const max = niceCeiling(Math.max(...totals.map(dollars), 1e-9));
  const grand = totals.reduce((a, b) => a + b, 0n);
  const slot = plotW / Math.max(spend.length, 1);
  const barW = Math.max(1, Math.min(slot * 0.72, 48));
  const out: string[] = [];
  for (let t = 0; t <= 4; t++) {
    const y = top + plotH - (plotH * t) / 4;
    out.push(`<line class="grid" x1="${left}" x2="${W - right}" y1="${f(y)}" y2="${f(y)}"/>`);
    out.push(
      `<text class="axis" x="${left - 6}" y="${f(y + 4)}" text-anchor="end">${
        esc(usd(BigInt(Math.round((max * t) / 4 * 1e6)) * 10n ** 9n))
      }</text>`,
    );
    out.push(
      `<text class="axis cum" x="${W - right + 6}" y="${f(y + 4)}">${
        esc(usd(grand * BigInt(t) / 4n))
      }</text>`,
    );
  }
  const every = Math.ceil(spend.length / 10);
  let running = 0n;
  const line: string[] = [];
  spend.forEach((period, i) => {
    const x = left + slot * i + (slot - barW) / 2;
    let y = top + plotH;
    period.by_model.forEach((units, m) => {
      if (units <= 0n) return;
      const h = (plotH * dollars(units)) / max;
      y -= h;
      out.push(
        `<rect class="bar" x="${f(x)}" y="${f(y)}" width="${f(barW)}" height="${
          f(Math.max(h, 0.5))
        }" fill="${colour(m, models[m])}"><title>${esc(period.label)} · ${
          esc(isolate(models[m]))
        }: ${esc(usd(units))}</title></rect>`,
      );
    });
    running += totals[i];
    const cy = top + plotH - (grand > 0n ? (plotH * dollars(running)) / dollars(grand) : 0);
    line.push(`${i === 0 ? "M" : "L"}${f(x + barW / 2)} ${f(cy)}`);
    if (i % every === 0) {
      out.push(
        `<text class="axis" x="${f(x + barW / 2)}" y="${H - bottom + 16}" text-anchor="middle">${
          esc(period.label.length === 10 ? period.label.slice(5) : period.label)
        }</text>`,
      );
    }
  });
  if (spend.length > 0) {
    out.push(`<path class="cumulative" d="${line.join(" ")}"/>`);
    const [, last] = line[line.length - 1].slice(1).split(" ");
    const lx = left + slot * (spend.length - 1) + slot / 2;
    out.push(`<circle class="cumulative-dot" cx="${f(lx)}" cy="${last}" r="3"/>`);
  }
  const legend =
    models.map((m, i) =>
      `<span><i style="background:${colour(i, m)}"></i>${esc(isolate(m))}</span>`
    ).join(
      "",
    ) + `<span><i class="line"></i>cumulative (right axis)</span>`;
  return `<div class="scroll"><svg class="chart wide" data-chart="spend" viewBox="0 0 ${W} ${H}" ` +
    `role="img" aria-label="Spend per period, stacked by model, with cumulative spend">${
      out.join("")
    }</svg></div><div class="legend">${legend}</div>`;
}

/** One bar of {@linkcode barChart}: segments stacked left to right. */
export interface BarRow {
  /** The row's label. */
  label: string;
  /** Segment values (same unit across the chart) and their CSS classes. */
  parts: { value: number; cls: string; title: string }[];
  /** The text at the bar's end. */
  text: string;
}

/**
 * Horizontal bars, one per row, each stacked from its parts; `textW` is
 * the room left for the text after the longest bar.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { barChart } from "./html_charts.ts";
 * const svg = barChart("x", [{ label: "<b>", parts: [{ value: 2, cls: "s0", title: "t" }], text: "2" }]);
 * assert.match(svg, /data-chart="x"/);
 * assert.match(svg, /&lt;b&gt;/);
 * ```
 */
export function barChart(name: string, rows: BarRow[], textW = 84): string {
  const W = 400, row = 26, labelW = 124;
  const H = Math.max(row * rows.length + 8, 34);
  const max = Math.max(...rows.map((r) => r.parts.reduce((a, p) => a + p.value, 0)), 1e-12);
  const out: string[] = [];
  rows.forEach((r, i) => {
    const y = 4 + i * row;
    const label = clip(r.label, 20);
    out.push(
      `<text class="label" x="${labelW - 8}" y="${y + 17}" text-anchor="end">${esc(label)}<title>${
        esc(r.label)
      }</title></text>`,
    );
    let x = labelW;
    for (const p of r.parts) {
      if (p.value <= 0) continue;
      const w = ((W - labelW - textW) * p.value) / max;
      out.push(
        `<rect class="${p.cls}" x="${f(x)}" y="${y + 4}" width="${f(Math.max(w, 1))}" height="${
          row - 9
        }" rx="2"><title>${esc(p.title)}</title></rect>`,
      );
      x += w;
    }
    out.push(`<text class="value" x="${f(x + 6)}" y="${y + 17}">${esc(r.text)}</text>`);
  });
  return `<svg class="chart bars" data-chart="${esc(name)}" viewBox="0 0 ${W} ${H}" role="img" ` +
    `aria-label="${esc(name)}">${out.join("")}</svg>`;
}
