/**
 * 1-hour cache writes: `cache_write_1h_tokens` (the 1-hour share of
 * `cache_write_tokens`) is priced at the `cache_write_1h` rate (Anthropic:
 * 2x input; 5-minute writes 1.25x), and `--from claude-json` fills it from
 * `usage.cache_creation.ephemeral_1h_input_tokens`.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, tempProject } from "./helpers.ts";
import { adaptClaudeJson } from "../src/adapters/claude_json.ts";
import { defaultPricing } from "../src/cost/builtin_pricing.ts";
import { eventCost } from "../src/cost/estimate.ts";
import { usdToUnits } from "../src/cost/money.ts";

/**
 * `claude -p --output-format json` after a session that wrote the prompt
 * cache with `ttl: "1h"` for the system prompt and tools (30,000 tokens) and
 * 5 minutes for the rest (10,000). Claude Code's own cost, by hand, at
 * claude-sonnet-4-5's rates (USD per million: input 3, output 15, cache
 * read 0.3, 5-minute write 3.75 = 1.25x input, 1-hour write 6 = 2x input):
 *   1,200 * 3      =   3,600
 *   5,400 * 15     =  81,000
 * 150,000 * 0.3    =  45,000
 *  10,000 * 3.75   =  37,500
 *  30,000 * 6      = 180,000
 *                    347,100 / 1e6 = $0.3471
 * The prompt (1,200 + 150,000 + 40,000 = 191,200) is below the 200k tier.
 */
const CLAUDE_OUTPUT = JSON.stringify({
  type: "result",
  subtype: "success",
  is_error: false,
  duration_ms: 61_204,
  duration_api_ms: 58_870,
  num_turns: 9,
  result: "Done.",
  session_id: "7f1c2b9e-3d4a-4e5f-8a6b-0c1d2e3f4a5b",
  total_cost_usd: 0.3471,
  usage: {
    input_tokens: 1_200,
    cache_creation_input_tokens: 40_000,
    cache_read_input_tokens: 150_000,
    output_tokens: 5_400,
    server_tool_use: { web_search_requests: 0, web_fetch_requests: 0 },
    service_tier: "standard",
    cache_creation: { ephemeral_1h_input_tokens: 30_000, ephemeral_5m_input_tokens: 10_000 },
  },
  modelUsage: {
    "claude-sonnet-4-5-20250929": {
      inputTokens: 1_200,
      outputTokens: 5_400,
      cacheReadInputTokens: 150_000,
      cacheCreationInputTokens: 40_000,
      webSearchRequests: 0,
      costUSD: 0.3471,
      contextWindow: 200_000,
    },
  },
  permission_denials: [],
});

Deno.test("a Claude Code run with 1-hour cache writes is estimated at the cost Claude Code reports", () => {
  const [run] = adaptClaudeJson(CLAUDE_OUTPUT);
  assert.equal(run.cache_write_tokens, 40_000);
  assert.equal(run.cache_write_1h_tokens, 30_000);
  const estimated = eventCost({ ...run, cost_usd: null }, defaultPricing(), "2026-03-02T10:00:00Z");
  assert.deepEqual(estimated, { kind: "estimated", units: usdToUnits(0.3471) });
  // Without the split every write is priced as a 5-minute one: 67,500 less (30,000 * 2.25).
  const unsplit = eventCost(
    { ...run, cost_usd: null, cache_write_1h_tokens: null },
    defaultPricing(),
    "2026-03-02T10:00:00Z",
  );
  assert.deepEqual(unsplit, { kind: "estimated", units: usdToUnits(0.2796) });
});

Deno.test("emit --from claude-json records cache_write_1h_tokens; cost prices it", async () => {
  const root = await tempProject();
  await Deno.mkdir(join(root, "kitty-specs"));
  const emit = await cli(
    ["emit", "--from", "claude-json", "--feature", "001-cache", "--role", "implementer"],
    { stdin: CLAUDE_OUTPUT, env: { KITTY_TELEMETRY_ROOT: root } },
  );
  assert.equal(emit.code, 0, emit.stderr);
  const log = await Deno.readTextFile(
    join(root, "kitty-specs", "001-cache", "execution.events.jsonl"),
  );
  assert.equal(JSON.parse(log).payload.cache_write_1h_tokens, 30_000);
  // The reported cost wins in cost; the estimate equals it (see above), so a
  // project that drops cost_usd gets the same total.
  const noCost = log.replace('"cost_usd":0.3471', '"cost_usd":null');
  assert.notEqual(noCost, log);
  await Deno.writeTextFile(
    join(root, "kitty-specs", "001-cache", "execution.events.jsonl"),
    noCost,
  );
  const cost = await cli(["cost", "--json", "--root", root]);
  assert.equal(cost.code, 0, cost.stderr);
  const total = JSON.parse(cost.stdout).total;
  assert.equal(total.total_cost_usd, 0.3471);
  assert.equal(total.estimated_event_count, 1);
});

Deno.test("emit --cache-write-1h-tokens sets the field", async () => {
  const root = await tempProject();
  await Deno.mkdir(join(root, "kitty-specs"));
  const emit = await cli([
    "emit",
    "--feature",
    "001-cache",
    "--agent",
    "claude",
    "--role",
    "implementer",
    "--model",
    "claude-opus-4-6",
    "--cache-write-tokens",
    "1000000",
    "--cache-write-1h-tokens",
    "400000",
  ], { env: { KITTY_TELEMETRY_ROOT: root } });
  assert.equal(emit.code, 0, emit.stderr);
  const cost = await cli(["cost", "--json", "--root", root]);
  // Opus 4.6 on 2026-03-02, prompt 1M > 200k: tier rates, 5-minute write 12.5 and 1-hour 20:
  // 600,000 * 12.5 + 400,000 * 20 = 7.5 + 8 = 15.5 USD.
  assert.equal(JSON.parse(cost.stdout).total.total_cost_usd, 15.5);
});
