/**
 * CostAggregator's groups and total against a plain reference built from
 * the per-event functions (`keyValue` for the group, `eventCost` for the
 * money): every event lands in its own group once, and the total is every
 * event once. Covers the aggregator's caches (a group found by the raw value
 * of a single key, null included) and the total made from the groups.
 */
import assert from "node:assert/strict";
import { CostAggregator } from "../src/cost/aggregate.ts";
import { defaultPricing } from "../src/cost/builtin_pricing.ts";
import { eventCost } from "../src/cost/estimate.ts";
import { splitUnits, usdParts } from "../src/cost/money.ts";
import { parsePricing } from "../src/cost/pricing_parse.ts";
import { type CostedEvent, type GroupKey, keyValue } from "../src/cost/group_keys.ts";
import { prng } from "../bench/generate.ts";

const SEED = Number(Deno.env.get("KITTY_SEED") ?? Date.now() % 1_000_000);
console.log(`aggregate_groups_test seed: ${SEED} (replay with KITTY_SEED=${SEED})`);
const TABLE = defaultPricing();

function randomEvent(rand: () => number): CostedEvent {
  const pick = <T>(list: T[]) => list[Math.floor(rand() * list.length)];
  return {
    aggregate_id: pick(["043-a", "044-b", "045-c"]),
    timestamp: pick(["2025-06-09T10:00:00Z", "2025-06-10T10:00:00Z", "2026-01-01T00:00:00+01:00"]),
    payload: {
      wp_id: pick(["WP01", "WP02"]),
      agent: pick(["claude", "codex", "null"]),
      role: "implementer",
      model: pick(["o3", "O3", "claude-opus-4-6", "unknown-model", null]),
      input_tokens: pick([null, 1, 100_000]),
      output_tokens: pick([null, 7, 250_000]),
      cache_read_tokens: pick([null, 3]),
      cache_write_tokens: pick([null, 5]),
      cache_write_1h_tokens: null,
      reasoning_tokens: null,
      cost_usd: rand() < 0.4 ? pick([0, 0.1, 15.6, 1e-7]) : null,
    },
  } as unknown as CostedEvent;
}

interface Sums {
  events: number;
  input: bigint;
  money: bigint;
}

function reference(events: CostedEvent[], by: GroupKey[]): Map<string, Sums> {
  const groups = new Map<string, Sums>();
  for (const e of events) {
    const id = JSON.stringify(by.map((k) => keyValue(e, k, TABLE)));
    const sums = groups.get(id) ?? { events: 0, input: 0n, money: 0n };
    sums.events++;
    sums.input += BigInt(e.payload.input_tokens ?? 0);
    sums.money += eventCost(e.payload, TABLE, e.timestamp).units;
    groups.set(id, sums);
  }
  return groups;
}

Deno.test("every event lands once in its own group and once in the total", () => {
  const rand = prng(SEED);
  for (
    const by of [["model"], ["agent"], ["feature"], ["day"], ["model", "agent"]] as GroupKey[][]
  ) {
    const events = Array.from({ length: 400 }, () => randomEvent(rand));
    const agg = new CostAggregator(by, TABLE);
    for (const e of events) agg.add(e);
    const got = new Map<string, Sums>();
    for (const g of agg.groups()) {
      const t = g.totals;
      got.set(JSON.stringify(by.map((k) => g.key[k])), {
        events: t.event_count,
        input: t.input_tokens,
        money: t.reported + t.estimated,
      });
    }
    const want = reference(events, by);
    assert.deepEqual(got, want, `by ${by}, seed ${SEED}`);
    const total = agg.total;
    assert.equal(total.event_count, events.length, `${by}`);
    assert.equal(
      total.reported + total.estimated,
      [...want.values()].reduce((n, s) => n + s.money, 0n),
      `${by}`,
    );
  }
});

Deno.test("splitUnits splits every whole number of units below 2^53 exactly", () => {
  const rand = prng(SEED + 1);
  const edges = [0, 1, 999_999_999_999_999, 1e15, 1e15 + 1, 2 ** 53 - 1];
  for (let k = 1; k <= 9; k++) {
    for (const j of [-1000, -1, 0, 1]) if (k * 1e15 + j < 2 ** 53) edges.push(k * 1e15 + j);
  }
  const randoms = Array.from({ length: 20_000 }, () => Math.floor(rand() * 2 ** 53));
  for (const units of [...edges, ...randoms]) {
    splitUnits(units);
    assert.ok(Number.isInteger(usdParts.dollars) && Number.isInteger(usdParts.femtos), `${units}`);
    assert.ok(usdParts.femtos >= 0 && usdParts.femtos < 1e15, `${units}`);
    assert.equal(BigInt(usdParts.dollars) * 10n ** 15n + BigInt(usdParts.femtos), BigInt(units));
  }
});

Deno.test("estimated sums stay exact past 2^53 units with odd prices (the split carries)", () => {
  // $1.000000001 per million: 1,000,000,001 units a token, so sums have low bits set.
  const table = parsePricing("models:\n  odd-model: {input: 1.000000001, output: 3}\n", "p.yaml");
  const agg = new CostAggregator(["model"], table);
  let want = 0n;
  for (let i = 0; i < 300; i++) {
    const e = randomEvent(prng(SEED + i));
    const p = { ...e.payload, model: "odd-model", cost_usd: null, input_tokens: 999_999 - i };
    const event = { ...e, payload: p } as CostedEvent;
    agg.add(event);
    want += eventCost(p, table, e.timestamp).units;
  }
  assert.ok(want > 2n ** 53n, `${want}`);
  assert.equal(agg.total.estimated, want);
});
