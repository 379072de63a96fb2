/**
 * `kitty-telemetry budget` and `emit --check-budgets`, at the CLI, in a
 * temporary project with a fixed clock: ok, warn and over (exit 3) in every
 * period kind, filters, the forecast, the budgets file's errors.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, referenceProject, tempProject } from "./helpers.ts";
import { yamlLineOf } from "../src/yaml_lines.ts";
import { periodWindow } from "../src/budget/period.ts";
import { keyValue } from "../src/cost/group_keys.ts";

/** Wednesday 2026-03-18, noon UTC: half of the day, 2.5 days of the week, 17.5 of March's 31. */
const NOW = new Date("2026-03-18T12:00:00.000Z");

/** The events, each at its own time: [when, feature, agent, role, wp, model, cost]. */
const EVENTS: [string, string, string, string, string, string, string][] = [
  ["2026-02-27T10:00:00Z", "043-telemetry", "claude", "implementer", "WP01", "gpt-5", "100"],
  ["2026-03-02T09:00:00Z", "043-telemetry", "claude", "implementer", "WP02", "gpt-5", "10"],
  ["2026-03-15T23:59:59Z", "043-telemetry", "claude", "implementer", "WP01", "gpt-5", "0.5"],
  ["2026-03-16T00:00:00Z", "043-telemetry", "codex", "implementer", "WP01", "gpt-5-codex", "4"],
  [
    "2026-03-18T06:00:00Z",
    "044-other",
    "claude",
    "reviewer",
    "WP01",
    "claude-sonnet-4-5-20250929",
    "2",
  ],
];
// In total 116.5; in March 16.5; this week (from Monday 16th) 6; today 2.

async function project(budgets?: string): Promise<string> {
  const root = await tempProject();
  for (const [when, feature, agent, role, wp, model, cost] of EVENTS) {
    const args = ["--feature", feature, "--agent", agent, "--role", role, "--wp", wp];
    const run = await cli(
      ["emit", "--root", root, ...args, "--model", model, "--cost-usd", cost],
      { now: new Date(when) },
    );
    assert.equal(run.code, 0, run.stderr);
  }
  if (budgets !== undefined) await writeBudgets(root, budgets);
  return root;
}

async function writeBudgets(root: string, text: string): Promise<string> {
  await Deno.mkdir(join(root, ".kittify"), { recursive: true });
  const file = join(root, ".kittify", "budgets.yaml");
  await Deno.writeTextFile(file, text);
  return file;
}

interface View {
  status: string;
  at: string;
  budgets_file: string;
  budgets: Record<string, unknown>[];
}

async function budgetJson(root: string, extra: string[] = []) {
  const run = await cli(["budget", "--root", root, "--json", ...extra], { now: NOW });
  assert.ok(run.code === 0 || run.code === 3, run.stderr);
  return { code: run.code, view: JSON.parse(run.stdout) as View, stderr: run.stderr };
}

/** name -> [status, spent_usd] */
function byName(view: View): Record<string, [unknown, unknown]> {
  return Object.fromEntries(view.budgets.map((b) => [b.name, [b.status, b.spent_usd]]));
}

const budgetsOf = (period: string, limits: [string, number][]) =>
  "budgets:\n" +
  limits.map(([name, limit]) =>
    `  - name: ${name}\n    period: ${period}\n    limit_usd: ${limit}\n`
  )
    .join("");

const round6 = (n: number) => Math.round(n * 1e6) / 1e6;

// Per period: what it holds at NOW, and limits that leave it ok, warn and over.
const PERIOD_CASES: [string, number, [number, number, number]][] = [
  ["total", 116.5, [200, 140, 100]],
  ["month", 16.5, [30, 20, 16]],
  ["week", 6, [10, 7, 5]],
  ["day", 2, [5, 2.4, 1.5]],
];

