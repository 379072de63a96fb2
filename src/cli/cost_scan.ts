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
  const scan = await scanLogs<CostScanInit, CostPartial>(
    io,
    paths,
    COST_REDUCER.href,
    init,
    warnings,
  );
  const once = await countOnce(scan.partial, paths, init, warnings.warn);
  return {
    ...once,
    skipped: scan.skipped,
    unknownValueEvents: scan.unknownValueEvents,
    paths,
  };
}

/** A reducer's partial over some logs, and the lines its read left out. */
export interface LogScan<P> {
  /** The reducer's merged result. */
  partial: P;
  /** Lines skipped (not events). */
  skipped: number;
  /** Events counted with some values unknown. */
  unknownValueEvents: number;
}

/**
 * Reads `paths` in parallel with the reducer module `reducer`, as every
 * summing command does: a progress line on a terminal, malformed lines
 * warned about (capped) and counted. Counting each id once is the caller's.
 *
 * @example
 * ```ts ignore
 * const scan = await scanLogs(io, paths, REPORT_REDUCER.href, init, warningSink(io));
 * ```
 */
export async function scanLogs<I, P>(
  io: CliIo,
  paths: string[],
  reducer: string,
  init: I,
  warnings: Warnings,
): Promise<LogScan<P>> {
  const progress = progressLine(io);
  const problems = problemTally(warnings.warn);
  const partial = await parallelScan<I, P>(paths, reducer, init, problems.report, {
    onProgress: progress.update,
  });
  await progress.done();
  problems.done();
  return { partial, skipped: problems.skipped, unknownValueEvents: problems.unknownValueEvents };
}
