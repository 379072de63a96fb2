/**
 * Error classes the library throws. Each carries the exit code the CLI
 * gives it, so the CLI maps errors in one place without a list of classes:
 * the caller's mistake exits 2, a runtime or data failure exits 1.
 *
 * @module
 */

/**
 * An error whose message is for the user as is, with the exit code it
 * means: 2 for bad usage or input, 1 for a runtime or data failure.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DataError, KittyError } from "./errors.ts";
 * const e: KittyError = new DataError("x");
 * assert.equal(e.exitCode, 1);
 * ```
 */
export abstract class KittyError extends Error {
  /** The CLI's exit code for this error. */
  abstract readonly exitCode: 1 | 2;
}

/**
 * Bad input from the caller: a flag, a stdin line, a feature slug.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { InvalidInputError } from "./errors.ts";
 * const e = new InvalidInputError("--input-tokens: expected an integer >= 0");
 * assert.equal(e.exitCode, 2);
 * assert.ok(!(e instanceof TypeError));
 * ```
 */
export class InvalidInputError extends KittyError {
  /** Usage or input: exit 2. */
  readonly exitCode = 2;
  /** Creates the error; the message is shown to the user as is. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "InvalidInputError";
  }
}

/**
 * A file the tool depends on is unusable (a malformed pricing file, a log
 * that is not a regular file, say).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DataError } from "./errors.ts";
 * assert.equal(new DataError("pricing.yaml:3: bad rate").exitCode, 1);
 * ```
 */
export class DataError extends KittyError {
  /** Runtime or data: exit 1. */
  readonly exitCode = 1;
  /** Creates the error; the message is shown to the user as is. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "DataError";
  }
}
