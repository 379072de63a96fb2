/**
 * `kitty-telemetry report`: the page's numbers (totals = `cost --json`,
 * failures, savings, percentiles, top runs), its safety (every string from
 * the data escaped), its size (aggregates, not events) and the command's
 * flags. The browser half is `report_browser_test.ts`.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, payload, REPO_ROOT, tempProject } from "./helpers.ts";
import { encodeEvent } from "../src/event/line_codec.ts";
import { decodeLine } from "../src/event/line_codec.ts";
import type { Event } from "../src/event/envelope.ts";
import { defaultPricing } from "../src/cost/builtin_pricing.ts";
import { parallelScan } from "../src/read/parallel_scan.ts";
import { REPORT_REDUCER } from "../src/dynamic_modules.ts";
import {
  createReducer,
  REPORT_GROUPS,
  type ReportPartial,
  type ReportScanInit,
} from "../src/report/report_reducer.ts";
import { type ReportData, reportData } from "../src/report/report_data.ts";
import { renderHtml } from "../src/report/html.ts";

const DEMO = join(REPO_ROOT, "examples", "demo");
const NOW = new Date("2026-03-02T10:00:00.000Z");
const USD = 10n ** 15n;

let serial = 0;
/** One event line; `p` overrides the payload. */
function line(feature: string, p: Record<string, unknown>, timestamp = "2026-03-01T12:00:00Z") {
  serial++;
  const event = {
    event_id: `01KHJVJWDM0HGAGYGX${String(serial).padStart(8, "0")}`,
    event_type: "ExecutionEvent",
    aggregate_id: feature,
    lamport_clock: serial,
    node_id: "n",
    causation_id: null,
    timestamp,
    payload: payload(p),
  } as Event;
  return encodeEvent(event);
}

async function project(logs: Record<string, string[]>): Promise<string> {
  const root = await tempProject();
  for (const [feature, lines] of Object.entries(logs)) {
    await Deno.mkdir(join(root, "kitty-specs", feature), { recursive: true });
    await Deno.writeTextFile(
      join(root, "kitty-specs", feature, "execution.events.jsonl"),
      lines.join("\n") + "\n",
    );
  }
  return root;
}

/** The page's `data-total` fields and values. */
function totalsOf(html: string): Map<string, number> {
  const found = [...html.matchAll(/data-total="([a-z_]+)" data-value="([^"]*)"/g)];
  return new Map(found.map((m) => [m[1], Number(m[2])]));
}

async function report(args: string[]): Promise<string> {
  const run = await cli(["report", "--out", "-", ...args]);
  assert.equal(run.code, 0, run.stderr);
  return run.stdout;
}

async function assertTotalsMatchCost(args: string[]): Promise<string> {
  const html = await report(args);
  const cost = await cli(["cost", "--json", ...args]);
  assert.equal(cost.code, 0, cost.stderr);
  const expected = JSON.parse(cost.stdout).total;
  const shown = totalsOf(html);
  assert.equal(shown.size, 10);
  for (const [field, value] of shown) assert.equal(value, expected[field], field);
  return html;
}

