/**
 * The execution-line kernel (`execLines` in scan/50_exec_lines.wat) from TypeScript: an
 * instance of its own (its memory holds the names it has seen, across
 * blocks), set up from the field table, so the kernel knows no key: the
 * envelope's literals of both layouts (the tool's, the Python writer's
 * sorted one) are made from `ENVELOPE_FIELDS`, the payload's rows from
 * `PAYLOAD_FIELDS` through the same {@linkcode PayloadLayout}s the JS
 * readers use. A block is copied in, and each line comes back as a record
 * of 32 doubles (see scan/20_exec_names.wat); names come back as small ids, each turned
 * into a string once.
 *
 * @module
 */
import type { ByteChunk } from "../byte_scan.ts";
import { ID_ALPHABET } from "../byte_scan.ts";
import { ENVELOPE_FIELDS, EXECUTION_EVENT, PAYLOAD_FIELDS } from "../../event/fields.ts";
import { MAX_NAME_LENGTH } from "../../event/text_rules.ts";
import { KIND_CODES, PayloadLayout } from "../payload_bytes.ts";
import { PAYLOAD_LAYOUT as PYTHON_PAYLOAD } from "../python_bytes.ts";
import { type Kernel, kernelModule } from "./scan_kernel.ts";
import { FOLD_END, type FoldPlan, FoldTable } from "./fold_table.ts";
import { KernelHome } from "./kernel_home.ts";

/** Doubles in one line's record. */
export const SLOTS = 32;
/** Record slots (see `execLines` in scan/50_exec_lines.wat). */
export const SLOT = {
  kind: 0,
  start: 1,
  end: 2,
  next: 3,
  feature: 4,
  clock: 5,
  node: 6,
  timeFrom: 7,
  timeTo: 8,
  exact: 9,
  missing: 10,
  id: 11,
  rows: 12,
  /** The id's hash (see `idHashAt`). */
  idHash: 28,
  /** `cost_usd` split exactly: whole dollars (NaN: not split) and 1e-15 USD below a dollar. */
  usdWhole: 29,
  usdFemtos: 30,
  /** The time as epoch milliseconds when the kernel vouches for its spelling (else NaN). */
  time: 31,
} as const;
/** Record kinds (FOLDED: an execution line the installed fold summed, see fold_table.ts). */
export const KIND = { FALLBACK: 0, OTHER_TYPE: 1, EXECUTION: 2, FOLDED: 3 } as const;

/** The tool's payload layout, as both readers see it (row order = record slot order). */
export const CANONICAL_PAYLOAD: PayloadLayout = new PayloadLayout(PAYLOAD_FIELDS, {
  separator: ",",
  colon: ":",
});

// Where the kernel keeps its tables (scan/20_exec_names.wat, "execution lines").
const ALPHABET_AT = 256;
const CANONICAL_ROWS_AT = 512;
const PYTHON_ROWS_AT = 1024;
const LENGTHS_AT = 1536;
const ROW_COUNTS_AT = 2560;
const MAX_NAME_AT = 2568;
const MASKS_AT = 3072;
const LITERAL_BYTES_AT = 4096;
const DIRECTORY_AT = 40960;
/** Where a block is copied (after the fold area, see scan/45_fold.wat, and the home). */
export const BLOCK_AT = 2359424;
/** The home's two buffers (see kernel_home.ts): after the fold area, each with 64 bytes after it. */
const HOME_AT = 786432;
const HOME_BYTES = 512 * 1024;
const GAP = 64;
/** The records of a block read in the home. */
const HOME_RECORDS = HOME_AT + 2 * (HOME_BYTES + GAP);
/** Names the kernel holds at most 4,096; past this many, the table is emptied at the next block. */
const NAMES_KEPT = 3072;
/** The same for the bytes of the names (the kernel holds 128 KiB). */
const NAME_BYTES_KEPT = 96 * 1024;
/** Lines read per kernel call (their records take 512 KiB). */
const MAX_RECORDS = 2048;
const RECORD_BYTES = MAX_RECORDS * SLOTS * 8;

/** The envelope in each layout: the kinds the kernel reads, in its order. */
const CANONICAL_KINDS = ["id", "name", "name", "clock", "name", "id", "time", "object"];
const PYTHON_KINDS = ["name", "id", "id", "name", "clock", "name", "object", "time"];

