/**
 * Which pricing table a command uses: the built-in one, overlaid with
 * `--pricing FILE`, or `$KITTY_TELEMETRY_PRICING`, or the project's
 * `.kittify/pricing.yaml` when it exists.
 *
 * @module
 */
import { join, resolve } from "node:path";
import { defaultPricing, readPricingFile } from "../cost/pricing_file.ts";
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