Deno.test("report --help says what it writes; the main help lists it", async () => {
  const help = await cli(["report", "--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--out FILE/);
  assert.match(help.stdout, /kitty-telemetry-report\.html/);
  assert.match((await cli(["--help"])).stdout, /^ {2}report +write an HTML report/m);
});

Deno.test("the demo's report: totals equal cost --json, every section, the time it was made", async () => {
  const html = await assertTotalsMatchCost(["--root", DEMO]);
  for (const id of ["totals", "spend", "features", "who", "outcomes", "top", "pricing"]) {
    assert.match(html, new RegExp(`<section id="${id}"`), id);
  }
  assert.match(html, /Made 2026-03-02T10:00:00\.\d{3}Z/);
  assert.match(html, /data-unpriced="7"/);
  assert.match(html, /<code>local-qwen-coder<\/code>/);
  assert.equal([...html.matchAll(/<script>/g)].length, 1, "one script: the table sorter");
  assert.doesNotMatch(html, /(src|href)="?https?:/, "nothing loaded from the network");
  assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
});

Deno.test("filters are cost's: the page's totals equal cost --json for the same filters", async () => {
  const html = await assertTotalsMatchCost([
    "--root",
    DEMO,
    "--feature",
    "056",
    "--agent",
    "codex",
  ]);
  assert.match(html, /<td>056-mobile-sync<\/td>/);
  assert.doesNotMatch(html, /<td>049-search-indexer<\/td>/);
  // The run statistics are filtered too: only codex's runs are listed, timed and counted.
  const agents = [
    ...html.matchAll(/<td class="text">(claude|codex|copilot|gemini|opencode)<\/td>/g),
  ];
  assert.ok(agents.length > 0);
  assert.deepEqual([...new Set(agents.map((m) => m[1]))], ["codex"]);
  assert.doesNotMatch(html, />claude<title>claude<\/title>/, "no chart has a claude bar");
  const none = await assertTotalsMatchCost(["--root", DEMO, "--agent", "nobody"]);
  assert.match(none, /No spend in this selection/);
});

Deno.test("every string from the data is escaped: a model named <script> does not run", async () => {
  const root = await project({
    "043-x": [
      line("043-x", {
        model: "<script>alert(1)</script>",
        agent: "<img src=x onerror=alert(2)>",
        wp_id: `"><svg onload=alert(3)>`,
        role: "</title><script>alert(4)</script>",
        success: false,
      }),
    ],
  });
  const html = await report(["--root", root]);
  assert.equal([...html.matchAll(/<script/gi)].length, 1, "only the page's own script");
  assert.doesNotMatch(html, /<img|<svg onload/i);
  assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.match(html, /&lt;img src=x onerror=alert\(2\)&gt;/);
  assert.match(html, /&quot;&gt;&lt;svg onload=alert\(3\)&gt;/);
});

/** Decoded events of a project, in file order. */
async function eventsOf(root: string, feature: string): Promise<Event[]> {
  const text = await Deno.readTextFile(
    join(root, "kitty-specs", feature, "execution.events.jsonl"),
  );
  return text.trim().split("\n").map((l) => {
    const d = decodeLine(l);
    assert.ok(d.ok);
    return d.event;
  });
}

function dataOf(sums: ReportPartial): ReportData {
  return reportData(sums, {
    pricing: defaultPricing(),
    now: NOW,
    filters: {},
    skippedLines: 0,
    repeats: { duplicateLines: 0, conflictingIds: [] },
  });
}

Deno.test("what the money bought: failures, cost per success, cache savings, top runs, exactly", async () => {
  const lines = [
    line("043-x", { agent: "a", cost_usd: 1, input_tokens: 10 }),
    line("043-x", { agent: "a", cost_usd: 0.25, success: false }),
    // $0.30 of input and $0.027 of cache reads (under the 200k tier); as input
    // the reads would have cost $0.27, so $0.243 saved.
    line("043-x", {
      agent: "a",
      input_tokens: 100_000,
      output_tokens: 0,
      cache_read_tokens: 90_000,
    }),
    line("044-y", { agent: "b", model: "gpt-5-codex", cost_usd: 2, success: false }),
  ];
  const root = await project({ "043-x": lines.slice(0, 3), "044-y": lines.slice(3) });
  const reducer = createReducer({
    groupBy: [...REPORT_GROUPS],
    pricing: defaultPricing(),
    filter: {},
  });
  reducer.events([...await eventsOf(root, "043-x"), ...await eventsOf(root, "044-y")]);
  const data = dataOf(reducer.result());
  const a = data.outcomes.agent.find((o) => o.key === "a")!;
  assert.deepEqual(a, {
    key: "a",
    runs: 3,
    failed: 1,
    failed_cost: USD / 4n,
    cost_per_success: (USD + 327n * USD / 1000n) / 2n, // ($1 + $0.327) / 2 successes
  });
  const b = data.outcomes.agent.find((o) => o.key === "b")!;
  assert.deepEqual([b.failed, b.failed_cost, b.cost_per_success], [1, 2n * USD, null]);
  assert.deepEqual(data.savings, [{
    model: "claude-sonnet-4-5",
    cache_read_tokens: 90_000,
    saved: 243n * USD / 1000n,
  }]);
  assert.deepEqual(data.top.map((r) => r.cost), [2n * USD, USD, 327n * USD / 1000n, USD / 4n]);
  assert.deepEqual(data.top.map((r) => r.success), [false, true, true, false]);
  assert.deepEqual(data.by.feature.map((s) => [s.key, s.cost]), [
    ["044-y", 2n * USD],
    ["043-x", 1577n * USD / 1000n],
  ]);
  const html = renderHtml(data);
  assert.match(html, /<b>\$2\.25<\/b><span>spent on failed runs/);
  assert.match(html, /<b>\$0\.24<\/b><span>saved by cache reads/);
});

Deno.test("workers and byte views give the same report as one thread over decoded events", async () => {
  const lines: string[] = [];
  for (let i = 0; i < 400; i++) {
    lines.push(line("043-x", {
      agent: ["a", "b", "c"][i % 3],
      model: ["claude-sonnet-4-5", "gpt-5-codex", "x-unpriced"][i % 5 % 3],
      wp_id: `WP0${i % 4}`,
      input_tokens: 1000 + i * 37,
      cache_read_tokens: i % 2 ? 5000 + i : null,
      cost_usd: i % 7 === 0 ? i / 100 : null,
      duration_ms: 1000 + i * 997,
      success: i % 6 !== 0,
    }, new Date(Date.UTC(2026, 2, 1 + (i % 20), 9)).toISOString()));
  }
  const root = await project({ "043-x": lines });
  const path = join(root, "kitty-specs", "043-x", "execution.events.jsonl");
  const init: ReportScanInit = {
    groupBy: [...REPORT_GROUPS],
    pricing: defaultPricing(),
    filter: {},
  };
  const threaded = await parallelScan<ReportScanInit, ReportPartial>(
    [path],
    REPORT_REDUCER.href,
    init,
    (p) => assert.fail(p.message),
    { workers: 2, minBytes: 0, rangeBytes: 4096 },
  );
  const reducer = createReducer(init);
  reducer.events(await eventsOf(root, "043-x"));
  const one = dataOf(reducer.result());
  const many = dataOf(threaded);
  assert.equal(many.total.event_count, 400);
  assert.equal(many.top.length, 20);
  assert.deepEqual(many, one);
});

Deno.test("duration p50 and p90 per agent are within 2.2% of the exact ones", () => {
  const reducer = createReducer({
    groupBy: [...REPORT_GROUPS],
    pricing: defaultPricing(),
    filter: {},
  });
  const events: Event[] = [];
  for (let s = 1; s <= 1000; s++) {
    const decoded = decodeLine(line("043-x", { agent: "a", duration_ms: s * 1000 }));
    assert.ok(decoded.ok);
    events.push(decoded.event);
  }
  reducer.events(events);
  const [d] = dataOf(reducer.result()).durations;
  assert.equal(d.runs, 1000);
  assert.ok(Math.abs(d.p50 - 500_000) / 500_000 <= 0.022, `p50 ${d.p50}`);
  assert.ok(Math.abs(d.p90 - 900_000) / 900_000 <= 0.022, `p90 ${d.p90}`);
});

Deno.test("spend per day over short ranges, per week past 60 days, every period present", async () => {
  const short = await project({
    "043-x": [line("043-x", {}, "2026-03-01T10:00:00Z"), line("043-x", {}, "2026-03-04T10:00:00Z")],
  });
  const day = await report(["--root", short]);
  assert.match(day, /Spend per day/);
  assert.equal([...day.matchAll(/<rect class="bar"/g)].length, 2);
  assert.match(day, />03-02<\/text>.*>03-03<\/text>/s, "the days between are on the axis");
  const long = await project({
    "043-x": [line("043-x", {}, "2026-01-05T10:00:00Z"), line("043-x", {}, "2026-06-01T10:00:00Z")],
  });
  const week = await report(["--root", long]);
  assert.match(week, /Spend per week/);
  assert.match(week, />2026-W02<\/text>/);
  assert.match(week, /<title>2026-W23 · claude-sonnet-4-5: /);
});

Deno.test("a repeated line counts once, as in cost --json, and its run is listed once", async () => {
  const one = line("043-x", { cost_usd: 5 });
  const root = await project({ "043-x": [one, one, line("043-x", { cost_usd: 1 })] });
  const html = await assertTotalsMatchCost(["--root", root]);
  assert.equal(totalsOf(html).get("event_count"), 2);
  assert.equal([...html.matchAll(/<td data-sort="5">\$5\.00<\/td>/g)].length, 1);
  // The breakdowns count it once too: the feature spent $6, not $11.
  assert.match(html, /<td>043-x<\/td><td data-sort="6">\$6\.00<\/td>/);
  assert.match(html, /<title>2026-03-01 · claude-sonnet-4-5: \$6\.00<\/title>/);
});

Deno.test("the file carries aggregates: 100k events make a page as small as 5k do", async () => {
  const build = async (n: number) => {
    const lines: string[] = [];
    for (let i = 0; i < n; i++) {
      lines.push(line(`0${10 + (i % 20)}-f`, {
        agent: `agent-${i % 6}`,
        model: ["claude-sonnet-4-5", "gpt-5-codex", "gemini-2.5-pro", "claude-opus-4-6"][i % 4],
        role: ["implementer", "reviewer", "planner"][i % 3],
        wp_id: `WP0${i % 7}`,
        input_tokens: 1000 + (i % 5000),
        cache_read_tokens: i % 3 ? 20_000 : null,
        duration_ms: 1000 + (i * 7919) % 3_600_000,
        success: i % 9 !== 0,
      }, new Date(Date.UTC(2026, 0, 1) + (i % 90) * 86_400_000).toISOString()));
    }
    const byFeature: Record<string, string[]> = {};
    lines.forEach((l, i) => (byFeature[`0${10 + (i % 20)}-f`] ??= []).push(l));
    const root = await project(byFeature);
    const started = performance.now();
    const html = await assertTotalsMatchCost(["--root", root]);
    console.log(
      `${n} events: ${html.length} bytes in ${Math.round(performance.now() - started)} ms`,
    );
    return html.length;
  };
  const small = await build(5_000);
  const large = await build(100_000);
  assert.ok(large < 200_000, `${large} bytes`);
  assert.ok(Math.abs(large - small) / small < 0.05, `5k events: ${small} bytes, 100k: ${large}`);
});

Deno.test("--out: default file in the current folder, - for stdout, an unwritable path is exit 2", async () => {
  const cwd = await tempProject();
  const made = await cli(["report", "--root", DEMO], { cwd });
  assert.equal(made.code, 0, made.stderr);
  const text = await Deno.readTextFile(join(cwd, "kitty-telemetry-report.html"));
  assert.match(text, /^<!doctype html>/);
  assert.equal(made.stdout, "", "stdout carries no data when writing a file");
  assert.match(made.stderr, /wrote .*kitty-telemetry-report\.html/);
  const bad = await cli(["report", "--root", DEMO, "--out", join(cwd, "no", "such", "x.html")]);
  assert.equal(bad.code, 2);
  assert.match(
    bad.stderr,
    /^error: --out .*: cannot write it \(no folder .*\/no\/such\); give a path/,
  );
  const type = await cli(["report", "--root", DEMO, "--type", "Note"]);
  assert.equal(type.code, 2);
  assert.match(type.stderr, /report only reads ExecutionEvent events/);
});

Deno.test("unpriced events: the models to price, or --model for events that name none", async () => {
  const root = await project({
    "043-x": [line("043-x", { model: null }), line("043-x", { model: "x-local" })],
  });
  const html = await report(["--root", root]);
  assert.match(html, /data-unpriced="2"/);
  assert.match(html, /Models to price .*<code>x-local<\/code>/);
  assert.match(html, /record one with <code>emit --model<\/code>/);
  assert.doesNotMatch(html, /<code>\(none\)<\/code>/);
});

/** The budgets table's rows: name, status and the numbers in their data-* attributes. */
function budgetRows(html: string) {
  return [
    ...html.matchAll(
      /<tr data-budget="([^"]*)" data-status="([a-z]+)" data-spent="([^"]*)" data-limit="([^"]*)" data-fraction="([^"]*)">(.*?)<\/tr>/g,
    ),
  ].map((m) => ({
    name: m[1],
    status: m[2],
    spent: Number(m[3]),
    limit: Number(m[4]),
    fraction: Number(m[5]),
    cells: [...m[6].matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((c) => c[1]),
  }));
}

Deno.test("budgets: the demo's three, as `budget --json` gives them at the report's own instant", async () => {
  const run = await cli(["report", "--out", "-", "--root", DEMO]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stderr, "");
  const html = run.stdout;
  const budget = await cli(["budget", "--json", "--root", DEMO]);
  assert.equal(budget.code, 3, "one demo budget is over");
  const expected = JSON.parse(budget.stdout).budgets as {
    name: string;
    status: string;
    spent_usd: number;
    limit_usd: number;
    fraction_used: number;
  }[];
  const rows = budgetRows(html);
  assert.deepEqual(rows.map((r) => [r.name, r.status]), [
    ["whole project, monthly", "ok"],
    ["search indexer", "warn"],
    ["usage dashboard", "over"],
  ]);
  assert.deepEqual(
    rows.map((r) => [r.name, r.status, r.spent, r.limit, r.fraction]),
    expected.map((b) => [b.name, b.status, b.spent_usd, b.limit_usd, b.fraction_used]),
  );
  // Spent, limit, remaining, used and the status, rounded once from exact money.
  assert.deepEqual(rows[1].cells.filter((_, i) => i !== 5), [
    "search indexer",
    "total",
    "$34.00",
    "$40.00",
    "$6.00",
    "85.0%",
    "warn",
    "—",
  ]);
  assert.equal(rows[2].cells[4], "$0.00", "nothing remains of an overspent budget");
  assert.match(rows[2].cells[5], /width:100\.0%/, "the bar stops at the limit");
  assert.match(html, /data-budgets="over"/);
  // The same now(): the budgets' instant is the one the page says it was made at.
  const made = /Made (\S+) by/.exec(html)![1];
  assert.match(html, new RegExp(`gives them at ${made.replaceAll(".", "\\.")} `));
  assert.ok(
    html.indexOf('<section id="budgets"') < html.indexOf('<section id="spend"'),
    "budgets come right after the totals",
  );
});

Deno.test("budgets: a month's forecast, and names escaped", async () => {
  const usd1 = line("043-x", { cost_usd: 1, model: "m" }, "2026-03-01T12:00:00Z");
  const root = await project({ "043-x": [usd1] });
  await Deno.mkdir(join(root, ".kittify"));
  await Deno.writeTextFile(
    join(root, ".kittify", "budgets.yaml"),
    `budgets:\n  - {name: "<b>march</b>", period: month, limit_usd: 10}\n`,
  );
  const html = await report(["--root", root]);
  const [row] = budgetRows(html);
  assert.equal(row.name, "&lt;b&gt;march&lt;/b&gt;");
  assert.doesNotMatch(html, /<b>march/);
  assert.equal(row.cells[1], "month 2026-03");
  // $1 in the first 34 hours of a 744-hour month: $21.88 at that rate.
  assert.deepEqual([row.status, row.cells[2], row.cells[8]], ["ok", "$1.00", "$21.88"]);
});

Deno.test("budgets: no file says how to add one; a bad file is shown and warned, exit 0", async () => {
  const root = await project({ "043-x": [line("043-x", {})] });
  const none = await cli(["report", "--out", "-", "--root", root]);
  assert.equal(none.code, 0, none.stderr);
  assert.match(none.stdout, /<section id="budgets"/);
  assert.match(none.stdout, /data-budgets="missing">No budgets file at <code>[^<]*budgets\.yaml/);
  assert.match(none.stdout, /docs\/budgets\.md/);
  assert.equal(budgetRows(none.stdout).length, 0);

  await Deno.mkdir(join(root, ".kittify"));
  await Deno.writeTextFile(
    join(root, ".kittify", "budgets.yaml"),
    `budgets:\n  - name: a\n    limit_usd: -5\n`,
  );
  const bad = await cli(["report", "--out", "-", "--root", root]);
  assert.equal(bad.code, 0);
  assert.match(bad.stderr, /^warning: .*budgets\.yaml:3: .*limit_usd must be a number > 0/m);
  assert.match(bad.stdout, /data-budgets="invalid"/);
  assert.match(bad.stdout, /budgets\.yaml:3: .*limit_usd must be a number &gt; 0/);
  assert.match(bad.stdout, /data-total="event_count" data-value="1"/, "the rest still renders");
  assert.equal((await cli(["budget", "--root", root])).code, 2, "budget itself refuses it");
});

Deno.test("report says where it wrote and how many events, one event in the singular", async () => {
  const root = await tempProject();
  const emit = () =>
    cli(["emit", "--root", root, "--feature", "043-x", "--agent", "a", "--role", "r"]);
  const out = join(root, "r.html");
  assert.equal((await emit()).code, 0);
  const one = await cli(["report", "--root", root, "--out", out]);
  assert.match(one.stderr, /^wrote .*r\.html \(\d+ KB, 1 event\); open it in a browser\n$/);
  assert.equal((await emit()).code, 0);
  const two = await cli(["report", "--root", root, "--out", out]);
  assert.match(two.stderr, /\(\d+ KB, 2 events\); open it/);
});