/** The kernel's literals, in its numbering (scan/20_exec_names.wat), made from the field table. */
function literals(): string[] {
  const kinds = ENVELOPE_FIELDS.map((f) => f.kind);
  const sorted = [...ENVELOPE_FIELDS].sort((x, y) => x.key < y.key ? -1 : 1);
  if (
    JSON.stringify(kinds) !== JSON.stringify(CANONICAL_KINDS) ||
    JSON.stringify(sorted.map((f) => f.kind)) !== JSON.stringify(PYTHON_KINDS)
  ) {
    throw new RangeError(`the kernel reads envelopes of kinds ${CANONICAL_KINDS}, not ${kinds}`);
  }
  const k = ENVELOPE_FIELDS.map((f) => `"${f.key}"`);
  const py = sorted.map((f) => `"${f.key}": `);
  return [
    `{${k[0]}:"`,
    `",${k[1]}:"`,
    `${EXECUTION_EVENT}"`,
    `,${k[2]}:"`,
    `",${k[3]}:`,
    `,${k[4]}:"`,
    `",${k[5]}:`,
    `,${k[6]}:"`,
    `",${k[7]}:`,
    "null",
    "true",
    "false",
    k[1],
    `{${py[0]}"`,
    `", ${py[1]}`,
    `, ${py[2]}"`,
    `", ${py[3]}"`,
    `, ${py[4]}`,
    `, ${py[5]}"`,
    `", ${py[6]}`,
    `}, ${py[7]}"`,
  ];
}

/** Writes the tables the kernel reads (once per instance). */
function setUp(k: Kernel): void {
  const memory = new Uint8Array(k.memory.buffer);
  const ints = new DataView(k.memory.buffer);
  // The id alphabet (ASCII) as nibble tables: row = low nibble, bit = high nibble.
  for (const c of ID_ALPHABET) {
    memory[ALPHABET_AT + (c.charCodeAt(0) & 15)] |= 1 << (c.charCodeAt(0) >> 4);
  }
  for (let high = 0; high < 8; high++) memory[ALPHABET_AT + 16 + high] = 1 << high;
  const all = literals();
  const canonical = CANONICAL_PAYLOAD;
  if (canonical.keys.length > SLOT.idHash - SLOT.rows) {
    throw new RangeError("too many payload rows");
  }
  // One amount: the kernel splits it into SLOT.usdWhole and SLOT.usdFemtos.
  if (canonical.kinds.filter((kind) => kind === KIND_CODES.usd).length > 1) {
    throw new RangeError("two amounts");
  }
  const rows = (layout: PayloadLayout, at: number, countAt: number) => {
    for (const [i, key] of layout.keys.entries()) {
      all.push(layout.keyTexts.first[i], layout.keyTexts.next[i]);
      const row = at + 16 * i;
      ints.setInt32(row, all.length - 2, true);
      ints.setInt32(row + 4, all.length - 1, true);
      ints.setInt32(row + 8, layout.kinds[i], true);
      // Values land in the slot of the row's field in the tool's layout.
      const slot = canonical.keys.indexOf(key);
      ints.setInt32(row + 12, layout.nullable[i] | (layout.required[i] << 1) | (slot << 8), true);
    }
    if (16 * layout.keys.length + 12 > 512) throw new RangeError("too many payload rows");
    // After the rows: the literals around a key the table does not have (scan/42_unknown_keys.wat).
    for (const [i, text] of layout.unknown.texts.entries()) {
      all.push(text);
      ints.setInt32(at + 16 * layout.keys.length + 4 * i, all.length - 1, true);
    }
    ints.setInt32(countAt, layout.keys.length, true);
  };
  rows(canonical, CANONICAL_ROWS_AT, ROW_COUNTS_AT);
  rows(PYTHON_PAYLOAD, PYTHON_ROWS_AT, ROW_COUNTS_AT + 4);
  if (all.length > 128) throw new RangeError("too many kernel literals");
  for (const [i, text] of all.entries()) {
    const bytes = new TextEncoder().encode(text);
    if (bytes.length > 32) throw new RangeError(`kernel literal over 32 bytes: ${text}`);
    memory.set(bytes, LITERAL_BYTES_AT + 32 * i);
    ints.setInt32(LENGTHS_AT + 8 * i + 4, bytes.length, true);
  }
  for (let n = 0; n <= 16; n++) memory.fill(0xff, MASKS_AT + 16 * n, MASKS_AT + 16 * n + n);
  ints.setInt32(MAX_NAME_AT, MAX_NAME_LENGTH, true);
}

/**
 * One reader's kernel: blocks in, line records and names out.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ByteChunk } from "../byte_scan.ts";
 * import { KIND, LineKernel, SLOT, SLOTS } from "./line_kernel.ts";
 * const line = '{"event_id":"01KHJVJWDM0HGAGYGXJYKD1JQG","event_type":"Note",' +
 *   '"aggregate_id":"043-x","lamport_clock":7,"node_id":"n1","causation_id":null}';
 * const kernel = new LineKernel();
 * kernel.load(new ByteChunk(new TextEncoder().encode(line + "\nnot json\n")));
 * const r = kernel.records;
 * assert.equal(kernel.run(0), 2);
 * assert.deepEqual([r[SLOT.kind], r[SLOTS + SLOT.kind]], [KIND.OTHER_TYPE, KIND.FALLBACK]);
 * ```
 */
