/**
 * Git's three-way merge of logs without holding them: one pass over the
 * ancestor and both sides at once, each line written out as it is decided,
 * so a merge of logs of any size takes a few buffers and one set of ids.
 * It takes only the case where the result is byte for byte what
 * `mergeLogs` gives, which is the common one (a log the tool writes stays
 * in its total order); anything else is left to that merge.
 *
 * @module
 */
import type { Event } from "../event/envelope.ts";
import { compareEvents } from "../event/order.ts";
import { classifyLine } from "../store/line_kind.ts";
import { rawLines } from "../store/raw_lines.ts";
import { equalClasses, missingWarning, smallest } from "./event_versions.ts";
import type { MergeConflict } from "./merge_logs.ts";
import { type EventLine, normalized } from "./parsed_log.ts";
import { equalBytes } from "./equal_bytes.ts";

/** One input of {@linkcode sortedMerge}: a label for messages and its bytes as a stream. */
export interface SortedInput {
  /** Lines are reported as `label:line`. */
  label: string;
  /** The log's bytes. */
  stream: ReadableStream<Uint8Array>;
}

/** What a sorted merge found: what `mergeLogs` reports for the same inputs. */
export interface SortedMerge {
  /** Ids with versions that decode to different events (the first side's version written). */
  conflicts: MergeConflict[];
  /** Events of the ancestor that a side lacks (kept). */
  warnings: string[];
  /** Events written. */
  eventCount: number;
}

/**
 * Shown each event a sorted merge writes: its versions (the first class's
 * smallest line is the one written) and the indices of the inputs holding
 * it; false stops the merge.
 */
export type SortedObserver = (versions: readonly EventLine[], inputs: readonly number[]) => boolean;

/** An input's next event line, and how far it has come. */
class Cursor {
  head: (EventLine & { bytes: Uint8Array }) | undefined;
  /** The other inputs: they share most lines and are read in step. */
  peers: Cursor[] = [];
  readonly #lines: AsyncGenerator<{ bytes: Uint8Array; number: number }>;

  constructor(readonly input: SortedInput) {
    // Lines as views of the read chunk: a head is let go before its input reads on.
    this.#lines = rawLines(input.stream, { borrow: true });
  }

  /** Reads the next event line; false when a line leaves the sorted case. */
  async next(): Promise<boolean> {
    const previous = this.head?.event;
    this.head = undefined;
    for (;;) {
      const step = await this.#lines.next();
      if (step.done) return true;
      const { bytes, number } = step.value;
      // The line another input holds now is decoded once.
      const same = this.peers.find((p) => p.head !== undefined && equalBytes(p.head.bytes, bytes));
      let line: string, event: Event;
      if (same) ({ line, event } = same.head!);
      else {
        const kind = classifyLine(bytes);
        if (kind.kind === "blank") continue;
        if (kind.kind !== "event") return false;
        line = kind.line;
        event = normalized(kind.event);
      }
      // One id twice in a file, or out of order: the in-memory merge sorts it out.
      if (previous && compareEvents(previous, event) >= 0) return false;
      this.head = { line, event, lineNumber: number, bytes };
      return true;
    }
  }

  /** Lets the input go: its stream is cancelled (its file closed) even if never read. */
  async close(): Promise<void> {
    await this.#lines.return(undefined);
    // A generator never started has not locked the stream, and returning it cancels nothing.
    if (!this.input.stream.locked) await this.input.stream.cancel();
  }
}

/**
 * Merges `sides` ("ours" first) and the ancestor `base` through `write`, a
 * buffer at a time, when every line of every input is an event (blank
 * lines aside), each input in strictly rising `(lamport_clock, node_id,
 * event_id)` order, and no id stands at two places; else undefined, having
 * written part of the result (the caller throws it away and merges in
 * memory). The bytes written are then exactly `mergeLogs`' for the same
 * inputs, and so are its conflicts and warnings.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sortedMerge } from "./sorted_merge.ts";
 * const input = (label: string, text: string) => ({ label, stream: new Blob([text]).stream() });
 * const out: Uint8Array[] = [];
 * const junk = await sortedMerge([input("a", "junk\n"), input("b", "")], undefined, async (b) => {
 *   out.push(b.slice());
 * });
 * assert.equal(junk, undefined);
 * ```
 */
export async function sortedMerge(
  sides: SortedInput[],
  base: SortedInput | undefined,
  write: (bytes: Uint8Array) => Promise<void>,
  observe?: SortedObserver,
): Promise<SortedMerge | undefined> {
  // The order versions are weighed in, as mergeLogs weighs them: the sides, then the ancestor.
  const cursors = [...sides, ...(base ? [base] : [])].map((input) => new Cursor(input));
  for (const c of cursors) c.peers = cursors.filter((p) => p !== c);
  const baseCursor = base ? cursors[cursors.length - 1] : undefined;
  const sideCursors = base ? cursors.slice(0, -1) : cursors;
  const ids = new Set<string>();
  // Each with where mergeLogs meets its id first (the first input holding it, its line there):
  // it reports in that order.
  const conflicts: [number, number, MergeConflict][] = [];
  const warnings: [number, number, string][] = [];
  const buffer = new Uint8Array(1 << 20);
  let at = 0;
  let eventCount = 0;
  const put = async (bytes: Uint8Array) => {
    if (at + bytes.length + 1 > buffer.length) {
      await write(buffer.subarray(0, at));
      at = 0;
    }
    if (bytes.length + 1 > buffer.length) {
      await write(bytes);
      await write(new Uint8Array([0x0a]));
      return;
    }
    buffer.set(bytes, at);
    at += bytes.length;
    buffer[at++] = 0x0a;
  };
  try {
    for (const cursor of cursors) if (!await cursor.next()) return undefined;
    for (;;) {
      let first: Event | undefined;
      for (const c of cursors) {
        if (c.head && (!first || compareEvents(c.head.event, first) < 0)) first = c.head.event;
      }
      if (!first) break;
      const here = cursors.filter((c) => c.head && compareEvents(c.head.event, first) === 0);
      const id = first.event_id;
      if (ids.has(id)) return undefined;
      ids.add(id);
      const versions = here.map((c) => c.head!);
      const classes = equalClasses(versions);
      const order = [cursors.indexOf(here[0]), here[0].head!.lineNumber] as const;
      if (classes.length > 1) {
        conflicts.push([...order, {
          eventId: id,
          locations: here.map((c) => `${c.input.label}:${c.head!.lineNumber}`),
          reason: "the same event_id with different content",
        }]);
      }
      if (observe && !observe(versions, here.map((c) => cursors.indexOf(c)))) return undefined;
      const kept = smallest(classes[0]);
      await put(kept.bytes);
      eventCount++;
      if (baseCursor && here.includes(baseCursor)) {
        for (const side of sideCursors) {
          if (!here.includes(side)) {
            const line = baseCursor.head!.lineNumber;
            warnings.push([
              ...order,
              missingWarning(id, baseCursor.input.label, line, side.input.label),
            ]);
          }
        }
      }
      for (const c of here) if (!await c.next()) return undefined;
    }
    if (at > 0) await write(buffer.subarray(0, at));
    const inOrder = <T>(list: [number, number, T][]) =>
      list.sort((a, b) => a[0] - b[0] || a[1] - b[1]).map((entry) => entry[2]);
    return { conflicts: inOrder(conflicts), warnings: inOrder(warnings), eventCount };
  } finally {
    await Promise.all(cursors.map((c) => c.close()));
  }
}
