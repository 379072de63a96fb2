/**
 * One model, one row: `cost` groups and `--model` filters by the canonical
 * model (the pricing entry's id for any of its spellings, else the name
 * trimmed and lower-cased); `cost --json` lists the spellings met in
 * `model_names`; `query` prints stored lines as they were.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, payload, tempProject, withoutNotes } from "./helpers.ts";
import { canonicalModel, modelSpellings } from "../src/cost/canonical_model.ts";
import { defaultPricing } from "../src/cost/builtin_pricing.ts";
import { mergeResults } from "../src/cost/cost_reducer.ts";
import { CostAggregator } from "../src/cost/aggregate.ts";
import { mergePricing, type ModelPrice } from "../src/cost/pricing.ts";
import { toModelPrice } from "../src/cost/pricing_entry.ts";
import type { ExecutionEvent } from "../src/event/execution.ts";

const NO_TOKENS = {
  input_tokens: null,
  output_tokens: null,
  cache_read_tokens: null,
  cache_write_tokens: null,
};

/**
 * The spellings agents record for two models, each event's cost easy to
 * check by hand (claude-sonnet-4-5: input 3, output 15 USD per million;
 * gpt-5-codex: input 1.25, output 10), plus one unpriced model two ways.
 */
const RUNS: Record<string, unknown>[] = [
  // --from claude-json: the dated id. 100k input * 3 = 0.3 (below the 200k tier)
  { agent: "claude", model: "claude-sonnet-4-5-20250929", input_tokens: 100_000 },
  // a hand emit: the id. 100k output * 15 = 1.5
  { agent: "claude", model: "claude-sonnet-4-5", output_tokens: 100_000 },
  // Copilot: the dotted alias, with its reported cost
  { agent: "copilot", model: "claude-sonnet-4.5", cost_usd: 2.25 },
  // Codex users type it capitalised. 1M input * 1.25 = 1.25
  { agent: "codex", model: "GPT-5-Codex", input_tokens: 1_000_000 },
  // 100k output * 10 = 1
  { agent: "codex", model: "gpt-5-codex", output_tokens: 100_000 },
  // unpriced, two spellings of one name
  { agent: "opencode", model: "Foo-Model ", input_tokens: 5 },
  { agent: "opencode", model: "foo-model", input_tokens: 7 },
];

/** A project whose one log holds `RUNS` as lines written by hand (any spelling survives). */
async function spellingsProject(): Promise<{ root: string; lines: string[] }> {
  const root = await tempProject();
  const lines = RUNS.map((run, i) =>
    JSON.stringify({
      event_id: `01KJ0000000000000000000${"ABCDEFGHJ"[i]}00`,
      event_type: "ExecutionEvent",
      aggregate_id: "043-models",
      lamport_clock: i + 1,
      node_id: "n1",
      causation_id: null,
      timestamp: `2026-03-01T10:0${i}:00Z`,
      payload: payload({ ...NO_TOKENS, ...run }),
    })
  );
  const dir = join(root, "kitty-specs", "043-models");
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(join(dir, "execution.events.jsonl"), lines.join("\n") + "\n");
  return { root, lines };
}

interface Row {
  group_key: string;
  total_cost_usd: number;
  event_count: number;
  unpriced_event_count: number;
  unpriced_models: string[];
  model_names: string[];
}