for (const [period, spent, [okLimit, warnLimit, overLimit]] of PERIOD_CASES) {
  Deno.test(`budget: ${period} budgets at ok, warn and over; exit 3 only with one over`, async () => {
    const root = await project(budgetsOf(period, [["a", okLimit], ["b", warnLimit]]));
    const calm = await budgetJson(root);
    assert.equal(calm.code, 0);
    assert.deepEqual(byName(calm.view), { a: ["ok", spent], b: ["warn", spent] });
    assert.equal(calm.view.status, "warn");

    await writeBudgets(
      root,
      budgetsOf(period, [["a", okLimit], ["b", warnLimit], ["c", overLimit]]),
    );
    const over = await budgetJson(root);
    assert.equal(over.code, 3);
    assert.deepEqual(byName(over.view), {
      a: ["ok", spent],
      b: ["warn", spent],
      c: ["over", spent],
    });
    assert.equal(over.view.status, "over");
    assert.deepEqual(over.view.budgets.map((b) => b.remaining_usd), [
      round6(okLimit - spent),
      round6(warnLimit - spent),
      0, // never below 0
    ]);
    const table = await cli(["budget", "--root", root], { now: NOW });
    assert.equal(table.code, 3);
    assert.match(table.stdout, /over: "c" has spent/);
  });
}

Deno.test("budget: spending exactly the limit is warn, not over; warn_at is inclusive", async () => {
  const root = await project(
    "budgets:\n" +
      "  - {name: at-limit, period: day, limit_usd: 2}\n" +
      "  - {name: at-threshold, period: day, limit_usd: 2.5}\n" +
      "  - {name: below-threshold, period: day, limit_usd: 2.5, warn_at: 0.81}\n",
  );
  const { code, view } = await budgetJson(root);
  assert.equal(code, 0);
  assert.deepEqual(byName(view), {
    "at-limit": ["warn", 2],
    "at-threshold": ["warn", 2],
    "below-threshold": ["ok", 2],
  });
  assert.deepEqual(view.budgets.map((b) => b.remaining_usd), [0, 0.5, 0.5]);
  assert.deepEqual(view.budgets.map((b) => b.fraction_used), [1, 0.8, 0.8]);
});

Deno.test("budget: filters take the events cost's flags would (prefix, glob, lists, model spellings)", async () => {
  const root = await project(
    `budgets:
  - {name: prefix, feature: "043", limit_usd: 1000}
  - {name: glob, feature: "04?-oth*", limit_usd: 1000}
  - {name: agents, agent: [codex, gemini], limit_usd: 1000}
  - {name: wp, wp: WP02, limit_usd: 1000}
  - {name: role, role: reviewer, limit_usd: 1000}
  - {name: model, model: Claude-Sonnet-4.5, limit_usd: 1000}
  - {name: both, feature: "043", agent: claude, period: month, limit_usd: 1000}
  - {name: none, agent: nobody, limit_usd: 1000}
`,
  );
  const { view } = await budgetJson(root);
  assert.deepEqual(
    Object.fromEntries(view.budgets.map((b) => [b.name, [b.spent_usd, b.event_count]])),
    {
      prefix: [114.5, 4],
      glob: [2, 1],
      agents: [4, 1],
      wp: [10, 1],
      role: [2, 1],
      model: [2, 1],
      both: [10.5, 2],
      none: [0, 0],
    },
  );
  assert.deepEqual(view.budgets[2].filters, { agent: ["codex", "gemini"] });
});

Deno.test("budget: the forecast is a straight line to the period's end, exact", async () => {
  const root = await project(
    budgetsOf("day", [["d", 100]]) + budgetsOf("week", [["w", 100]]).slice(9) +
      budgetsOf("month", [["m", 100]]).slice(9) + budgetsOf("total", [["t", 1000]]).slice(9),
  );
  const { view } = await budgetJson(root);
  // day: 2 in half a day; week: 6 in 2.5 of 7 days; month: 16.5 in 17.5 of 31 days.
  assert.deepEqual(view.budgets.map((b) => [b.name, b.forecast_usd]), [
    ["d", 4],
    ["w", 16.8],
    ["m", 29.228571],
    ["t", null],
  ]);
  assert.deepEqual(view.budgets.map((b) => [b.period_label, b.period_start, b.period_end]), [
    ["2026-03-18", "2026-03-18T00:00:00.000Z", "2026-03-19T00:00:00.000Z"],
    ["2026-W12", "2026-03-16T00:00:00.000Z", "2026-03-23T00:00:00.000Z"],
    ["2026-03", "2026-03-01T00:00:00.000Z", "2026-04-01T00:00:00.000Z"],
    [null, null, null],
  ]);
  const table = await cli(["budget", "--root", root], { now: NOW });
  assert.match(
    table.stdout,
    /^d +day 2026-03-18 +2\.0000 +100\.0000 +98\.0000 +2\.0% +ok +4\.0000$/m,
  );
  assert.match(table.stdout, /^t +total .* -$/m);
});

