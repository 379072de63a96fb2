/**
 * Where things live in a project: `kitty-specs/<feature>/` holds each
 * feature's log and clock file. Every feature path goes through
 * {@linkcode validateFeatureSlug}, so no name can reach outside the project.
 *
 * @module
 */
import { join } from "node:path";
import { DataError, InvalidInputError } from "../errors.ts";
import { nameProblem } from "../event/text_rules.ts";

/** The folder under the root that holds one folder per feature. */
export const SPECS_DIR = "kitty-specs";
/** Each feature's event log. */
export const LOG_FILE = "execution.events.jsonl";
/** Each feature's Lamport clock file. */
export const CLOCK_FILE = ".telemetry-clock.json";

/** The longest file name most file systems take (ext4, APFS, NTFS in UTF-16 is more). */
export const MAX_FILE_NAME_BYTES = 255;

/** Names Windows keeps for devices: a checkout holding one fails there. */
const WINDOWS_DEVICE =
  /^(con|prn|aux|nul|com[1-9\u00b9\u00b2\u00b3]|lpt[1-9\u00b9\u00b2\u00b3])(\.|$)/i;
/** Characters a Windows file name cannot hold. */
const WINDOWS_FORBIDDEN = /[<>:"|?*]/;
/** Invisible format characters (Unicode category Cf: U+200B, U+200D, U+FEFF, U+2060, bidi controls). */
const INVISIBLE = /\p{Cf}/u;

/** Options for {@linkcode validateFeatureSlug}. */
export interface SlugOptions {
  /**
   * `true` (the default) for a name that will be written: it must also make
   * a folder every system can check out. `false` for reading a folder that
   * exists: only what keeps the path inside the project is required, so an
   * old folder named `CON` or `a.` stays readable.
   */
  portable?: boolean;
}

/**
 * Why `slug` is not a feature folder name, or `null` (see
 * {@linkcode validateFeatureSlug}).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { featureSlugProblem } from "./project_layout.ts";
 * assert.equal(featureSlugProblem("043-x"), null);
 * assert.match(featureSlugProblem("aux.txt")!, /reserved on Windows/);
 * assert.equal(featureSlugProblem("aux.txt", { portable: false }), null);
 * ```
 */
export function featureSlugProblem(slug: string, options: SlugOptions = {}): string | null {
  const bytes = new TextEncoder().encode(slug).length;
  const safe = bytes > MAX_FILE_NAME_BYTES
    ? `must be at most ${MAX_FILE_NAME_BYTES} bytes of UTF-8 (a file name's limit), ` +
      `got ${bytes} bytes`
    : nameProblem(slug) ??
      (/[/\\]/.test(slug)
        ? "must not contain '/' or '\\'"
        : slug.includes("..") || slug === "."
        ? "must not contain '..' or be '.'"
        : null);
  if (safe !== null || options.portable === false) return safe;
  return WINDOWS_DEVICE.test(slug)
    ? "is a device name reserved on Windows (CON, PRN, AUX, NUL, COM1-9, LPT1-9, " +
      "also with an extension): a checkout there fails"
    : /[. ]$/.test(slug)
    ? "must not end with '.' or a space (Windows drops them: a checkout there fails)"
    : WINDOWS_FORBIDDEN.test(slug)
    ? `must not contain any of < > : " | ? * (a Windows checkout fails)`
    : INVISIBLE.test(slug)
    ? "must not contain invisible format characters (like U+200B, U+200D, U+FEFF, U+2060, " +
      "bidi controls): two names that look alike would be two folders"
    : /^(\.git|git~\d+)$/i.test(slug)
    ? "is a folder name git refuses to track (.git in any case, or its Windows short name " +
      "git~1): the feature's log would never be committed"
    : slug.normalize("NFC") !== slug
    ? `must be in Unicode NFC form (macOS takes a decomposed name and its composed twin for ` +
      `one folder, other systems for two): write it as ${JSON.stringify(slug.normalize("NFC"))}`
    : null;
}

/**
 * Throws {@linkcode InvalidInputError} unless `slug` is a plain folder name:
 * a valid name (see `nameProblem`), at most 255 bytes of UTF-8, no `/`, `\`
 * or `..`, not `.`; and, unless `options.portable` is `false`, one that every
 * system can check out: not a Windows device name (`CON`, `nul.txt`, ...),
 * no trailing `.` or space, none of `< > : " | ? *`, no invisible format
 * characters, not `.git` (any case) or `git~1`, Unicode NFC.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { validateFeatureSlug } from "./project_layout.ts";
 * validateFeatureSlug("043-telemetry-foundation");
 * assert.throws(() => validateFeatureSlug("../etc"), /must not contain/);
 * assert.throws(() => validateFeatureSlug("NUL"), /reserved on Windows/);
 * ```
 */
export function validateFeatureSlug(slug: string, options: SlugOptions = {}): void {
  const problem = featureSlugProblem(slug, options);
  if (problem) {
    throw new InvalidInputError(
      `feature ${quoted(slug)}: ${problem} (expected a folder name like 043-my-feature)`,
    );
  }
}

/** The slug in quotes, what cannot be seen spelled out (`\u{200B}`), cut after 80 characters. */
function quoted(slug: string): string {
  const shown = slug.length > 80 ? `${slug.slice(0, 80)}…` : slug;
  return JSON.stringify(shown).replace(
    /[\p{Cf}\p{Cc}]/gu,
    (c) => `\\u{${c.codePointAt(0)!.toString(16).toUpperCase()}}`,
  );
}

/**
 * Paths of one project rooted at `root`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ProjectLayout } from "./project_layout.ts";
 * const layout = new ProjectLayout("/repo");
 * assert.ok(layout.logPath("043-x") === "/repo/kitty-specs/043-x/execution.events.jsonl");
 * ```
 */
export class ProjectLayout {
  /** The project root. */
  readonly root: string;
  /** `<root>/kitty-specs`. */
  readonly specsDir: string;

  /** A layout for the project at `root`. */
  constructor(root: string) {
    this.root = root;
    this.specsDir = join(root, SPECS_DIR);
  }

  /**
   * The folder of a feature (the slug is checked to stay inside the
   * project; writers check it is portable first, with
   * {@linkcode validateFeatureSlug}).
   */
  featureDir(feature: string): string {
    validateFeatureSlug(feature, { portable: false });
    return join(this.specsDir, feature);
  }

  /** The event log of a feature. */
  logPath(feature: string): string {
    return join(this.featureDir(feature), LOG_FILE);
  }

  /** The clock file of a feature. */
  clockPath(feature: string): string {
    return join(this.featureDir(feature), CLOCK_FILE);
  }

  /**
   * Feature folder names in sorted order, links to folders included; none
   * when `kitty-specs/` is missing. Names that are not valid slugs are passed over. A name that is
   * not valid UTF-8 comes back with U+FFFD in it, a name that opens
   * nothing: its log would read as empty, its events silently left out of
   * every total, so it is a {@linkcode DataError} naming the fix.
   */
  async features(): Promise<string[]> {
    const names: string[] = [];
    try {
      for await (const entry of Deno.readDir(this.specsDir)) {
        // A link to a folder is a feature too: emit writes through one that stays inside the
        // project, so every reader must count what it wrote (verify names one that leads out).
        if (
          !entry.isDirectory && !(entry.isSymlink && await isFolder(this.featureDir(entry.name)))
        ) {
          continue;
        }
        if (entry.name.includes("\uFFFD") && !(await exists(this.featureDir(entry.name)))) {
          throw new DataError(
            `${this.featureDir(entry.name)}: this folder's name is not valid UTF-8, so its log ` +
              "cannot be read; rename the folder (to the feature its events name)",
          );
        }
        try {
          validateFeatureSlug(entry.name, { portable: false });
          names.push(entry.name);
        } catch {
          // A folder no emit could have made: not ours to read.
        }
      }
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return [];
      throw error;
    }
    return names.sort();
  }
}

/**
 * What marks a project root: its `kitty-specs/` folder, spec-kitty's
 * `.kittify/` folder, or a git checkout's `.git` (a new project's first
 * emit creates `kitty-specs/` there).
 */
export const PROJECT_MARKERS: readonly string[] = [SPECS_DIR, ".kittify", ".git"];

/**
 * The nearest ancestor of `start` (itself included) that holds one of the
 * {@linkcode PROJECT_MARKERS}; `undefined` when there is none.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nearestProjectRoot } from "./project_layout.ts";
 * const dir = await Deno.makeTempDir();
 * await Deno.mkdir(`${dir}/.kittify`);
 * await Deno.mkdir(`${dir}/a/b`, { recursive: true });
 * assert.equal(await nearestProjectRoot(`${dir}/a/b`), dir);
 * ```
 */
export async function nearestProjectRoot(start: string): Promise<string | undefined> {
  let dir = start;
  while (true) {
    for (const marker of PROJECT_MARKERS) {
      try {
        await Deno.stat(join(dir, marker));
        return dir;
      } catch {
        // Missing, or outside what this process may read: not a marker.
      }
    }
    const parent = join(dir, "..");
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * {@linkcode nearestProjectRoot}, or `start` itself when there is none
 * (for readers: a folder without a project has no events to read).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { findProjectRoot } from "./project_layout.ts";
 * assert.ok(typeof (await findProjectRoot(Deno.cwd())) === "string");
 * ```
 */
export async function findProjectRoot(start: string): Promise<string> {
  return await nearestProjectRoot(start) ?? start;
}

async function exists(path: string): Promise<boolean> {
  return await Deno.lstat(path).then(() => true, () => false);
}

/** True when `path` is a folder, through links (a dangling link is none). */
async function isFolder(path: string): Promise<boolean> {
  return (await Deno.stat(path).catch(() => null))?.isDirectory === true;
}
