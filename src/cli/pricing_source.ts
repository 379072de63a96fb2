/**
 * Which pricing table a command uses: the built-in one (the embedded
 * catalogue, or the project's `.kittify/prices-catalogue.json` installed by
 * `pricing update`, with our overlay), overlaid with `--pricing FILE`, or
 * `$KITTY_TELEMETRY_PRICING`, or the project's `.kittify/pricing.yaml`
 * when it exists; `--no-builtin-prices` drops the built-in table.
 *
 * @module
 */
import { join, resolve } from "node:path";
import { defaultPricing } from "../cost/builtin_pricing.ts";
import { DataError } from "../errors.ts";
import { mergePricing, type PricingTable } from "../cost/pricing.ts";
import type { Catalogue } from "../cost/catalogue.ts";
import { type CliIo, ENV } from "./io.ts";
import { UsageError } from "./errors.ts";
import { CLI_MODULES, loadModule } from "../dynamic_modules.ts";
import { readSettingText } from "./setting_file.ts";

/** The project override's path below the root. */
export const PROJECT_PRICING = join(".kittify", "pricing.yaml");

/** The project's catalogue (installed by `pricing update`) below the root. */
export const PROJECT_CATALOGUE = join(".kittify", "prices-catalogue.json");

/** How a command asked for its prices. */
export interface PricingChoice {
  /** `--pricing FILE`. */
  file?: string;
  /** `--no-builtin-prices`: the override file alone. */
  noBuiltin?: boolean;
  /** `--prices-at DATE`: every event at that day's prices. */
  pricesAt?: string;
}

/** The price flags every command that prices events takes, for `parseFlags`. */
export const PRICE_OPTIONS = {
  pricing: { type: "string" },
  "no-builtin-prices": { type: "boolean" },
  "prices-at": { type: "string" },
} as const;

/** Their help lines (to go in a command's `Options:`). */
export const PRICE_HELP =
  `  --pricing FILE          pricing override (default: $${ENV.pricing}, else
                          <root>/${PROJECT_PRICING} if present), merged over the built-in table
  --no-builtin-prices     price with the --pricing file alone (no built-in catalogue)
  --prices-at DATE        price every event at that day's rates (YYYY-MM-DD, UTC), a what-if;
                          default: each event at the rates in force at its timestamp`;

/**
 * The choice {@linkcode PRICE_OPTIONS} parsed into.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { priceChoice } from "./pricing_source.ts";
 * assert.deepEqual(priceChoice({ "prices-at": "2026-01-31" }), {
 *   file: undefined, noBuiltin: undefined, pricesAt: "2026-01-31",
 * });
 * ```
 */
export function priceChoice(
  values: { pricing?: string; "no-builtin-prices"?: boolean; "prices-at"?: string },
): PricingChoice {
  return {
    file: values.pricing,
    noBuiltin: values["no-builtin-prices"],
    pricesAt: values["prices-at"],
  };
}

/**
 * Loads the effective table. An explicitly named file must exist; the
 * project files are optional. Malformed files are errors, never ignored.
 *
 * @example
 * ```ts ignore
 * const table = await effectivePricing(io, root, { file: "prices.yaml" });
 * ```
 */
export async function effectivePricing(
  io: CliIo,
  root: string,
  choice: PricingChoice = {},
): Promise<PricingTable> {
  if (choice.pricesAt !== undefined && !isDay(choice.pricesAt)) {
    throw new UsageError(
      `--prices-at: expected a date YYYY-MM-DD, got ${JSON.stringify(choice.pricesAt)}`,
    );
  }
  const named = choice.file ?? io.env(ENV.pricing);
  if (choice.noBuiltin && !named) {
    throw new UsageError(
      "--no-builtin-prices needs a pricing file: add --pricing FILE (or set $" + ENV.pricing + ")",
    );
  }
  const override = named
    ? await readPricingFile(
      resolve(io.cwd, named),
      choice.file === undefined ? `$${ENV.pricing}` : "--pricing",
    )
    : await readPricingFile(join(root, PROJECT_PRICING));
  let table: PricingTable;
  if (choice.noBuiltin) {
    if (override!.alias_only?.length) {
      throw new DataError(
        `${named}: ${override!.alias_only[0].id}: an alias-only entry needs the built-in ` +
          `table; give it rates, or drop --no-builtin-prices`,
      );
    }
    table = { ...override!, catalogue: null };
  } else {
    const base = defaultPricing(await readProjectCatalogue(root));
    table = override ? mergePricing(base, override) : base;
  }
  return choice.pricesAt ? { ...table, prices_at: choice.pricesAt } : table;
}

function isDay(text: string): boolean {
  // An impossible month makes an invalid Date, whose toISOString throws.
  const ms = Date.parse(`${text}T00:00:00Z`);
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && Number.isFinite(ms) &&
    new Date(ms).toISOString().slice(0, 10) === text;
}

/** The project's installed catalogue, checked; undefined when there is none. */
async function readProjectCatalogue(root: string): Promise<Catalogue | undefined> {
  const path = join(root, PROJECT_CATALOGUE);
  const text = await readSettingText(path, { what: "catalogue" });
  if (text === null) return undefined;
  const { readCatalogueFile } = await loadModule<typeof import("./pricing_update.ts")>(
    CLI_MODULES.pricing_update,
  );
  return readCatalogueFile(text, path);
}

/**
 * Reads an override file by the settings files' rule (`setting_file.ts`):
 * the project's own (`named` left out) is `undefined` when it is not there;
 * one named by `named` (`--pricing`) must be. Throws {@linkcode DataError}
 * naming `file:line` on any problem in it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readPricingFile } from "./pricing_source.ts";
 * assert.ok((await readPricingFile("/nonexistent.yaml")) === undefined);
 * ```
 */
export async function readPricingFile(
  path: string,
  named?: string,
): Promise<PricingTable | undefined> {
  const text = await readSettingText(path, { what: "pricing file", named });
  if (text === null) return undefined;
  const { parsePricing } = await loadModule<typeof import("../cost/pricing_parse.ts")>(
    CLI_MODULES.pricing_parse,
  );
  return parsePricing(text, path);
}

/**
 * The price data behind a table, for every output that shows costs:
 * the catalogue (name and version), the override files, the what-if day.
 */
export function sources(table: PricingTable): {
  catalogue: string | null;
  overrides: string[];
  prices_at: string | null;
} {
  return {
    catalogue: table.catalogue ?? null,
    overrides: table.overrides ?? [],
    prices_at: table.prices_at ?? null,
  };
}

/** One line naming the price data (under the `cost` table, atop `pricing`). */
export function sourceLine(table: PricingTable): string {
  const s = sources(table);
  const parts = [`prices: ${s.catalogue ?? "no catalogue"}`];
  if (s.overrides.length > 0) parts.push(`overrides ${s.overrides.join(", ")}`);
  if (s.prices_at) parts.push(`every event priced at ${s.prices_at} rates (--prices-at)`);
  return parts.join("; ");
}
