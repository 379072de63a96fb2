/**
 * `kitty-telemetry budget`: each budget of `.kittify/budgets.yaml` against
 * what its events cost in the current period; exit 3 when any is over.
 * Also the check `emit --check-budgets` runs after recording.
 *
 * @module
 */
import { join, resolve } from "node:path";
import { type Budget, FILTER_KEYS } from "../budget/budget_keys.ts";
import { budgetSpend, type ScanPlan, scanPlan } from "../budget/budget_spend.ts";
import { type BudgetStatus, budgetStatus } from "../budget/budget_status.ts";
import { budgetsView, budgetUsd, renderBudgetTable } from "../budget/budget_report.ts";
import { periodLabel, PERIODS } from "../budget/period.ts";
import type { ReportBudgets } from "../report/html_budgets.ts";
import { CostAggregator } from "../cost/aggregate.ts";
import type { PricingTable } from "../cost/pricing.ts";
import type { Event } from "../event/envelope.ts";
import type { ExecutionEvent } from "../event/execution.ts";
import { EXECUTION_EVENT } from "../event/fields.ts";
import { ProjectLayout } from "../store/project_layout.ts";
import { InvalidInputError, KittyError } from "../errors.ts";
import { parseFlags, resolveRoot, rootHelp } from "./args.ts";
import {
  effectivePricing,
  PRICE_HELP,
  PRICE_OPTIONS,
  priceChoice,
  type PricingChoice,
} from "./pricing_source.ts";
import type { CliIo } from "./io.ts";
import { describeError, EXIT } from "./errors.ts";
import { type Warnings, warningSink } from "./warnings.ts";
import { costScan } from "./cost_scan.ts";
import { CLI_MODULES, loadModule } from "../dynamic_modules.ts";
import { readSettingText } from "./setting_file.ts";

/** The project's budgets file below the root. */
export const PROJECT_BUDGETS = join(".kittify", "budgets.yaml");

/** `budget --help`. */
export const BUDGET_HELP =
  `Budgets: what each budget has spent in its current period, against its limit.

Usage: kitty-telemetry budget [--json] [--budgets FILE] [price flags] [--root DIR]

Options:
  --budgets FILE          the budgets file (default: <root>/${PROJECT_BUDGETS})
  --json                  print JSON (the stable contract for programs)
${PRICE_HELP}
${rootHelp()}
  -h, --help              show this help

The budgets file:
  budgets:
    - name: telemetry feature
      feature: 043-telemetry-foundation   # optional filters, as cost's flags:
                                          # ${FILTER_KEYS.join(", ")} (a value or a list)
      period: month        # ${PERIODS.join(" | ")}; UTC calendar, weeks from Monday
      limit_usd: 50
      warn_at: 0.8         # warn from this fraction of the limit, in (0, 1]

Spent is what \`cost\` gives for the budget's filters in the current period. The
status is ok, warn (from warn_at of the limit) or over (past the limit). For a
day, week or month the forecast is a straight line: spent / elapsed part of the period.

Exit codes: 0 every budget ok or warn, 1 runtime failure, 2 bad usage or budgets file,
3 some budget is over (gate CI on it: kitty-telemetry budget || exit 1).
`;

const OPTIONS = {
  budgets: { type: "string" },
  json: { type: "boolean" },
  ...PRICE_OPTIONS,
  root: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** Runs `budget`; resolves to the exit code (3 when any budget is over). */
export async function budgetCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(args, OPTIONS);
  if (values.help) {
    await io.stdout(BUDGET_HELP);
    return EXIT.ok;
  }
  const root = await resolveRoot(io, values.root);
  const file = budgetsPath(io, root, values.budgets);
  const budgets = await readBudgets(file, values.budgets === undefined ? undefined : "--budgets");
  const now = io.now().getTime();
  const { statuses } = await budgetStatuses(io, root, budgets, now, priceChoice(values));
  const view = budgetsView(statuses, file, now);
  await io.stdout(values.json ? JSON.stringify(view) + "\n" : renderBudgetTable(view));
  return view.status === "over" ? EXIT.overBudget : EXIT.ok;
}

function budgetsPath(io: CliIo, root: string, flag: string | undefined): string {
  return flag === undefined ? join(root, PROJECT_BUDGETS) : resolve(io.cwd, flag);
}

/** Reads and parses a budgets file; a missing one is an error that says how to make it. */
async function readBudgets(file: string, named?: string): Promise<Budget[]> {
  const budgets = await readBudgetsIfAny(file, named);
  if (budgets === null) {
    throw new InvalidInputError(
      `no budgets file at ${file}: create it with a \`budgets:\` list ` +
        `(see \`kitty-telemetry budget --help\`), or name one with --budgets FILE`,
    );
  }
  return budgets;
}

