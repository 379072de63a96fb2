/**
 * Grouping execution events into cost totals. Order-independent: events can
 * be added in any order (or in parts, merged later) with the same result.
 *
 * @module
 */
import type { CostedEvent } from "./group_keys.ts";
import { groupInput, type GroupKey, keyValue } from "./group_keys.ts";
import { estimateUnits, type EventCost, pricedAt, smallEstimateUnits } from "./estimate.ts";
import { splitUsd, usdParts, usdToUnits } from "./money.ts";
import { Slot } from "./group_slot.ts";
import { findPrice, type ModelPrice, type PricingTable } from "./pricing.ts";
import { canonicalModel } from "./canonical_model.ts";

/**
 * Sums for one group (or the total). Money in 1e-15 USD units; tokens
 * exact BigInts too (sums of counts pass 2**53 where doubles round).
 */
export interface Totals {
  /** Uncached input tokens (unknown counts as 0). */
  input_tokens: bigint;
  /** Output tokens, reasoning included. */
  output_tokens: bigint;
  /** Input tokens read from the prompt cache. */
  cache_read_tokens: bigint;
  /** Input tokens written to the prompt cache. */
  cache_write_tokens: bigint;
  /** Cost the agents reported, in 1e-15 USD. */
  reported: bigint;
  /** Cost estimated from tokens where none was reported, in 1e-15 USD. */
  estimated: bigint;
  /** Events counted. */
  event_count: number;
  /** Of those, events whose cost is an estimate. */
  estimated_event_count: number;
  /** Of those, events with no reported cost and no price for their model. */
  unpriced_event_count: number;
  /** The canonical models those unpriced events name (`(none)` for no model). */
  unpriced_models: Set<string>;
  /** Every model name met, as recorded (the spellings a canonical model stands for). */
  model_names: Set<string>;
}

/** A group: its key values and totals. */
export interface Group {
  /** The group's value of each grouping dimension (null: the events had none). */
  key: Record<string, string | null>;
  /** The sums over the group's events. */
  totals: Totals;
}

/**
 * Empty totals.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emptyTotals } from "./aggregate.ts";
 * assert.ok(emptyTotals().event_count === 0);
 * ```
 */
export function emptyTotals(): Totals {
  return {
    input_tokens: 0n,
    output_tokens: 0n,
    cache_read_tokens: 0n,
    cache_write_tokens: 0n,
    reported: 0n,
    estimated: 0n,
    event_count: 0,
    estimated_event_count: 0,
    unpriced_event_count: 0,
    unpriced_models: new Set(),
    model_names: new Set(),
  };
}

const NULL_KEY = "\u0000null";

/** How unpriced events with no model are named among the unpriced models. */
export const NO_MODEL = "(none)";

/**
 * Accumulates cost totals per group and overall.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { CostAggregator } from "./aggregate.ts";
 * import { defaultPricing } from "./builtin_pricing.ts";
 * const agg = new CostAggregator(["agent"], defaultPricing());
 * assert.ok(agg.groups().length === 0 && agg.total.event_count === 0);
 * ```
 */
export class CostAggregator {
  readonly #slots = new Map<string, Slot>();
  // Each key's input (groupInput) to the next key's map, the last key's to the slot: a group's
  // key values are computed once per distinct inputs, not per event.
  readonly #inputs = new Map<unknown, unknown>();
  readonly #by: readonly GroupKey[];
  readonly #pricing: PricingTable;
  readonly #prices = new Map<string, ModelPrice | undefined>();

  /** Groups by `by` (in that order), pricing with `pricing`. */
  constructor(by: readonly GroupKey[], pricing: PricingTable) {
    this.#by = by;
    this.#pricing = pricing;
  }

