import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, REFERENCE_ROOT, REPO_ROOT, tempProject } from "./helpers.ts";
import { parseYaml } from "../src/yaml.ts";
import { BUILT_IN, BUILT_IN_TEXT, defaultPricing, overlay } from "../src/cost/builtin_pricing.ts";
import { parsePricing } from "../src/cost/pricing_parse.ts";
import { findPrice, mergePricing, type PricingTable } from "../src/cost/pricing.ts";

const SPEC_KITTY_PRICING = join(REFERENCE_ROOT, "spec-kitty-pricing.yaml");

// ---------------------------------------------------------------- the built-in table

Deno.test("the built-in overlay parses with the schema, and every entry names its source", async () => {
  const text = await Deno.readTextFile(join(REPO_ROOT, "pricing.yaml"));
  const parsed = parsePricing(text, "pricing.yaml"); // the schema the overrides get
  const raw = parseYaml(text) as { models: Record<string, Record<string, unknown>> };
  const ids = Object.keys(raw.models);
  assert.ok(ids.length >= 10, `only ${ids.length} entries`);
  for (const [id, entry] of Object.entries(raw.models)) {
    assert.match(String(entry.source ?? ""), /\S{8}/, `${id} has no source`);
  }
  assert.equal(parsed.entries.length + parsed.alias_only!.length, ids.length);
  // Each overlay entry is in the built-in table under its id, with its aliases.
  const table = defaultPricing();
  for (const id of ids) {
    const entry = table.entries.find((e) => e.id === id);
    assert.ok(entry, id);
    for (const alias of (raw.models[id].aliases as string[] | undefined) ?? []) {
      assert.equal(findPrice(table, alias), entry, alias);
    }
  }
  assert.ok(table.entries.filter((e) => e.source === BUILT_IN).length >= 1);
});

Deno.test("the built-in table is the catalogue's: every provider, hundreds of models", () => {
  const table = defaultPricing();
  assert.match(table.catalogue ?? "", /^@pydantic\/genai-prices \d+\.\d+\.\d+$/);
  assert.ok(table.entries.length > 500, `${table.entries.length}`);
  for (const p of ["anthropic", "openai", "google", "mistral", "deepseek", "x-ai", "openrouter"]) {
    assert.ok(table.entries.some((e) => e.source === `catalogue (${p})`), p);
  }
  for (const e of table.entries) {
    assert.ok(e.periods.length >= 1, e.id);
    assert.ok(e.periods.every((p, i) => i === 0 || p.from_ms > e.periods[i - 1].from_ms), e.id);
  }
});

Deno.test("the built-in model ids and aliases are unique and already normalised", () => {
  const names = defaultPricing().entries.flatMap((e) => [e.id, ...e.aliases]);
  const seen = new Set<string>();
  for (const name of names) {
    assert.ok(!seen.has(name), `${name} appears twice`);
    assert.equal(name, name.trim().toLowerCase());
    seen.add(name);
  }
});

Deno.test("the built-in overlay has an updated date", () => {
  const { updated } = defaultPricing();
  assert.match(updated ?? "", /^\d{4}-\d{2}-\d{2}$/);
  assert.equal(new Date(`${updated}T00:00:00Z`).toISOString().slice(0, 10), updated);
  assert.ok(BUILT_IN_TEXT.includes(`updated: ${updated}`));
});

// ---------------------------------------------------------------- merging

const BASE = parsePricing(
  `updated: 2026-01-01
models:
  a:
    input: 1
    output: 2
    aliases: [a1, a2]
    tiers:
      - { above_input_tokens: 10, input: 5, output: 6 }
  b: {input: 3, output: 4, aliases: [b1]}
  c: {input: 7, output: 8}
`,
  BUILT_IN,
);

function ids(table: PricingTable): string[] {
  return table.entries.map((e) => e.id).sort();
}

