/**
 * Replacing a file's content atomically.
 *
 * @module
 */
import { tempPathFor } from "../store/temp_files.ts";
import { onInterrupt } from "../interrupt.ts";

/**
 * Writes `content` to a temp file in the same folder as `path`, then renames
 * it over `path`: a reader (or a crash) sees the old content or the new,
 * never a torn mix. The same folder keeps the rename on one file system.
 * The file keeps its permission bits (a 0600 log stays 0600).
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
export async function replaceFile(path: string, content: string | Uint8Array): Promise<void> {
  const temp = tempPathFor(path);
  const mode = await Deno.stat(path).then((info) => info.mode, () => null);
  // Stopped by a signal before the rename: the temp file goes, the old content stays.
  using _ = onInterrupt(() => Deno.removeSync(temp));
  try {
    const bytes = typeof content === "string" ? new TextEncoder().encode(content) : content;
    await Deno.writeFile(temp, bytes, { createNew: true });
    if (mode !== null && Deno.build.os !== "windows") await Deno.chmod(temp, mode & 0o7777);
    await Deno.rename(temp, path);
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    throw error;
  }
}
