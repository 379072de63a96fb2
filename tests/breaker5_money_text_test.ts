/**
 * One event's money, shown by every text output: `cost`'s table and
 * `query --format table` must print the same figure, rounded once from the
 * exact units. `query`'s line rounded twice (to 6 decimals as a double,
 * then to 4 by toLocaleString): $0.0000499996 showed as $0.0001 there and
 * $0.0000 in `cost`; $12,345.67894999 as $12,345.6790 and $12,345.6789.
 */
import assert from "node:assert/strict";
import { cli, emitted, tempProject } from "./helpers.ts";

const NOW = new Date("2026-03-02T10:00:00.000Z");
const COSTS: [string, string][] = [
  ["0.0000499996", "$0.0000"],
  ["12345.67894999", "$12,345.6789"],
  ["0.03125", "$0.0313"],
  ["0.00005", "$0.0001"],
  ["999999.99995", "$1,000,000.0000"],
];

Deno.test("cost's table and query's table line show each event's cost as the same figure", async () => {
  const root = await tempProject();
  for (const [i, [usd]] of COSTS.entries()) {
    await emitted(root, ["--agent", `agent${i}`, "--cost-usd", usd], { now: NOW });
  }
  const cost = await cli(["cost", "--root", root, "--sort", "key"], { now: NOW });
  const query = await cli(["query", "--root", root, "--format", "table"], { now: NOW });
  assert.equal(cost.code, 0, cost.stderr);
  assert.equal(query.code, 0, query.stderr);
  for (const [i, [usd, shown]] of COSTS.entries()) {
    const row = cost.stdout.split("\n").find((l) => l.startsWith(`agent${i} `));
    const line = query.stdout.split("\n").find((l) => l.includes(`  agent${i}  `));
    assert.ok(row !== undefined && line !== undefined, `agent${i}`);
    assert.match(row, new RegExp(` ${shown.replace(/[$.]/g, "\\$&")} `), `cost, ${usd}: ${row}`);
    assert.match(
      line,
      new RegExp(` ${shown.replace(/[$.]/g, "\\$&")}  ok$`),
      `query, ${usd}: ${line}`,
    );
  }
});
