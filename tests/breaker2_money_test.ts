/**
 * Sums past what a double holds exactly: token totals past 2**53 and
 * dollar amounts with more than 15-16 significant digits. The rule is
 * exact integers, rounded once on output; these tests hold the outputs to
 * BigInt sums of the JSON.parse'd events.
 */
import assert from "node:assert/strict";
import { encodeEvent } from "../src/event/line_codec.ts";
import { cli } from "./helpers.ts";
import { ev, project } from "./breaker2_helpers.ts";

const MAX = Number.MAX_SAFE_INTEGER;

/** Three events of 2**53 - 1 input tokens (and 0 output) and one of 2: 3 x MAX + 2 exactly. */
async function bigTokens(): Promise<string> {
  const lines = [1, 2, 3, 4].map((i) =>
    encodeEvent(ev(i, {}, { input_tokens: i === 4 ? 2 : MAX, output_tokens: 0 }))
  );
  return await project({ "043-x": lines.join("\n") + "\n" });
}

const EXACT = String(3n * BigInt(MAX) + 2n); // 27021597764222975

Deno.test("export --signal metrics sums tokens exactly past 2**53, in any line order", async () => {
  const root = await bigTokens();
  // The float sum gives 27021597764222976 (or ...972 in another order).
  for (const reverse of [false, true]) {
    if (reverse) {
      const path = `${root}/kitty-specs/043-x/execution.events.jsonl`;
      const text = (await Deno.readTextFile(path)).trimEnd().split("\n").reverse().join("\n");
      await Deno.writeTextFile(path, text + "\n");
    }
    const run = await cli(["export", "--signal", "metrics", "--root", root]);
    assert.equal(run.code, 0, run.stderr);
    const metrics = JSON.parse(run.stdout).resourceMetrics[0].scopeMetrics[0].metrics;
    const tokens = metrics.find((m: { name: string }) => m.name === "kitty.token.usage");
    const input = tokens.sum.dataPoints.find((
      d: { attributes: { value: { stringValue: string } }[] },
    ) => d.attributes.some((a) => a.value.stringValue === "input"));
    assert.equal(input.asInt, EXACT);
  }
});

Deno.test("cost's token total is exact past 2**53", async () => {
  const root = await bigTokens();
  const run = await cli(["cost", "--root", root, "--format", "csv", "--totals"]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout.trim().split("\n")[1].split(",")[1], EXACT);
});

// The CSV and table money columns once printed a double (units -> Number -> toFixed(6)).
Deno.test({
  name: "cost --format csv prints exact dollars of more than 16 digits",
  fn: async () => {
    const costs = [999999999999.9999, 0.000001, 1e12];
    const lines = costs.map((cost_usd, i) => encodeEvent(ev(i + 1, {}, { cost_usd })));
    for (const [n, want] of [[1, "999999999999.999900"], [3, "1999999999999.999901"]] as const) {
      const root = await project({ "043-x": lines.slice(0, n).join("\n") + "\n" });
      const run = await cli(["cost", "--root", root, "--format", "csv", "--totals"]);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stdout.trim().split("\n")[1].split(",")[5], want);
    }
  },
});

Deno.test("the table rounds money once, from the exact sum, not from the 6-decimal double", async () => {
  // $0.00004999 is $0.000050 to 6 decimals; to 4 it is $0.0000 (rounding the 6-decimal
  // double again gave $0.0001).
  const root = await project({ "043-x": encodeEvent(ev(1, {}, { cost_usd: 0.00004999 })) + "\n" });
  const table = await cli(["cost", "--root", root]);
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /^TOTAL .* \$0\.0000 /m);
  const csv = await cli(["cost", "--root", root, "--format", "csv", "--totals"]);
  assert.equal(csv.stdout.trim().split("\n")[1].split(",")[5], "0.000050");
});
