/**
 * Flag parsing shared by every command: `node:util` parseArgs in strict
 * mode, plus strict number parsing with messages that name the flag.
 *
 * @module
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { resolve } from "node:path";
import { nearestProjectRoot, PROJECT_MARKERS } from "../store/project_layout.ts";
import { type CliIo, ENV } from "./io.ts";
import { osFix, osReason, UsageError } from "./errors.ts";
import { didYouMean } from "./suggest.ts";

type Options = NonNullable<ParseArgsConfig["options"]>;

/** A flag some commands take, and the one its siblings take for the same thing. */
const SIBLING_FLAGS = new Map([["--format", "--json"]]);

/**
 * Parses `args` against `options` (strict: unknown flags are usage errors).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseFlags } from "./args.ts";
 * const { values } = parseFlags(["--json"], { json: { type: "boolean" } });
 * assert.ok(values.json === true);
 * ```
 */
export function parseFlags<T extends Options>(
  args: string[],
  options: T,
  positionals = false,
) {
  try {
    return parseArgs({
      args,
      options,
      strict: true,
      allowPositionals: positionals,
    });
  } catch (error) {
    const message = (error as Error).message.replace(
      /\. To specify a positional argument.*$/s,
      "",
    );
    const unknown = /^Unknown option '(--[^'=]+)/.exec(message)?.[1];
    const flags = Object.keys(options).map((name) => `--${name}`);
    const sibling = unknown === undefined ? undefined : SIBLING_FLAGS.get(unknown);
    const hint = unknown === undefined
      ? ""
      : sibling !== undefined && flags.includes(sibling)
      ? ` (this command takes ${sibling} instead)`
      : didYouMean(unknown, flags);
    throw new UsageError(`${message}${hint} (see --help)`);
  }
}

/**
 * An integer flag value from `min` to `max` (the bounds of the field it
 * fills, `NUMBER_RANGES`); the error says which bound a value broke.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseInteger } from "./args.ts";
 * assert.ok(parseInteger("--input-tokens", "12000") === 12000);
 * assert.throws(() => parseInteger("--n", "9007199254740992"), /<= 9007199254740991/);
 * ```
 */
export function parseInteger(
  flag: string,
  text: string,
  min = 0,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const value = /^-?\d+$/.test(text.trim()) ? Number(text.trim()) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    const bound = value > max ? `<= ${max}` : `>= ${min}`;
    throw new UsageError(`${flag}: expected an integer ${bound}, got ${JSON.stringify(text)}`);
  }
  return value;
}

/**
 * A decimal flag value from 0 to `max` (plain or exponent notation).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseDecimal } from "./args.ts";
 * assert.ok(parseDecimal("--cost-usd", "0.0871") === 0.0871);
 * assert.throws(() => parseDecimal("--cost-usd", "2e12", 1e12), /<= 1000000000000/);
 * ```
 */
export function parseDecimal(flag: string, text: string, max = Infinity): number {
  const ok = /^\d+(\.\d+)?([eE][+-]?\d+)?$|^\.\d+$/.test(text.trim());
  const value = ok ? Number(text.trim()) : NaN;
  if (!Number.isFinite(value) || value < 0 || value > max) {
    const bound = ok && value > max ? `<= ${max}` : ">= 0 like 0.0871";
    throw new UsageError(`${flag}: expected a number ${bound}, got ${JSON.stringify(text)}`);
  }
  return value;
}

/** Options for {@linkcode resolveRoot}. */
export interface RootOptions {
  /**
   * For commands that create files (`emit`): refuse to fall back on the
   * working directory when no project is found, rather than create
   * `kitty-specs/` in whatever folder the command ran in.
   */
  requireProject?: boolean;
}

/**
 * The project root: `--root`, else the root environment variable (either
 * must name an existing folder: it is never created; an empty `--root` is
 * an error, an empty variable counts as unset), else the nearest
 * ancestor of the working directory holding `kitty-specs/`, `.kittify/` or
 * `.git`, else (unless `options.requireProject`) the working directory.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { resolveRoot } from "./args.ts";
 * const io = { env: () => undefined, cwd: "/tmp" } as never;
 * assert.ok((await resolveRoot(io, "/")) === "/");
 * await assert.rejects(() => resolveRoot(io, "/no/such/dir"), /no such directory: \/no\/such\/dir/);
 * ```
 */
