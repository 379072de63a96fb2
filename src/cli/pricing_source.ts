/**
 * Which pricing table a command uses: the built-in one, overlaid with
 * `--pricing FILE`, or `$KITTY_TELEMETRY_PRICING`, or the project's
 * `.kittify/pricing.yaml` when it exists.
 *
 * @module
 */
import { join, resolve } from "node:path";
import { defaultPricing } from "../cost/builtin_pricing.ts";
import { DataError } from "../errors.ts";
import { mergePricing, type PricingTable } from "../cost/pricing.ts";
import { type CliIo, ENV } from "./io.ts";

/** The project override's path below the root. */
export const PROJECT_PRICING = join(".kittify", "pricing.yaml");

/**
 * Loads the effective table. An explicitly named file must exist; the
 * project file is optional. Malformed files are errors, never ignored.
 *
 * @example
 * ```ts ignore
 * const table = await effectivePricing(io, root, undefined);
 * ```
 */
export async function effectivePricing(
  io: CliIo,
  root: string,
  flag: string | undefined,
): Promise<PricingTable> {
  const named = flag ?? io.env(ENV.pricing);
  const override = named
    ? await readPricingFile(resolve(io.cwd, named))
    : await readPricingFile(join(root, PROJECT_PRICING), true);
  const base = defaultPricing();
  return override ? mergePricing(base, override) : base;
}

/**
 * Reads an override file; `undefined` when `optional` and it does not exist.
 * Throws {@linkcode DataError} naming `file:line` on any problem.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readPricingFile } from "./pricing_source.ts";
 * assert.ok((await readPricingFile("/nonexistent.yaml", true)) === undefined);
 * ```
 */
export async function readPricingFile(
  path: string,
  optional = false,
): Promise<PricingTable | undefined> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (optional && error instanceof Deno.errors.NotFound) return undefined;
    throw new DataError(`${path}: cannot read pricing file (${(error as Error).message})`);
  }
  const { parsePricing } = await import("../cost/pricing_parse.ts");
  return parsePricing(text, path);
}
