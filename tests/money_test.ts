import { prng as rng } from "../bench/generate.ts";
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, payload, tempProject } from "./helpers.ts";
import {
  decimalToUnits,
  formatUsd,
  MONEY_SCALE,
  splitUsd,
  unitsToNumber,
  usdParts,
  usdToUnits,
} from "../src/cost/money.ts";
import { CostAggregator } from "../src/cost/aggregate.ts";
import { estimateUnits, smallEstimateUnits } from "../src/cost/estimate.ts";
import { findPrice } from "../src/cost/pricing.ts";
import { defaultPricing } from "../src/cost/builtin_pricing.ts";
import type { ExecutionEvent } from "../src/event/execution.ts";
import { costView } from "../src/report/cost_view.ts";

// ---------------------------------------------------------------- money helpers

Deno.test("decimalToUnits reads plain and exponent decimals exactly at the given scale", () => {
  assert.equal(MONEY_SCALE, 15);
  assert.equal(decimalToUnits("15.6", 2), 1560n);
  assert.equal(decimalToUnits("0", 15), 0n);
  assert.equal(decimalToUnits("007.50", 3), 7500n);
  assert.equal(decimalToUnits("1.", 2), 100n);
  assert.equal(decimalToUnits(".5", 1), 5n);
  assert.equal(decimalToUnits(" 2.5 ", 1), 25n);
  assert.equal(decimalToUnits("1e-7", 9), 100n);
  assert.equal(decimalToUnits("1.5e3", 0), 1500n);
  assert.equal(decimalToUnits("1E+2", 1), 1000n);
  assert.equal(decimalToUnits("1.23e-10", 15), 123_000n);
  assert.equal(decimalToUnits("1e+21", 15), 10n ** 36n);
  assert.equal(
    decimalToUnits("123456789012.123456789012345", 15),
    123_456_789_012_123_456_789_012_345n,
  );
});

Deno.test("decimalToUnits rounds digits beyond the scale half up", () => {
  assert.equal(decimalToUnits("0.0000005", 6), 1n);
  assert.equal(decimalToUnits("0.00000049999999", 6), 0n);
  assert.equal(decimalToUnits("2.5", 0), 3n);
  assert.equal(decimalToUnits("2.4999", 0), 2n);
  assert.equal(decimalToUnits("1.0000015", 6), 1_000_002n);
  assert.equal(decimalToUnits("5e-16", 15), 1n);
  assert.equal(decimalToUnits("4.9e-16", 15), 0n);
});

Deno.test("decimalToUnits rejects what is not a non-negative decimal", () => {
  for (
    const text of ["", ".", "-1", "+1", "abc", "1.2.3", "1e", "0x10", "1,5", "NaN", "Infinity"]
  ) {
    assert.throws(() => decimalToUnits(text, 6), RangeError, JSON.stringify(text));
  }
});

Deno.test("usdToUnits converts a number exactly as its shortest decimal form reads", () => {
  assert.equal(usdToUnits(0), 0n);
  assert.equal(usdToUnits(0.1), 100_000_000_000_000n);
  assert.equal(usdToUnits(0.2), 200_000_000_000_000n);
  assert.equal(usdToUnits(0.1) + usdToUnits(0.2), usdToUnits(0.3));
  assert.equal(usdToUnits(15.6), 15_600_000_000_000_000n);
  assert.equal(usdToUnits(1e-7), 100_000_000n); // String(1e-7) is "1e-7"
  assert.equal(usdToUnits(1.23e-10), 123_000n);
  assert.equal(usdToUnits(1e-15), 1n);
  assert.equal(usdToUnits(1e12), 10n ** 27n);
  assert.equal(usdToUnits(0.1234567891), 123_456_789_100_000n);
});

