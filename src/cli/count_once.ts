/**
 * The I/O half of counting each event once (`cost/exactly_once.ts` is the
 * pure half): when the scan's id hashes repeat, read the logs again for
 * just those ids (on all threads, decoding only their lines: see
 * `cost/candidate_lines.ts`), settle which copies count, take the rest out
 * of the sums, and say so on stderr. Logs without repeats pay one sort of
 * the hashes.
 *
 * @module
 */
import type { ExecutionEvent } from "../event/execution.ts";
import type { CostPartial, CostScanInit } from "../cost/cost_reducer.ts";
import { candidateSink, settle, withoutExtras } from "../cost/exactly_once.ts";
import { readLog } from "../read/event_sink.ts";
import { type ParallelOptions, parallelScan } from "../read/parallel_scan.ts";
import { occurrences, selectionRepeats } from "../cost/candidate_lines.ts";
import { matches } from "../query/filter.ts";
import { CANDIDATE_REDUCER } from "../dynamic_modules.ts";
import { type CandidateInit, type CandidatePart, inReadingOrder } from "./candidate_reducer.ts";

/** The sums with every id counted once, and what was left out. */
export interface CountedOnce {
  /** The sums, each id counted once. */
  partial: CostPartial;
  /** Lines that repeat an event already counted, identical to it. */
  duplicateLines: number;
  /** Ids whose copies differ: counted once (the first in clock order), left for a person. */
  conflictingIds: string[];
  /** The copies not counted (duplicates and conflicts), for sums kept apart from `partial`. */
  extras: ExecutionEvent[];
}

/** How many places a warning names before it says "and N more". */
const NAMED = 3;

/**
 * `partial` (from scanning `paths` with `init`) with repeated ids counted
 * once; one warning for identical copies and one for conflicts, each naming
 * the first few ids and files.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { countOnce } from "./count_once.ts";
 * import { emptyTotals } from "../cost/aggregate.ts";
 * const partial = { groups: [], total: emptyTotals(), ids: [Float64Array.of(1, 2)] };
 * const init = { groupBy: ["agent" as const], pricing: { updated: null, entries: [] }, filter: {} };
 * const out = await countOnce(partial, [], init, () => {});
 * assert.equal(out.duplicateLines, 0);
 * ```
 */
export async function countOnce(
  partial: CostPartial,
  paths: string[],
  init: CostScanInit,
  warn: (message: string) => void,
  options: ParallelOptions = {},
): Promise<CountedOnce> {
  // Copies the filter left out count too: the first copy of all is the one that counts.
  const all = [...partial.ids, ...partial.otherIds ?? []];
  const repeated = selectionRepeats(partial.ids, partial.otherIds);
  if (repeated.length === 0) {
    return { partial, duplicateLines: 0, conflictingIds: [], extras: [] };
  }
  const { found, where } = await readCandidates(all, repeated, paths, options);
  const named = (events: ExecutionEvent[]) => {
    const places = [...new Set(events.map((e) => `${where.get(e)} (id ${e.event_id})`))];
    const more = places.length > NAMED ? `, and ${places.length - NAMED} more` : "";
    return places.slice(0, NAMED).join(", ") + more;
  };
  const selected = (event: ExecutionEvent) => matches(event, init.filter);
  const settled = settle(found);
  // Identical copies are selected as the copy that counts is; a conflict is named whole.
  const copies = settled.copies.filter(selected);
  const { conflicts, conflictingIds } = settled;
  if (copies.length > 0) {
    warn(
      `${copies.length} duplicate line(s) ignored: each repeats an event already counted: ${
        named(copies)
      }. \`verify --repair\` removes exact copies.`,
    );
  }
  if (conflicts.length > 0) {
    warn(
      `${conflictingIds.length} id(s) on lines with different content, each counted once ` +
        `(the first in clock order): ${named(conflicts)}. Check the lines and keep one.`,
    );
  }
  // What the scan added and does not count: the copies the filter took.
  const extras = [...copies, ...conflicts.filter(selected)];
  return {
    partial: withoutExtras(partial, extras, init.groupBy, init.pricing),
    duplicateLines: copies.length,
    conflictingIds,
    extras,
  };
}

/** The repeated ids' lines, decoded, and the log each came from. */
interface Candidates {
  found: ExecutionEvent[];
  where: Map<ExecutionEvent, string>;
}

/**
 * Reads the lines of the `repeated` hashes: first decoding only the lines
 * whose id may repeat (`candidateLines`), which must find every line the
 * scan counted under those hashes; when it does not (an id it could not
 * see), the logs are read again in full, the lines as the scan read them.
 */
async function readCandidates(
  ids: readonly Float64Array[],
  repeated: Float64Array,
  paths: string[],
  options: ParallelOptions,
): Promise<Candidates> {
  // Problems were reported by the scan already.
  const parts = await parallelScan<CandidateInit, CandidatePart[]>(
    paths,
    CANDIDATE_REDUCER.href,
    { repeated },
    () => {},
    options,
  );
  const read = inReadingOrder(parts, paths);
  if (read.length === occurrences(ids, repeated)) {
    return { found: read.map(([event]) => event), where: new Map(read) };
  }
  return fullRead(paths, repeated, options.sizes);
}

/** The candidates read from every line of each of `paths` in turn, as the scan read them. */
async function fullRead(
  paths: readonly string[],
  repeated: Float64Array,
  sizes?: readonly number[],
): Promise<Candidates> {
  const found: ExecutionEvent[] = [];
  const where = new Map<ExecutionEvent, string>();
  for (const [i, path] of paths.entries()) {
    const before = found.length;
    const range = sizes && { start: 0, end: sizes[i] };
    await readLog(path, candidateSink(repeated, found), () => {}, range);
    for (let i = before; i < found.length; i++) where.set(found[i], path);
  }
  return { found, where };
}
