/**
 * Builds the single executable: `deno task compile` for this machine,
 * `deno task release` for every release target. The permissions baked into
 * the binary and the modules it must embed are listed here and nowhere else.
 *
 * Usage: `deno run --allow-read --allow-run scripts/compile.ts [--release]`
 *
 * @module
 */
import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import { DYNAMIC_MODULES } from "../src/dynamic_modules.ts";

/** The repository root: every path below is relative to it. */
export const REPO_ROOT: string = fileURLToPath(new URL("../", import.meta.url));

/**
 * The binary's permissions: the project's files, the four variables it reads,
 * the host name (the default node id) and running `git` (`git-setup` only).
 * No network: telemetry never leaves the machine.
 */
export const PERMISSIONS: readonly string[] = [
  "--allow-read",
  "--allow-write",
  "--allow-env=KITTY_TELEMETRY_NODE_ID,KITTY_TELEMETRY_ROOT,KITTY_TELEMETRY_PRICING,NO_COLOR",
  "--allow-sys=hostname",
  "--allow-run=git",
];

/** The targets `deno task release` builds. */
export const RELEASE_TARGETS: readonly string[] = [
  "x86_64-unknown-linux-gnu",
  "aarch64-unknown-linux-gnu",
  "x86_64-apple-darwin",
  "aarch64-apple-darwin",
  "x86_64-pc-windows-msvc",
];

/**
 * The `deno compile` arguments (after `compile`) for one binary.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compileArgs } from "./compile.ts";
 * const args = compileArgs("dist/k", "aarch64-apple-darwin");
 * assert.ok(args.includes("src/cost/cost_reducer.ts") && args.at(-1) === "main.ts");
 * ```
 */
export function compileArgs(output: string, target?: string): string[] {
  const includes = DYNAMIC_MODULES.flatMap((url) => [
    "--include",
    relative(REPO_ROOT, fileURLToPath(url)),
  ]);
  const targets = target === undefined ? [] : ["--target", target];
  return [...PERMISSIONS, ...includes, ...targets, "--output", output, "main.ts"];
}

async function compile(output: string, target?: string): Promise<boolean> {
  const args = ["compile", ...compileArgs(output, target)];
  console.log(`deno ${args.join(" ")}`);
  const { success } = await new Deno.Command(Deno.execPath(), { args, cwd: REPO_ROOT }).spawn()
    .status;
  return success;
}

if (import.meta.main) {
  const release = Deno.args.includes("--release");
  const builds = release
    ? RELEASE_TARGETS.map((t) => ({ output: `dist/kitty-telemetry-${t}`, target: t }))
    : [{ output: "dist/kitty-telemetry", target: undefined }];
  for (const { output, target } of builds) {
    // Stop at the first failure, as the `&&` chain this replaces did.
    if (!await compile(output, target)) Deno.exit(1);
  }
}
