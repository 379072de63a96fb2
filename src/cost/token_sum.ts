/**
 * Exact token sums. One count is a safe integer (the field table's kind
 * `count`), but sums of many can pass 2**53, where doubles round. A
 * {@linkcode TokenSum} adds in doubles while the sum stays a safe integer
 * and carries into a BigInt only when it would not, so the fast path is one
 * add and one compare. Shown sums are {@linkcode TokenCount}s: a number
 * when safe, a BigInt past that (`exactJson` prints both exactly). Pure.
 *
 * @module
 */

/** A token total as shown: a safe integer, or a BigInt past `Number.MAX_SAFE_INTEGER`. */
export type TokenCount = number | bigint;

/**
 * A running sum of safe integers, exact at any size.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { TokenSum } from "./token_sum.ts";
 * const sum = new TokenSum();
 * for (let i = 0; i < 3; i++) sum.add(Number.MAX_SAFE_INTEGER);
 * sum.add(2);
 * assert.equal(sum.value(), 27021597764222975n);
 * ```
 */
export class TokenSum {
  #safe = 0;
  #carried = 0n;

  /** Adds one count (a safe non-negative integer). */
  add(count: number): void {
    // Past 2**53 the double may round, but never back to a safe integer: the compare holds.
    const sum = this.#safe + count;
    if (sum <= Number.MAX_SAFE_INTEGER) this.#safe = sum;
    else {
      this.#carried += BigInt(this.#safe) + BigInt(count);
      this.#safe = 0;
    }
  }

  /** The exact sum. */
  value(): bigint {
    return this.#carried + BigInt(this.#safe);
  }

  /** The exact sum, and the sum emptied. */
  take(): bigint {
    const value = this.value();
    this.#safe = 0;
    this.#carried = 0n;
    return value;
  }
}

/**
 * A total as shown: a number when it is a safe integer (so JSON readers get
 * plain numbers), else the BigInt.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tokenCount } from "./token_sum.ts";
 * assert.equal(tokenCount(12n), 12);
 * assert.equal(tokenCount(2n ** 53n), 2n ** 53n);
 * ```
 */
export function tokenCount(sum: bigint): TokenCount {
  return sum <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(sum) : sum;
}

/**
 * Counts added exactly, as a {@linkcode TokenCount}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { addCounts } from "./token_sum.ts";
 * assert.equal(addCounts(1, 2), 3);
 * assert.equal(addCounts(Number.MAX_SAFE_INTEGER, 2), 2n ** 53n + 1n);
 * ```
 */
export function addCounts(...counts: TokenCount[]): TokenCount {
  let safe = 0;
  for (const count of counts) {
    if (typeof count !== "number") return tokenCount(bigSum(counts));
    safe += count;
  }
  return safe <= Number.MAX_SAFE_INTEGER ? safe : tokenCount(bigSum(counts));
}

function bigSum(counts: TokenCount[]): bigint {
  let sum = 0n;
  for (const count of counts) sum += BigInt(count);
  return sum;
}
