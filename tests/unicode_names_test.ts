/**
 * One name, one row: names that differ only in Unicode spelling (NFC `é`,
 * NFD `e` + U+0301) are one name wherever a name is grouped by or compared
 * (src/event/name_key.ts): cost's groups on the kernel's fold and on the
 * JS path, filters (cost, query), pricing lookup, budgets, the report,
 * export's metrics. What is printed as recorded (query's lines) is not
 * changed.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, payload, tempProject } from "./helpers.ts";
import { decodeLine, encodeEvent } from "../src/event/line_codec.ts";
import type { Event } from "../src/event/envelope.ts";
import { pythonLine } from "../bench/generate.ts";
import { createReducer } from "../src/cost/cost_reducer.ts";
import { createReducer as reportReducer, REPORT_GROUPS } from "../src/report/report_reducer.ts";
import { reportData } from "../src/report/report_data.ts";
import { defaultPricing } from "../src/cost/builtin_pricing.ts";
import { readLog } from "../src/read/event_sink.ts";
import type { GroupKey } from "../src/cost/group_keys.ts";
import { nameKey } from "../src/event/name_key.ts";
import { matches } from "../src/query/filter.ts";

const NOW = new Date("2026-03-02T10:00:00.000Z");
const NFC = "caf\u00e9";
const NFD = "cafe\u0301";
const FEATURE = "043-x";
/** A name of each field in both spellings: [NFC, NFD]. */
const SPELLINGS: Record<string, [string, string]> = {
  agent: [NFC, NFD],
  wp_id: ["WP-\u00c5", "WP-A\u030a"],
  role: ["r\u00f4le", "ro\u0302le"],
  model: ["mod\u00e8le-x", "mode\u0300le-x"],
};

let serial = 0;
/** An event whose names are spelling `which` (0: NFC, 1: NFD) of each field, cost $1.25. */
function event(which: 0 | 1, extra: Record<string, unknown> = {}): Event {
  serial++;
  const names = Object.fromEntries(Object.entries(SPELLINGS).map(([k, v]) => [k, v[which]]));
  return {
    event_id: `01KHJVJWDM0HGAGYGX${String(serial).padStart(8, "0")}`,
    event_type: "ExecutionEvent",
    aggregate_id: FEATURE,
    lamport_clock: serial,
    node_id: "n",
    causation_id: null,
    timestamp: "2026-03-01T12:00:00Z",
    payload: payload({ ...names, cost_usd: 1.25, ...extra }),
  } as Event;
}

/** The tool's own layout (names as raw UTF-8) or the Python writer's (names as `\u` escapes). */
const LAYOUTS = {
  canonical: (e: Event) => encodeEvent(e),
  python: (e: Event) => pythonLine(e),
};

/** Lines of both spellings, alternating; `n` of each. */
function lines(layout: keyof typeof LAYOUTS, n: number): string[] {
  return Array.from({ length: 2 * n }, (_, i) => LAYOUTS[layout](event((i % 2) as 0 | 1)));
}

async function project(text: string[], files: Record<string, string> = {}): Promise<string> {
  const root = await tempProject();
  await Deno.mkdir(join(root, "kitty-specs", FEATURE), { recursive: true });
  await Deno.writeTextFile(
    join(root, "kitty-specs", FEATURE, "execution.events.jsonl"),
    text.join("\n") + "\n",
  );
  for (const [path, content] of Object.entries(files)) {
    await Deno.mkdir(join(root, path, ".."), { recursive: true });
    await Deno.writeTextFile(join(root, path), content);
  }
  return root;
}

async function costJson(root: string, args: string[]) {
  const run = await cli(["cost", "--root", root, "--json", ...args], { now: NOW });
  assert.equal(run.code, 0, run.stderr);
  return JSON.parse(run.stdout);
}

const GROUPS: [string, string][] = [["agent", "agent"], ["wp", "wp_id"], ["role", "role"]];

Deno.test("the spellings differ as strings and are one name to nameKey", () => {
  for (const [nfc, nfd] of Object.values(SPELLINGS)) {
    assert.notEqual(nfc, nfd);
    assert.equal(nameKey(nfd), nfc);
  }
});