Deno.test("an override entry with a default's id replaces it wholesale", () => {
  const merged = mergePricing(
    BASE,
    parsePricing("models:\n  a: {input: 9, output: 9}\n", "over.yaml"),
  );
  assert.deepEqual(ids(merged), ["a", "b", "c"]);
  const a = findPrice(merged, "a")!;
  assert.equal(a.source, "over.yaml");
  assert.equal(a.periods[0].rates.input, 9_000_000_000n);
  assert.deepEqual(a.periods[0].tiers, []); // the default's tiers went with it
  assert.equal(findPrice(merged, "a1"), undefined); // and so did its aliases
  assert.equal(findPrice(merged, "b1")!.source, BUILT_IN);
  assert.equal(merged.updated, "2026-01-01"); // the override has no date of its own
});

Deno.test("an override entry named like a default's alias replaces it; its id is canonical", () => {
  const merged = mergePricing(
    BASE,
    parsePricing("updated: 2026-05-05\nmodels:\n  A2: {input: 9, output: 9}\n", "over.yaml"),
  );
  assert.deepEqual(ids(merged), ["a2", "b", "c"]);
  assert.equal(findPrice(merged, "a"), undefined);
  assert.equal(findPrice(merged, "a1"), undefined);
  assert.equal(findPrice(merged, "A2")!.id, "a2");
  assert.equal(merged.updated, "2026-05-05");
});

Deno.test("an override sharing any alias replaces every default it touches", () => {
  const merged = mergePricing(
    BASE,
    parsePricing("models:\n  new: {input: 9, output: 9, aliases: [a1, B1]}\n", "over.yaml"),
  );
  assert.deepEqual(ids(merged), ["c", "new"]);
  for (const name of ["new", "a1", "b1"]) assert.equal(findPrice(merged, name)!.id, "new", name);
  assert.equal(findPrice(merged, "a"), undefined);
  assert.equal(findPrice(merged, "b"), undefined);
  const c = findPrice(merged, "c")!;
  assert.equal(c.source, BUILT_IN);
  assert.equal(c.periods[0].rates.input, 7_000_000_000n);
});

Deno.test("spec-kitty's file merges over the built-in table, per-1k rates read per million", async () => {
  const override = parsePricing(await Deno.readTextFile(SPEC_KITTY_PRICING), SPEC_KITTY_PRICING);
  const base = defaultPricing();
  const merged = mergePricing(base, override);
  // gpt-4.1, gpt-4.1-mini, gpt-4.1-nano, gemini-2.5-pro and gemini-2.5-flash are catalogue
  // ids, and claude-haiku-3-5-20241022 an overlay alias of claude-3-5-haiku-latest: those 6
  // entries are replaced. The two dated Claude ids are only matched by catalogue rules, so
  // their entries are new and the catalogue's claude-sonnet-4-0 stays for its other names.
  assert.equal(merged.entries.length, base.entries.length - 6 + 8);
  assert.equal(findPrice(merged, "claude-3-5-haiku-latest"), undefined);
  assert.equal(findPrice(merged, "claude-sonnet-4")!.id, "claude-sonnet-4-0");
  const sonnet = findPrice(merged, "claude-sonnet-4-20250514")!;
  assert.equal(sonnet.id, "claude-sonnet-4-20250514");
  assert.equal(sonnet.source, SPEC_KITTY_PRICING);
  assert.deepEqual(sonnet.periods[0].rates, {
    input: 3_000_000_000n, // 0.003 per 1k = 3 per million
    output: 15_000_000_000n,
    cache_read: 3_000_000_000n, // no cache rates: the input rate
    cache_write: 3_000_000_000n,
    cache_write_1h: 3_000_000_000n, // no 1-hour rate: the write rate
  });
  assert.deepEqual(sonnet.periods[0].tiers, []);
  assert.equal(findPrice(merged, "gemini-2.5-flash")!.periods[0].rates.input, 150_000_000n); // 0.15
  assert.equal(
    findPrice(merged, "claude-haiku-3-5-20241022")!.periods[0].rates.input,
    800_000_000n,
  );
  assert.equal(findPrice(merged, "claude-sonnet-4-5")!.source, "catalogue (anthropic)");
  assert.equal(merged.updated, base.updated);
});

// ---------------------------------------------------------------- overrides through the CLI

