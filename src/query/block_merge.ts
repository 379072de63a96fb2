/**
 * Ordering output lines held in blocks (see `line_blocks.ts`): a k-way
 * merge of sorted sources through a binary heap that compares clocks and
 * nodes kept beside the bytes (the ids, read from the lines, only when
 * both tie), and an in-memory sort for a set of lines that is not in order.
 * Lines are copied to a {@linkcode LineWriter}, never made into strings.
 *
 * @module
 */
import { idTextAt } from "./id_prints.ts";
import { BlockBuilder, type LineBlock } from "./line_blocks.ts";
import { heapDown, heapPush } from "./binary_heap.ts";

/**
 * Compares line `i` of `a` with line `j` of `b` in the total order
 * `(lamport_clock, node_id, event_id)`; 0 when all three tie.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compareLines } from "./block_merge.ts";
 * import { BlockBuilder } from "./line_blocks.ts";
 * const block = new BlockBuilder();
 * block.addText('{"event_id":"b"}', 1, "n", 1);
 * block.addText('{"event_id":"a"}', 1, "n", 2);
 * block.addText('{"event_id":"a"}', 1, "m", 3);
 * assert.ok(compareLines(block, 0, block, 1) > 0 && compareLines(block, 2, block, 1) < 0);
 * ```
 */
export function compareLines(a: LineBlock, i: number, b: LineBlock, j: number): number {
  const ca = a.clocks[i], cb = b.clocks[j];
  if (ca !== cb) return ca - cb;
  const na = a.nodes[i], nb = b.nodes[j];
  if (na !== nb) return na < nb ? -1 : 1;
  const ia = idOf(a, i), ib = idOf(b, j);
  return ia === ib ? 0 : ia < ib ? -1 : 1;
}

/** The id of line `k` of a block, wherever the line is kept. */
function idOf(block: LineBlock, k: number): string {
  const start = block.starts[k];
  return start >= 0 ? idTextAt(block.bytes, start) : idTextAt(block.texts!, ~start);
}

/**
 * Output in large writes: lines are copied into one reused buffer, written
 * out when it is full (always at a line's end).
 */
export class LineWriter {
  /** Lines written so far. */
  lines = 0;
  readonly #buffer: Uint8Array;
  #used = 0;

  /** Writes through `write`, which must be done with its bytes when it resolves. */
  constructor(readonly write: (bytes: Uint8Array) => Promise<void>, size = 1 << 20) {
    this.#buffer = new Uint8Array(size);
  }

