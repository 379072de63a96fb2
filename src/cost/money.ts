/**
 * Exact money. Amounts are BigInt counts of 1e-15 USD ("femto-dollars"):
 * every reported cost and every tokens x rate product is exact in that unit,
 * so sums never drift; rounding happens once, when a total is shown.
 *
 * @module
 */

/** Decimal places of the internal unit (1e-15 USD). */
export const MONEY_SCALE = 15;

/**
 * Parses a decimal (plain or exponent notation, as `String(number)` gives)
 * into an exact BigInt with `scale` decimal places. Digits beyond `scale`
 * are rounded half up.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decimalToUnits } from "./money.ts";
 * assert.ok(decimalToUnits("15.6", 2) === 1560n);
 * assert.ok(decimalToUnits("1e-7", 9) === 100n);
 * ```
 */
export function decimalToUnits(text: string, scale: number): bigint {
  const m = /^(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  if (!m || (m[1] === "" && (m[2] ?? "") === "")) {
    throw new RangeError(`not a non-negative decimal: ${JSON.stringify(text)}`);
  }
  const digits = (m[1] + (m[2] ?? "")).replace(/^0+(?=\d)/, "") || "0";
  const shift = scale - (m[2] ?? "").length + Number(m[3] ?? 0);
  if (shift >= 0) return BigInt(digits) * 10n ** BigInt(shift);
  const divisor = 10n ** BigInt(-shift);
  const value = BigInt(digits);
  return (value + divisor / 2n) / divisor;
}

/**
 * Converts a non-negative JavaScript number (a parsed `cost_usd`) into
 * 1e-15 USD units, exactly as its shortest decimal form reads.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { usdToUnits } from "./money.ts";
 * assert.ok(usdToUnits(0.1) + usdToUnits(0.2) === usdToUnits(0.3));
 * ```
 */
export function usdToUnits(usd: number): bigint {
  return decimalToUnits(String(usd), MONEY_SCALE);
}

/** The parts {@linkcode splitUsd} found: whole dollars and 1e-15 USD below a dollar. */
export const usdParts = { dollars: 0, femtos: 0 };

/**
 * {@linkcode usdToUnits} split into whole dollars and femto-dollars (both
 * exact doubles) in {@linkcode usdParts}, without BigInt, when that is
 * provable; false means use `usdToUnits`. Below $8 a double's spacing is
 * under 1e-15, so at most one decimal of 15 places maps to it: if `u / 1e15`
 * gives back `usd`, `u` is its shortest form scaled. Above, the shortest
 * form is read from `String(usd)` (its whole part is `Math.floor(usd)`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { splitUsd, usdParts } from "./money.ts";
 * assert.ok(splitUsd(15.6));
 * assert.deepEqual(usdParts, { dollars: 15, femtos: 600_000_000_000_000 });
 * assert.ok(!splitUsd(0.1234567890123456)); // 16 places: left to usdToUnits
 * ```
 */
export function splitUsd(usd: number): boolean {
  if (!(usd >= 0 && usd <= Number.MAX_SAFE_INTEGER)) return false;
  if (usd < 8) {
    const units = Math.round(usd * 1e15);
    if (units / 1e15 !== usd) return false;
    usdParts.dollars = Math.floor(units / 1e15);
    usdParts.femtos = units - usdParts.dollars * 1e15;
    return true;
  }
  const text = String(usd);
  const dot = text.indexOf(".");
  usdParts.dollars = Math.floor(usd);
  usdParts.femtos = 0;
  if (dot === -1) return !text.includes("e");
  const places = text.length - dot - 1;
  if (places > 15) return false;
  let femtos = 0;
  for (let i = dot + 1; i < text.length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return false; // an exponent
    femtos = femtos * 10 + digit;
  }
  usdParts.femtos = femtos * 10 ** (15 - places);
  return true;
}

/**
 * Splits a whole number of 1e-15 USD units (below 2^53) into whole dollars
 * and the units below a dollar, in {@linkcode usdParts}, exactly: sums of
 * the parts stay exact doubles long after a sum of units would round. The
 * floor is exact: below 2^53 the quotient is under 9.01, where half a
 * double's spacing (under 9e-16) is less than 1e-15, so a quotient below a
 * whole number never rounds up to it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { splitUnits, usdParts } from "./money.ts";
 * splitUnits(7_999_999_999_999_999);
 * assert.deepEqual(usdParts, { dollars: 7, femtos: 999_999_999_999_999 });
 * ```
 */
export function splitUnits(units: number): void {
  const dollars = Math.floor(units / 1e15);
  usdParts.dollars = dollars;
  usdParts.femtos = units - dollars * 1e15;
}

/**
 * Rounds 1e-15 USD units to `decimals` places (half up) as a decimal
 * string with exactly that many places.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatUsd } from "./money.ts";
 * assert.ok(formatUsd(460_000_000_000_000n) === "0.460000");
 * assert.ok(formatUsd(1_234_567_500_000_000n, 2) === "1.23");
 * ```
 */
export function formatUsd(units: bigint, decimals = 6): string {
  const divisor = 10n ** BigInt(MONEY_SCALE - decimals);
  const rounded = (units + divisor / 2n) / divisor;
  const text = rounded.toString().padStart(decimals + 1, "0");
  if (decimals === 0) return text;
  return `${text.slice(0, -decimals)}.${text.slice(-decimals)}`;
}

/**
 * Rounds 1e-15 USD units to 6 decimals as a JSON-safe number (its shortest
 * form has at most 6 decimals: never `0.4600000000000001`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { unitsToNumber } from "./money.ts";
 * assert.ok(JSON.stringify(unitsToNumber(460_000_000_000_000n)) === "0.46");
 * ```
 */
export function unitsToNumber(units: bigint): number {
  return Number(formatUsd(units, 6));
}
