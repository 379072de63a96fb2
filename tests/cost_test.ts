import assert from "node:assert/strict";
import { payload } from "./helpers.ts";
import { CostAggregator } from "../src/cost/aggregate.ts";
import { type GroupKey, keyValue } from "../src/cost/group_keys.ts";
import { type CostFields, eventCost } from "../src/cost/estimate.ts";
import { defaultPricing } from "../src/cost/builtin_pricing.ts";
import { parsePricing } from "../src/cost/pricing_parse.ts";
import type { ExecutionEvent } from "../src/event/execution.ts";
import { costView } from "../src/report/cost_view.ts";

const PRICING = defaultPricing();

/** Token/cost fields with everything null unless given. */
function fields(overrides: Partial<CostFields>): CostFields {
  return {
    model: null,
    cost_usd: null,
    input_tokens: null,
    output_tokens: null,
    cache_read_tokens: null,
    cache_write_tokens: null,
    ...overrides,
  };
}

let clock = 0;
/** An execution event built by hand: payload overrides plus envelope overrides. */
function event(
  p: Record<string, unknown> = {},
  envelope: { aggregate_id?: string; timestamp?: string } = {},
): ExecutionEvent {
  clock++;
  return {
    event_id: `01KHJVJWDM${String(clock).padStart(16, "0")}`,
    event_type: "ExecutionEvent",
    aggregate_id: envelope.aggregate_id ?? "043-telemetry-foundation",
    lamport_clock: clock,
    node_id: "n1",
    causation_id: null,
    timestamp: envelope.timestamp ?? "2026-03-02T10:00:00.000Z",
    payload: payload(p),
  } as ExecutionEvent;
}

function view(by: GroupKey[], events: ExecutionEvent[], pricing = PRICING) {
  const agg = new CostAggregator(by, pricing);
  for (const e of events) agg.add(e);
  return costView(agg, by, {}, 0);
}

// ---------------------------------------------------------------- eventCost

Deno.test("a reported cost_usd wins over tokens, even when it is 0", () => {
  const tokens = { input_tokens: 1_000_000, output_tokens: 1_000_000 };
  assert.deepEqual(
    eventCost(fields({ model: "claude-sonnet-4-5", cost_usd: 0, ...tokens }), PRICING),
    { kind: "reported", units: 0n },
  );
  assert.deepEqual(
    eventCost(fields({ model: "claude-sonnet-4-5", cost_usd: 1.25, ...tokens }), PRICING),
    { kind: "reported", units: 1_250_000_000_000_000n },
  );
});

Deno.test("a reported cost is used even for a null or unknown model", () => {
  assert.deepEqual(eventCost(fields({ model: null, cost_usd: 0.5 }), PRICING), {
    kind: "reported",
    units: 500_000_000_000_000n,
  });
  assert.deepEqual(eventCost(fields({ model: "no-such-model", cost_usd: 0 }), PRICING), {
    kind: "reported",
    units: 0n,
  });
});

Deno.test("a null cost is estimated from input, output, cache read and cache write at own rates", () => {
  // claude-sonnet-4-5: 3 / 15 / 0.3 / 3.75 USD per million.
  // 1000*3 + 2000*15 + 3000*0.3 + 4000*3.75 = 3000 + 30000 + 900 + 15000 = 48900 per million
  // = 0.0489 USD.
  const cost = eventCost(
    fields({
      model: "claude-sonnet-4-5",
      input_tokens: 1000,
      output_tokens: 2000,
      cache_read_tokens: 3000,
      cache_write_tokens: 4000,
    }),
    PRICING,
  );
  assert.deepEqual(cost, { kind: "estimated", units: 48_900_000_000_000n });
  // Each kind alone, 100000 tokens (below the 200000 tier): a tenth of the per-million rate.
  const one = (k: keyof CostFields) =>
    eventCost(fields({ model: "claude-sonnet-4-5", [k]: 100_000 }), PRICING).units;
  assert.equal(one("input_tokens"), 300_000_000_000_000n); // 0.3
  assert.equal(one("output_tokens"), 1_500_000_000_000_000n); // 1.5
  assert.equal(one("cache_read_tokens"), 30_000_000_000_000n); // 0.03
  assert.equal(one("cache_write_tokens"), 375_000_000_000_000n); // 0.375
});

