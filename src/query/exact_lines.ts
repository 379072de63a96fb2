/**
 * The line sink of a `query` without a filter: every event is wanted, so a
 * line needs only a verdict, no view. The kernel (`LineKernel`, an instance
 * of its own) reads a read block's lines at once; an execution line it
 * vouches for and finds spelled as the tool writes it (record slot `exact`,
 * and a time it read or that is RFC 3339) is handed on as a byte range
 * with its clock and node; one it vouches for in the Python writer's
 * layout is written from its record (`record_line.ts`) and handed on as a
 * copy; a vouched line it cannot write goes to the decoder as an event
 * (`DECODE_EVENT`: no not-an-event check); a line of another type goes to
 * the {@linkcode VerbatimReader} as in `lineSinkOf`; every other line is
 * decoded. Decoding a line that could have been copied gives the same
 * bytes (the verbatim rule is `encodeEvent(JSON.parse(line)) === line`), so
 * a line this sink leaves is only slower, never different.
 *
 * @module
 */
import { isRfc3339Bytes } from "../event/text_rules.ts";
import { DECODE_EVENT, DECODE_LINE, type LineSink } from "../read/byte_blocks.ts";
import type { ByteChunk } from "../read/byte_scan.ts";
import { nextLine } from "../read/line_walk.ts";
import { hash26 } from "../event/id_hash26.ts";
import { VerbatimReader } from "../read/other_lines.ts";
import { isPythonLayout } from "../read/python_bytes.ts";
import { recordLine } from "./record_line.ts";
import { BLOCK_AT, KIND, LineKernel, SLOT, SLOTS } from "../read/wasm/line_kernel.ts";

/**
 * Takes line `[start, end)` of `bytes` (numbered `n`) with its keys and,
 * when the kernel read it, its id's print (`SLOT.idHash`; else NaN or left out).
 */
export type TakeLine = (
  bytes: Uint8Array,
  start: number,
  end: number,
  clock: number,
  node: string,
  n: number,
  print?: number,
) => void;

/** Takes a line written anew, `bytes[start, end)` (copied at once: reused after), with its keys. */
export type TakeCopy = TakeLine;

let kernel: LineKernel | undefined;

/**
 * A sink that hands every line it can copy to `take` and has the rest
 * decoded (it takes every event: for a query without a filter).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ByteChunk } from "../read/byte_scan.ts";
 * import { DECODE_EVENT } from "../read/byte_blocks.ts";
 * import { exactLineSink } from "./exact_lines.ts";
 * const line = '{"event_id":"01KHJVJWDM0HGAGYGXJYKD1JQG","event_type":"ExecutionEvent",' +
 *   '"aggregate_id":"043-x","lamport_clock":1,"node_id":"n1","causation_id":null,' +
 *   '"timestamp":"2026-02-16T09:12:58.036Z","payload":{"wp_id":"WP01","agent":"claude",' +
 *   '"role":"implementer","model":"claude-opus-4-6","input_tokens":10,"output_tokens":5,' +
 *   '"cache_read_tokens":null,"cache_write_tokens":null,"cache_write_1h_tokens":null,' +
 *   '"reasoning_tokens":null,"cost_usd":0.25,"duration_ms":100,"success":true,"error":null,' +
 *   '"exit_code":0}}';
 * const chunk = new ByteChunk(new TextEncoder().encode(line + "\n" + line.replace("0.25", "0.250") + "\n"));
 * const taken: number[][] = [];
 * const sink = exactLineSink((_, start, end, clock) => taken.push([start, end, clock]));
 * assert.equal(sink(chunk, 0, 1), line.length);
 * assert.equal(sink(chunk, line.length + 1, 2), DECODE_EVENT); // an event, spelled otherwise
 * assert.deepEqual(taken, [[0, line.length, 1]]);
 * ```
 */
export function exactLineSink(take: TakeLine, takeCopy?: TakeCopy): LineSink {
  const k = kernel ??= new LineKernel();
  const others = new VerbatimReader();
  let chunk: ByteChunk | undefined;
  let count = 0;
  let at = 0;
  // Where the loaded block starts in the kernel's memory (its home, or where it was copied).
  let base = BLOCK_AT;
  /** Takes the line of record `at` (numbered `line`): its end, or a `DECODE_*` answer. */
  const takeAt = (block: ByteChunk, start: number, line: number): number => {
    const r = k.records;
    const o = at * SLOTS;
    const kind = r[o + SLOT.kind];
    if (kind === KIND.EXECUTION) {
      const ms = r[o + SLOT.time];
      const time = ms === ms ||
        isRfc3339Bytes(block.bytes, r[o + SLOT.timeFrom] - base, r[o + SLOT.timeTo] - base);
      if (!time) return DECODE_LINE;
      // From here the line is an event the kernel vouches for.
      const end = r[o + SLOT.end] - base;
      const clock = r[o + SLOT.clock];
      if (r[o + SLOT.exact] === 1) {
        take(block.bytes, start, end, clock, k.names[r[o + SLOT.node]], line, r[o + SLOT.idHash]);
        return end;
      }
      if (!takeCopy || !isPythonLayout(block, start)) return DECODE_EVENT;
      const text = recordLine(block.bytes, start, end, r, o, k.names, base);
      if (text === undefined) return DECODE_EVENT;
      takeCopy(text, 0, text.length, clock, k.names[r[o + SLOT.node]], line, r[o + SLOT.idHash]);
      return end;
    }
    if (kind !== KIND.OTHER_TYPE || !others.read(block, start)) return DECODE_LINE;
    const print = hash26(block.view, others.idFrom); // a 26-character id: see `idPrintAt`
    take(block.bytes, start, others.lineEnd, others.lamport_clock, others.node_id, line, print);
    return others.lineEnd;
  };
  const sink: LineSink = (block, start, line) => {
    if (block !== chunk || k.owner !== others) {
      // A block the kernel cannot take while its home is lent to another reader: JS reads it.
      if (!k.fits(block)) return DECODE_LINE;
      k.load(block);
      k.owner = others;
      chunk = block;
      base = k.base;
      count = at = 0;
    }
    const r = k.records;
    const from = base + start;
    while (at < count && r[at * SLOTS + SLOT.start] < from) at++;
    if (at === count) {
      count = k.run(start);
      at = 0;
    }
    if (r[at * SLOTS + SLOT.start] !== from) return DECODE_LINE;
    let end = takeAt(block, start, line);
    if (end < 0) return end;
    // The lines after it that it takes too, as one run: no walk and no call per line.
    let lines = 0;
    for (;;) {
      const next = nextLine(block, end);
      if (at + 1 === count || r[(at + 1) * SLOTS + SLOT.start] !== base + next) break;
      at++;
      const stop = takeAt(block, next, line + lines + 1);
      if (stop < 0) break; // asked for this line next, it answers the same
      end = stop;
      lines++;
    }
    sink.runLines = lines;
    return end;
  };
  // Blocks are read straight into the kernel's memory when its home is free (no copy per block).
  sink.home = k.home;
  return sink;
}
