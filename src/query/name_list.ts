/**
 * A filter's list of names as `matches` asks about it, event after event:
 * is this value one of the names in another Unicode spelling (see
 * `nameKey`)? The answer for each value met is kept, and each list's
 * NameList is made once, so a scan pays a look-up per event, not a
 * normalisation (the readers hand the same string for the same name).
 * Pure.
 *
 * @module
 */
import { nameKey } from "../event/name_key.ts";

/** Past this many values met, answers are worked out each time (memory stays bounded). */
const KEPT = 4096;

/**
 * A list of names and its answers. The list is read once: give a new list
 * rather than change one in place.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { NameList } from "./name_list.ts";
 * const agents = new NameList(["caf\u00e9"]);
 * assert.ok(agents.has("cafe\u0301") && agents.has("caf\u00e9") && !agents.has("cafe"));
 * assert.ok(!agents.has(null));
 * ```
 */
export class NameList {
  readonly #keys: Set<string>;
  readonly #seen = new Map<unknown, boolean>();

  /**
   * The names of `list`; `test` says whether a value is one of them, given
   * their keys (by default: when its `nameKey` is one).
   */
  constructor(
    readonly list: readonly string[],
    readonly test: NameTest = sameKey,
  ) {
    this.#keys = new Set(list.map(nameKey));
  }

  /** True when `value` is one of the names by `test` (a non-string value never is). */
  has(value: unknown): boolean {
    const known = this.#seen.get(value);
    if (known !== undefined) return known;
    const found = typeof value === "string" && this.test(value, this.#keys);
    if (this.#seen.size < KEPT) this.#seen.set(value, found);
    return found;
  }
}

/** Whether `value` is one of the names whose `nameKey`s are `keys`. */
export type NameTest = (value: string, keys: ReadonlySet<string>) => boolean;

const sameKey: NameTest = (value, keys) => keys.has(nameKey(value));

let last: NameList | undefined;
const made = new WeakMap<readonly string[], NameList>();

/**
 * The {@linkcode NameList} of `list` and `test`, made once per list and test
 * (`test` a function made once, not per call).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nameListOf } from "./name_list.ts";
 * const list = ["a"];
 * assert.equal(nameListOf(list), nameListOf(list));
 * ```
 */
export function nameListOf(list: readonly string[], test: NameTest = sameKey): NameList {
  if (last !== undefined && last.list === list && last.test === test) return last;
  let names = made.get(list);
  if (names === undefined || names.test !== test) made.set(list, names = new NameList(list, test));
  return last = names;
}
