/**
 * Replacing a file's content atomically.
 *
 * @module
 */
import { basename, dirname, join } from "node:path";

/**
 * Writes `text` to a temp file in the same folder as `path`, then renames it
 * over `path`: a reader (or a crash) sees the old content or the new, never
 * a torn mix. The same folder keeps the rename on one file system.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { replaceFile } from "./replace_file.ts";
 * const path = `${await Deno.makeTempDir()}/log.jsonl`;
 * await replaceFile(path, "a\n");
 * assert.ok((await Deno.readTextFile(path)) === "a\n");
 * ```
 */
export async function replaceFile(path: string, text: string): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${crypto.randomUUID()}.tmp`);
  try {
    await Deno.writeTextFile(temp, text);
    await Deno.rename(temp, path);
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    throw error;
  }
}
