/**
 * `query`'s one reading of a log that parses it: every matching event's
 * place and keys, kept so that the second reading only copies bytes. The
 * lines are read as {@linkcode logBlocks} reads them (the same sink, the
 * same filter, every problem reported here), but a line that is already
 * canonical is not copied: its number, length, clock and node are noted
 * (about 24 bytes); a decoded line's canonical text is kept. The same
 * reading checks that the matching events stand in the total order and
 * notes a print of each id (see `id_prints.ts`). A budget caps what all
 * indexes keep: past it a log keeps only its facts and is read again as
 * before (see `write_ordered.ts`).
 *
 * @module
 */
import type { LineProblem } from "../read/log_reader.ts";
import type { EventFilter } from "./filter.ts";
import { ID_AT, IdPrints, idTextAt } from "./id_prints.ts";
import { BlockBuilder, type LineTarget, logBlocks } from "./line_blocks.ts";
import { type IndexBudget, KeptLines } from "./kept_lines.ts";

/**
 * What the indexes of one query share for a small result: each copies its
 * lines (into {@linkcode LineIndex.gathered}) while it reads them, so no
 * second reading is needed, until more than `left` lines match in all.
 */
export interface Gathering {
  /** Lines that may still be gathered. */
  left: number;
}

/**
 * A log's matching lines in file order (see {@linkcode KeptLines}), read
 * again by `indexedBlocks`, with the facts the merge needs.
 */
export class LineIndex implements LineTarget {
  /** Matching lines read. */
  matched = 0;
  /** The lines kept (all the matching ones unless the budget ran out). */
  readonly store: KeptLines;
  /** Every matching event is in `(lamport_clock, node_id, event_id)` order. */
  inOrder = true;
  /** The prints of the ids (see `id_prints.ts`). */
  readonly prints: IdPrints = new IdPrints();
  // The read block's lines as they come (taken ones first, then decoded ones).
  #count = 0;
  #copied = 0; // of them, lines to copy (all from #from)
  #from: Uint8Array = new Uint8Array(0);
  #starts = new Int32Array(1 << 10);
  #lengths = new Int32Array(1 << 10);
  #clocks = new Float64Array(1 << 10);
  #numbers = new Float64Array(1 << 10);
  #prints = new Float64Array(1 << 10); // the kernel's print of the id, else NaN
  #nodes: string[] = [];
  #blockText = new Uint8Array(1 << 12);
  #blockTextUsed = 0;
  readonly #encoder = new TextEncoder();
  // The line filed last: its keys (its id cut only at the end of a block).
  #clock = -Infinity;
  #node = "";
  #lastBytes: Uint8Array = new Uint8Array(0);
  #lastStart = -1;
  #lastId = "";

  /** Its lines, a read block's worth a block, while the gathering lasts (else empty). */
  readonly gathered: BlockBuilder[] = [];
  readonly #gathering: Gathering | undefined;
  #gathered: BlockBuilder | undefined; // the read block's lines, while gathering

  /** An index drawing on `budget`, its lines copied into `gathering` while it lasts. */
  constructor(budget: IndexBudget, gathering?: Gathering) {
    this.store = new KeptLines(budget);
    this.#gathering = gathering;
  }

  /** Lines of the read block not yet filed. */
  get count(): number {
    return this.#count;
  }

  /** A line to copy: noted (its bytes stay in the log); `print`: its id's, when known. */
  addBytes(
    from: Uint8Array,
    start: number,
    end: number,
    clock: number,
    node: string,
    n: number,
    print = NaN,
  ) {
    if (this.#copied++ > 0 && from !== this.#from) throw new RangeError("one read block at a time");
    this.#from = from;
    this.#note(start, end - start, clock, node, n, print);
  }

  /** A decoded line: its text kept. */
  addText(text: string, clock: number, node: string, n: number): void {
    const start = this.#textRoom(text.length * 3 + 1);
    const { written } = this.#encoder.encodeInto(text, this.#blockText.subarray(start));
    this.#keep(start, written, clock, node, n, NaN);
  }

  /** A line written anew: its text kept (copied now); `print`: its id's, when known. */
  addCopy(
    from: Uint8Array,
    start: number,
    end: number,
    clock: number,
    node: string,
    n: number,
    print = NaN,
  ) {
    const at = this.#textRoom(end - start + 1);
    this.#blockText.set(from.subarray(start, end), at);
    this.#keep(at, end - start, clock, node, n, print);
  }

  /** Where `room` bytes of kept text may go (made room for). */
  #textRoom(room: number): number {
    if (this.#blockTextUsed + room > this.#blockText.length) {
      this.#blockText = grown(this.#blockText, this.#blockTextUsed + room, this.#blockTextUsed);
    }
    return this.#blockTextUsed;
  }

