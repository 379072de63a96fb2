/**
 * Issue 17: no zod and no js-yaml on the start-up path of a read command,
 * in the main thread or in any worker. Loading zod costs 25-35 ms per
 * process, and `cost` starts a worker per core. The bug these catch: a
 * schema (or a YAML read) imported, directly or through a helper, by a
 * module that `main.ts`, a read command or a worker loads; the config-file
 * parsers that keep zod (pricing files, budgets, adapters) must stay behind
 * a dynamic `import()` taken only when a file exists or an adapter is named.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { CLI_MODULES, DYNAMIC_MODULES } from "../src/dynamic_modules.ts";
import { encodeEvent } from "../src/event/line_codec.ts";
import { baseEvent, REPO_ROOT, tempProject } from "./helpers.ts";

const HEAVY = /^npm:\/?(zod|js-yaml)@/;

interface Graph {
  roots: string[];
  redirects: Record<string, string>;
  modules: Array<{
    specifier: string;
    dependencies?: Array<{ isDynamic?: boolean; code?: { specifier?: string } }>;
  }>;
}

async function graphOf(entry: string): Promise<Graph> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", entry],
    cwd: REPO_ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

/**
 * The modules a run of `entry` loads or resolves before its first line
 * runs: code imports (not `import type`), and literal dynamic imports too
 * when `dynamic` (Deno builds their graph at start-up, npm packages
 * resolved, though it evaluates them only when taken; a module loaded by
 * URL from `CLI_MODULES` is not followed). Each maps to the module that
 * imports it, to name the path.
 */
function loaded(graph: Graph, dynamic: boolean): Map<string, string> {
  const byName = new Map(graph.modules.map((m) => [m.specifier, m]));
  const seen = new Map<string, string>(graph.roots.map((r) => [r, ""]));
  const todo = [...graph.roots];
  while (todo.length > 0) {
    const at = todo.pop()!;
    for (const dep of byName.get(graph.redirects[at] ?? at)?.dependencies ?? []) {
      const next = dep.code?.specifier;
      if (next === undefined || (dep.isDynamic && !dynamic) || seen.has(next)) continue;
      seen.set(next, at);
      todo.push(next);
    }
  }
  return seen;
}

function heavyPaths(seen: Map<string, string>): string[] {
  const paths: string[] = [];
  for (const name of seen.keys()) {
    if (!HEAVY.test(name)) continue;
    const path = [name];
    while (seen.get(path.at(-1)!)) path.push(seen.get(path.at(-1)!)!);
    paths.push(path.map((p) => p.replace(/^file:\/\/.*?\/src\//, "src/")).join(" <- "));
  }
  return paths;
}

const READ_COMMANDS = ["cost", "query", "verify", "export", "report", "budget"];

Deno.test("main.ts and each read command load neither zod nor js-yaml at start-up", async () => {
  const entries = [
    join(REPO_ROOT, "main.ts"),
    ...READ_COMMANDS.map((c) => join(REPO_ROOT, "src", "cli", `${c}.ts`)),
  ];
  for (const entry of entries) {
    const seen = loaded(await graphOf(entry), true);
    assert.ok(seen.size > 10, `${entry}: too few modules (${seen.size}) to be its graph`);
    assert.deepEqual(heavyPaths(seen), [], entry);
  }
});

Deno.test("--version builds the graph of no command", async () => {
  const seen = loaded(await graphOf(join(REPO_ROOT, "main.ts")), true);
  const commands = Object.values(CLI_MODULES).filter((url) => seen.has(url.href));
  assert.deepEqual(commands, []);
  assert.ok(seen.size < 30, `${seen.size} modules`);
});

Deno.test("no worker or reducer can load zod or js-yaml, even on a malformed line", async () => {
  const cli = new Set(Object.values(CLI_MODULES).map((url) => url.href));
  const workers = DYNAMIC_MODULES.filter((url) => !cli.has(url.href));
  assert.ok(workers.length >= 6);
  for (const url of workers) {
    // Literal dynamic imports count: a worker takes them mid-scan (a bad line's reason).
    const seen = loaded(await graphOf(url.pathname), true);
    assert.deepEqual(heavyPaths(seen), [], url.pathname);
  }
});

Deno.test("the graph check sees zod where it is loaded", async () => {
  const seen = loaded(await graphOf(CLI_MODULES.budget_file.pathname), false);
  assert.equal(heavyPaths(seen).length, 2);
});

Deno.test("read commands run over a malformed line with neither package in the cache", async () => {
  // An empty Deno cache and --cached-only: loading either npm package fails.
  const denoDir = await tempProject();
  const env = { DENO_DIR: denoDir, DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" };
  const root = await tempProject();
  await Deno.mkdir(join(root, "kitty-specs", "043-x"), { recursive: true });
  const event = baseEvent();
  await Deno.writeTextFile(
    join(root, "kitty-specs", "043-x", "execution.events.jsonl"),
    encodeEvent(event) + "\n" + '{"event_id": 5}\n',
  );
  const deno = async (args: string[]) => {
    const out = await new Deno.Command(Deno.execPath(), {
      args,
      cwd: root,
      env,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = (b: Uint8Array) => new TextDecoder().decode(b);
    return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
  };
  const main = join(REPO_ROOT, "main.ts");
  const runs: Array<[string[], RegExp]> = [
    [["cost", "--json"], /"event_count":1/],
    [["query", "--json"], /"aggregate_id":"043-x"/],
    [["verify"], /malformed: event_id: Invalid input: expected string, received number/],
    [["report", "--out", join(root, "r.html")], /^$/],
  ];
  for (const [args, stdout] of runs) {
    const out = await deno(["run", "--cached-only", "--no-config", "-A", main, ...args]);
    assert.doesNotMatch(out.stderr, /npm package|--cached-only/, `${args[0]}: ${out.stderr}`);
    assert.match(out.stdout, stdout, `${args[0]}: ${out.stderr}`);
    // The reason for the bad line comes from the envelope schema, which once loaded zod.
    assert.match(
      out.stdout + out.stderr,
      /event_id: Invalid input: expected string, received number/,
      args[0],
    );
  }
  for (const module of ["deps.ts", "yaml.ts"]) {
    const url = new URL(`../src/${module}`, import.meta.url).href;
    const control = await deno(["eval", "--cached-only", "--no-config", `await import("${url}");`]);
    assert.notEqual(control.code, 0, `the check cannot see ${module}'s package being loaded`);
  }
});

// Commands load by computed URL, which Deno lets read only where --allow-read reaches: run
// with it narrowed to the project, `cost` once died with Deno's "module not found" naming
// no directory to allow (and before that, its workers with an uncaught error).
Deno.test("a command whose modules cannot be read names the directory to allow", async () => {
  const root = await tempProject();
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", `--allow-read=${root}`, "--allow-env", join(REPO_ROOT, "main.ts"), "cost"],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 1, stderr);
  assert.match(stderr, /^error: kitty-telemetry loads its own modules from .*\/src\/: allow/);
  assert.ok(stderr.includes(`--allow-read=${join(REPO_ROOT, "src")}/,`), stderr);
  assert.equal(out.stdout.length, 0);
});