/**
 * A project whose events tell the spec-kitty table from the built-in one:
 * - gemini-2.5-flash, 1M input: built-in 0.3, spec-kitty 0.15;
 * - gpt-4.1, 1M cache read: built-in 0.5 (cache rate), spec-kitty 2 (input rate);
 * - claude-sonnet-4-20250514, 300000 input: built-in 1.8 (tier 6), spec-kitty 0.9 (3, no tier).
 */
async function discriminatingProject(): Promise<string> {
  const root = await tempProject();
  const runs: [string, string, string][] = [
    ["gemini-2.5-flash", "--input-tokens", "1000000"],
    ["gpt-4.1", "--cache-read-tokens", "1000000"],
    ["claude-sonnet-4-20250514", "--input-tokens", "300000"],
  ];
  for (const [model, flag, value] of runs) {
    const run = await cli([
      "emit",
      "--root",
      root,
      "--feature",
      "001-pricing",
      "--agent",
      "claude",
      "--role",
      "implementer",
      "--model",
      model,
      flag,
      value,
    ]);
    assert.equal(run.code, 0, run.stderr);
  }
  return root;
}

async function costsByModel(
  args: string[],
  env: Record<string, string> = {},
): Promise<Record<string, number>> {
  const run = await cli(["cost", "--json", "--group-by", "model", ...args], { env });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stderr, "");
  const report = JSON.parse(run.stdout);
  return Object.fromEntries(
    report.groups.map((g: { group_key: string; total_cost_usd: number }) => [
      g.group_key,
      g.total_cost_usd,
    ]),
  );
}

// Grouped by canonical model: the dated id recorded groups under the built-in entry's id
// (the catalogue's claude-sonnet-4-0, with our overlay's 1M-context tier: 300000 * 6).
const BUILT_IN_COSTS = {
  "claude-sonnet-4-0": 1.8,
  "gpt-4.1": 0.5,
  "gemini-2.5-flash": 0.3,
};
const SPEC_KITTY_COSTS = {
  "gpt-4.1": 2,
  "claude-sonnet-4-20250514": 0.9,
  "gemini-2.5-flash": 0.15,
};

Deno.test("without an override, cost uses the built-in table", async () => {
  const root = await discriminatingProject();
  assert.deepEqual(await costsByModel(["--root", root]), BUILT_IN_COSTS);
});

Deno.test("spec-kitty's pricing file works as an override through cost --pricing FILE", async () => {
  const root = await discriminatingProject();
  assert.deepEqual(
    await costsByModel(["--root", root, "--pricing", SPEC_KITTY_PRICING]),
    SPEC_KITTY_COSTS,
  );
});

Deno.test("spec-kitty's pricing file works as the project's .kittify/pricing.yaml", async () => {
  const root = await discriminatingProject();
  await Deno.mkdir(join(root, ".kittify"));
  await Deno.copyFile(SPEC_KITTY_PRICING, join(root, ".kittify", "pricing.yaml"));
  assert.deepEqual(await costsByModel(["--root", root]), SPEC_KITTY_COSTS);
});

Deno.test("spec-kitty's pricing file works through KITTY_TELEMETRY_PRICING", async () => {
  const root = await discriminatingProject();
  assert.deepEqual(
    await costsByModel(["--root", root], { KITTY_TELEMETRY_PRICING: SPEC_KITTY_PRICING }),
    SPEC_KITTY_COSTS,
  );
});

Deno.test("--pricing beats the environment, which beats the project file", async () => {
  const root = await discriminatingProject();
  await Deno.mkdir(join(root, ".kittify"));
  await Deno.copyFile(SPEC_KITTY_PRICING, join(root, ".kittify", "pricing.yaml"));
  const envFile = join(root, "env-pricing.yaml");
  await Deno.writeTextFile(envFile, "models:\n  gemini-2.5-flash: {input: 1, output: 1}\n");
  const flagFile = join(root, "flag-pricing.yaml");
  await Deno.writeTextFile(flagFile, "models:\n  gemini-2.5-flash: {input: 2, output: 2}\n");
  const env = { KITTY_TELEMETRY_PRICING: envFile };
  // The env file replaces the project file entirely: gpt-4.1 and sonnet are built-in again.
  assert.deepEqual(await costsByModel(["--root", root], env), {
    ...BUILT_IN_COSTS,
    "gemini-2.5-flash": 1,
  });
  assert.deepEqual(await costsByModel(["--root", root, "--pricing", flagFile], env), {
    ...BUILT_IN_COSTS,
    "gemini-2.5-flash": 2,
  });
});