Deno.test("formatUsd rounds half up to the requested decimals", () => {
  assert.equal(formatUsd(0n), "0.000000");
  assert.equal(formatUsd(460_000_000_000_000n), "0.460000");
  assert.equal(formatUsd(499_999_999n), "0.000000"); // 0.000000499999999
  assert.equal(formatUsd(500_000_000n), "0.000001"); // 0.0000005
  assert.equal(formatUsd(1_999_999_500_000_000n), "2.000000"); // 1.9999995 carries over
  assert.equal(formatUsd(31_841_630_000_000_000n), "31.841630");
  assert.equal(formatUsd(10n ** 27n), "1000000000000.000000");
  assert.equal(formatUsd(1_234_567_500_000_000n, 2), "1.23");
  assert.equal(formatUsd(1_235_000_000_000_000n, 2), "1.24");
  assert.equal(formatUsd(1_500_000_000_000_000n, 0), "2");
  assert.equal(formatUsd(1n, 15), "0.000000000000001");
});

Deno.test("unitsToNumber gives numbers whose shortest form has at most 6 decimals", () => {
  assert.equal(unitsToNumber(300_000_000_000_000n), 0.3);
  assert.equal(JSON.stringify(unitsToNumber(usdToUnits(0.1) + usdToUnits(0.2))), "0.3");
  assert.equal(JSON.stringify(unitsToNumber(460_000_000_000_000n)), "0.46");
  assert.equal(unitsToNumber(500_000_000n), 0.000001);
  assert.equal(unitsToNumber(499_999_999n), 0);
  assert.equal(unitsToNumber(0n), 0);
  assert.equal(unitsToNumber(31_841_630_000_000_000n), 31.84163);
  assert.equal(unitsToNumber(123_456_789_123_456_700_000_000n), 123456789.123457);
});

// ---------------------------------------------------------------- CLI: no float noise

Deno.test("cost --json reports 0.1 + 0.2 as 0.3, not 0.30000000000000004", async () => {
  const root = await tempProject();
  for (
    const [agent, cost] of [["a", "0.1"], ["a", "0.2"], ["b", "0.1"], ["b", "0.1"], ["b", "0.1"]]
  ) {
    const run = await cli([
      "emit",
      "--root",
      root,
      "--feature",
      "001-money",
      "--agent",
      agent,
      "--role",
      "implementer",
      "--cost-usd",
      cost,
    ]);
    assert.equal(run.code, 0, run.stderr);
  }
  const run = await cli(["cost", "--json", "--root", root]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stderr, "");
  assert.doesNotMatch(run.stdout, /000000000|999999999/);
  const report = JSON.parse(run.stdout);
  assert.deepEqual(
    report.groups.map((g: { group_key: string; total_cost_usd: number }) => [
      g.group_key,
      g.total_cost_usd,
    ]),
    [["a", 0.3], ["b", 0.3]],
  );
  assert.equal(report.total.total_cost_usd, 0.6);
  assert.equal(report.total.reported_cost_usd, 0.6);
  assert.match(run.stdout, /"total_cost_usd":0\.3,/);
  const csv = await cli(["cost", "--format", "csv", "--root", root]);
  assert.equal(csv.code, 0, csv.stderr);
  assert.doesNotMatch(csv.stdout, /TOTAL/); // CSV rows are groups; the total is --totals
  const totals = await cli(["cost", "--root", root, "--format", "csv", "--totals"]);
  assert.match(totals.stdout, /^TOTAL,.*,0\.600000,5,0,0\r$/m);
});

Deno.test("money is rounded half up once, at 6 decimals, after summing", () => {
  const event = (agent: string, p: Record<string, unknown>) =>
    ({
      event_id: "01KHJVJWDM0HGAGYGXJYKD1JQG",
      event_type: "ExecutionEvent",
      aggregate_id: "001-money",
      lamport_clock: 1,
      node_id: "n1",
      causation_id: null,
      timestamp: "2026-03-02T10:00:00Z",
      payload: payload({ agent, ...p }),
    }) as ExecutionEvent;
  const agg = new CostAggregator(["agent"], defaultPricing());
  // Two reports of 0.00000025: each rounds to 0, their sum 0.0000005 rounds up to 0.000001.
  agg.add(event("a", { cost_usd: 0.00000025 }));
  agg.add(event("b", { cost_usd: 0.00000025 }));
  // gpt-5-nano input is 0.05 per million: 9 tokens = 0.00000045 (rounds down),
  // 10 tokens = 0.0000005 (rounds up).
  const nano = { model: "gpt-5-nano", output_tokens: 0 };
  agg.add(event("nano9", { ...nano, input_tokens: 9 }));
  agg.add(event("nano10", { ...nano, input_tokens: 10 }));
  const v = costView(agg, ["agent"], {}, 0);
  assert.deepEqual(
    v.groups.map((g) => [g.group_key, g.total_cost_usd]),
    [["nano10", 0.000001], ["nano9", 0], ["a", 0], ["b", 0]],
  );
  // Total: 0.0000005 + 0.00000045 + 0.0000005 = 0.00000145 -> 0.000001
  assert.equal(agg.total.reported + agg.total.estimated, 1_450_000_000n);
  assert.deepEqual(
    [v.total.total_cost_usd, v.total.reported_cost_usd, v.total.estimated_cost_usd],
    [0.000001, 0.000001, 0.000001],
  );
});

