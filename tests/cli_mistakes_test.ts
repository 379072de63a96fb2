/**
 * Mistakes answered with the fix (issue 16): did-you-mean, help that agrees
 * with itself, one casing for errors, empty filters that say what exists,
 * contradictions refused, and repair leftovers kept out of commits.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, REPO_ROOT, tempProject } from "./helpers.ts";
import { COMMAND_NAMES } from "../src/cli/run.ts";
import { VERSION } from "../src/version.ts";
import { GROUP_KEYS } from "../src/cost/group_keys.ts";
import { cacheWarning } from "../src/cli/git_setup.ts";

async function project(): Promise<string> {
  const root = await tempProject();
  for (const [feature, agent] of [["043-x", "claude"], ["051-y", "codex"], ["051-y", "claude"]]) {
    const run = await cli([
      "emit",
      "--root",
      root,
      "--feature",
      feature,
      "--agent",
      agent,
      "--role",
      "impl",
      "--model",
      "gpt-5-codex",
      "--input-tokens",
      "10",
    ]);
    assert.equal(run.code, 0, run.stderr);
  }
  return root;
}

const DID_YOU_MEAN: [string[], RegExp][] = [
  [["emitt"], /^error: unknown command "emitt" \(did you mean emit\?\)/],
  [["cots"], /^error: unknown command "cots" \(did you mean cost\?\)/],
  [
    ["emit", "--input-token", "5"],
    /^error: unknown option '--input-token' \(did you mean --input-tokens\?\)/,
  ],
  [
    ["cost", "--group-by", "agnet"],
    /^error: --group-by: unknown key "agnet" \(did you mean agent\?\)/,
  ],
  [["cost", "--sort", "cots"], /^error: --sort: .*got "cots" \(did you mean cost\?\)/],
  // cost and query take --format json and --json; the other commands --json alone.
  [["budget", "--format", "json"], /^error: unknown option '--format' \(this command takes --json/],
  [["verify", "--format=json"], /^error: unknown option '--format' \(this command takes --json/],
  [
    ["query", "--fields", "timestmp"],
    /^error: --fields: unknown field "timestmp" \(did you mean timestamp\?\)/,
  ],
  [["help", "verfy"], /^error: unknown command "verfy" \(did you mean verify\?\)/],
];

for (const [args, expected] of DID_YOU_MEAN) {
  Deno.test(`${args.join(" ")}: exit 2 and the likely word`, async () => {
    const run = await cli([...args, "--root", await tempProject()]);
    assert.equal(run.code, 2, run.stderr);
    assert.equal(run.stdout, "");
    assert.match(run.stderr, expected);
  });
}

Deno.test("a word far from every name gets no guess", async () => {
  const run = await cli(["zzzzzz"]);
  assert.equal(run.code, 2);
  assert.doesNotMatch(run.stderr, /did you mean/);
});

Deno.test("help COMMAND and COMMAND --help print the same text, for every command", async () => {
  assert.ok(COMMAND_NAMES.length >= 8);
  for (const name of COMMAND_NAMES) {
    const a = await cli(["help", name]);
    const b = await cli([name, "--help"]);
    assert.equal(a.code, 0, `${name}: ${a.stderr}`);
    assert.ok(a.stdout.length > 50, name);
    assert.deepEqual(a, b, name);
  }
});

Deno.test("-V and --version print the version", async () => {
  for (const flag of ["-V", "--version"]) {
    assert.deepEqual(await cli([flag]), {
      code: 0,
      stdout: `kitty-telemetry ${VERSION}\n`,
      stderr: "",
    });
  }
});

Deno.test("top-level help lists every command and every group key", async () => {
  const help = (await cli(["--help"])).stdout;
  for (const name of COMMAND_NAMES) assert.match(help, new RegExp(`^  ${name}\\b`, "m"), name);
  assert.ok(GROUP_KEYS.every((k) => help.includes(k)), help);
  assert.match(help, new RegExp(GROUP_KEYS.join(", ")));
});

Deno.test("every error line has one casing: 'error: ' and a lower-case start", async () => {
  const root = await project();
  const cases = [
    ["emit", "--bogus"],
    ["emit", "--feature"],
    ["emit", "--feature", "043-x", "--role", "r"],
    ["cost", "--group-by", "x"],
    ["cost", "--since", "nope"],
    ["cost", "--format", "xml"],
    ["query", "--limit", "0"],
    ["query", "--order", "random"],
    ["verify", "--quarantine", "all"],
    ["pricing", "check"],
    ["import"],
    ["merge-driver"],
    ["git-setup", "--check", "--print"],
    ["nope"],
  ];
  for (const args of cases) {
    const run = await cli([...args, "--root", root]);
    assert.equal(run.code, 2, `${args.join(" ")}: ${run.stderr}`);
    const line = run.stderr.split("\n").find((l) => l.startsWith("error"));
    assert.ok(line !== undefined, run.stderr);
    assert.match(line, /^error: (?![A-Z][a-z])\S/, args.join(" "));
  }
});

Deno.test("a filter value that matches nothing lists what exists, on stderr, exit 0", async () => {
  const root = await project();
  const cost = await cli(["cost", "--root", root, "--agent", "Claude"]);
  assert.deepEqual([cost.code, cost.stdout], [0, "No execution events match.\n"]);
  assert.equal(
    cost.stderr,
    'note: --agent "Claude" matches no event; known agents: claude, codex (did you mean claude?)\n',
  );
  const query = await cli(["query", "--root", root, "--agent", "Claude", "--feature", "09"]);
  assert.deepEqual([query.code, query.stdout], [0, ""]);
  assert.equal(
    query.stderr,
    'note: --feature "09" matches no feature; known features: 043-x, 051-y\n' +
      'note: --agent "Claude" matches no event; known agents: claude, codex (did you mean claude?)\n',
  );
  // Each value exists, just not together: said so, without a list.
  const together = await cli(["cost", "--root", root, "--agent", "codex", "--feature", "043"]);
  assert.equal(together.stderr, "note: no event matches all the filters together\n");
  // A match says nothing.
  assert.equal((await cli(["query", "--root", root, "--agent", "codex"])).stderr, "");
});

Deno.test("--since after --until is exit 2, in cost and query", async () => {
  const root = await project();
  for (const command of ["cost", "query"]) {
    const run = await cli([
      command,
      "--root",
      root,
      "--since",
      "2026-03-02",
      "--until",
      "2026-03-01",
    ]);
    assert.equal(run.code, 2, command);
    assert.match(
      run.stderr,
      /^error: --since 2026-03-02 is after --until 2026-03-01: .*swap them\n$/,
    );
  }
  const same = await cli([
    "cost",
    "--root",
    root,
    "--since",
    "2026-03-02",
    "--until",
    "2026-03-02",
  ]);
  assert.equal(same.code, 0, same.stderr);
});

Deno.test("--format csv --json together is exit 2 (cost and query)", async () => {
  const root = await project();
  const cost = await cli(["cost", "--root", root, "--format", "csv", "--json"]);
  assert.equal(cost.code, 2);
  assert.match(cost.stderr, /^error: --json and --format csv ask for two formats/);
  const query = await cli(["query", "--root", root, "--format", "table", "--json"]);
  assert.equal(query.code, 2);
  // --format json --json agree: fine.
  assert.equal((await cli(["cost", "--root", root, "--format", "json", "--json"])).code, 0);
});

Deno.test("verify --feature of a feature that does not exist is exit 2, listing those that do", async () => {
  const root = await project();
  const run = await cli(["verify", "--root", root, "--feature", "999-nope"]);
  assert.deepEqual(run, {
    code: 2,
    stdout: "",
    stderr: 'error: verify: no such feature "999-nope" (features: 043-x, 051-y)\n',
  });
  const typo = await cli(["verify", "--root", root, "--feature", "043-y"]);
  assert.match(typo.stderr, /\(did you mean 043-x\?\)/);
  assert.equal((await cli(["verify", "--root", root, "--feature", "043-x"])).code, 0);
});

async function git(cwd: string, ...args: string[]): Promise<string> {
  const out = await new Deno.Command("git", { args, cwd, stdout: "piped", stderr: "piped" })
    .output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  return new TextDecoder().decode(out.stdout);
}

Deno.test("git-setup git-ignores verify --repair's quarantine files", async () => {
  const root = await project();
  await git(root, "init", "-q");
  const log = join(root, "kitty-specs", "043-x", "execution.events.jsonl");
  await Deno.writeTextFile(log, (await Deno.readTextFile(log)) + '{"torn');
  const repair = await cli(["verify", "--root", root, "--repair"]);
  assert.equal(repair.code, 0, repair.stderr);
  const quarantine = [...Deno.readDirSync(join(root, "kitty-specs", "043-x"))]
    .map((e) => e.name).filter((n) => n.endsWith(".quarantine"));
  assert.equal(quarantine.length, 1);
  const untracked = () => git(root, "status", "--porcelain", "--untracked-files=all");
  assert.match(await untracked(), /\.quarantine/); // before: it would be committed
  assert.equal((await cli(["git-setup", "--root", root, "--check"])).code, 1);
  const setup = await cli(["git-setup", "--root", root]);
  assert.equal(setup.code, 0, setup.stderr);
  assert.match(setup.stdout, /^\.gitignore: added$/m);
  assert.doesNotMatch(await untracked(), /\.quarantine/);
  assert.match(await untracked(), /execution\.events\.jsonl/); // the log itself still is not
  assert.equal((await cli(["git-setup", "--root", root, "--check"])).code, 0);
  const again = await cli(["git-setup", "--root", root]);
  assert.match(again.stdout, /^\.gitignore: already set up$/m);
});

Deno.test("git-setup git-ignores export --endpoint's record, also in a .gitignore set up before it", async () => {
  const root = await project();
  await git(root, "init", "-q");
  // A .gitignore from an earlier git-setup: the two lines it wrote then, and a line of the user's.
  const before = "kitty-specs/**/*.quarantine\nkitty-specs/**/.*.tmp\nnode_modules/\n";
  await Deno.writeTextFile(join(root, ".gitignore"), before);
  await Deno.mkdir(join(root, ".kittify"), { recursive: true });
  await Deno.writeTextFile(join(root, ".kittify", "export-state.json"), '{"version":1,"sent":{}}');
  await Deno.mkdir(join(root, ".kittify", "export-sent"));
  await Deno.writeFile(
    join(root, ".kittify", "export-sent", "0123456789abcdef.ids"),
    new Uint8Array(8),
  );
  const untracked = () => git(root, "status", "--porcelain", "--untracked-files=all");
  assert.match(await untracked(), /\.kittify\/export-state\.json/); // before: it would be committed
  assert.match(await untracked(), /\.kittify\/export-sent\/0123456789abcdef\.ids/);
  const check = await cli(["git-setup", "--root", root, "--check"]);
  assert.equal(check.code, 1);
  assert.match(check.stdout + check.stderr, /\.gitignore lacks "\.kittify\/export-state\.json"/);
  const setup = await cli(["git-setup", "--root", root]);
  assert.equal(setup.code, 0, setup.stderr);
  assert.match(setup.stdout, /^\.gitignore: added$/m);
  assert.equal(
    await Deno.readTextFile(join(root, ".gitignore")),
    before + ".kittify/export-state.json\n.kittify/export-sent/\n",
    "the missing lines added, nothing repeated",
  );
  assert.doesNotMatch(await untracked(), /export-state|export-sent/);
  assert.match(await untracked(), /\.gitignore/); // other files still show
  assert.equal((await cli(["git-setup", "--root", root, "--check"])).code, 0);
});

