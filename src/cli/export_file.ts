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
import { parallelScan } from "../read/parallel_scan.ts";
import { ProjectLayout } from "../store/project_layout.ts";
import type { CostPartial, CostScanInit } from "../cost/cost_reducer.ts";
import { repeatedHashes } from "../cost/id_hash.ts";
import { DEFAULT_GROUP_BY } from "../cost/group_keys.ts";
import type { PricingTable } from "../cost/pricing.ts";
import { COST_REDUCER } from "../dynamic_modules.ts";
import { fileSize, scanForExport } from "../export/export_scan.ts";
import { BATCH_EVENTS, ITEM_JSON, lineEnds, type Signal } from "../export/otlp_encode.ts";
import type { ExportRow } from "../export/otlp_mapping.ts";
import { MetricsFold } from "../export/otlp_metrics.ts";
import { countOnce } from "./count_once.ts";
import { problemTally } from "./problem_tally.ts";

/**
 * The OTLP/JSON text of a file export of `root`'s logs, in pieces (each
 * line ends in a newline): up to `BATCH_EVENTS` items a line (traces,
 * logs), or one metrics line. Warns through `warn` as `cost` does, before
 * the first piece.
 */
export async function* fileExportText(
  root: string,
  signal: Signal,
  filter: EventFilter & { types: string[] },
  pricing: PricingTable,
  project: string,
  warn: (message: string) => void,
): AsyncGenerator<string> {
  const paths = await matchingLogs(new ProjectLayout(root), filter);
  // The second read stops where the logs ended before the first: a line appended in between
  // (by an emit running meanwhile) is left out, as if the export had run a moment earlier.
  const sizes = await Promise.all(paths.map(fileSize));
  // The first read: what cost would warn of, and the ids on more than one line.
  const init: CostScanInit = { groupBy: [...DEFAULT_GROUP_BY], pricing, filter };
  const problems = problemTally(warn);
  const partial = await parallelScan<CostScanInit, CostPartial>(
    paths,
    COST_REDUCER.href,
    init,
    problems.report,
    // One thread: a worker's isolate would stay in the peak RSS of the whole
    // export, and this read is a small part of its time.
    { workers: 1 },
  );
  problems.done();
  await countOnce(partial, paths, init, warn);
  const options = { filter, pricing, repeated: repeatedHashes(partial.ids), sizes };
  if (signal === "metrics") {
    const fold = new MetricsFold();
    await Array.fromAsync(scanForExport(paths, options, (row) => fold.add(row)));
    yield fold.line(project) + "\n";
    return;
  }
  const itemJson = ITEM_JSON[signal];
  const { open, close } = lineEnds(signal, project);
  // A line is written in pieces of a few items: no string or buffer as big as a line.
  let items: string[] = [];
  let inLine = 0;
  const pieces: string[] = [];
  const flush = () => {
    if (items.length > 0) pieces.push((inLine === items.length ? open : ",") + items.join(","));
    items = [];
  };
  const encode = (row: ExportRow) => {
    items.push(itemJson(row));
    if (++inLine === BATCH_EVENTS) {
      flush();
      pieces.push(close + "\n");
      inLine = 0;
    } else if (items.length === PIECE_ITEMS) flush();
  };
  for await (const _ of scanForExport(paths, options, encode)) {
    yield* pieces;
    pieces.length = 0;
  }
  if (inLine > 0) {
    flush();
    yield* pieces;
    yield close + "\n";
  }
}

/** Items written at once. */
const PIECE_ITEMS = 50;
