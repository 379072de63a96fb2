/**
 * Flag parsing shared by every command: `node:util` parseArgs in strict
 * mode, plus strict number parsing with messages that name the flag.
 *
 * @module
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { resolve } from "node:path";
import { findProjectRoot } from "../store/project_layout.ts";
import { type CliIo, ENV } from "./io.ts";
import { UsageError } from "./errors.ts";
import { didYouMean } from "./suggest.ts";

type Options = NonNullable<ParseArgsConfig["options"]>;

/**
 * Parses `args` against `options` (strict: unknown flags are usage errors).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseFlags } from "./args.ts";
 * const { values } = parseFlags(["--json"], { json: { type: "boolean" } });
 * assert.ok(values.json === true);
 * ```
 */
export function parseFlags<T extends Options>(
  args: string[],
  options: T,
  positionals = false,
) {
  try {
    return parseArgs({
      args,
      options,
      strict: true,
      allowPositionals: positionals,
    });
  } catch (error) {
    const message = (error as Error).message.replace(
      /\. To specify a positional argument.*$/s,
      "",
    );
    const unknown = /^Unknown option '(--[^'=]+)/.exec(message)?.[1];
    const hint = unknown === undefined
      ? ""
      : didYouMean(unknown, Object.keys(options).map((name) => `--${name}`));
    throw new UsageError(`${message}${hint} (see --help)`);
  }
}

/**
 * An integer flag value; `min` bounds it from below.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseInteger } from "./args.ts";
 * assert.ok(parseInteger("--input-tokens", "12000") === 12000);
 * ```
 */
export function parseInteger(flag: string, text: string, min = 0): number {
  const value = /^-?\d+$/.test(text.trim()) ? Number(text.trim()) : NaN;
  if (!Number.isSafeInteger(value) || value < min) {
    throw new UsageError(
      `${flag}: expected an integer >= ${min}, got ${JSON.stringify(text)}`,
    );
  }
  return value;
}

/**
 * A non-negative decimal flag value (plain or exponent notation).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseDecimal } from "./args.ts";
 * assert.ok(parseDecimal("--cost-usd", "0.0871") === 0.0871);
 * ```
 */
export function parseDecimal(flag: string, text: string): number {
  const ok = /^\d+(\.\d+)?([eE][+-]?\d+)?$|^\.\d+$/.test(text.trim());
  const value = ok ? Number(text.trim()) : NaN;
  if (!Number.isFinite(value) || value < 0) {
    throw new UsageError(
      `${flag}: expected a number >= 0 like 0.0871, got ${JSON.stringify(text)}`,
    );
  }
  return value;
}

/**
 * The project root: `--root`, else the root environment variable, else the
 * nearest ancestor of the working directory holding `kitty-specs/` or `.git`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { resolveRoot } from "./args.ts";
 * const io = { env: () => undefined, cwd: "/tmp" } as never;
 * assert.ok((await resolveRoot(io, "/repo")) === "/repo");
 * ```
 */
export async function resolveRoot(
  io: CliIo,
  flag: string | undefined,
): Promise<string> {
  const given = flag ?? io.env(ENV.root);
  if (given !== undefined && given !== "") return resolve(io.cwd, given);
  return await findProjectRoot(io.cwd);
}