Deno.test("a relative --pricing path is read from the working directory", async () => {
  const root = await discriminatingProject();
  await Deno.copyFile(SPEC_KITTY_PRICING, join(root, "sk.yaml"));
  const run = await cli(["cost", "--json", "--group-by", "model", "--pricing", "sk.yaml"], {
    cwd: root,
    env: { KITTY_TELEMETRY_ROOT: root },
  });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(JSON.parse(run.stdout).total.total_cost_usd, 3.05); // 2 + 0.9 + 0.15
});

// ---------------------------------------------------------------- malformed overrides

const MALFORMED: Record<string, { text: string; line: number | null; problem: RegExp }> = {
  "bad YAML": {
    text: "models:\n  m: {input: 1, output: 2\n  n: {input: 1, output: 2}\n",
    line: null,
    problem: /invalid YAML/,
  },
  "negative rate": {
    text: "updated: 2026-01-01\nmodels:\n  ok-model:\n    input: 1\n    output: 2\n" +
      "  bad-model:\n    output: 2\n    input: -1\n",
    line: 8,
    problem: /models\.bad-model\.input/,
  },
  "missing output": {
    text: "models:\n  ok-model: {input: 1, output: 2}\n  bad-model:\n    input: 1\n",
    line: 3,
    problem: /models\.bad-model: .*output/,
  },
  "unknown field": {
    text: "models:\n  bad-model:\n    input: 1\n    output: 2\n    outptu: 3\n",
    line: null,
    problem: /unknown field outptu/,
  },
  "duplicate alias": {
    text: "models:\n  a:\n    input: 1\n    output: 2\n    aliases: [shared]\n" +
      "  b:\n    input: 1\n    output: 2\n    aliases:\n      - other\n      - Shared\n",
    line: null,
    problem: /"shared" is given twice/,
  },
};

for (const [name, { text, line, problem }] of Object.entries(MALFORMED)) {
  Deno.test(`cost with a malformed override (${name}) exits 1 with one error line`, async () => {
    const root = await discriminatingProject();
    const file = join(root, "bad-pricing.yaml");
    await Deno.writeTextFile(file, text);
    const run = await cli(["cost", "--json", "--root", root, "--pricing", file]);
    assert.equal(run.code, 1);
    assert.equal(run.stdout, "");
    assert.match(run.stderr, /^error: [^\n]*\n$/);
    const m = new RegExp(`^error: ${RegExp.escape(file)}:(\\d+): (.*)\\n$`).exec(run.stderr);
    assert.ok(m, run.stderr);
    assert.ok(Number(m[1]) >= 1 && Number(m[1]) <= text.split("\n").length, run.stderr);
    if (line !== null) assert.equal(Number(m[1]), line, run.stderr);
    assert.match(m[2], problem);
  });
}

Deno.test("a negative rate is reported at its own line with the field and the problem", async () => {
  const file = join(await tempProject(), "p.yaml");
  await Deno.writeTextFile(file, MALFORMED["negative rate"].text);
  const run = await cli(["cost", "--root", await tempProject(), "--pricing", file]);
  assert.deepEqual(run, {
    code: 1,
    stdout: "",
    stderr: `error: ${file}:8: models.bad-model.input: Too small: expected number to be >=0\n`,
  });
});

Deno.test("a duplicate alias is reported at a line where that name is written", async () => {
  // Lines: 5 `aliases: [shared]`, 11 `- Shared`; the error should point at one of them.
  const file = join(await tempProject(), "p.yaml");
  await Deno.writeTextFile(file, MALFORMED["duplicate alias"].text);
  const run = await cli(["pricing", "check", file]);
  assert.equal(run.code, 1);
  assert.match(run.stderr, new RegExp(`^error: ${RegExp.escape(file)}:(5|11): `), run.stderr);
});

