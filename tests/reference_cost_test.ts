import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, REFERENCE_ROOT, referenceProject, withoutNotes } from "./helpers.ts";
import { defaultPricing } from "../src/cost/builtin_pricing.ts";
import { findPrice } from "../src/cost/pricing.ts";
import { periodAt, ratesFor } from "../src/cost/price_period.ts";

// The reference logs were written by spec-kitty's Python implementation (see
// /work/shared/reference/README.md).
//
// 048-full-lifecycle-telemetry-events holds 8 events, cost_usd null everywhere:
// - 4 with model claude-opus-4-6 (pricing.yaml: input 5, output 25 USD per million; no tier),
//   input_tokens 64163, 64163, null, null and output_tokens null everywhere:
//     (64163 + 64163 + 0 + 0) * 5 / 1e6 + 0 * 25 / 1e6 = 128326 * 0.000005 = 0.64163 USD
// - 4 with model null: unpriced, $0, though one of them carries 174000 input / 21000 output.
// 043-telemetry-foundation holds 2 events that report cost_usd 15.6 each (2 * 15.6 = 31.2) for
// claude-sonnet-4.5 with 30532200 input tokens each (2 * 30532200 = 61064400); the reported
// cost wins over the (long-context tier) estimate.

const OPUS_ESTIMATE = 0.64163;

interface GroupJson {
  group_key: string;
  key: Record<string, string | null>;
  [field: string]: unknown;
}

