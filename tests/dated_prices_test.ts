/**
 * Dated prices: each event is priced with the period in force at its
 * timestamp (UTC); `cost --prices-at DATE` prices every event at one day's
 * rates and says so; our YAML's `prices:` periods work like the catalogue's.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, payload, tempProject } from "./helpers.ts";
import { defaultPricing } from "../src/cost/builtin_pricing.ts";
import { eventCost } from "../src/cost/estimate.ts";
import { CostAggregator } from "../src/cost/aggregate.ts";
import { unitsToNumber } from "../src/cost/money.ts";

const TABLE = defaultPricing();

function usd(model: string, input: number, output: number, timestamp: string): number {
  const c = eventCost(
    {
      model,
      cost_usd: null,
      input_tokens: input,
      output_tokens: output,
      cache_read_tokens: null,
      cache_write_tokens: null,
    },
    TABLE,
    timestamp,
  );
  assert.equal(c.kind, "estimated", model);
  return unitsToNumber(c.units);
}

Deno.test("o3 costs $10/$40 per million on 2025-06-09 and $2/$8 from 2025-06-10", () => {
  // 100,000 input + 100,000 output: 0.1 * 10 + 0.1 * 40 = 5; then 0.1 * 2 + 0.1 * 8 = 1.
  assert.equal(usd("o3", 100_000, 100_000, "2025-06-09T12:00:00Z"), 5);
  assert.equal(usd("o3", 100_000, 100_000, "2025-06-09T23:59:59.999Z"), 5);
  assert.equal(usd("o3", 100_000, 100_000, "2025-06-10T00:00:00Z"), 1);
  assert.equal(usd("o3-2025-04-16", 100_000, 100_000, "2025-06-10T08:00:00Z"), 1);
  // A Python timestamp with an offset is the same instant in UTC: still 06-09 there.
  assert.equal(usd("o3", 100_000, 100_000, "2025-06-10T01:00:00+02:00"), 5);
});

Deno.test("Opus 4.6 with a 300,000-token prompt: over-200k tier until 2026-03-12, flat from 03-13", () => {
  // Tier: 300,000 * 10 / 1e6 = 3 and 10,000 * 37.5 / 1e6 = 0.375, so 3.375;
  // flat: 300,000 * 5 / 1e6 = 1.5 and 10,000 * 25 / 1e6 = 0.25, so 1.75.
  assert.equal(usd("claude-opus-4-6", 300_000, 10_000, "2026-03-12T18:00:00Z"), 3.375);
  assert.equal(usd("claude-opus-4-6", 300_000, 10_000, "2026-03-13T00:00:00Z"), 1.75);
  // Below the threshold the two periods agree: 100,000 * 5 / 1e6 = 0.5.
  assert.equal(usd("claude-opus-4-6", 100_000, 0, "2026-03-12T18:00:00Z"), 0.5);
});

Deno.test("the aggregator prices each event at its own timestamp", () => {
  const agg = new CostAggregator(["model"], TABLE);
  for (const timestamp of ["2025-06-09T10:00:00Z", "2025-06-10T10:00:00Z"]) {
    agg.add({
      aggregate_id: "f",
      timestamp,
      payload: payload({ model: "o3", input_tokens: 100_000, output_tokens: 100_000 }),
    } as never);
  }
  assert.equal(unitsToNumber(agg.total.estimated), 6); // 5 + 1
});

/** A project whose one log holds these payloads at these timestamps. */
async function project(events: [string, Record<string, unknown>][]): Promise<string> {
  const root = await tempProject();
  const dir = join(root, "kitty-specs", "001-dated");
  await Deno.mkdir(dir, { recursive: true });
  const lines = events.map(([timestamp, p], i) =>
    JSON.stringify({
      event_id: `01KJ00000000000000000000${"ABCDEFGH"[i]}0`,
      event_type: "ExecutionEvent",
      aggregate_id: "001-dated",
      lamport_clock: i + 1,
      node_id: "n1",
      causation_id: null,
      timestamp,
      payload: payload(p),
    })
  );
  await Deno.writeTextFile(join(dir, "execution.events.jsonl"), lines.join("\n") + "\n");
  return root;
}

