/**
 * Budgets with files a team writes: YAML anchors and merge keys, names that
 * need quoting, spend exactly at the limit and one micro-dollar past it,
 * events written with offsets near a period's end. Exit codes as documented
 * (docs/budgets.md): 0 ok or warn, 2 a bad file, 3 over.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, emitted, tempProject, writeLog } from "./helpers.ts";

const NOW = new Date("2026-12-01T00:10:00.000Z"); // just into December (UTC)

/** A project whose log holds one event per [timestamp, agent, cost_usd]. */
async function project(budgets: string, rows: [string, string, number][]): Promise<string> {
  const root = await tempProject();
  await writeLog(
    root,
    rows.map(([timestamp, agent, cost]) => ({ timestamp, fields: { agent, cost_usd: cost } })),
  );
  await Deno.mkdir(join(root, ".kittify"));
  await Deno.writeTextFile(join(root, ".kittify", "budgets.yaml"), budgets);
  return root;
}

async function budgets(root: string) {
  const run = await cli(["budget", "--root", root, "--json"], { now: NOW });
  const parsed = run.stdout === "" ? null : JSON.parse(run.stdout);
  return { code: run.code, stderr: run.stderr, budgets: parsed?.budgets ?? [] };
}

Deno.test("an anchor with a merge key shares fields between budgets (it was `unknown field <<`)", async () => {
  const root = await project(
    "budgets:\n" +
      "  - &defaults\n    name: first\n    agent: a\n    period: month\n    warn_at: 0.5\n    limit_usd: 4\n" +
      "  - <<: *defaults\n    name: second\n    agent: b\n    limit_usd: 1\n    period: total\n",
    [["2026-12-01T00:01:00Z", "a", 3], ["2026-11-30T00:00:00Z", "b", 0.5]],
  );
  const run = await budgets(root);
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(
    run.budgets.map((
      b: Record<string, unknown>,
    ) => [b.name, b.period, b.warn_at, b.status, b.spent_usd]),
    [
      ["first", "month", 0.5, "warn", 3],
      ["second", "total", 0.5, "warn", 0.5],
    ],
  );
});

Deno.test("names that need quoting in YAML filter exactly what they say", async () => {
  const root = await project(
    "budgets:\n" +
      '  - {name: "colon: yes", agent: "a: b", limit_usd: 1}\n' +
      "  - {name: \"#hash\", agent: '#x', limit_usd: 1}\n" +
      "  - {name: 'yes', agent: 'yes', limit_usd: 1}\n",
    [
      ["2026-12-01T00:01:00Z", "a: b", 0.25],
      ["2026-12-01T00:01:00Z", "#x", 0.5],
      ["2026-12-01T00:01:00Z", "yes", 2],
    ],
  );
  const run = await budgets(root);
  assert.equal(run.code, 3, run.stderr);
  assert.deepEqual(
    run.budgets.map((b: Record<string, unknown>) => [b.name, b.spent_usd, b.status]),
    [["colon: yes", 0.25, "ok"], ["#hash", 0.5, "ok"], ["yes", 2, "over"]],
  );
});

Deno.test("spend exactly at the limit is warn (exit 0); one micro-dollar more is over (exit 3)", async () => {
  const file = "budgets:\n  - {name: m, period: month, limit_usd: 1.5}\n";
  const at = await budgets(await project(file, [["2026-12-01T00:00:00Z", "a", 1.5]]));
  assert.equal(at.code, 0, at.stderr);
  assert.deepEqual([at.budgets[0].status, at.budgets[0].spent_usd, at.budgets[0].remaining_usd], [
    "warn",
    1.5,
    0,
  ]);
  const past = await budgets(
    await project(file, [["2026-12-01T00:00:00Z", "a", 1.5], [
      "2026-12-01T00:00:01Z",
      "a",
      0.000001,
    ]]),
  );
  assert.equal(past.code, 3, past.stderr);
  assert.deepEqual([past.budgets[0].status, past.budgets[0].spent_usd], ["over", 1.500001]);
});

