import assert from "node:assert/strict";
import { join } from "node:path";
import { type AdaptedRun, type AdapterName, ADAPTERS } from "../src/adapters/adapter.ts";
import { adaptClaudeJson } from "../src/adapters/claude_json.ts";
import { adaptCodexJsonl } from "../src/adapters/codex_jsonl.ts";
import { adaptGeminiJson } from "../src/adapters/gemini_json.ts";
import { InvalidInputError } from "../src/errors.ts";

const FIXTURES = join(import.meta.dirname!, "fixtures", "adapters");
const fixture = (name: string) => Deno.readTextFileSync(join(FIXTURES, name));

/** A run with every field given: fixtures are compared field by field. */
function run(fields: Partial<AdaptedRun>): AdaptedRun {
  return {
    model: null,
    input_tokens: null,
    output_tokens: null,
    cache_read_tokens: null,
    cache_write_tokens: null,
    cache_write_1h_tokens: null,
    reasoning_tokens: null,
    cost_usd: null,
    duration_ms: null,
    success: true,
    error: null,
    ...fields,
  };
}

const EXPECTED: Record<string, [AdapterName, AdaptedRun[]]> = {
  "claude_success.json.txt": ["claude-json", [run({
    model: "claude-sonnet-4-5-20250929",
    input_tokens: 31,
    output_tokens: 2847,
    cache_read_tokens: 201877,
    cache_write_tokens: 18342,
    cache_write_1h_tokens: 0, // usage.cache_creation.ephemeral_1h_input_tokens
    cost_usd: 0.1721436,
    duration_ms: 48213,
  })]],
  // The invocation's duration goes on the costlier model only.
  "claude_two_models.json.txt": ["claude-json", [
    run({
      model: "claude-haiku-4-5-20251001",
      input_tokens: 3840,
      output_tokens: 212,
      cache_read_tokens: 0,
      cache_write_tokens: 0,
      cost_usd: 0.0049,
    }),
    run({
      model: "claude-opus-4-1-20250805",
      input_tokens: 412,
      output_tokens: 6120,
      cache_read_tokens: 356190,
      cache_write_tokens: 24518,
      cost_usd: 1.4591775,
      duration_ms: 131877,
    }),
  ]],
  // No modelUsage: top-level usage and total cost, model unknown.
  "claude_error_max_turns.json.txt": ["claude-json", [run({
    input_tokens: 58,
    output_tokens: 4415,
    cache_read_tokens: 612044,
    cache_write_tokens: 31207,
    cost_usd: 0.3318921,
    duration_ms: 95310,
    success: false,
    error: "error_max_turns",
  })]],
  "claude_stream.jsonl.txt": ["claude-json", [run({
    model: "claude-sonnet-4-5-20250929",
    input_tokens: 10,
    output_tokens: 299,
    cache_read_tokens: 29906,
    cache_write_tokens: 7522,
    cost_usd: 0.0395727,
    duration_ms: 14022,
  })]],
  "codex_success.jsonl.txt": ["codex-jsonl", [run({
    input_tokens: 48211 - 41984,
    output_tokens: 1873,
    cache_read_tokens: 41984,
  })]],
  // turn.completed usage is the running total: the last one, not the sum.
  "codex_multi_turn.jsonl.txt": ["codex-jsonl", [run({
    input_tokens: 30550 - 24192,
    output_tokens: 1222,
    cache_read_tokens: 24192,
  })]],
  "codex_failed.jsonl.txt": ["codex-jsonl", [run({
    success: false,
    error: "exceeded retry limit, last status: 429 Too Many Requests",
  })]],
  "gemini_success.json.txt": ["gemini-json", [run({
    model: "gemini-2.5-pro",
    input_tokens: 41736 - 30112,
    output_tokens: 1204 + 2318,
    cache_read_tokens: 30112,
    reasoning_tokens: 2318,
    duration_ms: 18432,
  })]],
  "gemini_two_models.json.txt": ["gemini-json", [
    run({
      model: "gemini-2.5-flash-lite",
      input_tokens: 1840,
      output_tokens: 37,
      cache_read_tokens: 0,
      reasoning_tokens: 0,
      duration_ms: 612,
    }),
    run({
      model: "gemini-2.5-pro",
      input_tokens: 88213 - 70144,
      output_tokens: 3411 + 5920,
      cache_read_tokens: 70144,
      reasoning_tokens: 5920,
      duration_ms: 61877,
    }),
  ]],
  "gemini_error.json.txt": ["gemini-json", [run({
    success: false,
    error:
      "Reached max session turns for this session. Increase the number of turns by specifying maxSessionTurns in settings.json.",
  })]],
};