Deno.test("a model without cache rates prices cache tokens at its input rate", () => {
  const table = parsePricing("models:\n  plain-model: {input: 2, output: 8}\n", "p.yaml");
  // 1000*2 + 10*8 + 500*2 + 250*2 = 2000 + 80 + 1000 + 500 = 3580 per million.
  assert.deepEqual(
    eventCost(
      fields({
        model: "plain-model",
        input_tokens: 1000,
        output_tokens: 10,
        cache_read_tokens: 500,
        cache_write_tokens: 250,
      }),
      table,
    ),
    { kind: "estimated", units: 3_580_000_000_000n },
  );
  // gpt-5.2 has a cache_read rate (0.175) but no cache_write rate: writes cost input (1.75).
  assert.equal(
    eventCost(
      fields({ model: "gpt-5.2", cache_read_tokens: 1_000_000, cache_write_tokens: 1_000_000 }),
      PRICING,
    ).units,
    1_925_000_000_000_000n, // 0.175 + 1.75
  );
});

Deno.test("null token counts count as 0", () => {
  assert.deepEqual(
    eventCost(fields({ model: "claude-sonnet-4-5", output_tokens: 1000 }), PRICING),
    { kind: "estimated", units: 15_000_000_000_000n }, // 1000 * 15 / 1e6 = 0.015
  );
  assert.deepEqual(eventCost(fields({ model: "claude-sonnet-4-5" }), PRICING), {
    kind: "estimated",
    units: 0n,
  });
});

Deno.test("the long-context tier applies to the whole request only above the threshold", () => {
  // Prompt exactly 200000 (150000 input + 50000 cache read): base rates.
  // 150000*3 + 1000*15 + 50000*0.3 = 450000 + 15000 + 15000 = 480000 per million = 0.48.
  const at = fields({
    model: "claude-sonnet-4-5",
    input_tokens: 150_000,
    output_tokens: 1000,
    cache_read_tokens: 50_000,
    cache_write_tokens: 0,
  });
  assert.deepEqual(eventCost(at, PRICING), { kind: "estimated", units: 480_000_000_000_000n });
  // One cache-write token more: 200001 > 200000, tier rates for EVERY kind, output included.
  // 150000*6 + 1000*22.5 + 50000*0.6 + 1*7.5 = 900000 + 22500 + 30000 + 7.5 = 952507.5
  // per million = 0.9525075.
  assert.deepEqual(eventCost({ ...at, cache_write_tokens: 1 }, PRICING), {
    kind: "estimated",
    units: 952_507_500_000_000n,
  });
  // The tier is reached by cache tokens alone: 1 input + 200000 cache read.
  // 1*6 + 200000*0.6 = 120006 per million.
  assert.deepEqual(
    eventCost(
      fields({ model: "claude-sonnet-4-5", input_tokens: 1, cache_read_tokens: 200_000 }),
      PRICING,
    ),
    { kind: "estimated", units: 120_006_000_000_000n },
  );
  // Input alone at and just above the threshold.
  const sonnetInput = (n: number) =>
    eventCost(fields({ model: "claude-sonnet-4-5", input_tokens: n }), PRICING).units;
  assert.equal(sonnetInput(200_000), 600_000_000_000_000n); // 200000 * 3
  assert.equal(sonnetInput(200_001), 1_200_006_000_000_000n); // 200001 * 6
});

Deno.test("a tier without a cache_write rate prices cache writes at the tier's input rate", () => {
  // gemini-2.5-pro tier above 200000: input 2.5, output 15, cache_read 0.25, no cache_write.
  // 200000*2.5 + 10*2.5 + 100*15 = 500000 + 25 + 1500 = 501525 per million.
  assert.deepEqual(
    eventCost(
      fields({
        model: "gemini-2.5-pro",
        input_tokens: 200_000,
        cache_write_tokens: 10,
        output_tokens: 100,
      }),
      PRICING,
    ),
    { kind: "estimated", units: 501_525_000_000_000n },
  );
});

