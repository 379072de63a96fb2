/**
 * `export --format otlp-json`: every line parses with the official OTLP
 * definitions in strict mode, and the mapping says what the events say.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli } from "./helpers.ts";
import { attrs, OTLP_PYTHON, projectWith, validateOtlp } from "./otlp/otlp_helpers.ts";

const noPython = OTLP_PYTHON.python === undefined;

/** Events of every shape the mapping handles: failures, unpriced, nulls, reported cost. */
const varied = (i: number): Record<string, unknown> =>
  [
    {},
    { success: false, exit_code: 3, error: "boom \u0000 \ud83d\ude00", duration_ms: 1500 },
    { model: "no-such-model-x", cache_read_tokens: 7, cache_write_tokens: 9 },
    { model: null, input_tokens: null, output_tokens: null },
    { cost_usd: 0.1234567, reasoning_tokens: 4, agent: "constructor", role: "__proto__" },
    { success: false, exit_code: 0 },
  ][i % 6];

for (const signal of ["traces", "logs", "metrics"]) {
  Deno.test({
    name: `every ${signal} line parses strictly with the official OTLP definitions`,
    ignore: noPython,
    fn: async () => {
      const { root } = await projectWith(2100, varied);
      const run = await cli(["export", "--signal", signal, "--root", root]);
      assert.equal(run.code, 0, run.stderr);
      const lines = run.stdout.trimEnd().split("\n");
      // 2,100 events: three lines of at most 1,000 (metrics: one line of sums).
      assert.equal(lines.length, signal === "metrics" ? 1 : 3);
      assert.equal(await validateOtlp(signal, run.stdout), lines.length);
    },
  });
}

Deno.test({
  name: "the validator is strict: an unknown field or a bad span id is refused",
  ignore: noPython,
  fn: async () => {
    const { root } = await projectWith(1);
    const line = JSON.parse((await cli(["export", "--root", root])).stdout);
    const span = line.resourceSpans[0].scopeSpans[0].spans[0];
    await validateOtlp("traces", JSON.stringify(line));
    await assert.rejects(
      () => validateOtlp("traces", JSON.stringify({ ...line, bogus: 1 })),
      /bogus/,
    );
    span.spanId = span.spanId.toUpperCase() + "0";
    await assert.rejects(() => validateOtlp("traces", JSON.stringify(line)), /spanId/);
  },
});

Deno.test("a span runs from timestamp minus duration to timestamp, with the GenAI usage attributes", async () => {
  const { root, events } = await projectWith(2, (i) =>
    i === 1
      ? {
        success: false,
        exit_code: 3,
        error: "tests failed",
        duration_ms: 1500,
        input_tokens: 100,
        cache_read_tokens: 20,
        cache_write_tokens: 3,
        reasoning_tokens: 4,
      }
      : {});
  const run = await cli(["export", "--root", root]);
  const spans = JSON.parse(run.stdout).resourceSpans[0].scopeSpans[0].spans;
  const failed = spans[1];
  const end = BigInt(Date.parse(events[1].timestamp)) * 1_000_000n;
  assert.equal(failed.endTimeUnixNano, String(end));
  assert.equal(failed.startTimeUnixNano, String(end - 1_500_000_000n));
  assert.equal(failed.name, "invoke_agent claude");
  assert.deepEqual(failed.status, { code: 2, message: "tests failed" });
  assert.equal(spans[0].status, undefined);
  const a = attrs(failed);
  assert.equal(a["gen_ai.usage.input_tokens"], "123"); // ours + cache read + cache write
  assert.equal(a["kitty.input_tokens"], "100");
  assert.equal(a["gen_ai.usage.cache_read.input_tokens"], "20");
  assert.equal(a["gen_ai.usage.cache_creation.input_tokens"], "3");
  assert.equal(a["gen_ai.usage.reasoning.output_tokens"], "4");
  assert.equal(a["gen_ai.usage.output_tokens"], "10");
  assert.equal(a["error.type"], "exit_code_3");
  assert.equal(a["kitty.exit_code"], "3");
  assert.equal(a["kitty.feature"], "043-otel");
  assert.equal(a["kitty.event_id"], events[1].event_id);
  assert.equal(a["kitty.lamport_clock"], "2");
  assert.equal(a["kitty.cost_source"], "estimated");
  assert.equal(a["gen_ai.request.model"], "claude-sonnet-4-5");
  assert.equal(attrs(spans[0])["error.type"], undefined);
  const resource = attrs(JSON.parse(run.stdout).resourceSpans[0].resource);
  assert.equal(resource["service.name"], "kitty-telemetry");
  assert.equal(
    attrs(
      JSON.parse((await cli(["export", "--root", root, "--project", "shop"])).stdout)
        .resourceSpans[0].resource,
    )["kitty.project"],
    "shop",
  );
});

Deno.test("trace and span ids are the same on every export and differ between events", async () => {
  const { root } = await projectWith(50);
  const ids = async () =>
    JSON.parse((await cli(["export", "--root", root])).stdout).resourceSpans[0].scopeSpans[0]
      .spans.map((s: { traceId: string; spanId: string }) => s.traceId + s.spanId);
  const first = await ids();
  assert.deepEqual(await ids(), first);
  assert.equal(new Set(first).size, 50);
});

