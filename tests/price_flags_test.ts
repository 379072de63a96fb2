/**
 * Every command that prices events takes the same price flags
 * (`PRICE_OPTIONS`) and prices the same way: each event at the rates in
 * force at its timestamp, or every event at `--prices-at`'s day.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, payload, tempProject } from "./helpers.ts";

/** o3 cost $10/$40 per million until 2025-06-09 and $2/$8 from 2025-06-10. */
const O3 = { model: "o3", input_tokens: 100_000, output_tokens: 100_000 };

async function project(): Promise<string> {
  const root = await tempProject();
  const dir = join(root, "kitty-specs", "001-dated");
  await Deno.mkdir(dir, { recursive: true });
  const lines = ["2025-06-09T10:00:00Z", "2025-07-01T10:00:00Z"].map((timestamp, i) =>
    JSON.stringify({
      event_id: `01KJ00000000000000000000${"AB"[i]}0`,
      event_type: "ExecutionEvent",
      aggregate_id: "001-dated",
      lamport_clock: i + 1,
      node_id: "n1",
      causation_id: null,
      timestamp,
      // The first (old prices) has free text: export decodes it instead of reading in place.
      payload: payload(i === 1 ? O3 : { ...O3, success: false, error: "exit 1" }),
    })
  );
  await Deno.writeTextFile(join(dir, "execution.events.jsonl"), lines.join("\n") + "\n");
  await Deno.mkdir(join(root, ".kittify"), { recursive: true });
  await Deno.writeTextFile(
    join(root, ".kittify", "budgets.yaml"),
    "budgets:\n  - name: all\n    period: total\n    limit_usd: 100\n",
  );
  return root;
}

/** What each command says the project cost, with these extra flags. */
const SPENT: Record<string, (root: string, flags: string[]) => Promise<number>> = {
  async cost(root, flags) {
    const out = await cli(["cost", "--json", "--root", root, ...flags]);
    assert.equal(out.code, 0, out.stderr);
    return JSON.parse(out.stdout).total.total_cost_usd;
  },
  async budget(root, flags) {
    const out = await cli(["budget", "--json", "--root", root, ...flags]);
    assert.equal(out.code, 0, out.stderr);
    return JSON.parse(out.stdout).budgets[0].spent_usd;
  },
  async report(root, flags) {
    const out = await cli(["report", "--out", "-", "--root", root, ...flags]);
    assert.equal(out.code, 0, out.stderr);
    const total = out.stdout.match(/data-total="total_cost_usd" data-value="([^"]+)"/);
    assert.ok(total, "the report shows its total");
    return Number(total[1]);
  },
  async export(root, flags) {
    const out = await cli(["export", "--signal", "traces", "--root", root, ...flags]);
    assert.equal(out.code, 0, out.stderr);
    const costs = [
      ...out.stdout.matchAll(/"kitty\.cost_usd","value":\{"doubleValue":([0-9.e+-]+)\}/g),
    ];
    assert.equal(costs.length, 2, "a cost on each span");
    return costs.reduce((sum, m) => sum + Number(m[1]), 0);
  },
};

for (const [command, spent] of Object.entries(SPENT)) {
  Deno.test(`${command} prices each event at its date, or all at --prices-at's day`, async () => {
    const root = await project();
    assert.equal(await spent(root, []), 6); // 5 + 1
    assert.equal(await spent(root, ["--prices-at", "2025-06-09"]), 10); // 5 + 5
    assert.equal(await spent(root, ["--prices-at", "2025-06-10"]), 2); // 1 + 1
  });

  Deno.test(`${command} refuses an impossible --prices-at day with exit 2`, async () => {
    const root = await project();
    for (const day of ["2025-13-01", "2025-02-30", "2025-6-1", ""]) {
      const out = await cli([command, "--root", root, "--prices-at", day]);
      assert.equal(out.code, 2, `${day}: ${out.stderr}`);
      assert.match(out.stderr, /^error: --prices-at: expected a date YYYY-MM-DD/);
    }
  });
}

Deno.test("export's metrics sum each event at its date too (the one-read file export)", async () => {
  const root = await project();
  const out = join(root, "m.jsonl");
  const made = await cli(["export", "--signal", "metrics", "--out", out, "--root", root]);
  assert.equal(made.code, 0, made.stderr);
  const metrics = JSON.parse(await Deno.readTextFile(out)).resourceMetrics[0].scopeMetrics[0]
    .metrics;
  const usd = metrics.find((m: { name: string }) => m.name === "kitty.cost.usage");
  const total = usd.sum.dataPoints.reduce(
    (s: number, p: { asDouble: number }) => s + p.asDouble,
    0,
  );
  assert.equal(total, 6); // 5 + 1, as cost gives it
});
