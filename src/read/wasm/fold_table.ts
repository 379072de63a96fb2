/**
 * The kernel's fold from TypeScript (see scan/45_fold.wat): a sink that
 * only sums hands the reader a {@linkcode FoldPlan}; this writes the plan's
 * tables into the kernel's memory as the kernel asks for names (each
 * group, each model's price), and turns the kernel's sums back into the
 * plan's groups. The plan names fields by the field table's keys; the
 * kernel sees record offsets only.
 *
 * @module
 */
import { ENVELOPE_FIELDS, fieldOf } from "../../event/fields.ts";
import { CANONICAL_PAYLOAD, SLOT } from "./line_kernel.ts";

/** A model's price as the kernel sums it: rates in 1e-15 USD per token, in the plan's token order. */
export interface FoldPrice {
  /** The instants (epoch ms) the rates hold for: from, inclusive, to, exclusive. */
  from: number;
  /** See `from`. */
  to: number;
  /** The rates up to a prompt of `above` tokens. */
  rates: readonly bigint[];
  /** The prompt size (tokens) the base rates hold to (Infinity: every size). */
  above: number;
  /** The rates past `above`, up to `until` tokens (null: none). */
  tier: readonly bigint[] | null;
  /** The prompt size the tier's rates hold to (Infinity: every size). */
  until: number;
}

/** One group's sums, as the kernel folded them. */
export interface FoldSums {
  /**
   * The first four token keys' sums (see {@linkcode FoldPlan.tokenKeys}),
   * read exactly from the kernel's i64s (each kept below 2**53 in the
   * kernel, so an i64 cannot overflow: a line that would pass is left to JS).
   */
  tokens: bigint[];
  /** Lines folded. */
  events: number;
  /** Of those, with an estimated cost. */
  estimated_events: number;
  /** Of those, with no cost and no price. */
  unpriced_events: number;
  /** Reported cost, 1e-15 USD. */
  reported: bigint;
  /** Estimated cost, 1e-15 USD. */
  estimated: bigint;
  /** The model names met (not null). */
  models: string[];
  /** The models of the unpriced lines (null: none named). */
  unpriced_models: (string | null)[];
}

/**
 * What a summing sink asks the kernel to do (see `EventSink.fold`): sum
 * every line it vouches for into groups of one name field's values.
 */
export interface FoldPlan {
  /** The name field (a key of the field table) whose value groups; null: one group. */
  readonly groupKey: string | null;
  /** The name field of the model (its prices). */
  readonly modelKey: string;
  /** The token counts: input, output, cache read, cache write (summed), the write's 1-hour share. */
  readonly tokenKeys: readonly string[];
  /** The group of a value of `groupKey` (a small integer naming it); undefined: not folded. */
  group(name: string | null): number | undefined;
  /** A model's price at `ms` (epoch ms); null: unpriced; undefined: not folded. */
  price(model: string, ms: number): FoldPrice | null | undefined;
  /** Takes one group's sums (the kernel's are emptied). */
  add(group: number, sums: FoldSums): void;
  /** Takes the id hashes of the lines folded (a view, valid during the call). */
  hashes(values: Float64Array): void;
}

// See scan/45_fold.wat.
const CTL = 327680;
const GROUP_OF = CTL + 1024;
const CLASS_OF = CTL + 18432;
const MARKS = CTL + 35840;
const ASKS = CTL + 40960;
const HASHES = CTL + 106496;
const CLASSES = CTL + 122880;
const SUMS = CTL + 155648;
const MODEL_BITS = CTL + 188416;
const UNPRICED_BITS = CTL + 323584;
const ROW_BYTES = 528;
/** Where the fold area ends. */
export const FOLD_END = CTL + 458752;
const MAX = 255;
const I64_MAX = (1n << 63n) - 1n;

