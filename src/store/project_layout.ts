/**
 * Where things live in a project: `kitty-specs/<feature>/` holds each
 * feature's log and clock file. Every feature path goes through
 * {@linkcode validateFeatureSlug}, so no name can reach outside the project.
 *
 * @module
 */
import { join } from "node:path";
import { InvalidInputError } from "../errors.ts";
import { hasControlChars, MAX_NAME_LENGTH } from "../event/text_rules.ts";

/** The folder under the root that holds one folder per feature. */
export const SPECS_DIR = "kitty-specs";
/** Each feature's event log. */
export const LOG_FILE = "execution.events.jsonl";
/** Each feature's Lamport clock file. */
export const CLOCK_FILE = ".telemetry-clock.json";

/**
 * Throws {@linkcode InvalidInputError} unless `slug` is a plain folder name:
 * non-empty, at most 256 characters, no `/`, `\`, `..`, or control
 * characters, not `.`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { validateFeatureSlug } from "./project_layout.ts";
 * validateFeatureSlug("043-telemetry-foundation");
 * let threw = false;
 * try { validateFeatureSlug("../etc"); } catch { threw = true; }
 * assert.ok(threw);
 * ```
 */
export function validateFeatureSlug(slug: string): void {
  const problem = slug.length === 0
    ? "must not be empty"
    : slug.length > MAX_NAME_LENGTH
    ? `must be at most ${MAX_NAME_LENGTH} characters`
    : hasControlChars(slug)
    ? "must not contain control characters"
    : /[/\\]/.test(slug)
    ? "must not contain '/' or '\\'"
    : slug.includes("..") || slug === "."
    ? "must not contain '..' or be '.'"
    : null;
  if (problem) {
    throw new InvalidInputError(
      `feature ${JSON.stringify(slug)}: ${problem} (expected a folder name like 043-my-feature)`,
    );
  }
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

  /** The folder of a feature (the slug is validated). */
  featureDir(feature: string): string {
    validateFeatureSlug(feature);
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
   * Feature folder names in sorted order; none when `kitty-specs/` is
   * missing. Names that are not valid slugs are passed over.
   */
  async features(): Promise<string[]> {
    const names: string[] = [];
    try {
      for await (const entry of Deno.readDir(this.specsDir)) {
        if (!entry.isDirectory) continue;
        try {
          validateFeatureSlug(entry.name);
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
 * The nearest ancestor of `start` (itself included) that holds
 * `kitty-specs/` or `.git`; `start` itself when there is none.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { findProjectRoot } from "./project_layout.ts";
 * assert.ok(typeof (await findProjectRoot(Deno.cwd())) === "string");
 * ```
 */
export async function findProjectRoot(start: string): Promise<string> {
  let dir = start;
  while (true) {
    for (const marker of [SPECS_DIR, ".git"]) {
      try {
        await Deno.stat(join(dir, marker));
        return dir;
      } catch {
        // Missing, or outside what this process may read: not a marker.
      }
    }
    const parent = join(dir, "..");
    if (parent === dir) return start;
    dir = parent;
  }
}
