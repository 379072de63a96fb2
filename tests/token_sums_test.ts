/**
 * Exact token sums inside `cost`: the one helper (TokenSum, addCounts), the
 * wasm kernel's fold and the JS aggregator (fold switched off), partials
 * merged after a structured clone (as workers post them) and the parallel
 * scan over several ranges, where each range's sum is safe and only their
 * merge passes 2**53.
 */
import assert from "node:assert/strict";
import { encodeEvent } from "../src/event/line_codec.ts";
import { type CostPartial, createReducer, mergeResults } from "../src/cost/cost_reducer.ts";
import { defaultPricing } from "../src/cost/builtin_pricing.ts";
import type { GroupKey } from "../src/cost/group_keys.ts";
import { emptyTotals, type Totals } from "../src/cost/aggregate.ts";
import { addCounts, tokenCount, TokenSum } from "../src/cost/token_sum.ts";
import { exactJson } from "../src/report/exact_json.ts";
import { readLog } from "../src/read/event_sink.ts";
import { parallelScan } from "../src/read/parallel_scan.ts";
import { ev } from "./breaker2_helpers.ts";

const MAX = Number.MAX_SAFE_INTEGER;
// The largest count the kernel reads (15 digits; longer ones go to JS): 9.007 of them are 2**53.
const BIG = 999_999_999_999_999;
const TOKENS = [
  "input_tokens",
  "output_tokens",
  "cache_read_tokens",
  "cache_write_tokens",
] as const;

Deno.test("TokenSum is exact past 2**53 in any order, and take() empties it", () => {
  const counts = [MAX, 1, MAX, 2, 0, MAX, 12345, 2 ** 52, 7];
  const want = counts.reduce((a, b) => a + BigInt(b), 0n);
  for (const order of [counts, [...counts].reverse(), [...counts].sort((a, b) => a - b)]) {
    const sum = new TokenSum();
    for (const c of order) sum.add(c);
    assert.equal(sum.value(), want, `${order}`);
    assert.equal(sum.take(), want);
    assert.equal(sum.value(), 0n);
  }
  // Right at the edge: MAX stays in doubles, one more carries.
  const edge = new TokenSum();
  edge.add(MAX - 1);
  edge.add(1);
  assert.equal(edge.value(), BigInt(MAX));
  edge.add(1);
  assert.equal(edge.value(), 2n ** 53n);
});

Deno.test("addCounts and tokenCount: numbers while safe, BigInts past", () => {
  assert.equal(addCounts(1, 2, 3), 6);
  assert.equal(addCounts(MAX), MAX);
  assert.equal(addCounts(MAX, 1), 2n ** 53n);
  assert.equal(addCounts(MAX, 1, 1), 2n ** 53n + 1n);
  assert.equal(addCounts(2n ** 53n, 1), 2n ** 53n + 1n);
  assert.equal(addCounts(1, 2n ** 53n), 2n ** 53n + 1n);
  assert.equal(tokenCount(BigInt(MAX)), MAX);
  assert.equal(tokenCount(2n ** 53n), 2n ** 53n);
  assert.equal(exactJson({ a: [2n ** 53n + 1n, 1], b: "x" }), '{"a":[9007199254740993,1],"b":"x"}');
});

/** Lines of about BIG input tokens (reported: the kernel folds them), two agents; and the events. */
function bigLog(count: number, pover: (i: number) => Record<string, unknown> = () => ({})) {
  const events = Array.from({ length: count }, (_, n) =>
    ev(n + 1, {}, {
      agent: n % 2 ? "a" : "b",
      cost_usd: 0.25,
      input_tokens: BIG - n,
      output_tokens: n % 3 ? BIG : 5,
      cache_read_tokens: n,
      cache_write_tokens: null,
      ...pover(n),
    }));
  const text = events.map((e) => encodeEvent(e)).join("\n") + "\n";
  return { text, events };
}

