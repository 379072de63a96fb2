/**
 * The merge of a few imported events into a large log without holding the
 * log: one pass over its lines, each new event written just before the
 * first line that sorts after it, into a temp file beside the log. It takes
 * only the case where the result is byte for byte what `mergeLogs`
 * gives; anything else is left to that merge.
 *
 * @module
 */
import type { Event } from "../event/envelope.ts";
import { compareEvents } from "../event/order.ts";
import { normalizeEventId } from "../event/event_id.ts";
import { type ClockState, emptyClock } from "../clock/lamport.ts";
import { classifyLine } from "../store/line_kind.ts";
import { rawLines } from "../store/raw_lines.ts";
import { tempPathFor } from "../store/temp_files.ts";
import { writeAll } from "../store/append_whole.ts";

/** What a streamed merge wrote. */
export interface StreamedMerge {
  /** The merged log, fsynced, to rename over the log; null when the log needs no change. */
  temp: string | null;
  /** Imported events that were not in the log. */
  added: number;
  /** Imported events the log holds as the very same line. */
  alreadyPresent: number;
  /** The highest `lamport_clock` per `node_id` of the merged log. */
  clock: ClockState;
}

type Keys = Pick<Event, "lamport_clock" | "node_id" | "event_id">;
const BUFFER = 1 << 20;

/**
 * Merges `imported` (sorted, ids normalised, one line per id: the events of
 * a clean `mergeLogs` of the sources) into the locked log `file`
 * at `logPath`. Returns undefined, having written nothing that stays, unless
 * every line of the log is an event, the events stand in strictly rising
 * `(lamport_clock, node_id, event_id)` order with no id twice, and every
 * imported id the log holds is there as the identical line: exactly when
 * the in-memory merge would keep every log line where it is and add the
 * new ones between them (a conflict, a blank or junk line, another layout
 * of an event all take that merge instead). The temp file keeps the log's
 * mode.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { streamMerge } from "./stream_merge.ts";
 * const path = `${await Deno.makeTempDir()}/execution.events.jsonl`;
 * await Deno.writeTextFile(path, "junk\n");
 * using file = await Deno.open(path, { read: true, write: true });
 * assert.equal(await streamMerge(file, path, []), undefined);
 * ```
 */
export async function streamMerge(
  file: Deno.FsFile,
  logPath: string,
  imported: ReadonlyArray<{ line: string; event: Event }>,
): Promise<StreamedMerge | undefined> {
  const temp = tempPathFor(logPath);
  const mode = (await file.stat()).mode;
  let keep = false;
  try {
    using out = await Deno.open(temp, { write: true, createNew: true });
    const writer = new BufferedWriter(out);
    const walked = await walk(file, imported, writer);
    if (walked === undefined) return undefined;
    const changed = walked.added > 0 || !walked.complete;
    if (changed) {
      await writer.flush();
      if (mode !== null && Deno.build.os !== "windows") await Deno.chmod(temp, mode & 0o7777);
      await out.sync();
      keep = true;
    }
    const { added, clock } = walked;
    return { temp: keep ? temp : null, added, alreadyPresent: imported.length - added, clock };
  } finally {
    if (!keep) await Deno.remove(temp).catch(() => {});
  }
}

/** The pass itself: undefined as soon as the log is not one the stream can merge. */
async function walk(
  file: Deno.FsFile,
  imported: ReadonlyArray<{ line: string; event: Event }>,
  out: BufferedWriter,
): Promise<{ added: number; complete: boolean; clock: ClockState } | undefined> {
  const theirs = new Map(imported.map((e) => [e.event.event_id, e.line]));
  const seen = new Set<string>();
  const clock = emptyClock();
  const raise = (e: Keys) => {
    const node = e.node_id;
    clock[node] = Math.max(Object.hasOwn(clock, node) ? clock[node] : 0, e.lamport_clock);
  };
  const encoder = new TextEncoder();
  let next = 0;
  let added = 0;
  const emitBefore = async (keys: Keys | undefined) => {
    for (; next < imported.length; next++) {
      const event = imported[next].event;
      if (keys !== undefined && compareEvents(event, keys) >= 0) break;
      await out.line(encoder.encode(imported[next].line));
      raise(event);
      added++;
    }
  };
  let previous: Keys | undefined;
  let complete = true;
  await file.seek(0, Deno.SeekMode.Start);
  for await (const raw of rawLines(ReadableStream.from(chunks(file)))) {
    const kind = classifyLine(raw.bytes);
    if (kind.kind !== "event") return undefined;
    const { lamport_clock, node_id } = kind.event;
    const keys = { lamport_clock, node_id, event_id: normalizeEventId(kind.event.event_id) };
    if (previous !== undefined && compareEvents(previous, keys) >= 0) return undefined;
    if (seen.has(keys.event_id)) return undefined;
    seen.add(keys.event_id);
    const line = theirs.get(keys.event_id);
    // Same id: present only as the same line (else a conflict, or the smallest line rule).
    if (line !== undefined && line !== kind.line) return undefined;
    await emitBefore(keys);
    // The imported copy of this very line sorts equal to it: it is present.
    if (line !== undefined) next++;
    await out.line(raw.bytes);
    raise(keys);
    previous = keys;
    complete = raw.complete;
  }
  await emitBefore(undefined);
  return { added, complete, clock };
}

/** The locked file's bytes from where it stands, read through its own handle (the lock stays). */
export async function* chunks(file: Deno.FsFile): AsyncGenerator<Uint8Array> {
  for (;;) {
    const buffer = new Uint8Array(BUFFER);
    const n = await file.read(buffer);
    if (n === null) return;
    yield buffer.subarray(0, n);
  }
}

/** Lines gathered into large writes. */
class BufferedWriter {
  readonly #file: Deno.FsFile;
  readonly #buffer = new Uint8Array(BUFFER);
  #used = 0;
  constructor(file: Deno.FsFile) {
    this.#file = file;
  }
  /** Writes `bytes` and a `\n`. */
  async line(bytes: Uint8Array): Promise<void> {
    if (this.#used + bytes.length + 1 > BUFFER) await this.flush();
    if (bytes.length + 1 > BUFFER) {
      await writeAll(this.#file, bytes);
      await writeAll(this.#file, new Uint8Array([0x0a]));
      return;
    }
    this.#buffer.set(bytes, this.#used);
    this.#buffer[this.#used + bytes.length] = 0x0a;
    this.#used += bytes.length + 1;
  }
  /** Writes what is gathered. */
  async flush(): Promise<void> {
    await writeAll(this.#file, this.#buffer.subarray(0, this.#used));
    this.#used = 0;
  }
}