/** Reads and parses a budgets file; null when there is none. */
async function readBudgetsIfAny(file: string, named?: string): Promise<Budget[] | null> {
  // Not there (nor .kittify): null; a folder or FIFO in its place: an error naming the fix.
  // --budgets <(...) is read; a missing one gets readBudgets' word on making one.
  const text = await readSettingText(file, { what: "budgets file", named, optional: true });
  if (text === null) return null;
  // The parser brings zod and js-yaml: loaded only when there is a file to read.
  const { parseBudgets } = await loadModule<typeof import("../budget/budget_file.ts")>(
    CLI_MODULES.budget_file,
  );
  return parseBudgets(text, file);
}

/**
 * The project's budgets for `report`, at `now` (the report's own instant),
 * priced as `budget` prices them (with the report's price flags): each
 * budget's status, or no budgets file, or the file's problem (warned about
 * on stderr; the report still renders). Lines the scan skips are not warned
 * about again: the report's own read warns about them.
 *
 * @example
 * ```ts ignore
 * const budgets = await reportBudgets(io, root, now.getTime(), priceChoice(values));
 * ```
 */
export async function reportBudgets(
  io: CliIo,
  root: string,
  now: number,
  prices: PricingChoice,
): Promise<ReportBudgets> {
  const file = join(root, PROJECT_BUDGETS);
  let budgets: Budget[] | null;
  try {
    budgets = await readBudgetsIfAny(file);
  } catch (error) {
    if (!(error instanceof KittyError)) throw error;
    await io.stderr(`warning: ${error.message} (the report shows no budgets)\n`);
    return { state: "invalid", file, message: error.message };
  }
  if (budgets === null) return { state: "missing", file };
  const { statuses } = await budgetStatuses(io, root, budgets, now, prices, SILENT);
  return { state: "read", file, view: budgetsView(statuses, file, now), statuses };
}

/** A warning sink that drops everything (a second read of lines already warned about). */
const SILENT: Warnings = { warn() {}, count: () => 0, flush: async () => {} };

/** Every budget's status at `now`, from one cost scan; and the scan's plan and prices. */
async function budgetStatuses(
  io: CliIo,
  root: string,
  budgets: Budget[],
  now: number,
  prices: PricingChoice,
  warnings: Warnings = warningSink(io),
): Promise<{ statuses: BudgetStatus[]; plan: ScanPlan; pricing: PricingTable }> {
  const pricing = await effectivePricing(io, root, prices);
  const plan = scanPlan(budgets, now);
  const scan = await costScan(io, new ProjectLayout(root), { ...plan, pricing }, warnings)
    .finally(() => warnings.flush());
  const groups = scan.partial.groups;
  const statuses = budgets.map((b) => budgetStatus(b, budgetSpend(b, groups, pricing, now), now));
  return { statuses, plan, pricing };
}

/**
 * `emit --check-budgets`: warns on stderr for each budget that `events`
 * (just recorded) count towards and that now warns or is over. Never throws:
 * the run already happened, so a missing or bad budgets file is a warning too.
 *
 * @example
 * ```ts ignore
 * await warnOnBudgets(io, root, records.map((r) => r.event));
 * ```
 */
export async function warnOnBudgets(
  io: CliIo,
  root: string,
  events: readonly Event[],
): Promise<void> {
  try {
    const file = join(root, PROJECT_BUDGETS);
    const budgets = await readBudgets(file);
    const now = io.now().getTime();
    const { statuses, plan, pricing } = await budgetStatuses(io, root, budgets, now, {});
    // The budgets the new events count towards: the same sums over them alone.
    const added = new CostAggregator(plan.groupBy, pricing);
    for (const event of events) {
      if (event.event_type === EXECUTION_EVENT) added.add(event as ExecutionEvent);
    }
    const groups = added.groups();
    const lines = statuses
      .filter((s) => s.state !== "ok" && budgetSpend(s.budget, groups, pricing, now).events > 0)
      .map((s) => {
        const spent = `$${budgetUsd(s.spend.units)} of $${budgetUsd(s.budget.limit)}`;
        const used = `${(s.fractionUsed * 100).toFixed(1)}%`;
        const label = periodLabel(s.budget.period, now);
        const period = label === null ? "in total" : `in ${s.budget.period} ${label}`;
        return `warning: budget ${JSON.stringify(s.budget.name)} is ${
          s.state === "over" ? "over its limit" : "near its limit"
        }: ${spent} (${used}) ${period}; see \`kitty-telemetry budget\`\n`;
      });
    if (lines.length > 0) await io.stderr(lines.join(""));
  } catch (error) {
    await io.stderr(
      `warning: --check-budgets: ${describeError(error).message.replace(/^error: /, "")} ` +
        `(the event is recorded)\n`,
    );
  }
}