for (const [name, [from, expected]] of Object.entries(EXPECTED)) {
  Deno.test(`--from ${from} maps ${name} exactly`, () => {
    assert.deepEqual(ADAPTERS[from](fixture(name)), expected);
  });
}

Deno.test("the fixtures' adapters are the named exports", () => {
  assert.equal(ADAPTERS["claude-json"], adaptClaudeJson);
  assert.equal(ADAPTERS["codex-jsonl"], adaptCodexJsonl);
  assert.equal(ADAPTERS["gemini-json"], adaptGeminiJson);
});

Deno.test("pretty-printed and compact JSON give the same runs", () => {
  for (const name of Object.keys(EXPECTED).filter((n) => n.endsWith(".json.txt"))) {
    const [from, expected] = EXPECTED[name];
    const value = JSON.parse(fixture(name));
    assert.deepEqual(ADAPTERS[from](JSON.stringify(value)), expected, `${name} compact`);
    assert.deepEqual(ADAPTERS[from](JSON.stringify(value, null, 4)), expected, `${name} pretty`);
  }
});

Deno.test("unknown fields are ignored at every level", () => {
  const claude = JSON.parse(fixture("claude_two_models.json.txt"));
  claude.future = { nested: [1, 2] };
  claude.modelUsage["claude-opus-4-1-20250805"].reasoningTokensV9 = 5;
  claude.usage.brand_new_tokens = 7;
  assert.deepEqual(
    adaptClaudeJson(JSON.stringify(claude)),
    EXPECTED["claude_two_models.json.txt"][1],
  );

  const gemini = JSON.parse(fixture("gemini_success.json.txt"));
  gemini.stats.models["gemini-2.5-pro"].tokens.audio = 12;
  gemini.stats.perf = { p99: 1 };
  assert.deepEqual(adaptGeminiJson(JSON.stringify(gemini)), EXPECTED["gemini_success.json.txt"][1]);

  const codex = fixture("codex_success.jsonl.txt").replace(
    '"type":"turn.completed"',
    '"type":"turn.completed","turn_id":"t9"',
  ) + '{"type":"thread.compacted","items":3}\n';
  assert.deepEqual(adaptCodexJsonl(codex), EXPECTED["codex_success.jsonl.txt"][1]);
});

Deno.test("missing fields are null, not zero", () => {
  assert.deepEqual(
    adaptClaudeJson('{"type":"result","modelUsage":{"claude-x":{"outputTokens":3}}}'),
    [run({ model: "claude-x", output_tokens: 3 })],
  );
  assert.deepEqual(adaptClaudeJson('{"type":"result"}'), [run({})]);
  assert.deepEqual(
    adaptGeminiJson('{"response":"","stats":{"models":{"g":{"tokens":{"prompt":9}}}}}'),
    [run({ model: "g", input_tokens: 9 })],
  );
  assert.deepEqual(
    adaptCodexJsonl('{"type":"turn.completed","usage":{"output_tokens":4}}'),
    [run({ output_tokens: 4 })],
  );
});

Deno.test("cached tokens above the input total never make input negative", () => {
  const codex = '{"type":"turn.completed","usage":' +
    '{"input_tokens":100,"cached_input_tokens":130,"output_tokens":2}}';
  assert.deepEqual(
    adaptCodexJsonl(codex),
    [run({ input_tokens: 0, cache_read_tokens: 130, output_tokens: 2 })],
  );
  const gemini = '{"stats":{"models":{"g":{"tokens":{"prompt":10,"cached":25,"candidates":1}}}}}';
  assert.deepEqual(
    adaptGeminiJson(gemini),
    [run({ model: "g", input_tokens: 0, cache_read_tokens: 25, output_tokens: 1 })],
  );
});

Deno.test("claude: is_error on a success subtype fails with the result text", () => {
  const text = JSON.stringify({
    type: "result",
    subtype: "success",
    is_error: true,
    result: "API Error: 529 Overloaded",
    duration_ms: 3000,
  });
  assert.deepEqual(
    adaptClaudeJson(text),
    [run({ duration_ms: 3000, success: false, error: "API Error: 529 Overloaded" })],
  );
});