Deno.test("a malformed project .kittify/pricing.yaml or env file is an error, not ignored", async () => {
  const root = await discriminatingProject();
  await Deno.mkdir(join(root, ".kittify"));
  const projectFile = join(root, ".kittify", "pricing.yaml");
  await Deno.writeTextFile(projectFile, MALFORMED["negative rate"].text);
  const run = await cli(["cost", "--root", root]);
  assert.equal(run.code, 1);
  assert.equal(run.stdout, "");
  assert.match(run.stderr, new RegExp(`^error: ${RegExp.escape(projectFile)}:8: [^\\n]*\\n$`));

  const envFile = join(root, "env.yaml");
  await Deno.writeTextFile(envFile, MALFORMED["missing output"].text);
  const env = await cli(["cost", "--root", root], { env: { KITTY_TELEMETRY_PRICING: envFile } });
  assert.equal(env.code, 1);
  assert.equal(env.stdout, "");
  assert.match(env.stderr, new RegExp(`^error: ${RegExp.escape(envFile)}:3: [^\\n]*\\n$`));
});

Deno.test("a missing --pricing file is an error naming it", async () => {
  const root = await tempProject();
  const file = join(root, "nope.yaml");
  const run = await cli(["cost", "--root", root, "--pricing", file]);
  assert.equal(run.code, 2); // the caller's input (tests/breaker4_settings_test.ts)
  assert.equal(run.stdout, "");
  assert.match(
    run.stderr,
    new RegExp(`^error: --pricing: no such file: ${RegExp.escape(file)} [^\\n]*\\n$`),
  );
});

// ---------------------------------------------------------------- pricing command

interface JsonModel {
  id: string;
  source: string;
  [k: string]: unknown;
}

Deno.test("pricing --json lists every built-in model with its periods, rates and source", async () => {
  const root = await tempProject();
  const run = await cli(["pricing", "--json", "--root", root]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stderr, "");
  const out = JSON.parse(run.stdout) as { updated: string; catalogue: string; models: JsonModel[] };
  assert.equal(out.updated, defaultPricing().updated);
  assert.equal(out.catalogue, defaultPricing().catalogue);
  const listed = out.models.map((m) => m.id);
  assert.deepEqual(listed, defaultPricing().entries.map((e) => e.id).sort());
  assert.ok(out.models.length > 500, `${out.models.length} models`);
  const tier = { above_input_tokens: 200000, input: 6, output: 22.5, cache_read: 0.6 };
  assert.deepEqual(out.models.find((m) => m.id === "claude-sonnet-4-5"), {
    id: "claude-sonnet-4-5",
    aliases: ["claude-sonnet-4.5", "claude sonnet 4.5"], // the overlay's
    input: 3,
    output: 15,
    cache_read: 0.3,
    cache_write: 3.75,
    cache_write_1h: 6,
    tiers: [{ ...tier, cache_write: 7.5, cache_write_1h: 12 }],
    periods: [{
      from: null,
      input: 3,
      output: 15,
      cache_read: 0.3,
      cache_write: 3.75,
      cache_write_1h: 6,
      tiers: [{ ...tier, cache_write: 7.5, cache_write_1h: 12 }],
    }],
    source: "catalogue (anthropic)",
    reference: "https://www.anthropic.com/pricing#api",
  });
  // o3: cut from $10/$40 to $2/$8 on 2025-06-10; the top-level rates are the latest.
  const o3 = out.models.find((m) => m.id === "o3")!;
  assert.deepEqual([o3.input, o3.output, o3.cache_read, o3.cache_write], [2, 8, 0.5, 2]);
  assert.deepEqual(
    (o3.periods as { from: string | null; input: number; output: number }[]).map((
      p,
    ) => [p.from, p.input, p.output]),
    [[null, 10, 40], ["2025-06-10", 2, 8]],
  );
});

