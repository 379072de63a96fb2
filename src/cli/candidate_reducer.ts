/**
 * The second read of counting each id once (`count_once.ts`), as a reducer
 * for the parallel reader: each thread reads its ranges with
 * `candidateLines` (only the lines whose id may repeat are decoded) and
 * keeps the repeated ids' events per range, with the log and the range's
 * start, so that they can be put back in the order one reading of the logs
 * in turn finds them ({@linkcode inReadingOrder}).
 *
 * @module
 */
import type { Event } from "../event/envelope.ts";
import type { ExecutionEvent } from "../event/execution.ts";
import { candidateSink } from "../cost/exactly_once.ts";
import { candidateLines } from "../cost/candidate_lines.ts";
import type { Reducer } from "../read/parallel_scan.ts";
import { scanLogBatches } from "../read/log_reader.ts";

/** What each thread is handed. */
export interface CandidateInit {
  /** The repeated id hashes, sorted: every copy of them is a candidate, whatever a filter takes. */
  repeated: Float64Array;
}

/** The candidates one range (or log) holds, in file order. */
export interface CandidatePart {
  /** The log. */
  path: string;
  /** Where the range starts in it. */
  start: number;
  /** The events of repeated ids found there. */
  events: ExecutionEvent[];
}

/**
 * A reducer collecting every copy of the repeated ids (execution events), per range.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createReducer } from "./candidate_reducer.ts";
 * const r = createReducer({ repeated: new Float64Array() });
 * assert.equal(await r.read!("/nonexistent.jsonl", () => {}), 0);
 * assert.deepEqual(r.result().map((part) => part.events), [[]]);
 * ```
 */
export function createReducer(init: CandidateInit): Reducer<CandidatePart[]> {
  const parts: CandidatePart[] = [];
  const lines = candidateLines(init.repeated);
  return {
    execution: () => true,
    otherTypes: false,
    events(_: Event[]): void {},
    async read(path, onProblem, range) {
      const events: ExecutionEvent[] = [];
      parts.push({ path, start: range?.start ?? 0, events });
      const sink = candidateSink(init.repeated, events);
      const batches = scanLogBatches(path, onProblem, range, lines);
      let step = await batches.next();
      for (; !step.done; step = await batches.next()) sink.events(step.value);
      return step.value;
    },
    result: () => parts,
  };
}

/**
 * Two threads' parts as one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mergeResults } from "./candidate_reducer.ts";
 * const part = (start: number) => ({ path: "a", start, events: [] });
 * assert.deepEqual(mergeResults([part(0)], [part(9)]), [part(0), part(9)]);
 * ```
 */
export function mergeResults(a: CandidatePart[], b: CandidatePart[]): CandidatePart[] {
  return [...a, ...b];
}

/**
 * The parts' events in the order reading `paths` in turn, each from its
 * start, finds them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { inReadingOrder } from "./candidate_reducer.ts";
 * const e = (n: number) => ({ lamport_clock: n }) as never;
 * const parts = [
 *   { path: "b", start: 0, events: [e(3)] },
 *   { path: "a", start: 50, events: [e(2)] },
 *   { path: "a", start: 0, events: [e(0), e(1)] },
 * ];
 * assert.deepEqual(inReadingOrder(parts, ["a", "b"]).map(([ev]) => ev.lamport_clock), [0, 1, 2, 3]);
 * ```
 */
export function inReadingOrder(
  parts: readonly CandidatePart[],
  paths: readonly string[],
): Array<[ExecutionEvent, string]> {
  const place = new Map(paths.map((path, i) => [path, i]));
  return [...parts]
    .sort((a, b) => place.get(a.path)! - place.get(b.path)! || a.start - b.start)
    .flatMap((part) => part.events.map((event) => [event, part.path] as [ExecutionEvent, string]));
}