// ---------------------------------------------------------------- exact sums at scale
//
// The expected values below are computed independently of src/cost/money.ts: decimal strings
// are scaled to BigInt by string manipulation, in units of 1e-10 USD (reported costs have at
// most 10 decimals; rates per million have at most 3, so a rate per token is a whole number of
// 1e-10 USD after multiplying by 1e4).

/** A non-negative decimal string as a BigInt with `scale` decimals (no rounding needed). */
function scaled(text: string, scale: number): bigint {
  const [whole, frac = ""] = text.split(".");
  assert.ok(frac.length <= scale, text);
  return BigInt(whole + frac.padEnd(scale, "0"));
}

/** Rounds 1e-10 USD units half up to 6 decimals, as a decimal string. */
function round6(units: bigint): string {
  const q = ((units + 5_000n) / 10_000n).toString().padStart(7, "0");
  return `${q.slice(0, -6)}.${q.slice(-6)}`;
}

// Rates typed out from pricing.yaml: input, output, cache read, cache write (USD per million).
type RateRow = [string, string, string, string];
const RATES: Record<string, { base: RateRow; tier?: { above: number; rates: RateRow } }> = {
  "claude-sonnet-4-5": {
    base: ["3", "15", "0.3", "3.75"],
    tier: { above: 200_000, rates: ["6", "22.5", "0.6", "7.5"] },
  },
  "claude-sonnet-4.5": { // an alias: same entry
    base: ["3", "15", "0.3", "3.75"],
    tier: { above: 200_000, rates: ["6", "22.5", "0.6", "7.5"] },
  },
  "gpt-5.2": { base: ["1.75", "14", "0.175", "1.75"] }, // no cache_write: input rate
  "claude-haiku-4-5": { base: ["1", "5", "0.1", "1.25"] },
  "gemini-2.5-pro": {
    base: ["1.25", "10", "0.125", "1.25"],
    tier: { above: 200_000, rates: ["2.5", "15", "0.25", "2.5"] },
  },
  "gpt-4o-mini": { base: ["0.15", "0.6", "0.075", "0.15"] },
  "gpt-5-nano": { base: ["0.05", "0.4", "0.005", "0.05"] },
  "claude-3-5-haiku": { base: ["0.8", "4", "0.08", "1"] },
};
const PRICED = Object.keys(RATES);
const UNPRICED = [null, "mystery-model", "claude-sonnet"];
const RATE_UNITS = Object.fromEntries(
  Object.entries(RATES).map(([model, r]) => [model, {
    base: r.base.map((x) => scaled(x, 4)),
    tier: r.tier && { above: BigInt(r.tier.above), rates: r.tier.rates.map((x) => scaled(x, 4)) },
  }]),
);

interface Expected {
  reported: bigint;
  estimated: bigint;
  count: number;
  unpriced: number;
}

