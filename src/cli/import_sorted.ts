/**
 * `import` of other checkouts and files as streams (see `merge/sorted_import.ts`):
 * every feature's sources are checked in a first pass, before anything is
 * written, then imported one feature at a time, never held whole. What
 * that cannot take goes to the in-memory import: the whole command when a
 * source is not in the sorted case (it then reports what today's reading
 * reports), one feature when only its log is not.
 *
 * @module
 */
import { join, resolve } from "node:path";
import { parseClockText } from "../clock/clock_file.ts";
import type { ClockState } from "../clock/lamport.ts";
import { importIntoFeature, type ImportOutcome } from "../merge/import_feature.ts";
import { readUtf8 } from "../merge/read_text.ts";
import {
  type CheckedFeature,
  checkFeature,
  importChecked,
  type SortedSource,
} from "../merge/sorted_import.ts";
import {
  CLOCK_FILE,
  LOG_FILE,
  ProjectLayout,
  SPECS_DIR,
  validateFeatureSlug,
} from "../store/project_layout.ts";
import { fileOpener, type StreamedImport } from "./import_stream.ts";
import type { InputOpener } from "../merge/stream_import.ts";
import { featureLines } from "../merge/feature_lines.ts";
import { planStream } from "../merge/stream_import.ts";
import { type CliIo, ENV } from "./io.ts";

/**
 * Which way the last import of checkouts went, for tests: streamed, or the
 * whole in memory (and why), and the features whose log the stream left to
 * the in-memory import.
 */
export const importPath = {
  last: "" as "" | "streamed" | "in-memory" | "not-for-stream",
  inMemory: [] as string[],
};

/** Starts a path's record; false when the environment asks for the in-memory import. */
function mayStream(io: Pick<CliIo, "env">): boolean {
  importPath.last = "in-memory";
  importPath.inMemory = [];
  return io.env(ENV.importInMemory) !== "1";
}

/** What `import` was given, for {@linkcode importSorted}. */
export interface SortedRequest {
  /** The PATH arguments. */
  paths: string[];
  /** The one file or stdin, with what its append did. */
  single?: { open: InputOpener; label: string; streamed: StreamedImport };
  /** `--feature`. */
  feature?: string;
  /** `--route-by-feature`. */
  route: boolean;
}

/**
 * The streamed import of what the append of one input left
 * ({@linkcode importRest}), or of other checkouts
 * ({@linkcode importCheckouts}); null when the in-memory import must run
 * (having written and said nothing), or when there is nothing left.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { importSorted } from "./import_sorted.ts";
 * import { ProjectLayout } from "../store/project_layout.ts";
 * const cwd = await Deno.makeTempDir();
 * const io = { cwd, env: () => undefined };
 * const request = { paths: ["missing"], route: false };
 * assert.equal(await importSorted(io, new ProjectLayout(cwd), request, () => {}), null);
 * ```
 */
export async function importSorted(
  io: Pick<CliIo, "cwd" | "env">,
  layout: ProjectLayout,
  request: SortedRequest,
  warn: (message: string) => void,
): Promise<ImportOutcome[] | null> {
  const { single, feature, route } = request;
  if (single === undefined) {
    return await importCheckouts(io, layout, request.paths, feature, route, warn);
  }
  const { rest, mixed } = single.streamed;
  if (rest === null || rest.size === 0) return null;
  return await importRest(io, layout, single.label, single.open, rest, mixed, warn);
}

/** The checkouts' sources and clocks per feature, and the warnings their reading owes. */
interface Survey {
  sources: Map<string, SortedSource[]>;
  clocks: Map<string, ClockState[]>;
  warnings: string[];
}

/**
 * Imports `paths` (other checkouts and files; several of them, or one
 * checkout) as streams; null (having written and said nothing) when one is
 * stdin or missing, `--route-by-feature` is given with a checkout,
 * `KITTY_TELEMETRY_IMPORT_IN_MEMORY=1` is set, or a source is not all
 * events of its feature in log order: the caller then imports the whole as
 * before.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { importCheckouts } from "./import_sorted.ts";
 * import { ProjectLayout } from "../store/project_layout.ts";
 * const cwd = await Deno.makeTempDir();
 * const io = { cwd, env: () => undefined } as never;
 * const layout = new ProjectLayout(cwd);
 * assert.equal(await importCheckouts(io, layout, ["a.jsonl"], undefined, false, () => {}), null);
 * ```
 */
export async function importCheckouts(
  io: Pick<CliIo, "cwd" | "env">,
  layout: ProjectLayout,
  paths: string[],
  feature: string | undefined,
  route: boolean,
  warn: (message: string) => void,
): Promise<ImportOutcome[] | null> {
  if (!mayStream(io)) return null;
  importPath.last = "not-for-stream";
  const survey = await surveySources(io.cwd, paths, feature, route).catch(() => null);
  if (survey === null) return null;
  return await importSurveyed(layout, survey, warn);
}

