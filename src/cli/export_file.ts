/**
 * A file export (`export` without `--endpoint`) in two reads, neither
 * holding the log: the first is `cost`'s own scan on every core (it warns
 * of unreadable and repeated lines exactly as `cost` does and finds the
 * ids seen more than once); the second reads each log in file order from
 * its bytes and encodes each event as it is read. A file needs no total
 * order (the Collector and backends order by time), so spans and records
 * come in file order, log after log, with the settled copies of repeated
 * ids last; the push keeps the total order its cursor relies on.
 *
 * @module
 */
import type { EventFilter } from "../query/filter.ts";
import { matchingLogs } from "../query/query.ts";
import { parallelScan, reportProblems } from "../read/parallel_scan.ts";
import { ProjectLayout } from "../store/project_layout.ts";
import type { CostPartial, CostScanInit } from "../cost/cost_reducer.ts";
import { selectionRepeats } from "../cost/candidate_lines.ts";
import { DEFAULT_GROUP_BY } from "../cost/group_keys.ts";
import type { PricingTable } from "../cost/pricing.ts";
import { COST_REDUCER } from "../dynamic_modules.ts";
import { type ExportFound, fileSize, readForExport } from "../export/export_scan.ts";
import type { Signal } from "../export/otlp_encode.ts";
import { utf8 } from "../export/byte_out.ts";
import { exportLines } from "../export/parallel_export.ts";
import { MetricsFold } from "../export/otlp_metrics.ts";
import { countOnce } from "./count_once.ts";
import { problemTally } from "./problem_tally.ts";
import { unmetered } from "./progress.ts";

/**
 * Writes the OTLP/JSON lines of a file export of `root`'s logs through
 * `write` (a buffer at a time, reused once its promise resolves): up to
 * `BATCH_EVENTS` items a line (traces, logs), or one metrics line. Warns
 * through `warn` as `cost` does. Given `rewind` (which empties what was
 * written), spans and records are written in one read that also finds what
 * `cost` would warn of, and read again (after `rewind`) only when some id
 * is on several lines; else (stdout) the warnings come before the first
 * write. `more` is told the bytes that the workers of a read on every core
 * read (the progress line's count; this thread's reads it sees itself).
 */
export async function fileExport(
  root: string,
  signal: Signal,
  filter: EventFilter & { types: string[] },
  pricing: PricingTable,
  project: string,
  warn: (message: string) => void,
  write: (bytes: Uint8Array) => Promise<void>,
  rewind?: () => Promise<void>,
  more: (bytes: number) => void = () => {},
): Promise<void> {
  const paths = await matchingLogs(new ProjectLayout(root), filter);
  // Each read stops where the logs ended before the first: a line appended in between
  // (by an emit running meanwhile) is left out, as if the export had run a moment earlier.
  const sizes = await Promise.all(paths.map(fileSize));
  // One read that also finds what cost would warn of: enough unless some id is on several lines.
  if (signal === "metrics") {
    const fold = new MetricsFold();
    const options = { filter, pricing, repeated: new Float64Array(), sizes, freeText: false };
    const found = await readForExport(paths, options, (row) => fold.add(row), true);
    if (selectionRepeats(found.ids, found.others).length === 0) {
      warnAsCost(found, warn);
      await write(utf8(fold.line(project) + "\n"));
      return;
    }
  } else if (rewind) {
    const options = { filter, pricing, repeated: new Float64Array() };
    const found = await exportLines(
      { paths, sizes, options, signal, project, collect: true, threads: EXPORT_THREADS },
      write,
    );
    if (selectionRepeats(found.ids, found.others).length === 0) return warnAsCost(found, warn);
    // Copies of an id were written: start again.
    await rewind();
  }
  // Two reads. The first, on every core as cost reads: what cost would warn of, and the ids on
  // more than one line. Its workers end with it, before the second read starts its own.
  const repeated = await costRead(paths, sizes, filter, pricing, warn, more);
  const options = { filter, pricing, repeated };
  if (signal === "metrics") {
    const fold = new MetricsFold();
    await readForExport(paths, { ...options, sizes, freeText: false }, (row) => fold.add(row));
    await write(utf8(fold.line(project) + "\n"));
    return;
  }
  await exportLines({ paths, sizes, options, signal, project, threads: EXPORT_THREADS }, write);
}

/**
 * Reads `paths` (up to `sizes`) on every core as `cost` reads them, warning
 * through `warn` exactly as `cost` does (unreadable lines, repeated ids):
 * the ids on more than one line, for an export's read to settle. `more` is
 * told the bytes the workers read.
 */
export async function costRead(
  paths: string[],
  sizes: readonly number[],
  filter: EventFilter,
  pricing: PricingTable,
  warn: (message: string) => void,
  more: (bytes: number) => void,
): Promise<Float64Array> {
  const init: CostScanInit = { groupBy: [...DEFAULT_GROUP_BY], pricing, filter };
  const problems = problemTally(warn);
  // Counted once: its workers' progress counts this thread's ranges too, and a scan on this
  // thread alone tells none (its bytes are added when it ends).
  let counted = 0;
  const partial = await unmetered(() =>
    parallelScan<CostScanInit, CostPartial>(paths, COST_REDUCER.href, init, problems.report, {
      onProgress: (bytes) => {
        more(bytes - counted);
        counted = bytes;
      },
      sizes,
    })
  );
  more(sizes.reduce((a, b) => a + b, 0) - counted);
  problems.done();
  await countOnce(partial, paths, init, warn, { sizes });
  return selectionRepeats(partial.ids, partial.otherIds);
}

/**
 * Threads a file export encodes on: this one (which also writes) and a
 * worker. 13% faster on a quiet machine at 1M events, slower on a busy one;
 * see docs/performance.md ("The export on two threads").
 */
const EXPORT_THREADS = 2;

/** Warns of what a read found as `cost` does (no id was repeated). */
export function warnAsCost(found: ExportFound, warn: (message: string) => void): void {
  const problems = problemTally(warn);
  reportProblems(found.tasks, found.reports, problems.report);
  problems.done();
}
