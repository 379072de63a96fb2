/**
 * Writes src/cost/overlay_data.json, the built-in overlay (pricing.yaml)
 * as parsed, so that `cost` and every other pricing command read JSON at
 * start-up instead of loading the YAML parser and parsing (~15 ms on each
 * run). pricing.yaml stays the one source people edit: `deno task
 * pricing:overlay` after each edit; a test fails until the two agree.
 * Dates are written as `YYYY-MM-DD`, as the overlay's readers take them.
 *
 * Usage: `deno run --allow-read --allow-write scripts/build_overlay.ts`
 *
 * @module
 */
import { parseYaml } from "../src/yaml.ts";

/** The overlay's source. */
export const SOURCE: URL = new URL("../pricing.yaml", import.meta.url);
/** The generated JSON. */
export const TARGET: URL = new URL("../src/cost/overlay_data.json", import.meta.url);

/** The JSON text for the overlay's YAML text. */
export function overlayJson(yaml: string): string {
  const data = parseYaml(yaml);
  return JSON.stringify(
    data,
    function (this: Record<string, unknown>, key: string, value: unknown) {
      const original = this[key];
      return original instanceof Date ? original.toISOString().slice(0, 10) : value;
    },
    2,
  ) + "\n";
}

if (import.meta.main) {
  await Deno.writeTextFile(TARGET, overlayJson(await Deno.readTextFile(SOURCE)));
  console.log(`wrote ${TARGET.pathname}`);
}