/** A name field's place in a record (byte offset) and its left-out bit. */
function placeOf(key: string): [number, number] {
  const row = CANONICAL_PAYLOAD.keys.indexOf(key);
  if (row >= 0) return [8 * (SLOT.rows + row), 1 << row];
  // The envelope's names: the kernel reads them into the feature and node slots.
  const names: string[] = ENVELOPE_FIELDS.filter((f) => f.kind === "name").map((f) => f.key);
  const slot = [-1, SLOT.feature, SLOT.node][names.indexOf(key)];
  if (slot === undefined || slot < 0) throw new RangeError(`the kernel cannot fold by ${key}`);
  return [8 * slot, 0];
}

/** A threshold as the kernel compares it (prompt sizes are whole). */
const threshold = (n: number) => n >= 2 ** 62 ? I64_MAX : BigInt(Math.max(Math.floor(n), -1));

/**
 * One kernel's fold tables: installed, asked, collected.
 */
export class FoldTable {
  #plan: FoldPlan | undefined;
  #groups: number[] = []; // the plan's group of each kernel index - 1
  #classes = 0;

  constructor(readonly memory: WebAssembly.Memory) {}

  /**
   * Folds by `plan` from the next run (none: the kernel folds nothing); the
   * sums of the plan before go to it first, and every name's group and
   * price is forgotten.
   */
  switchTo(plan: FoldPlan | undefined, names: readonly string[]): void {
    if (plan === this.#plan) return;
    this.collect(names);
    this.#wipe(plan);
  }

  /** Sums to the plan, then every name's group and price forgotten (before the names are reset). */
  clear(names: readonly string[]): void {
    this.collect(names);
    this.#wipe(this.#plan);
  }

  #wipe(plan: FoldPlan | undefined): void {
    const bytes = new Uint8Array(this.memory.buffer);
    bytes.fill(0, GROUP_OF, FOLD_END);
    bytes.fill(0, CTL + 72, CTL + 84); // asks, hashes, "groups full"
    this.#groups = [];
    this.#classes = 0;
    this.#install(plan);
  }

  #install(plan: FoldPlan | undefined): void {
    const d = new DataView(this.memory.buffer);
    this.#plan = plan;
    d.setInt32(CTL, plan ? 1 : 0, true);
    if (!plan) return;
    let block = 0;
    const place = (key: string, at: number) => {
      const [offset, bit] = placeOf(key);
      const field = fieldOf(key);
      if (bit && field && "default" in field && field.default !== null) block |= bit;
      d.setInt32(at, offset, true);
      d.setInt32(at + 4, bit, true);
    };
    if (plan.groupKey === null) {
      d.setInt32(CTL + 4, -1, true);
      d.setInt32(CTL + 12, this.#index(plan.group(null)), true);
    } else place(plan.groupKey, CTL + 4);
    place(plan.modelKey, CTL + 20);
    if (plan.tokenKeys.length !== 5) throw new RangeError("the kernel folds five token counts");
    plan.tokenKeys.forEach((key, i) => place(key, CTL + 28 + 8 * i));
    d.setInt32(CTL + 16, block, true);
    // No model: unpriced, always.
    this.#setPrice(d, 0, null);
  }

  /** After a run: the folded lines' hashes to the plan, and the names the kernel asked for. */
  afterRun(names: readonly string[]): void {
    const plan = this.#plan;
    if (!plan) return;
    const d = new DataView(this.memory.buffer);
    const folded = d.getInt32(CTL + 76, true);
    if (folded > 0) plan.hashes(new Float64Array(this.memory.buffer, HASHES, folded));
    const asks = d.getInt32(CTL + 72, true);
    for (let i = 0; i < asks; i++) {
      const at = ASKS + 16 * i;
      const id = d.getInt32(at, true);
      const name = id === 0 ? null : names[id - 1];
      if (d.getInt32(at + 4, true) === 0) {
        const index = this.#index(plan.group(name));
        if (index > 0) d.setInt32(GROUP_OF + 4 * id, index, true);
      } else if (name !== null) {
        const price = plan.price(name, d.getFloat64(at + 8, true));
        // Asked again when a line's time falls outside the window.
        if (this.#setPrice(d, id, price) && price) {
          d.setUint8(MARKS + id, d.getUint8(MARKS + id) & ~2);
        }
      }
    }
    d.setInt32(CTL + 72, 0, true);
  }

