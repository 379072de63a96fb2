/**
 * `verify` on repeated ids: a byte-exact repeat changes no total (counted
 * once, `--repair` drops it), a repeat with other bytes may (cost counts one
 * of the two). verify said `already at line N` for both; it now says which.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { baseEvent, cli, payload, tempProject } from "./helpers.ts";

function lineOf(i: number, cost: number, spaced = false): string {
  const event = {
    ...baseEvent(),
    event_id: `01KHJVJWDM0HGAGYGXJYKD${String(i).padStart(4, "0")}`,
    aggregate_id: "043-x",
    lamport_clock: i,
    payload: payload({ cost_usd: cost }),
  };
  return spaced ? JSON.stringify(event, null, 0).replaceAll('":', '": ') : JSON.stringify(event);
}

async function project(lines: string[]): Promise<{ root: string; log: string }> {
  const root = await tempProject();
  const dir = join(root, "kitty-specs", "043-x");
  await Deno.mkdir(dir, { recursive: true });
  const log = join(dir, "execution.events.jsonl");
  await Deno.writeTextFile(log, lines.join("\n") + "\n");
  return { root, log };
}

Deno.test("verify tells a byte-exact repeat from a repeat with other bytes", async () => {
  const { root, log } = await project([
    lineOf(1, 1),
    lineOf(2, 2),
    lineOf(1, 1), // the same bytes
    lineOf(2, 5), // the same id, another cost
    lineOf(1, 1, true), // the same event, another layout
    ...Array.from({ length: 3000 }, (_, i) => lineOf(10 + i, 0)), // read no further
  ]);
  const run = await cli(["verify", "--root", root]);
  assert.equal(run.code, 1, run.stderr);
  const out = run.stdout.split("\n");
  assert.equal(
    out[0],
    `${log}:3: duplicate-id: event 01KHJVJWDM0HGAGYGXJYKD0001 already at line 1 ` +
      "(the same bytes: counted once; verify --repair drops the repeat)",
  );
  assert.match(
    out[1],
    /^.*:4: duplicate-id: event 01KHJVJWDM0HGAGYGXJYKD0002 already at line 2, with other bytes \(another layout, or other content: cost counts one of the two, the first in clock order\); keep the right line and delete the other$/,
  );
  assert.match(
    out[2],
    /:5: duplicate-id: event 01KHJVJWDM0HGAGYGXJYKD0001 already at line 1, with other bytes/,
  );
  assert.equal(out[3], "3 problem(s) in 1 feature(s)");
  // What cost counts: each id once, the first line of each.
  const cost = await cli(["cost", "--root", root, "--json"]);
  assert.match(cost.stdout, /"total":\{[^}]*"total_cost_usd":3,/);
  assert.match(cost.stdout, /"total":\{[^}]*"event_count":3002,/);
  assert.match(cost.stdout, /"conflicting_ids":\["01KHJVJWDM0HGAGYGXJYKD0002"\]/);
});

Deno.test("past the listed findings, repeats are counted, and the listed ones still say which kind", async () => {
  const lines = [lineOf(1, 1)];
  for (let i = 0; i < 40; i++) lines.push(i % 2 === 0 ? lineOf(1, 1) : lineOf(1, 9));
  const { root } = await project(lines);
  const run = await cli(["verify", "--root", root]);
  assert.equal(run.code, 1, run.stderr);
  const listed = run.stdout.split("\n").filter((l) => / duplicate-id: event /.test(l));
  assert.ok(listed.length >= 2 && listed.length < 40, `${listed.length}`);
  listed.forEach((l, i) =>
    assert.match(l, i % 2 === 0 ? /\(the same bytes: counted once/ : /, with other bytes \(/)
  );
  assert.match(run.stdout, /duplicate-id: \d+ more duplicate-id finding\(s\) not listed/);
});
