/**
 * Replacing a file's content atomically.
 *
 * @module
 */
import { tempPathFor } from "../store/temp_files.ts";
import { onInterrupt } from "../interrupt.ts";
import { writeAll } from "../store/append_whole.ts";

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
  const bytes = typeof content === "string" ? new TextEncoder().encode(content) : content;
  await replaceFileBy(path, async (write) => {
    await write(bytes);
    return true;
  });
}

/**
 * {@linkcode replaceFile} with the content written by `produce`, a buffer
 * at a time (a merge's result need never be whole in memory). When it
 * resolves to undefined the file is left as it was, the temp file removed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { replaceFileBy } from "./replace_file.ts";
 * const path = `${await Deno.makeTempDir()}/log.jsonl`;
 * await Deno.writeTextFile(path, "old\n");
 * assert.equal(await replaceFileBy(path, async (write) => {
 *   await write(new TextEncoder().encode("half"));
 *   return undefined;
 * }), undefined);
 * assert.equal(await Deno.readTextFile(path), "old\n");
 * ```
 */
export async function replaceFileBy<T>(
  path: string,
  produce: (write: (bytes: Uint8Array) => Promise<void>) => Promise<T | undefined>,
): Promise<T | undefined> {
  const temp = tempPathFor(path);
  const mode = await Deno.stat(path).then((info) => info.mode, () => null);
  // Stopped by a signal before the rename: the temp file goes, the old content stays.
  using _ = onInterrupt(() => Deno.removeSync(temp));
  let done = false;
  try {
    let result: T | undefined;
    {
      using file = await Deno.open(temp, { write: true, createNew: true });
      result = await produce((bytes) => writeAll(file, bytes));
    }
    if (result === undefined) return undefined;
    if (mode !== null && Deno.build.os !== "windows") await Deno.chmod(temp, mode & 0o7777);
    await Deno.rename(temp, path);
    done = true;
    return result;
  } finally {
    if (!done) await Deno.remove(temp).catch(() => {});
  }
}
