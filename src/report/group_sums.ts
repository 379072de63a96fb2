/**
 * Cost sums per combination of a few dimensions, fast: the event's values
 * are looked up in nested maps (names read from the bytes are the same
 * string objects line after line, so each lookup is a hash already made),
 * and each leaf is a `CostAggregator` by model, which prices the event
 * exactly as `cost` does. The groups come out as `CostAggregator`'s would
 * for the same keys. Pure.
 *
 * @module
 */
import { CostAggregator, type Group } from "../cost/aggregate.ts";
import { type CostedEvent, type GroupKey, keyValue } from "../cost/group_keys.ts";
import type { PricingTable } from "../cost/pricing.ts";
import { fieldOf, PAYLOAD_GROUPS, type PayloadGroup } from "../event/fields.ts";

/** The dimension whose values are priced: the model. */
export const MODEL_GROUP: PayloadGroup = PAYLOAD_GROUPS.find(([, key]) => fieldOf(key)?.priced)![0];

type Value = string | null;
type Node = Map<Value, Node | CostAggregator>;

const PAYLOAD_FIELD = new Map<string, string>(PAYLOAD_GROUPS.map(([g, key]) => [g, key]));

/**
 * An event's UTC day, `YYYY-MM-DD` (as `keyValue(event, "day")`), read from
 * the text when the timestamp is already UTC (`…Z`, `…+00:00`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { utcDay } from "./group_sums.ts";
 * assert.equal(utcDay({ timestamp: "2026-03-01T23:30:00Z" } as never), "2026-03-01");
 * assert.equal(utcDay({ timestamp: "2026-03-01T23:30:00-02:00" } as never), "2026-03-02");
 * ```
 */
export function utcDay(event: Pick<CostedEvent, "timestamp">): string {
  const t = event.timestamp;
  if (t.charCodeAt(10) === 84 /* T */ && (t.endsWith("Z") || t.endsWith("+00:00"))) {
    return t.slice(0, 10);
  }
  return keyValue(event as CostedEvent, "day")!;
}

function reader(key: GroupKey): (event: CostedEvent) => Value {
  if (key === "day") return utcDay;
  const field = PAYLOAD_FIELD.get(key);
  if (field !== undefined) {
    return (event) => (event.payload as unknown as Record<string, Value>)[field];
  }
  return (event) => keyValue(event, key);
}

/**
 * Sums by `keys`, which must end with the model.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { GroupSums } from "./group_sums.ts";
 * import { defaultPricing } from "../cost/builtin_pricing.ts";
 * const sums = new GroupSums(["day", "model"], defaultPricing());
 * sums.add({ aggregate_id: "f", timestamp: "2026-03-01T10:00:00Z", payload: { model: "m", cost_usd: 1 } } as never);
 * assert.deepEqual(sums.groups().map((g) => g.key), [{ day: "2026-03-01", model: "m" }]);
 * ```
 */
export class GroupSums {
  readonly #root: Node = new Map();
  readonly #readers: ((event: CostedEvent) => Value)[];

  /** Sums by `keys` (the last one the model), pricing with `pricing`. */
  constructor(readonly keys: readonly GroupKey[], readonly pricing: PricingTable) {
    if (keys[keys.length - 1] !== MODEL_GROUP) {
      throw new RangeError("the last key must be the model");
    }
    this.#readers = keys.slice(0, -1).map(reader);
  }

  /** Adds one event. */
  add(event: CostedEvent): void {
    let node = this.#root;
    const last = this.#readers.length - 1;
    for (let i = 0; i < last; i++) {
      const value = this.#readers[i](event);
      let next = node.get(value) as Node | undefined;
      if (!next) node.set(value, next = new Map());
      node = next;
    }
    const value = this.#readers[last](event);
    let leaf = node.get(value) as CostAggregator | undefined;
    if (!leaf) node.set(value, leaf = new CostAggregator([MODEL_GROUP], this.pricing));
    leaf.add(event);
  }

  /** The groups, keys in the order given. */
  groups(): Group[] {
    const out: Group[] = [];
    const walk = (node: Node, values: Value[]) => {
      for (const [value, child] of node) {
        if (child instanceof CostAggregator) {
          for (const g of child.groups()) {
            const key: Record<string, Value> = {};
            [...values, value].forEach((v, i) => (key[this.keys[i]] = v));
            key[MODEL_GROUP] = g.key[MODEL_GROUP];
            out.push({ key, totals: g.totals });
          }
        } else walk(child, [...values, value]);
      }
    };
    walk(this.#root, []);
    return out;
  }
}
