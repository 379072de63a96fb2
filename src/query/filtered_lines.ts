/**
 * The line sink of a filtered `query`: each line is read through the
 * readers' views (`lineSinkOf`) and tested against the filter; a matching
 * line that is verbatim (see `ExecutionView.verbatim`, `other_lines.ts`)
 * is handed on as a byte range with its clock and node, the rest decoded.
 *
 * @module
 */
import type { LineSink } from "../read/byte_blocks.ts";
import { lineSinkOf } from "../read/event_sink.ts";
import { type EventFilter, type Filterable, matches } from "./filter.ts";
import type { TakeLine } from "./exact_lines.ts";

/** What both byte readers hand over for a verbatim line. */
type VerbatimLine = Filterable & { lamport_clock: number; node_id: string };

/** The filters that read only envelope fields (a new one counts as reading the payload). */
const ENVELOPE_FILTERS = new Set(["types", "features", "since", "until"]);

/** True when the filter reads only envelope fields (type, feature, time). */
function envelopeOnly(filter: EventFilter): boolean {
  return Object.entries(filter).every(([key, value]) =>
    value === undefined || ENVELOPE_FILTERS.has(key)
  );
}

/**
 * A sink that hands each verbatim line matching `filter` to `add` and has
 * the others that may match decoded.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ByteChunk } from "../read/byte_scan.ts";
 * import { filteredSink } from "./filtered_lines.ts";
 * const line = '{"event_id":"01KHJVJWDM0HGAGYGXJYKD1JQG","event_type":"Note",' +
 *   '"aggregate_id":"043-x","lamport_clock":7,"node_id":"n1","causation_id":null,' +
 *   '"timestamp":"2026-02-16T09:12:58Z","payload":{"a":1}}';
 * const chunk = new ByteChunk(new TextEncoder().encode(line + "\n"));
 * const taken: number[] = [];
 * assert.equal(filteredSink({ types: ["Note"] }, (_, s, e, c) => taken.push(s, e, c))(chunk, 0, 1), line.length);
 * assert.equal(filteredSink({ types: ["Other"] }, () => taken.push(-1))(chunk, 0, 1), line.length);
 * assert.deepEqual(taken, [0, line.length, 7]);
 * ```
 */
export function filteredSink(filter: EventFilter, add: TakeLine): LineSink {
  // The line the reader took from the bytes, if it matched: added once the sink knows its end.
  let took = false;
  let clock = 0;
  let node = "";
  const take = (view: VerbatimLine) => {
    if (!matches(view, filter)) return true;
    took = true;
    clock = view.lamport_clock;
    node = view.node_id;
    return true;
  };
  const inner = lineSinkOf({
    execution: (view) => view.verbatim ? take(view) : !matches(view, filter),
    otherTypes: true,
    // Other types carry their own payloads: copied only when no filter reads payload fields.
    other: envelopeOnly(filter) ? take : undefined,
  });
  return (chunk, start, line) => {
    took = false;
    const stop = inner(chunk, start, line);
    if (took) add(chunk.bytes, start, stop, clock, node, line);
    return stop;
  };
}
