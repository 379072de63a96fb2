/**
 * Dated prices: a model's rates are a list of periods, each in force from
 * 00:00 UTC of its `from` date until the next period starts. Rates are
 * exact integers, parsed from decimal strings (never float arithmetic).
 *
 * @module
 */
import { decimalToUnits } from "./money.ts";

/** Rates in 1e-9 USD per million tokens, i.e. 1e-15 USD per token. */
export interface Rates {
  /** Uncached input tokens. */
  input: bigint;
  /** Output tokens, reasoning included. */
  output: bigint;
  /** Input tokens read from the prompt cache. */
  cache_read: bigint;
  /** Input tokens written to the prompt cache (5-minute writes). */
  cache_write: bigint;
  /** Cache writes kept for 1 hour. */
  cache_write_1h: bigint;
}

/** Rates that apply to the whole request once the prompt exceeds a size. */
export interface Tier extends Rates {
  /** Prompt size (input plus cache tokens) above which these rates price the whole request. */
  above_input_tokens: number;
}

/** The prices of one period. */
export interface PricePeriod {
  /** First day in force (`YYYY-MM-DD`, 00:00 UTC); null: since always. */
  from: string | null;
  /** `from` as epoch milliseconds (-Infinity for null). */
  from_ms: number;
  /** The rates below every tier's threshold. */
  rates: Rates;
  /** Sorted by threshold, ascending. */
  tiers: Tier[];
}

/** Rates as decimal strings, USD per million tokens (absent cache rates: see {@linkcode toPeriod}). */
export interface RateSpec {
  /** Uncached input. */
  input: string;
  /** Output. */
  output: string;
  /** Cache reads; default the input rate. */
  cache_read?: string;
  /** Cache writes; default the input rate. */
  cache_write?: string;
  /** 1-hour cache writes; default the cache write rate. */
  cache_write_1h?: string;
}

/** A period as written: rates, tiers, and the day it starts. */
export interface PeriodSpec extends RateSpec {
  /** First day in force; absent: since always. */
  from?: string | null;
  /** Long-context tiers. */
  tiers?: (RateSpec & { above_input_tokens: number })[];
}

/** USD per million (a decimal string) as 1e-9 USD per million. */
export const perMillion = (text: string): bigint => decimalToUnits(text, 9);

/**
 * Builds a period from its decimal rates. Documented defaults: a missing
 * cache read or write rate is the input rate; a missing 1-hour write rate
 * is the (5-minute) write rate.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { toPeriod } from "./price_period.ts";
 * const p = toPeriod({ from: "2025-06-10", input: "2", output: "8", cache_read: "0.5" });
 * assert.equal(p.rates.cache_write, 2_000_000_000n);
 * assert.equal(p.from_ms, Date.UTC(2025, 5, 10));
 * ```
 */
export function toPeriod(spec: PeriodSpec): PricePeriod {
  const from = spec.from ?? null;
  const fromMs = from === null
    ? -Infinity
    : Date.parse(from.length === 10 ? `${from}T00:00:00Z` : from);
  if (Number.isNaN(fromMs)) throw new RangeError(`not a date: ${JSON.stringify(from)}`);
  return {
    from,
    from_ms: fromMs,
    rates: toRates(spec),
    tiers: (spec.tiers ?? []).map((t) => ({
      above_input_tokens: t.above_input_tokens,
      ...toRates(t),
    }))
      .sort((a, b) => a.above_input_tokens - b.above_input_tokens),
  };
}

function toRates(spec: RateSpec): Rates {
  const input = perMillion(spec.input);
  const cacheWrite = spec.cache_write !== undefined ? perMillion(spec.cache_write) : input;
  return {
    input,
    output: perMillion(spec.output),
    cache_read: spec.cache_read !== undefined ? perMillion(spec.cache_read) : input,
    cache_write: cacheWrite,
    cache_write_1h: spec.cache_write_1h !== undefined
      ? perMillion(spec.cache_write_1h)
      : cacheWrite,
  };
}

/**
 * The period in force at `ms` (epoch milliseconds): the last one started
 * by then; before the first start, the first. NaN: the latest.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { periodAt, toPeriod } from "./price_period.ts";
 * const periods = [toPeriod({ input: "10", output: "40" }), toPeriod({ from: "2025-06-10", input: "2", output: "8" })];
 * assert.equal(periodAt(periods, Date.parse("2025-06-09T23:59:59Z")).rates.input, 10_000_000_000n);
 * assert.equal(periodAt(periods, Date.parse("2025-06-10T00:00:00Z")).rates.input, 2_000_000_000n);
 * ```
 */
export function periodAt(periods: readonly PricePeriod[], ms: number): PricePeriod {
  if (periods.length === 1 || Number.isNaN(ms)) return periods[periods.length - 1];
  for (let i = periods.length - 1; i > 0; i--) if (ms >= periods[i].from_ms) return periods[i];
  return periods[0];
}

/**
 * The rates for a request whose prompt (input plus cache tokens) is
 * `prompt` tokens: the last tier it is above, else the base rates.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ratesFor, toPeriod } from "./price_period.ts";
 * const p = toPeriod({ input: "5", output: "25", tiers: [{ above_input_tokens: 200000, input: "10", output: "37.5" }] });
 * assert.equal(ratesFor(p, 200_000).input, 5_000_000_000n);
 * assert.equal(ratesFor(p, 200_001).input, 10_000_000_000n);
 * ```
 */
export function ratesFor(period: PricePeriod, prompt: number): Rates {
  let rates: Rates = period.rates;
  for (const tier of period.tiers) if (prompt > tier.above_input_tokens) rates = tier;
  return rates;
}

/**
 * A rate as USD per million, for display (exact decimal).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rateText } from "./price_period.ts";
 * assert.equal(rateText(1_250_000_000n), "1.25");
 * assert.equal(rateText(37_500_000_000n), "37.5");
 * ```
 */
export function rateText(rate: bigint): string {
  const whole = rate / 1_000_000_000n;
  const frac = (rate % 1_000_000_000n).toString().padStart(9, "0").replace(/0+$/, "");
  return frac === "" ? String(whole) : `${whole}.${frac}`;
}