Deno.test("budget: no forecast at a period's very first millisecond (nothing elapsed)", async () => {
  const root = await project(budgetsOf("day", [["d", 100]]));
  const midnight = new Date("2026-03-18T00:00:00.000Z");
  const run = await cli(["budget", "--root", root, "--json"], { now: midnight });
  assert.equal(run.code, 0, run.stderr);
  const [day] = JSON.parse(run.stdout).budgets;
  assert.deepEqual([day.spent_usd, day.forecast_usd], [2, null]);
});

Deno.test("budget: one scan serves budgets of several periods (from the earliest window on)", async () => {
  const root = await project(
    budgetsOf("day", [["d", 100]]) + budgetsOf("month", [["m", 100]]).slice(9) +
      budgetsOf("week", [["w", 100]]).slice(9),
  );
  // A clock ahead of ours: later this week and month, not today; still in their periods.
  const ahead = await cli(
    [
      "emit",
      "--root",
      root,
      "--feature",
      "045-x",
      "--agent",
      "a",
      "--role",
      "r",
      "--cost-usd",
      "1",
    ],
    { now: new Date("2026-03-20T08:00:00Z") },
  );
  assert.equal(ahead.code, 0);
  const { view } = await budgetJson(root);
  assert.deepEqual(byName(view), { d: ["ok", 2], m: ["ok", 17.5], w: ["ok", 7] });
});

Deno.test("budget: weeks start on Monday 00:00 UTC, also across a year's end", () => {
  const sunday = Date.UTC(2026, 2, 22, 23, 59);
  assert.equal(periodWindow("week", sunday)?.start, Date.UTC(2026, 2, 16));
  assert.equal(periodWindow("week", Date.UTC(2026, 2, 23))?.start, Date.UTC(2026, 2, 23));
  assert.deepEqual(periodWindow("week", Date.UTC(2027, 0, 1, 5)), {
    start: Date.UTC(2026, 11, 28),
    end: Date.UTC(2027, 0, 4),
  });
  assert.deepEqual(periodWindow("month", Date.UTC(2028, 1, 29, 23)), {
    start: Date.UTC(2028, 1, 1),
    end: Date.UTC(2028, 2, 1),
  });
});

Deno.test("budget: spend is what cost gives (estimates, reported costs, each event once)", async () => {
  const root = await referenceProject();
  await writeBudgets(root, "budgets:\n  - {name: all, limit_usd: 1000000}\n");
  const cost = await cli(["cost", "--root", root, "--json"], { now: NOW });
  assert.equal(cost.code, 0, cost.stderr);
  const total = JSON.parse(cost.stdout).total;
  const { view } = await budgetJson(root);
  assert.ok(total.event_count > 0);
  assert.equal(view.budgets[0].spent_usd, total.total_cost_usd);
  assert.equal(view.budgets[0].event_count, total.event_count);
});

Deno.test("budget --json: the shape", async () => {
  const root = await project(
    "budgets:\n  - {name: t, feature: '043', period: month, limit_usd: 50, warn_at: 0.3}\n",
  );
  const { view } = await budgetJson(root);
  assert.deepEqual(Object.keys(view), ["budgets_file", "at", "status", "budgets"]);
  assert.equal(view.budgets_file, join(root, ".kittify", "budgets.yaml"));
  assert.equal(view.at, NOW.toISOString());
  assert.deepEqual(view.budgets, [{
    name: "t",
    filters: { feature: ["043"] },
    period: "month",
    period_label: "2026-03",
    period_start: "2026-03-01T00:00:00.000Z",
    period_end: "2026-04-01T00:00:00.000Z",
    spent_usd: 14.5,
    limit_usd: 50,
    remaining_usd: 35.5,
    fraction_used: 0.29,
    warn_at: 0.3,
    status: "ok",
    forecast_usd: 25.685714,
    event_count: 3,
    unpriced_event_count: 0,
  }]);
});

