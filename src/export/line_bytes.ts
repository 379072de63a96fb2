/**
 * OTLP/JSON lines of the file exporter format, written as bytes in two
 * steps, so that the lines do not depend on who encoded what: each range of
 * a log is encoded as items alone ({@linkcode ItemRun}: each item opened by
 * a comma, and where in its buffer each item starts), and the one writer
 * ({@linkcode LineBreaks}), counting the items across ranges in order,
 * turns every `BATCH_EVENTS`-th item's comma into the end of one line and
 * the start of the next. Each line is one `TracesData` or `LogsData`
 * object ended by a newline. Pure.
 *
 * @module
 */
import { type ByteOut, utf8 } from "./byte_out.ts";
import { BATCH_EVENTS, type ItemSignal, lineEnds } from "./otlp_encode.ts";
import { ItemWriter } from "./item_bytes.ts";
import type { ExportRow } from "./otlp_mapping.ts";

const COMMA = 0x2c;

/** A buffer of items, and where in it each item that starts there starts (at its comma). */
export interface ItemChunk {
  /** The bytes written. */
  bytes: Uint8Array;
  /** Offsets in `bytes` of the items' commas, ascending. */
  starts: Int32Array;
}

/**
 * Writes rows as items into `out`, each opened by a comma, noting where
 * each starts: {@linkcode ItemRun.take} hands over (and forgets) the
 * starts in the buffer being filled (call it when `out` spills it).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ByteOut } from "./byte_out.ts";
 * import { ItemRun } from "./line_bytes.ts";
 * const out = new ByteOut(new Uint8Array(64), () => new Uint8Array(64));
 * const run = new ItemRun("logs", out);
 * assert.deepEqual(run.take(), new Int32Array());
 * ```
 */
export class ItemRun {
  readonly #writer: ItemWriter;
  #starts = new Int32Array(64);
  #count = 0;

  /** Items of `signal` into `out`. */
  constructor(signal: ItemSignal, readonly out: ByteOut) {
    this.#writer = new ItemWriter(signal);
  }

  /** Writes one row's item, a comma first. */
  row(row: ExportRow): void {
    const out = this.out;
    out.byte(COMMA);
    if (this.#count === this.#starts.length) {
      const more = new Int32Array(this.#count * 2);
      more.set(this.#starts);
      this.#starts = more;
    }
    this.#starts[this.#count++] = out.at - 1;
    this.#writer.write(out, row);
  }

  /** The starts of the items that start in the buffer being filled (forgotten here). */
  take(): Int32Array {
    const starts = this.#starts.slice(0, this.#count);
    this.#count = 0;
    return starts;
  }
}

/**
 * Turns chunks of items, in order, into lines of up to `BATCH_EVENTS`
 * items: the pieces to write, in order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LineBreaks } from "./line_bytes.ts";
 * const breaks = new LineBreaks("logs", "p");
 * const pieces = breaks.pieces({ bytes: new TextEncoder().encode(",{}"), starts: Int32Array.of(0) });
 * const text = [...pieces, ...breaks.end()].map((b) => new TextDecoder().decode(b)).join("");
 * assert.deepEqual(JSON.parse(text).resourceLogs[0].scopeLogs[0].logRecords, [{}]);
 * ```
 */
export class LineBreaks {
  readonly #open: Uint8Array;
  /** A line's end, a newline and the next line's start. */
  readonly #between: Uint8Array;
  readonly #close: Uint8Array;
  /** Items written so far. */
  #items = 0;

  /** Lines of `signal` for `project`. */
  constructor(signal: ItemSignal, project: string) {
    const { open, close } = lineEnds(signal, project);
    this.#open = utf8(open);
    this.#close = utf8(close + "\n");
    this.#between = utf8(close + "\n" + open);
  }

  /** The pieces that write `chunk` (slices of its bytes and the text between lines). */
  pieces({ bytes, starts }: ItemChunk): Uint8Array[] {
    const pieces: Uint8Array[] = [];
    let from = 0;
    let items = this.#items;
    // The first item of a line: the one after a multiple of BATCH_EVENTS.
    let k = (BATCH_EVENTS - items % BATCH_EVENTS) % BATCH_EVENTS;
    for (; k < starts.length; k += BATCH_EVENTS) {
      const at = starts[k];
      if (at > from) pieces.push(bytes.subarray(from, at));
      pieces.push(items + k === 0 ? this.#open : this.#between);
      // The comma gives way to the line's start.
      from = at + 1;
    }
    items += starts.length;
    this.#items = items;
    if (from < bytes.length) pieces.push(bytes.subarray(from));
    return pieces;
  }

  /** The end of the last line (nothing when no item was written). */
  end(): Uint8Array[] {
    return this.#items === 0 ? [] : [this.#close];
  }
}