  /** Copies `bytes[start, end)` in; false when it does not fit (flush, then {@linkcode LineWriter.add}). */
  put(bytes: Uint8Array, start: number, end: number): boolean {
    if (this.#used + end - start > this.#buffer.length) return false;
    this.#buffer.set(bytes.subarray(start, end), this.#used);
    this.#used += end - start;
    this.lines++;
    return true;
  }

  /** Writes what is buffered, then the line (directly when it is larger than the buffer). */
  async add(bytes: Uint8Array, start: number, end: number): Promise<void> {
    await this.flush();
    if (this.put(bytes, start, end)) return;
    await this.write(bytes.subarray(start, end));
    this.lines++;
  }

  /** Writes what is buffered. */
  async flush(): Promise<void> {
    if (this.#used === 0) return;
    const used = this.#used;
    this.#used = 0;
    await this.write(this.#buffer.subarray(0, used));
  }
}

/**
 * The lines of `blocks` sorted (ties in the blocks' order), in new blocks
 * of about `size` lines.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sortedBlocks } from "./block_merge.ts";
 * import { BlockBuilder } from "./line_blocks.ts";
 * const block = new BlockBuilder();
 * for (const clock of [3, 1, 2]) block.addText(`{"event_id":"${clock}"}`, clock, "n", clock);
 * const [sorted] = [...sortedBlocks([block])];
 * assert.deepEqual([...sorted.clocks.subarray(0, sorted.count)], [1, 2, 3]);
 * ```
 */
export function* sortedBlocks(blocks: LineBlock[], size = 4096): Generator<LineBlock> {
  const entries: number[] = [];
  for (const [b, block] of blocks.entries()) {
    for (let k = 0; k < block.count; k++) entries.push(b * SPAN + k);
  }
  const block = (e: number) => blocks[Math.floor(e / SPAN)];
  entries.sort((x, y) => compareLines(block(x), x % SPAN, block(y), y % SPAN) || x - y);
  for (let i = 0; i < entries.length; i += size) {
    const out = new BlockBuilder();
    for (const e of entries.slice(i, i + size)) {
      const from = block(e), k = e % SPAN;
      const start = from.starts[k];
      const [bytes, a, z] = start >= 0
        ? [from.bytes, start, from.ends[k]]
        : [from.texts!, ~start, ~from.ends[k]];
      out.addBytes(bytes, a, z - 1, from.clocks[k], from.nodes[k], 0);
    }
    out.flush();
    yield out;
  }
}

/** Lines per block are far fewer than this (a line is tens of bytes at least). */
const SPAN = 2 ** 24;

/** One source's place in the merge. */
interface Head {
  source: number;
  block: LineBlock;
  at: number;
  more: AsyncIterator<LineBlock> | Iterator<LineBlock>;
}

const before = (x: Head, y: Head) =>
  (compareLines(x.block, x.at, y.block, y.at) || x.source - y.source) < 0;

/**
 * Writes the lines of sorted `sources` in the total order (ties in source
 * order), each line only when `first` says it is its id's first copy, up
 * to `limit` lines. A source may reuse its block: it is asked for the next
 * one only once every line of the last is written.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LineWriter, mergeBlocks } from "./block_merge.ts";
 * import { BlockBuilder } from "./line_blocks.ts";
 * const source = (...clocks: number[]) => {
 *   const block = new BlockBuilder();
 *   for (const c of clocks) block.addText(`{"event_id":"${c}"}`, c, "n", c);
 *   return [block][Symbol.iterator]();
 * };
 * let text = "";
 * const out = new LineWriter(async (b) => void (text += new TextDecoder().decode(b)));
 * await mergeBlocks([source(1, 4), source(2, 3)], () => true, out, Infinity);
 * assert.equal(text, '{"event_id":"1"}\n{"event_id":"2"}\n{"event_id":"3"}\n{"event_id":"4"}\n');
 * ```
 */
export async function mergeBlocks(
  sources: (AsyncIterator<LineBlock> | Iterator<LineBlock>)[],
  first: (bytes: Uint8Array, start: number) => boolean,
  out: LineWriter,
  limit: number,
): Promise<void> {
  const heap: Head[] = [];
  const refill = async (head: Head): Promise<boolean> => {
    for (let step = await head.more.next(); !step.done; step = await head.more.next()) {
      if (step.value.count > 0) {
        head.block = step.value;
        head.at = 0;
        return true;
      }
    }
    return false;
  };
  for (const [source, more] of sources.entries()) {
    const head: Head = { source, block: EMPTY, at: 0, more };
    if (await refill(head)) heapPush(heap, head, before);
  }
  while (heap.length > 0 && out.lines < limit) {
    const head = heap[0];
    const { starts, ends } = head.block;
    const k = head.at;
    let start = starts[k], end = ends[k], bytes = head.block.bytes;
    if (start < 0) [start, end, bytes] = [~start, ~end, head.block.texts!];
    if (first(bytes, start) && !out.put(bytes, start, end)) await out.add(bytes, start, end);
    if (++head.at < head.block.count) heapDown(heap, 0, before);
    else if (await refill(head)) heapDown(heap, 0, before);
    else {
      const last = heap.pop()!;
      if (heap.length > 0) {
        heap[0] = last;
        heapDown(heap, 0, before);
      }
    }
  }
  await out.flush();
  // Sources left unread (a limit reached) close their files.
  for (const head of heap) await head.more.return?.();
}

const EMPTY: LineBlock = new BlockBuilder();
