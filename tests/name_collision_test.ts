/**
 * Feature names that are one folder on some systems and two on others: a
 * decomposed (NFD) spelling, which macOS treats as its composed (NFC) twin,
 * and a name that differs from an existing feature only in case, which
 * macOS and Windows checkouts fold into one folder. Both are refused at
 * write time, naming the fix; nothing is created.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, tempProject } from "./helpers.ts";

const emit = (root: string, feature: string) =>
  cli(["emit", "--root", root, "--feature", feature, "--agent", "a", "--role", "r"]);

async function features(root: string): Promise<string[]> {
  const dir = join(root, "kitty-specs");
  return (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name).sort();
}

Deno.test("a feature name not in Unicode NFC is exit 2 naming the NFC spelling", async () => {
  const root = await tempProject();
  await Deno.mkdir(join(root, "kitty-specs"));
  const nfd = "043-cafe\u0301";
  const run = await emit(root, nfd);
  assert.equal(run.code, 2, run.stderr);
  assert.match(run.stderr, /NFC/);
  assert.ok(run.stderr.includes(JSON.stringify("043-caf\u00e9")), run.stderr);
  assert.deepEqual(await features(root), []);
  const nfc = await emit(root, "043-caf\u00e9");
  assert.equal(nfc.code, 0, nfc.stderr);
  assert.deepEqual(await features(root), ["043-caf\u00e9"]);
});

Deno.test("a new feature differing from an existing one only in case is refused (exit 1, as the path policy) naming it", async () => {
  const root = await tempProject();
  await Deno.mkdir(join(root, "kitty-specs"));
  assert.equal((await emit(root, "043-Feature")).code, 0);
  for (const other of ["043-feature", "043-FEATURE"]) {
    const run = await emit(root, other);
    assert.equal(run.code, 1, `${other}: ${run.stderr}`);
    assert.match(run.stderr, /differs only in case from the feature "043-Feature"/);
  }
  assert.deepEqual(await features(root), ["043-Feature"]);
  assert.equal((await emit(root, "043-Feature")).code, 0, "the existing spelling still works");
  assert.equal((await emit(root, "043-features")).code, 0, "a different name still works");
});

Deno.test({
  name: "kitty-specs linked to a folder inside the root whose name starts with '..' is inside",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const root = await tempProject();
    await Deno.mkdir(join(root, "..specs"));
    await Deno.symlink(join(root, "..specs"), join(root, "kitty-specs"));
    const run = await emit(root, "043-x");
    assert.equal(run.code, 0, run.stderr);
    await Deno.stat(join(root, "..specs", "043-x", "execution.events.jsonl"));
  },
});

Deno.test("a feature git will not track (.git in any case, git~1) is exit 2: its log would never be committed", async () => {
  const root = await tempProject();
  await Deno.mkdir(join(root, "kitty-specs"));
  for (const name of [".git", ".GIT", "Git~1"]) {
    const run = await emit(root, name);
    assert.equal(run.code, 2, `${name}: ${run.stderr}`);
    assert.match(run.stderr, /git refuses to track/, name);
  }
  assert.deepEqual(await features(root), []);
  assert.equal((await emit(root, ".gitx")).code, 0, "a longer name is fine");
});

Deno.test("kitty-specs or a feature folder that is a file is refused naming it, not 'os error 20'", async () => {
  const specsFile = await tempProject();
  await Deno.writeTextFile(join(specsFile, "kitty-specs"), "");
  const featureFile = await tempProject();
  await Deno.mkdir(join(featureFile, "kitty-specs"));
  await Deno.writeTextFile(join(featureFile, "kitty-specs", "043-x"), "");
  for (const [root, path] of [[specsFile, "kitty-specs"], [featureFile, "kitty-specs/043-x"]]) {
    const run = await emit(root, "043-x");
    assert.equal(run.code, 1, run.stderr);
    assert.equal(
      run.stderr,
      `error: ${
        join(root, path)
      }: is a file, not a folder; move it aside (the folder is created)\n`,
    );
    assert.equal(await Deno.readTextFile(join(root, path)), "");
  }
});
