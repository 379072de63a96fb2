/**
 * `kitty-telemetry pricing update FILE|URL`: installs a catalogue (the
 * genai-prices published `data.json`, or a file in our compact form) as
 * the project's `.kittify/prices-catalogue.json`, checked before it is
 * written; and the check every command runs when reading it back.
 *
 * @module
 */
import { dirname, resolve } from "node:path";
import { DataError } from "../errors.ts";
import { type Catalogue, CATALOGUE_PROVIDERS, catalogueProblem } from "../cost/catalogue.ts";
import { compactCatalogue } from "../cost/catalogue_raw.ts";
import { catalogueTable } from "../cost/catalogue.ts";
import type { CliIo } from "./io.ts";
import { UsageError } from "./errors.ts";
import { replaceFile } from "../merge/replace_file.ts";

/** The catalogue's own published data, for `pricing update` without a file at hand. */
export const CATALOGUE_DATA_URL =
  "https://raw.githubusercontent.com/pydantic/genai-prices/main/prices/new_data/v2/data.json";

/**
 * Reads a catalogue: our compact form as is, or the catalogue's own
 * providers list (numbers kept as the decimal strings written). Throws
 * {@linkcode DataError} naming the file and the problem.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readCatalogueFile } from "./pricing_update.ts";
 * assert.throws(() => readCatalogueFile("[]", "c.json"), /c.json: .*provider anthropic is missing/);
 * ```
 */
export function readCatalogueFile(text: string, path: string, version?: string): Catalogue {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
    // The catalogue's own data: each number as its source text, so rates are
    // read as the decimals written (ours holds decimal strings already).
    if (Array.isArray(raw)) {
      raw = JSON.parse(
        text,
        (_k, v, ctx?: { source?: string }) => typeof v === "number" && ctx?.source ? ctx.source : v,
      );
    }
  } catch (error) {
    throw new DataError(`${path}: not JSON (${(error as Error).message})`);
  }
  const fix = "expected genai-prices data.json (a list of providers); see docs/pricing.md";
  let catalogue: Catalogue;
  try {
    catalogue = Array.isArray(raw)
      ? compactCatalogue(raw, CATALOGUE_PROVIDERS, "genai-prices data.json", version ?? "?")
      : raw as Catalogue;
  } catch (error) {
    throw new DataError(`${path}: ${(error as Error).message}; ${fix}`);
  }
  const problem = catalogueProblem(catalogue);
  if (problem) throw new DataError(`${path}: ${problem}; ${fix}`);
  try {
    catalogueTable(catalogue);
  } catch (error) {
    throw new DataError(`${path}: ${(error as Error).message}; ${fix}`);
  }
  return catalogue;
}

/**
 * Fetches or reads `source`, checks it, and writes the compact catalogue
 * to `target`. A URL needs net permission for its host only.
 */
export async function installCatalogue(
  io: CliIo,
  source: string,
  target: string,
): Promise<{ catalogue: Catalogue; models: number }> {
  let text: string;
  const day = io.now().toISOString().slice(0, 10);
  if (/^https?:\/\//.test(source)) {
    const host = new URL(source).host;
    const status = await Deno.permissions.query({ name: "net", host });
    if (status.state !== "granted") {
      throw new UsageError(
        `pricing update: fetching ${source} needs network access to ${host}: run with --allow-net=${host}, or download the file and pass its path`,
      );
    }
    try {
      const response = await fetch(source);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      text = await response.text();
    } catch (error) {
      throw new DataError(
        `${source}: cannot fetch (${(error as Error).message}); download it and pass the file`,
      );
    }
  } else {
    try {
      text = await Deno.readTextFile(resolve(io.cwd, source));
    } catch (error) {
      throw new DataError(`${source}: cannot read (${(error as Error).message})`);
    }
  }
  const catalogue = readCatalogueFile(text, source, `fetched ${day}`);
  await Deno.mkdir(dirname(target), { recursive: true });
  // Whole or not at all (a full disk had left a partial temp file in .kittify/).
  await replaceFile(target, JSON.stringify(catalogue) + "\n");
  return { catalogue, models: catalogue.providers.reduce((n, p) => n + p.models.length, 0) };
}
