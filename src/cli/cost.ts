/**
 * `kitty-telemetry cost`: what the matching execution events cost, grouped.
 *
 * @module
 */
import { DEFAULT_GROUP_BY, GROUP_KEYS, type GroupKey } from "../cost/group_keys.ts";
import type { CostPartial, CostScanInit } from "../cost/cost_reducer.ts";
import { parallelScan } from "../read/parallel_scan.ts";
import { COST_REDUCER } from "../dynamic_modules.ts";
import { matchingLogs } from "../query/query.ts";
import { progressLine } from "./progress.ts";
import { EXECUTION_EVENT } from "../event/fields.ts";
import { ProjectLayout } from "../store/project_layout.ts";
import { costView } from "../report/cost_view.ts";
import { renderTable } from "../report/table.ts";
import { renderCsv } from "../report/csv.ts";
import { renderMarkdown } from "../report/markdown.ts";
import { parseFlags, resolveRoot } from "./args.ts";
import { FILTER_HELP, FILTER_OPTIONS, filterFromFlags, filtersEcho } from "./filter_flags.ts";
import { effectivePricing, PROJECT_PRICING, sourceLine, sources } from "./pricing_source.ts";
import { type CliIo, ENV } from "./io.ts";
import { UsageError } from "./errors.ts";
import { warningSink } from "./warnings.ts";
import { countOnce } from "./count_once.ts";
import { problemTally } from "./problem_tally.ts";

/** `cost --help`. */
export const COST_HELP = `Cost of execution events, grouped.

Usage: kitty-telemetry cost [filters] [--group-by KEYS] [--format FORMAT] [options]

${FILTER_HELP}

Options:
  --group-by KEYS         comma-separated: ${GROUP_KEYS.join(", ")} (default ${
  DEFAULT_GROUP_BY.join(",")
});
                          several keys give one row per combination
  --format FORMAT         table (default), json, csv, markdown
  --json                  same as --format json (the stable contract for programs)
  --pricing FILE          pricing override (default: $${ENV.pricing}, else
                          <root>/${PROJECT_PRICING} if present), merged over the built-in table
  --no-builtin-prices     price with the --pricing file alone (no built-in catalogue)
  --prices-at DATE        price every event at that day's rates (YYYY-MM-DD, UTC), a what-if;
                          default: each event at the rates in force at its timestamp
  --root DIR              project root (default: nearest ancestor with kitty-specs/ or .git)
  -h, --help              show this help

A reported cost_usd is used as is (even 0); otherwise the cost is estimated from tokens,
at the prices in force at the event's timestamp (UTC). The last line of the table (and
"pricing" in --json) names the price data: catalogue, override files, --prices-at.
Events whose model has no price are "unpriced": counted as $0 and flagged.
`;

const OPTIONS = {
  ...FILTER_OPTIONS,
  "group-by": { type: "string" },
  format: { type: "string" },
  json: { type: "boolean" },
  pricing: { type: "string" },
  "no-builtin-prices": { type: "boolean" },
  "prices-at": { type: "string" },
  root: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

const FORMATS = ["table", "json", "csv", "markdown"] as const;

/** Runs `cost`; resolves to the exit code. */
export async function costCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(args, OPTIONS);
  if (values.help) {
    await io.stdout(COST_HELP);
    return 0;
  }
  const groupBy = parseGroupBy(values["group-by"] ?? DEFAULT_GROUP_BY.join(","));
  const format = values.json ? "json" : values.format ?? "table";
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(
      `--format: expected one of ${FORMATS.join(", ")}, got ${JSON.stringify(format)}`,
    );
  }
  if (values.type && values.type.some((t) => t !== EXECUTION_EVENT)) {
    throw new UsageError(`--type: cost only reads ${EXECUTION_EVENT} events`);
  }
  const root = await resolveRoot(io, values.root);
  const pricing = await effectivePricing(io, root, {
    file: values.pricing,
    noBuiltin: values["no-builtin-prices"],
    pricesAt: values["prices-at"],
  });
  const filter = {
    ...filterFromFlags(values, io.now().getTime(), pricing),
    types: [EXECUTION_EVENT],
  };

  const layout = new ProjectLayout(root);
  const paths = await matchingLogs(layout, filter);
  const warnings = warningSink(io);
  const progress = progressLine(io);
  const init: CostScanInit = { groupBy, pricing, filter };
  const problems = problemTally(warnings.warn);
  const partial = await parallelScan<CostScanInit, CostPartial>(
    paths,
    COST_REDUCER.href,
    init,
    problems.report,
    { onProgress: progress.update },
  );
  await progress.done();
  problems.done();
  const once = await countOnce(partial, paths, init, warnings.warn);
  await warnings.flush();
  const view = costView(
    { total: once.partial.total, groups: () => once.partial.groups },
    groupBy,
    filtersEcho(values),
    problems.skipped,
    {
      duplicateLines: once.duplicateLines,
      conflictingIds: once.conflictingIds,
      unknownValueEvents: problems.unknownValueEvents,
    },
  );
  const color = io.stdoutIsTty && !io.env(ENV.noColor);
  // Every cost output names its price data (CSV stays rows only).
  const rendered = format === "json"
    ? JSON.stringify({ ...view, pricing: sources(pricing) }) + "\n"
    : format === "csv"
    ? renderCsv(view)
    : format === "markdown"
    ? `${renderMarkdown(view)}\n_${sourceLine(pricing)}_\n`
    : `${renderTable(view, { color })}${sourceLine(pricing)}\n`;
  await io.stdout(rendered);
  return 0;
}

function parseGroupBy(text: string): GroupKey[] {
  const keys = text.split(",").map((k) => k.trim()).filter((k) => k !== "");
  const bad = keys.find((k) => !(GROUP_KEYS as readonly string[]).includes(k));
  if (keys.length === 0 || bad !== undefined) {
    throw new UsageError(
      `--group-by: unknown key ${JSON.stringify(bad ?? text)}; expected one or more of ${
        GROUP_KEYS.join(", ")
      }, comma-separated`,
    );
  }
  return [...new Set(keys)] as GroupKey[];
}
