/**
 * Every event counted once: repeated lines, two spellings of one id, and
 * conflicting copies, through `cost` and through a parallel scan.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { encodeEvent } from "../src/event/line_codec.ts";
import { withDefaults } from "../src/event/field_checks.ts";
import { parallelScan } from "../src/read/parallel_scan.ts";
import { defaultPricing } from "../src/cost/builtin_pricing.ts";
import type { CostPartial, CostScanInit } from "../src/cost/cost_reducer.ts";
import { countOnce } from "../src/cli/count_once.ts";
import { pythonLine } from "../bench/generate.ts";
import { cli, tempProject } from "./helpers.ts";
import { attrs } from "./otlp/otlp_helpers.ts";

const ID = "01KHJVJWDM0HGAGYGXJYKD1JQG";

function line(id: string, clock: number, cost: number, node = "n1", agent = "claude"): string {
  return encodeEvent({
    event_id: id,
    event_type: "ExecutionEvent",
    aggregate_id: "043-x",
    lamport_clock: clock,
    node_id: node,
    causation_id: null,
    timestamp: "2026-02-16T09:12:58.000Z",
    payload: withDefaults({ agent, role: "r", cost_usd: cost }),
  });
}

async function project(logs: Record<string, string[]>): Promise<string> {
  const root = await tempProject();
  for (const [feature, lines] of Object.entries(logs)) {
    await Deno.mkdir(join(root, "kitty-specs", feature), { recursive: true });
    const path = join(root, "kitty-specs", feature, "execution.events.jsonl");
    await Deno.writeTextFile(path, lines.join("\n") + "\n");
  }
  return root;
}

async function costOf(root: string) {
  const run = await cli(["cost", "--json", "--root", root]);
  assert.equal(run.code, 0, run.stderr);
  return { report: JSON.parse(run.stdout), stderr: run.stderr };
}

Deno.test("a line repeated (hand edit, merge=union, copy) is counted once, and said so", async () => {
  const other = "01KHJVJWDM0HGAGYGXJYKD1JQH";
  const root = await project({ "043-x": [line(ID, 1, 2), line(other, 2, 5), line(ID, 1, 2)] });
  const { report, stderr } = await costOf(root);
  assert.equal(report.total.event_count, 2);
  assert.equal(report.total.total_cost_usd, 7);
  assert.equal(report.duplicate_lines, 1);
  assert.deepEqual(report.conflicting_ids, []);
  assert.match(
    stderr,
    /^warning: 1 duplicate line\(s\) ignored: .*043-x\/execution\.events\.jsonl \(id 01KHJVJWDM0HGAGYGXJYKD1JQG\)/,
  );
});

Deno.test("one id spelled in two cases, or in two layouts, or in two logs, is one event", async () => {
  const event = JSON.parse(line(ID, 1, 2));
  const root = await project({
    "043-x": [line(ID, 1, 2), line(ID.toLowerCase(), 1, 2), pythonLine(event)],
    "044-y": [line(ID, 1, 2)],
  });
  const { report } = await costOf(root);
  assert.equal(report.total.event_count, 1);
  assert.equal(report.total.total_cost_usd, 2);
  assert.equal(report.duplicate_lines, 3);
});

Deno.test("the same id with different content counts once, the first in clock order, flagged", async () => {
  const root = await project({ "043-x": [line(ID, 5, 100), line(ID, 3, 1), line(ID, 4, 10)] });
  const { report, stderr } = await costOf(root);
  assert.equal(report.total.event_count, 1);
  assert.equal(report.total.total_cost_usd, 1); // clock 3 is first
  assert.equal(report.duplicate_lines, 0);
  assert.deepEqual(report.conflicting_ids, [ID]);
  assert.match(stderr, /1 id\(s\) on lines with different content/);
});

Deno.test("groups lose the uncounted copies' sums, and a group of only such copies disappears", async () => {
  const root = await project({
    "043-x": [line(ID, 1, 2, "n1", "claude"), line("01KHJVJWDM0HGAGYGXJYKD1JQH", 2, 3, "n2")],
    "044-y": [line(ID, 4, 7, "n1", "codex")],
  });
  const run = await cli(["cost", "--json", "--group-by", "agent", "--root", root]);
  const report = JSON.parse(run.stdout);
  assert.deepEqual(
    report.groups.map((
      g: { group_key: string; total_cost_usd: number },
    ) => [g.group_key, g.total_cost_usd]),
    [["claude", 5]],
  );
  assert.deepEqual(report.conflicting_ids, [ID]);
});

Deno.test("a filter takes an id's counted copy or nothing: the parts add up to the whole", async () => {
  // Clock 1 (claude, succeeded, $1) counts; clock 2 (codex, failed, $2) is a conflicting copy.
  const failed = JSON.parse(line(ID, 2, 2, "n1", "codex"));
  failed.payload.success = false;
  const other = "01KHJVJWDM0HGAGYGXJYKD1JQH";
  // A conflict among gemini's copies alone: no business of a filter that takes no gemini.
  const gemini = "01KHJVJWDM0HGAGYGXJYKD1JQJ";
  const root = await project({
    "043-x": [line(ID, 1, 1), encodeEvent(failed), line(other, 3, 4, "n1", "codex")],
    "044-y": [line(gemini, 4, 8, "n1", "gemini"), line(gemini, 5, 9, "n1", "gemini")],
  });
  const cost = async (...args: string[]) => {
    const run = await cli(["cost", "--json", "--root", root, ...args]);
    assert.equal(run.code, 0, run.stderr);
    return JSON.parse(run.stdout);
  };
  const whole = await cost();
  assert.deepEqual([whole.total.total_cost_usd, whole.conflicting_ids], [13, [ID, gemini]]);
  const claude = await cost("--agent", "claude");
  assert.deepEqual([claude.total.total_cost_usd, claude.conflicting_ids], [1, [ID]]);
  const codex = await cost("--agent", "codex");
  assert.deepEqual([codex.total.total_cost_usd, codex.total.event_count], [4, 1]);
  assert.equal((await cost("--success", "false")).total.event_count, 0);
  // What failed runs cost: nothing (the failed line is not the one that counts).
  const columns = await cli([
    "cost",
    "--columns",
    "failed_cost",
    "--format",
    "csv",
    "--root",
    root,
  ]);
  assert.deepEqual(columns.stdout.trimEnd().split("\r\n").slice(1), [
    "gemini,0,0,0,0,8.000000,1,0,0,0.000000",
    "codex,0,0,0,0,4.000000,1,0,0,0.000000",
    "claude,0,0,0,0,1.000000,1,0,0,0.000000",
  ]);
  const report = await cli(["report", "--out", "-", "--root", root]);
  assert.match(report.stdout.replace(/<[^>]+>/g, " "), /\$0\.00\s+spent on failed runs/);
});

Deno.test("the report counts a repeated failed run once: its cost, durations and savings", async () => {
  const run = JSON.parse(line(ID, 1, 0));
  Object.assign(run.payload, {
    success: false,
    cost_usd: null,
    model: "claude-sonnet-4-5",
    input_tokens: 1000,
    cache_read_tokens: 100_000,
    duration_ms: 60_000,
  });
  // $3 per million input, $0.30 cache reads: 0.003 + 0.03 = $0.033; saved 0.1 * 2.7 = $0.27.
  // The copy spells the id in lower case: one run still.
  const copy = encodeEvent({ ...run, event_id: ID.toLowerCase() });
  const root = await project({ "043-x": [encodeEvent(run), copy] });
  const html = (await cli(["report", "--out", "-", "--root", root])).stdout
    .replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");
  assert.match(html, /\$0\.03 total spend/);
  assert.match(html, /\$0\.03 spent on failed runs \$0\.27 saved by cache reads/);
  assert.match(html, /The 1 most expensive runs/);
  assert.match(
    html,
    /Per agent Agent Runs Success Failed Spent on failures Per success claude 1 0\.0% 1 /,
  );
});

Deno.test("the report's duration percentiles count a repeated run once", async () => {
  const run = (id: string, clock: number, ms: number) => {
    const e = JSON.parse(line(id, clock, 1));
    e.payload.duration_ms = ms;
    return encodeEvent(e);
  };
  const short = run(ID, 1, 1000);
  // One 1 s run (three lines) and two 100 s runs: the median run took 100 s.
  const root = await project({
    "043-x": [short, short, short, run("01KHJVJWDM0HGAGYGXJYKD1JQH", 2, 100_000)],
    "044-y": [run("01KHJVJWDM0HGAGYGXJYKD1JQJ", 3, 100_000)],
  });
  const html = (await cli(["report", "--out", "-", "--root", root])).stdout
    .replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");
  assert.match(html, /claude claude p50 1\.\d min /);
});

Deno.test("repeats are found across parallel ranges and workers, and counted once", async () => {
  const dir = await project({
    "043-x": Array.from(
      { length: 3000 },
      (_, i) => line(`01KHJVJWDM0HGAGYGXJY${String(i).padStart(6, "0")}`, i + 1, 1),
    ),
  });
  const path = join(dir, "kitty-specs", "043-x", "execution.events.jsonl");
  const text = await Deno.readTextFile(path);
  // The first and last thousand lines again, at the end: other ranges, other workers.
  const lines = text.trimEnd().split("\n");
  await Deno.writeTextFile(
    path,
    text + [...lines.slice(0, 1000), ...lines.slice(2000)].join("\n") + "\n",
  );
  const init: CostScanInit = { groupBy: ["agent"], pricing: defaultPricing(), filter: {} };
  const partial = await parallelScan<CostScanInit, CostPartial>(
    [path],
    new URL("../src/cost/cost_reducer.ts", import.meta.url).href,
    init,
    () => {},
    { workers: 2, minBytes: 0, rangeBytes: 64 * 1024 },
  );
  assert.equal(partial.total.event_count, 5000);
  const once = await countOnce(partial, [path], init, () => {});
  assert.equal(once.partial.total.event_count, 3000);
  assert.equal(once.partial.total.reported, 3000n * 10n ** 15n);
  assert.equal(once.duplicateLines, 2000);
});

Deno.test("query prints each id once: its first copy in clock order, gathered or streamed", async () => {
  const { orderedEvents } = await import("../src/query/ordered.ts");
  const { ProjectLayout } = await import("../src/store/project_layout.ts");
  const other = "01KHJVJWDM0HGAGYGXJYKD1JQH";
  const root = await project({
    "043-x": [line(ID, 3, 1), line(other, 4, 5), line(ID.toLowerCase(), 3, 1)],
    "044-y": [line(ID, 2, 9)],
  });
  const run = await cli(["query", "--root", root]);
  assert.equal(run.code, 0, run.stderr);
  const printed = run.stdout.trimEnd().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(printed.map((e) => [e.event_id, e.lamport_clock]), [[ID, 2], [other, 4]]);
  // The streaming merge (results past the gather limit) gives the same.
  const layout = new ProjectLayout(root);
  const streamed = (await Array.fromAsync(orderedEvents(layout, {}, () => {}, { gather: 1 })))
    .flat();
  assert.deepEqual(streamed.map((e) => [e.event_id, e.lamport_clock]), [[ID, 2], [other, 4]]);
});

Deno.test("repeatedHashes finds exactly the repeated hashes among many, across parts", async () => {
  const { repeatedHashes } = await import("../src/event/repeated_hashes.ts");
  const { prng } = await import("../bench/generate.ts");
  const rand = prng(11);
  const parts = Array.from(
    { length: 3 },
    () => Float64Array.from({ length: 100_000 }, () => Math.floor(rand() * 2 ** 52)),
  );
  // Fifty copies planted in another part.
  for (let k = 0; k < 50; k++) parts[(k + 1) % 3][k * 11 + 5] = parts[k % 3][k * 7];
  const expected = new Map<number, number>();
  for (const part of parts) for (const h of part) expected.set(h, (expected.get(h) ?? 0) + 1);
  const repeats = [...expected].filter(([, n]) => n > 1).map(([h]) => h).sort((a, b) => a - b);
  assert.ok(repeats.length >= 50);
  assert.deepEqual([...repeatedHashes(parts)], repeats);
});

const OTHER = "01KHJVJWDM0HGAGYGXJYKD1JQH";

/**
 * Clock 1 of ID (claude, succeeded, $1) counts; clock 2 (codex, failed, $2)
 * is a conflicting copy; OTHER (codex, $4) is alone.
 */