export async function resolveRoot(
  io: CliIo,
  flag: string | undefined,
  options: RootOptions = {},
): Promise<string> {
  // `--root "$DIR"` with DIR unset: say so rather than write wherever the cwd is.
  if (flag === "") throw new UsageError("--root: empty; give the project's root folder");
  const given = flag ?? io.env(ENV.root);
  if (given !== undefined && given !== "") {
    const root = resolve(io.cwd, given);
    await requireFolder(root, flag !== undefined ? "--root" : ENV.root, given);
    return root;
  }
  const found = await nearestProjectRoot(io.cwd);
  if (found !== undefined || !options.requireProject) return found ?? io.cwd;
  throw new UsageError(notInProject(io.cwd));
}

function notInProject(cwd: string): string {
  return `not inside a project: neither ${cwd} nor a folder above it holds ` +
    `${PROJECT_MARKERS.slice(0, -1).join(", ")} or ${PROJECT_MARKERS.at(-1)}; ` +
    `run inside the project, or pass --root DIR (or set ${ENV.root})`;
}

/**
 * The note for an empty answer read where {@linkcode resolveRoot} fell back
 * on the working directory (no `--root`, no variable, no project above):
 * the refusal of the commands that write, as a note. None otherwise.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { outsideProjectNote } from "./args.ts";
 * const io = { env: () => undefined, cwd: "/" } as never;
 * assert.deepEqual(await outsideProjectNote(io, "/"), []);
 * ```
 */
export async function outsideProjectNote(
  io: CliIo,
  flag: string | undefined,
): Promise<string[]> {
  const given = flag ?? io.env(ENV.root);
  if ((given !== undefined && given !== "") || await nearestProjectRoot(io.cwd)) return [];
  return [`note: ${notInProject(io.cwd)}`];
}

async function requireFolder(path: string, source: string, given: string): Promise<void> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) {
      throw new UsageError(
        `${source}: cannot use ${given} (${osReason(error)}); ${
          osFix(error) ?? "give the project's root folder"
        }`,
      );
    }
    throw new UsageError(
      `${source}: no such directory: ${given} (give the project's root folder; ` +
        "it is not created)",
    );
  }
  if (!info.isDirectory) {
    throw new UsageError(`${source}: not a directory: ${given} (give the project's root folder)`);
  }
}

/**
 * The `--root DIR` help line, its text at `column`: one wording for every
 * command that finds the project as {@linkcode resolveRoot} does (with
 * `requireProject` for those that refuse to run outside one).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rootHelp } from "./args.ts";
 * assert.match(rootHelp(), /^ {2}--root DIR {14}project root, an existing folder \(default: /);
 * assert.match(rootHelp(26, { requireProject: true }), /project it refuses, exit 2\)$/);
 * ```
 */
export function rootHelp(column = 26, options: RootOptions = {}): string {
  const markers = `${PROJECT_MARKERS.slice(0, -1).map((m) => m + "/").join(", ")} or ${
    PROJECT_MARKERS.at(-1)
  }`;
  const fallback = options.requireProject
    ? "; outside any project it refuses, exit 2"
    : ", else the current folder";
  const text = `project root, an existing folder (default: $${ENV.root}, else the nearest ` +
    `ancestor holding ${markers}${fallback})`;
  return "  --root DIR".padEnd(column) + helpText(text, column);
}

/**
 * Help text that wraps at `width` columns, each further line indented to the
 * help's text column, so a list derived from a table never overflows.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { helpText } from "./args.ts";
 * assert.equal(helpText("a b c", 4, 7), "a b\n    c");
 * ```
 */
export function helpText(text: string, indent = 26, width = 100): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line !== "" && indent + line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  lines.push(line);
  return lines.join("\n" + " ".repeat(indent));
}