Deno.test("pricing --json names the override file as the source of its entries", async () => {
  const root = await tempProject();
  await Deno.mkdir(join(root, ".kittify"));
  const projectFile = join(root, ".kittify", "pricing.yaml");
  await Deno.copyFile(SPEC_KITTY_PRICING, projectFile);
  for (
    const [args, env, source] of [
      [["--pricing", SPEC_KITTY_PRICING], {}, SPEC_KITTY_PRICING],
      [[], { KITTY_TELEMETRY_PRICING: SPEC_KITTY_PRICING }, SPEC_KITTY_PRICING],
      [[], {}, projectFile],
    ] as [string[], Record<string, string>, string][]
  ) {
    const run = await cli(["pricing", "--json", "--root", root, ...args], { env });
    assert.equal(run.code, 0, run.stderr);
    const out = JSON.parse(run.stdout);
    assert.deepEqual(out.overrides, [source]);
    const models = out.models as JsonModel[];
    const bySource = (s: string) => models.filter((m) => m.source === s).map((m) => m.id);
    assert.deepEqual(bySource(source), [
      "claude-haiku-3-5-20241022",
      "claude-opus-4-20250514",
      "claude-sonnet-4-20250514",
      "gemini-2.5-flash",
      "gemini-2.5-pro",
      "gpt-4.1",
      "gpt-4.1-mini",
      "gpt-4.1-nano",
    ]);
    assert.equal(models.length, defaultPricing().entries.length - 6 + 8); // see above
    const flash = models.find((m) => m.id === "gemini-2.5-flash")!;
    assert.deepEqual(
      [flash.input, flash.output, flash.cache_read, flash.cache_write, flash.source],
      [0.15, 3.5, 0.15, 0.15, source], // no cache rates: the input rate
    );
  }
});

Deno.test("pricing shows per-1k rates per million without floating-point noise", async () => {
  // 0.00003 per 1k is 0.03 per million (gemini-2.5-flash's cache read rate), but
  // 0.00003 * 1000 in binary floating point is 0.030000000000000002.
  const root = await tempProject();
  const file = join(root, "p.yaml");
  await Deno.writeTextFile(
    file,
    "models:\n  m:\n    input_per_1k: 0.00003\n    output_per_1k: 0.000015\n",
  );
  const json = await cli(["pricing", "--json", "--root", root, "--pricing", file]);
  assert.equal(json.code, 0, json.stderr);
  const m = (JSON.parse(json.stdout).models as JsonModel[]).find((x) => x.id === "m")!;
  assert.deepEqual([m.input, m.output], [0.03, 0.015]);
  const table = await cli(["pricing", "--root", root, "--pricing", file]);
  assert.match(table.stdout, /^m +- +0\.03 +0\.015 +0\.03 +0\.03 +0\.03 +- +\S+$/m);
});

Deno.test("pricing check exits 0 for a good file and 1 for a bad one", async () => {
  const good = await cli(["pricing", "check", SPEC_KITTY_PRICING]);
  assert.deepEqual(good, { code: 0, stdout: `${SPEC_KITTY_PRICING}: ok (8 models)\n`, stderr: "" });

  const builtIn = await cli(["pricing", "check", join(REPO_ROOT, "pricing.yaml")]);
  assert.equal(builtIn.code, 0, builtIn.stderr);
  const o = overlay();
  assert.equal(
    builtIn.stdout,
    `${join(REPO_ROOT, "pricing.yaml")}: ok (${o.entries.length} models, ${
      o.alias_only!.length
    } alias-only)\n`,
  );

  const bad = join(await tempProject(), "bad.yaml");
  await Deno.writeTextFile(bad, MALFORMED["negative rate"].text);
  const run = await cli(["pricing", "check", bad]);
  assert.deepEqual(run, {
    code: 1,
    stdout: "",
    stderr: `error: ${bad}:8: models.bad-model.input: Too small: expected number to be >=0\n`,
  });

  const missing = await cli(["pricing", "check", join(await tempProject(), "none.yaml")]);
  assert.equal(missing.code, 2);
  assert.equal(missing.stdout, "");
  assert.match(missing.stderr, /^error: pricing check: no such file: [^\n]*none\.yaml [^\n]*\n$/);
});

Deno.test("the built-in overlay, read without the schemas, equals the schema-checked one", () => {
  assert.deepEqual(overlay(), parsePricing(BUILT_IN_TEXT, BUILT_IN));
});