Deno.test("a month counts events by their UTC instant, whatever offset they were written with", async () => {
  const root = await project(
    "budgets:\n  - {name: m, period: month, limit_usd: 100}\n  - {name: w, period: week, limit_usd: 100}\n" +
      "  - {name: d, period: day, limit_usd: 100}\n",
    [
      ["2026-11-30T23:30:00-02:00", "a", 1], // 2026-12-01T01:30Z: December, the day, the week
      ["2026-12-01T00:30:00+02:00", "a", 2], // 2026-11-30T22:30Z: November (same ISO week)
      ["2026-11-30T23:59:59.999999Z", "a", 4], // November, the last microsecond
      ["2026-11-29T23:00:00-01:00", "a", 8], // 2026-11-30T00:00Z: Monday, the week's start
      ["2026-11-29T23:59:59.9999Z", "a", 16], // Sunday: the week before
    ],
  );
  const run = await budgets(root);
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(
    run.budgets.map((b: Record<string, unknown>) => [b.name, b.period_label, b.spent_usd]),
    [["m", "2026-12", 1], ["w", "2026-W49", 15], ["d", "2026-12-01", 1]],
  );
});

Deno.test("a limit given as text, zero or negative is a file error naming the line (exit 2)", async () => {
  for (
    const [limit, message] of [
      ['"50"', /limit_usd must be a number/],
      ["0", /limit_usd must be a number > 0/],
      ["-1", /limit_usd must be a number > 0/],
    ] as const
  ) {
    const run = await budgets(
      await project(`budgets:\n  - name: x\n    limit_usd: ${limit}\n`, []),
    );
    assert.equal(run.code, 2, `${limit}: ${run.stderr}`);
    assert.match(run.stderr, /budgets\.yaml:3: budgets\.0\.limit_usd: /);
    assert.match(run.stderr, message);
  }
});

Deno.test("a key given twice is a file error, not the last value silently", async () => {
  const run = await budgets(
    await project("budgets:\n  - name: x\n    limit_usd: 1\n    limit_usd: 2\n", []),
  );
  assert.equal(run.code, 2, run.stderr);
  assert.match(run.stderr, /budgets\.yaml:4: invalid YAML \(duplicated mapping key\)/);
});

Deno.test("tiny limits show their digits in the table and in emit's warning (they showed 0.0000 and $0.00)", async () => {
  const root = await project(
    "budgets:\n  - {name: tiny, limit_usd: 0.000001}\n  - {name: small, limit_usd: 0.004}\n",
    [["2026-12-01T00:00:00Z", "a", 0.000002]],
  );
  const table = await cli(["budget", "--root", root], { now: NOW });
  assert.equal(table.code, 3, table.stderr);
  const row = table.stdout.split("\n").find((l) => l.startsWith("tiny "))!;
  assert.match(row, /^tiny +total +0\.000002 +0\.000001 +0\.0000 +200\.0% +over +-$/);
  assert.match(table.stdout, /over: "tiny" has spent \$0\.000002 of \$0\.000001 \(exit code 3\)/);
  const emit = await emitted(root, ["--cost-usd", "0.0035", "--check-budgets"], { now: NOW });
  assert.match(emit.stderr, /budget "tiny" is over its limit: \$0\.0035 of \$0\.000001 /);
  assert.match(emit.stderr, /budget "small" is near its limit: \$0\.0035 of \$0\.0040 \(87\.5%\)/);
});

Deno.test("the table rounds spend once, from the exact sum (1.00004999 was 1.0001 through 6 decimals)", async () => {
  const root = await project("budgets:\n  - {name: m, limit_usd: 1234567}\n", [
    ["2026-12-01T00:00:00Z", "a", 1.00004999],
  ]);
  const table = await cli(["budget", "--root", root], { now: NOW });
  assert.equal(table.code, 0, table.stderr);
  assert.match(
    table.stdout,
    /\nm +total +1\.0000 +1,234,567\.0000 +1,234,566\.0000 +0\.0% +ok +-\n/,
  );
});
