/**
 * `import --from otlp-json`: Claude Code's and Codex's OpenTelemetry log
 * records (written from their documented attribute lists) become execution
 * events; our own `export --signal logs` comes back with the same costs.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, tempProject } from "./helpers.ts";
import { projectWith } from "./otlp/otlp_helpers.ts";

const s = (v: string) => ({ stringValue: v });
const i = (v: number) => ({ intValue: String(v) });
const kv = (attributes: Record<string, unknown>) =>
  Object.entries(attributes).map(([key, value]) => ({ key, value }));

/** One LogsData line as a Collector's file exporter writes it. */
function logsLine(service: string, records: Record<string, unknown>[], resource = {}) {
  return JSON.stringify({
    resourceLogs: [{
      resource: { attributes: kv({ "service.name": s(service), ...resource }) },
      scopeLogs: [{ scope: { name: `com.anthropic.${service}` }, logRecords: records }],
    }],
  });
}

// Claude Code: event `claude_code.api_request` (body) with event.name `api_request`.
const claudeRequest = (sequence: number, extra: Record<string, unknown> = {}) => ({
  timeUnixNano: String(1_767_225_600_000_000_000n + BigInt(sequence) * 1_000_000_000n),
  body: s("claude_code.api_request"),
  attributes: kv({
    "event.name": s("api_request"),
    "event.timestamp": s("2026-01-01T00:00:00.000Z"),
    "event.sequence": i(sequence),
    "session.id": s("a7f1c2d4-session"),
    "model": s("claude-sonnet-4-5-20250929"),
    "cost_usd": { doubleValue: 0.0123 },
    "duration_ms": i(2400),
    "input_tokens": s("1200"), // Claude Code writes its counts as strings
    "output_tokens": s("300"),
    "cache_read_tokens": s("5000"),
    "cache_creation_tokens": s("800"),
    ...extra,
  }),
});

// Codex: `codex.sse_event`; only `response.completed` carries token counts.
const codexEvent = (kind: string, counts = true) => ({
  timeUnixNano: "1767229200000000000",
  attributes: kv({
    "event.name": s("codex.sse_event"),
    "event.kind": s(kind),
    "event.timestamp": s("2026-01-01T01:00:00.000Z"),
    "conversation.id": s("conv-1"),
    "model": s("gpt-5-codex"),
    "duration_ms": i(900),
    ...(counts
      ? {
        "input_token_count": i(2000), // OpenAI counts cached tokens inside input
        "output_token_count": i(400),
        "cached_token_count": i(1500),
        "reasoning_token_count": i(120),
        "tool_token_count": i(0),
      }
      : {}),
  }),
});

async function dump(lines: string[]): Promise<string> {
  const path = join(await tempProject(), "dump.jsonl");
  await Deno.writeTextFile(path, lines.join("\n") + "\n");
  return path;
}

async function events(root: string, feature: string) {
  const text = await Deno.readTextFile(
    join(root, "kitty-specs", feature, "execution.events.jsonl"),
  );
  return text.trimEnd().split("\n").map((l) => JSON.parse(l));
}

Deno.test("Claude Code api_request records become events with its tokens, cost and time", async () => {
  const root = await tempProject();
  const file = await dump([
    logsLine("claude-code", [
      claudeRequest(1),
      claudeRequest(2, { "model": s("claude-opus-4-6") }),
      { timeUnixNano: "1767225600000000000", body: s("claude_code.user_prompt"), attributes: [] },
    ]),
  ]);
  const args = ["import", "--from", "otlp-json", file, "--root", root, "--feature", "043-x"];
  const run = await cli([...args, "--role", "implementer", "--wp", "WP02"]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, "043-x: 2 added, 0 already present\n");
  assert.match(run.stderr, /1 log record\(s\) of other kinds skipped/);
  const [first, second] = await events(root, "043-x");
  assert.equal(first.timestamp, "2026-01-01T00:00:01.000000+00:00");
  assert.deepEqual(
    [first.payload.agent, first.payload.role, first.payload.wp_id, first.payload.model],
    ["claude", "implementer", "WP02", "claude-sonnet-4-5-20250929"],
  );
  assert.deepEqual(
    [
      first.payload.input_tokens,
      first.payload.output_tokens,
      first.payload.cache_read_tokens,
      first.payload.cache_write_tokens,
      first.payload.cost_usd,
      first.payload.duration_ms,
    ],
    [1200, 300, 5000, 800, 0.0123, 2400],
  );
  assert.equal(second.payload.model, "claude-opus-4-6");
  assert.notEqual(first.event_id, second.event_id);
  const again = await cli([...args, "--role", "implementer", "--wp", "WP02"]);
  assert.equal(again.stdout, "043-x: 0 added, 2 already present\n");
  assert.equal((await events(root, "043-x")).length, 2);
});

