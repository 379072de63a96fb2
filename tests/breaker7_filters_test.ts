/**
 * Issue #18: `export` with `cost`'s filters exports exactly the events
 * `cost` sums (each id once, junk skipped with cost's warning on stderr,
 * stdout data only), on every path, and the metrics equal `cost --json`.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli } from "./helpers.ts";
import { attrs, OTLP_PYTHON, projectWith, validateOtlp } from "./otlp/otlp_helpers.ts";

type Item = Parameters<typeof attrs>[0];

/** A project with duplicates (one a copy with other content), junk lines and null names. */
async function messyProject() {
  const { root, events } = await projectWith(30, (i) => ({
    agent: ["claude", "codex", null][i % 3],
    role: ["implementer", "reviewer"][i % 2],
    model: ["claude-sonnet-4-5", "gpt-5", null, "no-such-model"][i % 4],
    success: i % 5 !== 0,
    exit_code: i % 5 === 0 ? 2 : 0,
    cost_usd: i % 7 === 0 ? 0.25 : null,
    input_tokens: 1000 * i,
    cache_read_tokens: i % 2 ? 10 * i : null,
  }));
  const log = join(root, "kitty-specs", "043-otel", "execution.events.jsonl");
  const lines = (await Deno.readTextFile(log)).trimEnd().split("\n");
  // An exact copy, a copy in another spelling of the id, and junk.
  lines.push(lines[3], lines[4].replace(events[4].event_id, events[4].event_id.toLowerCase()));
  lines.push("not json", '{"event_type":"ExecutionEvent"}', "");
  await Deno.writeTextFile(log, lines.join("\n") + "\n");
  return root;
}

const FILTERS = [[], ["--agent", "codex"], ["--success", "false"], ["--model", "gpt-5"], [
  "--role",
  "reviewer",
  "--since",
  "2026-01-01T00:10:00Z",
]];

function itemsOf(text: string, signal: "traces" | "logs"): Item[] {
  return text.trimEnd().split("\n").filter((l) => l !== "").flatMap((l) => {
    const data = JSON.parse(l);
    return signal === "traces"
      ? data.resourceSpans[0].scopeSpans[0].spans
      : data.resourceLogs[0].scopeLogs[0].logRecords;
  });
}

Deno.test("export exports exactly the events cost sums, for each filter and path", async () => {
  const root = await messyProject();
  const out = join(root, "out.jsonl");
  for (const filter of FILTERS) {
    const cost = await cli(["cost", "--json", "--root", root, ...filter]);
    assert.equal(cost.code, 0, cost.stderr);
    const total = JSON.parse(cost.stdout).total;
    assert.ok(total.event_count > 0, filter.join(" "));
    for (const signal of ["traces", "logs"] as const) {
      const stdout = await cli(["export", "--signal", signal, "--root", root, ...filter]);
      const file = await cli([
        "export",
        "--signal",
        signal,
        "--out",
        out,
        "--root",
        root,
        ...filter,
      ]);
      for (
        const [path, run, text] of [
          ["stdout", stdout, stdout.stdout],
          ["file", file, await Deno.readTextFile(out)],
        ] as const
      ) {
        const where = `${signal} ${path} ${filter.join(" ")}`;
        assert.equal(run.code, 0, run.stderr);
        const items = itemsOf(text, signal).map(attrs);
        assert.equal(items.length, total.event_count, where);
        assert.equal(new Set(items.map((a) => a["kitty.event_id"])).size, items.length, where);
        const sum = (key: string) => items.reduce((s, a) => s + Number(a[key] ?? 0), 0);
        assert.equal(sum("kitty.input_tokens"), total.total_input_tokens, where);
        assert.equal(sum("gen_ai.usage.cache_read.input_tokens"), total.total_cache_read_tokens);
        // cost's own warnings, word for word (a file export may tell them in another order);
        // nothing but data on stdout.
        const told = (text: string) =>
          text.split("\n").filter((l) => !l.startsWith("note: ")).sort();
        assert.deepEqual(told(run.stderr), told(cost.stderr), where);
        assert.match(run.stderr, /:33: skipped malformed line/);
        if (path === "file") assert.equal(run.stdout, "", where);
      }
      // Twice, the same bytes: the same ids, the same order.
      const again = await cli(["export", "--signal", signal, "--root", root, ...filter]);
      assert.equal(again.stdout, stdout.stdout);
    }
  }
});

Deno.test("metrics of a filtered export equal cost --json's groups, nulls included", async () => {
  const root = await messyProject();
  for (const filter of FILTERS) {
    const keys = "feature,agent,role,model";
    const cost = JSON.parse(
      (await cli(["cost", "--json", "--group-by", keys, "--root", root, ...filter])).stdout,
    );
    const run = await cli(["export", "--signal", "metrics", "--root", root, ...filter]);
    assert.equal(run.code, 0, run.stderr);
    const [usd, tokens] = JSON.parse(run.stdout).resourceMetrics[0].scopeMetrics[0].metrics;
    assert.equal(usd.sum.dataPoints.length, cost.groups.length, filter.join(" "));
    for (const group of cost.groups) {
      const label = (v: string | null) => v ?? "";
      const point = usd.sum.dataPoints.find((p: Item) => {
        const a = attrs(p);
        return a["kitty.feature"] === group.key.feature &&
          a["gen_ai.agent.name"] === label(group.key.agent) &&
          a["kitty.role"] === label(group.key.role) &&
          (a["kitty.model"] ?? null) === group.key.model;
      });
      assert.ok(point, `${filter.join(" ")} ${JSON.stringify(group.key)}`);
      assert.equal(point.asDouble, group.total_cost_usd);
      const same = (p: Item) => {
        const { "gen_ai.token.type": _type, ...rest } = attrs(p);
        return JSON.stringify(rest) === JSON.stringify(attrs(point));
      };
      const types = tokens.sum.dataPoints.filter(same).map((
        p: Item & { asInt: string },
      ) => [attrs(p)["gen_ai.token.type"], p.asInt]);
      assert.deepEqual(types, [
        ["input", String(group.total_input_tokens)],
        ["output", String(group.total_output_tokens)],
        ["cache_read", String(group.total_cache_read_tokens)],
        ["cache_creation", String(group.total_cache_write_tokens)],
      ]);
      assert.ok(BigInt(point.startTimeUnixNano) <= BigInt(point.timeUnixNano));
    }
  }
});

Deno.test({
  name: "every signal of the messy project, filtered or not, parses strictly",
  ignore: OTLP_PYTHON.python === undefined,
  fn: async () => {
    const root = await messyProject();
    for (const filter of FILTERS) {
      for (const signal of ["traces", "logs", "metrics"]) {
        const run = await cli(["export", "--signal", signal, "--root", root, ...filter]);
        assert.equal(run.code, 0, run.stderr);
        assert.equal(await validateOtlp(signal, run.stdout), 1, `${signal} ${filter.join(" ")}`);
      }
    }
  },
});
