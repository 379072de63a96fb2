/**
 * Names a demanding user's machine has: a feature folder whose name is not
 * valid UTF-8 (Deno reads it as U+FFFD, a name that opens nothing), an
 * `--out` name that is not UTF-8 or is near the 255-byte limit.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, REPO_ROOT } from "./helpers.ts";
import { projectWith } from "./otlp/otlp_helpers.ts";
import { namesIn } from "./breaker4_disk.ts";

/** Runs `sh -c script` with `args` as $1...; the shell makes the bytes Deno cannot. */
async function sh(script: string, ...args: string[]): Promise<Deno.CommandOutput> {
  return await new Deno.Command("sh", { args: ["-c", script, "sh", ...args] }).output();
}

Deno.test({
  name: "a feature folder named in bytes that are not UTF-8: cost and verify fail naming it",
  ignore: Deno.build.os !== "linux",
  fn: async () => {
    const { root } = await projectWith(3, () => ({}), "043-a");
    const { root: other } = await projectWith(2, (i) => ({ input_tokens: 1000 + i }), "044-b");
    // 044-b's log, in a folder whose name ends in the byte 0xff.
    const made = await sh(
      `mkdir "$1/kitty-specs/bad$(printf '\\377')" && cp "$2" "$1/kitty-specs/bad$(printf '\\377')/"`,
      root,
      join(other, "kitty-specs", "044-b", "execution.events.jsonl"),
    );
    assert.ok(made.success, new TextDecoder().decode(made.stderr));
    // Was: its 2 events silently left out, and verify "ok: 2 feature(s), 3 event(s), no problems".
    for (const command of [["cost"], ["verify"], ["query"], ["export"]]) {
      const run = await cli([...command, "--root", root]);
      assert.equal(run.code, 1, `${command}: ${run.stdout}`);
      assert.match(
        run.stderr,
        /bad\uFFFD: this folder's name is not valid UTF-8.*rename the folder/,
      );
    }
  },
});

Deno.test({
  name: "export --out a name that is not UTF-8: exit 2, no file under another name",
  ignore: Deno.build.os !== "linux",
  fn: async () => {
    const { root } = await projectWith(3);
    const dir = await Deno.makeTempDir();
    const run = await sh(
      `"$1" run -A "$2" export --root "$3" --out "$4/o$(printf '\\377').jsonl"`,
      Deno.execPath(),
      join(REPO_ROOT, "main.ts"),
      root,
      dir,
    );
    assert.equal(run.code, 2);
    assert.match(new TextDecoder().decode(run.stderr), /the name is not valid UTF-8/);
    // Was: exit 0, the spans in o\uFFFD.jsonl, a name the user never gave.
    assert.deepEqual(await namesIn(dir), []);
  },
});

Deno.test("export and report --out a name of 246 bytes (the limit is 255) write it", async () => {
  const { root } = await projectWith(3);
  const dir = await Deno.makeTempDir();
  const name = "a".repeat(240) + ".jsonl";
  const run = await cli(["export", "--root", root, "--out", join(dir, name)]);
  // Was: exit 2 "File name too long": the temp file's name (.NAME.UUID.tmp) was over the limit.
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(await namesIn(dir), [name]);
  const page = "b".repeat(241) + ".html";
  const report = await cli(["report", "--root", root, "--out", join(dir, page)]);
  assert.equal(report.code, 0, report.stderr);
  assert.deepEqual(await namesIn(dir), [name, page]);
  const long = await cli(["export", "--root", root, "--out", join(dir, "c".repeat(300))]);
  assert.equal(long.code, 2);
  assert.match(long.stderr, /File name too long.*; give a shorter name\n$/);
});

Deno.test("a loop of symbolic links as --root, --out, import's path or --pricing: exit 2, the fix", async () => {
  const { root } = await projectWith(1);
  const loop = join(await Deno.makeTempDir(), "loop");
  await Deno.symlink(loop, loop);
  const runs = [
    ["cost", "--root", loop],
    ["export", "--root", root, "--out", loop],
    ["import", "--root", root, loop],
    ["cost", "--root", root, "--pricing", loop],
  ];
  for (const args of runs) {
    const run = await cli(args);
    // Was: exit 1 with the OS text alone (--root, import), or "check its permissions".
    assert.equal(run.code, 2, `${args.join(" ")}: ${run.stderr}`);
    assert.match(
      run.stderr,
      /\(too many levels of symbolic links \(os error 40\)\); a symbolic link on that path leads back to itself: fix or remove it\n$/i,
    );
  }
});
