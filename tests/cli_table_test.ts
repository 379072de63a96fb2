/**
 * `cost` as people read it (issue 16, "a table people can read"): order,
 * breakdown, fitting the terminal, key columns, extra columns, notes on
 * stderr, and CSV that keeps its shape. Every case runs the CLI.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, REPO_ROOT, tempProject } from "./helpers.ts";
import { parallelScan } from "../src/read/parallel_scan.ts";
import { DURATION_REDUCER } from "../src/dynamic_modules.ts";
import { type DurationPartial, mergeResults } from "../src/report/duration_sums.ts";
import type { CostScanInit } from "../src/cost/cost_reducer.ts";
import { defaultPricing } from "../src/cost/builtin_pricing.ts";

interface Run {
  day: string;
  agent: string;
  model?: string;
  cost?: string;
  input?: number;
  cache?: number;
  failed?: boolean;
  duration?: number;
}

async function project(runs: Run[]): Promise<string> {
  const root = await tempProject();
  for (const r of runs) {
    const args = [
      "emit",
      "--root",
      root,
      "--feature",
      "043-x",
      "--agent",
      r.agent,
      "--role",
      "impl",
    ];
    if (r.model) args.push("--model", r.model);
    if (r.cost) args.push("--cost-usd", r.cost);
    if (r.input !== undefined) args.push("--input-tokens", String(r.input));
    if (r.cache !== undefined) args.push("--cache-read-tokens", String(r.cache));
    if (r.failed) args.push("--failure");
    if (r.duration !== undefined) args.push("--duration-ms", String(r.duration));
    const run = await cli(args, { now: new Date(`${r.day}T10:00:00Z`) });
    assert.equal(run.code, 0, run.stderr);
  }
  return root;
}

// Costs chosen so cost order, time order and event order all differ.
const RUNS: Run[] = [
  { day: "2026-03-03", agent: "codex", model: "gpt-5-codex", cost: "4", input: 1_000 },
  { day: "2026-03-01", agent: "claude", model: "claude-sonnet-4-5", cost: "5", input: 20 },
  { day: "2026-03-02", agent: "codex", model: "gpt-5-codex", cost: "0.5", input: 300 },
  { day: "2026-03-02", agent: "claude", model: "claude-opus-4-6", cost: "2", failed: true },
  { day: "2026-03-02", agent: "gemini", model: "local-thing", input: 50_000 },
];

/** The table's cells, cut where the rule line's dashes say the columns are (the `prices:` line left out). */
function cells(stdout: string): string[][] {
  const lines = stdout.split("\n").filter((l) => !l.startsWith("prices: "));
  const spans = [...lines[1].matchAll(/-+/g)].map((m) => [m.index!, m.index! + m[0].length]);
  return lines.filter((l, i) => l !== "" && i !== 1 && !/^-+ /.test(l))
    .map((l) => spans.map(([a, b], i) => l.slice(i === 0 ? 0 : a - 2, b).trim()));
}

/** Column `n` of the body rows (header, rules and TOTAL left out). */
const column = (stdout: string, n = 0) =>
  cells(stdout).slice(1).filter((r) => r[0] !== "TOTAL").map((r) => r[n]);

Deno.test("time groups sort by time, ascending; other groups by cost, descending", async () => {
  const root = await project(RUNS);
  const day = await cli(["cost", "--root", root, "--group-by", "day"]);
  assert.deepEqual(column(day.stdout), ["2026-03-01", "2026-03-02", "2026-03-03"]);
  const json = JSON.parse(
    (await cli(["cost", "--root", root, "--group-by", "week", "--json"])).stdout,
  );
  assert.deepEqual(json.groups.map((g: { group_key: string }) => g.group_key), [
    "2026-W09",
    "2026-W10",
  ]);
  const month = await cli(["cost", "--root", root, "--group-by", "day", "--json"]);
  assert.deepEqual(
    JSON.parse(month.stdout).groups.map((g: { group_key: string }) => g.group_key),
    ["2026-03-01", "2026-03-02", "2026-03-03"],
  );
  const agent = await cli(["cost", "--root", root]);
  assert.deepEqual(column(agent.stdout), ["claude", "codex", "gemini"]); // $7, $4.5, —
  // By cost the days would be 03-01 ($5), 03-03 ($4), 03-02 ($2.5): time wins.
});

