/**
 * `kitty-telemetry pricing`: show the effective table or one model's
 * resolved entry, check a file, or install a newer catalogue.
 *
 * @module
 */
import { join, resolve } from "node:path";
import { readPricingFile } from "./pricing_source.ts";
import { type ModelPrice, type PricingTable, resolvePrice } from "../cost/pricing.ts";
import { periodAt, type PricePeriod, type Rates, rateText } from "../cost/price_period.ts";
import { parseFlags, resolveRoot } from "./args.ts";
import {
  effectivePricing,
  PROJECT_CATALOGUE,
  PROJECT_PRICING,
  sourceLine,
  sources,
} from "./pricing_source.ts";
import { type CliIo, ENV } from "./io.ts";
import { UsageError } from "./errors.ts";
import { DataError } from "../errors.ts";
import { alignRows } from "../text_table.ts";
import { CLI_MODULES, loadModule } from "../dynamic_modules.ts";

/** `pricing --help`. */
export const PRICING_HELP =
  `Show the effective pricing table (USD per million tokens), one model's entry,
check a pricing file, or install a newer catalogue.

Usage:
  kitty-telemetry pricing [--json] [--pricing FILE [--no-builtin-prices]] [--root DIR]
  kitty-telemetry pricing MODEL [--at DATE] [--json] [--pricing FILE] [--root DIR]
  kitty-telemetry pricing check FILE
  kitty-telemetry pricing update FILE|URL [--root DIR]

The built-in table is the @pydantic/genai-prices catalogue (or
<root>/${PROJECT_CATALOGUE}, installed by \`pricing update\`) with the program's own
overlay. It is overlaid with
--pricing FILE, else $${ENV.pricing}, else <root>/${PROJECT_PRICING} when present: an
override entry with rates replaces the entry sharing its id or an alias; one with only
aliases adds them to the entry of its id. Rates are flat, or \`prices:\`, a list of periods
each in force from 00:00 UTC of its \`from\` date. Override files may use this layout or
spec-kitty's (input_per_1k, output_per_1k). See docs/pricing.md.

\`pricing MODEL\` shows which entry a name resolves to and how (id, alias or catalogue
rule), its aliases, the rates in force at --at DATE (default today) and its source.
\`pricing update\` checks the file (genai-prices data.json) before installing it; a URL
needs network access to its host only (--allow-net=HOST when run with deno).

Options:
  --json                  one JSON object
  --at DATE               MODEL: the rates in force that day (YYYY-MM-DD, UTC)
  --no-builtin-prices     the --pricing file alone, without the built-in table
  -h, --help              show this help
`;

const OPTIONS = {
  json: { type: "boolean" },
  at: { type: "string" },
  pricing: { type: "string" },
  "no-builtin-prices": { type: "boolean" },
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
    const table = await readPricingFile(resolve(io.cwd, positionals[1]), "pricing check");
    const aliasOnly = table!.alias_only?.length ?? 0;
    await io.stdout(
      `${positionals[1]}: ok (${table!.entries.length} models${
        aliasOnly > 0 ? `, ${aliasOnly} alias-only` : ""
      })\n`,
    );
    return 0;
  }
  if (positionals[0] === "update") {
    if (positionals.length !== 2) throw new UsageError("pricing update: expected one FILE or URL");
    const root = await resolveRoot(io, values.root);
    const target = join(root, PROJECT_CATALOGUE);
    const { installCatalogue } = await loadModule<typeof import("./pricing_update.ts")>(
      CLI_MODULES.pricing_update,
    );
    const { catalogue, models } = await installCatalogue(io, positionals[1], target);
    await io.stdout(
      `${target}: installed ${catalogue.package} ${catalogue.version} (${models} models)\n`,
    );
    return 0;
  }
  if (positionals.length > 1) {
    throw new UsageError(
      `pricing: expected at most one MODEL, got ${positionals.length} (see --help)`,
    );
  }
  const root = await resolveRoot(io, values.root);
  const table = await effectivePricing(io, root, {
    file: values.pricing,
    noBuiltin: values["no-builtin-prices"],
  });
  if (positionals.length === 1) return await showModel(io, table, positionals[0], values);
  const models = [...table.entries].sort((a, b) => a.id < b.id ? -1 : 1);
  if (values.json) {
    await io.stdout(
      JSON.stringify({ updated: table.updated, ...sources(table), models: models.map(jsonEntry) }) +
        "\n",
    );
    return 0;
  }
  const rows = [[
    "Model",
    "From",
    "Input",
    "Output",
    "Cache Read",
    "Cache Write",
    "Write 1h",
    "Tiers",
    "Source",
  ]];
  for (const m of models) {
    m.periods.forEach((p, i) => {
      rows.push([
        i === 0 ? m.id : "",
        p.from ?? "-",
        ...rateCells(p.rates),
        p.tiers.map((t) => `>${t.above_input_tokens}`).join(" ") || "-",
        i === 0 ? m.source : "",
      ]);
    });
  }
  const text = alignRows(rows, rows[0].map(() => false));
  await io.stdout(`USD per million tokens; ${sourceLine(table)}\n${text.join("\n")}\n`);
  return 0;
}

