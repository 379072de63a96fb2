/**
 * `kitty-telemetry report`: one self-contained HTML page of where the money
 * went, for the same filters as `cost`, read by the same engine (the
 * parallel scan, each event counted once).
 *
 * @module
 */
import { REPORT_REDUCER } from "../dynamic_modules.ts";
import { matchingLogs } from "../query/query.ts";
import { EXECUTION_EVENT } from "../event/fields.ts";
import { ProjectLayout } from "../store/project_layout.ts";
import { emptyTotals, type Group } from "../cost/aggregate.ts";
import type { GroupKey } from "../cost/group_keys.ts";
import {
  DAILY_GROUPS,
  DIMENSION_GROUPS,
  REPORT_GROUPS,
  type ReportPartial,
  type ReportScanInit,
} from "../report/report_reducer.ts";
import { reportData } from "../report/report_data.ts";
import { withoutRuns } from "../report/run_stats.ts";
import { renderHtml } from "../report/html.ts";
import { parseFlags, resolveRoot, rootHelp } from "./args.ts";
import { FILTER_HELP, FILTER_OPTIONS, filterFromFlags, filtersEcho } from "./filter_flags.ts";
import { effectivePricing, PRICE_HELP, PRICE_OPTIONS, priceChoice } from "./pricing_source.ts";
import type { CliIo } from "./io.ts";
import { writeOut } from "./out_file.ts";
import { UsageError } from "./errors.ts";
import { warningSink } from "./warnings.ts";
import { countOnce } from "./count_once.ts";
import { PROJECT_BUDGETS, reportBudgets } from "./budget.ts";
import { scanLogs } from "./cost_scan.ts";

/** Where the page goes without `--out`. */
export const DEFAULT_REPORT_FILE = "kitty-telemetry-report.html";

/** `report --help`. */
export const REPORT_HELP =
  `An HTML report of spend: one self-contained file (no network when opened).

Usage: kitty-telemetry report [--out FILE] [filters] [options]

Shows totals, spend per day (per week past 60 days) by model with the running
total, spend by feature, work package, agent, role and model, failures and
success rates, cost per successful run, cache savings, duration p50/p90 per
agent, the 20 most expensive runs, the prices used, and each budget of
<root>/${PROJECT_BUDGETS} as \`budget\` shows it (a bad file is warned about).

${FILTER_HELP}

Options:
  --out FILE              where to write the page (default ${DEFAULT_REPORT_FILE},
                          relative to the current directory); - prints it to stdout;
                          a file is replaced whole, a device or pipe written as it is
${PRICE_HELP}
${rootHelp()}
  -h, --help              show this help

The totals are those of \`cost --json\` for the same filters.
`;

const OPTIONS = {
  ...FILTER_OPTIONS,
  out: { type: "string", short: "o" },
  ...PRICE_OPTIONS,
  root: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** Runs `report`; resolves to the exit code. */
export async function reportCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(args, OPTIONS);
  if (values.help) {
    await io.stdout(REPORT_HELP);
    return 0;
  }
  if (values.type && values.type.some((t) => t !== EXECUTION_EVENT)) {
    throw new UsageError(`--type: report only reads ${EXECUTION_EVENT} events`);
  }
  if (values.out === "") throw new UsageError("--out: give a file name, or - for stdout");
  const root = await resolveRoot(io, values.root);
  const prices = priceChoice(values);
  const pricing = await effectivePricing(io, root, prices);
  // One instant for the filters, the budgets' periods and "made at".
  const now = io.now();
  const filter = {
    ...filterFromFlags(values, now.getTime(), pricing),
    types: [EXECUTION_EVENT],
  };
  const paths = await matchingLogs(new ProjectLayout(root), filter);
  const warnings = warningSink(io);
  const init: ReportScanInit = { groupBy: [...REPORT_GROUPS], pricing, filter };
  const problems = await scanLogs<ReportScanInit, ReportPartial>(
    io,
    paths,
    REPORT_REDUCER.href,
    init,
    warnings,
  );
  const partial = problems.partial;
  const once = await countOnce(partial.cost, paths, init, warnings.warn);
  // The breakdowns' groups too (only when ids repeat; warned about once, above).
  const repeated = once.duplicateLines + once.conflictingIds.length > 0;
  const counted = async (groups: Group[], groupBy: readonly GroupKey[]) =>
    repeated
      ? (await countOnce(
        { groups, total: emptyTotals(), ids: partial.cost.ids, otherIds: partial.cost.otherIds },
        paths,
        { ...init, groupBy: [...groupBy] },
        () => {},
      )).partial.groups
      : groups;
  const dimensions = await counted(partial.dimensions, DIMENSION_GROUPS);
  const days = await counted(partial.days, DAILY_GROUPS);
  const runs = withoutRuns(partial.runs, once.extras, pricing);
  await warnings.flush();
  const budgets = await reportBudgets(io, root, now.getTime(), prices);
  const html = renderHtml(reportData({ cost: once.partial, dimensions, days, runs }, {
    pricing,
    now,
    budgets,
    filters: filtersEcho(values),
    skippedLines: problems.skipped,
    repeats: {
      duplicateLines: once.duplicateLines,
      conflictingIds: once.conflictingIds,
      unknownValueEvents: problems.unknownValueEvents,
    },
  }));
  if (values.out === "-") {
    await io.stdout(html);
    return 0;
  }
  const out = await writeOut(io.cwd, values.out ?? DEFAULT_REPORT_FILE, html);
  const events = once.partial.total.event_count;
  await io.stderr(
    `wrote ${out} (${Math.ceil(html.length / 1024)} KB, ${events} event${
      events === 1 ? "" : "s"
    }); open it in a browser\n`,
  );
  return 0;
}
