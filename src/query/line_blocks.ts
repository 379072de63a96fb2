/**
 * A log's matching events as the bytes `query` writes, a block at a time,
 * with their order keys beside them: a stored line that already is the
 * canonical text of its event (see `ExecutionView.verbatim`) is copied
 * byte for byte, with no string made of it; every other event is decoded
 * and written with `encodeEvent`, as before. Nothing is allocated per line.
 *
 * @module
 */
import { encodeEvent } from "../event/line_encode.ts";
import { type LineProblem, scanLogBatches } from "../read/log_reader.ts";
import type { ByteRange } from "../read/byte_range.ts";
import { type EventFilter, matches } from "./filter.ts";
import { exactLineSink, type TakeLine } from "./exact_lines.ts";
import { filteredSink } from "./filtered_lines.ts";

/**
 * Lines ready to write: line `k` is `bytes[starts[k], ends[k])`, its `\n`
 * included, with its order keys `clocks[k]` and `nodes[k]` (the id is the
 * line's first value; see `idTextAt`). A negative start marks a line kept
 * apart, in `texts[~starts[k], ~ends[k])` (see `chunk_lines.ts`).
 */
export interface LineBlock {
  /** Lines in the block. */
  count: number;
  /** The lines' text. */
  bytes: Uint8Array;
  /** The text of the lines with a negative start, when there may be some. */
  texts?: Uint8Array;
  /** Where each line starts in `bytes`. */
  starts: Int32Array;
  /** Where each line ends (after its `\n`). */
  ends: Int32Array;
  /** Each line's clock. */
  clocks: Float64Array;
  /** Each line's node. */
  nodes: string[];
}

/** A block's typed arrays (what can move between threads without a copy). */
export interface BlockArrays {
  /** See {@linkcode LineBlock}. */
  bytes: Uint8Array<ArrayBuffer>;
  /** See {@linkcode LineBlock}. */
  starts: Int32Array<ArrayBuffer>;
  /** See {@linkcode LineBlock}. */
  ends: Int32Array<ArrayBuffer>;
  /** See {@linkcode LineBlock}. */
  clocks: Float64Array<ArrayBuffer>;
  /** Each line's number in its log (for putting decoded lines in place). */
  numbers: Float64Array<ArrayBuffer>;
}

/**
 * What {@linkcode logBlocks} fills with a read block's matching lines: the
 * lines it takes from the bytes first, then the decoded ones, then put in
 * file order by their numbers (`n`).
 */
export interface LineTarget {
  /** Lines added since the last {@linkcode LineTarget.clear}. */
  readonly count: number;
  /** Adds `bytes[start, end)` (the line without its end), `bytes` valid until `flush`. */
  addBytes: TakeLine;
  /** Adds a decoded line's canonical text. */
  addText(text: string, clock: number, node: string, n: number): void;
  /** Adds a line written anew, `bytes[start, end)`, copied at once (`bytes` is reused after). */
  addCopy: TakeLine;
  /** Done with the read block's bytes. */
  flush(): void;
  /** Lines `[from, count)` (decoded) go in place among the others by their numbers. */
  interleave(from: number): void;
  /** Empties it for the next read block. */
  clear(): void;
}

/** A block being filled: lines appended in any order, then put in file order. */
export class BlockBuilder implements LineBlock, BlockArrays, LineTarget {
  count = 0;
  bytes: Uint8Array<ArrayBuffer> = new Uint8Array(1 << 16);
  starts: Int32Array<ArrayBuffer> = new Int32Array(1 << 10);
  ends: Int32Array<ArrayBuffer> = new Int32Array(1 << 10);
  clocks: Float64Array<ArrayBuffer> = new Float64Array(1 << 10);
  nodes: string[] = [];
  numbers: Float64Array<ArrayBuffer> = new Float64Array(1 << 10);
  #used = 0;
  readonly #encoder = new TextEncoder();
  // Lines still in the read block, one after another with their `\n`: copied at once.
  #run: Uint8Array | undefined;
  #runStart = 0;
  #runEnd = 0;

  /** A block over the arrays of `from` (one handed back from another thread), emptied. */
  static reusing(from: BlockArrays): BlockBuilder {
    const block = new BlockBuilder();
    block.bytes = from.bytes;
    block.starts = from.starts;
    block.ends = from.ends;
    block.clocks = from.clocks;
    block.numbers = from.numbers;
    return block;
  }

  /** Empties the block (its arrays are reused). */
  clear(): void {
    this.count = 0;
    this.#used = 0;
    this.#run = undefined;
  }

