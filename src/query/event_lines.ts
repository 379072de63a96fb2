/**
 * A log's matching events as the JSON lines `query` prints, with their
 * order keys, for writing without parsing: a stored line that already is
 * the canonical text of its event (see `ExecutionView.verbatim`) is cut
 * from the bytes as it stands; every other line is decoded and written
 * with `encodeEvent`, as before.
 *
 * @module
 */
import { encodeEvent } from "../event/line_encode.ts";
import { lineSinkOf } from "../read/event_sink.ts";
import { type LineProblem, scanLogBatches } from "../read/log_reader.ts";
import { type EventFilter, matches } from "./filter.ts";

/** An event's output line (no line end) and its order keys. */
export interface EventLine {
  /** Order key 1. */
  readonly lamport_clock: number;
  /** Order key 2. */
  readonly node_id: string;
  /** Order key 3 (and identity, for each id once). */
  readonly event_id: string;
  /** The event as one canonical JSON line, without its `\n`. */
  readonly text: string;
}

/**
 * The matching events of one log as output lines, in file order, a block's
 * worth at a time.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { logLines } from "./event_lines.ts";
 * const path = await Deno.makeTempFile();
 * const line = '{"event_id":"01KHJVJWDM0HGAGYGXJYKD1JQG","event_type":"Note",' +
 *   '"aggregate_id":"043-x","lamport_clock":7,"node_id":"n1","causation_id":null,' +
 *   '"timestamp":"2026-02-16T09:12:58Z","payload":{"a": 1}}';
 * await Deno.writeTextFile(path, line + "\n");
 * const [[got]] = await Array.fromAsync(logLines(path, {}, () => {}));
 * assert.equal(got.text, line.replace('{"a": 1}', '{"a":1}'));
 * assert.equal(got.lamport_clock, 7);
 * ```
 */
export async function* logLines(
  path: string,
  filter: EventFilter,
  onProblem: (problem: LineProblem) => void,
): AsyncGenerator<EventLine[]> {
  // Lines taken from the bytes, with their numbers, to interleave with the decoded ones.
  let taken: EventLine[] = [];
  let takenAt: number[] = [];
  const sink = lineSinkOf({
    execution: (view, line) => {
      if (!matches(view, filter)) return true;
      if (!view.verbatim) return false;
      const { lamport_clock, node_id, event_id } = view;
      taken.push({ lamport_clock, node_id, event_id, text: view.lineText() });
      takenAt.push(line);
      return true;
    },
    otherTypes: true,
  });
  const numbers: number[] = [];
  // With `numbers`, every block yields (maybe no decoded event): `taken` stays one block's.
  for await (const batch of scanLogBatches(path, onProblem, undefined, sink, undefined, numbers)) {
    const out: EventLine[] = [];
    let t = 0;
    for (let k = 0; k < batch.length; k++) {
      const event = batch[k];
      if (!matches(event, filter)) continue;
      while (t < taken.length && takenAt[t] < numbers[k]) out.push(taken[t++]);
      const { lamport_clock, node_id, event_id } = event;
      out.push({ lamport_clock, node_id, event_id, text: encodeEvent(event) });
    }
    while (t < taken.length) out.push(taken[t++]);
    taken = [];
    takenAt = [];
    if (out.length > 0) yield out;
  }
}
