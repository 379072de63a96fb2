/**
 * The one path policy for writing into a feature, which `emit`, `import`
 * and `verify --repair` all apply: `kitty-specs/` and the feature folder, as
 * far as they exist, resolve inside the project root (a symbolic link among
 * them may point elsewhere inside it, never out), and the log and clock
 * file are not symbolic links and, where they exist, are regular files
 * (see `checkLogPath`); a new feature folder is not another feature's
 * name in other case (one folder on macOS and Windows). Checked before anything is created, so a refused
 * path leaves no folder behind, inside or out.
 *
 * @module
 */
import { isAbsolute, relative, sep } from "node:path";
import { checkLogPath } from "../read/open_log.ts";
import type { ProjectLayout } from "./project_layout.ts";

/** A path the policy refuses, and why. */
export interface PathRefusal {
  /** The path refused. */
  path: string;
  /** Why, with the fix. */
  message: string;
}

/**
 * The first path of `feature` that the policy refuses, or `undefined` when
 * writing is allowed. Creates nothing. Throws a `DataError` for a log or
 * clock file that exists but is not a regular file (a FIFO, a folder).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { featurePathRefusal } from "./path_policy.ts";
 * import { ProjectLayout } from "./project_layout.ts";
 * const root = await Deno.makeTempDir();
 * const outside = await Deno.makeTempDir();
 * const layout = new ProjectLayout(root);
 * assert.equal(await featurePathRefusal(layout, "043-x"), undefined);
 * await Deno.symlink(outside, layout.specsDir);
 * assert.match((await featurePathRefusal(layout, "043-x"))!.message, /outside the project/);
 * ```
 */
export async function featurePathRefusal(
  layout: ProjectLayout,
  feature: string,
): Promise<PathRefusal | undefined> {
  const root = await Deno.realPath(layout.root);
  for (const dir of [layout.specsDir, layout.featureDir(feature)]) {
    let info: Deno.FileInfo;
    try {
      info = await Deno.lstat(dir);
    } catch (error) {
      // Missing: nothing below it exists either, and creating it is safe
      // unless it would be a second spelling of a feature folder.
      if (error instanceof Deno.errors.NotFound) {
        return dir === layout.specsDir ? undefined : await caseTwin(layout, feature);
      }
      throw error;
    }
    if (!info.isSymlink && !info.isDirectory) {
      return {
        path: dir,
        message: "is a file, not a folder; move it aside (the folder is created)",
      };
    }
    if (!info.isSymlink) continue;
    let real: string;
    try {
      real = await Deno.realPath(dir);
    } catch {
      return { path: dir, message: "is a symbolic link that leads nowhere; not followed" };
    }
    if (!strictlyInside(root, real)) {
      return {
        path: dir,
        message: `is a symbolic link that resolves outside the project root ${root} ` +
          `(to ${real}); not followed (replace the link by a folder)`,
      };
    }
  }
  for (const path of [layout.logPath(feature), layout.clockPath(feature)]) {
    let link = false;
    await checkLogPath(path, { symlink: () => link = true });
    if (link) {
      return {
        path,
        message: "is a symbolic link; refusing to follow it (replace the link by the file)",
      };
    }
  }
  return undefined;
}

/** A refusal when `feature` is new but an existing feature folder differs from it only in case. */
async function caseTwin(layout: ProjectLayout, feature: string): Promise<PathRefusal | undefined> {
  const folded = feature.normalize("NFC").toLowerCase();
  for await (const entry of Deno.readDir(layout.specsDir)) {
    if (entry.name !== feature && entry.name.normalize("NFC").toLowerCase() === folded) {
      return {
        path: layout.featureDir(feature),
        message: `differs only in case from the feature ${JSON.stringify(entry.name)} ` +
          `(one folder on macOS and Windows, two elsewhere): use ${JSON.stringify(entry.name)}`,
      };
    }
  }
  return undefined;
}

/**
 * True when the resolved path `real` is below the resolved `root` (not the
 * root itself). A folder inside named `..x` is inside; `../x` is not.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { strictlyInside } from "./path_policy.ts";
 * assert.ok(strictlyInside("/p", "/p/..specs/x") && !strictlyInside("/p", "/p/../x"));
 * assert.ok(!strictlyInside("/p", "/p") && !strictlyInside("/p", "/q"));
 * ```
 */
export function strictlyInside(root: string, real: string): boolean {
  const rel = relative(root, real);
  return rel !== "" && rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}
