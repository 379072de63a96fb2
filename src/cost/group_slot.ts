/**
 * One group's running sums for `CostAggregator` (aggregate.ts): money pending
 * in exact doubles, moved into BigInt totals before they could round.
 *
 * @module
 */
import type { CostedEvent } from "./group_keys.ts";
import type { EventCost } from "./estimate.ts";
import { splitUnits, usdParts } from "./money.ts";
import type { Group } from "./aggregate.ts";
import { TokenSum } from "./token_sum.ts";

const FEMTOS_PER_DOLLAR = 10n ** 15n;

/**
 * A group with money and token sums pending in doubles (exact integers),
 * moved into its BigInt totals before they could round and when the group
 * is read.
 */
export class Slot {
  #dollars = 0; // reported, whole dollars
  #femtos = 0; // reported, 1e-15 USD, kept below 1e15 by carrying
  #estDollars = 0; // estimated, whole dollars (split so a sum passes 2^53 units without BigInt)
  #estFemtos = 0; // estimated, 1e-15 USD below a dollar
  #lastModel: string | null = null; // saves a Set insertion per event in a run of one model
  readonly #input = new TokenSum();
  readonly #output = new TokenSum();
  readonly #cacheRead = new TokenSum();
  readonly #cacheWrite = new TokenSum();

  /** Sums into `group`. */
  constructor(readonly group: Group) {}

  /**
   * `small` >= 0: the amount is in `usdParts` (reported) or is `small`
   * (estimated); `unpriced` is the canonical model of an unpriced event.
   */
  add(
    p: CostedEvent["payload"],
    kind: EventCost["kind"],
    small: number,
    units: bigint,
    unpriced: string,
  ): void {
    const t = this.group.totals;
    if (p.model !== this.#lastModel && p.model !== null) {
      t.model_names.add(p.model);
      this.#lastModel = p.model;
    }
    this.#input.add(p.input_tokens ?? 0);
    this.#output.add(p.output_tokens ?? 0);
    this.#cacheRead.add(p.cache_read_tokens ?? 0);
    this.#cacheWrite.add(p.cache_write_tokens ?? 0);
    t.event_count++;
    if (kind === "reported") {
      if (small < 0) t.reported += units;
      else {
        if (this.#dollars + usdParts.dollars + 1 > Number.MAX_SAFE_INTEGER) this.#settle();
        this.#dollars += usdParts.dollars;
        this.#femtos += usdParts.femtos;
        if (this.#femtos >= 1e15) {
          this.#femtos -= 1e15;
          this.#dollars++;
        }
      }
    } else if (kind === "estimated") {
      t.estimated_event_count++;
      if (small < 0) t.estimated += units;
      else {
        splitUnits(small);
        if (this.#estDollars + usdParts.dollars + 1 > Number.MAX_SAFE_INTEGER) this.#settle();
        this.#estDollars += usdParts.dollars;
        this.#estFemtos += usdParts.femtos;
        if (this.#estFemtos >= 1e15) {
          this.#estFemtos -= 1e15;
          this.#estDollars++;
        }
      }
    } else {
      t.unpriced_event_count++;
      t.unpriced_models.add(unpriced);
    }
  }

  /** The group with every pending amount moved into its totals. */
  settle(): Group {
    this.#settle();
    return this.group;
  }

  #settle(): void {
    const t = this.group.totals;
    t.reported += BigInt(this.#dollars) * FEMTOS_PER_DOLLAR + BigInt(this.#femtos);
    t.estimated += BigInt(this.#estDollars) * FEMTOS_PER_DOLLAR + BigInt(this.#estFemtos);
    this.#dollars = 0;
    this.#femtos = 0;
    this.#estDollars = 0;
    this.#estFemtos = 0;
    t.input_tokens += this.#input.take();
    t.output_tokens += this.#output.take();
    t.cache_read_tokens += this.#cacheRead.take();
    t.cache_write_tokens += this.#cacheWrite.take();
  }
}
