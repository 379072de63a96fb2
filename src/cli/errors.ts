/**
 * The one mapping from errors to exit codes and the `error: …` line.
 *
 * @module
 */
import { DataError, InvalidInputError } from "../errors.ts";

/** Exit codes, a stable contract for callers. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/**
 * A usage problem (unknown flag, missing value): exit 2.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { UsageError } from "./errors.ts";
 * assert.ok(new UsageError("x") instanceof TypeError);
 * ```
 */
export class UsageError extends InvalidInputError {
  /** Creates the error; the message is shown as is. */
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/**
 * Maps an error to its exit code and its one-line message.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { describeError, UsageError } from "./errors.ts";
 * const { code, message } = describeError(new UsageError("unknown flag --x"));
 * assert.ok(code === 2 && message === "error: unknown flag --x");
 * ```
 */
export function describeError(error: unknown): { code: number; message: string } {
  const oneLine = (text: string) => `error: ${text.replace(/\s*\n\s*/g, " ")}`;
  if (error instanceof InvalidInputError) {
    return { code: EXIT.usage, message: oneLine(error.message) };
  }
  if (isParseArgsError(error)) {
    return { code: EXIT.usage, message: oneLine(error.message) };
  }
  if (error instanceof DataError) {
    return { code: EXIT.failure, message: oneLine(error.message) };
  }
  if (error instanceof Error) {
    return { code: EXIT.failure, message: oneLine(error.message) };
  }
  return { code: EXIT.failure, message: oneLine(String(error)) };
}

function isParseArgsError(error: unknown): error is Error {
  return error instanceof Error &&
    String((error as { code?: unknown }).code ?? "").startsWith(
      "ERR_PARSE_ARGS",
    );
}
