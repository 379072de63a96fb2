/**
 * Text for the HTML report: escaping (every string from the data goes
 * through {@linkcode esc}), money, token counts and durations. Pure.
 *
 * @module
 */
import { formatUsd } from "../cost/money.ts";
import type { TokenCount } from "../cost/token_sum.ts";
import { isoInstantMs } from "../event/iso_time.ts";

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * Text made safe for HTML content and quoted attribute values.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { esc } from "./html_format.ts";
 * assert.equal(esc(`<script>"x"&'y'`), "&lt;script&gt;&quot;x&quot;&amp;&#39;y&#39;");
 * ```
 */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

const FSI = "\u2068", PDI = "\u2069";

/**
 * A name from the data set apart for the bidi algorithm (first strong
 * isolate ... pop directional isolate), for text that holds more than the
 * name: its right-to-left letters or unbalanced bidi controls then cannot
 * reorder the money or the names written next to it. Printable ASCII has
 * neither, so it is left as it is. Escape the result.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isolate } from "./html_format.ts";
 * assert.equal(`${isolate("m\u202e")}: $1`, "\u2068m\u202e\u2069: $1");
 * assert.equal(isolate("claude-opus-4"), "claude-opus-4");
 * ```
 */
export function isolate(name: string): string {
  return /^[\x20-\x7e]*$/.test(name) ? name : FSI + name + PDI;
}

const GRAPHEMES = new Intl.Segmenter("en", { granularity: "grapheme" });

/**
 * A text cut to at most `max` characters as people count them (grapheme
 * clusters: an emoji, a letter with its accents), the last one `…` when cut.
 * Never half a surrogate pair or half an emoji sequence.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { clip } from "./html_format.ts";
 * assert.equal(clip("ab😀cd", 4), "ab😀…");
 * assert.equal(clip("ab😀c", 4), "ab😀c");
 * ```
 */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const parts = [...GRAPHEMES.segment(text)].map((s) => s.segment);
  return parts.length <= max ? text : parts.slice(0, max - 1).join("") + "…";
}

/**
 * Thousands separators on a run of digits (the whole part of a decimal).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { thousands } from "./html_format.ts";
 * assert.equal(thousands("1234567"), "1,234,567");
 * ```
 */
export function thousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/**
 * Money for people: `$1,234.57`; below half a cent, 4 decimals (`$0.0042`),
 * and 6 where 4 would still read as zero (`$0.000020`), so small spends do
 * not read as zero. Rounded once, from exact units.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { usd } from "./html_format.ts";
 * assert.equal(usd(1_234_567_000_000_000_000n), "$1,234.57");
 * assert.equal(usd(4_200_000_000_000n), "$0.0042");
 * assert.equal(usd(20_000_000_000n), "$0.000020");
 * assert.equal(usd(0n), "$0.00");
 * ```
 */
export function usd(units: bigint): string {
  const decimals = units <= 0n || units >= 5_000_000_000_000n ? 2 : units < 50_000_000_000n ? 6 : 4;
  const [whole, fraction] = formatUsd(units, decimals).split(".");
  return `$${thousands(whole)}.${fraction}`;
}

/**
 * A count with thousands separators (a BigInt token sum with every digit).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { count } from "./html_format.ts";
 * assert.equal(count(61429700), "61,429,700");
 * ```
 */
export function count(n: TokenCount): string {
  return thousands(String(typeof n === "bigint" ? n : Math.round(n)));
}

/**
 * A duration in ms, short: `850 ms`, `42 s`, `12.5 min`, `4.97 h`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { duration } from "./html_format.ts";
 * assert.equal(duration(203_000), "3.4 min");
 * ```
 */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  if (ms < 3_600_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 3_600_000).toFixed(2)} h`;
}

/**
 * An event's timestamp as its UTC minute (`YYYY-MM-DD HH:MM`), whatever offset
 * it was written with.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { utcMinute } from "./html_format.ts";
 * assert.equal(utcMinute("2026-01-01T00:30:00+02:00"), "2025-12-31 22:30");
 * assert.equal(utcMinute("2026-02-16T11:12:33.324349+00:00"), "2026-02-16 11:12");
 * ```
 */
export function utcMinute(timestamp: string): string {
  const ms = isoInstantMs(timestamp);
  const utc = Number.isFinite(ms) ? new Date(ms).toISOString() : timestamp;
  return utc.slice(0, 16).replace("T", " ");
}

/**
 * A ratio as a percentage with one decimal (`—` for none).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { percent } from "./html_format.ts";
 * assert.equal(percent(1, 3), "33.3%");
 * assert.equal(percent(0, 0), "—");
 * ```
 */
export function percent(part: number, whole: number): string {
  return whole === 0 ? "—" : `${(100 * part / whole).toFixed(1)}%`;
}

/** Units of 1e-15 USD as a double in dollars, for geometry and sorting only (never shown). */
export function dollars(units: bigint): number {
  return Number(units) / 1e15;
}