Deno.test("log records carry the span's ids, the event's time and name, and its attributes", async () => {
  const { root, events } = await projectWith(3, (i) => i === 2 ? { success: false } : {});
  const spans = JSON.parse((await cli(["export", "--root", root])).stdout)
    .resourceSpans[0].scopeSpans[0].spans;
  const records = JSON.parse((await cli(["export", "--signal", "logs", "--root", root])).stdout)
    .resourceLogs[0].scopeLogs[0].logRecords;
  assert.equal(records.length, 3);
  assert.equal(records[2].traceId, spans[2].traceId);
  assert.equal(records[2].spanId, spans[2].spanId);
  assert.equal(records[2].eventName, "kitty.execution");
  assert.equal(records[2].severityText, "ERROR");
  assert.equal(records[0].severityText, "INFO");
  assert.equal(
    records[1].timeUnixNano,
    String(BigInt(Date.parse(events[1].timestamp)) * 1_000_000n),
  );
  assert.deepEqual(attrs(records[1]), attrs(spans[1]));
});

Deno.test("metric sums equal cost --json grouped by feature, agent, role and model", async () => {
  const { root } = await projectWith(40, (i) => ({
    agent: ["claude", "codex"][i % 2],
    role: ["implementer", "reviewer", "planner"][i % 3],
    model: ["claude-sonnet-4-5", "gpt-5", "unknown-model"][i % 3],
    input_tokens: 1000 + i,
    cache_read_tokens: i,
    cost_usd: i % 5 === 0 ? 0.000123 * i : null,
  }));
  const cost = JSON.parse(
    (await cli(["cost", "--json", "--group-by", "feature,agent,role,model", "--root", root]))
      .stdout,
  );
  const metrics = JSON.parse((await cli(["export", "--signal", "metrics", "--root", root])).stdout)
    .resourceMetrics[0].scopeMetrics[0].metrics;
  const [usd, tokens] = metrics;
  assert.equal(usd.name, "kitty.cost.usage");
  assert.equal(usd.sum.isMonotonic, true);
  assert.equal(usd.sum.aggregationTemporality, 2);
  assert.equal(usd.sum.dataPoints.length, cost.groups.length);
  for (const group of cost.groups) {
    const point = usd.sum.dataPoints.find((p: never) => {
      const a = attrs(p);
      return a["kitty.feature"] === group.key.feature &&
        a["gen_ai.agent.name"] === group.key.agent &&
        a["kitty.role"] === group.key.role && a["kitty.model"] === group.key.model;
    });
    assert.ok(point, JSON.stringify(group.key));
    assert.equal(point.asDouble, group.total_cost_usd);
    const input = tokens.sum.dataPoints.find((p: never) =>
      JSON.stringify(attrs(p)) ===
        JSON.stringify({ ...attrs(point), "gen_ai.token.type": "input" })
    );
    assert.equal(input.asInt, String(group.total_input_tokens));
  }
});

Deno.test("export checks its flags and writes --out whole", async () => {
  const { root } = await projectWith(5);
  for (
    const args of [
      ["--signal", "spans"],
      ["--format", "json"],
      ["--out", "x", "--endpoint", "http://127.0.0.1:1"],
      ["--full"],
      ["--type", "Other"],
    ]
  ) {
    const run = await cli(["export", "--root", root, ...args]);
    assert.equal(run.code, 2, args.join(" "));
    assert.match(run.stderr, /^error: /);
  }
  const out = join(root, "spans.jsonl");
  await Deno.writeTextFile(out, "old content that must go\n".repeat(100));
  const run = await cli(["export", "--root", root, "--out", out]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, "");
  const written = await Deno.readTextFile(out);
  assert.equal(written, (await cli(["export", "--root", root])).stdout);
  const left = [...Deno.readDirSync(root)].map((e) => e.name).filter((n) => n.endsWith(".tmp"));
  assert.deepEqual(left, []);
  assert.match((await cli(["export", "--help"])).stdout, /--signal SIGNAL/);
});

Deno.test("docs/opentelemetry.md prints the mapping table as the code has it", async () => {
  const { EVENT_ATTRIBUTES } = await import("../src/export/otlp_mapping.ts");
  const doc = await Deno.readTextFile(new URL("../docs/opentelemetry.md", import.meta.url));
  // deno fmt pads the cells, so rows are compared cell by cell.
  const documented = doc.split("\n").filter((l) => /^\| `(gen_ai|kitty|error)\./.test(l))
    .map((l) => l.split(" | ").map((cell) => cell.replace(/^\|/, "").replace(/\|$/, "").trim()))
    .filter((cells) => ["string", "int", "double", "bool"].includes(cells[1]));
  const rows = EVENT_ATTRIBUTES.map((a) => [`\`${a.key}\``, a.type, a.help]);
  assert.ok(rows.length > 20);
  assert.deepEqual(documented, rows, "regenerate the table in docs/opentelemetry.md");
});
