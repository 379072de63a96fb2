/**
 * `--out` (export, report) by its one rule (`src/cli/out_file.ts`): a file
 * is replaced whole, through a link the file it names, and a device or pipe
 * is written as it is. Renaming a new file over `/dev/null` (the command
 * run as root) had replaced the machine's `/dev/null` with a regular file;
 * a FIFO stands in for it here (the same branch, no root needed).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli } from "./helpers.ts";
import { projectWith } from "./otlp/otlp_helpers.ts";

const spans = (text: string) =>
  text.trimEnd().split("\n").flatMap((line) =>
    JSON.parse(line).resourceSpans[0].scopeSpans[0].spans.map((s: { name: string }) => s.name)
  );

/** What `export` writes to stdout for the same project (the reference). */
async function reference(root: string): Promise<string> {
  const run = await cli(["export", "--root", root]);
  assert.equal(run.code, 0, run.stderr);
  return run.stdout;
}

/** Names in `dir` (no temp file may be left). */
async function names(dir: string): Promise<string[]> {
  return (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name).sort();
}

Deno.test("export --out a FIFO writes into it and leaves it a FIFO", async () => {
  const { root } = await projectWith(30);
  const dir = await Deno.makeTempDir();
  const fifo = join(dir, "pipe");
  assert.ok((await new Deno.Command("mkfifo", { args: [fifo] }).output()).success);
  const reader = new Deno.Command("cat", { args: [fifo], stdout: "piped" }).spawn();
  const run = await cli(["export", "--root", root, "--out", fifo]);
  const fifoStill = (await Deno.lstat(fifo)).isFifo;
  // A rename over the FIFO leaves its reader waiting for a writer that never comes.
  if (!fifoStill) reader.kill();
  const read = new TextDecoder().decode((await reader.output()).stdout);
  assert.equal(run.code, 0, run.stderr);
  assert.ok(fifoStill, "the FIFO was replaced by a file");
  assert.equal(read, await reference(root));
  assert.equal(spans(read).length, 30);
  assert.deepEqual(await names(dir), ["pipe"]);
});

Deno.test("--out through a link replaces the file it names and keeps the link", async () => {
  const { root } = await projectWith(12);
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(join(dir, "real.jsonl"), "old\n");
  await Deno.symlink("real.jsonl", join(dir, "link.jsonl"));
  // A dangling link: the file it names is made.
  await Deno.symlink("made.html", join(dir, "page.html"));
  const run = await cli(["export", "--root", root, "--out", join(dir, "link.jsonl")]);
  assert.equal(run.code, 0, run.stderr);
  assert.ok((await Deno.lstat(join(dir, "link.jsonl"))).isSymlink);
  assert.equal(await Deno.readTextFile(join(dir, "real.jsonl")), await reference(root));
  const page = await cli(["report", "--root", root, "--out", join(dir, "page.html")]);
  assert.equal(page.code, 0, page.stderr);
  assert.ok((await Deno.lstat(join(dir, "page.html"))).isSymlink);
  assert.match(await Deno.readTextFile(join(dir, "made.html")), /^<!doctype html>/i);
  assert.deepEqual(await names(dir), ["link.jsonl", "made.html", "page.html", "real.jsonl"]);
});

Deno.test({
  name: "--out over a file keeps its permission bits",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const { root } = await projectWith(3);
    const dir = await Deno.makeTempDir();
    for (const [command, name] of [["export", "spans.jsonl"], ["report", "page.html"]]) {
      const path = join(dir, name);
      await Deno.writeTextFile(path, "old\n", { mode: 0o600 });
      await Deno.chmod(path, 0o600);
      const run = await cli([command, "--root", root, "--out", path]);
      assert.equal(run.code, 0, run.stderr);
      assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600, command);
      assert.notEqual(await Deno.readTextFile(path), "old\n");
    }
  },
});

Deno.test("--out a folder, or in a missing one, is exit 2 naming the fix, not a temp file", async () => {
  const { root } = await projectWith(3);
  const dir = await Deno.makeTempDir();
  for (const command of ["export", "report"]) {
    const folder = await cli([command, "--root", root, "--out", dir]);
    assert.equal(folder.code, 2, command);
    assert.match(folder.stderr, /is a folder: give a file name/);
    const missing = await cli([command, "--root", root, "--out", join(dir, "nope", "x")]);
    assert.equal(missing.code, 2, command);
    assert.match(missing.stderr, new RegExp(`cannot write it \\(no folder ${dir}/nope\\)`));
    assert.doesNotMatch(missing.stderr, /\.tmp/);
  }
  assert.deepEqual(await names(dir), []);
});

Deno.test("export --out - writes to stdout, as no --out does", async () => {
  const { root } = await projectWith(5);
  const run = await cli(["export", "--root", root, "--out", "-"], { cwd: root });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, await reference(root));
  assert.equal(spans(run.stdout).length, 5);
  assert.deepEqual((await names(root)).filter((n) => n.startsWith("-")), []);
});

Deno.test("--out over an event log (or through a link to one) is refused: the events stay", async () => {
  const { root } = await projectWith(4);
  const log = join(root, "kitty-specs", "043-otel", "execution.events.jsonl");
  const before = await Deno.readFile(log);
  const link = join(await Deno.makeTempDir(), "spans.jsonl");
  await Deno.symlink(log, link);
  for (const [command, out] of [["export", log], ["report", link], ["export", link]]) {
    const run = await cli([command, "--root", root, "--out", out]);
    assert.equal(run.code, 2, `${command} --out ${out}`);
    assert.match(run.stderr, /a project's own file: writing there would replace its events/);
    assert.deepEqual(await Deno.readFile(log), before);
  }
});