const O3 = { model: "o3", input_tokens: 100_000, output_tokens: 100_000 };

Deno.test("cost prices each event at its date; --prices-at prices all at one day and says so", async () => {
  const root = await project([["2025-06-09T10:00:00Z", O3], ["2025-07-01T10:00:00Z", O3]]);
  const dated = await cli(["cost", "--json", "--root", root]);
  assert.equal(dated.code, 0, dated.stderr);
  const d = JSON.parse(dated.stdout);
  assert.equal(d.total.total_cost_usd, 6); // 5 + 1
  assert.equal(d.pricing.prices_at, null);

  const whatIf = await cli(["cost", "--json", "--root", root, "--prices-at", "2025-06-09"]);
  assert.equal(whatIf.code, 0, whatIf.stderr);
  const w = JSON.parse(whatIf.stdout);
  assert.equal(w.total.total_cost_usd, 10); // 5 + 5
  assert.equal(w.pricing.prices_at, "2025-06-09");

  const table = await cli(["cost", "--root", root, "--prices-at", "2025-06-10"]);
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stderr, /^prices: .*every event priced at 2025-06-10 rates \(--prices-at\)\n/);
  assert.match(table.stdout, /TOTAL +200,000 +200,000 .* \$2\.0000 /);

  const bad = await cli(["cost", "--root", root, "--prices-at", "2025-02-30"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^error: --prices-at: expected a date YYYY-MM-DD, got "2025-02-30"/);
});

const PERIODS_YAML = `models:
  house-model:
    source: "our contract with the vendor"
    aliases: [house]
    prices:
      - {input: 4, output: 8}
      - from: 2026-01-01
        input: 2
        output: 4
        cache_write_1h: 5
`;

Deno.test("an override's prices: periods apply from 00:00 UTC of each from", async () => {
  const root = await project([
    ["2025-12-31T23:59:59Z", { model: "house", input_tokens: 1_000_000, output_tokens: 0 }],
    ["2026-01-01T00:00:00Z", { model: "house-model", input_tokens: 1_000_000, output_tokens: 0 }],
    ["2026-02-01T00:00:00Z", {
      model: "house",
      input_tokens: 0,
      output_tokens: 0,
      cache_write_tokens: 1_000_000,
      cache_write_1h_tokens: 1_000_000,
    }],
  ]);
  const file = join(root, "prices.yaml");
  await Deno.writeTextFile(file, PERIODS_YAML);
  const run = await cli([
    "cost",
    "--json",
    "--root",
    root,
    "--pricing",
    file,
    "--no-builtin-prices",
    "--group-by",
    "day",
  ]);
  assert.equal(run.code, 0, run.stderr);
  const out = JSON.parse(run.stdout);
  // 4 (old period), 2 (new), 5 (1-hour writes at the new period's cache_write_1h).
  assert.deepEqual(
    out.groups.map((g: { group_key: string; total_cost_usd: number }) => [
      g.group_key,
      g.total_cost_usd,
    ]),
    [["2025-12-31", 4], ["2026-01-01", 2], ["2026-02-01", 5]],
  );
  assert.deepEqual(out.pricing, { catalogue: null, overrides: [file], prices_at: null });
});