/** Generates `n` seeded events: payloads plus the independently computed cost of each. */
function generate(n: number, seed: number) {
  const random = rng(seed);
  const int = (max: number) => Math.floor(random() * max);
  const digits = (len: number) => Array.from({ length: len }, () => int(10)).join("");
  const tokens = (max: number) => (random() < 0.1 ? null : int(max));
  const out: { payload: Record<string, unknown>; kind: string; units: bigint }[] = [];
  for (let i = 0; i < n; i++) {
    const roll = random();
    const p: Record<string, unknown> = {
      agent: ["claude", "codex", "gemini"][int(3)],
      input_tokens: tokens(300_000),
      output_tokens: tokens(20_000),
      cache_read_tokens: tokens(150_000),
      cache_write_tokens: tokens(20_000),
    };
    if (roll < 0.4) {
      // Reported: 6 to 10 decimals, sometimes tiny (exponent notation), sometimes 0.
      const kind = random();
      const text = kind < 0.05
        ? "0"
        : kind < 0.1
        ? `0.000000${digits(4)}`
        : `${int(random() < 0.8 ? 10 : 100)}.${digits(6 + int(5))}`;
      p.cost_usd = Number(text);
      p.model = [...PRICED, ...UNPRICED][int(PRICED.length + UNPRICED.length)];
      out.push({ payload: p, kind: "reported", units: scaled(text, 10) });
    } else if (roll < 0.9) {
      const model = PRICED[int(PRICED.length)];
      p.model = model;
      p.cost_usd = null;
      const r = RATE_UNITS[model];
      const t = [p.input_tokens, p.output_tokens, p.cache_read_tokens, p.cache_write_tokens].map(
        (x) => BigInt((x as number | null) ?? 0),
      );
      const prompt = t[0] + t[2] + t[3];
      const rates = r.tier && prompt > r.tier.above ? r.tier.rates : r.base;
      const units = t.reduce((sum, x, k) => sum + x * rates[k], 0n);
      out.push({ payload: p, kind: "estimated", units });
    } else {
      p.model = UNPRICED[int(UNPRICED.length)];
      p.cost_usd = null;
      out.push({ payload: p, kind: "unpriced", units: 0n });
    }
  }
  return out;
}

/** Groups are canonical models: an alias groups under its entry's id (written out here). */
const CANONICAL: Record<string, string> = { "claude-sonnet-4.5": "claude-sonnet-4-5" };

/** Expected totals per model group ("(none)" for null) and overall. */
function expectedTotals(events: ReturnType<typeof generate>) {
  const groups = new Map<string, Expected>();
  const total: Expected = { reported: 0n, estimated: 0n, count: 0, unpriced: 0 };
  for (const e of events) {
    const model = e.payload.model as string | null;
    const key = model === null ? "(none)" : CANONICAL[model] ?? model;
    if (!groups.has(key)) groups.set(key, { reported: 0n, estimated: 0n, count: 0, unpriced: 0 });
    for (const t of [groups.get(key)!, total]) {
      t.count++;
      if (e.kind === "reported") t.reported += e.units;
      else if (e.kind === "estimated") t.estimated += e.units;
      else t.unpriced++;
    }
  }
  return { groups, total };
}

