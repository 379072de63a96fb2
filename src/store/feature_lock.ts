/**
 * Opening a feature's log for appending: refuse paths that leave the
 * project (symlinks), and take the OS lock with a bounded wait. OS locks
 * die with their process, so a crashed holder never blocks others for good.
 *
 * @module
 */
import { DataError, KittyError } from "../errors.ts";
import type { ProjectLayout } from "./project_layout.ts";
import { checkLogPath } from "../read/open_log.ts";
import { featurePathRefusal, strictlyInside } from "./path_policy.ts";

/** Default bound on waiting for another process's lock. */
export const LOCK_TIMEOUT_MS = 30_000;

/**
 * The lock was not granted in time: a runtime failure (exit 1), not a
 * problem with any file's data, so retrying later may succeed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DataError } from "../errors.ts";
 * import { LockTimeoutError } from "./feature_lock.ts";
 * const e = new LockTimeoutError("x");
 * assert.ok(e.exitCode === 1 && !(e instanceof DataError));
 * ```
 */
export class LockTimeoutError extends KittyError {
  /** Runtime: exit 1. */
  readonly exitCode = 1;
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "LockTimeoutError";
  }
}

/**
 * Applies the path policy ({@linkcode featurePathRefusal}: no symbolic link
 * leads out of the project, the files are regular files) before anything is
 * created, then creates the feature folder if needed and checks again that
 * it resolves inside the project root (a link swapped in meanwhile).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { prepareFeatureDir } from "./feature_lock.ts";
 * import { ProjectLayout } from "./project_layout.ts";
 * const layout = new ProjectLayout(await Deno.makeTempDir());
 * await prepareFeatureDir(layout, "043-x");
 * assert.ok((await Deno.stat(layout.featureDir("043-x"))).isDirectory);
 * ```
 */
export async function prepareFeatureDir(layout: ProjectLayout, feature: string): Promise<void> {
  const refusal = await featurePathRefusal(layout, feature);
  if (refusal) throw new DataError(`${refusal.path}: ${refusal.message}`);
  const dir = layout.featureDir(feature);
  await Deno.mkdir(dir, { recursive: true });
  const root = await Deno.realPath(layout.root);
  const real = await Deno.realPath(dir);
  if (!strictlyInside(root, real)) {
    throw new DataError(`${dir}: resolves outside the project root ${root}; refusing to write`);
  }
}

/**
 * Opens the log for appending and takes its exclusive lock, waiting at most
 * `timeoutMs`. The caller unlocks (or exits, which releases it). A log that
 * is a symbolic link or not a regular file is refused before it is opened:
 * appending to a FIFO would report success and lose the events.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openLocked } from "./feature_lock.ts";
 * const path = await Deno.makeTempFile();
 * await Deno.writeTextFile(path, "a\n");
 * {
 *   using file = await openLocked(path, 1000);
 *   await file.write(new TextEncoder().encode("b\n")); // opened to append
 *   await file.unlock();
 * }
 * assert.equal(await Deno.readTextFile(path), "a\nb\n");
 * ```
 */
export async function openLocked(path: string, timeoutMs = LOCK_TIMEOUT_MS): Promise<Deno.FsFile> {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    await checkLogPath(path);
    const file = await Deno.open(path, { read: true, append: true, create: true });
    try {
      await lockBefore(file, path, deadline - Date.now());
    } catch (error) {
      // The pending lock request cannot be cancelled; the CLI exits right
      // after this error, which drops it.
      file.close();
      throw error;
    }
    // A repair or import replaces the log by rename while we waited: our
    // handle would then point at the old, unlinked file. Reopen.
    const current = await Deno.stat(path).catch(() => null);
    if (current !== null && current.ino === (await file.stat()).ino) return file;
    await file.unlock();
    file.close();
  }
}

async function lockBefore(file: Deno.FsFile, path: string, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new LockTimeoutError(
            `${path}: another process has held the lock for too long (waited ${
              Math.round(Math.max(ms, 0) / 1000)
            } s); run the command again once it is done (\`fuser ${path}\` shows who holds it)`,
          ),
        ),
      Math.max(ms, 0),
    );
  });
  try {
    await Promise.race([file.lock(true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
