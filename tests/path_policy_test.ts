/**
 * Where the tool may write (issue 14, point 11, the path items): a `--root`
 * must exist, `emit` needs a project, and `emit`, `import` and
 * `verify --repair` share one path policy that is checked before anything
 * is created.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, tempProject } from "./helpers.ts";
import { encodeEvent } from "../src/event/line_codec.ts";
import { sampleEvent } from "./store_contract.ts";

const F = "043-p";
const EMIT = ["emit", "--feature", F, "--agent", "a", "--role", "r"];
const unix = Deno.build.os !== "windows";

async function entries(dir: string): Promise<string[]> {
  return (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name).sort();
}

// ------------------------------------------------------------------ --root

const ROOT_COMMANDS: string[][] = [
  EMIT,
  ["cost"],
  ["query"],
  ["verify"],
  ["verify", "--repair"],
  ["import", "-", "--feature", F],
  ["pricing"],
  ["git-setup", "--check"],
];

for (const command of ROOT_COMMANDS) {
  Deno.test(`${command[0]} ${command[1] ?? ""}: a --root that does not exist is exit 2, not created`, async () => {
    const parent = await tempProject();
    const missing = join(parent, "no", "such");
    const run = await cli([...command, "--root", missing], { stdin: "" });
    assert.equal(run.code, 2, run.stderr);
    assert.equal(run.stdout, "");
    assert.equal(
      run.stderr,
      `error: --root: no such directory: ${missing} ` +
        "(give the project's root folder; it is not created)\n",
    );
    assert.deepEqual(await entries(parent), []);
  });
}

Deno.test("KITTY_TELEMETRY_ROOT naming no folder is exit 2, naming the variable", async () => {
  const parent = await tempProject();
  const missing = join(parent, "gone");
  const run = await cli(EMIT, { env: { KITTY_TELEMETRY_ROOT: missing } });
  assert.equal(run.code, 2);
  assert.match(run.stderr, /^error: KITTY_TELEMETRY_ROOT: no such directory: .*gone /);
  assert.deepEqual(await entries(parent), []);
});

Deno.test("a --root that is a file is exit 2: not a directory", async () => {
  const file = join(await tempProject(), "file.txt");
  await Deno.writeTextFile(file, "x");
  const run = await cli(["cost", "--root", file]);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /^error: --root: not a directory: /);
});

// ------------------------------------------------------------------ outside any project

Deno.test("emit outside any project is exit 2 with the fix, and creates nothing", async () => {
  const dir = await tempProject();
  const run = await cli(EMIT, { cwd: dir });
  assert.equal(run.code, 2);
  assert.equal(run.stdout, "");
  assert.match(run.stderr, /^error: not inside a project: .*kitty-specs, \.kittify or \.git; /);
  assert.match(run.stderr, /run inside the project, or pass --root DIR/);
  assert.deepEqual(await entries(dir), []);
});

Deno.test("emit --best-effort outside any project says so and writes nothing", async () => {
  const dir = await tempProject();
  const run = await cli([...EMIT, "--best-effort"], { cwd: dir });
  assert.match(run.stderr, /not inside a project/);
  assert.deepEqual(await entries(dir), []);
});

for (const marker of ["kitty-specs", ".kittify", ".git"]) {
  Deno.test(`a folder holding ${marker} above the working directory is the project`, async () => {
    const root = await tempProject();
    await Deno.mkdir(join(root, marker));
    await Deno.mkdir(join(root, "sub", "deeper"), { recursive: true });
    const run = await cli(EMIT, { cwd: join(root, "sub", "deeper") });
    assert.equal(run.code, 0, run.stderr);
    assert.ok((await Deno.stat(join(root, "kitty-specs", F, "execution.events.jsonl"))).isFile);
    assert.deepEqual(await entries(join(root, "sub", "deeper")), []);
  });
}

Deno.test("emit with --root into a fresh empty folder still creates the project", async () => {
  const root = await tempProject();
  const run = await cli([...EMIT, "--root", root]);
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(await entries(root), ["kitty-specs"]);
});

Deno.test("readers outside a project read nothing and create nothing", async () => {
  const dir = await tempProject();
  const run = await cli(["cost", "--json"], { cwd: dir });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(JSON.parse(run.stdout).total.event_count, 0);
  assert.deepEqual(await entries(dir), []);
});

// ------------------------------------------------------------------ symlinks, checked first

Deno.test({
  name: "a kitty-specs symlink out of the project: emit refuses before creating anything",
  ignore: !unix,
  async fn() {
    const root = await tempProject();
    const outside = await tempProject();
    await Deno.symlink(outside, join(root, "kitty-specs"));
    const run = await cli([...EMIT, "--root", root]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /kitty-specs: is a symbolic link that resolves outside the project/);
    assert.deepEqual(await entries(outside), []);
  },
});

Deno.test({
  name: "a kitty-specs symlink out of the project: import refuses before creating anything",
  ignore: !unix,
  async fn() {
    const root = await tempProject();
    const outside = await tempProject();
    await Deno.symlink(outside, join(root, "kitty-specs"));
    const event = sampleEvent({ aggregate_id: F });
    const run = await cli(["import", "-", "--root", root], { stdin: encodeEvent(event) + "\n" });
    assert.equal(run.code, 1, run.stderr);
    assert.deepEqual(await entries(outside), []);
  },
});

Deno.test({
  name: "a dangling feature-folder symlink is refused, its target not created",
  ignore: !unix,
  async fn() {
    const root = await tempProject();
    const target = join(await tempProject(), "made-by-mkdir");
    await Deno.mkdir(join(root, "kitty-specs"));
    await Deno.symlink(target, join(root, "kitty-specs", F));
    const run = await cli([...EMIT, "--root", root]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /is a symbolic link that leads nowhere/);
    await assert.rejects(() => Deno.lstat(target), Deno.errors.NotFound);
  },
});

Deno.test({
  name: "a kitty-specs symlink to a folder inside the project is followed",
  ignore: !unix,
  async fn() {
    const root = await tempProject();
    await Deno.mkdir(join(root, "data", "specs"), { recursive: true });
    await Deno.symlink(join(root, "data", "specs"), join(root, "kitty-specs"));
    const run = await cli([...EMIT, "--root", root]);
    assert.equal(run.code, 0, run.stderr);
    assert.ok((await Deno.stat(join(root, "data", "specs", F, "execution.events.jsonl"))).isFile);
  },
});

/** A log with a torn tail (something repair would move) behind a symlink. */
async function linkedProject(link: "kitty-specs" | "feature") {
  const root = await tempProject();
  const outside = await tempProject();
  const torn = encodeEvent(sampleEvent({ aggregate_id: F })) + "\n" + '{"torn';
  await Deno.mkdir(join(outside, F), { recursive: true });
  await Deno.writeTextFile(join(outside, F, "execution.events.jsonl"), torn);
  if (link === "kitty-specs") {
    await Deno.symlink(outside, join(root, "kitty-specs"));
  } else {
    await Deno.mkdir(join(root, "kitty-specs"));
    await Deno.symlink(join(outside, F), join(root, "kitty-specs", F));
  }
  return { root, outside, torn };
}

