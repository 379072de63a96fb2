/**
 * The ceiling of the Lamport clock: the `clock` kind of the field table
 * accepts no value over it, so every reader agrees.
 *
 * @module
 */

/**
 * The highest clock value an event may carry: 10^15. A value over it (say
 * 2^53 - 1, imported from a hostile or broken log) is not an event for
 * any reader (`cost`, `query`, `verify`), import, merges and repair, and
 * emit ignores it, so no value in a file can leave a feature without a
 * next value. Far above any real log (a million emits a second for thirty
 * years), and far below 2^53: about 8 * 10^15 emits still fit above it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MAX_LAMPORT_CLOCK } from "./clock_ceiling.ts";
 * assert.ok(Number.isSafeInteger(MAX_LAMPORT_CLOCK * 8));
 * ```
 */
export const MAX_LAMPORT_CLOCK = 1e15;
