/**
 * Issue #18 against odd but real events: what every export path (stdout, a
 * file, the push's string encoder) writes for them is exact and parses
 * strictly with the official OTLP definitions.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli } from "./helpers.ts";
import { attrs, OTLP_PYTHON, projectWith, validateOtlp } from "./otlp/otlp_helpers.ts";
import { tracesLine } from "../src/export/otlp_encode.ts";
import { RowPricer } from "../src/export/row_cost.ts";
import { defaultPricing } from "../src/cost/builtin_pricing.ts";
import type { ExecutionEvent } from "../src/event/execution.ts";

const noPython = OTLP_PYTHON.python === undefined;

type Span = Parameters<typeof attrs>[0];
const clock = (span: Span) => Number(attrs(span)["kitty.lamport_clock"]);

/** The spans of every path: stdout (two reads), `--out` (one read) and the push's encoder. */
async function spansEverywhere(root: string, events: ExecutionEvent[]) {
  const out = join(root, "spans.jsonl");
  const stdout = await cli(["export", "--root", root]);
  assert.equal(stdout.code, 0, stdout.stderr);
  const file = await cli(["export", "--out", out, "--root", root]);
  assert.equal(file.code, 0, file.stderr);
  const pricer = new RowPricer(defaultPricing());
  const pushed = tracesLine(events.map((e) => pricer.rowOf(e)), "p");
  const texts = { stdout: stdout.stdout, file: await Deno.readTextFile(out), push: pushed };
  return Object.entries(texts).map(([path, text]) => ({
    path,
    text,
    // In clock order: a file export writes some lines at the end of their block.
    spans: text.trimEnd().split("\n").flatMap((l) =>
      JSON.parse(l).resourceSpans[0].scopeSpans[0].spans
    ).sort((a: Span, b: Span) => clock(a) - clock(b)),
  }));
}

Deno.test("gen_ai.usage.input_tokens is input + cache read + cache write exactly, past 2^53", async () => {
  const max = 2 ** 53 - 1;
  const { root, events } = await projectWith(3, (i) =>
    [
      { input_tokens: max, cache_read_tokens: max, cache_write_tokens: 5 },
      { input_tokens: max, cache_read_tokens: 1, cache_write_tokens: null },
      { input_tokens: 0, cache_read_tokens: null, cache_write_tokens: null },
    ][i]);
  const want = [BigInt(max) * 2n + 5n, BigInt(max) + 1n, 0n].map(String);
  for (const { path, spans } of await spansEverywhere(root, events as ExecutionEvent[])) {
    assert.deepEqual(spans.map((s) => attrs(s)["gen_ai.usage.input_tokens"]), want, path);
  }
});