async function costJson(args: string[]) {
  const root = await referenceProject();
  const run = await cli(["cost", "--json", "--root", root, ...args]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(withoutNotes(run.stderr), "");
  return JSON.parse(run.stdout) as { groups: GroupJson[]; total: GroupJson; [k: string]: unknown };
}

Deno.test("reference logs by feature: 043 reported 31.2, 048 opus estimated and 4 unpriced", async () => {
  const report = await costJson(["--group-by", "feature"]);
  assert.deepEqual(report.group_by, ["feature"]);
  assert.deepEqual(report.filters, {});
  assert.equal(report.skipped_lines, 0);
  assert.deepEqual(report.groups, [
    {
      group_key: "043-telemetry-foundation",
      key: { feature: "043-telemetry-foundation" },
      total_input_tokens: 61_064_400,
      total_output_tokens: 357_120, // 2 * 178560
      total_cache_read_tokens: 0,
      total_cache_write_tokens: 0,
      total_cost_usd: 31.2,
      reported_cost_usd: 31.2,
      estimated_cost_usd: 0,
      event_count: 2,
      estimated_event_count: 0,
      unpriced_event_count: 0,
      unpriced_models: [],
      model_names: ["claude-sonnet-4.5"],
    },
    {
      group_key: "048-full-lifecycle-telemetry-events",
      key: { feature: "048-full-lifecycle-telemetry-events" },
      total_input_tokens: 302_326, // 64163 * 2 + 174000
      total_output_tokens: 21_000,
      total_cache_read_tokens: 0,
      total_cache_write_tokens: 0,
      total_cost_usd: OPUS_ESTIMATE,
      reported_cost_usd: 0,
      estimated_cost_usd: OPUS_ESTIMATE,
      event_count: 8,
      estimated_event_count: 4,
      unpriced_event_count: 4,
      unpriced_models: ["(none)"],
      model_names: ["claude-opus-4-6"],
    },
  ]);
  assert.deepEqual(report.total, {
    total_input_tokens: 61_366_726,
    total_output_tokens: 378_120,
    total_cache_read_tokens: 0,
    total_cache_write_tokens: 0,
    total_cost_usd: 31.84163, // 31.2 + 0.64163
    reported_cost_usd: 31.2,
    estimated_cost_usd: OPUS_ESTIMATE,
    event_count: 10,
    estimated_event_count: 4,
    unpriced_event_count: 4,
    unpriced_models: ["(none)"],
    model_names: ["claude-opus-4-6", "claude-sonnet-4.5"],
  });
});

Deno.test("reference logs by model: sonnet reported, opus estimated, null model unpriced", async () => {
  const report = await costJson(["--group-by", "model"]);
  assert.deepEqual(
    report.groups.map((g) => [
      g.group_key,
      g.key,
      g.total_cost_usd,
      g.event_count,
      g.estimated_event_count,
      g.unpriced_event_count,
    ]),
    [
      // Grouped by the canonical model: the pricing entry's id for the alias recorded.
      ["claude-sonnet-4-5", { model: "claude-sonnet-4-5" }, 31.2, 2, 0, 0],
      ["claude-opus-4-6", { model: "claude-opus-4-6" }, OPUS_ESTIMATE, 4, 4, 0],
      ["(none)", { model: null }, 0, 4, 0, 4],
    ],
  );
});

Deno.test("reference 048 by wp and role: phase-level N/A events carry the opus estimate", async () => {
  const byWp = await costJson(["--group-by", "wp", "--feature", "048"]);
  assert.deepEqual(
    byWp.groups.map((g) => [g.group_key, g.total_cost_usd, g.event_count, g.unpriced_event_count]),
    [["N/A", OPUS_ESTIMATE, 6, 2], ["WP01", 0, 1, 1], ["WP02", 0, 1, 1]],
  );
  const byRole = await costJson(["--group-by", "role,agent", "--feature", "048"]);
  assert.deepEqual(
    byRole.groups.map((g) => [g.group_key, g.total_cost_usd, g.event_count]),
    [
      // specifier: 64163 * 2 * 5 / 1e6 = 0.64163; the planner's opus events have no tokens.
      ["specifier/claude", OPUS_ESTIMATE, 2],
      ["implementer/claude", 0, 1],
      ["implementer/unknown", 0, 1],
      ["planner/claude", 0, 2],
      ["planner/codex_nonKitty", 0, 2],
    ],
  );
});

Deno.test("reference logs by day: Python timestamps group in UTC", async () => {
  const report = await costJson(["--group-by", "day"]);
  assert.deepEqual(
    report.groups.map((g) => [g.group_key, g.total_cost_usd, g.event_count]),
    [["2026-02-16", 31.84163, 8], ["2026-02-17", 0, 2]],
  );
});

Deno.test("the reference 048 log holds the events the expected values above assume", async () => {
  const text = await Deno.readTextFile(
    join(
      REFERENCE_ROOT,
      "kitty-specs",
      "048-full-lifecycle-telemetry-events",
      "execution.events.jsonl",
    ),
  );
  const payloads = text.trim().split("\n").map((l) => JSON.parse(l).payload);
  assert.deepEqual(
    payloads.map((p) => [p.model, p.input_tokens, p.output_tokens, p.cost_usd]),
    [
      ["claude-opus-4-6", 64163, null, null],
      ["claude-opus-4-6", 64163, null, null],
      ["claude-opus-4-6", null, null, null],
      ["claude-opus-4-6", null, null, null],
      [null, null, null, null],
      [null, null, null, null],
      [null, null, null, null],
      [null, 174000, 21000, null],
    ],
  );
  // The built-in (catalogue) rates in force on 2026-02-16, below the 200k tier: 5 and 25.
  const opus = findPrice(defaultPricing(), "claude-opus-4-6")!;
  const period = periodAt(opus.periods, Date.parse("2026-02-16T12:00:00Z"));
  assert.equal(ratesFor(period, 64163).input, 5_000_000_000n);
  assert.equal(ratesFor(period, 64163).output, 25_000_000_000n);
});

Deno.test("--no-builtin-prices with spec-kitty's _pricing.yaml prices as spec-kitty does", async () => {
  // spec-kitty's table has no claude-opus-4-6: its 4 events are unpriced, as in spec-kitty,
  // and the 043 events keep their reported 15.6 each; the 4 model-less events stay unpriced.
  const report = await costJson([
    "--group-by",
    "feature",
    "--pricing",
    join(REFERENCE_ROOT, "spec-kitty-pricing.yaml"),
    "--no-builtin-prices",
  ]);
  assert.deepEqual(
    report.groups.map((g) => [
      g.group_key,
      g.total_cost_usd,
      g.estimated_event_count,
      g.unpriced_event_count,
      g.unpriced_models,
    ]),
    [
      ["043-telemetry-foundation", 31.2, 0, 0, []],
      ["048-full-lifecycle-telemetry-events", 0, 0, 8, ["(none)", "claude-opus-4-6"]],
    ],
  );
  assert.deepEqual(report.pricing, {
    catalogue: null,
    overrides: [join(REFERENCE_ROOT, "spec-kitty-pricing.yaml")],
    prices_at: null,
  });
  // Without --no-builtin-prices the catalogue prices opus: the numbers above.
  const merged = await costJson([
    "--pricing",
    join(REFERENCE_ROOT, "spec-kitty-pricing.yaml"),
  ]);
  assert.equal((merged.total as GroupJson).total_cost_usd, 31.2 + OPUS_ESTIMATE);
});