for (const layout of Object.keys(LAYOUTS) as (keyof typeof LAYOUTS)[]) {
  Deno.test(`${layout} lines: each name in two spellings is one row, NFC shown; totals exact`, async () => {
    const root = await project(lines(layout, 3));
    const total = (await costJson(root, ["--group-by", "feature"])).total;
    assert.equal(total.event_count, 6);
    assert.equal(total.total_cost_usd, 7.5);
    for (const [by, field] of [...GROUPS, ["model", "model"]]) {
      const view = await costJson(root, ["--group-by", by]);
      const rows = view.groups.map((g: { key: Record<string, string> }) => g.key[by]);
      assert.deepEqual(rows, [SPELLINGS[field][0]], by);
      assert.equal(view.groups[0].event_count, 6, by);
      // To the micro-dollar: the one row is the ungrouped total.
      assert.equal(view.groups[0].total_cost_usd, total.total_cost_usd, by);
      assert.equal(view.total.total_cost_usd, total.total_cost_usd, by);
    }
  });

  Deno.test(`${layout} lines: --agent, --wp, --role, --model in either spelling match both`, async () => {
    const root = await project(lines(layout, 2));
    for (const [by, field] of [...GROUPS, ["model", "model"]]) {
      for (const spelling of SPELLINGS[field]) {
        const view = await costJson(root, [`--${by}`, spelling]);
        assert.equal(view.total.event_count, 4, `--${by} ${JSON.stringify(spelling)}`);
        // And past the kernel's other path: a time filter.
        const since = await costJson(root, [`--${by}`, spelling, "--since", "2026-03-01"]);
        assert.equal(since.total.event_count, 4, `--${by} with --since`);
      }
    }
  });
}

// The kernel vouches for lines with ASCII names only (the rest go to the JS path): a name
// whose NFC form is ASCII (KELVIN SIGN U+212A is "K") meets its ASCII twin across the two.
Deno.test("the kernel's fold and the JS path put a name's spellings in one group", async () => {
  const pricing = defaultPricing();
  for (const [by, field] of GROUPS) {
    const spellings = ["K", "\u212a", NFC, NFD];
    const text = Array.from({ length: 200 }, (_, i) => {
      // Every other name plain ASCII.
      const e = event(0, { agent: "a", wp_id: "WP01", role: "r", model: "m" });
      (e.payload as Record<string, unknown>)[field] = spellings[i % 4];
      return encodeEvent(e);
    }).join("\n") + "\n";
    const path = await Deno.makeTempFile({ suffix: ".jsonl" });
    await Deno.writeTextFile(path, text);
    const reducer = createReducer({ groupBy: [by as GroupKey], pricing, filter: {} });
    const plan = reducer.fold!;
    let folded = 0;
    const counted = {
      ...plan,
      hashes(values: Float64Array) {
        folded += values.length;
        plan.hashes(values);
      },
    };
    await readLog(path, { ...reducer, fold: counted }, () => {});
    // The kernel summed the ASCII lines (all but the first it meets).
    assert.ok(folded >= 49 && folded <= 50, `${by}: ${folded} folded`);
    const groups = reducer.result().groups.map((g) => [g.key[by], g.totals.event_count]);
    assert.deepEqual(groups.sort(), [["K", 100], [NFC, 100]], by);
  }
});

Deno.test("a model priced under its NFC name is priced in its NFD spelling too", async () => {
  const [nfc, nfd] = SPELLINGS.model;
  const tokens = { cost_usd: null, input_tokens: 1_000_000, output_tokens: 0 };
  const root = await project([encodeEvent(event(0, tokens)), encodeEvent(event(1, tokens))], {
    ".kittify/pricing.yaml": `models:\n  ${nfc}: {input: 2, output: 4}\n`,
  });
  const view = await costJson(root, ["--group-by", "model"]);
  assert.equal(view.groups.length, 1);
  assert.equal(view.groups[0].key.model, nfc);
  assert.equal(view.total.estimated_event_count, 2);
  assert.equal(view.total.unpriced_event_count, 0);
  assert.equal(view.total.total_cost_usd, 4);
  assert.equal((await costJson(root, ["--model", nfd])).total.event_count, 2);
});

Deno.test("query --agent in either spelling prints both lines, each as recorded", async () => {
  const text = lines("canonical", 1);
  const root = await project(text);
  for (const spelling of [NFC, NFD]) {
    const run = await cli(["query", "--root", root, "--agent", spelling], { now: NOW });
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(run.stdout.trim().split("\n").sort(), [...text].sort());
  }
  // The NFD line kept its NFD bytes.
  assert.ok(text.some((l) => l.includes(`"agent":"${NFD}"`)));
});

Deno.test("a budget on the NFD spelling counts both spellings' spend", async () => {
  const root = await project(lines("canonical", 2), {
    ".kittify/budgets.yaml": `budgets:\n  - {name: b, agent: "${NFD}", limit_usd: 10}\n`,
  });
  const run = await cli(["budget", "--root", root, "--json"], { now: NOW });
  assert.equal(run.code, 0, run.stderr);
  const [budget] = JSON.parse(run.stdout).budgets;
  assert.equal(budget.spent_usd, 5);
});