async function conflicted(): Promise<string> {
  const failed = JSON.parse(line(ID, 2, 2, "n1", "codex"));
  failed.payload.success = false;
  return await project({
    "043-x": [line(ID, 1, 1), encodeEvent(failed), line(OTHER, 3, 4, "n1", "codex")],
  });
}

Deno.test("export takes an id's counted copy or nothing, as cost does, with a filter", async () => {
  const [root, other] = [await conflicted(), OTHER];
  const out = join(root, "out.jsonl");
  const exported = async (signal: string, ...args: string[]) => {
    const run = await cli(["export", "--signal", signal, "--out", out, "--root", root, ...args]);
    assert.equal(run.code, 0, run.stderr);
    return (await Deno.readTextFile(out)).split("\n").filter((l) => l !== "");
  };
  const ids = async (...args: string[]) => {
    const found: [string, number][] = [];
    for (const text of await exported("logs", ...args)) {
      for (const scope of JSON.parse(text).resourceLogs[0].scopeLogs) {
        for (const record of scope.logRecords) {
          const value = attrs(record);
          found.push([value["kitty.event_id"] as string, value["kitty.cost_usd"] as number]);
        }
      }
    }
    return found.sort();
  };
  assert.deepEqual(await ids(), [[ID, 1], [other, 4]].sort());
  assert.deepEqual(await ids("--agent", "codex"), [[other, 4]]);
  assert.deepEqual(await ids("--success", "false"), []);
  assert.deepEqual(await ids("--agent", "claude"), [[ID, 1]]);
  const costOf = async (...args: string[]) => {
    const [text] = await exported("metrics", ...args);
    const metric = JSON.parse(text).resourceMetrics[0].scopeMetrics[0].metrics
      .find((m: { name: string }) => m.name === "kitty.cost.usage");
    // No event exported: no metric at all.
    if (metric === undefined) return 0;
    return metric.sum.dataPoints.reduce((s: number, p: { asDouble: number }) => s + p.asDouble, 0);
  };
  assert.equal(await costOf("--agent", "codex"), 4);
  assert.equal(await costOf("--success", "false"), 0);
});