async function costJson(root: string, ...args: string[]) {
  const run = await cli(["cost", "--json", "--root", root, ...args]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(withoutNotes(run.stderr), "");
  return JSON.parse(run.stdout) as { groups: Row[]; total: Row };
}

const summary = (g: Row) => [g.group_key, g.total_cost_usd, g.event_count, g.model_names];

Deno.test("cost --group-by model: every spelling of a model is one row, with its spellings", async () => {
  const { root } = await spellingsProject();
  const report = await costJson(root, "--group-by", "model");
  assert.deepEqual(report.groups.map(summary), [
    [
      "claude-sonnet-4-5",
      4.05, // 0.3 + 1.5 + 2.25
      3,
      ["claude-sonnet-4-5", "claude-sonnet-4-5-20250929", "claude-sonnet-4.5"],
    ],
    ["gpt-5-codex", 2.25, 2, ["GPT-5-Codex", "gpt-5-codex"]], // 1.25 + 1
    ["foo-model", 0, 2, ["Foo-Model ", "foo-model"]],
  ]);
  const foo = report.groups[2];
  assert.deepEqual([foo.unpriced_event_count, foo.unpriced_models], [2, ["foo-model"]]);
  assert.equal(report.total.total_cost_usd, 6.3);
  assert.equal(report.total.event_count, 7);
  assert.deepEqual(report.total.model_names, [
    "Foo-Model ",
    "GPT-5-Codex",
    "claude-sonnet-4-5",
    "claude-sonnet-4-5-20250929",
    "claude-sonnet-4.5",
    "foo-model",
    "gpt-5-codex",
  ]);
  assert.deepEqual(report.total.unpriced_models, ["foo-model"]);
});

Deno.test("cost with several keys groups by the canonical model within each", async () => {
  const { root } = await spellingsProject();
  const report = await costJson(root, "--group-by", "agent,model");
  assert.deepEqual(report.groups.map((g) => [g.group_key, g.event_count]), [
    ["codex/gpt-5-codex", 2], // 2.25, tied with copilot: by key
    ["copilot/claude-sonnet-4-5", 1],
    ["claude/claude-sonnet-4-5", 2],
    ["opencode/foo-model", 2],
  ]);
});

Deno.test("cost table, csv and markdown show the canonical id, once", async () => {
  const { root } = await spellingsProject();
  for (const format of ["table", "csv", "markdown"]) {
    const run = await cli(["cost", "--root", root, "--group-by", "model", "--format", format]);
    assert.equal(run.code, 0, run.stderr);
    const rows = run.stdout.split("\n").filter((l) => /^[|" ]*(claude|gpt|foo)/i.test(l));
    assert.equal(rows.length, 3, `${format}:\n${run.stdout}`);
    assert.ok(rows[0].includes("claude-sonnet-4-5") && !/4\.5|20250929/.test(rows[0]), format);
    assert.ok(rows[1].includes("gpt-5-codex"), format);
    assert.ok(rows[2].includes("foo-model") && !rows[2].includes("Foo"), format);
  }
});

Deno.test("cost --model X counts every spelling of X's entry", async () => {
  const { root } = await spellingsProject();
  for (
    const spelling of ["claude-sonnet-4-5", "claude-sonnet-4.5", " CLAUDE-SONNET-4-5-20250929"]
  ) {
    const report = await costJson(root, "--model", spelling);
    assert.deepEqual(
      [report.total.event_count, report.total.total_cost_usd],
      [3, 4.05],
      spelling,
    );
  }
  const codex = await costJson(root, "--model", "gpt-5-codex", "--group-by", "model");
  assert.deepEqual(codex.groups.map(summary), [
    ["gpt-5-codex", 2.25, 2, ["GPT-5-Codex", "gpt-5-codex"]],
  ]);
  const both = await costJson(root, "--model", "claude-sonnet-4.5", "--model", "GPT-5-CODEX");
  assert.deepEqual([both.total.event_count, both.total.total_cost_usd], [5, 6.3]);
  // An unpriced name matches its normalised spelling only.
  const foo = await costJson(root, "--model", "FOO-MODEL");
  assert.equal(foo.total.event_count, 2);
  assert.equal((await costJson(root, "--model", "foo")).total.event_count, 0);
});

Deno.test("query --model X prints every spelling's events, their lines unchanged", async () => {
  const { root, lines } = await spellingsProject();
  const run = await cli(["query", "--root", root, "--model", "claude-sonnet-4.5"]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(withoutNotes(run.stderr), "");
  const printed = run.stdout.trimEnd().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(printed, lines.slice(0, 3).map((l) => JSON.parse(l)));
  assert.deepEqual(
    printed.map((e) => e.payload.model),
    ["claude-sonnet-4-5-20250929", "claude-sonnet-4-5", "claude-sonnet-4.5"],
  );
  const foo = await cli(["query", "--root", root, "--model", "foo-model"]);
  assert.deepEqual(
    foo.stdout.trimEnd().split("\n").map((l) => JSON.parse(l).payload.model),
    ["Foo-Model ", "foo-model"],
  );
});

Deno.test("a project override's aliases decide the canonical model, in cost and query", async () => {
  const { root } = await spellingsProject();
  await Deno.mkdir(join(root, ".kittify"));
  await Deno.writeTextFile(
    join(root, ".kittify", "pricing.yaml"),
    "models:\n  foo-model: {input: 1, output: 1, aliases: [foo-model-v1]}\n",
  );
  const report = await costJson(root, "--model", "foo-model-v1", "--group-by", "model");
  assert.deepEqual(report.groups.map(summary), [
    ["foo-model", 0.000012, 2, ["Foo-Model ", "foo-model"]],
  ]);
  const query = await cli(["query", "--root", root, "--model", "FOO-MODEL-V1"]);
  assert.equal(query.stdout.trimEnd().split("\n").length, 2);
});

// ---------------------------------------------------------------- the definition

Deno.test("canonicalModel: the entry's id for an id or alias in any case, else the name normalised", () => {
  const table = defaultPricing();
  for (const name of ["claude-sonnet-4-5", "claude-sonnet-4.5", "Claude-Sonnet-4-5-20250929 "]) {
    assert.equal(canonicalModel(table, name), "claude-sonnet-4-5", name);
  }
  assert.equal(canonicalModel(table, "GPT-5-Codex"), "gpt-5-codex");
  // A different model that only shares the rates keeps its own name.
  assert.equal(canonicalModel(table, "gpt-5.1-codex"), "gpt-5.1-codex");
  assert.equal(canonicalModel(table, " Foo-Model"), "foo-model");
  assert.equal(canonicalModel(table, "claude-sonnet"), "claude-sonnet"); // no guessing
});

Deno.test("the dated ids Claude reports resolve to their entries", () => {
  const table = defaultPricing();
  const dated: [string, string][] = [
    ["claude-sonnet-4-5-20250929", "claude-sonnet-4-5"],
    ["claude-haiku-4-5-20251001", "claude-haiku-4-5"],
    ["claude-opus-4-5-20251101", "claude-opus-4-5"],
    ["claude-opus-4-1-20250805", "claude-opus-4-1"],
    // The catalogue's ids (claude-sonnet-4-0 is also our overlay's entry, with the 1M tier).
    ["claude-sonnet-4-20250514", "claude-sonnet-4-0"],
    ["claude-opus-4-20250514", "claude-opus-4-0"],
    ["claude-3-5-haiku-20241022", "claude-3-5-haiku"], // google (Vertex) has that id
    // Priced by a catalogue rule, not one of its entry's names: the stem.
    ["anthropic/claude-sonnet-4-5", "claude-sonnet-4-5"],
  ];
  for (const [name, id] of dated) assert.equal(canonicalModel(table, name), id, name);
});

Deno.test("modelSpellings leaves out an alias an earlier entry claims", () => {
  const e = (id: string, aliases: string[]) =>
    toModelPrice(id, { input: 1, output: 1, aliases, tiers: [] }, "x") as ModelPrice;
  const table = mergePricing({
    updated: null,
    entries: [e("a", ["shared"]), e("b", ["shared", "b1"])],
  }, {
    updated: null,
    entries: [],
  });
  assert.deepEqual(modelSpellings(table, "B1"), ["b1", "b"]);
  assert.deepEqual(modelSpellings(table, "shared"), ["shared", "a"]);
});

Deno.test("partial sums merge their model names (as workers post them)", () => {
  const part = (model: string) => {
    const agg = new CostAggregator(["model"], defaultPricing());
    agg.add({
      aggregate_id: "043-x",
      timestamp: "2026-03-01T00:00:00Z",
      payload: payload({ model }),
    } as unknown as ExecutionEvent);
    return structuredClone({ groups: agg.groups(), total: agg.total, ids: [] });
  };
  const merged = mergeResults(part("claude-sonnet-4.5"), part("claude-sonnet-4-5-20250929"));
  assert.equal(merged.groups.length, 1);
  assert.deepEqual(merged.groups[0].key, { model: "claude-sonnet-4-5" });
  assert.deepEqual(
    [...merged.groups[0].totals.model_names].sort(),
    ["claude-sonnet-4-5-20250929", "claude-sonnet-4.5"],
  );
  assert.deepEqual([...merged.total.model_names].sort(), [
    "claude-sonnet-4-5-20250929",
    "claude-sonnet-4.5",
  ]);
});