Deno.test("models are found by alias and case- and whitespace-insensitively", () => {
  const tokens = { input_tokens: 100_000 };
  for (
    const name of [
      "claude-sonnet-4-5",
      "claude-sonnet-4.5",
      "claude-sonnet-4-5-20250929",
      "Claude-Sonnet-4.5",
      "  CLAUDE-SONNET-4-5-20250929\t",
    ]
  ) {
    assert.deepEqual(eventCost(fields({ model: name, ...tokens }), PRICING), {
      kind: "estimated",
      units: 300_000_000_000_000n, // 100000 * 3 / 1e6 = 0.3
    }, name);
  }
  // gpt-5.3-codex has an entry of its own at gpt-5.2's rates (input 1.75).
  assert.equal(
    eventCost(fields({ model: "GPT-5.3-Codex", ...tokens }), PRICING).units,
    175_000_000_000_000n,
  );
});

Deno.test("there is no substring guessing: near-miss model names are unpriced", () => {
  for (
    const name of [
      "claude-sonnet",
      "gpt-5-codex-extra",
      "sonnet-4-5",
      "gpt-5.2 codex",
      "gpt",
    ]
  ) {
    assert.deepEqual(
      eventCost(fields({ model: name, input_tokens: 1000, output_tokens: 1000 }), PRICING),
      { kind: "unpriced", units: 0n, model: name },
      name,
    );
  }
});

Deno.test("the catalogue's match rules price a provider prefix and a longer snapshot name", () => {
  // The catalogue's rule for claude-sonnet-4-5 is starts_with "claude-sonnet-4-5" (or 4.5), and
  // a name after a provider/ prefix is tried too: 1000 * 3 + 1000 * 15 = 18000 (1e-9 USD).
  for (
    const name of ["claude-sonnet-4-5-latest", "anthropic/claude-sonnet-4-5", "claude-sonnet-4.5"]
  ) {
    assert.deepEqual(
      eventCost(fields({ model: name, input_tokens: 1000, output_tokens: 1000 }), PRICING),
      { kind: "estimated", units: 18_000_000_000_000n },
      name,
    );
  }
});

Deno.test("a null model without a reported cost is unpriced", () => {
  assert.deepEqual(
    eventCost(fields({ model: null, input_tokens: 174_000, output_tokens: 21_000 }), PRICING),
    { kind: "unpriced", units: 0n, model: null },
  );
});

// ---------------------------------------------------------------- aggregation

Deno.test("unpriced events add $0 and are flagged per group and in the total", () => {
  const v = view(["agent"], [
    event({ agent: "a", model: null, input_tokens: 100, output_tokens: 10 }),
    event({ agent: "a", model: "mystery", input_tokens: 5, output_tokens: 1 }),
    event({ agent: "a", model: "claude-haiku-4-5", input_tokens: 1_000_000, output_tokens: 0 }),
    event({ agent: "b", model: "mystery", input_tokens: 7, output_tokens: 0 }),
    event({ agent: "b", model: "Other", cost_usd: 0.25 }),
    event({ agent: "b", model: "Other", input_tokens: 1, output_tokens: 0 }),
    event({ agent: "c", model: "gpt-5", cost_usd: 0 }),
  ]);
  assert.deepEqual(v.groups.map((g) => g.group_key), ["a", "b", "c"]);
  const [a, b, c] = v.groups;
  assert.deepEqual(a, {
    group_key: "a",
    key: { agent: "a" },
    total_input_tokens: 1_000_105,
    total_output_tokens: 11,
    total_cache_read_tokens: 0,
    total_cache_write_tokens: 0,
    total_cost_usd: 1,
    reported_cost_usd: 0,
    estimated_cost_usd: 1,
    event_count: 3,
    estimated_event_count: 1,
    unpriced_event_count: 2,
    unpriced_models: ["(none)", "mystery"],
    model_names: ["claude-haiku-4-5", "mystery"],
  });
  assert.deepEqual(
    [b.total_cost_usd, b.reported_cost_usd, b.event_count, b.unpriced_event_count],
    [0.25, 0.25, 3, 2],
  );
  // Unpriced models are named in their canonical (normalised) form; model_names keeps spellings.
  assert.deepEqual(b.unpriced_models, ["mystery", "other"]);
  assert.deepEqual(b.model_names, ["Other", "mystery"]);
  assert.deepEqual(
    [c.total_cost_usd, c.event_count, c.estimated_event_count, c.unpriced_event_count],
    [0, 1, 0, 0],
  );
  assert.deepEqual(c.unpriced_models, []);
  assert.deepEqual(v.total, {
    total_input_tokens: 1_000_313, // a 1000105 + b (7 + 100 + 1) + c 100 (payload() default)
    total_output_tokens: 31, // a 11 + b (0 + 10 + 0) + c 10
    total_cache_read_tokens: 0,
    total_cache_write_tokens: 0,
    total_cost_usd: 1.25,
    reported_cost_usd: 0.25,
    estimated_cost_usd: 1,
    event_count: 7,
    estimated_event_count: 1,
    unpriced_event_count: 4,
    unpriced_models: ["(none)", "mystery", "other"],
    model_names: ["Other", "claude-haiku-4-5", "gpt-5", "mystery"],
  });
});

