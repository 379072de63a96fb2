/**
 * `kitty-telemetry cost`: what the matching execution events cost, grouped.
 *
 * @module
 */
import { DEFAULT_GROUP_BY, GROUP_KEYS, type GroupKey } from "../cost/group_keys.ts";
import type { CostPartial, CostScanInit } from "../cost/cost_reducer.ts";
import { parallelScan, prestartScan } from "../read/parallel_scan.ts";
import { matchingLogs } from "../query/query.ts";
import { COST_REDUCER, DURATION_REDUCER } from "../dynamic_modules.ts";
import { EXECUTION_EVENT, fieldOf, PAYLOAD_GROUPS } from "../event/fields.ts";
import { ProjectLayout } from "../store/project_layout.ts";
import { costView, SORTS } from "../report/cost_view.ts";
import { renderTable } from "../report/table.ts";
import { renderCsv } from "../report/csv.ts";
import { markdownText, renderMarkdown } from "../report/markdown.ts";
import { exactJson } from "../report/exact_json.ts";
import { EXTRA_COLUMNS, FAILED_COLUMNS } from "../report/columns.ts";
import {
  addDurations,
  type DurationPartial,
  withoutExtraDurations,
} from "../report/duration_sums.ts";
import type { ExecutionEvent } from "../event/execution.ts";
import { emptyTotals } from "../cost/aggregate.ts";
import { costNotes } from "../report/notes.ts";
import { emptyAnswerNotes } from "./empty_hint.ts";
import { didYouMean } from "./suggest.ts";
import { helpText, parseFlags, resolveRoot, rootHelp } from "./args.ts";
import { FILTER_HELP, FILTER_OPTIONS, filterFromFlags, filtersEcho } from "./filter_flags.ts";
import {
  effectivePricing,
  PRICE_HELP,
  PRICE_OPTIONS,
  priceChoice,
  sourceLine,
  sources,
} from "./pricing_source.ts";
import { type CliIo, ENV } from "./io.ts";
import { UsageError } from "./errors.ts";
import { warningSink } from "./warnings.ts";
import { costScan } from "./cost_scan.ts";
import { countOnce } from "./count_once.ts";

/** `cost --help`. */
export const COST_HELP = `Cost of execution events, grouped.

Usage: kitty-telemetry cost [filters] [--group-by KEYS] [--format FORMAT] [options]

${FILTER_HELP}

Options:
  --group-by KEYS         ${
  helpText(
    `comma-separated: ${GROUP_KEYS.join(", ")} (default ${DEFAULT_GROUP_BY.join(",")});`,
  )
}
                          several keys give one row per combination
  --sort ORDER            ${SORTS.join(", ")}: key ascending, the others descending
                          (default: key for day, week and month, else cost)
  --reverse               reverse the order
  --breakdown             a row per model under each group
  --columns LIST          ${helpText(`extra columns, comma-separated: ${EXTRA_COLUMNS.join(", ")}`)}
                          (the parts of the cost, the share of runs that succeeded,
                          what failed runs cost, the runs' total and median duration:
                          people's units in the table, ms in CSV and JSON)
  --compact               the narrow table: keys, input, output, cache, cost, events
                          (also when the table is wider than the terminal or $COLUMNS)
  --format FORMAT         table (default), json, csv, markdown
  --totals                with --format csv: the TOTAL row alone (CSV rows are groups only)
  --json                  same as --format json (the stable contract for programs)
${PRICE_HELP}
${rootHelp()}
  -h, --help              show this help

A reported cost_usd is used as is (even 0); otherwise the cost is estimated from tokens,
at the prices in force at the event's timestamp (UTC). The last line of the table (and
"pricing" in --json) names the price data: catalogue, override files, --prices-at.
Events whose model has no price are "unpriced": counted as $0, shown as — in a row with
nothing priced, and named in a note on stderr (in every format).
`;

