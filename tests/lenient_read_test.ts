/**
 * Every line the Python reader counts, we count: a valid envelope makes an
 * event; a payload value not valid for its key is read as unknown, said
 * once per file, and listed by `verify`.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { pythonLine } from "../bench/generate.ts";
import { cli, tempProject, withoutNotes } from "./helpers.ts";

function event(n: number, payload: Record<string, unknown>, timestamp?: string) {
  return {
    aggregate_id: "043-x",
    causation_id: null,
    event_id: `01KHJVJWDM0HGAGYGX${String(n).padStart(8, "0")}`,
    event_type: "ExecutionEvent",
    lamport_clock: n,
    node_id: "cli:WP01",
    payload: { agent: "claude", role: "implementer", wp_id: "WP01", ...payload },
    timestamp: timestamp ?? `2026-02-16T09:12:${String(n).padStart(2, "0")}.036834+00:00`,
  };
}

const LINES = [
  pythonLine(event(1, { input_tokens: 100, cost_usd: 1.5 })),
  pythonLine(event(2, { input_tokens: -5, cost_usd: 2 })),
  pythonLine(event(3, { output_tokens: 2.5, cost_usd: -1 })),
  pythonLine(event(4, { agent: null, cost_usd: 4 })),
  pythonLine(event(5, { success: "yes", duration_ms: null, cost_usd: 5 })),
  pythonLine(event(6, { input_tokens: 10 }, "2026-02-16 09:12:06")),
  pythonLine(event(7, { input_tokens: 10, cost_usd: 7 }, "2026-02-16T10:12:07+0100")),
  // Python's json writes NaN for a float NaN.
  pythonLine(event(8, { cost_usd: 0.125 })).replace('"cost_usd": 0.125', '"cost_usd": NaN'),
];

async function project(): Promise<string> {
  const root = await tempProject();
  await Deno.mkdir(join(root, "kitty-specs", "043-x"), { recursive: true });
  const log = join(root, "kitty-specs", "043-x", "execution.events.jsonl");
  await Deno.writeTextFile(log, LINES.join("\n") + "\n");
  return root;
}

Deno.test("cost counts every event with a valid envelope, invalid values as unknown", async () => {
  const root = await project();
  const run = await cli(["cost", "--json", "--group-by", "agent", "--root", root]);
  assert.equal(run.code, 0, run.stderr);
  const report = JSON.parse(run.stdout);
  assert.equal(report.total.event_count, 8);
  assert.equal(report.skipped_lines, 0);
  assert.equal(report.events_with_unknown_values, 5);
  // Reported costs: 1.5 + 2 + 4 + 5 + 7; the negative and the NaN are unknown.
  assert.equal(report.total.reported_cost_usd, 19.5);
  // Input tokens: 100 + 10 + 10; the negative count is unknown.
  assert.equal(report.total.total_input_tokens, 120);
  const agents = report.groups.map((g: { group_key: string }) => g.group_key).sort();
  assert.deepEqual(agents, ["(none)", "claude"]);
  // Said once for the file, then how many more.
  const warnings = withoutNotes(run.stderr).trimEnd().split("\n");
  assert.equal(warnings.length, 2, run.stderr);
  assert.match(warnings[0], /execution\.events\.jsonl:2: payload\.input_tokens: not a valid value/);
  assert.match(
    warnings[1],
    /execution\.events\.jsonl: 4 more line\(s\) with values read as unknown/,
  );
});

Deno.test("a time without an offset is UTC; +0100 is read, in filters and groups", async () => {
  const root = await project();
  const run = await cli([
    "cost",
    "--json",
    "--group-by",
    "day",
    "--since",
    "2026-02-16T09:12:06Z",
    "--until",
    "2026-02-16T09:12:07Z",
    "--root",
    root,
  ]);
  const report = JSON.parse(run.stdout);
  assert.equal(report.total.event_count, 2);
  assert.deepEqual(report.groups.map((g: { group_key: string }) => g.group_key), ["2026-02-16"]);
});

Deno.test("verify lists each line read with unknown values as a finding of its own kind", async () => {
  const root = await project();
  const run = await cli(["verify", "--json", "--root", root]);
  const kinds = run.stdout.match(/"kind":"[a-z-]+"/g) ?? [];
  assert.deepEqual(kinds, Array(5).fill('"kind":"unknown-value"'));
  assert.equal(run.code, 1);
});

Deno.test("many lines with unknown values: one warning per file, an exact count, through the cap", async () => {
  const root = await tempProject();
  await Deno.mkdir(join(root, "kitty-specs", "043-x"), { recursive: true });
  const lines = Array.from(
    { length: 3000 },
    (_, i) => pythonLine(event(i + 1, { input_tokens: -1 }, "2026-02-16T09:12:58Z")),
  );
  await Deno.writeTextFile(
    join(root, "kitty-specs", "043-x", "execution.events.jsonl"),
    lines.join("\n") + "\n",
  );
  const run = await cli(["cost", "--json", "--root", root]);
  const report = JSON.parse(run.stdout);
  assert.equal(report.total.event_count, 3000, run.stderr);
  assert.equal(report.events_with_unknown_values, 3000);
  assert.equal(report.skipped_lines, 0);
  const warnings = withoutNotes(run.stderr).trimEnd().split("\n");
  assert.equal(warnings.length, 2, run.stderr);
  assert.match(warnings[1], /: 2999 more line\(s\) with values read as unknown/);
});