Deno.test("Codex response.completed events count cached tokens apart from input", async () => {
  const root = await tempProject();
  const file = await dump([
    logsLine("codex_cli_rs", [
      codexEvent("response.created", false),
      codexEvent("response.completed"),
      codexEvent("response.output_text.delta", false),
    ], { "kitty.feature": s("051-codex") }),
  ]);
  const run = await cli(["import", "--from", "otlp-json", file, "--root", root, "--role", "r"]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /2 log record\(s\) of other kinds skipped/);
  const [event] = await events(root, "051-codex"); // the feature came from the resource
  assert.deepEqual(
    [
      event.payload.agent,
      event.payload.input_tokens,
      event.payload.cache_read_tokens,
      event.payload.output_tokens,
      event.payload.reasoning_tokens,
      event.payload.cost_usd,
    ],
    ["codex", 500, 1500, 400, 120, null],
  );
});

Deno.test("a record with no feature or role, or a line that is not JSON, is exit 2 naming the line", async () => {
  const root = await tempProject();
  const noFeature = await dump([logsLine("claude-code", [claudeRequest(1)])]);
  let run = await cli(["import", "--from", "otlp-json", noFeature, "--root", root, "--role", "r"]);
  assert.equal(run.code, 2);
  assert.match(
    run.stderr,
    /dump\.jsonl line 1: a claude record names no kitty\.feature; pass --feature/,
  );
  run = await cli(["import", "--from", "otlp-json", noFeature, "--root", root, "--feature", "f-1"]);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /pass --role/);
  const broken = await dump([logsLine("claude-code", []), "{not json"]);
  run = await cli(["import", "--from", "otlp-json", broken, "--root", root]);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /line 2: not JSON/);
  run = await cli(["import", "--from", "otlp-yaml", broken, "--root", root]);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /--from: expected one of otlp-json/);
  await assert.rejects(() => Deno.stat(join(root, "kitty-specs", "f-1")));
});

Deno.test("export --signal logs then import --from otlp-json gives the same tokens and costs", async () => {
  const { root } = await projectWith(30, (n) => ({
    agent: ["claude", "codex", "gemini"][n % 3],
    model: ["claude-sonnet-4-5", "gpt-5", "gemini-2.5-pro", null][n % 4],
    cost_usd: n % 4 === 0 ? 0.1234567 : null,
    cache_read_tokens: n % 2 ? 100 * n : null,
    cache_write_tokens: n % 3 ? 7 : null,
    reasoning_tokens: n % 5 ? 11 : null,
    success: n % 6 !== 0,
    exit_code: n % 6 === 0 ? 2 : 0,
    wp_id: `WP0${n % 3}`,
  }));
  const logs = await cli(["export", "--signal", "logs", "--root", root]);
  const empty = await tempProject();
  const stdin = logs.stdout;
  const run = await cli(["import", "--from", "otlp-json", "-", "--root", empty], { stdin });
  assert.equal(run.code, 0, run.stderr);
  const keys = "feature,wp,agent,role,model";
  const cost = async (at: string) =>
    JSON.parse((await cli(["cost", "--json", "--group-by", keys, "--root", at])).stdout);
  const [before, after] = [await cost(root), await cost(empty)];
  assert.ok(before.groups.length >= 6);
  assert.deepEqual(after.groups, before.groups);
  assert.deepEqual(after.total, before.total);
  const again = await cli(["import", "--from", "otlp-json", "-", "--root", empty], { stdin });
  assert.match(again.stdout, /0 added, 30 already present/);
});
