/**
 * Where a command's `--out FILE` goes: one rule for every command that
 * takes it (`export`, `report`).
 *
 * - A regular file, or a name not there yet, is replaced whole: the bytes go
 *   to a temporary file beside it, renamed over it at the end, so a reader
 *   (or a crash, or a full disk) sees the old content or the new, never
 *   half. A file that was there keeps its permission bits. Stopped by a
 *   signal, the command removes the temporary file; one a killed run left
 *   (untouched for a minute) goes at the next write to the same file.
 * - A symbolic link is followed: the file it names is replaced, the link
 *   stays a link (renaming over the link would have cut it).
 * - A device, pipe or socket (`/dev/null`, `/dev/stdout`, a FIFO a
 *   Collector reads) is written to as it is. Renaming a file over it would
 *   replace `/dev/null` itself for every program on the machine.
 * - A folder is refused, naming the fix; so is an event log or a clock
 *   file (of any project): `--out` over one would have replaced the
 *   events with the export.
 *
 * @module
 */
import { basename, dirname, resolve } from "node:path";
import { osFix, osReason, UsageError } from "./errors.ts";
import { onInterrupt } from "../interrupt.ts";
import { writeAll, writeAllSync } from "../store/append_whole.ts";
import { isTempFor, staleTemps, tempPathFor } from "../store/temp_files.ts";
import { CLOCK_FILE, LOG_FILE } from "../store/project_layout.ts";

/** An open `--out` target. */
export interface OutFile {
  /** The path written to in the end (a link's target, resolved). */
  readonly path: string;
  /** Writes all of `bytes` (the buffer is free again once it resolves). */
  write(bytes: Uint8Array): Promise<void>;
  /** Empties what was written so far: only a file that is replaced whole can. */
  readonly rewind?: () => Promise<void>;
  /** Ends the output: a replaced file takes its new content now. */
  commit(): Promise<void>;
  /** Gives up: a replaced file keeps its old content, the temporary file goes. */
  abort(): Promise<void>;
}

/**
 * Opens `out` (resolved against `cwd`) by the rule above. Errors (a folder,
 * a missing folder, no permission) are usage errors naming `--out`'s path
 * and the fix.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openOut } from "./out_file.ts";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/a.txt`, "old\n");
 * await Deno.symlink(`${dir}/a.txt`, `${dir}/link.txt`);
 * const out = await openOut(dir, "link.txt");
 * await out.write(new TextEncoder().encode("new\n"));
 * assert.equal(await Deno.readTextFile(`${dir}/a.txt`), "old\n"); // not yet
 * await out.commit();
 * assert.equal(await Deno.readTextFile(`${dir}/a.txt`), "new\n");
 * assert.ok((await Deno.lstat(`${dir}/link.txt`)).isSymlink);
 * ```
 */
