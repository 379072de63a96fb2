/**
 * `import` of one file or stdin as a stream (see `merge/stream_import.ts`):
 * the input is read twice, never held whole, when all its events are new
 * and come after each log's tail. What cannot go that way is left to the
 * whole merge.
 *
 * @module
 */
import { resolve } from "node:path";
import { DataError } from "../errors.ts";
import type { CliIo } from "./io.ts";
import { totalBytes } from "./progress.ts";
import { openLog } from "../read/open_log.ts";
import type { ImportOutcome } from "../merge/import_feature.ts";
import { appendStream, type InputOpener, planStream } from "../merge/stream_import.ts";
import { PROBLEMS_SHOWN, summaryProblem } from "../read/problem_cap.ts";
import { formatProblem } from "../read/log_reader.ts";
import { type ProjectLayout, validateFeatureSlug } from "../store/project_layout.ts";
import { onInterrupt } from "../interrupt.ts";

/** What the streamed import did, and what is left for the whole merge. */
export interface StreamedImport {
  /** The features appended. */
  outcomes: ImportOutcome[];
  /** Features the merge must still import; `null`: the whole input. */
  rest: Set<string> | null;
  /** The input holds events of more than one feature. */
  mixed: boolean;
}

/**
 * An opener for a regular file (symbolic links followed, anything else
 * refused) that fails if the file changed between two reads.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fileOpener } from "./import_stream.ts";
 * const path = await Deno.makeTempFile();
 * await Deno.writeTextFile(path, "x\n");
 * const open = fileOpener(path, path);
 * assert.equal(await new Response(await open()).text(), "x\n");
 * ```
 */
export function fileOpener(path: string, label: string): InputOpener {
  let seen: string | undefined;
  return async () => {
    const log = await openLog(path, { symlink: "follow" });
    if (!log) throw new DataError(`${label}: no such file`);
    const info = await Deno.stat(path);
    const stamp = `${info.size}:${info.mtime?.getTime()}:${info.ino}`;
    if (seen !== undefined && seen !== stamp) {
      throw new DataError(`${label}: changed while it was imported; import it again`);
    }
    seen = stamp;
    return await log.stream();
  };
}

/**
 * Copies stdin to a new temp file (so it can be read twice) and returns its
 * path and how to remove it. Until then, a signal that stops the process
 * removes it too (`src/interrupt.ts`): `import -` stopped while a pipe
 * still fed it had left the copy in the temp folder.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { spoolStdin } from "./import_stream.ts";
 * const copy = await spoolStdin(new Blob(["a\n"]).stream());
 * assert.equal(await Deno.readTextFile(copy.path), "a\n");
 * await copy.remove();
 * ```
 */
export async function spoolStdin(
  stdin: ReadableStream<Uint8Array>,
): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await Deno.makeTempFile({ prefix: "kitty-import-", suffix: ".jsonl" });
  const undo = onInterrupt(() => Deno.removeSync(path));
  const remove = async () => {
    await Deno.remove(path).catch(() => {});
    undo[Symbol.dispose]();
  };
  try {
    const file = await Deno.open(path, { write: true, truncate: true });
    await stdin.pipeTo(file.writable);
  } catch (error) {
    await remove();
    throw error;
  }
  return { path, remove };
}

/** One input opened for streaming: how to read it, and what to remove after. */
export interface SingleInput {
  /** Opens it afresh. */
  open: InputOpener;
  /** For stdin: the temp file holding it (the merge reads it from there). */
  stdinCopy?: string;
  /** Removes what reading it left (the copy of stdin). */
  cleanup(): Promise<void>;
}

/**
 * The one input of an `import` (stdin, or a path that is not a folder) made
 * readable twice; `undefined` for a folder or a missing path (the merge's
 * reading reports those).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { singleInput } from "./import_stream.ts";
 * const io = { cwd: await Deno.makeTempDir() } as never;
 * assert.equal(await singleInput(io, "."), undefined);
 * ```
 */
