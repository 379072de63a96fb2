/**
 * The built-in catalogue: the committed data equals what the pinned
 * package holds; the catalogue's match rules find the names agents report;
 * alias-only overrides; `pricing MODEL`; `pricing update FILE`.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, tempProject } from "./helpers.ts";
import { BUILT_IN_CATALOGUE, defaultPricing } from "../src/cost/builtin_pricing.ts";
import { resolvePrice } from "../src/cost/pricing.ts";
import { CATALOGUE_FILE, catalogueText, extractCatalogue } from "../scripts/prices.ts";
import type { Catalogue } from "../src/cost/catalogue.ts";

// The package comes from npm (cached by Deno after the first run); without
// it the comparison cannot run and says why.
let packaged: Catalogue | null = null;
let unavailable = "";
try {
  packaged = await extractCatalogue();
} catch (error) {
  unavailable = (error as Error).message.split("\n")[0];
  console.log(`skipped: the catalogue package is not available (${unavailable})`);
}

Deno.test({
  name: "catalogue_data.json is exactly what the pinned @pydantic/genai-prices holds",
  ignore: packaged === null,
  fn: async () => {
    assert.equal(await Deno.readTextFile(CATALOGUE_FILE), catalogueText(packaged!));
  },
});

Deno.test("the embedded catalogue keeps decimal strings and dated periods", () => {
  const anthropic = BUILT_IN_CATALOGUE.providers.find((p) => p.id === "anthropic")!;
  const opus = anthropic.models.find((m) => m.id === "claude-opus-4-6")!;
  assert.deepEqual(opus.prices.map((p) => p.from ?? null), [null, "2026-03-13"]);
  assert.deepEqual(opus.prices[0].output, {
    base: "25",
    tiers: [{ start: 200000, price: "37.5" }],
  });
  assert.equal(opus.prices[1].cache_write_1h, "10");
});

Deno.test("the names agents report find their entries", () => {
  const table = defaultPricing();
  const cases: [string, string, string][] = [
    ["claude-sonnet-4-5-20250929", "claude-sonnet-4-5", "rule"],
    ["claude-sonnet-4.5", "claude-sonnet-4-5", "alias"],
    ["anthropic/claude-sonnet-4-5", "claude-sonnet-4-5", "id"],
    ["GPT-5-Codex", "gpt-5", "rule"],
    ["gemini-3-pro", "gemini-3-pro-preview", "alias"],
    ["grok-4", "grok-4-0709", "rule"],
    ["deepseek-chat", "deepseek-chat", "id"],
    ["mistral-large-latest", "mistral-large", "rule"],
  ];
  for (const [name, id, how] of cases) {
    const hit = resolvePrice(table, name);
    assert.equal(hit?.entry.id, id, name);
    assert.equal(hit?.how, how, name);
  }
  assert.equal(resolvePrice(table, "sonnet-4-5"), undefined);
});

Deno.test("an alias-only override adds names to the built-in entry of its id", async () => {
  const root = await tempProject();
  const file = join(root, "p.yaml");
  await Deno.writeTextFile(file, "models:\n  gpt-5:\n    aliases: [Team-Codex]\n");
  const run = await cli(["pricing", "team-codex", "--json", "--root", root, "--pricing", file]);
  assert.equal(run.code, 0, run.stderr);
  const r = JSON.parse(run.stdout);
  assert.deepEqual([r.entry, r.matched_by, r.in_force.input, r.in_force.output], [
    "gpt-5",
    "alias",
    1.25,
    10,
  ]);
  assert.ok(r.aliases.includes("team-codex"));
  assert.equal(r.source, "catalogue (openai)");
  assert.deepEqual(r.overrides, [file]);

  await Deno.writeTextFile(file, "models:\n  no-such-model:\n    aliases: [x]\n");
  const bad = await cli(["cost", "--root", root, "--pricing", file]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /no-such-model: an entry with only aliases adds them .* give it input/);
  const alone = await cli(["cost", "--root", root, "--pricing", file, "--no-builtin-prices"]);
  assert.equal(alone.code, 1);
  assert.match(alone.stderr, /alias-only entry needs the built-in table/);
});

Deno.test("--no-builtin-prices without a file is a usage error", async () => {
  const run = await cli(["cost", "--root", await tempProject(), "--no-builtin-prices"]);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /--no-builtin-prices needs a pricing file: add --pricing FILE/);
});

Deno.test("pricing MODEL --at shows the entry, how it matched and the rates in force", async () => {
  const root = await tempProject();
  const old = await cli(["pricing", "o3-2025-04-16", "--at", "2025-06-09", "--root", root]);
  assert.equal(old.code, 0, old.stderr);
  assert.match(old.stdout, /^o3-2025-04-16 -> o3 \(matched by catalogue rule /);
  assert.match(
    old.stdout,
    /\nin force on 2025-06-09: period from the start; USD per million: input 10, output 40,/,
  );
  assert.match(old.stdout, /\nperiods: start, 2025-06-10\n/);
  const now = await cli(["pricing", "o3", "--json", "--at", "2025-06-10", "--root", root]);
  const j = JSON.parse(now.stdout);
  assert.deepEqual([j.in_force.from, j.in_force.input, j.in_force.output], ["2025-06-10", 2, 8]);
  const none = await cli(["pricing", "mystery-model-x", "--root", root]);
  assert.equal(none.code, 1);
  assert.match(none.stderr, /no entry prices "mystery-model-x"; add it to /);
});

/** A catalogue data file in the package's own published layout. */
function dataJson(inputO3: string): string {
  const provider = (id: string, models: string[]) =>
    `{"id": "${id}", "name": "${id}", "api_pattern": "x", "models": [${models.join(",")}]}`;
  const model = (id: string, prices: string) =>
    `{"id": "${id}", "match": {"equals": "${id}"}, "prices": ${prices}}`;
  return `[${
    [
      provider("anthropic", [
        model(
          "claude-x",
          `{"input_mtok": {"base": 3, "tiers": [{"start": 200000, "price": 6}]}, "output_mtok": 15}`,
        ),
      ]),
      provider("openai", [
        model(
          "o3",
          `[{"prices": {"input_mtok": 10, "output_mtok": 40}}, {"constraint": {"start_date": "2025-06-10"}, "prices": {"input_mtok": ${inputO3}, "output_mtok": 8}}]`,
        ),
      ]),
      ...["google", "mistral", "deepseek", "x-ai", "openrouter"].map((p) =>
        provider(p, [model(`${p}-m`, `{"input_mtok": 0.075, "output_mtok": 0.3}`)])
      ),
    ].join(",")
  }]`;
}