  /**
   * Appends `from[start, end)` and a `\n`. A line that `from` follows with
   * its `\n` joins the run of such lines before it, copied in one go by
   * {@linkcode BlockBuilder.flush} (`from` must stay as it is until then).
   */
  addBytes(from: Uint8Array, start: number, end: number, clock: number, node: string, n: number) {
    if (from[end] !== 0x0a) {
      // A `\r\n` or no line end: the line alone, with a `\n`.
      this.flush();
      this.#room(end - start + 1);
      this.bytes.set(from.subarray(start, end), this.#used);
      this.#put(end - start + 1, clock, node, n);
      return;
    }
    if (from !== this.#run || start !== this.#runEnd) {
      this.flush();
      this.#run = from;
      this.#runStart = start;
    }
    this.#runEnd = end + 1;
    const at = this.#used + start - this.#runStart;
    this.#line(at, at + end + 1 - start, clock, node, n);
  }

  /** Appends `text` and a `\n`. */
  addText(text: string, clock: number, node: string, n: number): void {
    this.flush();
    this.#room(text.length * 3 + 1);
    const { written } = this.#encoder.encodeInto(text, this.bytes.subarray(this.#used));
    this.#put(written + 1, clock, node, n);
  }

  /** Appends `from[start, end)` and a `\n`, copied at once. */
  addCopy(from: Uint8Array, start: number, end: number, clock: number, node: string, n: number) {
    this.flush();
    this.#room(end - start + 1);
    this.bytes.set(from.subarray(start, end), this.#used);
    this.#put(end - start + 1, clock, node, n);
  }

  /** Copies in the run of lines still in their read block. */
  flush(): void {
    if (!this.#run) return;
    const length = this.#runEnd - this.#runStart;
    this.#room(length);
    this.bytes.set(this.#run.subarray(this.#runStart, this.#runEnd), this.#used);
    this.#used += length;
    this.#run = undefined;
  }

  /** The `length` bytes just written at the end (a `\n` last) as a line. */
  #put(length: number, clock: number, node: string, n: number): void {
    const end = this.#used + length;
    this.bytes[end - 1] = 0x0a;
    this.#line(this.#used, end, clock, node, n);
    this.#used = end;
  }

  #line(start: number, end: number, clock: number, node: string, n: number): void {
    if (this.count === this.starts.length) this.#grow();
    const k = this.count++;
    this.starts[k] = start;
    this.ends[k] = end;
    this.clocks[k] = clock;
    this.nodes[k] = node;
    this.numbers[k] = n;
  }

  #room(bytes: number): void {
    if (this.#used + bytes <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.#used + bytes));
    grown.set(this.bytes.subarray(0, this.#used));
    this.bytes = grown;
  }

  #grow(): void {
    const n = this.starts.length * 2;
    const grow = <T extends Int32Array<ArrayBuffer> | Float64Array<ArrayBuffer>>(a: T, b: T) => (
      b.set(a), b
    );
    this.starts = grow(this.starts, new Int32Array(n));
    this.ends = grow(this.ends, new Int32Array(n));
    this.clocks = grow(this.clocks, new Float64Array(n));
    this.numbers = grow(this.numbers, new Float64Array(n));
  }

  /**
   * Puts lines `[from, count)` (appended after the others, each run in
   * file order) in place by their numbers: a merge of the two runs.
   */
  interleave(from: number): void {
    if (from === 0 || from === this.count) return;
    const { starts, ends, clocks, numbers, nodes } = this;
    const s = starts.slice(0, this.count), e = ends.slice(0, this.count);
    const c = clocks.slice(0, this.count), n = numbers.slice(0, this.count);
    const o = nodes.slice(0, this.count);
    for (let k = 0, i = 0, j = from; k < this.count; k++) {
      const x = j === this.count || (i < from && n[i] < n[j]) ? i++ : j++;
      starts[k] = s[x];
      ends[k] = e[x];
      clocks[k] = c[x];
      numbers[k] = n[x];
      nodes[k] = o[x];
    }
  }
}

/**
 * The matching events of one log as output lines, in file order, a read
 * block's worth at a time. Without `fresh`, one block is refilled each time
 * (the caller is done with it when it asks for the next); with it, each
 * block is one it gives (for gathering, or handing blocks to another thread,
 * or a {@linkcode LineTarget} that files the lines away: see `line_index.ts`).
 * `range`: only those bytes of the log (whole lines).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { BlockBuilder, logBlocks } from "./line_blocks.ts";
 * const path = await Deno.makeTempFile();
 * const line = '{"event_id":"01KHJVJWDM0HGAGYGXJYKD1JQG","event_type":"Note",' +
 *   '"aggregate_id":"043-x","lamport_clock":7,"node_id":"n1","causation_id":null,' +
 *   '"timestamp":"2026-02-16T09:12:58Z","payload":{"a": 1}}';
 * await Deno.writeTextFile(path, line + "\n");
 * const fresh = () => new BlockBuilder();
 * const [block] = await Array.fromAsync(logBlocks(path, {}, () => {}, fresh));
 * const text = new TextDecoder().decode(block.bytes.subarray(block.starts[0], block.ends[0]));
 * assert.equal(text, line.replace('{"a": 1}', '{"a":1}') + "\n");
 * assert.deepEqual([block.count, block.clocks[0], block.nodes[0]], [1, 7, "n1"]);
 * ```
 */
export async function* logBlocks<T extends LineTarget = BlockBuilder>(
  path: string,
  filter: EventFilter,
  onProblem: (problem: LineProblem) => void,
  fresh?: () => T,
  range?: ByteRange,
): AsyncGenerator<T> {
  let block = fresh?.() ?? new BlockBuilder() as LineTarget as T;
  const add: TakeLine = (bytes, start, end, clock, node, n, print) =>
    block.addBytes(bytes, start, end, clock, node, n, print);
  const every = Object.values(filter).every((value) => value === undefined);
  const copy: TakeLine = (bytes, start, end, clock, node, n, print) =>
    block.addCopy(bytes, start, end, clock, node, n, print);
  const sink = every ? exactLineSink(add, copy) : filteredSink(filter, add);
  const numbers: number[] = [];
  // With `numbers`, every block yields (maybe no decoded event): the taken lines are one block's.
  for await (const batch of scanLogBatches(path, onProblem, range, sink, undefined, numbers)) {
    const taken = block.count;
    for (let k = 0; k < batch.length; k++) {
      const event = batch[k];
      if (!matches(event, filter)) continue;
      block.addText(encodeEvent(event), event.lamport_clock, event.node_id, numbers[k]);
    }
    block.flush(); // before the read block is reused
    if (block.count === 0) continue;
    block.interleave(taken);
    yield block;
    if (fresh) block = fresh();
    else block.clear();
  }
}