export async function singleInput(
  io: Pick<CliIo, "stdin" | "cwd">,
  path: string,
): Promise<SingleInput | undefined> {
  if (path === "-") {
    const copy = await spoolStdin(io.stdin);
    return { open: fileOpener(copy.path, "stdin"), stdinCopy: copy.path, cleanup: copy.remove };
  }
  const full = resolve(io.cwd, path);
  const info = await Deno.stat(full).catch(() => null);
  if (info === null || info.isDirectory) return undefined;
  return { open: fileOpener(full, path), cleanup: () => Promise.resolve() };
}

/**
 * Imports what it can of one input by streaming: per feature, an append
 * under its lock; a feature it cannot append is left in `rest`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { importStreamed } from "./import_stream.ts";
 * import { ProjectLayout } from "../store/project_layout.ts";
 * const layout = new ProjectLayout(await Deno.makeTempDir());
 * const open = () => Promise.resolve(new Blob(["junk\n"]).stream());
 * const out = await importStreamed(layout, open, undefined, false, () => {});
 * assert.ok(out.rest === null && out.outcomes.length === 0);
 * ```
 */
export async function importStreamed(
  layout: ProjectLayout,
  open: InputOpener,
  feature: string | undefined,
  route: boolean,
  warn: (message: string) => void,
  label = "input",
): Promise<StreamedImport> {
  // Lines that are not events are named once the import is settled here (the
  // merge, when it takes over, names them itself): the first few, the rest counted.
  const named: string[] = [];
  let unlisted = 0;
  let lastUnlisted = 0;
  const plan = await planStream(open, feature, route, {
    tell: (line, reason) => {
      if (named.length < PROBLEMS_SHOWN) {
        named.push(`${label}:${line}: not an event, not imported: ${reason}`);
      } else {
        unlisted++;
        lastUnlisted = line;
      }
    },
    full: () => named.length >= PROBLEMS_SHOWN,
  });
  const tell = () => {
    for (const message of named) warn(message);
    if (unlisted > 0) warn(formatProblem(summaryProblem(label, lastUnlisted, unlisted)));
  };
  if (plan === null) return { outcomes: [], rest: null, mixed: false };
  if (plan.size === 0) {
    // Nothing but lines that are not events: with a feature named, that is an import of nothing.
    if (feature === undefined || named.length === 0) {
      return { outcomes: [], rest: null, mixed: false };
    }
    validateFeatureSlug(feature);
    tell();
    const none = { feature, added: 0, alreadyPresent: 0, conflicts: [], changed: false };
    return { outcomes: [none], rest: new Set(), mixed: false };
  }
  for (const name of plan.keys()) validateFeatureSlug(name);
  const outcomes: ImportOutcome[] = [];
  const rest = new Set<string>();
  for (const name of [...plan.keys()].sort()) {
    const outcome = await appendStream(layout, name, plan.get(name)!, open, [], warn);
    if (outcome === null) rest.add(name);
    else outcomes.push(outcome);
  }
  if (rest.size === 0) tell();
  return { outcomes, rest, mixed: plan.size > 1 };
}

/**
 * The bytes the progress line counts against: the input files' (stdin's
 * copy's), or 0 (the line then shows bytes and rate only) when a folder
 * or an uncopied stdin is among them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { inputBytes } from "./import_stream.ts";
 * const cwd = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${cwd}/a.jsonl`, "abc\n");
 * assert.equal(await inputBytes({ cwd }, ["a.jsonl"]), 4);
 * assert.equal(await inputBytes({ cwd }, ["a.jsonl", "."]), 0);
 * ```
 */
export async function inputBytes(
  io: Pick<CliIo, "cwd">,
  paths: string[],
  stdinCopy?: string,
): Promise<number> {
  const files: string[] = [];
  for (const path of paths) {
    const full = path === "-" ? stdinCopy : resolve(io.cwd, path);
    const info = full === undefined ? null : await Deno.stat(full).catch(() => null);
    if (full === undefined || info === null || info.isDirectory) return 0;
    files.push(full);
  }
  return await totalBytes(files);
}
