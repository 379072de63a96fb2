/**
 * What `query`'s index keeps of a log's matching lines between its two
 * readings (see `line_index.ts`): per line its number, its length (a line
 * copied as it stands) or its canonical text (a decoded one), its clock and
 * its node, about 24 bytes a line, in pages that are never copied to grow.
 * All the indexes of a query draw on one budget; a log whose lines the
 * budget cannot hold keeps none (it is parsed again instead).
 *
 * @module
 */

/** What every index of one query may keep, in bytes (shared by all its logs). */
export interface IndexBudget {
  /** Bytes left. */
  left: number;
}

/** Lines a page holds at most (the first pages are smaller: a small log keeps little). */
const PAGE = 1 << 14;
/** Bytes of a page of kept texts at most (a longer text has a page of its own). */
const TEXT_PAGE = 1 << 20;
/** Bytes kept per line (number, length, clock, node). */
const LINE_BYTES = 24;

/** Kept lines, one after another: the lines kept are the pages' lines in order. */
export interface IndexPage {
  /** Each line's number in the log (1 for the first). */
  numbers: Float64Array;
  /** A copied line's length (without its end), or `~length` for a kept text. */
  lengths: Int32Array;
  /** Each line's clock. */
  clocks: Float64Array;
  /** Each line's node, as its place in `names`. */
  nodes: Int32Array;
}

const EMPTY_PAGE: IndexPage = {
  numbers: new Float64Array(0),
  lengths: new Int32Array(0),
  clocks: new Float64Array(0),
  nodes: new Int32Array(0),
};

/** What {@linkcode KeptLines} keeps, as plain data (it can move between threads). */
export interface KeptData {
  /** Lines kept. */
  lines: number;
  /** True when the budget ran out: nothing is kept. */
  dropped: boolean;
  /** See {@linkcode KeptLines.pages}. */
  pages: IndexPage[];
  /** See {@linkcode KeptLines.names}. */
  names: string[];
  /** See {@linkcode KeptLines.texts}. */
  texts: Uint8Array[];
  /** See {@linkcode KeptLines.textEnds}. */
  textEnds: number[];
}

/**
 * A log's kept lines, in file order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { KeptLines } from "./kept_lines.ts";
 * const budget = { left: 1 << 20 };
 * const kept = new KeptLines(budget);
 * kept.add(1, 40, undefined, 7, "n1");
 * kept.add(3, ~4, new TextEncoder().encode("{}x\n"), 8, "n1");
 * assert.deepEqual([kept.lines, kept.dropped, kept.names, kept.textEnds], [2, false, ["n1"], [4]]);
 * assert.deepEqual([...kept.pages[0].lengths.subarray(0, 2)], [40, ~4]);
 * const poor = new KeptLines({ left: 100 });
 * poor.add(1, 40, undefined, 7, "n1");
 * assert.deepEqual([poor.lines, poor.dropped], [0, true]);
 * ```
 */
export class KeptLines implements KeptData {
  /** Lines kept. */
  lines = 0;
  /** True once the budget ran out: nothing is kept (nor will be). */
  dropped = false;
  /** The kept lines, in pages (each full but the last). */
  readonly pages: IndexPage[] = [];
  /** The nodes' names. */
  readonly names: string[] = [];
  /**
   * The kept texts, one after another, each with its `\n`, in pages; a text
   * never straddles two: it starts a page when the last cannot hold it.
   */
  readonly texts: Uint8Array[] = [];
  /** Bytes used in each page of `texts`. */
  readonly textEnds: number[] = [];
  readonly #budget: IndexBudget;
  #charged = 0;
  #page: IndexPage = EMPTY_PAGE; // the last page, with #i lines
  #i = 0;
  #nodeName: string | undefined; // the last node kept, and its place in `names`
  #nodeId = 0;
  readonly #nodeIds = new Map<string, number>();

  /** Lines drawing on `budget`. */
  constructor(budget: IndexBudget) {
    this.#budget = budget;
  }

  /**
   * Keeps line `number`: copied (`length` >= 0) or as `text` (`~length`
   * bytes and a `\n`), with its keys. Does nothing once dropped.
   */
  add(number: number, length: number, text: Uint8Array | undefined, clock: number, node: string) {
    if (this.dropped) return;
    if (this.#i === this.#page.numbers.length && !this.#newPage()) return;
    if (text && !this.#keepText(text)) return;
    const page = this.#page, i = this.#i++;
    this.lines++;
    page.numbers[i] = number;
    page.lengths[i] = length;
    page.clocks[i] = clock;
    if (node !== this.#nodeName) {
      let id = this.#nodeIds.get(node);
      if (id === undefined) this.#nodeIds.set(node, id = this.names.push(node) - 1);
      this.#nodeName = node;
      this.#nodeId = id;
    }
    page.nodes[i] = this.#nodeId;
  }

  /** A new page, twice the last one's size up to {@linkcode PAGE}; false when dropped. */
  #newPage(): boolean {
    const size = Math.min(2 * this.#page.numbers.length, PAGE) || 1 << 10;
    if (!this.#room(LINE_BYTES * size)) return false;
    this.#page = {
      numbers: new Float64Array(size),
      lengths: new Int32Array(size),
      clocks: new Float64Array(size),
      nodes: new Int32Array(size),
    };
    this.pages.push(this.#page);
    this.#i = 0;
    return true;
  }

  /** Appends `text` to the kept texts; false when dropped. */
  #keepText(text: Uint8Array): boolean {
    let t = this.texts.length - 1;
    if (t < 0 || this.textEnds[t] + text.length > this.texts[t].length) {
      const last = this.texts[t]?.length ?? 1 << 15;
      const size = Math.max(Math.min(2 * last, TEXT_PAGE), text.length);
      if (!this.#room(size)) return false;
      this.texts.push(new Uint8Array(size));
      this.textEnds.push(0);
      t++;
    }
    this.texts[t].set(text, this.textEnds[t]);
    this.textEnds[t] += text.length;
    return true;
  }

  /** Takes `bytes` of the budget; when it has not that many, everything kept is dropped. */
  #room(bytes: number): boolean {
    if (bytes <= this.#budget.left) {
      this.#budget.left -= bytes;
      this.#charged += bytes;
      return true;
    }
    this.#budget.left += this.#charged;
    this.#charged = this.lines = this.#i = 0;
    this.dropped = true;
    this.pages.length = this.texts.length = this.textEnds.length = 0;
    this.#page = EMPTY_PAGE;
    return false;
  }
}