Deno.test({
  name: "an event whose run started before 1970 still parses: times are never negative",
  // BUG: an event at 1970-01-01T00:00:00.001Z with duration_ms 5 (a clock that was not set, or
  // a run whose duration is longer than the time since 1970), exported as traces: expected a
  // startTimeUnixNano that protobuf's fixed64 takes (clamped to "0", start <= end still);
  // got "-4000000", which the strict parse refuses (Value out of range) and a Collector drops
  // with the whole batch. The same for a timestamp before 1970 (timeUnixNano of logs, metrics'
  // startTimeUnixNano). Where the fix belongs: the one rule "nanoseconds of a time, at least 0"
  // used by otlp_values.ts nanosText, item_bytes.ts nanos() and the wasm writer's OP.nanos
  // (files of the export hot path, left to their owner).
  ignore: noPython,
  fn: async () => {
    const { root } = await projectWith(1, () => ({ duration_ms: 5 }));
    const log = join(root, "kitty-specs", "043-otel", "execution.events.jsonl");
    const text = await Deno.readTextFile(log);
    await Deno.writeTextFile(
      log,
      text.replace(/"timestamp":"[^"]*"/, `"timestamp":"1970-01-01T00:00:00.001+00:00"`),
    );
    for (const signal of ["traces", "logs", "metrics"]) {
      const run = await cli(["export", "--signal", signal, "--root", root]);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(await validateOtlp(signal, run.stdout), 1, signal);
      assert.doesNotMatch(run.stdout, /"-\d/, signal);
    }
  },
});

Deno.test({
  name: "a run whose agent is unknown is a span named invoke_agent, not invoke_agent null",
  // BUG: an event whose agent was read as unknown (null: a 10,000-character name, a lone
  // surrogate as Python writes it) exported as traces: expected the span name `invoke_agent`
  // (the GenAI conventions name it `invoke_agent {gen_ai.agent.name}` only when the name is
  // known); got `invoke_agent null`, which backends group as an agent called "null". Where the
  // fix belongs: otlp_encode.ts spanJson's name and item_bytes.ts ItemWriter #name (one
  // function of the agent for both; the wasm writer already leaves null agents to JS).
  ignore: noPython,
  fn: async () => {
    const { root, events } = await projectWith(1, () => ({ agent: null }));
    for (const { path, spans } of await spansEverywhere(root, events as ExecutionEvent[])) {
      assert.equal(spans[0].name, "invoke_agent", path);
      assert.equal(attrs(spans[0])["gen_ai.agent.name"], undefined, path);
    }
  },
});

Deno.test({
  name: "odd names, huge counts, offsets and failures parse strictly on every path",
  ignore: noPython,
  fn: async () => {
    const { root, events } = await projectWith(8, (i) =>
      [
        { agent: "a\u2028b\u2029c", role: "r\u0000", wp_id: "WP\ud83d\ude00" },
        { model: null, cost_usd: null },
        { output_tokens: 2 ** 53 - 1, reasoning_tokens: 2 ** 53 - 1, duration_ms: 10 ** 12 },
        { success: false, exit_code: 137, error: "killed \u00e9".repeat(2000) },
        { success: false, exit_code: 0, error: null },
        { model: "no-such-model", input_tokens: 0, output_tokens: 0 },
        { cost_usd: 1.2345678 },
        { cache_read_tokens: 10, cache_write_tokens: 20, cache_write_1h_tokens: 20 },
      ][i]);
    for (const { path, text, spans } of await spansEverywhere(root, events as ExecutionEvent[])) {
      assert.equal(await validateOtlp("traces", text), 1, path);
      assert.equal(spans.length, 8, path);
      for (const span of spans) {
        assert.match(span.traceId, /^[0-9a-f]{32}$/);
        assert.match(span.spanId, /^[0-9a-f]{16}$/);
        assert.ok(BigInt(span.startTimeUnixNano) <= BigInt(span.endTimeUnixNano), path);
      }
      const failed = spans.filter((s) => s.status?.code === 2).map((s) => attrs(s)["error.type"]);
      assert.deepEqual(failed, ["exit_code_137", "_OTHER"], path);
      assert.equal(attrs(spans[2])["gen_ai.usage.output_tokens"], String(2 ** 53 - 1), path);
      assert.equal(
        BigInt(spans[2].endTimeUnixNano) - BigInt(spans[2].startTimeUnixNano),
        10n ** 18n,
        path,
      );
    }
  },
});

/** An error text as an orchestrator records a killed agent's stderr: cut mid-pair, bytes undecoded. */
const ERRORS = [
  "x".repeat(4095) + "\u{1F600}" + "tail", // the 4,096th code unit is the pair's first half
  "bad byte \udc80 from a subprocess", // Python's surrogateescape, as json.dumps writes it
];

Deno.test("kitty.error is cut on a character and made well-formed", async () => {
  const { root, events } = await projectWith(
    2,
    (i) => ({ success: false, exit_code: 1, error: ERRORS[i] }),
  );
  for (const { path, spans } of await spansEverywhere(root, events as ExecutionEvent[])) {
    const texts = spans.map((s) => attrs(s)["kitty.error"] as string);
    assert.deepEqual(texts, ["x".repeat(4095), "bad byte \ufffd from a subprocess"], path);
  }
  const logs = await cli(["export", "--signal", "logs", "--root", root]);
  const records = JSON.parse(logs.stdout).resourceLogs[0].scopeLogs[0].logRecords;
  assert.ok(
    records.every((r: Parameters<typeof attrs>[0]) =>
      (attrs(r)["kitty.error"] as string).isWellFormed()
    ),
  );
  assert.equal(records.length, 2);
});

Deno.test({
  name: "a failed span's status message is cut on a character and well-formed",
  // BUG: a failed event whose error text has a character past U+FFFF across the 1,024th code
  // unit, or a lone surrogate (Python's "\udc80" for undecodable stderr bytes), exported as
  // traces: expected status.message well-formed UTF-8 (the attribute kitty.error is, through
  // otlp_mapping.ts wellFormedCut); got a lone surrogate, "Unpaired surrogate" in the strict
  // parse, the whole batch of 1,000 spans refused. Where the fix belongs: the status message
  // written by otlp_encode.ts spanJson and item_bytes.ts #span, both to call
  // wellFormedCut(error, 1024) (item_bytes.ts is the export hot path, left to its owner; the
  // push and the file must stay byte-equal, so spanJson waits for it).
  ignore: noPython,
  fn: async () => {
    const error = "y".repeat(1023) + "\u{1F600}";
    const { root, events } = await projectWith(
      2,
      (i) => ({ success: false, error: i ? error : ERRORS[1] }),
    );
    for (const { path, text, spans } of await spansEverywhere(root, events as ExecutionEvent[])) {
      assert.deepEqual(spans.map((s) => s.status.message), [
        "bad byte \ufffd from a subprocess",
        "y".repeat(1023),
      ], path);
      assert.equal(await validateOtlp("traces", text), 1, path);
    }
  },
});

Deno.test({
  name: "records whose error was cut mid-pair or held a lone surrogate parse strictly",
  ignore: noPython,
  fn: async () => {
    const { root } = await projectWith(
      2,
      (i) => ({ success: false, exit_code: 1, error: ERRORS[i] }),
    );
    const logs = await cli(["export", "--signal", "logs", "--root", root]);
    assert.equal(await validateOtlp("logs", logs.stdout), 1);
  },
});