Deno.test("a push takes an id's counted copy or nothing, as cost does, with a filter", async () => {
  const [root, other] = [await conflicted(), OTHER];
  const bodies: string[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    bodies.push(await req.text());
    return Response.json({});
  });
  const pushed = async (...args: string[]) => {
    bodies.length = 0;
    const url = `http://127.0.0.1:${server.addr.port}`;
    const run = await cli(["export", "--endpoint", url, "--full", "--root", root, ...args]);
    assert.equal(run.code, 0, run.stderr);
    const found: [string, boolean][] = [];
    for (const body of bodies) {
      for (const span of JSON.parse(body).resourceSpans[0].scopeSpans[0].spans) {
        const value = attrs(span);
        found.push([value["kitty.event_id"] as string, value["kitty.success"] as boolean]);
      }
    }
    return found.sort();
  };
  try {
    assert.deepEqual(await pushed(), [[ID, true], [other, true]]);
    // The failed codex copy of ID is not the one cost counts: neither filter sends it.
    assert.deepEqual(await pushed("--agent", "codex"), [[other, true]]);
    assert.deepEqual(await pushed("--success", "false"), []);
    assert.deepEqual(await pushed("--agent", "claude"), [[ID, true]]);
  } finally {
    await server.shutdown();
  }
});

