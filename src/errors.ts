/**
 * Error classes the library throws. The CLI maps them to exit codes in one
 * place: {@linkcode InvalidInputError} is the caller's mistake (exit 2),
 * {@linkcode DataError} a file the tool read is wrong (exit 1).
 *
 * @module
 */

/**
 * Bad input from the caller: a flag, a stdin line, a feature slug.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { InvalidInputError } from "./errors.ts";
 * const e = new InvalidInputError("--input-tokens: expected an integer >= 0");
 * assert.ok(e instanceof TypeError);
 * ```
 */
export class InvalidInputError extends TypeError {
  /** Creates the error; the message is shown to the user as is. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "InvalidInputError";
  }
}

/**
 * A file the tool depends on is unusable (a malformed pricing file, say).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DataError } from "./errors.ts";
 * assert.ok(new DataError("pricing.yaml:3: bad rate") instanceof Error);
 * ```
 */
export class DataError extends Error {
  /** Creates the error; the message is shown to the user as is. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "DataError";
  }
}
