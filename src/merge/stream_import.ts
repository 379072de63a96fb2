/**
 * Importing a large input without holding it: when every event of the input
 * is new, in log order and after the log's last line, it is read twice as a
 * stream (once to check, once to append under the lock) and memory grows
 * only with its ids, not its bytes. Anything else is for the whole merge
 * (`importIntoFeature`), which the caller then runs instead.
 *
 * @module
 */
import { withLockedFeature } from "../store/locked_feature.ts";
import { type ClockState, emptyClock } from "../clock/lamport.ts";
import type { Event } from "../event/envelope.ts";
import { normalizeEventId } from "../event/event_id.ts";
import { compareEvents } from "../event/order.ts";
import type { WarningSink } from "../read/log_reader.ts";
import { classifyLine, MARKER_REASON, NOT_UTF8 } from "../store/line_kind.ts";
import { bytesNotEvent } from "../read/not_event.ts";
import type { ProjectLayout } from "../store/project_layout.ts";
import { rawLines } from "../store/raw_lines.ts";
import { appendable, clockForAppend, type ImportOutcome } from "./import_feature.ts";
import { appendWhole, writeAll } from "../store/append_whole.ts";

/** Told of each line of the input that is not an event. */
export interface NotEventSink {
  /** A line that is not an event, and why ("" past the lines named). */
  tell(line: number, reason: string): void;
  /** True once no more lines are named: a reason is then not needed. */
  full(): boolean;
}

/** A conflict marker starts with `<`, `=`, `>` or `|` (it is named as one, never counted blind). */
const isMarker = (bytes: Uint8Array) => [0x3c, 0x3d, 0x3e, 0x7c].includes(bytes[0]);

/** Opens the input afresh (it is read twice). */
export type InputOpener = () => Promise<ReadableStream<Uint8Array>>;

/** One feature's share of a streamed input, as the first pass found it. */
export interface StreamedFeature {
  /** Its events' ids, normalised, in input order. */
  ids: string[];
  /** Its first (smallest) event. */
  first: Event;
  /** The highest clock per node among its events. */
  clock: ClockState;
  /** The 1-based input lines that hold its events. */
  lines: number[];
}

const BOM = [0xef, 0xbb, 0xbf];
/** Bytes gathered before each append write. */
const WRITE_BYTES = 1 << 20;

/**
 * The first pass: per feature, what a streamed import would append, or
 * `null` when the input needs the whole merge: a line not UTF-8, or ending
 * in `\r`, or starting with a BOM, an id twice, events out of log order, or
 * an event of another feature than `target` when `route` is false (the
 * merge reports each of those properly). A line that is not an event is not
 * imported (as in the merge): it goes to `notEvent` with its reason, and the
 * pass keeps nothing of it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { planStream } from "./stream_import.ts";
 * const open = () => Promise.resolve(new Blob(["{}\n\uFEFF"]).stream());
 * const told: number[] = [];
 * const plan = await planStream(open, undefined, false, { tell: (n) => told.push(n), full: () => false });
 * assert.ok(plan !== null && plan.size === 0 && told[0] === 1);
 * ```
 */