Deno.test("malformed periods are errors naming the file, line and fix", async () => {
  const root = await tempProject();
  const cases: [string, RegExp][] = [
    [
      "models:\n  m:\n    prices:\n      - {input: 1, output: 1}\n      - {input: 2, output: 2}\n",
      /:5: models\.m\.prices\.1: every period but the first needs from:/,
    ],
    [
      "models:\n  m:\n    prices:\n      - {from: 2026-02-01, input: 1, output: 1}\n" +
      "      - {from: 2026-01-01, input: 2, output: 2}\n",
      /models\.m\.prices\.1: periods must be in order of from:/,
    ],
    [
      "models:\n  m:\n    input: 1\n    output: 1\n    prices:\n      - {input: 1, output: 1}\n",
      /:2: models\.m: give either flat rates or prices:/,
    ],
    ["models:\n  m:\n    prices:\n      - {from: 2026-13-01, input: 1, output: 1}\n", /date/],
  ];
  for (const [text, problem] of cases) {
    const file = join(root, "p.yaml");
    await Deno.writeTextFile(file, text);
    const run = await cli(["pricing", "check", file]);
    assert.equal(run.code, 1, text);
    assert.match(run.stderr, problem, text);
  }
});

Deno.test("a Python timestamp without an offset is UTC when picking the price period, in any zone", async () => {
  // In Tokyo, Date.parse would read 2026-03-13T00:30 as 2026-03-12T15:30Z: the old period.
  const code = `import { pricedAt } from "${new URL("../src/cost/estimate.ts", import.meta.url)}";
import { defaultPricing } from "${new URL("../src/cost/builtin_pricing.ts", import.meta.url)}";
console.log(pricedAt(defaultPricing(), "2026-03-13T00:30:00"));`;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--ext=ts", code],
    env: { TZ: "Asia/Tokyo" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
  assert.equal(Number(new TextDecoder().decode(out.stdout)), Date.UTC(2026, 2, 13, 0, 30));
});

Deno.test("query's table and report's runs and savings price each event at its date, in UTC", async () => {
  // At 23:00 UTC on 2025-06-09, o3's old rates: 0.1 * 10 + 0.1 * 40 + 0.1 * 0.5 = 5.05, and
  // the cache reads saved 0.1 * (10 - 0.5) = 0.95; on 2025-07-01 the new ones: 0.2 + 0.8 = 1.
  const root = await project([
    ["2025-06-10T01:00:00+02:00", { ...O3, cache_read_tokens: 100_000 }],
    ["2025-07-01T10:00:00Z", O3],
  ]);
  const cost = await cli(["cost", "--json", "--root", root]);
  assert.equal(JSON.parse(cost.stdout).total.total_cost_usd, 6.05, cost.stderr);

  const query = await cli(["query", "--format", "table", "--root", root]);
  assert.equal(query.code, 0, query.stderr);
  assert.deepEqual(
    query.stdout.split("\n").map((l) => l.match(/^(\S+ \S+) .* (\$\S+) /)?.slice(1)),
    [
      ["2025-06-09 23:00:00", "$5.0500"],
      ["2025-07-01 10:00:00", "$1.0000"],
      undefined,
    ],
  );

  // query takes the price flags its siblings take: --prices-at's rates for both.
  const whatIf = await cli([
    "query",
    "--format",
    "table",
    "--prices-at",
    "2025-07-01",
    "--root",
    root,
  ]);
  assert.equal(whatIf.code, 0, whatIf.stderr);
  assert.deepEqual(whatIf.stdout.match(/\$\S+/g), ["$1.0500", "$1.0000"]);

  const report = await cli(["report", "--out", "-", "--root", root]);
  assert.equal(report.code, 0, report.stderr);
  const text = report.stdout.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");
  const runs = text.slice(text.indexOf("most expensive runs"), text.indexOf("Failed runs' costs"));
  assert.deepEqual(
    [...runs.matchAll(/(\$[\d.]+) 001-dated .*? (\d{4}-\d\d-\d\d \d\d:\d\d)/g)].map((
      m,
    ) => [m[1], m[2]]),
    [
      ["$5.05", "2025-06-09 23:00"],
      ["$1.00", "2025-07-01 10:00"],
    ],
  );
  assert.match(text, /\$0\.95 saved by cache reads/);
});
