/**
 * Budgets pushed to their edges at the CLI: limits and thresholds too small
 * to be kept or shown, object property names as filter values, ISO week 53.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, tempProject } from "./helpers.ts";

const NOW = new Date("2026-12-31T12:00:00.000Z"); // a Thursday, in ISO week 2026-W53

async function project(budgets: string, emits: string[][] = []): Promise<string> {
  const root = await tempProject();
  await Deno.mkdir(join(root, "kitty-specs"));
  for (const args of emits) {
    const run = await cli(["emit", "--root", root, "--role", "implementer", ...args], { now: NOW });
    assert.equal(run.code, 0, run.stderr);
  }
  await Deno.mkdir(join(root, ".kittify"));
  await Deno.writeTextFile(join(root, ".kittify", "budgets.yaml"), budgets);
  return root;
}

Deno.test("a limit below the 6 decimals money is shown to is a file error (line), not a crash", async () => {
  for (const limit of ["1e-16", "4e-16", "1e-7", "0.0000009"]) {
    const root = await project(`budgets:\n  - name: tiny\n    limit_usd: ${limit}\n`);
    const run = await cli(["budget", "--root", root, "--json"], { now: NOW });
    assert.equal(run.code, 2, `${limit}: ${run.stderr}`);
    assert.match(run.stderr, /budgets\.yaml:3: budgets\.0\.limit_usd: .*at least 0\.000001/);
    assert.equal(run.stdout, "");
  }
});

Deno.test("the smallest limit shown is kept exactly, and spending past it is over", async () => {
  const root = await project("budgets:\n  - {name: tiny, limit_usd: 0.000001}\n", [
    ["--feature", "043-x", "--agent", "a", "--cost-usd", "0.000002"],
  ]);
  const run = await cli(["budget", "--root", root, "--json"], { now: NOW });
  assert.equal(run.code, 3, run.stderr);
  const [b] = JSON.parse(run.stdout).budgets;
  assert.deepEqual([b.limit_usd, b.spent_usd, b.fraction_used, b.status], [
    0.000001,
    0.000002,
    2,
    "over",
  ]);
});

Deno.test("a warn_at too small to keep is a file error, not a budget that always warns", async () => {
  for (const warnAt of ["1e-20", "0.0000009"]) {
    const root = await project(`budgets:\n  - name: a\n    limit_usd: 1\n    warn_at: ${warnAt}\n`);
    const run = await cli(["budget", "--root", root, "--json"], { now: NOW });
    assert.equal(run.code, 2, `${warnAt}: ${run.stderr}`);
    assert.match(run.stderr, /budgets\.yaml:4: budgets\.0\.warn_at: .*0\.000001/);
  }
});

Deno.test("filter values that are object property names match only themselves", async () => {
  const root = await project(
    "budgets:\n" +
      "  - {name: ctor, agent: constructor, limit_usd: 1}\n" +
      "  - {name: proto, agent: __proto__, limit_usd: 1}\n" +
      "  - {name: tostr, model: toString, limit_usd: 1}\n",
    [
      ["--feature", "043-x", "--agent", "__proto__", "--cost-usd", "0.5"],
      [
        "--feature",
        "043-x",
        "--agent",
        "constructor",
        "--model",
        "toString",
        "--input-tokens",
        "9",
      ],
    ],
  );
  const run = await cli(["budget", "--root", root, "--json"], { now: NOW });
  assert.equal(run.code, 0, run.stderr);
  const got = JSON.parse(run.stdout).budgets.map((
    b: Record<string, unknown>,
  ) => [b.name, b.spent_usd, b.event_count, b.unpriced_event_count]);
  assert.deepEqual(got, [["ctor", 0, 1, 1], ["proto", 0.5, 1, 0], ["tostr", 0, 1, 1]]);
});

Deno.test("the week holding 2026-12-31 is 2026-W53, from Monday 28th to 4 January", async () => {
  const root = await project("budgets:\n  - {name: w, period: week, limit_usd: 10}\n", [
    ["--feature", "043-x", "--agent", "a", "--cost-usd", "1"],
  ]);
  for (const now of ["2026-12-28T00:00:00.000Z", "2027-01-03T23:59:59.999Z"]) {
    const run = await cli(["budget", "--root", root, "--json"], { now: new Date(now) });
    const [b] = JSON.parse(run.stdout).budgets;
    assert.deepEqual(
      [b.period_label, b.period_start, b.period_end, b.spent_usd],
      ["2026-W53", "2026-12-28T00:00:00.000Z", "2027-01-04T00:00:00.000Z", 1],
    );
  }
});

Deno.test("a budgets file of comments only, or an empty filter list, is an error that says what to write", async () => {
  const cases: [string, RegExp][] = [
    ["# budgets: none yet\n\n", /budgets\.yaml:1: budgets: budgets must be a list of budgets/],
    [
      "budgets:\n  - name: a\n    agent: []\n    limit_usd: 1\n",
      /budgets\.yaml:3: budgets\.0\.agent: .*must not be empty \(leave the filter out/,
    ],
  ];
  for (const [text, message] of cases) {
    const root = await project(text);
    const run = await cli(["budget", "--root", root], { now: NOW });
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, message);
    assert.doesNotMatch(run.stderr, /invalid YAML|Too small/);
  }
});
