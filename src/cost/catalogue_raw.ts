/**
 * The catalogue's own data (the package's providers, or its published
 * `data.json`) into our compact form: the providers we take, their
 * token-priced models, start-date periods (time-of-day ones dropped) and
 * the five token prices as decimal strings. Pure.
 *
 * @module
 */
import { isMatchRule, type MatchRule } from "./match_rule.ts";
import {
  type Catalogue,
  type CatalogueModel,
  type CataloguePeriod,
  type CataloguePrice,
  type CatalogueProvider,
  PRICE_KEYS,
} from "./catalogue.ts";

type Raw = Record<string, unknown>;

/**
 * A number as its decimal string: a string already (JSON read with its
 * source text) or a number's shortest form, which is the literal written.
 */
function decimal(value: unknown, where: string): string {
  if (typeof value === "string" && /^\d+(\.\d+)?([eE][+-]?\d+)?$/.test(value)) return value;
  if (typeof value === "number" && Number.isFinite(value) && value >= 0) return String(value);
  throw new TypeError(`${where}: expected a non-negative number, got ${JSON.stringify(value)}`);
}

function price(value: unknown, where: string): CataloguePrice {
  if (typeof value === "object" && value !== null && "base" in value) {
    const v = value as { base: unknown; tiers: unknown };
    if (!Array.isArray(v.tiers)) throw new TypeError(`${where}: tiers is not a list`);
    return {
      base: decimal(v.base, where),
      tiers: v.tiers.map((t: Raw) => {
        const start = Number(t.start);
        if (!Number.isSafeInteger(start) || start < 0) {
          throw new TypeError(`${where}: bad tier start`);
        }
        return { start, price: decimal(t.price, where) };
      }),
    };
  }
  return decimal(value, where);
}

function period(raw: Raw, where: string): CataloguePeriod | null {
  const out: CataloguePeriod = {};
  for (const [theirs, ours] of Object.entries(PRICE_KEYS)) {
    if (raw[theirs] !== undefined && raw[theirs] !== null) out[ours] = price(raw[theirs], where);
  }
  return out.input === undefined && out.output === undefined ? null : out;
}

function model(raw: Raw, where: string): CatalogueModel | null {
  const id = String(raw.id);
  if (!isMatchRule(raw.match)) throw new TypeError(`${where}/${id}: bad match rule`);
  const list = Array.isArray(raw.prices) ? raw.prices as Raw[] : [{ prices: raw.prices }];
  const prices: CataloguePeriod[] = [];
  for (const item of list) {
    const c = item.constraint as Raw | undefined;
    if (c && c.start_date === undefined) continue; // time of day: not a calendar period
    const p = period((item.prices ?? {}) as Raw, `${where}/${id}`);
    if (!p) continue;
    if (c) p.from = String(c.start_date);
    prices.push(p);
  }
  // A model with no token prices (images, audio by the hour...) is not ours to price.
  return prices.length === 0 ? null : { id, match: raw.match as MatchRule, prices };
}

/**
 * Converts the catalogue's providers to the compact form, keeping `ids`
 * in that order. Throws a TypeError naming the provider and model of a
 * value it cannot read.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compactCatalogue } from "./catalogue_raw.ts";
 * const c = compactCatalogue([{ id: "x", models: [{ id: "m", match: { equals: "m" },
 *   prices: [{ prices: { input_mtok: 10, output_mtok: 40 } },
 *            { constraint: { start_date: "2025-06-10" }, prices: { input_mtok: 2, output_mtok: 8 } }] }] }],
 *   ["x"], "p", "1");
 * assert.deepEqual(c.providers[0].models[0].prices, [{ input: "10", output: "40" }, { input: "2", output: "8", from: "2025-06-10" }]);
 * ```
 */
export function compactCatalogue(
  providers: unknown,
  ids: readonly string[],
  pkg: string,
  version: string,
): Catalogue {
  if (!Array.isArray(providers)) throw new TypeError("expected a list of providers");
  const out: CatalogueProvider[] = [];
  for (const id of ids) {
    const raw = providers.find((p: Raw) => p?.id === id) as Raw | undefined;
    if (!raw) throw new TypeError(`provider ${id} is missing`);
    if (!Array.isArray(raw.models)) throw new TypeError(`${id}: models is not a list`);
    if (raw.model_match !== undefined && !isMatchRule(raw.model_match)) {
      throw new TypeError(`${id}: bad model_match`);
    }
    const urls = raw.pricing_urls as string[] | undefined;
    out.push({
      id,
      pricing_url: urls?.[0] ?? null,
      model_match: (raw.model_match as MatchRule | undefined) ?? null,
      models: (raw.models as Raw[]).map((m) => model(m, id)).filter((m) => m !== null),
    });
  }
  return { package: pkg, version, providers: out };
}
