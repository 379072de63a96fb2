/**
 * The cost engine's read, as `cost` runs it: the logs a filter selects,
 * scanned in parallel with the cost reducer, malformed lines warned about
 * and counted, each event id counted once. What a command does with the
 * sums (a report, budgets) is its own business.
 *
 * @module
 */
import type { CostScanInit } from "../cost/cost_reducer.ts";
import type { CostPartial } from "../cost/cost_reducer.ts";
import { parallelScan } from "../read/parallel_scan.ts";
import { COST_REDUCER } from "../dynamic_modules.ts";
import { matchingLogs } from "../query/query.ts";
import type { ProjectLayout } from "../store/project_layout.ts";
import type { CliIo } from "./io.ts";
import { progressLine } from "./progress.ts";
import { problemTally } from "./problem_tally.ts";
import { type CountedOnce, countOnce } from "./count_once.ts";
import type { Warnings } from "./warnings.ts";

/** The sums, each id once, and the lines left out. */
export interface CostScan extends CountedOnce {
  /** Lines skipped (not events). */
  skipped: number;
  /** Events counted with some values unknown. */
  unknownValueEvents: number;
  /** The logs read (a further read of the same sums reads these). */
  paths: string[];
}

/**
 * Scans the project's logs that `init.filter` selects into cost sums
 * grouped by `init.groupBy`. Warnings go to `warnings` (the caller flushes).
 *
 * @example
 * ```ts ignore
 * const scan = await costScan(io, new ProjectLayout(root), init, warningSink(io));
 * ```
 */
export async function costScan(
  io: CliIo,
  layout: ProjectLayout,
  init: CostScanInit,
  warnings: Warnings,
): Promise<CostScan> {
  const paths = await matchingLogs(layout, init.filter);
  const progress = progressLine(io);
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
  return {
    ...once,
    skipped: problems.skipped,
    unknownValueEvents: problems.unknownValueEvents,
    paths,
  };
}
