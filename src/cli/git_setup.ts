/**
 * `kitty-telemetry git-setup`: route the logs and clock files of a git
 * repository to this tool's merge drivers, so merges of branches that both
 * recorded events never end in a text conflict.
 *
 * @module
 */
import { basename, join, sep } from "node:path";
import { replaceFile } from "../merge/replace_file.ts";
import { EXPORT_SENT, EXPORT_STATE } from "./push_record.ts";
import { DataError } from "../errors.ts";
import {
  addAttributes,
  ATTRIBUTE_LINES,
  driverConfig,
  shellQuote,
  toolInvocation,
} from "./driver_command.ts";
import { parseFlags, resolveRoot } from "./args.ts";
import { type CliIo, ENV } from "./io.ts";
import { UsageError } from "./errors.ts";

/**
 * What `.gitignore` gets: the quarantine files `verify --repair` leaves beside
 * a log (`execution.events.jsonl.<time>-<random>.quarantine`, see
 * store/repair.ts), the temp files of an atomic replace cut short by a crash,
 * and `export --endpoint`'s record (one per clone: what this clone has sent).
 */
export const IGNORE_LINES = [
  "kitty-specs/**/*.quarantine",
  "kitty-specs/**/.*.tmp",
  EXPORT_STATE.replaceAll(sep, "/"),
  EXPORT_SENT.replaceAll(sep, "/") + "/",
] as const;

/** `git-setup --help`. */
export const GIT_SETUP_HELP = `Set up a git repository to merge event logs and clock files.

Usage:
  kitty-telemetry git-setup [--root DIR] [--check] [--print]

Adds to <root>/.gitattributes (once):
  ${ATTRIBUTE_LINES.join("\n  ")}
and to <root>/.gitignore (once: verify --repair's quarantine files, crashed temp files,
export --endpoint's record of what it sent):
  ${IGNORE_LINES.join("\n  ")}
and registers the drivers in the repository's git config (merge.kitty-events.*,
merge.kitty-clock.*) as commands that start this tool the way it was started now
(a compiled binary by its path; else deno run with the main module). Commit
.gitattributes; every clone runs git-setup once (git config is not cloned).

This is the only command that runs another program (git): under deno run it
needs --allow-run=git.

Options:
  --root DIR   the repository (default: $${ENV.root}, else nearest ancestor holding
               kitty-specs/, .kittify/ or .git)
  --check      change nothing; exit 0 when set up, 1 when not (what is missing on stderr)
  --print      change nothing; print the shell commands that would set it up
  -h, --help   show this help

Exit codes: 0 done (or set up), 1 not set up (--check) or git failed, 2 bad usage.
`;

/**
 * A warning when the running Deno lives in a package-manager cache that may
 * be pruned (npx's `_npx` folder, npm's cache): the merge drivers would point
 * at a program that later vanishes. Null when the path is not such a cache.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { cacheWarning } from "./git_setup.ts";
 * assert.ok(cacheWarning("/home/a/.npm/_npx/9f2/node_modules/.bin/deno")?.includes("deno install"));
 * assert.equal(cacheWarning("/usr/local/bin/deno"), null);
 * ```
 */
export function cacheWarning(execPath: string): string | null {
  if (!/[\\/](_npx|npm-cache|\.npm)[\\/]/.test(execPath)) return null;
  return `warning: this Deno runs from a package-manager cache (${execPath}), which npm may ` +
    "prune: the merge drivers would then stop working. Install the tool with " +
    "`deno install -g -n kitty-telemetry ...` (see the README) and run `kitty-telemetry git-setup`" +
    " from the installed command.\n";
}

