/**
 * The temp files this tool writes beside a feature's log (a new log or clock
 * file, renamed over the old one when complete), and the clean-up of those
 * a killed writer left behind.
 *
 * Policy: every such temp file is written by a process holding the
 * feature's lock (import, `verify --repair`, emit's clock write), and
 * renamed or removed before it lets go. So a writer that holds the lock and
 * finds one knows its writer is gone (killed, or the machine stopped). It
 * still removes only names this tool makes (see {@linkcode isTempName}) and
 * only files untouched for {@linkcode STALE_TEMP_MS}, so nothing that could
 * be a live write by some other route is ever touched.
 *
 * @module
 */
import { basename, dirname, join } from "node:path";
import { CLOCK_FILE, LOG_FILE } from "./project_layout.ts";
import type { WarningSink } from "../read/log_reader.ts";

/** A temp file untouched this long (ms) while its feature's lock is free is stale. */
export const STALE_TEMP_MS = 60_000;

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
/** The file names temp files are made for, and their stems in older versions' names. */
const STEMS = [
  LOG_FILE,
  LOG_FILE.replace(/\.jsonl$/, ""),
  CLOCK_FILE,
  CLOCK_FILE.replace(/\.json$/, ""),
]
  .map((name) => RegExp.escape(name.replace(/^\./, "")));
const TEMP_NAME = new RegExp(`^\\.(?:${STEMS.join("|")})\\.${UUID}\\.tmp$`);

/**
 * A fresh temp path beside `path`, for writing its new content:
 * `.NAME.UUID.tmp` (a leading dot of NAME dropped).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isTempName, tempPathFor } from "./temp_files.ts";
 * const temp = tempPathFor("/p/kitty-specs/043-x/execution.events.jsonl");
 * assert.match(temp, /^\/p\/kitty-specs\/043-x\/\.execution\.events\.jsonl\.[0-9a-f-]{36}\.tmp$/);
 * assert.ok(isTempName(temp.split("/").pop()!));
 * ```
 */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${tempStem(path)}.${crypto.randomUUID()}.tmp`);
}

/**
 * The file's name in its temp files' names, a leading dot dropped; a name
 * near the 255-byte limit itself would leave no room for the rest, so a
 * long one is `kitty-out`.
 */
function tempStem(path: string): string {
  const name = basename(path).replace(/^\./, "");
  return new TextEncoder().encode(name).length <= 200 ? name : "kitty-out";
}

/**
 * True for the names of the temp files {@linkcode tempPathFor} makes for `path`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isTempFor, tempPathFor } from "./temp_files.ts";
 * assert.ok(isTempFor(tempPathFor("/d/out.jsonl").slice(3), "/d/out.jsonl"));
 * assert.ok(!isTempFor(tempPathFor("/d/out.jsonl").slice(3), "/d/o.jsonl"));
 * ```
 */
export function isTempFor(name: string, path: string): boolean {
  return new RegExp(`^\\.${RegExp.escape(tempStem(path))}\\.${UUID}\\.tmp$`).test(name);
}

/**
 * True exactly for the names of temp files this tool makes beside a log:
 * `.execution.events.jsonl.UUID.tmp`, `.telemetry-clock.json.UUID.tmp`, and
 * the older `.execution.events.UUID.tmp` and `.telemetry-clock.UUID.tmp`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isTempName } from "./temp_files.ts";
 * assert.ok(isTempName(".telemetry-clock.0f1e2d3c-4b5a-4697-8879-6a5b4c3d2e1f.tmp"));
 * assert.ok(!isTempName("notes.tmp") && !isTempName(".execution.events.jsonl.tmp"));
 * ```
 */
export function isTempName(name: string): boolean {
  return TEMP_NAME.test(name);
}

/** A temp file of this tool found in a feature folder. */
export interface StaleTemp {
  /** Its path. */
  path: string;
  /** Its size in bytes. */
  size: number;
  /** When it was last written. */
  mtime: Date;
}

/**
 * The temp files of this tool in `dir` untouched for {@linkcode STALE_TEMP_MS}
 * at `now`, by name (those `isTemp` admits: by default, a log's or clock
 * file's). A missing folder has none.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { staleTemps } from "./temp_files.ts";
 * assert.deepEqual(await staleTemps("/nonexistent"), []);
 * ```
 */
export async function staleTemps(
  dir: string,
  now: number = Date.now(),
  isTemp: (name: string) => boolean = isTempName,
): Promise<StaleTemp[]> {
  const found: StaleTemp[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (!entry.isFile || !isTemp(entry.name)) continue;
      const path = join(dir, entry.name);
      const info = await Deno.lstat(path).catch(() => null);
      const mtime = info?.mtime;
      if (!info?.isFile || !mtime || now - mtime.getTime() < STALE_TEMP_MS) continue;
      found.push({ path, size: info.size, mtime });
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * Removes the stale temp files in a feature folder. Call it only while
 * holding that feature's lock. Never fails the write it runs in: a file it
 * cannot remove is a warning. Resolves to the paths removed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { removeStaleTemps } from "./temp_files.ts";
 * const dir = await Deno.makeTempDir();
 * const temp = `${dir}/.execution.events.jsonl.0f1e2d3c-4b5a-4697-8879-6a5b4c3d2e1f.tmp`;
 * await Deno.writeTextFile(temp, "x");
 * await Deno.utime(temp, new Date(0), new Date(0));
 * assert.deepEqual(await removeStaleTemps(dir, () => {}), [temp]);
 * ```
 */
export async function removeStaleTemps(dir: string, onWarning: WarningSink): Promise<string[]> {
  const removed: string[] = [];
  try {
    for (const temp of await staleTemps(dir)) {
      try {
        await Deno.remove(temp.path);
        removed.push(temp.path);
      } catch (error) {
        if (!(error instanceof Deno.errors.NotFound)) {
          onWarning(`${temp.path}: could not remove this stale temp file (${error}); delete it`);
        }
      }
    }
  } catch (error) {
    onWarning(`${dir}: could not look for stale temp files (${(error as Error).message})`);
  }
  return removed;
}
