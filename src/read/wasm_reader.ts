/**
 * The execution-line reader with its hot loop in WebAssembly: per block, the
 * kernel (`wasm/line_kernel.ts`) reads every line in the tool's layout and
 * the Python writer's and hands back a compact record (names as ids,
 * numbers parsed, a flag for "not vouched for"); this side fills the view
 * from the record and checks the timestamp (unless the kernel read it: then
 * its epoch milliseconds come in the record too). Every line the kernel does not
 * take (hand edits, escapes, exponents, more than 15 digits, a full name
 * table) is read by the JS {@linkcode CanonicalReader}, which falls back to
 * the full path in turn; so a line is taken only when `JSON.parse` plus the
 * schemas would accept it with the same values (`tests/wasm_reader_test.ts`
 * holds it to both).
 *
 * @module
 */
import { isRfc3339Bytes } from "../event/text_rules.ts";
import { type ByteChunk, CanonicalReader, type ExecutionView, LINE } from "./canonical_bytes.ts";
import { LineView } from "./line_view.ts";
import { CANONICAL_PAYLOAD, KIND, LineKernel, SLOT, SLOTS } from "./wasm/line_kernel.ts";
import type { BlockHome } from "./byte_blocks.ts";
import type { FoldPlan } from "./wasm/fold_table.ts";

/**
 * What {@linkcode WasmReader.read} answers for a run of lines the kernel
 * summed by the reader's fold (and, with `skipOthers`, lines of other event
 * types among them): nothing of them is left to hand on.
 */
export const FOLDED = 3;

/**
 * Integers below this are stored as small integers (`| 0`), as the JS
 * readers' arithmetic leaves them: a double read from a record would turn
 * the view's fields into heap numbers and make the cost sums deoptimise.
 */
const SMALL = 2 ** 30;

/** Fills a view's payload from a record at `o` (generated from the field table). */
type PayloadFill = (r: Float64Array, o: number, names: string[], payload: object) => void;

/**
 * Generates the payload fill: one straight-line store per row (named
 * stores, no boxing), a row left out taking the table's default.
 */
function compileFill(): PayloadFill {
  const layout = CANONICAL_PAYLOAD;
  const rows = layout.keys.map((key, i) => {
    if (!/^[a-z][a-z0-9_]*$/.test(key)) throw new RangeError(`not a plain key: ${key}`);
    if (layout.held[i] === 0) return "";
    const fallback = JSON.stringify(layout.defaults[i] ?? null);
    const value = `r[o + ${SLOT.rows + i}]`;
    const read = [
      `(v = ${value}) < 0 ? null : names[v]`, // name: -1 for null
      `(v = ${value}) !== v ? null : v < ${SMALL} ? v | 0 : v`, // count: NaN for null
      `(v = ${value}) !== v ? null : v`, // usd
      `${value} === 1`, // flag
      "",
      `(v = ${value}) === 0 && 1 / v < 0 ? -0 : v | 0`, // integer (int32; -0 kept)
    ][layout.kinds[i]];
    return `payload.${key} = (m & ${2 ** i}) !== 0 ? ${fallback} : ${read};`;
  });
  const body = `return function fill(r, o, names, payload) {
    const m = r[o + ${SLOT.missing}];
    let v = 0;
    ${rows.join("\n")}
  };`;
  return new Function(body)() as PayloadFill;
}

const fill = compileFill();

let shared: LineKernel | undefined;

/**
 * The thread's one kernel, made on first use: readers share it (a reader
 * per log, many logs: one instance, one name table), and each reloads its
 * block when another reader used the kernel since.
 */
function sharedKernel(): LineKernel {
  shared ??= new LineKernel();
  return shared;
}

/**
 * Reads execution lines like {@linkcode CanonicalReader} (the same
 * `read(chunk, start)`, `view` and `lineEnd`), through the kernel.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ByteChunk, LINE } from "./canonical_bytes.ts";
 * import { WasmReader } from "./wasm_reader.ts";
 * const line = '{"event_id":"01KHJVJWDM0HGAGYGXJYKD1JQG","event_type":"ExecutionEvent",' +
 *   '"aggregate_id":"043-x","lamport_clock":1,"node_id":"n1","causation_id":null,' +
 *   '"timestamp":"2026-02-16T09:12:58.036Z","payload":{"wp_id":"WP01","agent":"claude",' +
 *   '"role":"implementer","model":"claude-opus-4-6","input_tokens":10,"output_tokens":5,' +
 *   '"cache_read_tokens":null,"cache_write_tokens":null,"reasoning_tokens":null,' +
 *   '"cost_usd":0.25,"duration_ms":100,"success":true,"error":null,"exit_code":0}}\n';
 * const reader = new WasmReader();
 * assert.equal(reader.read(new ByteChunk(new TextEncoder().encode(line)), 0), LINE.EXECUTION);
 * assert.equal(reader.view.payload.cost_usd, 0.25);
 * assert.equal(reader.view.payload.model, "claude-opus-4-6");
 * assert.equal(reader.lineEnd, line.length - 1);
 * ```
 */
