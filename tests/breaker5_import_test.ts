/**
 * `import` with what a team feeds it: the same file twice, a file whose
 * event conflicts with the project's, and the OpenTelemetry round trip
 * (`export --signal logs`, then `import --from otlp-json` into an empty
 * project) with odd names, offsets and a model spelt as an alias.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, tempProject, writeLog } from "./helpers.ts";

const NOW = new Date("2026-03-02T10:00:00.000Z");

/** A project whose log holds `rows` ([timestamp, agent, model, payload overrides]). */
async function project(rows: [string, string, string, Record<string, unknown>][]) {
  const root = await tempProject();
  const log = await writeLog(
    root,
    rows.map(([timestamp, agent, model, p]) => ({ timestamp, fields: { agent, model, ...p } })),
  );
  return { root, log };
}

const ROWS: [string, string, string, Record<string, unknown>][] = [
  ["2026-01-01T00:30:00+02:00", "<a&b>", "Claude-Sonnet-4-5", { input_tokens: 1234567 }],
  ["2026-01-01T00:00:00Z", "日本語", "claude-sonnet-4-5-20250929", { cost_usd: 0.1234567 }],
  ["2025-12-31T23:59:59.999999Z", "a\u202eb", "unpriced-model", { output_tokens: 9 }],
  ["2026-02-28T12:00:00-11:00", "x", "gpt-5", { cache_read_tokens: 10, success: false }],
];

async function costJson(root: string, by = "agent,model"): Promise<unknown> {
  const run = await cli(["cost", "--root", root, "--json", "--group-by", by], { now: NOW });
  assert.equal(run.code, 0, run.stderr);
  const { groups, total } = JSON.parse(run.stdout);
  return { groups, total };
}

Deno.test("importing the same file twice adds nothing the second time", async () => {
  const from = await project(ROWS);
  const into = await tempProject();
  await Deno.mkdir(join(into, "kitty-specs"));
  const first = await cli(["import", "--root", into, from.log], { now: NOW });
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /^043-x: 4 added, 0 already present/);
  const log = join(into, "kitty-specs", "043-x", "execution.events.jsonl");
  const bytes = await Deno.readFile(log);
  const second = await cli(["import", "--root", into, from.log], { now: NOW });
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stdout, /^043-x: 0 added, 4 already present/);
  assert.deepEqual(await Deno.readFile(log), bytes);
  assert.deepEqual(await costJson(into), await costJson(from.root));
});

Deno.test("a line whose id the project holds with other content: exit 1, nothing changed, the fix named", async () => {
  const { root, log } = await project(ROWS);
  const before = await Deno.readFile(log);
  const changed = join(root, "changed.jsonl");
  const line = JSON.parse((await Deno.readTextFile(log)).split("\n")[1]);
  line.payload.cost_usd = 99;
  await Deno.writeTextFile(changed, JSON.stringify(line) + "\n");
  const run = await cli(["import", "--root", root, changed], { now: NOW });
  assert.equal(run.code, 1, run.stderr);
  assert.match(
    run.stderr,
    /conflict: 043-x: event 01KHJVJWDM0HGAGYGXJYKD1J10: the same event_id with different content/,
  );
  assert.match(
    run.stderr,
    /error: conflicts in 043-x: nothing changed there; .*keep one version of each event .*then import again\n$/,
  );
  assert.deepEqual(await Deno.readFile(log), before);
});

Deno.test("export --signal logs imported into an empty project gives the same cost per agent, model, day", async () => {
  const from = await project(ROWS);
  const file = join(from.root, "logs.json");
  const exported = await cli(["export", "--root", from.root, "--signal", "logs", "--out", file], {
    now: NOW,
  });
  assert.equal(exported.code, 0, exported.stderr);
  const into = await tempProject();
  await Deno.mkdir(join(into, "kitty-specs"));
  const run = await cli(["import", "--root", into, "--from", "otlp-json", file], { now: NOW });
  assert.equal(run.code, 0, run.stderr);
  for (const by of ["agent,model", "day", "feature,wp,role"]) {
    assert.deepEqual(await costJson(into, by), await costJson(from.root, by), by);
  }
  const again = await cli(["import", "--root", into, "--from", "otlp-json", file], { now: NOW });
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /0 added, 4 already present/);
});
