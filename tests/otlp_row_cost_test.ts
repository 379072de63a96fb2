/**
 * A file export prices each row with `rowCost` (`src/export/row_cost.ts`):
 * the price looked up once per model, reported costs split without their
 * text, estimates in doubles when exact. It must equal `eventCost` for any
 * event: reported costs of every size and precision, priced, unpriced and
 * missing models, token counts up to where doubles stop being exact.
 */
import assert from "node:assert/strict";
import { prng } from "../bench/generate.ts";
import { defaultPricing } from "../src/cost/builtin_pricing.ts";
import { eventCost } from "../src/cost/estimate.ts";
import { findPrice } from "../src/cost/pricing.ts";
import { rowCost, RowPricer } from "../src/export/row_cost.ts";
import { costUsd6, type ExportRow, usd6 } from "../src/export/otlp_mapping.ts";

const SEED = Number(Deno.env.get("KITTY_SEED") ?? Date.now() % 1_000_000);
console.log(`otlp_row_cost_test seed: ${SEED} (replay with KITTY_SEED=${SEED})`);

Deno.test("rowCost, and a row's deferred cost (units made when read), equal eventCost over random events", () => {
  const rand = prng(SEED);
  const table = defaultPricing();
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)];
  const models = [...table.entries.slice(0, 40).map((e) => e.id), "no-such-model", null];
  const count = () =>
    pick([null, 0, 1, 999, 123_456, 2 ** 31, 9_007_199_254, 2 ** 53 - 1, Math.floor(rand() * 1e7)]);
  const kinds = new Set<string>();
  const pricer = new RowPricer(table);
  let bigs = 0;
  let estimates = 0;
  for (let i = 0; i < 20_000; i++) {
    const fields = {
      model: pick(models),
      cost_usd: rand() < 0.3
        ? pick([
          0,
          0.1,
          15.6,
          1e-7,
          0.1234567890123456,
          7.999999,
          8.5,
          123456.789,
          2 ** 53,
          rand() * 10,
        ])
        : null,
      input_tokens: count(),
      output_tokens: count(),
      cache_read_tokens: count(),
      cache_write_tokens: count(),
      cache_write_1h_tokens: pick([null, 0, 5, 2 ** 40]),
    };
    const price = fields.model === null ? undefined : findPrice(table, fields.model);
    const want = eventCost(fields, table);
    assert.deepEqual(
      rowCost(fields, price, table),
      want,
      `${JSON.stringify(fields)} (KITTY_SEED=${SEED})`,
    );
    // The row a file export writes: its 6-decimal estimate from the units as a double.
    const row = { event: { payload: fields } } as unknown as ExportRow;
    pricer.price(row, NaN);
    assert.equal(row.cost.kind, want.kind, `${JSON.stringify(fields)} (KITTY_SEED=${SEED})`);
    if (want.kind === "estimated") {
      estimates++;
      assert.equal(costUsd6(row.cost), usd6(want.units), `${JSON.stringify(fields)}`);
    }
    assert.equal(row.cost.units, want.units, `${JSON.stringify(fields)} (KITTY_SEED=${SEED})`);
    kinds.add(want.kind);
    if (want.units > 2n ** 53n) bigs++;
  }
  // Not vacuous: every kind, and estimates past what doubles hold exactly.
  assert.deepEqual([...kinds].sort(), ["estimated", "reported", "unpriced"]);
  assert.ok(bigs > 100, `${bigs} costs past 2^53 units`);
  assert.ok(estimates > 1000, `${estimates} estimates`);
});

Deno.test("costUsd6 rounds an estimate's units half up to 6 decimals as usd6 does, up to 2^53 units", () => {
  const rand = prng(SEED);
  let checked = 0;
  for (let i = 0; i < 50_000; i++) {
    // Either side of a half micro-dollar, across the whole range (past 2^52 through BigInt).
    const micros = Math.floor(rand() * ((i % 2 === 0 ? 2 ** 52 : 2 ** 53) / 1e9 - 1));
    for (const rest of [0, 1, 499_999_999, 500_000_000, 999_999_999]) {
      const small = micros * 1e9 + rest;
      const cost = { kind: "estimated" as const, units: BigInt(small), small };
      assert.equal(costUsd6(cost), usd6(cost.units), `${small} (KITTY_SEED=${SEED})`);
      checked++;
    }
  }
  assert.equal(checked, 250_000);
});
