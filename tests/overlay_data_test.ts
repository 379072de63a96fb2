/**
 * The built-in overlay is read from `src/cost/overlay_data.json` (no YAML
 * parser at start-up); pricing.yaml is its source: the JSON must be what
 * `deno task pricing:overlay` writes from it, and `cost` must not load the
 * YAML parser. (`pricing_test.ts` holds `overlay()` to the schema-checked
 * pricing.yaml as well.)
 */
import assert from "node:assert/strict";
import { overlayJson, SOURCE, TARGET } from "../scripts/build_overlay.ts";
import { overlay } from "../src/cost/builtin_pricing.ts";

Deno.test("overlay_data.json is what pricing.yaml builds to", async () => {
  assert.equal(
    await Deno.readTextFile(TARGET),
    overlayJson(await Deno.readTextFile(SOURCE)),
    "pricing.yaml changed: run `deno task pricing:overlay`",
  );
});

Deno.test("dates are written as days, as the overlay's readers take them", () => {
  assert.equal(
    overlayJson("updated: 2026-11-30\nmodels: {}\n"),
    '{\n  "updated": "2026-11-30",\n  "models": {}\n}\n',
  );
  assert.match(overlay().updated!, /^\d{4}-\d{2}-\d{2}$/);
});

Deno.test("cost's module graph has no YAML parser", async () => {
  const info = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", new URL("../src/cli/cost.ts", import.meta.url).pathname],
    stdout: "piped",
    stderr: "null",
  }).output();
  const graph = JSON.parse(new TextDecoder().decode(info.stdout)) as {
    modules: {
      specifier: string;
      dependencies?: { code?: { specifier: string }; isDynamic?: boolean }[];
    }[];
  };
  const deps = new Map(graph.modules.map((m) => [
    m.specifier,
    (m.dependencies ?? []).filter((d) => d.code && !d.isDynamic).map((d) => d.code!.specifier),
  ]));
  // What cost.ts loads before it runs: its static imports, transitively.
  const loaded = new Set<string>();
  const visit = (s: string) => {
    if (loaded.has(s)) return;
    loaded.add(s);
    for (const d of deps.get(s) ?? []) visit(d);
  };
  visit(new URL("../src/cli/cost.ts", import.meta.url).href);
  assert.ok(loaded.size > 20, `${loaded.size} modules`);
  assert.deepEqual([...loaded].filter((s) => /yaml/i.test(s) && !s.endsWith("pricing.yaml")), []);
});