Deno.test("claude: an error subtype names itself and its errors; every model's run fails", () => {
  const text = JSON.stringify({
    type: "result",
    subtype: "error_during_execution",
    is_error: true,
    errors: ["Tool permission stream closed"],
    modelUsage: { a: { costUSD: 0.5 }, b: { costUSD: 0.25 } },
    duration_ms: 10,
  });
  const error = "error_during_execution: Tool permission stream closed";
  assert.deepEqual(adaptClaudeJson(text), [
    run({ model: "a", cost_usd: 0.5, duration_ms: 10, success: false, error }),
    run({ model: "b", cost_usd: 0.25, success: false, error }),
  ]);
});

Deno.test("claude: stream-json without modelUsage takes the model from the init message", () => {
  const lines = fixture("claude_stream.jsonl.txt").trimEnd().split("\n");
  const result = JSON.parse(lines.at(-1)!);
  delete result.modelUsage;
  lines[lines.length - 1] = JSON.stringify(result);
  const [r] = adaptClaudeJson(lines.join("\n"));
  assert.equal(r.model, "claude-sonnet-4-5-20250929");
  assert.equal(r.cost_usd, 0.0395727);
  assert.equal(r.input_tokens, 10);
});

Deno.test("claude: the --verbose JSON array form is read", () => {
  const messages = fixture("claude_stream.jsonl.txt").trimEnd().split("\n").map((l) =>
    JSON.parse(l)
  );
  assert.deepEqual(
    adaptClaudeJson(JSON.stringify(messages, null, 2)),
    EXPECTED["claude_stream.jsonl.txt"][1],
  );
});

Deno.test("codex: reasoning_output_tokens, when printed, is already inside output", () => {
  const text = '{"type":"thread.started","thread_id":"t","model":"gpt-5-codex"}\n' +
    '{"type":"turn.completed","usage":{"input_tokens":50,"cached_input_tokens":0,' +
    '"output_tokens":40,"reasoning_output_tokens":25}}';
  assert.deepEqual(adaptCodexJsonl(text), [run({
    model: "gpt-5-codex",
    input_tokens: 50,
    cache_read_tokens: 0,
    output_tokens: 40,
    reasoning_tokens: 25,
  })]);
});

Deno.test("codex: a trailing error or a missing turn.completed fails the run", () => {
  const completed = fixture("codex_success.jsonl.txt");
  const [late] = adaptCodexJsonl(completed + '{"type":"error","message":"boom"}\n');
  assert.equal(late.success, false);
  assert.equal(late.error, "boom");
  assert.equal(late.output_tokens, 1873);

  const [cut] = adaptCodexJsonl(
    '{"type":"thread.started","thread_id":"t"}\n{"type":"turn.started"}',
  );
  assert.equal(cut.success, false);
  assert.match(cut.error!, /no turn\.completed/);
});

Deno.test("gemini: an error with stats fails every model's run and keeps its usage", () => {
  const value = JSON.parse(fixture("gemini_two_models.json.txt"));
  value.error = { type: "Error", message: "quota exceeded", code: 1 };
  const runs = adaptGeminiJson(JSON.stringify(value));
  assert.deepEqual(
    runs,
    EXPECTED["gemini_two_models.json.txt"][1].map((r) => ({
      ...r,
      success: false,
      error: "quota exceeded",
    })),
  );
});

Deno.test("gemini: the uncached `input` count is used when `prompt` is missing", () => {
  assert.deepEqual(
    adaptGeminiJson('{"stats":{"models":{"g":{"tokens":{"input":7,"cached":3}}}}}'),
    [run({ model: "g", input_tokens: 7, cache_read_tokens: 3 })],
  );
});

function rejects(from: AdapterName, text: string, pattern: RegExp) {
  assert.throws(
    () => ADAPTERS[from](text),
    (e: unknown) => {
      assert.ok(e instanceof InvalidInputError, `${from}: ${String(e)}`);
      assert.ok(e.message.startsWith(`--from ${from}: `), e.message);
      assert.ok(!e.message.includes("\n"), `one line: ${e.message}`);
      assert.match(e.message, pattern);
      return true;
    },
  );
}

