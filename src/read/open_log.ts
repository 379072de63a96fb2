/**
 * The one policy for opening a log or clock file, for readers and writers
 * alike: a missing file is no file; a symbolic link is not followed out of
 * the project; anything else that is not a regular file (a FIFO, a socket,
 * a device, a folder) is refused before it is opened, because opening a
 * FIFO to read blocks until some writer comes, and appending to one hands
 * the events to whoever reads it (or to nobody).
 *
 * @module
 */
import { DataError } from "../errors.ts";
import { rangeStream } from "./byte_range.ts";

/** Options for {@linkcode openLog}. */
export interface OpenLogOptions {
  /**
   * What a symbolic link gets. By default it is refused with a
   * {@linkcode DataError}. A function is told why and the link is skipped
   * (`openLog` then returns `undefined`), for readers that report and go on.
   * `"follow"` reads through it, for files the user named (import's sources,
   * git's merge inputs); the file it leads to must still be a regular one.
   */
  symlink?: "follow" | ((message: string) => void);
}

/** A regular file that passed the policy, read by path. */
export interface LogFile {
  /** The path it was opened by. */
  readonly path: string;
  /** Its size in bytes when it was checked. */
  readonly size: number;
  /** Its bytes `[start, end)` as a byte stream (`end` may be `Infinity`). */
  stream(start?: number, end?: number): Promise<ReadableStream<Uint8Array>>;
  /** All its bytes. */
  bytes(): Promise<Uint8Array>;
}

/** What a reader says when it skips a symbolic link. */
export const SYMLINK_SKIPPED = "is a symbolic link; not following it out of the project";

/**
 * Checks `path` against the policy without opening it: `undefined` when it
 * does not exist (or is a symbolic link a `symlink` function skipped),
 * else its file info. Throws a {@linkcode DataError} for a symbolic link
 * (unless told otherwise) and for anything that is not a regular file.
 * Writers call this before opening for append, which would create the file.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkLogPath } from "./open_log.ts";
 * assert.equal(await checkLogPath("/nonexistent/log.jsonl"), undefined);
 * const dir = await Deno.makeTempDir();
 * await assert.rejects(() => checkLogPath(dir), /is a folder, not a regular file/);
 * ```
 */
export async function checkLogPath(
  path: string,
  options: OpenLogOptions = {},
): Promise<Deno.FileInfo | undefined> {
  let info: Deno.FileInfo;
  try {
    // lstat, never open: the check must not block on what it refuses.
    info = await (options.symlink === "follow" ? Deno.stat(path) : Deno.lstat(path));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
  if (info.isSymlink) {
    if (typeof options.symlink !== "function") {
      throw new DataError(`${path}: is a symbolic link; refusing to follow it`);
    }
    options.symlink(SYMLINK_SKIPPED);
    return undefined;
  }
  if (!info.isFile) {
    // A file the user named is read, never created; a project's log is created when missing.
    const fix = options.symlink === "follow"
      ? "give a regular file, or - to read a pipe or device on standard input"
      : "move it aside: the tool creates the file when it is missing";
    throw new DataError(
      `${path}: is ${kindOf(info)}, not a regular file; refusing to open it (${fix})`,
    );
  }
  return info;
}

/**
 * Opens a log (or clock file) under the policy of {@linkcode checkLogPath}:
 * `undefined` for a missing file, a {@linkcode LogFile} for a regular one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openLog } from "./open_log.ts";
 * const path = await Deno.makeTempFile();
 * await Deno.writeTextFile(path, "hello world");
 * const log = await openLog(path);
 * assert.equal(log?.size, 11);
 * assert.equal(await new Response(await log.stream(6)).text(), "world");
 * assert.equal(await openLog(`${path}.missing`), undefined);
 * const link = `${path}.link`;
 * await Deno.symlink(path, link);
 * const skipped: string[] = [];
 * assert.equal(await openLog(link, { symlink: (m) => skipped.push(m) }), undefined);
 * assert.match(skipped[0], /is a symbolic link/);
 * await assert.rejects(() => openLog(link), /refusing to follow it/);
 * ```
 */
export async function openLog(
  path: string,
  options: OpenLogOptions = {},
): Promise<LogFile | undefined> {
  const info = await checkLogPath(path, options);
  if (info === undefined) return undefined;
  return {
    path,
    size: info.size,
    stream: (start = 0, end = Infinity) => rangeStream(path, start, end),
    bytes: () => Deno.readFile(path),
  };
}

function kindOf(info: Deno.FileInfo): string {
  if (info.isDirectory) return "a folder";
  if (info.isFifo) return "a named pipe (FIFO)";
  if (info.isSocket) return "a socket";
  if (info.isCharDevice) return "a character device";
  if (info.isBlockDevice) return "a block device";
  return "a special file";
}
