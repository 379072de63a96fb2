/**
 * Reading a log or clock file as text, strictly.
 *
 * @module
 */
import { DataError } from "../errors.ts";
import { openLog } from "../read/open_log.ts";
import { invalidUtf8Line } from "../read/utf8_lines.ts";

/**
 * The file's text, or `null` when it does not exist. The file may be a
 * symbolic link (the user or git named it), but what it leads to must be a
 * regular file: a FIFO is refused, not waited on. Bytes that are not
 * UTF-8 are a {@linkcode DataError}: decoding them to U+FFFD and writing the
 * result back would silently change lines a merge promises to keep byte for
 * byte.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readUtf8 } from "./read_text.ts";
 * assert.ok((await readUtf8("/nonexistent/log.jsonl")) === null);
 * ```
 */
export async function readUtf8(path: string): Promise<string | null> {
  const file = await openLog(path, { symlink: "follow" });
  return file ? decodeUtf8(await file.bytes(), path) : null;
}

/**
 * The file's bytes, or `null` when it does not exist, under the same policy
 * as {@linkcode readUtf8}: for the merge of logs, which keeps every line's
 * bytes whatever they are.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readBytes } from "./read_text.ts";
 * const path = await Deno.makeTempFile();
 * await Deno.writeFile(path, new Uint8Array([0xff, 0x0a]));
 * assert.deepEqual([...(await readBytes(path))!], [0xff, 0x0a]);
 * ```
 */
export async function readBytes(path: string): Promise<Uint8Array | null> {
  const file = await openLog(path, { symlink: "follow" });
  return file ? await file.bytes() : null;
}

/**
 * Decodes UTF-8 strictly; the error names `label` and the first line that is
 * not UTF-8 (as `label:line`). It is a {@linkcode DataError} (exit 1) unless
 * `error` makes another (the caller's input is exit 2).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeUtf8 } from "./read_text.ts";
 * assert.ok(decodeUtf8(new Uint8Array([0x61]), "x") === "a");
 * let threw = false;
 * try { decodeUtf8(new Uint8Array([0xff]), "x"); } catch { threw = true; }
 * assert.ok(threw);
 * ```
 */
export function decodeUtf8(
  bytes: Uint8Array,
  label: string,
  error: (where: string) => Error = (where) =>
    new DataError(
      `${where}: not valid UTF-8 (lines are kept byte for byte, never re-encoded); ` +
        "fix or remove that line",
    ),
): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw error(`${label}:${invalidUtf8Line(bytes) ?? 1}`);
  }
}