Deno.test("the report has one row per name: spend, failures, durations", () => {
  const r = reportReducer({ groupBy: [...REPORT_GROUPS], pricing: defaultPricing(), filter: {} });
  const events = [event(0), event(1, { success: false }), event(1, { duration_ms: 5 })];
  r.events(events.map((e) => {
    const decoded = decodeLine(encodeEvent(e));
    assert.ok(decoded.ok);
    return decoded.event;
  }));
  const data = reportData(r.result(), {
    pricing: defaultPricing(),
    now: NOW,
    filters: {},
    skippedLines: 0,
    repeats: { duplicateLines: 0, conflictingIds: [] },
  });
  for (const by of ["agent", "wp", "role", "model"] as const) {
    assert.deepEqual(data.by[by].map((s) => [s.key, s.events]), [[data.by[by][0].key, 3]], by);
  }
  assert.equal(data.by.agent[0].key, NFC);
  assert.deepEqual(data.outcomes.agent.map((o) => [o.key, o.runs, o.failed]), [[NFC, 3, 1]]);
  assert.deepEqual(data.durations.map((d) => [d.agent, d.runs]), [[NFC, 3]]);
});

Deno.test("export --signal metrics: one series per name, in NFC", async () => {
  const root = await project(lines("canonical", 2));
  const run = await cli(["export", "--signal", "metrics", "--root", root], { now: NOW });
  assert.equal(run.code, 0, run.stderr);
  const [usd] = JSON.parse(run.stdout).resourceMetrics[0].scopeMetrics[0].metrics;
  const points = usd.sum.dataPoints;
  assert.equal(points.length, 1);
  const attribute = (key: string) =>
    points[0].attributes.find((a: { key: string }) => a.key === key)?.value.stringValue;
  assert.equal(attribute("gen_ai.agent.name"), NFC);
  assert.equal(attribute("kitty.role"), SPELLINGS.role[0]);
  assert.equal(points[0].asDouble, 5);
});

Deno.test("a feature in two spellings is one row; --feature in either spelling matches", async () => {
  const slug = `043-${NFC}`;
  const root = await tempProject();
  await Deno.mkdir(join(root, "kitty-specs", slug), { recursive: true });
  const text = [0, 1].map((i) =>
    encodeEvent({ ...event(0), aggregate_id: `043-${[NFC, NFD][i]}` })
  );
  await Deno.writeTextFile(
    join(root, "kitty-specs", slug, "execution.events.jsonl"),
    text.join("\n") + "\n",
  );
  const view = await costJson(root, ["--group-by", "feature"]);
  assert.deepEqual(view.groups.map((g: { key: { feature: string } }) => g.key.feature), [slug]);
  assert.equal(view.groups[0].event_count, 2);
  for (const pattern of [`043-${NFD}`, `043-caf?`, slug]) {
    assert.equal((await costJson(root, ["--feature", pattern])).total.event_count, 2, pattern);
  }
});

Deno.test("no match: the note names the flag that matched nothing, not the other spelling", async () => {
  const root = await project(lines("canonical", 1));
  const run = await cli(["cost", "--root", root, "--agent", NFD, "--role", "nobody"], { now: NOW });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /note: --role "nobody" matches no event/);
  assert.doesNotMatch(run.stderr, /--agent/);
});

Deno.test("filters on the kernel's lines (ASCII) and the JS path's: K and KELVIN SIGN match both", async () => {
  const text = ["K", "\u212a", "K", "\u212a"].map((agent) =>
    encodeEvent(event(0, { agent, wp_id: "WP01", role: "r", model: "m" }))
  );
  const root = await project(text);
  for (const agent of ["K", "\u212a"]) {
    for (const more of [[], ["--since", "2026-03-01"], ["--group-by", "agent"]]) {
      const view = await costJson(root, ["--agent", agent, ...more]);
      assert.equal(view.total.event_count, 4, `--agent ${JSON.stringify(agent)} ${more}`);
    }
    const run = await cli(["query", "--root", root, "--agent", agent], { now: NOW });
    assert.deepEqual(run.stdout.trim().split("\n"), text);
  }
  const rows = (await costJson(root, ["--group-by", "agent"])).groups;
  assert.deepEqual(rows.map((g: { key: { agent: string } }) => g.key.agent), ["K"]);
});

Deno.test("matches: a library caller's NFD lists match NFC values; a list keeps its own rule", () => {
  const e = (p: Record<string, unknown>) =>
    ({ event_type: "ExecutionEvent", aggregate_id: FEATURE, timestamp: "", payload: p }) as never;
  const [model, modelNfd] = SPELLINGS.model;
  assert.ok(matches(e({ agent: NFC }), { agents: [NFD] }));
  assert.ok(matches(e({ model }), { models: [modelNfd] }));
  assert.ok(!matches(e({ agent: "cafe" }), { agents: [NFD] }));
  // One list as a model filter (any case) and then as an agent filter (case kept).
  const list = ["codex"];
  assert.ok(matches(e({ model: "Codex" }), { models: list }));
  assert.ok(!matches(e({ agent: "Codex" }), { agents: list }));
});
