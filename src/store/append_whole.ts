/**
 * Appending to a log all or nothing. A write can fail half way (the disk
 * fills up: the kernel takes what fits, then refuses the rest), and a
 * process can be stopped between two writes of one append; either would
 * leave a torn line, or part of a batch, at the end of the log. So an
 * append remembers the log's length first and, when any write fails or a
 * signal stops the process (see `src/interrupt.ts`), cuts the log back to
 * it: the log is as it was, and the error says so.
 *
 * @module
 */
import { onInterrupt } from "../interrupt.ts";

/**
 * Writes all of `bytes` (a write may take only part).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { writeAll } from "./append_whole.ts";
 * const path = await Deno.makeTempFile();
 * { using file = await Deno.open(path, { write: true }); await writeAll(file, new Uint8Array([0x61])); }
 * assert.equal(await Deno.readTextFile(path), "a");
 * ```
 */
export async function writeAll(
  file: { write(bytes: Uint8Array): Promise<number> },
  bytes: Uint8Array,
): Promise<void> {
  for (let written = 0; written < bytes.length;) {
    written += await file.write(bytes.subarray(written));
  }
}

/**
 * {@linkcode writeAll} with synchronous writes: no round trip through the
 * event loop per write, for a caller that would only wait on it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { writeAllSync } from "./append_whole.ts";
 * const path = await Deno.makeTempFile();
 * using file = await Deno.open(path, { write: true });
 * writeAllSync(file, new TextEncoder().encode("abc"));
 * assert.equal(await Deno.readTextFile(path), "abc");
 * ```
 */
export function writeAllSync(file: { writeSync(bytes: Uint8Array): number }, bytes: Uint8Array) {
  for (let written = 0; written < bytes.length;) {
    written += file.writeSync(bytes.subarray(written));
  }
}

/**
 * Runs `write` (one or more writes to `file`, opened to append under the
 * log's lock) as one append: if it throws, or a signal stops the process
 * meanwhile, the file at `path` is cut back to its length before, and the
 * error is rethrown with a note that the log is unchanged.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendWhole, writeAll } from "./append_whole.ts";
 * const path = await Deno.makeTempFile();
 * await Deno.writeTextFile(path, "a\n");
 * using file = await Deno.open(path, { append: true });
 * await assert.rejects(() =>
 *   appendWhole(file, path, async () => {
 *     await writeAll(file, new TextEncoder().encode("b\nhalf a li"));
 *     throw new Error("No space left on device (os error 28)");
 *   }), /nothing was appended/);
 * assert.equal(await Deno.readTextFile(path), "a\n");
 * ```
 */
export async function appendWhole(
  file: Deno.FsFile,
  path: string,
  write: () => Promise<void>,
): Promise<void> {
  const size = (await file.stat()).size;
  using _ = onInterrupt(() => Deno.truncateSync(path, size));
  try {
    await write();
  } catch (error) {
    // The same error (its class and code decide the exit code and the fix), told how the log is.
    let note = ` (nothing was appended to ${path})`;
    try {
      await file.truncate(size);
    } catch {
      note = `; ${path} may now end in a partial line: \`kitty-telemetry verify --repair\` ` +
        "moves it aside";
    }
    if (error instanceof Error) error.message += note;
    throw error;
  }
}
