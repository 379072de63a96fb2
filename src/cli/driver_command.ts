/**
 * What `git-setup` writes: the `.gitattributes` lines, and the shell command
 * git runs as each merge driver. Pure: the process facts come in as
 * arguments.
 *
 * @module
 */
import { basename } from "node:path";
import { fileURLToPath } from "node:url";

/** The `.gitattributes` lines that route the files to the drivers. */
export const ATTRIBUTE_LINES = [
  "kitty-specs/**/execution.events.jsonl merge=kitty-events",
  "kitty-specs/**/.telemetry-clock.json merge=kitty-clock",
] as const;

/** The git config the drivers need: key and value. */
export type GitConfigEntry = [key: string, value: string];

/**
 * Permissions the merge driver needs under `deno run`: it reads the three
 * versions and replaces `%A`; `--no-prompt` so git never hangs on a prompt.
 */
export const DRIVER_PERMISSIONS = ["--no-prompt", "--allow-read", "--allow-write"] as const;

/**
 * Quotes `word` for POSIX sh: as is when it is plainly safe, else in single
 * quotes (git runs drivers with `sh -c`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { shellQuote } from "./driver_command.ts";
 * assert.ok(shellQuote("/usr/bin/deno") === "/usr/bin/deno");
 * assert.ok(shellQuote("it's here") === `'it'\\''s here'`);
 * ```
 */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * The words that start this same tool: a compiled binary is its own path;
 * under `deno` it is `deno run <permissions> <main module>` (a local module
 * by path, a remote one by URL). `--no-config` keeps a `deno.json` in the
 * repository being merged from changing how the tool runs.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { toolInvocation } from "./driver_command.ts";
 * const words = toolInvocation("/opt/deno", "file:///src/kt/main.ts");
 * assert.ok(words[0] === "/opt/deno" && words.at(-1) === "/src/kt/main.ts");
 * assert.ok(toolInvocation("/usr/bin/kitty-telemetry", "file:///x.ts").length === 1);
 * ```
 */
export function toolInvocation(execPath: string, mainModule: string): string[] {
  if (!/^deno(\.exe)?$/i.test(basename(execPath))) return [execPath];
  const main = mainModule.startsWith("file:") ? fileURLToPath(mainModule) : mainModule;
  return [execPath, "run", "--quiet", "--no-config", ...DRIVER_PERMISSIONS, main];
}

/**
 * The git config entries for both drivers, commands quoted for sh.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { driverConfig } from "./driver_command.ts";
 * const entries = driverConfig(["/usr/bin/kitty-telemetry"]);
 * assert.ok(entries.some(([k, v]) =>
 *   k === "merge.kitty-events.driver" &&
 *   v === "/usr/bin/kitty-telemetry merge-driver events %O %A %B %P"));
 * ```
 */
export function driverConfig(invocation: string[]): GitConfigEntry[] {
  const tool = invocation.map(shellQuote).join(" ");
  return [
    ["merge.kitty-events.name", "kitty-telemetry event log union"],
    ["merge.kitty-events.driver", `${tool} merge-driver events %O %A %B %P`],
    ["merge.kitty-clock.name", "kitty-telemetry clock per-node maximum"],
    ["merge.kitty-clock.driver", `${tool} merge-driver clock %O %A %B %P`],
  ];
}

/**
 * `.gitattributes` text with the missing {@linkcode ATTRIBUTE_LINES} added
 * at the end, or `null` when all are there (so re-running changes nothing).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { addAttributes } from "./driver_command.ts";
 * const once = addAttributes("*.png binary")!;
 * assert.ok(once.startsWith("*.png binary\nkitty-specs/") && addAttributes(once) === null);
 * ```
 */
export function addAttributes(existing: string): string | null {
  const have = new Set(existing.split(/\r?\n/).map((l) => l.trim()));
  const missing = ATTRIBUTE_LINES.filter((line) => !have.has(line));
  if (missing.length === 0) return null;
  const prefix = existing === "" || existing.endsWith("\n") ? existing : existing + "\n";
  return prefix + missing.map((line) => line + "\n").join("");
}
