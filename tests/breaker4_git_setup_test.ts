/**
 * `git-setup` where `.gitattributes` is not a plain file. Git does not read
 * a `.gitattributes` (or `.gitignore`) that is a symbolic link in the
 * working tree (since 2.32): git-setup had written through the link and
 * said "added", `--check` said "set up", and git merged logs as text.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli } from "./helpers.ts";

async function git(cwd: string, ...args: string[]): Promise<string> {
  const out = await new Deno.Command("git", { args, cwd, stdout: "piped", stderr: "null" })
    .output();
  return new TextDecoder().decode(out.stdout);
}

async function repo(): Promise<string> {
  const dir = await Deno.makeTempDir();
  await git(dir, "init", "-q", ".");
  return dir;
}

Deno.test("git-setup refuses a .gitattributes that is a symbolic link, and --check fails", async () => {
  const dir = await repo();
  const target = join(await Deno.makeTempDir(), "attributes");
  await Deno.writeTextFile(target, "*.png binary\n");
  await Deno.symlink(target, join(dir, ".gitattributes"));
  const setup = await cli(["git-setup", "--root", dir]);
  assert.equal(setup.code, 1);
  assert.match(
    setup.stderr,
    /\.gitattributes: is a symbolic link, and git does not read .*replace the link/,
  );
  assert.equal(await Deno.readTextFile(target), "*.png binary\n"); // not written through
  const check = await cli(["git-setup", "--check", "--root", dir]);
  assert.equal(check.code, 1);
  assert.equal(check.stdout, "");
  // Replaced by a copy, as the error says: set up, and git sees the driver.
  await Deno.remove(join(dir, ".gitattributes"));
  await Deno.copyFile(target, join(dir, ".gitattributes"));
  assert.equal((await cli(["git-setup", "--root", dir])).code, 0);
  const attr = await git(dir, "check-attr", "merge", "--", "kitty-specs/f/execution.events.jsonl");
  assert.match(attr, /merge: kitty-events/);
  assert.equal((await cli(["git-setup", "--check", "--root", dir])).code, 0);
  // The file was replaced whole, its lines kept, and no temp file left.
  assert.match(await Deno.readTextFile(join(dir, ".gitattributes")), /^\*\.png binary\n/);
  const names = (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name).sort();
  assert.deepEqual(names, [".git", ".gitattributes", ".gitignore"]);
});

Deno.test("git-setup with a folder where .gitignore goes names the fix", async () => {
  const dir = await repo();
  await Deno.mkdir(join(dir, ".gitignore"));
  const setup = await cli(["git-setup", "--root", dir]);
  assert.equal(setup.code, 1);
  // A line of its own (a warning may come first: a Deno run from npx's cache is warned about).
  assert.match(setup.stderr, /^error: .*\.gitignore: is not a file; move it aside/m);
});
