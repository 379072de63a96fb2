/**
 * `--root` given but empty (`--root "$PROJECT"` with PROJECT unset) is a
 * usage error, not a silent fall back on the project around the working
 * directory; an empty KITTY_TELEMETRY_ROOT stays "unset", as shells mean it.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, tempProject } from "./helpers.ts";

const EMIT = ["emit", "--feature", "043-x", "--agent", "a", "--role", "r"];

Deno.test("an empty --root is exit 2 and writes nothing in the project around the cwd", async () => {
  const around = await tempProject();
  await Deno.mkdir(join(around, "kitty-specs"));
  for (const args of [[...EMIT, "--root", ""], ["cost", "--root="], ["budget", "--root", ""]]) {
    const run = await cli(args, { cwd: around });
    assert.equal(run.code, 2, `${args.join(" ")}: ${run.stderr}`);
    assert.match(run.stderr, /^error: --root: empty; give the project's root folder/);
  }
  assert.deepEqual(await Array.fromAsync(Deno.readDir(join(around, "kitty-specs"))), []);
});

Deno.test("an empty KITTY_TELEMETRY_ROOT is unset: the project around the cwd is used", async () => {
  const around = await tempProject();
  await Deno.mkdir(join(around, "kitty-specs"));
  const run = await cli(EMIT, { cwd: around, env: { KITTY_TELEMETRY_ROOT: "" } });
  assert.equal(run.code, 0, run.stderr);
  await Deno.stat(join(around, "kitty-specs", "043-x", "execution.events.jsonl"));
});