const MALFORMED: [string, string, RegExp][] = [
  ["bad YAML", "budgets:\n  - name: a\n    limit_usd: [5\n  - name: b\n", /:4: invalid YAML/],
  [
    "an unknown field",
    "budgets:\n  - name: a\n    limit_usd: 5\n    colour: red\n",
    /:4: budgets\.0: unknown field colour/,
  ],
  [
    "a negative limit",
    "budgets:\n  - name: a\n    limit_usd: 5\n  - name: b\n    limit_usd: -5\n",
    /:5: budgets\.1\.limit_usd: limit_usd must be a number > 0/,
  ],
  [
    "a limit that is not a number",
    "budgets:\n  - name: a\n    limit_usd: fifty\n",
    /:3: budgets\.0\.limit_usd: limit_usd must be a number/,
  ],
  [
    "warn_at of 0",
    "budgets:\n  - name: a\n    limit_usd: 5\n    warn_at: 0\n",
    /:4: budgets\.0\.warn_at: warn_at must be a fraction of the limit in \(0, 1\]/,
  ],
  [
    "warn_at above 1",
    "budgets:\n  - name: a\n    limit_usd: 5\n  - name: b\n    warn_at: 1.5\n    limit_usd: 5\n",
    /:5: budgets\.1\.warn_at: warn_at must be a fraction/,
  ],
  [
    "an unknown period",
    "budgets:\n  - name: a\n    period: year\n    limit_usd: 5\n",
    /:3: budgets\.0\.period: period must be one of total, day, week, month/,
  ],
  [
    "a name given twice",
    "budgets:\n  - name: a\n    limit_usd: 5\n  - name: a\n    limit_usd: 6\n",
    /:4: budgets\.1\.name: "a" is the name of an earlier budget/,
  ],
  [
    "a feature YAML reads as a number",
    "budgets:\n  - name: a\n    feature: 043\n    limit_usd: 5\n",
    /:3: budgets\.0\.feature: expected text .*quote a value YAML would read as a number: '043'/,
  ],
  ["not a mapping", "- a\n- b\n", /:1: expected a mapping holding a `budgets:` list/],
  ["no budgets list", "budget:\n  - name: a\n", /:1: budgets: budgets must be a list of budgets/],
];

for (const [what, text, expected] of MALFORMED) {
  Deno.test(`budget: a budgets file with ${what} is an error naming file and line (exit 2)`, async () => {
    const root = await tempProject();
    const file = await writeBudgets(root, text);
    const run = await cli(["budget", "--root", root], { now: NOW });
    assert.equal(run.code, 2);
    assert.equal(run.stdout, "");
    assert.ok(run.stderr.startsWith(`error: ${file}:`), run.stderr);
    assert.match(run.stderr, expected);
  });
}

Deno.test("budget: warn_at 1 is allowed (warn only at the limit)", async () => {
  const root = await project("budgets:\n  - {name: a, period: day, limit_usd: 2.01, warn_at: 1}\n");
  assert.deepEqual(byName((await budgetJson(root)).view), { a: ["ok", 2] });
});

Deno.test("budget: a missing budgets file says where and how to make one (exit 2)", async () => {
  const root = await project();
  const run = await cli(["budget", "--root", root], { now: NOW });
  assert.equal(run.code, 2);
  const file = join(root, ".kittify", "budgets.yaml");
  assert.equal(
    run.stderr,
    `error: no budgets file at ${file}: create it with a \`budgets:\` list (see ` +
      "`kitty-telemetry budget --help`), or name one with --budgets FILE\n",
  );
  const named = await cli(["budget", "--root", root, "--budgets", join(root, "x.yaml")]);
  assert.match(named.stderr, /no budgets file at .*x\.yaml/);
});

Deno.test("budget --budgets FILE reads that file instead", async () => {
  const root = await project("budgets:\n  - {name: project, limit_usd: 1}\n");
  await Deno.writeTextFile(
    join(root, "other.yaml"),
    "budgets:\n  - {name: other, limit_usd: 1000}\n",
  );
  const { code, view } = await budgetJson(root, ["--budgets", join(root, "other.yaml")]);
  assert.equal(code, 0);
  assert.deepEqual(byName(view), { other: ["ok", 116.5] });
});