Deno.test("cache tokens are summed per group and null tokens count as 0", () => {
  const v = view(["model"], [
    event({ model: "gpt-5.2", input_tokens: null, output_tokens: null, cache_read_tokens: 7 }),
    event({ model: "gpt-5.2", input_tokens: 3, output_tokens: 4, cache_write_tokens: 9 }),
  ]);
  const g = v.groups[0];
  assert.deepEqual(
    [
      g.total_input_tokens,
      g.total_output_tokens,
      g.total_cache_read_tokens,
      g.total_cache_write_tokens,
      g.estimated_event_count,
    ],
    [3, 4, 7, 9, 2],
  );
});

Deno.test("every group-by key reads its own dimension of the event", () => {
  const e = event(
    { agent: "codex", model: "gpt-5-codex", wp_id: "WP07", role: "reviewer" },
    { aggregate_id: "048-full-lifecycle-telemetry-events", timestamp: "2026-03-04T23:59:59.999Z" },
  );
  const expected: Record<GroupKey, string> = {
    agent: "codex",
    model: "gpt-5-codex",
    feature: "048-full-lifecycle-telemetry-events",
    wp: "WP07",
    role: "reviewer",
    day: "2026-03-04",
    week: "2026-W10",
    month: "2026-03",
  };
  for (const [key, value] of Object.entries(expected) as [GroupKey, string][]) {
    assert.equal(keyValue(e, key), value, key);
    const v = view([key], [e]);
    assert.deepEqual(
      v.groups.map((g) => [g.group_key, g.key]),
      [[value, { [key]: value }]],
      key,
    );
  }
});

Deno.test("day, week and month are UTC, whatever offset the timestamp carries", () => {
  // 23:30 at -02:00 is 01:30 UTC the next day, and the next month.
  const e = event({}, { timestamp: "2026-02-28T23:30:00.000000-02:00" });
  assert.equal(keyValue(e, "day"), "2026-03-01");
  assert.equal(keyValue(e, "month"), "2026-03");
  assert.equal(keyValue(e, "week"), "2026-W09"); // Sunday 2026-03-01 closes ISO week 9
  // Python's layout: microseconds and +00:00.
  const py = event({}, { timestamp: "2026-02-16T09:12:58.036834+00:00" });
  assert.deepEqual(
    (["day", "week", "month"] as GroupKey[]).map((k) => keyValue(py, k)),
    ["2026-02-16", "2026-W08", "2026-02"],
  );
});

