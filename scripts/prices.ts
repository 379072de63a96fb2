/**
 * `deno task prices`: extracts the built-in catalogue from the pinned
 * `@pydantic/genai-prices` package into `src/cost/catalogue_data.json`
 * (compact, decimal strings), which the program embeds. To move to a newer
 * catalogue: change {@linkcode CATALOGUE_VERSION}, run the task, run the
 * tests, commit the data file with the version.
 *
 * @module
 */
import { type Catalogue, CATALOGUE_PROVIDERS } from "../src/cost/catalogue.ts";
import { compactCatalogue } from "../src/cost/catalogue_raw.ts";

/** The package the prices come from. */
export const CATALOGUE_PACKAGE = "@pydantic/genai-prices";
/** Its pinned version. */
export const CATALOGUE_VERSION = "0.1.8";
/** Where the extracted data lives. */
export const CATALOGUE_FILE = new URL("../src/cost/catalogue_data.json", import.meta.url);

/**
 * Reads the pinned package (npm) and converts its providers.
 *
 * @example
 * ```ts ignore
 * const catalogue = await extractCatalogue();
 * ```
 */
export async function extractCatalogue(): Promise<Catalogue> {
  const spec = `npm:${CATALOGUE_PACKAGE}@${CATALOGUE_VERSION}`;
  const mod = await import(spec) as {
    findProvider(o: { providerId: string }): unknown;
  };
  const providers = CATALOGUE_PROVIDERS.map((id) => mod.findProvider({ providerId: id }));
  return compactCatalogue(providers, CATALOGUE_PROVIDERS, CATALOGUE_PACKAGE, CATALOGUE_VERSION);
}

/**
 * The file's text: one model per line, so a catalogue update reads as a
 * diff of the models that changed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { catalogueText } from "./prices.ts";
 * const text = catalogueText({ package: "p", version: "1", providers: [] });
 * assert.deepEqual(JSON.parse(text), { package: "p", version: "1", providers: [] });
 * ```
 */
export function catalogueText(c: Catalogue): string {
  const providers = c.providers.map((p) => {
    const { models, ...head } = p;
    const lines = models.map((m) => `      ${JSON.stringify(m)}`).join(",\n");
    const h = JSON.stringify(head).slice(0, -1);
    return `    ${h},\n     "models": [\n${lines}\n    ]}`;
  });
  return `{"package": ${JSON.stringify(c.package)}, "version": ${JSON.stringify(c.version)},\n` +
    ` "providers": [\n${providers.join(",\n")}\n]}\n`;
}

if (import.meta.main) {
  const catalogue = await extractCatalogue();
  await Deno.writeTextFile(CATALOGUE_FILE, catalogueText(catalogue));
  const models = catalogue.providers.reduce((n, p) => n + p.models.length, 0);
  console.log(
    `${CATALOGUE_FILE.pathname}: ${CATALOGUE_PACKAGE} ${CATALOGUE_VERSION}, ${models} models`,
  );
}