Deno.test("100,000 mixed events sum exactly, matching an independent big-integer computation", () => {
  const events = generate(100_000, 20260302);
  const expected = expectedTotals(events);
  const agg = new CostAggregator(["model"], defaultPricing());
  let clock = 0;
  for (const e of events) {
    agg.add({
      event_id: "01KHJVJWDM0HGAGYGXJYKD1JQG",
      event_type: "ExecutionEvent",
      aggregate_id: "001-money",
      lamport_clock: ++clock,
      node_id: "n1",
      causation_id: null,
      timestamp: "2026-03-02T10:00:00Z",
      payload: payload(e.payload),
    } as ExecutionEvent);
  }
  // Exact to the last internal unit: 1e-10 USD = 1e5 internal units.
  assert.equal(agg.total.reported, expected.total.reported * 100_000n);
  assert.equal(agg.total.estimated, expected.total.estimated * 100_000n);
  assert.equal(agg.total.event_count, 100_000);
  assert.equal(agg.total.unpriced_event_count, expected.total.unpriced);
  // The sums carry digits beyond 6 decimals, so rounding matters.
  assert.notEqual(expected.total.reported % 10_000n, 0n);
  assert.notEqual(expected.total.estimated % 10_000n, 0n);

  const total = expected.total.reported + expected.total.estimated;
  assert.equal(formatUsd(agg.total.reported + agg.total.estimated), round6(total));
  const v = costView(agg, ["model"], {}, 0);
  assert.equal(v.total.total_cost_usd, Number(round6(total)));
  assert.equal(v.total.reported_cost_usd, Number(round6(expected.total.reported)));
  assert.equal(v.total.estimated_cost_usd, Number(round6(expected.total.estimated)));
  assert.deepEqual(v.total.unpriced_models, ["(none)", "claude-sonnet", "mystery-model"]);

  assert.equal(v.groups.length, expected.groups.size);
  for (const g of v.groups) {
    const want = expected.groups.get(g.group_key)!;
    assert.ok(want, g.group_key);
    assert.deepEqual(
      [
        g.total_cost_usd,
        g.reported_cost_usd,
        g.estimated_cost_usd,
        g.event_count,
        g.unpriced_event_count,
      ],
      [
        Number(round6(want.reported + want.estimated)),
        Number(round6(want.reported)),
        Number(round6(want.estimated)),
        want.count,
        want.unpriced,
      ],
      g.group_key,
    );
    // Every printed amount has at most 6 decimals in its shortest form.
    for (const n of [g.total_cost_usd, g.reported_cost_usd, g.estimated_cost_usd]) {
      assert.match(String(n), /^\d+(\.\d{1,6})?$/, `${g.group_key}: ${n}`);
    }
  }
});

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
function ulid(n: number): string {
  let tail = "";
  for (let i = 0; i < 16; i++) {
    tail = CROCKFORD[n % 32] + tail;
    n = Math.floor(n / 32);
  }
  return `01KHJVJWDM${tail}`;
}

Deno.test("cost --json over a log file matches the independent computation", async () => {
  const events = generate(3_000, 7);
  const root = await tempProject();
  const features = ["001-alpha", "002-beta"];
  const lines: Record<string, string[]> = { "001-alpha": [], "002-beta": [] };
  const perFeature = new Map<string, ReturnType<typeof generate>>();
  events.forEach((e, i) => {
    const feature = features[i % 2];
    lines[feature].push(JSON.stringify({
      event_id: ulid(i),
      event_type: "ExecutionEvent",
      aggregate_id: feature,
      lamport_clock: i + 1,
      node_id: "n1",
      causation_id: null,
      timestamp: "2026-03-02T10:00:00.000Z",
      payload: payload(e.payload),
    }));
    if (!perFeature.has(feature)) perFeature.set(feature, []);
    perFeature.get(feature)!.push(e);
  });
  for (const feature of features) {
    await Deno.mkdir(join(root, "kitty-specs", feature), { recursive: true });
    await Deno.writeTextFile(
      join(root, "kitty-specs", feature, "execution.events.jsonl"),
      lines[feature].join("\n") + "\n",
    );
  }
  const run = await cli(["cost", "--json", "--group-by", "feature", "--root", root]);
  assert.equal(run.code, 0, run.stderr);
  // Only the note on the unpriced events (stderr in every format), nothing else.
  assert.match(run.stderr, /^note: \d+ event\(s\) have no reported cost and no price [^\n]*\n$/);
  const report = JSON.parse(run.stdout);
  const all = expectedTotals(events).total;
  assert.equal(report.skipped_lines, 0);
  assert.deepEqual(
    [
      report.total.total_cost_usd,
      report.total.reported_cost_usd,
      report.total.estimated_cost_usd,
      report.total.event_count,
      report.total.unpriced_event_count,
    ],
    [
      Number(round6(all.reported + all.estimated)),
      Number(round6(all.reported)),
      Number(round6(all.estimated)),
      3_000,
      all.unpriced,
    ],
  );
  for (const g of report.groups) {
    const want = expectedTotals(perFeature.get(g.group_key)!).total;
    assert.equal(g.total_cost_usd, Number(round6(want.reported + want.estimated)), g.group_key);
    assert.equal(g.event_count, 1_500);
  }
});