const OPTIONS = {
  root: { type: "string" },
  check: { type: "boolean" },
  print: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** Runs `git-setup`; resolves to the exit code. */
export async function gitSetupCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(args, OPTIONS);
  if (values.help) {
    await io.stdout(GIT_SETUP_HELP);
    return 0;
  }
  if (values.check && values.print) throw new UsageError("--check and --print exclude each other");
  const root = await resolveRoot(io, values.root);
  const attributesPath = join(root, ".gitattributes");
  const attributes = await readOrEmpty(attributesPath);
  if (values.check) return await check(io, root, attributes);

  const cached = cacheWarning(Deno.execPath());
  if (cached) await io.stderr(cached);
  const entries = driverConfig(toolInvocation(Deno.execPath(), Deno.mainModule));
  const newAttributes = addAttributes(attributes);
  const ignorePath = join(root, ".gitignore");
  const ignore = await readOrEmpty(ignorePath);
  const newIgnore = addLines(ignore, IGNORE_LINES);
  if (values.print) {
    const lines = [`cd ${shellQuote(root)}`];
    const added = newAttributes?.slice(attributes.length).split("\n").filter((l) => l) ?? [];
    const needsNewline = added.length > 0 && attributes !== "" && !attributes.endsWith("\n");
    if (needsNewline) lines.push("echo >> .gitattributes");
    for (const line of added) lines.push(`echo ${shellQuote(line)} >> .gitattributes`);
    if (newIgnore !== null && ignore !== "" && !ignore.endsWith("\n")) {
      lines.push("echo >> .gitignore");
    }
    for (const line of newIgnore === null ? [] : IGNORE_LINES.filter((l) => !hasLine(ignore, l))) {
      lines.push(`echo ${shellQuote(line)} >> .gitignore`);
    }
    for (const [key, value] of entries) lines.push(`git config ${key} ${shellQuote(value)}`);
    await io.stdout(lines.join("\n") + "\n");
    return 0;
  }
  await git(root, ["rev-parse", "--git-dir"]);
  // Replaced whole: stopped half way, git would read half the lines.
  if (newAttributes !== null) await replaceFile(attributesPath, newAttributes);
  if (newIgnore !== null) await replaceFile(ignorePath, newIgnore);
  for (const [key, value] of entries) await git(root, ["config", key, value]);
  await io.stdout(
    (newAttributes === null ? ".gitattributes: already set up\n" : ".gitattributes: added\n") +
      (newIgnore === null ? ".gitignore: already set up\n" : ".gitignore: added\n") +
      entries.map(([key, value]) => `git config ${key}: ${value}\n`).join(""),
  );
  return 0;
}

async function check(io: CliIo, root: string, attributes: string): Promise<number> {
  const problems: string[] = [];
  const have = new Set(attributes.split(/\r?\n/).map((l) => l.trim()));
  for (const line of ATTRIBUTE_LINES) {
    if (!have.has(line)) problems.push(`.gitattributes lacks "${line}"`);
  }
  const ignore = await readOrEmpty(join(root, ".gitignore"));
  for (const line of IGNORE_LINES) {
    if (!hasLine(ignore, line)) problems.push(`.gitignore lacks "${line}"`);
  }
  await git(root, ["rev-parse", "--git-dir"]);
  for (const [kind, key] of [["events", "kitty-events"], ["clock", "kitty-clock"]]) {
    const value = await gitConfigGet(root, `merge.${key}.driver`);
    if (value === null || !value.includes(`merge-driver ${kind} `)) {
      problems.push(`git config merge.${key}.driver is not set to this tool's merge driver`);
    }
  }
  if (problems.length > 0) {
    await io.stderr(problems.map((p) => `not set up: ${p}\n`).join(""));
    return 1;
  }
  await io.stdout(`${root}: set up\n`);
  return 0;
}

async function gitConfigGet(root: string, key: string): Promise<string | null> {
  const out = await runGit(root, ["config", "--get", key]);
  // git config --get exits 1 when the key is unset.
  if (out.code === 1) return null;
  if (out.code !== 0) throw new DataError(`git config --get ${key}: ${out.stderr.trim()}`);
  return out.stdout.trim();
}

async function git(root: string, args: string[]): Promise<string> {
  const out = await runGit(root, args);
  if (out.code !== 0) {
    throw new DataError(`git ${args.join(" ")} (in ${root}) failed: ${out.stderr.trim()}`);
  }
  return out.stdout;
}

async function runGit(root: string, args: string[]) {
  let out: Deno.CommandOutput;
  try {
    out = await new Deno.Command("git", {
      args: ["-C", root, ...args],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
  } catch (error) {
    if (error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied) {
      throw new DataError("git-setup runs git: allow it with --allow-run=git");
    }
    if (error instanceof Deno.errors.NotFound) {
      throw new DataError("git-setup: git is not installed");
    }
    throw error;
  }
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
}

/**
 * A `.gitattributes` or `.gitignore`: "" when missing. One that is a symbolic
 * link is refused: git does not read such a file in the working tree (since
 * 2.32), so the drivers would be set up for nothing and logs text-merged.
 */
async function readOrEmpty(path: string): Promise<string> {
  const info = await Deno.lstat(path).catch((error) => {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  });
  if (info === null) return "";
  const name = basename(path);
  if (info.isSymlink) {
    throw new DataError(
      `${path}: is a symbolic link, and git does not read a ${name} that is one; ` +
        "replace the link by a copy of the file it names, then run git-setup again",
    );
  }
  if (!info.isFile) {
    throw new DataError(`${path}: is not a file; move it aside, then run git-setup again`);
  }
  return await Deno.readTextFile(path);
}

function hasLine(text: string, line: string): boolean {
  return text.split(/\r?\n/).some((l) => l.trim() === line);
}

/** `text` with the missing `lines` added at the end, or null when all are there. */
function addLines(text: string, lines: readonly string[]): string | null {
  const missing = lines.filter((line) => !hasLine(text, line));
  if (missing.length === 0) return null;
  const prefix = text === "" || text.endsWith("\n") ? text : text + "\n";
  return prefix + missing.map((line) => line + "\n").join("");
}