export async function openOut(cwd: string, out: string): Promise<OutFile> {
  const given = resolve(cwd, out);
  const cannot = (error: unknown, file = given) => {
    const missing = error instanceof Deno.errors.NotFound;
    // Not the OS message whole: it names the temporary file, a path the user never gave.
    const reason = missing ? `no folder ${dirname(file)}` : osReason(error);
    const fix = (missing ? undefined : osFix(error)) ??
      "give a path in a folder you can write to, or - for stdout";
    return new UsageError(`--out ${given}: cannot write it (${reason}); ${fix}`);
  };
  // Deno.args decodes bytes that are not UTF-8 as U+FFFD: a new file by that
  // name would not be the one asked for (an existing one is what was named).
  if (basename(given).includes("\uFFFD") && (await Deno.lstat(given).catch(() => null)) === null) {
    throw new UsageError(
      `--out ${given}: the name is not valid UTF-8 (shown as \uFFFD); give a UTF-8 file name`,
    );
  }
  // Through links; stat follows even the kernel's own (/dev/stdout -> /proc/self/fd/1 -> pipe).
  const info = await Deno.stat(given).catch((error) => {
    // Not there (or a dangling link): made below. A name too long, a loop of links: said now.
    if (error instanceof Deno.errors.NotFound) return null;
    throw cannot(error);
  });
  if (info?.isDirectory) {
    throw new UsageError(`--out ${given} is a folder: give a file name (e.g. ${given}/out.jsonl)`);
  }
  if (info !== null && !info.isFile) {
    const file = await Deno.open(given, { write: true }).catch((error) => {
      throw cannot(error);
    });
    return {
      path: given,
      write: (bytes) => writeAll(file, bytes),
      commit: () => Promise.resolve(file.close()),
      abort: () => Promise.resolve(file.close()),
    };
  }
  // A file is renamed over where it really is: the link, if any, stays.
  const path = info === null ? await danglingTarget(given) : await Deno.realPath(given);
  if (basename(path) === LOG_FILE || basename(path) === CLOCK_FILE) {
    throw new UsageError(
      `--out ${given} is ${path === given ? "" : `a link to ${path}, `}a project's own ` +
        `file: writing there would replace its events; give another file name`,
    );
  }
  // A temp file of an earlier run that was killed outright (SIGKILL, the OOM
  // killer: no undo ran) would stay for good: one untouched for a minute goes.
  // Alongside the write (a folder of 300 000 names takes half a second to list).
  const cleanup = removeStaleOut(path);
  const temp = tempPathFor(path);
  // Stopped by a signal before the end: the temporary file goes, the old content stays.
  // Registered before the file is made: a signal between its making and the open's
  // answer would otherwise leave it.
  const undo = onInterrupt(() => Deno.removeSync(temp));
  const file = await Deno.open(temp, { write: true, createNew: true }).catch((error) => {
    undo[Symbol.dispose]();
    throw cannot(error, path);
  });
  let open = true;
  const close = () => {
    if (open) file.close();
    open = false;
  };
  return {
    path,
    // Written synchronously: an export encodes on this thread and a worker, and an async
    // write costs a round trip per buffer that this thread, busy encoding, answers late
    // (1M events, traces: 1.34 -> 1.24 s, five alternating rounds).
    write: (bytes) => new Promise((done) => done(writeAllSync(file, bytes))),
    rewind: async () => {
      await file.truncate(0);
      await file.seek(0, Deno.SeekMode.Start);
    },
    commit: async () => {
      close();
      await cleanup;
      try {
        if (info !== null && Deno.build.os !== "windows") {
          await Deno.chmod(temp, info.mode! & 0o7777);
        }
        await Deno.rename(temp, path);
      } catch (error) {
        await Deno.remove(temp).catch(() => {});
        throw error;
      } finally {
        undo[Symbol.dispose]();
      }
    },
    abort: async () => {
      close();
      await cleanup;
      await Deno.remove(temp).catch(() => {});
      undo[Symbol.dispose]();
    },
  };
}

/**
 * Writes `content` to `out` whole by the rule above.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { writeOut } from "./out_file.ts";
 * const dir = await Deno.makeTempDir();
 * assert.equal(await writeOut(dir, "page.html", "<p>hi</p>\n"), `${dir}/page.html`);
 * assert.equal(await Deno.readTextFile(`${dir}/page.html`), "<p>hi</p>\n");
 * ```
 */
export async function writeOut(
  cwd: string,
  out: string,
  content: string | Uint8Array,
): Promise<string> {
  const file = await openOut(cwd, out);
  try {
    await file.write(typeof content === "string" ? new TextEncoder().encode(content) : content);
  } catch (error) {
    await file.abort();
    throw error;
  }
  await file.commit();
  return file.path;
}

/** Where a missing `path` would be made: through a dangling link, the file it names. */
async function danglingTarget(path: string): Promise<string> {
  for (let hops = 0; hops < 40; hops++) {
    const info = await Deno.lstat(path).catch(() => null);
    if (!info?.isSymlink) return path;
    path = resolve(dirname(path), await Deno.readLink(path));
  }
  throw new UsageError(`--out ${path}: too many levels of symbolic links`);
}

/** Removes the stale temp files of `path` beside it; never fails. */
async function removeStaleOut(path: string): Promise<void> {
  try {
    for (const stale of await staleTemps(dirname(path), Date.now(), (n) => isTempFor(n, path))) {
      await Deno.remove(stale.path).catch(() => {});
    }
  } catch {
    // A folder that cannot be listed: the write itself will say what is wrong.
  }
}