Deno.test("splitUsd() agrees with usdToUnits() whenever it answers, over random amounts", () => {
  const random = rng(77);
  let split = 0;
  for (let i = 0; i < 200_000; i++) {
    const r = random();
    const usd = r < 0.3
      ? random() * 8
      : r < 0.6
      ? Math.round(random() * 1e6) / 10 ** Math.floor(random() * 12)
      : r < 0.8
      ? random() * 10 ** Math.floor(random() * 17)
      : Number((random() * 100).toFixed(Math.floor(random() * 16)));
    if (!splitUsd(usd)) continue;
    split++;
    const units = BigInt(usdParts.dollars) * 10n ** 15n + BigInt(usdParts.femtos);
    assert.equal(units, usdToUnits(usd), `${usd}`);
    assert.ok(usdParts.femtos >= 0 && usdParts.femtos < 1e15);
  }
  assert.ok(split > 100_000, `${split}`);
  for (const usd of [0, 7.999999999999999, 8, 15.6, 1e-7]) {
    assert.ok(splitUsd(usd), `${usd}`);
    assert.equal(
      BigInt(usdParts.dollars) * 10n ** 15n + BigInt(usdParts.femtos),
      usdToUnits(usd),
      `${usd}`,
    );
  }
  // More than 15 places, or whole dollars past 2^53: left to usdToUnits.
  for (const usd of [0.30000000000000004, 2 ** 53, 1e21]) assert.ok(!splitUsd(usd), `${usd}`);
});

Deno.test("smallEstimateUnits() equals estimateUnits() when it answers, and declines past 2^53", () => {
  const random = rng(78);
  const table = defaultPricing();
  let small = 0;
  let declined = 0;
  for (let i = 0; i < 50_000; i++) {
    const price = table.entries[Math.floor(random() * table.entries.length)];
    const tokens = () =>
      random() < 0.1 ? null : Math.floor(random() * 10 ** Math.floor(random() * 13));
    const fields = {
      input_tokens: tokens(),
      output_tokens: tokens(),
      cache_read_tokens: tokens(),
      cache_write_tokens: tokens(),
    };
    const exact = estimateUnits(fields, price);
    const fast = smallEstimateUnits(fields, price);
    if (fast < 0) {
      assert.ok(exact > BigInt(Number.MAX_SAFE_INTEGER) / 4n, `${JSON.stringify(fields)}`);
      declined++;
      continue;
    }
    small++;
    assert.equal(BigInt(fast), exact);
  }
  assert.ok(small > 5_000, `${small}`);
  assert.ok(declined > 100, `${declined}`);
});

Deno.test("the aggregator's pending sums stay exact across huge amounts and many events", () => {
  const random = rng(79);
  const agg = new CostAggregator(["model"], defaultPricing());
  let reported = 0n;
  let estimated = 0n;
  const price = findPrice(defaultPricing(), "claude-opus-4-6")!;
  for (let i = 0; i < 20_000; i++) {
    const usd = random() < 0.5 ? null : [0.1, 15.6, 7.99, 1e9, 123456.789, 1e-7][i % 6];
    const input = random() < 0.5 ? 1e12 : Math.floor(random() * 1e6);
    const fields = { ...payload(), model: "claude-opus-4-6", cost_usd: usd, input_tokens: input };
    agg.add({ aggregate_id: "f", timestamp: "2026-01-01T00:00:00Z", payload: fields } as never);
    if (usd !== null) reported += usdToUnits(usd);
    // At the event's date: opus-4-6's over-200k tier was still in force on 2026-01-01.
    else estimated += estimateUnits(fields as never, price, Date.parse("2026-01-01T00:00:00Z"));
  }
  assert.equal(agg.total.reported, reported);
  assert.equal(agg.total.estimated, estimated);
  assert.equal(agg.groups()[0].totals.reported, reported);
  // Reading totals settles them; more events after that still add up.
  agg.add(
    {
      aggregate_id: "f",
      timestamp: "2026-01-01T00:00:00Z",
      payload: { ...payload(), model: "claude-opus-4-6", cost_usd: 0.5 },
    } as never,
  );
  assert.equal(agg.total.reported, reported + 500_000_000_000_000n);
});