function want(events: ReturnType<typeof bigLog>["events"], by: GroupKey[]) {
  const sums = new Map<string, bigint[]>();
  for (const e of events) {
    const p = e.payload as unknown as Record<string, number | null>;
    for (const id of [by.length ? String(p[by[0]]) : "", "TOTAL"]) {
      const row = sums.get(id) ?? [0n, 0n, 0n, 0n];
      TOKENS.forEach((k, i) => row[i] += BigInt(p[k] ?? 0));
      sums.set(id, row);
    }
  }
  return sums;
}

function got(partial: CostPartial, by: GroupKey[]) {
  const of = (t: Totals) => TOKENS.map((k) => t[k]);
  const sums = new Map<string, bigint[]>();
  for (const g of partial.groups) sums.set(by.length ? String(g.key[by[0]]) : "", of(g.totals));
  sums.set("TOTAL", of(partial.total));
  return sums;
}

async function withFile<T>(text: string, run: (path: string) => Promise<T>): Promise<T> {
  const path = await Deno.makeTempFile({ suffix: ".jsonl" });
  try {
    await Deno.writeTextFile(path, text);
    return await run(path);
  } finally {
    await Deno.remove(path);
  }
}

Deno.test("the kernel's fold and the JS aggregator (fold off) both sum tokens exactly past 2**53", async () => {
  const { text, events } = bigLog(40);
  for (const by of [[], ["agent"], ["model"]] as GroupKey[][]) {
    for (const fold of [true, false]) {
      const reducer = createReducer({ groupBy: by, pricing: defaultPricing(), filter: {} });
      const plan = reducer.fold;
      assert.ok(plan, `${by}`);
      let folded = 0;
      const counted = {
        ...plan,
        hashes: (v: Float64Array) => (folded += v.length, plan.hashes(v)),
      };
      await withFile(
        text,
        (path) => readLog(path, { ...reducer, fold: fold ? counted : undefined }, () => {}),
      );
      const why = `--group-by ${by} fold ${fold}`;
      assert.deepEqual(got(reducer.result(), by), want(events, by), why);
      // On: the kernel summed lines until a sum would pass 2**53 (then JS took the rest).
      if (fold) assert.ok(folded >= 9 && folded < 40, `${why}: ${folded}`);
      else assert.equal(folded, 0, why);
    }
  }
});

Deno.test("partials each below 2**53 merge past it exactly, after a structured clone", () => {
  const part = (tokens: number): CostPartial => {
    const totals = (): Totals => ({
      ...emptyTotals(),
      event_count: 1,
      input_tokens: BigInt(tokens),
    });
    return { groups: [{ key: { agent: "a" }, totals: totals() }], total: totals(), ids: [] };
  };
  const a = structuredClone(part(MAX));
  const b = structuredClone(part(MAX - 4));
  for (const merged of [mergeResults(a, b), mergeResults(b, a)]) {
    assert.equal(merged.total.input_tokens, 2n * BigInt(MAX) - 4n);
    assert.equal(merged.groups[0].totals.input_tokens, 2n * BigInt(MAX) - 4n);
  }
});

Deno.test("workers over several ranges: each range's sums are safe, their merge is exact", async () => {
  // 64 lines of about 1e15 tokens: a 4 KiB range holds under 9, below 2**53; all pass it.
  const { text, events } = bigLog(64, (n) => ({ output_tokens: BIG, cache_read_tokens: n }));
  const url = new URL("../src/cost/cost_reducer.ts", import.meta.url).href;
  await withFile(text, async (path) => {
    for (const by of [[], ["agent"]] as GroupKey[][]) {
      const init = { groupBy: by, pricing: defaultPricing(), filter: {} };
      const partial = await parallelScan<typeof init, CostPartial>([path], url, init, () => {}, {
        workers: 2,
        minBytes: 0,
        rangeBytes: 4 * 1024,
      });
      assert.deepEqual(got(partial, by), want(events, by), `--group-by ${by}`);
      assert.equal(partial.total.event_count, 64);
    }
  });
});