  /** Moves the kernel's sums to the plan (names: the kernel's name table, still valid). */
  collect(names: readonly string[]): void {
    const plan = this.#plan;
    if (!plan) return;
    const d = new DataView(this.memory.buffer);
    const bytes = new Uint8Array(this.memory.buffer);
    const bits = (row: number) => {
      const found: (string | null)[] = [];
      for (let i = 0; i < ROW_BYTES; i++) {
        const byte = bytes[row + i];
        // Most bytes are 0 (a group meets few of the names): skip them whole.
        if (byte === 0) continue;
        for (let b = 0; b < 8; b++) {
          if (byte & (1 << b)) found.push(8 * i + b === 0 ? null : names[8 * i + b - 1]);
        }
      }
      bytes.fill(0, row, row + ROW_BYTES);
      return found;
    };
    for (let g = 1; g <= this.#groups.length; g++) {
      const at = SUMS + 128 * g;
      const i64 = (offset: number) => d.getBigInt64(at + offset, true);
      if (i64(32) === 0n) continue;
      const money = (offset: number) => i64(offset) * 10n ** 15n + i64(offset + 8);
      plan.add(this.#groups[g - 1], {
        tokens: [0, 8, 16, 24].map((offset) => i64(offset)),
        events: Number(i64(32)),
        estimated_events: Number(i64(40)),
        unpriced_events: Number(i64(48)),
        reported: money(56),
        estimated: money(72),
        models: bits(MODEL_BITS + ROW_BYTES * g) as string[],
        unpriced_models: bits(UNPRICED_BITS + ROW_BYTES * g),
      });
      bytes.fill(0, at, at + 128);
    }
  }

  /** The kernel's index of a plan group (0: none, the kernel holds 255). */
  #index(group: number | undefined): number {
    if (group === undefined) return 0;
    const known = this.#groups.indexOf(group);
    if (known >= 0) return known + 1;
    if (this.#groups.length === MAX) {
      // No more room: the kernel stops asking (until the tables are emptied).
      new DataView(this.memory.buffer).setInt32(CTL + 80, 1, true);
      return 0;
    }
    this.#groups.push(group);
    return this.#groups.length;
  }

  /** Writes the price of name `id` (0: no model); false when the kernel cannot hold it. */
  #setPrice(d: DataView, id: number, price: FoldPrice | null | undefined): boolean {
    if (price === undefined) return false;
    if (price && (Number.isNaN(price.above) || Number.isNaN(price.until))) return false;
    const rates = [...(price?.rates ?? []), ...(price?.tier ?? [])];
    if (price && (price.rates.length !== 5 || (price.tier && price.tier.length !== 5))) {
      return false;
    }
    const largest = rates.reduce((a, b) => (a > b ? a : b), 0n);
    if (largest > I64_MAX || rates.some((r) => r < 0n)) return false;
    // The latest class (low half) and the one before (high): a new period's
    // price replaces the one before and becomes the latest.
    const both = d.getInt32(CLASS_OF + 4 * id, true);
    const latest = both & 0xffff;
    let cls = latest === 0 ? 0 : both >>> 16;
    if (cls === 0) {
      if (this.#classes === MAX) return false;
      cls = ++this.#classes;
    }
    const at = CLASSES + 128 * cls;
    d.setInt32(at, price ? 2 : 1, true);
    if (price) {
      d.setFloat64(at + 8, price.from, true);
      d.setFloat64(at + 16, price.to, true);
      // Five products of at most this many tokens by a rate stay within an i64.
      d.setBigInt64(at + 24, largest === 0n ? I64_MAX : I64_MAX / (5n * largest), true);
      d.setBigInt64(at + 32, threshold(price.above), true);
      d.setBigInt64(at + 40, price.tier ? threshold(price.until) : -1n, true);
      price.rates.forEach((r, i) => d.setBigInt64(at + 48 + 8 * i, r, true));
      (price.tier ?? []).forEach((r, i) => d.setBigInt64(at + 88 + 8 * i, r, true));
    }
    d.setInt32(CLASS_OF + 4 * id, cls | (latest << 16), true);
    return true;
  }
}