/**
 * The features of one input (a file, stdin's copy) that its append could
 * not take (`rest`), imported as streams; null (having written nothing)
 * when the in-memory import must take them all. `mixed`: the input holds
 * other features' events too (each feature's read blanks those lines).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { importRest } from "./import_sorted.ts";
 * import { ProjectLayout } from "../store/project_layout.ts";
 * const layout = new ProjectLayout(await Deno.makeTempDir());
 * const open = () => Promise.resolve(new Blob(["junk\n"]).stream());
 * const io = { env: () => undefined };
 * assert.equal(await importRest(io, layout, "in", open, new Set(["043-x"]), false, () => {}), null);
 * ```
 */
export async function importRest(
  io: Pick<CliIo, "env">,
  layout: ProjectLayout,
  label: string,
  open: InputOpener,
  rest: Set<string>,
  mixed: boolean,
  warn: (message: string) => void,
): Promise<ImportOutcome[] | null> {
  if (!mayStream(io)) return null;
  const survey: Survey = { sources: new Map(), clocks: new Map(), warnings: [] };
  for (const name of rest) {
    survey.sources.set(name, [{ label, open: mixed ? featureLines(open, name) : open }]);
  }
  return await importSurveyed(layout, survey, warn);
}

/** Checks every feature's sources, then imports them one feature at a time. */
async function importSurveyed(
  layout: ProjectLayout,
  survey: Survey,
  warn: (message: string) => void,
): Promise<ImportOutcome[] | null> {
  importPath.last = "in-memory";
  const checked: CheckedFeature[] = [];
  for (const name of [...survey.sources.keys()].sort()) {
    const one = await checkFeature(name, survey.sources.get(name)!);
    if (one === undefined) return null;
    checked.push(one);
  }
  importPath.last = "streamed";
  survey.warnings.forEach(warn);
  const outcomes: ImportOutcome[] = [];
  for (const one of checked) {
    const clocks = survey.clocks.get(one.feature) ?? [];
    const done = await importChecked(layout, one, clocks, warn);
    if (done !== null) {
      outcomes.push(done);
      continue;
    }
    // Its log is not for the stream (or nothing to import): this feature as before.
    importPath.inMemory.push(one.feature);
    const inputs = [];
    for (const s of one.sources) inputs.push({ label: s.label, text: await text(s) });
    outcomes.push(await importIntoFeature(layout, one.feature, inputs, clocks, warn));
  }
  return outcomes;
}

/** A checked source read whole: it was all events of one feature in the first pass. */
async function text(source: SortedSource): Promise<string> {
  return await new Response(await source.open()).text();
}

/**
 * What `import` reads of checkouts, as its in-memory reading would: each
 * feature's log (when there is one) and clock file, in the order given;
 * null when a path is not a checkout.
 */
async function surveySources(
  cwd: string,
  paths: string[],
  feature: string | undefined,
  route: boolean,
): Promise<Survey | null> {
  const survey: Survey = { sources: new Map(), clocks: new Map(), warnings: [] };
  for (const path of paths) {
    if (path === "-") return null;
    const full = resolve(cwd, path);
    const info = await Deno.stat(full);
    if (info.isFile) {
      if (!(await surveyFile(survey, fileOpener(full, path), path, feature, route))) return null;
      continue;
    }
    // A checkout's log may hold other features' events only when routed: left to the merge.
    if (!info.isDirectory || route) return null;
    const other = new ProjectLayout(full);
    const features = await other.features();
    if (!(await Deno.stat(other.specsDir)).isDirectory) return null;
    for (const name of features) {
      if (feature !== undefined && name !== feature) continue;
      validateFeatureSlug(name);
      const dir = join(path, SPECS_DIR, name);
      const logPath = join(full, SPECS_DIR, name, LOG_FILE);
      const info = await Deno.stat(logPath).catch(() => null);
      if (info !== null && !info.isFile) return null;
      const label = join(dir, LOG_FILE);
      if (info !== null) add(survey.sources, name, { label, open: fileOpener(logPath, label) });
      const clock = await readUtf8(join(full, SPECS_DIR, name, CLOCK_FILE));
      if (clock !== null) {
        const read = parseClockText(clock);
        if (read.corrupt !== undefined) {
          survey.warnings.push(`${join(dir, CLOCK_FILE)}: corrupt (${read.corrupt})`);
        }
        if (info !== null) add(survey.clocks, name, read.state);
      }
    }
  }
  return survey;
}

/**
 * A file's features, read as `importStreamed`'s first pass reads it; false
 * when it is not for the stream (a line that is not an event, no event, an
 * event of another feature than `--feature`, lines out of order).
 */
async function surveyFile(
  survey: Survey,
  open: InputOpener,
  label: string,
  feature: string | undefined,
  route: boolean,
): Promise<boolean> {
  let junk = false;
  const told = { tell: () => void (junk = true), full: () => false };
  const plan = await planStream(open, feature, route, told);
  if (plan === null || junk || plan.size === 0) return false;
  for (const name of plan.keys()) {
    validateFeatureSlug(name);
    add(survey.sources, name, { label, open: plan.size > 1 ? featureLines(open, name) : open });
  }
  return true;
}

function add<T>(map: Map<string, T[]>, key: string, value: T): void {
  map.set(key, [...(map.get(key) ?? []), value]);
}