const OPTIONS = {
  ...FILTER_OPTIONS,
  "group-by": { type: "string" },
  sort: { type: "string" },
  reverse: { type: "boolean" },
  breakdown: { type: "boolean" },
  columns: { type: "string" },
  compact: { type: "boolean" },
  totals: { type: "boolean" },
  format: { type: "string" },
  json: { type: "boolean" },
  ...PRICE_OPTIONS,
  root: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

const FORMATS = ["table", "json", "csv", "markdown"] as const;

/** `--breakdown`'s key: the group of the priced name field (the model). */
const MODEL_GROUP = PAYLOAD_GROUPS.find(([, key]) => fieldOf(key)?.priced)![0];

/** Runs `cost`; resolves to the exit code. */
export async function costCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(args, OPTIONS);
  if (values.help) {
    await io.stdout(COST_HELP);
    return 0;
  }
  const groupBy = parseGroupBy(values["group-by"] ?? DEFAULT_GROUP_BY.join(","));
  if (values.json && values.format !== undefined && values.format !== "json") {
    throw new UsageError(
      `--json and --format ${values.format} ask for two formats: give one of them`,
    );
  }
  const format = values.json ? "json" : oneOf("--format", values.format ?? "table", FORMATS);
  const sort = values.sort === undefined ? undefined : oneOf("--sort", values.sort, SORTS);
  const extra = (values.columns ?? "").split(",").map((c) => c.trim()).filter((c) => c)
    .map((c) => oneOf("--columns", c, EXTRA_COLUMNS));
  if (values.totals && format !== "csv") {
    throw new UsageError("--totals goes with --format csv (the other formats show the total)");
  }
  const breakdownKey = values.breakdown && !groupBy.includes(MODEL_GROUP) ? MODEL_GROUP : undefined;
  if (values.type && values.type.some((t) => t !== EXECUTION_EVENT)) {
    throw new UsageError(`--type: cost only reads ${EXECUTION_EVENT} events`);
  }
  const root = await resolveRoot(io, values.root);
  const layout = new ProjectLayout(root);
  // The scan's workers boot while the prices load (all logs: the filter needs the prices).
  using _workers = await prestartScan(await matchingLogs(layout, {}), COST_REDUCER.href);
  const pricing = await effectivePricing(io, root, priceChoice(values));
  const filter = {
    ...filterFromFlags(values, io.now().getTime(), pricing),
    types: [EXECUTION_EVENT],
  };

  const warnings = warningSink(io);
  const scanBy: GroupKey[] = breakdownKey ? [...groupBy, breakdownKey] : groupBy;
  const init: CostScanInit = { groupBy: scanBy, pricing, filter };
  const once = await costScan(io, layout, init, warnings);
  const paths = once.paths;
  await warnings.flush();
  const failed = extra.some((c) => FAILED_COLUMNS.includes(c))
    ? await failedRuns(paths, init)
    : undefined;
  const view = costView(
    { total: once.partial.total, groups: () => once.partial.groups },
    groupBy,
    filtersEcho(values),
    once.skipped,
    {
      duplicateLines: once.duplicateLines,
      conflictingIds: once.conflictingIds,
      unknownValueEvents: once.unknownValueEvents,
    },
    { sort, reverse: values.reverse, breakdownKey, failed },
  );
  if (extra.includes("duration")) addDurations(view, await durations(paths, init, once.extras));
  const color = io.stdoutIsTty && !io.env(ENV.noColor);
  const columns = { extra, compact: values.compact };
  // Every cost output names its price data: JSON in its data, markdown as a
  // caption, the table in a note on stderr under it (stdout stays rows only).
  const rendered = format === "json"
    ? exactJson({ ...view, pricing: sources(pricing) }) + "\n"
    : format === "csv"
    ? renderCsv(view, { ...columns, totals: values.totals })
    : format === "markdown"
    ? `${renderMarkdown(view, columns)}\n_${markdownText(sourceLine(pricing))}_\n`
    : renderTable(view, { ...columns, color, width: tableWidth(io) });
  await io.stdout(rendered);
  const priced = format === "table" && view.total.event_count > 0;
  const notes = priced ? [sourceLine(pricing), ...costNotes(view)] : costNotes(view);
  if (view.total.event_count === 0) {
    notes.push(
      ...await emptyAnswerNotes(io, values.root, layout, values, () => Promise.resolve(pricing)),
    );
  }
  if (notes.length > 0) await io.stderr(notes.map((n) => n + "\n").join(""));
  return 0;
}

/**
 * The same sums over the failed runs alone (a second read, only when a
 * column needs them), each event counted once as in the main scan.
 */
async function failedRuns(paths: string[], init: CostScanInit) {
  if (init.filter.success === true) return { total: emptyTotals(), groups: [] };
  const failedInit = { ...init, filter: { ...init.filter, success: false } };
  const partial = await parallelScan<CostScanInit, CostPartial>(
    paths,
    COST_REDUCER.href,
    failedInit,
    () => {},
  );
  const once = await countOnce(partial, paths, failedInit, () => {});
  return { total: once.partial.total, groups: once.partial.groups };
}

/**
 * The runs' durations by the same groups (a second read, only for the
 * column), each id counted once: the copies the main scan left out are
 * taken out here as well, so no second count-once read is needed.
 */
async function durations(
  paths: string[],
  init: CostScanInit,
  extras: ExecutionEvent[],
): Promise<DurationPartial> {
  const partial = await parallelScan<CostScanInit, DurationPartial>(
    paths,
    DURATION_REDUCER.href,
    init,
    () => {},
  );
  return withoutExtraDurations(partial, extras, init.groupBy, init.pricing);
}

/** `$COLUMNS` when set (and readable), else the terminal's width; unset: no limit. */
function tableWidth(io: CliIo): number | undefined {
  const env = io.env(ENV.columns);
  const columns = env !== undefined && /^\d+$/.test(env) ? Number(env) : undefined;
  return columns && columns > 0 ? columns : io.terminalColumns;
}

/** `value` if it is one of `allowed`, else a usage error naming them (and the likely one). */
function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(
    `${flag}: expected one of ${allowed.join(", ")}, got ${JSON.stringify(value)}${
      didYouMean(value, allowed)
    }`,
  );
}

function parseGroupBy(text: string): GroupKey[] {
  const keys = text.split(",").map((k) => k.trim()).filter((k) => k !== "");
  const bad = keys.find((k) => !(GROUP_KEYS as readonly string[]).includes(k));
  if (keys.length === 0 || bad !== undefined) {
    throw new UsageError(
      `--group-by: unknown key ${JSON.stringify(bad ?? text)}${
        didYouMean(bad ?? text, GROUP_KEYS)
      }; expected one or more of ${GROUP_KEYS.join(", ")}, comma-separated`,
    );
  }
  return [...new Set(keys)] as GroupKey[];
}
