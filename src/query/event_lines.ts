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
import { IdSet, idWordsAt, idWordsOf } from "../event/id_set.ts";
import { lineSinkOf } from "../read/event_sink.ts";
import { type LineProblem, scanLogBatches } from "../read/log_reader.ts";
import { type EventFilter, type Filterable, matches } from "./filter.ts";

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
  /** A 26-character id as its three words (see `idWordsAt`); `ida` is -1 for other forms. */
  readonly ida: number;
  /** The id's second word. */
  readonly idb: number;
  /** The id's third word. */
  readonly idc: number;
}

/**
 * A filter that passes each id's first line only, as `firstOfEachId` does
 * for events (lines must come in the total order).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { firstOfEachLine } from "./event_lines.ts";
 * const first = firstOfEachLine();
 * const line = { lamport_clock: 1, node_id: "n", event_id: "x", text: "{}", ida: -1, idb: 0, idc: 0 };
 * assert.deepEqual([first(line), first({ ...line }), first({ ...line, event_id: "y" })], [true, false, true]);
 * ```
 */
export function firstOfEachLine(): (line: EventLine) => boolean {
  const seen = new IdSet();
  return (line) =>
    line.ida < 0 ? seen.add(line.event_id) : seen.addWords(line.ida, line.idb, line.idc);
}

const WORDS = new Float64Array(3);

/** What both byte readers hand over for a verbatim line. */
type VerbatimLine = Filterable & {
  lamport_clock: number;
  node_id: string;
  event_id: string;
  idFrom: number;
  idBytes(): Uint8Array;
  lineText(): string;
};

/** The filters that read only envelope fields (a new one counts as reading the payload). */
const ENVELOPE_FILTERS = new Set(["types", "features", "since", "until"]);

/** True when the filter reads only envelope fields (type, feature, time). */
function envelopeOnly(filter: EventFilter): boolean {
  return Object.entries(filter).every(([key, value]) =>
    value === undefined || ENVELOPE_FILTERS.has(key)
  );
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
  const take = (view: VerbatimLine, line: number) => {
    if (!matches(view, filter)) return true;
    const { lamport_clock, node_id, event_id } = view;
    const ida = idWordsAt(view.idBytes(), view.idFrom, WORDS) ? WORDS[0] : -1;
    const [, idb, idc] = WORDS;
    taken.push({ lamport_clock, node_id, event_id, text: view.lineText(), ida, idb, idc });
    takenAt.push(line);
    return true;
  };
  const sink = lineSinkOf({
    execution: (view, line) => view.verbatim ? take(view, line) : !matches(view, filter),
    otherTypes: true,
    // Other types carry their own payloads: copied only when no filter reads payload fields.
    other: envelopeOnly(filter) ? take : undefined,
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
      const ida = idWordsOf(event_id, WORDS) ? WORDS[0] : -1;
      const [, idb, idc] = WORDS;
      out.push({ lamport_clock, node_id, event_id, text: encodeEvent(event), ida, idb, idc });
    }
    while (t < taken.length) out.push(taken[t++]);
    taken = [];
    takenAt = [];
    if (out.length > 0) yield out;
  }
}
