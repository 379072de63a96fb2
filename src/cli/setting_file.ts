/**
 * Reading a settings file (a pricing table, a budgets file, a catalogue):
 * one rule for the project's own (`.kittify/pricing.yaml`, ...) and for one
 * the user names (`--pricing FILE`, `$KITTY_TELEMETRY_PRICING`, `--budgets`).
 *
 * - The project's file is optional: missing, or `.kittify` not a folder at
 *   all (a file of that name), it is not there, and the built-in defaults
 *   apply. A folder, FIFO or device in its place is refused before it is
 *   opened (a FIFO nobody writes to would hang every `cost`), naming the fix.
 * - A file the user named must be there: missing, or a folder, is an input
 *   error (exit 2) naming where the name came from. A pipe is read (a shell's
 *   `--pricing <(...)`).
 *
 * @module
 */
import { DataError } from "../errors.ts";
import { osFix, osReason, UsageError } from "./errors.ts";

/** Where a settings file's name came from: a flag or variable, or the project (undefined). */
export interface SettingSource {
  /** What the file is, for messages: `pricing file`, `budgets file`. */
  what: string;
  /** The flag or variable that named it (`--pricing`); undefined for the project's own. */
  named?: string;
  /**
   * Null when missing, for a caller with its own word for that (`budget`:
   * how to make one); by default only the project's own file is optional.
   */
  optional?: boolean;
}

/**
 * The text of the settings file at `path` by the rule above; null when the
 * project's own is not there.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readSettingText } from "./setting_file.ts";
 * const root = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${root}/.kittify`, ""); // a file where the folder goes
 * assert.equal(await readSettingText(`${root}/.kittify/pricing.yaml`, { what: "pricing file" }), null);
 * await assert.rejects(
 *   () => readSettingText(`${root}/none.yaml`, { what: "pricing file", named: "--pricing" }),
 *   /--pricing: no such file/,
 * );
 * ```
 */
export async function readSettingText(
  path: string,
  source: SettingSource,
): Promise<string | null> {
  const { what, named, optional = named === undefined } = source;
  let info: Deno.FileInfo | null = null;
  try {
    info = await Deno.stat(path);
  } catch (error) {
    if (!absent(error)) throw cannotRead(path, source, error);
  }
  if (info === null) {
    if (optional) return null;
    throw new UsageError(`${named}: no such file: ${path} (give an existing ${what})`);
  }
  if (info.isDirectory || (named === undefined && !info.isFile)) {
    const kind = info.isDirectory
      ? "a folder"
      : info.isFifo
      ? "a named pipe (FIFO)"
      : info.isSocket
      ? "a socket"
      : "a device";
    const fix = named === undefined
      ? `move it aside (without it the defaults apply)`
      : `give the ${what} itself`;
    const error = `${path}: is ${kind}, not a ${what}; ${fix}`;
    throw named === undefined ? new DataError(error) : new UsageError(`${named}: ${error}`);
  }
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    throw cannotRead(path, source, error);
  }
}

/** Not there: no such file, or a component of the path is a file, not a folder. */
function absent(error: unknown): boolean {
  return error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory;
}

/** A file the user named is their input (exit 2); the project's own is data (exit 1). */
function cannotRead(path: string, { what, named }: SettingSource, error: unknown): Error {
  const message = `${path}: cannot read ${what} (${osReason(error)}); ${
    osFix(error) ?? "check that file"
  }`;
  return named === undefined ? new DataError(message) : new UsageError(`${named}: ${message}`);
}
