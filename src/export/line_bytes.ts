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
import { ItemKernel } from "./item_kernel.ts";
import { IdBatch } from "./wasm/sha256_kernel.ts";
import type { ByteChunk } from "../read/byte_scan.ts";

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
  /** The wasm writer (see `fast`), and whether items wait in its out region. */
  readonly #wasm: ItemKernel | undefined;
  #waiting = false;

  /** Items of `signal` into `out` (`fast` writes in wasm unless `wasm` is false). */
  constructor(signal: ItemSignal, readonly out: ByteOut, wasm = true) {
    this.#writer = new ItemWriter(signal);
    this.#wasm = wasm ? ItemKernel.of(signal) : undefined;
    // What waits in wasm goes into the buffer before it is handed on.
    const before = out.beforeFlush;
    out.beforeFlush = before ? () => (this.#drain(), before()) : this.#drain;
  }

  /** Writes one row's item, a comma first. */
  row(row: ExportRow): void {
    if (this.#waiting) this.#drain();
    const out = this.out;
    out.byte(COMMA);
    this.#start(out.at - 1);
    this.#writer.write(out, row);
  }

  /**
   * Writes the item of `row`, whose line is `chunk.bytes[from, to)`
   * (`verbatim` when the readers vouched for it as such; else only the
   * Python layout may be taken), in wasm, in order with the others; false
   * when it is left to {@linkcode ItemRun.row}.
   */
  fast(chunk: ByteChunk, from: number, to: number, row: ExportRow, verbatim: boolean): boolean {
    const wasm = this.#wasm;
    if (wasm === undefined) return false;
    wasm.claim(this, this.#drain);
    // The ids' lanes are shared with the JS writer's batch.
    this.#batch.use(this.#finish);
    const out = this.out;
    out.room(2 * (to - from) + wasm.fixed);
    const buf = out.buf;
    if (buf.buffer === wasm.buffer) {
      // The buffer is in the module's memory: written there directly. Items wait in the out
      // region only while the buffer is another (a flush drains them); should any wait, JS
      // writes this one after them.
      if (this.#waiting) return false;
      const at = out.at;
      const end = wasm.write(chunk, from, to, row, buf.byteOffset + at, verbatim);
      if (end < 0) return false;
      this.#start(at);
      out.at = end - buf.byteOffset;
      return true;
    }
    if (!wasm.fits(to - from)) this.#drain();
    if (wasm.write(chunk, from, to, row, 0, verbatim) < 0) return false;
    this.#waiting = true;
    return true;
  }

  readonly #batch = IdBatch.get();
  readonly #finish = (): void => {
    this.#wasm?.finish();
  };

  /**
   * Fills the ids waiting in wasm, and copies the items waiting in its out
   * region into `out`, noting where each starts.
   */
  readonly #drain = (): void => {
    const wasm = this.#wasm;
    if (wasm === undefined) return;
    const n = wasm.finish();
    if (!this.#waiting) return;
    this.#waiting = false;
    const items = wasm.items();
    const out = this.out;
    out.room(n);
    const at = out.at;
    out.buf.set(wasm.out.subarray(0, n), at);
    const starts = wasm.starts;
    for (let i = 0; i < items; i++) this.#start(at + starts[i]);
    out.at = at + n;
    wasm.reset();
  };

  #start(at: number): void {
    if (this.#count === this.#starts.length) {
      const more = new Int32Array(this.#count * 2);
      more.set(this.#starts);
      this.#starts = more;
    }
    this.#starts[this.#count++] = at;
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