Deno.test("pricing update FILE checks and installs a newer catalogue for the project", async () => {
  const root = await tempProject();
  const file = join(root, "data.json");
  await Deno.writeTextFile(file, dataJson("1.9"));
  const run = await cli(["pricing", "update", file, "--root", root]);
  assert.equal(run.code, 0, run.stderr);
  const target = join(root, ".kittify", "prices-catalogue.json");
  assert.equal(
    run.stdout,
    `${target}: installed genai-prices data.json fetched 2026-03-02 (7 models)\n`,
  );
  const o3 = await cli(["pricing", "o3", "--json", "--root", root]);
  const j = JSON.parse(o3.stdout);
  assert.equal(j.in_force.input, 1.9);
  assert.equal(j.catalogue, "genai-prices data.json fetched 2026-03-02");
  // Read back on every run: the tier survives (a long prompt costs 6 per million).
  const claude = JSON.parse((await cli(["pricing", "claude-x", "--json", "--root", root])).stdout);
  assert.deepEqual(claude.in_force.tiers.map((t: { input: number }) => t.input), [6]);
  // The installed data replaces the embedded catalogue: its other models are gone.
  const gone = await cli(["pricing", "claude-opus-4-6", "--root", root]);
  assert.equal(gone.code, 1);

  // A bad file is refused and the installed one kept.
  await Deno.writeTextFile(file, dataJson('"cheap"'));
  const bad = await cli(["pricing", "update", file, "--root", root]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /data\.json: openai\/o3: expected a non-negative number/);
  assert.equal(
    JSON.parse((await cli(["pricing", "o3", "--json", "--root", root])).stdout).in_force.input,
    1.9,
  );
});