Deno.test("query takes an id's counted copy or nothing, as cost does, with a filter", async () => {
  const root = await conflicted();
  const printed = async (...args: string[]) => {
    const run = await cli(["query", "--root", root, ...args]);
    assert.equal(run.code, 0, run.stderr);
    return run.stdout.split("\n").filter((l) => l !== "").map((l) => {
      const e = JSON.parse(l);
      return [e.event_id, e.lamport_clock];
    });
  };
  assert.deepEqual(await printed(), [[ID, 1], [OTHER, 3]]);
  // ID's failed codex copy (clock 2) is not the one cost counts: no filter prints it.
  assert.deepEqual(await printed("--agent", "codex"), [[OTHER, 3]]);
  assert.deepEqual(await printed("--success", "false"), []);
  assert.deepEqual(await printed("--agent", "claude"), [[ID, 1]]);
  assert.deepEqual(await printed("--agent", "codex", "--order", "time"), [[OTHER, 3]]);
  const table = await cli(["query", "--root", root, "--agent", "codex", "--format", "table"]);
  assert.equal(table.code, 0, table.stderr);
  // One row: OTHER's $4 run, not ID's failed $2 copy.
  assert.deepEqual(table.stdout.trimEnd().split("\n").map((l) => l.match(/\$\S+/)?.[0]), [
    "$4.0000",
  ]);
});
