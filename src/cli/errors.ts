/**
 * The one mapping from errors to exit codes and the `error: …` line.
 *
 * @module
 */
import { InvalidInputError, KittyError } from "../errors.ts";

/**
 * Exit codes, a stable contract for callers. `overBudget` is not an error:
 * `budget` prints its report and exits 3 when some budget is over its limit.
 */
export const EXIT = { ok: 0, failure: 1, usage: 2, overBudget: 3 } as const;

/**
 * A usage problem (unknown flag, missing value): exit 2.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { UsageError } from "./errors.ts";
 * assert.equal(new UsageError("x").exitCode, 2);
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
 * The fix for an operating system error no command foresaw, by its code
 * (`error.code`): the machine, not the data, is what needs changing.
 */
const OS_FIXES: Readonly<Record<string, string>> = Object.assign(Object.create(null), {
  ENOSPC: "free some space on that disk, then run the command again",
  EDQUOT: "free some of your disk quota, then run the command again",
  EROFS: "the file system is read-only: run it where the project can be written",
  EIO: "the disk reported an I/O error: check it, then run the command again",
  ELOOP: "a symbolic link on that path leads back to itself: fix or remove it",
  EACCES: "check the permissions of that file and of its folders",
  EPERM: "check that file's permissions and attributes (lsattr)",
  ENAMETOOLONG: "give a shorter name",
  ENOTDIR: "a part of that path is a file, not a folder",
});

/**
 * The fix for an operating system error, by its code; undefined when there
 * is no known one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { osFix } from "./errors.ts";
 * assert.equal(osFix(Object.assign(new Error("x"), { code: "ELOOP" })), "a symbolic link on that path leads back to itself: fix or remove it");
 * assert.equal(osFix(new Error("x")), undefined);
 * ```
 */
export function osFix(error: unknown): string | undefined {
  return OS_FIXES[String((error as { code?: unknown } | null)?.code ?? "")];
}

/**
 * An operating system error's text without the operation and path it ends
 * with (`…: stat '/x'`), for a message that names the path itself.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { osReason } from "./errors.ts";
 * assert.equal(osReason(new Error("Is a directory (os error 21): readfile '/x'")), "Is a directory (os error 21)");
 * ```
 */
export function osReason(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/: \w+ '[^']*'$/, "");
}

/**
 * Maps an error to its exit code and its one-line message: the code an
 * error carries, exit 2 for the argument parser's own errors, else exit 1
 * (anything unforeseen is a runtime failure). An operating system error
 * such as a full disk (`ENOSPC`) is told its fix.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { describeError, UsageError } from "./errors.ts";
 * const { code, message } = describeError(new UsageError("unknown flag --x"));
 * assert.ok(code === 2 && message === "error: unknown flag --x");
 * assert.equal(describeError(new Error("disk\nfull")).message, "error: disk full");
 * const full = Object.assign(new Error("No space left on device (os error 28)"), { code: "ENOSPC" });
 * assert.match(describeError(full).message, /: free some space on that disk/);
 * ```
 */
export function describeError(error: unknown): { code: number; message: string } {
  const code = error instanceof KittyError
    ? error.exitCode
    : isParseArgsError(error)
    ? EXIT.usage
    : EXIT.failure;
  const text = error instanceof Error ? error.message : String(error);
  const fix = osFix(error);
  return { code, message: errorLine(fix === undefined ? text : `${text}: ${fix}`) };
}

/**
 * The one spelling of an error line: `error: ` then the message on one line,
 * starting lower-case (a capitalised first word, as `node:util` and schema
 * libraries write them, is lowered; an acronym such as `ULID` is kept).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { errorLine } from "./errors.ts";
 * assert.equal(errorLine("Unknown option '--x'"), "error: unknown option '--x'");
 * assert.equal(errorLine("ULID time out of range"), "error: ULID time out of range");
 * ```
 */
export function errorLine(message: string): string {
  const text = message.replace(/\s*\n\s*/g, " ").trim();
  const lowered = /^[A-Z][a-z]/.test(text) ? text[0].toLowerCase() + text.slice(1) : text;
  return `error: ${lowered}`;
}

function isParseArgsError(error: unknown): error is Error {
  return error instanceof Error &&
    String((error as { code?: unknown }).code ?? "").startsWith(
      "ERR_PARSE_ARGS",
    );
}
