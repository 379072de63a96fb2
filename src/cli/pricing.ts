/**
 * `kitty-telemetry pricing`: show the effective table, or check a file.
 *
 * @module
 */
import { readPricingFile } from "./pricing_source.ts";
import type { ModelPrice } from "../cost/pricing.ts";
import { parseFlags, resolveRoot } from "./args.ts";
import { effectivePricing, PROJECT_PRICING } from "./pricing_source.ts";
import { type CliIo, ENV } from "./io.ts";
import { UsageError } from "./errors.ts";

/** `pricing --help`. */
export const PRICING_HELP =
  `Show the effective pricing table (USD per million tokens), or check a file.

Usage:
  kitty-telemetry pricing [--json] [--pricing FILE] [--root DIR]
  kitty-telemetry pricing check FILE

The built-in table is overlaid with --pricing FILE, else $${ENV.pricing}, else
<root>/${PROJECT_PRICING} when present: an override entry replaces every built-in
entry sharing its id or an alias. Override files may use this layout (input, output,
cache_read, cache_write per million; aliases; tiers) or spec-kitty's (input_per_1k,
output_per_1k).

Options:
  --json                  one JSON object: {"updated": ..., "models": [...]}
  -h, --help              show this help
`;

const OPTIONS = {
  json: { type: "boolean" },
  pricing: { type: "string" },
  root: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** Runs `pricing`; resolves to the exit code. */
export async function pricingCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(args, OPTIONS, true);
  if (values.help) {
    await io.stdout(PRICING_HELP);
    return 0;
  }
  if (positionals[0] === "check") {
    if (positionals.length !== 2) throw new UsageError("pricing check: expected one FILE");
    const table = await readPricingFile(positionals[1]);
    await io.stdout(`${positionals[1]}: ok (${table!.entries.length} models)\n`);
    return 0;
  }
  if (positionals.length > 0) {
    throw new UsageError(
      `pricing: unknown argument ${JSON.stringify(positionals[0])} (see --help)`,
    );
  }
  const root = await resolveRoot(io, values.root);
  const table = await effectivePricing(io, root, values.pricing);
  const models = [...table.entries].sort((a, b) => a.id < b.id ? -1 : 1);
  if (values.json) {
    await io.stdout(
      JSON.stringify({ updated: table.updated, models: models.map(jsonEntry) }) + "\n",
    );
    return 0;
  }
  const rows = [["Model", "Input", "Output", "Cache Read", "Cache Write", "Tiers", "Source"]];
  for (const m of models) {
    const d = m.display;
    rows.push([
      m.id,
      String(d.input),
      String(d.output),
      d.cache_read === undefined ? "(input)" : String(d.cache_read),
      d.cache_write === undefined ? "(input)" : String(d.cache_write),
      m.tiers.map((t) => `>${t.above_input_tokens}`).join(" ") || "-",
      m.source,
    ]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const text = rows.map((r) => r.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd());
  await io.stdout(
    `USD per million tokens; updated ${table.updated ?? "unknown"}\n${text.join("\n")}\n`,
  );
  return 0;
}

function jsonEntry(m: ModelPrice) {
  return {
    id: m.id,
    aliases: m.aliases,
    input: m.display.input,
    output: m.display.output,
    cache_read: m.display.cache_read ?? null,
    cache_write: m.display.cache_write ?? null,
    tiers: m.tiers.map((t) => ({
      above_input_tokens: t.above_input_tokens,
      input: Number(t.input) / 1e9,
      output: Number(t.output) / 1e9,
      cache_read: Number(t.cache_read) / 1e9,
      cache_write: Number(t.cache_write) / 1e9,
    })),
    source: m.source,
  };
}