  /** Notes the kept text of `length` bytes at `start` (a `\n` after it). */
  #keep(start: number, length: number, clock: number, node: string, n: number, print: number) {
    this.#blockText[start + length] = 0x0a;
    this.#blockTextUsed = start + length + 1;
    this.#note(start, ~length, clock, node, n, print);
  }

  /** Nothing to do: the bytes are read at {@linkcode LineIndex.interleave}. */
  flush(): void {}

  /**
   * Files the read block's lines in file order (the taken ones `[0, from)`
   * and the decoded ones `[from, count)`, each in file order): checks their
   * order, prints their ids and keeps them while the budget lasts.
   */
  interleave(from: number): void {
    const n = this.#numbers;
    const gathering = this.#gathering;
    if (gathering && gathering.left >= 0) this.#gathered = new BlockBuilder();
    for (let i = 0, j = from; i < from || j < this.#count;) {
      this.#file(j === this.#count || (i < from && n[i] < n[j]) ? i++ : j++);
    }
    const gathered = this.#gathered;
    if (gathering && gathered) {
      gathered.flush(); // before the read block is reused
      this.gathered.push(gathered);
      gathering.left -= gathered.count;
    }
    if (gathering && gathering.left < 0) this.gathered.length = 0; // too many: none kept
    this.#gathered = undefined;
    if (this.#lastStart >= 0) this.#lastId = idTextAt(this.#lastBytes, this.#lastStart);
    this.#lastStart = -1;
    this.clear();
  }

  /** Empties the read block's lines. */
  clear(): void {
    this.#count = 0;
    this.#copied = 0;
    this.#blockTextUsed = 0;
    this.#nodes.length = 0;
  }

  #note(start: number, length: number, clock: number, node: string, n: number, print: number) {
    if (this.#count === this.#starts.length) {
      const size = this.#count * 2;
      this.#starts = grown(this.#starts, size, this.#count);
      this.#lengths = grown(this.#lengths, size, this.#count);
      this.#clocks = grown(this.#clocks, size, this.#count);
      this.#numbers = grown(this.#numbers, size, this.#count);
      this.#prints = grown(this.#prints, size, this.#count);
    }
    const k = this.#count++;
    this.#starts[k] = start;
    this.#lengths[k] = length;
    this.#clocks[k] = clock;
    this.#numbers[k] = n;
    this.#nodes[k] = node;
    this.#prints[k] = print;
  }

  /** Files line `k` of the read block. */
  #file(k: number): void {
    const length = this.#lengths[k], start = this.#starts[k];
    const clock = this.#clocks[k], node = this.#nodes[k];
    const bytes = length >= 0 ? this.#from : this.#blockText;
    this.matched++;
    if (this.inOrder && clock <= this.#clock) this.inOrder = this.#after(clock, node, bytes, start);
    this.#clock = clock;
    this.#node = node;
    this.#lastBytes = bytes;
    this.#lastStart = start;
    const print = this.#prints[k];
    if (print === print) this.prints.print(print);
    else this.prints.bytes(bytes, start + ID_AT);
    const end = start + (length >= 0 ? length : ~length);
    this.#gathered?.addBytes(bytes, start, end, clock, node, this.#numbers[k]);
    const text = length >= 0 ? undefined : this.#blockText.subarray(start, end + 1);
    this.store.add(this.#numbers[k], length, text, clock, node);
  }

  /** True when the line (keys `clock`, `node`, id at `start`) may follow the one filed last. */
  #after(clock: number, node: string, bytes: Uint8Array, start: number): boolean {
    if (clock !== this.#clock) return clock > this.#clock;
    if (node !== this.#node) return node > this.#node;
    const last = this.#lastStart >= 0 ? idTextAt(this.#lastBytes, this.#lastStart) : this.#lastId;
    return idTextAt(bytes, start) >= last;
  }
}

/** A copy of `a`'s first `used` items in an array of `size`. */
function grown<T extends Uint8Array | Int32Array | Float64Array>(
  a: T,
  size: number,
  used: number,
): T {
  const b = new (a.constructor as new (n: number) => T)(size);
  b.set(a.subarray(0, used));
  return b;
}

/**
 * Reads a log once (its first `size` bytes) into a {@linkcode LineIndex}
 * of the lines matching `filter`, reporting each problem; with
 * `gathering`, the lines are copied too while it lasts.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { indexLog } from "./line_index.ts";
 * const path = await Deno.makeTempFile();
 * const line = (clock: number, id: string) =>
 *   `{"event_id":"${id}","event_type":"Note","aggregate_id":"f","lamport_clock":${clock},` +
 *   `"node_id":"n","causation_id":null,"timestamp":"2026-02-16T09:12:58Z","payload":{}}\n`;
 * await Deno.writeTextFile(path, line(2, "01KHJVJWDM0HGAGYGXJYKD1JQG") + "junk\n" +
 *   line(1, "01KHJVJWDM0HGAGYGXJYKD1JQH"));
 * const problems: string[] = [];
 * const index = await indexLog(path, 1e9, {}, (p) => problems.push(p.message), { left: 1 << 24 });
 * assert.deepEqual([index.matched, index.inOrder, index.prints.list().length], [2, false, 2]);
 * assert.deepEqual([...index.store.pages[0].numbers.subarray(0, 2)], [1, 3]);
 * assert.equal(problems.length, 1);
 * ```
 */
export async function indexLog(
  path: string,
  size: number,
  filter: EventFilter,
  onProblem: (problem: LineProblem) => void,
  budget: IndexBudget,
  gathering?: Gathering,
): Promise<LineIndex> {
  const index = new LineIndex(budget, gathering);
  const blocks = logBlocks(path, filter, onProblem, () => index, { start: 0, end: size });
  for await (const _ of blocks) { /* each block is filed as it is read */ }
  return index;
}