export async function planStream(
  open: InputOpener,
  target: string | undefined,
  route: boolean,
  notEvent: NotEventSink = { tell: () => {}, full: () => false },
): Promise<Map<string, StreamedFeature> | null> {
  const features = new Map<string, StreamedFeature & { last: Event; seen: Set<string> }>();
  // Nothing of a line is kept but the strings its event is read into.
  for await (const line of rawLines(await open(), { borrow: true })) {
    const { bytes } = line;
    if (line.number === 1 && BOM.every((b, i) => bytes[i] === b)) return null;
    if (bytes[bytes.length - 1] === 0x0d) return null;
    // Past the lines named, junk is counted from its bytes, with no decoding.
    if (notEvent.full() && bytesNotEvent(bytes, 0, bytes.length) && !isMarker(bytes)) {
      notEvent.tell(line.number, "");
      continue;
    }
    const kind = classifyLine(bytes);
    if (kind.kind === "blank") continue;
    if (kind.kind === "other" && kind.reason === NOT_UTF8) return null;
    if (kind.kind === "other" || kind.kind === "marker") {
      const torn = line.complete ? "" : "torn last line: ";
      notEvent.tell(line.number, kind.kind === "other" ? torn + kind.reason : MARKER_REASON);
      continue;
    }
    if (kind.kind !== "event") return null;
    // A fresh string: a slice of the line would keep the whole line alive.
    const id = [...normalizeEventId(kind.event.event_id)].join("");
    const event = { ...kind.event, event_id: id };
    const name = event.aggregate_id;
    if (target !== undefined && !route && name !== target) return null;
    const feature = features.get(name);
    if (feature === undefined) {
      const clock = emptyClock();
      clock[event.node_id] = event.lamport_clock;
      const ids = [event.event_id];
      features.set(name, {
        ids,
        first: event,
        clock,
        lines: [line.number],
        last: event,
        seen: new Set(ids),
      });
      continue;
    }
    if (feature.seen.has(event.event_id) || compareEvents(feature.last, event) >= 0) return null;
    feature.seen.add(event.event_id);
    feature.ids.push(event.event_id);
    feature.lines.push(line.number);
    feature.last = event;
    const node = event.node_id;
    feature.clock[node] = Math.max(feature.clock[node] ?? 0, event.lamport_clock);
  }
  return new Map([...features].map(([name, f]) => [name, f]));
}

/**
 * The second pass for one feature: under its lock, when the events can be
 * appended (see `appendable`) and the clock file is sound, raises the clock
 * file and appends the feature's lines of the input, read again, byte for
 * byte. Resolves to `null`, having written nothing, when the feature needs
 * the whole merge instead.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendStream, planStream } from "./stream_import.ts";
 * import { ProjectLayout } from "../store/project_layout.ts";
 * const layout = new ProjectLayout(await Deno.makeTempDir());
 * const line = '{"event_id":"01KHJVJWDM0HGAGYGXJYKD1JQG","event_type":"Note","aggregate_id":"043-x",' +
 *   '"lamport_clock":1,"node_id":"n","causation_id":null,"timestamp":"2026-02-16T09:12:58Z","payload":{}}';
 * const open = () => Promise.resolve(new Blob([line + "\n"]).stream());
 * const plan = (await planStream(open, undefined, false))!;
 * const out = await appendStream(layout, "043-x", plan.get("043-x")!, open, [], () => {});
 * assert.equal(out?.added, 1);
 * assert.equal(await Deno.readTextFile(layout.logPath("043-x")), line + "\n");
 * ```
 */
export async function appendStream(
  layout: ProjectLayout,
  feature: string,
  plan: StreamedFeature,
  open: InputOpener,
  clocks: ClockState[],
  onWarning: WarningSink,
): Promise<ImportOutcome | null> {
  return await withLockedFeature(
    layout,
    feature,
    onWarning,
    async ({ file, logPath, clockPath }) => {
      if (!(await appendable(file, logPath, plan.first, plan.ids))) return null;
      if (!(await clockForAppend(clockPath, logPath, plan.clock, ...clocks))) return null;
      const input = await open();
      await appendWhole(file, logPath, () => appendLines(file, input, plan.lines));
      return {
        feature,
        added: plan.ids.length,
        alreadyPresent: 0,
        conflicts: [],
        changed: true,
        wrote: "appended",
      };
    },
  );
}

/** Appends the input's lines numbered `wanted` (ascending), each with a `\n`, in large writes. */
async function appendLines(
  file: Deno.FsFile,
  input: ReadableStream<Uint8Array>,
  wanted: number[],
): Promise<void> {
  let next = 0;
  // Lines are copied into one staging buffer as they come: a line is a view
  // of the stream's chunk, valid only until the next line is read.
  let stage = new Uint8Array(WRITE_BYTES);
  let size = 0;
  const flush = async () => {
    await writeAll(file, stage.subarray(0, size));
    size = 0;
  };
  for await (const line of rawLines(input, { borrow: true })) {
    if (line.number !== wanted[next]) continue;
    next++;
    const need = line.bytes.length + 1;
    if (size + need > stage.length) {
      await flush();
      if (need > stage.length) stage = new Uint8Array(need);
    }
    stage.set(line.bytes, size);
    stage[size + line.bytes.length] = 0x0a;
    size += need;
    if (next === wanted.length) break;
  }
  if (size > 0) await flush();
}