Deno.test("git-setup warns when the tool runs from an npx cache, and points to deno install", async () => {
  assert.equal(cacheWarning("/usr/bin/deno"), null);
  assert.equal(cacheWarning(join(REPO_ROOT, ".tools", "node_modules", ".bin", "deno")), null);
  // A real run from a Deno binary inside an npx cache path.
  const dir = join(await tempProject(), ".npm", "_npx", "4f1d", "node_modules", ".bin");
  await Deno.mkdir(dir, { recursive: true });
  const deno = join(dir, "deno");
  try {
    await Deno.link(Deno.execPath(), deno);
  } catch {
    await Deno.copyFile(Deno.execPath(), deno);
  }
  await Deno.chmod(deno, 0o755);
  const out = await new Deno.Command(deno, {
    args: ["run", "-A", "--no-prompt", join(REPO_ROOT, "main.ts"), "git-setup", "--print"],
    cwd: await tempProject(),
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, stderr);
  assert.match(
    stderr,
    /^warning: this Deno runs from a package-manager cache \(.*_npx.*\).*deno install -g -n kitty-telemetry/,
  );
});

Deno.test("cost and query outside a project say where they looked and how to point them", async () => {
  const empty = await tempProject();
  for (const args of [["cost"], ["cost", "--agent", "x"], ["query"]]) {
    const run = await cli(args, { cwd: empty });
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stderr,
      new RegExp(`^note: not inside a project: neither ${empty} nor .*--root DIR`, "m"),
    );
  }
  // Not said in a project whose filters match nothing, nor of a root given.
  const root = await project();
  const run = await cli(["cost", "--agent", "x"], { cwd: root });
  assert.doesNotMatch(run.stderr, /not inside a project/);
  // A root given that holds no log: the first-run note, and nothing of where it looked.
  assert.match((await cli(["query", "--root", empty])).stderr, /^note: no runs recorded yet in /);
});

Deno.test("cost and query in a project with no log yet say how to record the first run", async () => {
  const root = await tempProject();
  // spec-kitty makes the feature's folder (its spec) before any run: that is no log.
  await Deno.mkdir(join(root, "kitty-specs", "001-spec-only"), { recursive: true });
  for (const args of [["cost"], ["cost", "--agent", "claude"], ["query"], ["query", "--json"]]) {
    const run = await cli([...args, "--root", root]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stderr,
      new RegExp(`^note: no runs recorded yet in ${root} .*kitty-telemetry emit --feature `, "m"),
    );
    // Not the filter hints too: with nothing recorded they would list nothing.
    assert.doesNotMatch(run.stderr, /matches no event/);
  }
  const emitted = await cli([
    "emit",
    "--root",
    root,
    "--feature",
    "001-spec-only",
    "--agent",
    "claude",
    "--role",
    "implementer",
  ]);
  assert.equal(emitted.code, 0, emitted.stderr);
  const after = await cli(["cost", "--agent", "codex", "--root", root]);
  assert.doesNotMatch(after.stderr, /no runs recorded/);
  assert.match(after.stderr, /--agent "codex" matches no event; known agents: claude/);
});
