/**
 * spec-kitty names its nodes `cli:<wp>` on every machine, so two clones can
 * each give clock 2 to `cli:WP01`. After our merge driver unites them,
 * `verify` must call that a note (exit 0), and still report a clock that
 * goes down.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, tempProject } from "./helpers.ts";

const F = "043-shared";
const NODE = "cli:WP01";
const logOf = (root: string) => join(root, "kitty-specs", F, "execution.events.jsonl");
const clockOf = (root: string) => join(root, "kitty-specs", F, ".telemetry-clock.json");

async function emit(root: string, id: string): Promise<void> {
  const run = await cli([
    "emit",
    "--feature",
    F,
    "--agent",
    "claude",
    "--role",
    "implementer",
    "--node-id",
    NODE,
    "--event-id",
    id,
    "--root",
    root,
  ]);
  assert.equal(run.code, 0, run.stderr);
}

async function cloneOf(base: string): Promise<string> {
  const root = await tempProject();
  await Deno.mkdir(join(root, "kitty-specs", F), { recursive: true });
  await Deno.copyFile(logOf(base), logOf(root));
  await Deno.copyFile(clockOf(base), clockOf(root));
  return root;
}

Deno.test("verify after merging two clones that both recorded on cli:WP01: a note, exit 0", async () => {
  const base = await tempProject();
  await emit(base, "01KHJVJWDM0HGAGYGXJYKD1J01");
  const [a, b] = [await cloneOf(base), await cloneOf(base)];
  await emit(a, "01KHJVJWDM0HGAGYGXJYKD1J02");
  await emit(b, "01KHJVJWDM0HGAGYGXJYKD1J03");
  // What git runs on pull, with the drivers git-setup registers.
  for (const [path, kind] of [[logOf, "events"], [clockOf, "clock"]] as const) {
    const o = join(a, `${kind}.base`);
    await Deno.copyFile(path(base), o);
    const run = await cli(["merge-driver", kind, o, path(a), path(b), path(a)]);
    assert.equal(run.code, 0, run.stderr);
  }
  assert.equal((await Deno.readTextFile(logOf(a))).trim().split("\n").length, 3);

  const run = await cli(["verify", "--root", a]);
  assert.equal(run.code, 0, run.stdout);
  assert.match(run.stdout, /note: shared-node: node cli:WP01: .*clock 2.*more than one/);
  assert.match(run.stdout, /^ok: 1 feature\(s\), 3 event\(s\), no problems$/m);
  const json = JSON.parse((await cli(["verify", "--json", "--root", a])).stdout);
  assert.equal(json.ok, true);
  assert.equal(json.features[0].notes[0].kind, "shared-node");

  // The next emit on that node still comes after both.
  await emit(a, "01KHJVJWDM0HGAGYGXJYKD1J04");
  assert.equal((await cli(["verify", "--root", a])).code, 0);
});

Deno.test("verify still reports a node's clock going down", async () => {
  const root = await tempProject();
  await emit(root, "01KHJVJWDM0HGAGYGXJYKD1J01");
  await emit(root, "01KHJVJWDM0HGAGYGXJYKD1J02");
  const [first, second] = (await Deno.readTextFile(logOf(root))).trim().split("\n");
  await Deno.writeTextFile(logOf(root), `${second}\n${first}\n`);
  const run = await cli(["verify", "--root", root]);
  assert.equal(run.code, 1);
  assert.match(run.stdout, /:2: clock-regression: node cli:WP01: clock 1 after 2/);
});
