/**
 * OTLP/JSON lines of the file exporter format, written as bytes: items of
 * one signal, up to `BATCH_EVENTS` a line, each line one `TracesData` or
 * `LogsData` object ended by a newline. Pure.
 *
 * @module
 */
import { type ByteOut, utf8 } from "./byte_out.ts";
import { BATCH_EVENTS, type ItemSignal, lineEnds } from "./otlp_encode.ts";
import { ItemWriter } from "./item_bytes.ts";
import type { ExportRow } from "./otlp_mapping.ts";

const COMMA = 0x2c;

/**
 * Writes rows as lines into `out`; {@linkcode LineBytes.end} closes the line
 * open, if any (lines written between two ends stand alone).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ByteOut } from "./byte_out.ts";
 * import { LineBytes } from "./line_bytes.ts";
 * let text = "";
 * const out = new ByteOut(new Uint8Array(1024), (b) => (text += new TextDecoder().decode(b), new Uint8Array(1024)));
 * const lines = new LineBytes("logs", "p", out);
 * lines.end();
 * out.flush();
 * assert.equal(text, "");
 * ```
 */
export class LineBytes {
  readonly #writer: ItemWriter;
  readonly #open: Uint8Array;
  readonly #close: Uint8Array;
  #inLine = 0;

  /** Lines of `signal` for `project` into `out`. */
  constructor(signal: ItemSignal, project: string, readonly out: ByteOut) {
    this.#writer = new ItemWriter(signal);
    const { open, close } = lineEnds(signal, project);
    this.#open = utf8(open);
    this.#close = utf8(close + "\n");
  }

  /** Writes one row's item (opening a line, or closing a full one). */
  row(row: ExportRow): void {
    const out = this.out;
    if (this.#inLine === 0) out.bytes(this.#open);
    else out.byte(COMMA);
    this.#writer.write(out, row);
    if (++this.#inLine === BATCH_EVENTS) this.end();
  }

  /** Closes the open line, if any. */
  end(): void {
    if (this.#inLine === 0) return;
    this.out.bytes(this.#close);
    this.#inLine = 0;
  }
}