for (const link of ["kitty-specs", "feature"] as const) {
  Deno.test({
    name: `verify --repair applies emit's policy to a symlinked ${link} folder: nothing copied`,
    ignore: !unix,
    async fn() {
      const { root, outside, torn } = await linkedProject(link);
      const repair = await cli(["verify", "--repair", "--root", root, "--feature", F]);
      assert.equal(repair.code, 1, repair.stderr);
      assert.match(repair.stdout, /symlink: is a symbolic link that resolves outside the project/);
      assert.doesNotMatch(repair.stdout, /repaired/);
      // Nothing moved, nothing copied: not outside, not into the project.
      assert.equal(await Deno.readTextFile(join(outside, F, "execution.events.jsonl")), torn);
      assert.deepEqual(await entries(join(outside, F)), ["execution.events.jsonl"]);
      assert.deepEqual(await entries(root), ["kitty-specs"]);
      // emit refuses the very same feature.
      const emit = await cli([...EMIT, "--root", root]);
      assert.equal(emit.code, 1);
      assert.match(emit.stderr, /resolves outside the project/);
    },
  });
}

Deno.test({
  name: "verify --repair over every feature of a symlinked kitty-specs leaves it alone",
  ignore: !unix,
  async fn() {
    const { root, outside, torn } = await linkedProject("kitty-specs");
    const repair = await cli(["verify", "--repair", "--json", "--root", root]);
    assert.equal(repair.code, 1);
    const report = JSON.parse(repair.stdout);
    assert.deepEqual(report.repairs, []);
    assert.equal(report.features[0].findings[0].kind, "symlink");
    assert.equal(await Deno.readTextFile(join(outside, F, "execution.events.jsonl")), torn);
    assert.deepEqual(await entries(join(outside, F)), ["execution.events.jsonl"]);
  },
});

Deno.test({
  name: "verify --repair leaves a feature with a symlinked clock file alone, as emit refuses it",
  ignore: !unix,
  async fn() {
    const root = await tempProject();
    assert.equal((await cli([...EMIT, "--root", root])).code, 0);
    const dir = join(root, "kitty-specs", F);
    const log = join(dir, "execution.events.jsonl");
    await Deno.writeTextFile(log, '{"torn', { append: true });
    const before = await Deno.readTextFile(log);
    const clock = join(dir, ".telemetry-clock.json");
    const outside = join(await tempProject(), "clock.json");
    await Deno.rename(clock, outside);
    await Deno.symlink(outside, clock);
    const emit = await cli([...EMIT, "--root", root]);
    assert.equal(emit.code, 1);
    assert.match(emit.stderr, /telemetry-clock\.json: is a symbolic link; refusing to follow it/);
    const repair = await cli(["verify", "--repair", "--root", root]);
    assert.equal(repair.code, 1);
    assert.equal(await Deno.readTextFile(log), before);
    assert.deepEqual(await entries(dir), [".telemetry-clock.json", "execution.events.jsonl"]);
  },
});