Deno.test("input that is not the format throws a one-line InvalidInputError", () => {
  const names: AdapterName[] = ["claude-json", "codex-jsonl", "gemini-json"];
  for (const from of names) {
    rejects(from, "", /input is empty/);
    rejects(from, "  \n\t\n", /input is empty/);
    rejects(from, "Error: not logged in. Run `login` first.\n", /input is not/);
    rejects(from, "null", /input is not/);
    rejects(from, "[1, 2, 3]", /input is not/);
  }
  rejects("claude-json", "Sure, I updated the file.", /expected .*"type": "result"/);
});

Deno.test("another agent's output is refused by name", () => {
  const claude = fixture("claude_success.json.txt");
  const stream = fixture("claude_stream.jsonl.txt");
  const codex = fixture("codex_success.jsonl.txt");
  const gemini = fixture("gemini_success.json.txt");
  rejects("claude-json", gemini, /input is not Claude JSON output/);
  rejects("claude-json", codex, /input is not Claude JSON output/);
  rejects("codex-jsonl", claude, /input is not Codex JSONL output/);
  rejects("codex-jsonl", stream, /input is not Codex JSONL output/);
  rejects("codex-jsonl", gemini, /input is not Codex JSONL output/);
  rejects("gemini-json", claude, /input is not Gemini JSON output/);
  rejects("gemini-json", codex, /input is not JSON/);
});

Deno.test("a known field of the wrong type is named", () => {
  rejects(
    "claude-json",
    '{"type":"result","modelUsage":{"m":{"inputTokens":-4}}}',
    /modelUsage\.m\.inputTokens: /,
  );
  rejects(
    "gemini-json",
    '{"stats":{"models":{"g":{"tokens":{"prompt":"many"}}}}}',
    /stats\.models\.g\.tokens\.prompt: /,
  );
  rejects(
    "codex-jsonl",
    '{"type":"turn.completed","usage":{"input_tokens":1.5}}',
    /usage\.input_tokens: /,
  );
  rejects("codex-jsonl", '{"type":"turn.started"}\nnot json\n', /line 2 is not JSON/);
});

Deno.test("an agent's counts and dollars take an event's ranges: the edge in, one past it named", () => {
  const top = Number.MAX_SAFE_INTEGER;
  assert.equal(
    adaptCodexJsonl(`{"type":"turn.completed","usage":{"input_tokens":${top}}}\n`)[0].input_tokens,
    top,
  );
  const [claude] = adaptClaudeJson(
    `{"type":"result","modelUsage":{"m":{"costUSD":1e12,"outputTokens":${top}}}}`,
  );
  assert.equal(claude.cost_usd, 1e12);
  assert.equal(claude.output_tokens, top);
  assert.equal(
    adaptGeminiJson(`{"stats":{"models":{"g":{"api":{"totalLatencyMs":${top}}}}}}`)[0].duration_ms,
    top,
  );
  rejects(
    "codex-jsonl",
    `{"type":"turn.completed","usage":{"input_tokens":${2 ** 53}}}\n`,
    /usage\.input_tokens: Too big/,
  );
  rejects(
    "codex-jsonl",
    '{"type":"turn.completed","usage":{"output_tokens":-1}}\n',
    /usage\.output_tokens: Too small/,
  );
  rejects(
    "claude-json",
    '{"type":"result","modelUsage":{"m":{"costUSD":1.0000001e12}}}',
    /modelUsage\.m\.costUSD: Too big/,
  );
  rejects(
    "gemini-json",
    `{"stats":{"models":{"g":{"api":{"totalLatencyMs":${2 ** 53}}}}}}`,
    /totalLatencyMs: Too big/,
  );
});

Deno.test("a model named __proto__ or constructor is a run like any other, and its bad field is named", () => {
  const claude = adaptClaudeJson(
    '{"type":"result","modelUsage":{"constructor":{"inputTokens":1},"__proto__":{"inputTokens":2,"costUSD":0.5}}}',
  );
  assert.deepEqual(claude.map((r) => [r.model, r.input_tokens]), [["constructor", 1], [
    "__proto__",
    2,
  ]]);
  const gemini = adaptGeminiJson('{"stats":{"models":{"__proto__":{"tokens":{"prompt":3}}}}}');
  assert.deepEqual(gemini.map((r) => [r.model, r.input_tokens]), [["__proto__", 3]]);
  rejects(
    "claude-json",
    '{"type":"result","modelUsage":{"__proto__":{"inputTokens":-1}}}',
    /modelUsage\.__proto__\.inputTokens: Too small/,
  );
});