Deno.test("emit --check-budgets warns when the new event takes a budget to warn or over; exit 0", async () => {
  const root = await project(
    `budgets:
  - {name: today, period: day, limit_usd: 5}
  - {name: other feature, feature: "044", period: day, limit_usd: 1}
  - {name: roomy, period: day, limit_usd: 100}
`,
  );
  const emit = (cost: string) =>
    cli([
      "emit",
      "--root",
      root,
      "--feature",
      "043-telemetry",
      "--agent",
      "claude",
      "--role",
      "implementer",
      "--cost-usd",
      cost,
      "--check-budgets",
    ], { now: NOW });
  const first = await emit("1"); // today: 3 of 5
  assert.equal(first.code, 0);
  assert.equal(first.stderr, "");
  const second = await emit("1.5"); // today: 4.5 of 5
  assert.equal(second.code, 0);
  assert.match(second.stdout, /^[0-9A-Z]{26}\n$/);
  assert.equal(
    second.stderr,
    'warning: budget "today" is near its limit: $4.5000 of $5.0000 (90.0%) in day 2026-03-18; ' +
      "see `kitty-telemetry budget`\n",
  );
  const third = await emit("1"); // today: 5.5 of 5; "other feature" is over but not touched
  assert.equal(third.code, 0);
  assert.match(third.stderr, /^warning: budget "today" is over its limit: \$5\.5000 of \$5\.0000/);
  assert.doesNotMatch(third.stderr, /other feature|roomy/);
  const { view } = await budgetJson(root);
  assert.equal(view.budgets[0].spent_usd, 5.5); // every event was recorded
});

Deno.test("emit --check-budgets never fails the emit: a missing or bad file is a warning", async () => {
  const root = await project();
  const args = ["emit", "--root", root, "--feature", "043-x", "--agent", "a", "--role", "r"];
  const missing = await cli([...args, "--check-budgets"], { now: NOW });
  assert.equal(missing.code, 0);
  assert.match(
    missing.stderr,
    /^warning: --check-budgets: no budgets file at .*\(the event is recorded\)\n$/,
  );
  await writeBudgets(root, "budgets:\n  - {name: a, limit_usd: -1}\n");
  const bad = await cli([...args, "--check-budgets"], { now: NOW });
  assert.equal(bad.code, 0);
  assert.match(bad.stderr, /^warning: --check-budgets: .*budgets\.yaml:2: budgets\.0\.limit_usd/);
  const without = await cli(args, { now: NOW });
  assert.equal(without.stderr, "");
});

Deno.test("budget --help and the main help document exit code 3", async () => {
  const help = await cli(["budget", "--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /3 some budget is over/);
  assert.match(help.stdout, /feature, wp, agent, role, model/);
  const main = await cli(["--help"]);
  assert.match(main.stdout, /budget +spend against the budgets/);
  assert.match(main.stdout, /3 over budget/);
  const emit = await cli(["emit", "--help"]);
  assert.match(emit.stdout, /--check-budgets/);
});

Deno.test("yamlLineOf follows list items and keys down the indentation", () => {
  const text = [
    "budgets:",
    "  # a comment",
    "  - name: a",
    "    limit_usd: 1",
    "  - name: b",
    "    period: day",
    "    limit_usd: 2",
  ].join("\n");
  assert.equal(yamlLineOf(text, ["budgets", 1, "limit_usd"]), 7);
  assert.equal(yamlLineOf(text, ["budgets", 0, "limit_usd"]), 4);
  assert.equal(yamlLineOf(text, ["budgets", 1, "name"]), 5);
  // Not in that item: the item's line, never a later item's key.
  assert.equal(yamlLineOf(text, ["budgets", 0, "period"]), 3);
  assert.equal(yamlLineOf(text, ["budgets", 5]), 1);
});

Deno.test("cost's day and month keys (what budgets add up by) equal Date's UTC calendar", () => {
  let seed = 20260318;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const instants = [0, -1, Date.UTC(2024, 1, 29, 23, 59, 59, 999), Date.UTC(2000, 2, 1)];
  for (let i = 0; i < 20_000; i++) instants.push(Math.floor(next() * 253_402_300_799_999));
  for (const ms of instants.filter((t) => t >= 0 || t === -1)) {
    const iso = new Date(ms).toISOString();
    const event = { aggregate_id: "x", timestamp: iso, payload: {} } as never;
    assert.equal(keyValue(event, "day"), iso.slice(0, 10), iso);
    assert.equal(keyValue(event, "month"), iso.slice(0, 7), iso);
  }
});
