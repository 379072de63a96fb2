/**
 * A feature's log held under the appenders' lock, for the writers that
 * merge into it or append to it from elsewhere (`import`'s three paths).
 *
 * @module
 */
import type { WarningSink } from "../read/log_reader.ts";
import { openLocked, prepareFeatureDir } from "./feature_lock.ts";
import type { ProjectLayout } from "./project_layout.ts";
import { removeStaleTemps } from "./temp_files.ts";

/** What {@linkcode withLockedFeature}'s body is handed. */
export interface LockedFeature {
  /** The log, open and locked. */
  file: Deno.FsFile;
  /** The log's path. */
  logPath: string;
  /** The feature's clock file. */
  clockPath: string;
}

/**
 * Runs `body` with a feature's log open under the lock every appender takes
 * (`store/feature_log.ts`), its folder made first and, once locked, the temp
 * files a killed writer left removed; unlocks after, however `body` ends.
 * `openLocked` reopens when the log was replaced while it waited, so an
 * appender blocked on this lock never writes to a file a rename unlinked.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { withLockedFeature } from "./locked_feature.ts";
 * import { ProjectLayout } from "./project_layout.ts";
 * const layout = new ProjectLayout(await Deno.makeTempDir());
 * const size = await withLockedFeature(layout, "043-x", () => {}, async ({ file }) =>
 *   (await file.stat()).size);
 * assert.equal(size, 0);
 * ```
 */
export async function withLockedFeature<T>(
  layout: ProjectLayout,
  feature: string,
  onWarning: WarningSink,
  body: (locked: LockedFeature) => Promise<T>,
): Promise<T> {
  const logPath = layout.logPath(feature);
  const clockPath = layout.clockPath(feature);
  await prepareFeatureDir(layout, feature);
  using file = await openLocked(logPath);
  try {
    await removeStaleTemps(layout.featureDir(feature), onWarning);
    return await body({ file, logPath, clockPath });
  } finally {
    await file.unlock();
  }
}