Deno.test("weeks are ISO weeks, including across year boundaries", () => {
  const cases: [string, string][] = [
    ["2026-03-02T10:00:00Z", "2026-W10"], // a Monday
    ["2026-03-08T23:59:59Z", "2026-W10"], // the Sunday of the same week
    ["2026-03-09T00:00:00Z", "2026-W11"],
    ["2026-01-01T00:00:00Z", "2026-W01"], // Thursday: week 1 of its own year
    ["2027-01-01T12:00:00Z", "2026-W53"], // Friday: still the last week of 2026
    ["2027-01-03T12:00:00Z", "2026-W53"], // Sunday
    ["2027-01-04T00:00:00Z", "2027-W01"], // Monday
    ["2024-12-30T00:00:00Z", "2025-W01"], // Monday in December, week 1 of the next year
    ["2021-01-03T00:00:00Z", "2020-W53"],
    ["2028-12-31T00:00:00Z", "2028-W52"],
  ];
  for (const [timestamp, week] of cases) {
    assert.equal(keyValue(event({}, { timestamp }), "week"), week, timestamp);
  }
  const v = view(["week"], [
    event({ cost_usd: 1 }, { timestamp: "2027-01-01T12:00:00Z" }),
    event({ cost_usd: 2 }, { timestamp: "2026-12-28T12:00:00Z" }),
    event({ cost_usd: 4 }, { timestamp: "2027-01-04T12:00:00Z" }),
  ]);
  assert.deepEqual(
    v.groups.map((g) => [g.group_key, g.total_cost_usd, g.event_count]),
    [["2026-W53", 3, 2], ["2027-W01", 4, 1]], // time keys sort by time, ascending
  );
});

Deno.test("two group-by keys give one row per combination, null shown as (none)", () => {
  const tokens = (model: string | null, input_tokens: number) => ({
    model,
    input_tokens,
    output_tokens: 0,
  });
  const v = view(["agent", "model"], [
    event({ agent: "claude", ...tokens("claude-sonnet-4-5", 100_000) }), // 0.3
    event({ agent: "claude", ...tokens("claude-sonnet-4-5", 100_000) }), // 0.3
    event({ agent: "claude", ...tokens("claude-haiku-4-5", 1_000_000) }), // 1
    event({ agent: "codex", ...tokens("claude-sonnet-4-5", 100_000) }), // 0.3
    event({ agent: "claude", ...tokens(null, 1_000_000) }), // unpriced
  ]);
  assert.deepEqual(v.group_by, ["agent", "model"]);
  assert.deepEqual(
    v.groups.map((g) => [g.group_key, g.key, g.total_cost_usd, g.event_count]),
    [
      ["claude/claude-haiku-4-5", { agent: "claude", model: "claude-haiku-4-5" }, 1, 1],
      ["claude/claude-sonnet-4-5", { agent: "claude", model: "claude-sonnet-4-5" }, 0.6, 2],
      ["codex/claude-sonnet-4-5", { agent: "codex", model: "claude-sonnet-4-5" }, 0.3, 1],
      ["claude/(none)", { agent: "claude", model: null }, 0, 1],
    ],
  );
  assert.deepEqual(v.groups[3].unpriced_models, ["(none)"]);
  assert.equal(v.groups[3].total_input_tokens, 1_000_000);
  assert.equal(v.total.total_cost_usd, 1.9);
  assert.equal(v.total.event_count, 5);
});

Deno.test("rows are sorted by cost descending, then by key", () => {
  const events = [
    event({ agent: "e-unpriced", model: "mystery" }),
    event({ agent: "a", cost_usd: 1 }),
    event({ agent: "c", cost_usd: 3 }),
    event({ agent: "d", cost_usd: 0 }),
    event({ agent: "b", cost_usd: 1.5 }),
    event({ agent: "b", cost_usd: 1.5 }),
    event({ agent: "aa", model: "claude-haiku-4-5", input_tokens: 2_000_000, output_tokens: 0 }),
  ];
  // b 3 and c 3 tie (key decides), aa 2 (estimated), a 1, then d and e-unpriced at 0.
  const expected = ["b", "c", "aa", "a", "d", "e-unpriced"];
  assert.deepEqual(view(["agent"], events).groups.map((g) => g.group_key), expected);
  // Order-independent: the same events reversed give the same report.
  assert.deepEqual(view(["agent"], [...events].reverse()), view(["agent"], events));
});