export class WasmReader {
  /** The last execution event read (overwritten by the next read). */
  view: ExecutionView;
  /** After an `EXECUTION` or `OTHER_TYPE` read: where the line ends. */
  lineEnd = 0;
  /** After a `FOLDED` read: the lines of the run it took (a line sink's `runLines` + 1). */
  runLines = 1;
  /**
   * Set by a sink that skips lines of other event types unread: such lines
   * join a run of folded ones (one call for the run, not one each).
   */
  skipOthers = false;
  /** Lines the kernel took and lines it left to the JS reader (for tests and the bench). */
  readonly taken = [0, 0];
  readonly #kernel = sharedKernel();
  readonly #js = new CanonicalReader();
  readonly #view = new LineView();
  #chunk: ByteChunk | undefined;
  #count = 0;
  #cursor = 0;
  readonly #fold: FoldPlan | undefined;

  /**
   * `fold`: sum the lines the kernel vouches for in the kernel (read
   * answers {@linkcode FOLDED} for them), by this plan; call
   * {@linkcode WasmReader.finish} after the last line.
   */
  constructor(fold?: FoldPlan) {
    this.view = this.#view;
    this.#fold = fold;
  }

  /** With a fold: hands the kernel's sums to the plan (the reader may read on after). */
  finish(): void {
    if (this.#fold) this.#kernel.collect();
  }

  /** Where blocks read for this reader go: the kernel's memory, scanned in place. */
  get home(): BlockHome {
    return this.#kernel.home;
  }

  /** Reads the line that starts at `start` in `chunk`; returns a `LINE` value, or `FOLDED`. */
  read(chunk: ByteChunk, start: number): number {
    if (chunk !== this.#chunk || this.#kernel.owner !== this) {
      // A block the kernel cannot take while its home is lent to another reader: JS reads it.
      if (!this.#kernel.fits(chunk)) return this.#fallback(chunk, start);
      this.#kernel.load(chunk, this.#fold);
      this.#kernel.owner = this;
      this.#chunk = chunk;
      this.#count = 0;
      this.#cursor = 0;
    }
    const r = this.#kernel.records;
    const base = this.#kernel.base;
    const at = base + start;
    let k = this.#cursor;
    while (k < this.#count && r[k * SLOTS + SLOT.start] < at) k++;
    if (k === this.#count) {
      this.#count = this.#kernel.run(start);
      k = 0;
    }
    const o = k * SLOTS;
    this.#cursor = k + 1;
    if (r[o + SLOT.start] !== at) return this.#fallback(chunk, start);
    const kind = r[o + SLOT.kind];
    const others = this.skipOthers ? KIND.OTHER_TYPE : KIND.FOLDED;
    if (kind === KIND.FOLDED || kind === others) {
      // The folded lines after it (and skipped ones) are taken with it: one call for the run.
      let last = o;
      while (this.#cursor < this.#count) {
        const next = r[this.#cursor * SLOTS + SLOT.kind];
        if (next !== KIND.FOLDED && next !== others) break;
        last = this.#cursor++ * SLOTS;
      }
      this.runLines = (last - o) / SLOTS + 1;
      this.taken[0] += this.runLines;
      this.lineEnd = r[last + SLOT.end] - base;
      return FOLDED;
    }
    if (kind === KIND.OTHER_TYPE) {
      this.taken[0]++;
      this.lineEnd = r[o + SLOT.end] - base;
      return LINE.OTHER_TYPE;
    }
    if (kind !== KIND.EXECUTION) return this.#fallback(chunk, start);
    const from = r[o + SLOT.timeFrom] - base;
    const to = r[o + SLOT.timeTo] - base;
    // A time the kernel read is RFC 3339; others are checked here.
    const ms = r[o + SLOT.time];
    if (ms !== ms && !isRfc3339Bytes(chunk.bytes, from, to)) return this.#fallback(chunk, start);
    this.taken[0]++;
    const v = this.#view;
    const names = this.#kernel.names;
    v.chunk = chunk;
    v.lineStart = start;
    v.aggregate_id = names[r[o + SLOT.feature]];
    const clock = r[o + SLOT.clock];
    v.lamport_clock = clock < SMALL ? clock | 0 : clock;
    v.node_id = names[r[o + SLOT.node]];
    v.idFrom = r[o + SLOT.id] - base;
    v.from = from;
    v.to = to;
    v.knownMs = ms;
    v.idHash = r[o + SLOT.idHash];
    v.usdWhole = r[o + SLOT.usdWhole];
    v.usdFemtos = r[o + SLOT.usdFemtos];
    fill(r, o, names, v.payload);
    v.verbatim = r[o + SLOT.exact] === 1;
    v.lineEnd = this.lineEnd = r[o + SLOT.end] - base;
    this.view = v;
    return LINE.EXECUTION;
  }

  #fallback(chunk: ByteChunk, start: number): number {
    this.taken[1]++;
    const found = this.#js.read(chunk, start);
    this.view = this.#js.view;
    this.lineEnd = this.#js.lineEnd;
    return found;
  }
}
