/**
 * Each id once over a million lines without a set of a million ids: the
 * order check, which reads every line anyway, notes a 52-bit print of each
 * 26-character id in Crockford's form (`hash26`, case folded: for a line the
 * kernel read, its record's `SLOT.idHash`, so no JavaScript per line); prints
 * seen twice name the few ids that may repeat, and only those go through an
 * exact {@linkcode IdSet} while `query` writes. A print shared by two
 * different ids only costs an exact look. Ids of other forms always take the
 * exact set.
 *
 * @module
 */
import { IdSet, idWordsAt, idWordsOf } from "../event/id_set.ts";
import type { IdSink } from "../read/log_order.ts";
import { hash26 } from "../event/id_hash26.ts";

/**
 * The print of the 26-character id at `at` in `bytes`: its 52-bit hash
 * (`hash26`, the one the kernel writes in each execution line's record as
 * `SLOT.idHash`), equal for equal ids in any case.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { idPrintAt } from "./id_prints.ts";
 * const bytes = new TextEncoder().encode('01KHJVJWDM0HGAGYGXJYKD1JQG"01khjvjwdm0hgagygxjykd1jqg"');
 * assert.equal(idPrintAt(bytes, 0), idPrintAt(bytes, 27));
 * assert.ok(Number.isSafeInteger(idPrintAt(bytes, 0)));
 * ```
 */
export function idPrintAt(bytes: Uint8Array, at: number): number {
  if (bytes !== viewOf) {
    view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    viewOf = bytes;
  }
  return hash26(view, at);
}

// The view of the bytes printed last (a block's lines are printed one after another).
let viewOf: Uint8Array | undefined;
let view: DataView = new DataView(new ArrayBuffer(0));
const WORDS = new Float64Array(3);
const ASCII = new TextEncoder();

/**
 * The prints of a log's ids, as the order check meets them: an id given
 * as 26 bytes (`bytes`) or as text (`text`); other forms are not printed
 * (they always take the exact set).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { IdPrints } from "./id_prints.ts";
 * const prints = new IdPrints();
 * prints.bytes(new TextEncoder().encode('01khjvjwdm0hgagygxjykd1jqg"'), 0);
 * prints.text("01KHJVJWDM0HGAGYGXJYKD1JQG");
 * prints.text("not an id");
 * const all = prints.list();
 * assert.equal(all.length, 2);
 * assert.equal(all[0], all[1]);
 * ```
 */
export class IdPrints implements IdSink {
  /** True when the check met a line that may be an event with an id it could not read. */
  unsure = false;
  /** Ids met that are not 26 characters (no print: they always take the exact set). */
  others = 0;
  #list: Float64Array<ArrayBuffer> = new Float64Array(1 << 12);
  #size = 0;

  /** A line whose id is unknown: no print can vouch for its id. */
  unknown(): void {
    this.unsure = true;
  }

  /** The id whose 26 characters start at `at` (a quote must close it). */
  bytes(bytes: Uint8Array, at: number): void {
    if (bytes[at + 26] === 0x22 && idWordsAt(bytes, at, WORDS)) this.print(idPrintAt(bytes, at));
    else this.others++;
  }

  /** An id read as text. */
  text(id: string): void {
    if (idWordsOf(id, WORDS)) this.print(idPrintAt(ASCII.encode(id), 0));
    else this.others++;
  }

  /** The prints (the list is handed over: this collector is done). */
  list(): Float64Array<ArrayBuffer> {
    return this.#list.subarray(0, this.#size);
  }

  /**
   * The print of an id in Crockford's form (as `idWordsAt` reads it), known
   * already (the kernel's `SLOT.idHash` of a line it vouches for).
   */
  print(print: number): void {
    if (this.#size === this.#list.length) {
      const grown = new Float64Array(this.#list.length * 2);
      grown.set(this.#list);
      this.#list = grown;
    }
    this.#list[this.#size++] = print;
  }
}

/**
 * Decides, line by line in the total order, whether a canonical output
 * line (`{"event_id":"...`) is the first copy of its id. With `repeated`
 * (the prints that occur twice), a 26-character id whose print is not in
 * it is first without a look; everything else goes through an exact set.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { firstCopies } from "./id_prints.ts";
 * const line = (id: string) => new TextEncoder().encode(`{"event_id":"${id}","x":1}`);
 * const first = firstCopies(undefined);
 * assert.deepEqual([
 *   first(line("01KHJVJWDM0HGAGYGXJYKD1JQG"), 0),
 *   first(line("01khjvjwdm0hgagygxjykd1jqg"), 0),
 *   first(line("x\\u0079"), 0),
 *   first(line("xy"), 0),
 * ], [true, false, true, false]);
 * ```
 */
export function firstCopies(
  repeated: Set<number> | undefined,
): (bytes: Uint8Array, start: number) => boolean {
  const seen = new IdSet();
  const words = new Float64Array(3);
  return (bytes, start) => {
    const at = start + ID_AT;
    if (bytes[at + 26] === 0x22 && idWordsAt(bytes, at, words)) {
      // With no print repeated, every such id is unique: no print to make.
      if (repeated?.size === 0) return true;
      if (repeated !== undefined && !repeated.has(idPrintAt(bytes, at))) return true;
      return seen.addWords(words[0], words[1], words[2]);
    }
    return seen.add(idTextAt(bytes, start));
  };
}

/** Where the id's text starts in a canonical line: after `{"event_id":"`. */
export const ID_AT = 13;

const decoder = new TextDecoder();

/**
 * The id of a canonical output line, as text (the JSON string after
 * `{"event_id":`, unescaped).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { idTextAt } from "./id_prints.ts";
 * const bytes = new TextEncoder().encode('\n{"event_id":"a\\"b","x":1}');
 * assert.equal(idTextAt(bytes, 1), 'a"b');
 * ```
 */
export function idTextAt(bytes: Uint8Array, start: number): string {
  let end = start + ID_AT;
  while (end < bytes.length && bytes[end] !== 0x22) end += bytes[end] === 0x5c ? 2 : 1;
  return JSON.parse(decoder.decode(bytes.subarray(start + ID_AT - 1, end + 1)));
}