export class LineKernel {
  readonly #kernel: Kernel;
  /** Each name id's text. */
  readonly names: string[] = [];
  /** Whoever loaded the block now in the kernel (readers sharing it reload when it is not them). */
  owner: unknown;
  /** The last run's records (a view of the kernel's memory). */
  records: Float64Array;
  #end = 0;
  #out = 0;
  #nameBytes = 0;
  readonly #fold: FoldTable;
  /** Two buffers a reader of blocks may have them read into (see kernel_home.ts). */
  readonly home: KernelHome;
  /** Where the block loaded now starts in the kernel's memory (records' positions are offset by it). */
  base = BLOCK_AT;

  constructor() {
    this.#kernel = new WebAssembly.Instance(kernelModule()).exports as unknown as Kernel;
    const memory = this.#kernel.memory;
    if (HOME_AT !== FOLD_END || BLOCK_AT !== HOME_RECORDS + RECORD_BYTES) {
      throw new RangeError("the home must follow the fold area, and the block the home");
    }
    // Room for a copied block of the home's size: such blocks never grow the memory.
    const room = BLOCK_AT + HOME_BYTES + GAP + RECORD_BYTES;
    memory.grow(Math.ceil((room - memory.buffer.byteLength) / 65536));
    this.home = new KernelHome(memory, HOME_AT, HOME_BYTES, GAP);
    this.#fold = new FoldTable(memory);
    setUp(this.#kernel);
    this.records = new Float64Array(this.#kernel.memory.buffer, 0, 0);
  }

  /**
   * Copies `block` in, for {@linkcode LineKernel.run}. A name table three
   * quarters full is emptied first (ids are only valid until the next load),
   * so a long run of new names never leaves the kernel out for good.
   * `fold`: the lines to sum in the kernel from now (see fold_table.ts).
   */
  load(block: ByteChunk, fold?: FoldPlan): void {
    const k = this.#kernel;
    this.#fold.switchTo(fold, this.names);
    if (this.names.length >= NAMES_KEPT || this.#nameBytes >= NAME_BYTES_KEPT) {
      this.#fold.clear(this.names);
      k.resetNames();
      this.names.length = 0;
      this.#nameBytes = 0;
    }
    this.#end = block.end;
    const inHome = this.home.of(block.bytes) >= 0;
    this.base = inHome ? block.bytes.byteOffset : BLOCK_AT;
    // Past the block, 64 bytes the kernel's wide loads may touch (never use).
    this.#out = inHome ? HOME_RECORDS : (BLOCK_AT + block.end + GAP + 7) & ~7;
    if (!this.fits(block)) throw new RangeError("the kernel's memory cannot grow while lent");
    const need = this.#out + RECORD_BYTES;
    const have = k.memory.buffer.byteLength;
    if (need > have) k.memory.grow(Math.ceil((need - have) / 65536));
    if (this.records.buffer !== k.memory.buffer || this.records.byteOffset !== this.#out) {
      this.records = new Float64Array(k.memory.buffer, this.#out, MAX_RECORDS * SLOTS);
    }
    if (inHome) return;
    new Uint8Array(k.memory.buffer, BLOCK_AT, block.end).set(block.bytes.subarray(0, block.end));
  }

  /**
   * Whether `block` can be loaded now: one read in the home, or one that
   * fits the memory as it is while the home is lent (the memory cannot grow
   * then); always when it is not lent.
   */
  fits(block: ByteChunk): boolean {
    if (!this.home.lent || this.home.of(block.bytes) >= 0) return true;
    const need = ((BLOCK_AT + block.end + GAP + 7) & ~7) + RECORD_BYTES;
    return need <= this.#kernel.memory.buffer.byteLength;
  }

  /**
   * Reads lines from `start` (an offset in the block) into
   * {@linkcode LineKernel.records}; returns how many (at least one while
   * `start` is before the block's end). Positions in records are offset by
   * {@linkcode LineKernel.base}: {@linkcode BLOCK_AT} for a copied block.
   */
  run(start: number): number {
    const k = this.#kernel;
    const base = this.base;
    const count = k.execLines(base + start, base + this.#end, this.#out, MAX_RECORDS);
    const known = k.names.value as number;
    if (known > this.names.length) {
      const memory = new Uint8Array(k.memory.buffer);
      const ints = new DataView(k.memory.buffer);
      for (let id = this.names.length; id < known; id++) {
        const at = ints.getInt32(DIRECTORY_AT + 8 * id, true);
        const length = ints.getInt32(DIRECTORY_AT + 8 * id + 4, true);
        // Printable ASCII: one char a byte.
        this.names.push(String.fromCharCode(...memory.subarray(at, at + length)));
        this.#nameBytes += length;
      }
    }
    this.#fold.afterRun(this.names);
    return count;
  }

  /** Hands the installed fold's sums to its plan (at the end of a range). */
  collect(): void {
    this.#fold.collect(this.names);
  }
}