Deno.test("--sort key|cost|events|tokens and --reverse choose the order", async () => {
  const root = await project(RUNS);
  const order = async (...args: string[]) =>
    column((await cli(["cost", "--root", root, "--group-by", "day", ...args])).stdout);
  assert.deepEqual(await order("--sort", "cost"), ["2026-03-01", "2026-03-03", "2026-03-02"]);
  assert.deepEqual(await order("--sort", "events"), ["2026-03-02", "2026-03-01", "2026-03-03"]);
  assert.deepEqual(await order("--sort", "tokens"), ["2026-03-02", "2026-03-03", "2026-03-01"]);
  assert.deepEqual(await order("--reverse"), ["2026-03-03", "2026-03-02", "2026-03-01"]);
  const agents = async (...args: string[]) =>
    column((await cli(["cost", "--root", root, ...args])).stdout);
  assert.deepEqual(await agents("--sort", "key", "--reverse"), ["gemini", "codex", "claude"]);
  const bad = await cli(["cost", "--root", root, "--sort", "tokns"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^error: --sort: .* got "tokns" \(did you mean tokens\?\)\n$/);
});

Deno.test("--breakdown adds a row per model under each group (table and JSON)", async () => {
  const root = await project(RUNS);
  const run = await cli(["cost", "--root", root, "--breakdown"]);
  assert.equal(run.code, 0, run.stderr);
  const table = cells(run.stdout);
  assert.deepEqual(table[0].slice(0, 3), ["Agent", "Model", "Input Tokens"]);
  const cost = table[0].indexOf("Cost (USD)");
  assert.deepEqual(table.slice(1).map((r) => [r[0], r[1], r[cost]]), [
    ["claude", "", "$7.0000"],
    ["", "claude-sonnet-4-5", "$5.0000"],
    ["", "claude-opus-4-6", "$2.0000"],
    ["codex", "", "$4.5000"],
    ["", "gpt-5-codex", "$4.5000"],
    ["gemini", "", "—"],
    ["", "local-thing", "—"],
    ["TOTAL", "", "$11.5000"],
  ]);
  const json = JSON.parse((await cli(["cost", "--root", root, "--breakdown", "--json"])).stdout);
  assert.equal(json.breakdown_by, "model");
  const claude = json.groups[0];
  assert.deepEqual(
    claude.breakdown.map((b: { key: { model: string }; total_cost_usd: number }) => [
      b.key.model,
      b.total_cost_usd,
    ]),
    [["claude-sonnet-4-5", 5], ["claude-opus-4-6", 2]],
  );
  assert.equal(claude.total_cost_usd, 7);
});

Deno.test("the table fits: at 80 columns, COLUMNS or --compact it drops to the narrow set", async () => {
  const root = await project(RUNS);
  const headers = (run: { stdout: string }) => cells(run.stdout)[0];
  const NARROW = ["Agent", "Model", "Input", "Output", "Cache", "Cost", "Events"];
  const wide = await cli(["cost", "--root", root, "--group-by", "agent,model"]);
  assert.ok(wide.stdout.split("\n")[0].length > 80);
  assert.deepEqual(headers(wide).slice(2, 4), ["Input Tokens", "Output Tokens"]);
  const byEnv = await cli(["cost", "--root", root, "--group-by", "agent,model"], {
    env: { COLUMNS: "80" },
  });
  assert.deepEqual(headers(byEnv), NARROW);
  assert.ok(byEnv.stdout.split("\n").every((l) => l.length <= 80), byEnv.stdout);
  const wideEnv = await cli(["cost", "--root", root, "--group-by", "agent,model"], {
    env: { COLUMNS: "200" },
  });
  assert.deepEqual(headers(wideEnv), headers(wide));
  const flag = await cli(["cost", "--root", root, "--group-by", "agent,model", "--compact"]);
  assert.deepEqual(flag, byEnv);
  // Thousands separators and $, and a dash where nothing is priced.
  const rows = cells(flag.stdout);
  assert.deepEqual(rows.find((r) => r[0] === "gemini"), [
    "gemini",
    "local-thing",
    "50,000",
    "0",
    "0",
    "—",
    "1",
  ]);
  assert.deepEqual(rows.at(-1), ["TOTAL", "", "51,320", "0", "0", "$11.5000", "5"]);
});

Deno.test("combined group keys are separate columns, not a/b/c", async () => {
  const root = await project(RUNS);
  const run = await cli(["cost", "--root", root, "--group-by", "agent,model,day"]);
  const table = cells(run.stdout);
  assert.deepEqual(table[0].slice(0, 3), ["Agent", "Model", "Day"]);
  assert.deepEqual(table[1].slice(0, 3), ["claude", "claude-sonnet-4-5", "2026-03-01"]);
  assert.doesNotMatch(run.stdout, /claude\//);
  const csv = await cli(["cost", "--root", root, "--group-by", "agent,model", "--format", "csv"]);
  assert.match(csv.stdout, /^Agent,Model,Input Tokens,/);
  assert.match(csv.stdout, /\r\nclaude,claude-sonnet-4-5,20,/);
  const md = await cli([
    "cost",
    "--root",
    root,
    "--group-by",
    "agent,model",
    "--format",
    "markdown",
  ]);
  assert.match(md.stdout, /^\| Agent \| Model \| Input Tokens \|/);
});

Deno.test("--columns reported,estimated,success,failed_cost: values per group and total", async () => {
  const root = await project([
    ...RUNS,
    // estimated: 100,000 input tokens of claude-sonnet-4-5 at $3 per million
    { day: "2026-03-04", agent: "claude", model: "claude-sonnet-4-5", input: 100_000 },
  ]);
  const args = ["cost", "--root", root, "--columns", "reported,estimated,success,failed_cost"];
  const table = cells((await cli(args)).stdout);
  const at = (name: string) => table[0].indexOf(name);
  const pick = (row: string[]) =>
    ["Reported (USD)", "Estimated (USD)", "Success", "Failed Cost (USD)"].map((h) => row[at(h)]);
  assert.deepEqual(pick(table[1]), ["$7.0000", "$0.3000", "66.7%", "$2.0000"]); // claude
  assert.deepEqual(pick(table[2]), ["$4.5000", "$0.0000", "100.0%", "$0.0000"]); // codex
  assert.deepEqual(pick(table.at(-1)!), ["$11.5000", "$0.3000", "83.3%", "$2.0000"]);
  const json = JSON.parse((await cli([...args, "--json"])).stdout);
  assert.deepEqual([json.total.failed_event_count, json.total.failed_cost_usd], [1, 2]);
  // --success true leaves no failed run to count.
  const ok = JSON.parse((await cli([...args, "--json", "--success", "true"])).stdout);
  assert.deepEqual([ok.total.failed_event_count, ok.total.failed_cost_usd], [0, 0]);
  const bad = await cli(["cost", "--root", root, "--columns", "sucess"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /did you mean success\?/);
});

Deno.test("--columns duration: total and p50 per group and breakdown row, each id once", async () => {
  const sonnet = "claude-sonnet-4-5";
  const root = await project([
    { day: "2026-03-01", agent: "claude", model: sonnet, cost: "1", duration: 60_000 },
    { day: "2026-03-02", agent: "claude", model: sonnet, cost: "1", duration: 120_000 },
    { day: "2026-03-03", agent: "claude", model: "claude-opus-4-6", cost: "1", duration: 600_000 },
    { day: "2026-03-02", agent: "codex", model: "gpt-5-codex", cost: "1", duration: 5_000 },
    { day: "2026-03-03", agent: "codex", model: "gpt-5-codex", cost: "1" }, // no duration: 0 ms
  ]);
  // The 600 s run's line repeated, and a copy of it with other content (later clock, so not
  // counted): neither adds its duration (nor moves a median), as neither adds its cost.
  const log = join(root, "kitty-specs", "043-x", "execution.events.jsonl");
  const lines = (await Deno.readTextFile(log)).trimEnd().split("\n");
  const conflict = JSON.parse(lines[2]);
  conflict.lamport_clock += 100;
  conflict.payload.duration_ms = 9_000_000;
  await Deno.writeTextFile(log, [...lines, lines[2], JSON.stringify(conflict)].join("\n") + "\n");

  const args = ["cost", "--root", root, "--group-by", "agent", "--columns", "duration"];
  const run = await cli(args);
  assert.match(run.stderr, /1 duplicate line\(s\) ignored/);
  assert.match(run.stderr, /1 id\(s\) on lines with different content/);
  const table = cells(run.stdout);
  const at = (name: string) => table[0].indexOf(name);
  const pick = (row: string[]) => [row[0], row[at("Duration")], row[at("p50 Duration")]];
  // p50s are read at their histogram bucket's middle: 117,618 ms for 120,000 (within 2.2%).
  assert.deepEqual(table.slice(1).map(pick), [
    ["claude", "13.0 min", "2.0 min"], // 60 + 120 + 600 s; the median run took 120 s
    ["codex", "5.0 s", "0 ms"], // 5 s and 0 s; rank ceil(0.5 * 2) = 1: the 0 ms run
    ["TOTAL", "13.1 min", "59 s"], // the third of five: 60 s, read as 58,809 ms
  ]);
  const json = JSON.parse((await cli([...args, "--json", "--breakdown"])).stdout);
  const times = (r: { total_duration_ms: number; duration_p50_ms: number | null }) => [
    r.total_duration_ms,
    r.duration_p50_ms,
  ];
  assert.deepEqual(times(json.total), [785_000, 58_809]);
  assert.deepEqual(json.groups.map(times), [[780_000, 117_618], [5_000, 0]]);
  assert.deepEqual(json.groups[0].breakdown.map(times), [[180_000, 58_809], [600_000, 610_127]]);
  assert.deepEqual(
    json.groups[0].breakdown.map((b: { key: { model: string } }) => b.key.model),
    [sonnet, "claude-opus-4-6"],
  );
  // CSV: whole milliseconds; the columns are there whatever the data.
  const csv = (await cli([...args, "--format", "csv"])).stdout.split("\r\n");
  assert.match(csv[0], /,Duration,p50 Duration$/);
  assert.match(csv[1], /^claude,.*,780000,117618$/);
  const empty = await cli([...args, "--format", "csv", "--agent", "nobody"]);
  assert.match(empty.stdout, /,Duration,p50 Duration\r\n$/);
});

Deno.test("duration sums: workers over byte ranges give what one thread gives", async () => {
  const specs = join(REPO_ROOT, "examples", "demo", "kitty-specs");
  const paths: string[] = [];
  for await (const dir of Deno.readDir(specs)) {
    paths.push(join(specs, dir.name, "execution.events.jsonl"));
  }
  const init: CostScanInit = {
    groupBy: ["agent", "model"],
    pricing: defaultPricing(),
    filter: { types: ["ExecutionEvent"] },
  };
  const scan = (options: { workers: number; minBytes?: number; rangeBytes?: number }) =>
    parallelScan<CostScanInit, DurationPartial>(
      paths,
      DURATION_REDUCER.href,
      init,
      () => {},
      options,
    );
  const flat = (p: DurationPartial) =>
    p.groups.map((g) => [JSON.stringify(g.key), g.ms, [...g.runs].sort((a, b) => a[0] - b[0])])
      .sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const one = flat(await scan({ workers: 1 }));
  assert.ok(one.length >= 5);
  assert.deepEqual(flat(await scan({ workers: 2, minBytes: 0, rangeBytes: 4096 })), one);
  // Two threads' sums merged (as workers' are): files split in two halves, each read alone.
  const half = async (part: string[]) =>
    await parallelScan<CostScanInit, DurationPartial>(part, DURATION_REDUCER.href, init, () => {});
  const [a, b] = [await half(paths.slice(0, 3)), await half(paths.slice(3))];
  assert.deepEqual(flat(mergeResults(a, b)), one);
});

Deno.test("notes go to stderr in every format; no model means record --model", async () => {
  const root = await project([
    ...RUNS,
    { day: "2026-03-04", agent: "opencode", input: 10 }, // no model at all
  ]);
  for (const format of ["table", "json", "csv", "markdown"]) {
    const run = await cli(["cost", "--root", root, "--format", format]);
    assert.equal(run.code, 0, run.stderr);
    // The table names its price data on stderr first; the other formats in their data.
    assert.equal(format === "table", run.stderr.startsWith("prices: @pydantic/genai-prices"));
    assert.equal(
      run.stderr.replace(/^prices: [^\n]*\n/, ""),
      "note: 2 event(s) have no reported cost and no price (models: (none), local-thing); they " +
        "count as $0, so the total is a lower bound: add prices for local-thing in " +
        ".kittify/pricing.yaml; record the model with --model (some events name none)\n",
      format,
    );
    assert.doesNotMatch(run.stdout, /note|no price/, format);
  }
  // Only events without a model: the hint is --model alone, no price to add.
  const none = await project([{ day: "2026-03-04", agent: "opencode", input: 10 }]);
  const run = await cli(["cost", "--root", none]);
  assert.match(run.stderr, /\(models: \(none\)\);.*: record the model with --model/);
  assert.doesNotMatch(run.stderr, /add prices/);
});

Deno.test("CSV keeps its columns whatever the data, has no TOTAL row; --totals gives it", async () => {
  // No cache tokens, nothing estimated, nothing unpriced: every column stays.
  const plain = await project([{ day: "2026-03-01", agent: "a", model: "m", cost: "1" }]);
  const cached = await project([
    { day: "2026-03-01", agent: "a", model: "claude-sonnet-4-5", input: 10, cache: 5 },
  ]);
  const header = async (root: string) =>
    (await cli(["cost", "--root", root, "--format", "csv"])).stdout.split("\r\n")[0];
  assert.equal(await header(plain), await header(cached));
  assert.equal(
    await header(plain),
    "Agent,Input Tokens,Output Tokens,Cache Read,Cache Write,Cost (USD),Events,Estimated,Unpriced",
  );
  const csv = await cli(["cost", "--root", plain, "--format", "csv"]);
  assert.equal(csv.stdout, `${await header(plain)}\r\na,0,0,0,0,1.000000,1,0,0\r\n`);
  const totals = await cli(["cost", "--root", plain, "--format", "csv", "--totals"]);
  assert.equal(totals.stdout, `${await header(plain)}\r\nTOTAL,0,0,0,0,1.000000,1,0,0\r\n`);
  const misuse = await cli(["cost", "--root", plain, "--totals"]);
  assert.equal(misuse.code, 2);
  assert.match(misuse.stderr, /^error: --totals goes with --format csv/);
});