async function showModel(
  io: CliIo,
  table: PricingTable,
  name: string,
  values: { at?: string; json?: boolean },
): Promise<number> {
  const day = values.at ?? io.now().toISOString().slice(0, 10);
  const ms = Date.parse(`${day}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(ms)) {
    throw new UsageError(`--at: expected a date YYYY-MM-DD, got ${JSON.stringify(day)}`);
  }
  const hit = resolvePrice(table, name);
  if (!hit) {
    throw new DataError(
      `pricing: no entry prices ${JSON.stringify(name)}; add it to ${PROJECT_PRICING} ` +
        `(or add the name as an alias of an entry: see kitty-telemetry pricing)`,
    );
  }
  const period = periodAt(hit.entry.periods, ms);
  const resolved = {
    name,
    entry: hit.entry.id,
    matched_by: hit.how,
    matched_as: hit.as,
    match: hit.entry.match,
    aliases: hit.entry.aliases,
    at: day,
    in_force: periodJson(period),
    periods: hit.entry.periods.map(periodJson),
    source: hit.entry.source,
    reference: hit.entry.reference,
    ...sources(table),
  };
  if (values.json) {
    await io.stdout(JSON.stringify(resolved) + "\n");
    return 0;
  }
  const how = hit.how === "rule" ? `catalogue rule ${JSON.stringify(hit.entry.match)}` : hit.how;
  const r = period.rates;
  const lines = [
    `${name} -> ${hit.entry.id} (matched by ${how}${
      hit.as !== name.trim() ? `, as ${hit.as}` : ""
    })`,
    `aliases: ${hit.entry.aliases.join(", ") || "-"}`,
    `in force on ${day}: period from ${period.from ?? "the start"}; USD per million: input ${
      rateText(r.input)
    }, output ${rateText(r.output)}, cache read ${rateText(r.cache_read)}, cache write ${
      rateText(r.cache_write)
    }, cache write 1h ${rateText(r.cache_write_1h)}`,
    ...period.tiers.map((t) =>
      `  above ${t.above_input_tokens} prompt tokens: ${rateCells(t).join(" / ")}`
    ),
    `periods: ${hit.entry.periods.map((p) => p.from ?? "start").join(", ")}`,
    `source: ${hit.entry.source}${hit.entry.reference ? ` (${hit.entry.reference})` : ""}`,
  ];
  await io.stdout(lines.join("\n") + "\n");
  return 0;
}

function rateCells(r: Rates): string[] {
  return [r.input, r.output, r.cache_read, r.cache_write, r.cache_write_1h].map(rateText);
}

function ratesJson(r: Rates) {
  return {
    input: Number(rateText(r.input)),
    output: Number(rateText(r.output)),
    cache_read: Number(rateText(r.cache_read)),
    cache_write: Number(rateText(r.cache_write)),
    cache_write_1h: Number(rateText(r.cache_write_1h)),
  };
}

function periodJson(p: PricePeriod) {
  return {
    from: p.from,
    ...ratesJson(p.rates),
    tiers: p.tiers.map((t) => ({ above_input_tokens: t.above_input_tokens, ...ratesJson(t) })),
  };
}

function jsonEntry(m: ModelPrice) {
  return {
    id: m.id,
    aliases: m.aliases,
    ...ratesJson(m.periods[m.periods.length - 1].rates),
    tiers: periodJson(m.periods[m.periods.length - 1]).tiers,
    periods: m.periods.map(periodJson),
    source: m.source,
    reference: m.reference,
  };
}