  /**
   * Totals over every event added: the groups' sums added up (each event is
   * in one group), so an event is summed once, not twice.
   */
  get total(): Totals {
    const total = emptyTotals();
    for (const slot of this.#slots.values()) mergeTotals(total, slot.settle().totals);
    return total;
  }

  /** Adds one execution event. */
  add(event: CostedEvent): void {
    const slot = this.#slotByInputs(event);
    // Same result as eventCost(), without a BigInt or an object per event
    // when the amount splits exactly into doubles (nearly always).
    const p = event.payload;
    let kind: EventCost["kind"];
    let small = -1;
    let units = 0n;
    let unpriced = "";
    if (p.cost_usd !== null && p.cost_usd !== undefined) {
      kind = "reported";
      const whole = event.usdWhole;
      if (whole !== undefined && whole === whole) {
        // Split by the reader from the digits: the parts splitUsd finds.
        usdParts.dollars = whole;
        usdParts.femtos = event.usdFemtos ?? 0;
        small = 0;
      } else if (!splitUsd(p.cost_usd)) units = usdToUnits(p.cost_usd);
      else small = 0;
    } else {
      const price = p.model === null ? undefined : this.#price(p.model);
      if (price) {
        kind = "estimated";
        // Dated prices: the period in force at the event (one period: no date to read).
        const at = price.periods.length > 1 ? eventTime(this.#pricing, event) : NaN;
        small = smallEstimateUnits(p, price, at);
        if (small < 0) units = estimateUnits(p, price, at);
      } else {
        kind = "unpriced";
        unpriced = p.model === null ? NO_MODEL : canonicalModel(this.#pricing, p.model);
      }
    }
    slot.add(p, kind, small, units, unpriced);
  }

  /**
   * Adds sums made elsewhere (the wasm kernel's, see kernel_fold.ts) to the
   * group of these key values.
   */
  addSums(key: Record<string, string | null>, totals: Totals): void {
    mergeTotals(this.#slotOf(this.#by.map((k) => key[k] ?? null)).group.totals, totals);
  }

  /** The event's group, found by its keys' inputs. */
  #slotByInputs(event: CostedEvent): Slot {
    const by = this.#by;
    let node = this.#inputs;
    for (let i = 0; i < by.length - 1; i++) {
      const input = groupInput(event, by[i]);
      let next = node.get(input) as Map<unknown, unknown> | undefined;
      if (next === undefined) node.set(input, next = new Map());
      node = next;
    }
    const last = by.length === 0 ? null : groupInput(event, by[by.length - 1]);
    let slot = node.get(last) as Slot | undefined;
    if (slot === undefined) node.set(last, slot = this.#slot(event));
    return slot;
  }

  /** The event's group, made when new. */
  #slot(event: CostedEvent): Slot {
    return this.#slotOf(this.#by.map((k) => keyValue(event, k, this.#pricing)));
  }

  /** The group of these key values (in `by` order), made when new. */
  #slotOf(values: (string | null)[]): Slot {
    // One key: its value is the map key (null apart from the string "null").
    const id = values.length === 1 ? values[0] ?? NULL_KEY : JSON.stringify(values);
    let slot = this.#slots.get(id);
    if (!slot) {
      const key: Record<string, string | null> = {};
      this.#by.forEach((k, i) => key[k] = values[i]);
      slot = new Slot({ key, totals: emptyTotals() });
      this.#slots.set(id, slot);
    }
    return slot;
  }

  /** The groups, in first-seen order (reports sort them). */
  groups(): Group[] {
    return [...this.#slots.values()].map((slot) => slot.settle());
  }

  #price(model: string): ModelPrice | undefined {
    if (this.#prices.has(model)) return this.#prices.get(model);
    const price = findPrice(this.#pricing, model);
    this.#prices.set(model, price);
    return price;
  }
}

/**
 * Adds `from` into `into` (both are sums, so parts merge in any order).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emptyTotals, mergeTotals } from "./aggregate.ts";
 * const a = emptyTotals();
 * const b = { ...emptyTotals(), event_count: 2, reported: 5n };
 * mergeTotals(a, b);
 * assert.ok(a.event_count === 2 && a.reported === 5n);
 * ```
 */
export function mergeTotals(into: Totals, from: Totals): void {
  into.input_tokens += from.input_tokens;
  into.output_tokens += from.output_tokens;
  into.cache_read_tokens += from.cache_read_tokens;
  into.cache_write_tokens += from.cache_write_tokens;
  into.reported += from.reported;
  into.estimated += from.estimated;
  into.event_count += from.event_count;
  into.estimated_event_count += from.estimated_event_count;
  into.unpriced_event_count += from.unpriced_event_count;
  for (const model of from.unpriced_models) into.unpriced_models.add(model);
  for (const name of from.model_names) into.model_names.add(name);
}

/**
 * The time (epoch ms) an event is priced at: `--prices-at`, else its own
 * (from the bytes of a view when it can). Every estimate of a stored event
 * takes its time from here, so a dated price applies alike everywhere.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { eventTime } from "./aggregate.ts";
 * const event = { timestamp: "2026-01-01T00:30:00+02:00" } as never;
 * assert.equal(eventTime({ updated: null, entries: [] }, event), Date.UTC(2025, 11, 31, 22, 30));
 * ```
 */
export function eventTime(table: PricingTable, event: CostedEvent): number {
  if (table.prices_at || event.timeMs === undefined) return pricedAt(table, event.timestamp);
  return event.timeMs();
}
