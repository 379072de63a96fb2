/**
 * Claude Code headless output: `claude -p --output-format json` (one result
 * object; with `--verbose`, an array of every message) or `stream-json` (one
 * message per line, the result message last).
 *
 * @module
 */
import { z } from "../deps.ts";
import { nameRecord } from "../name_record.ts";
import {
  type AdaptedRun,
  agentCount,
  agentUsd,
  emptyRun,
  isObject,
  notFormat,
  parseLines,
  parseWhole,
  validated,
} from "./common.ts";

const FROM = "claude-json";
const EXPECTED = 'an object with "type": "result", or stream-json lines including one';

const ModelUsageSchema = z.looseObject({
  inputTokens: agentCount,
  outputTokens: agentCount,
  cacheReadInputTokens: agentCount,
  cacheCreationInputTokens: agentCount,
  costUSD: agentUsd,
});

const ResultSchema = z.looseObject({
  type: z.literal("result"),
  subtype: z.string().nullish(),
  is_error: z.boolean().nullish(),
  result: z.string().nullish(),
  errors: z.array(z.string()).nullish(),
  duration_ms: agentCount,
  total_cost_usd: agentUsd,
  usage: z.looseObject({
    input_tokens: agentCount,
    output_tokens: agentCount,
    cache_read_input_tokens: agentCount,
    cache_creation_input_tokens: agentCount,
    cache_creation: z.looseObject({ ephemeral_1h_input_tokens: agentCount }).nullish(),
  }).nullish(),
  modelUsage: nameRecord(z.string(), ModelUsageSchema).nullish(),
});

type Result = z.infer<typeof ResultSchema>;

/**
 * Adapts Claude Code's JSON or stream-json output. `modelUsage` is the
 * per-model truth (one run per model, `cost_usd` = its `costUSD`); the
 * top-level `usage` and `total_cost_usd` are used only when it is absent.
 * Claude counts input tokens uncached already, and thinking is billed and
 * counted as output, so no token arithmetic is needed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { adaptClaudeJson } from "./claude_json.ts";
 * const [run] = adaptClaudeJson(JSON.stringify({
 *   type: "result", subtype: "success", is_error: false, duration_ms: 1200,
 *   modelUsage: { "claude-sonnet-4-5": { inputTokens: 10, outputTokens: 5, costUSD: 0.001 } },
 * }));
 * assert.ok(run.model === "claude-sonnet-4-5" && run.cost_usd === 0.001);
 * assert.ok(run.duration_ms === 1200 && run.success);
 * ```
 */
export function adaptClaudeJson(text: string): AdaptedRun[] {
  const messages = readMessages(text);
  const raw = messages.findLast((m) => isObject(m) && m.type === "result");
  if (raw === undefined) throw notFormat(FROM, "input is not Claude JSON output", EXPECTED);
  const result = validated(FROM, ResultSchema, raw);
  const outcome = outcomeOf(result);
  const models = Object.entries(result.modelUsage ?? {});
  if (models.length === 0) return [{ ...fromTopLevel(result, initModel(messages)), ...outcome }];

  // Cost is reported per model, but duration only for the whole invocation:
  // it goes on the model that cost the most (the main loop's model), so that
  // summing durations over events does not count the same wall time twice.
  // Success and error describe the invocation and go on every run, so a
  // failure filter finds all of its events.
  // The 1-hour split is only in the top-level usage: it goes to the one
  // model, or to the one whose cache writes are the top-level ones.
  const allWrites = result.usage?.cache_creation_input_tokens;
  let primary = 0;
  models.forEach(([, u], i) => {
    if ((u.costUSD ?? -1) > (models[primary][1].costUSD ?? -1)) primary = i;
  });
  return models.map(([model, u], i) => ({
    ...emptyRun(),
    model,
    input_tokens: u.inputTokens ?? null,
    output_tokens: u.outputTokens ?? null,
    cache_read_tokens: u.cacheReadInputTokens ?? null,
    cache_write_tokens: u.cacheCreationInputTokens ?? null,
    cache_write_1h_tokens: models.length === 1 || u.cacheCreationInputTokens === allWrites
      ? oneHour(result, u.cacheCreationInputTokens)
      : null,
    cost_usd: u.costUSD ?? null,
    duration_ms: i === primary ? result.duration_ms ?? null : null,
    ...outcome,
  }));
}

/**
 * The 1-hour cache writes (`usage.cache_creation.ephemeral_1h_input_tokens`),
 * when there are that many cache writes to hold them; else unknown.
 */
function oneHour(result: Result, writes: number | null | undefined): number | null {
  const hour = result.usage?.cache_creation?.ephemeral_1h_input_tokens;
  return hour === null || hour === undefined || hour > (writes ?? 0) ? null : hour;
}

/** Every message in the output: one object, a `--verbose` array, or JSON lines. */
function readMessages(text: string): unknown[] {
  const whole = parseWhole(FROM, text, EXPECTED);
  if (Array.isArray(whole)) return whole;
  if (whole !== undefined) return [whole];
  const lines = parseLines(FROM, text, EXPECTED);
  if (lines === undefined) throw notFormat(FROM, "input is not JSON", EXPECTED);
  return lines;
}

/** The model named by stream-json's init message: the only place it appears without modelUsage. */
function initModel(messages: unknown[]): string | null {
  for (const m of messages) {
    if (isObject(m) && m.type === "system" && typeof m.model === "string" && m.model !== "") {
      return m.model;
    }
  }
  return null;
}

function fromTopLevel(result: Result, model: string | null): AdaptedRun {
  const usage = result.usage;
  return {
    ...emptyRun(),
    model,
    input_tokens: usage?.input_tokens ?? null,
    output_tokens: usage?.output_tokens ?? null,
    cache_read_tokens: usage?.cache_read_input_tokens ?? null,
    cache_write_tokens: usage?.cache_creation_input_tokens ?? null,
    cache_write_1h_tokens: oneHour(result, usage?.cache_creation_input_tokens),
    cost_usd: result.total_cost_usd ?? null,
    duration_ms: result.duration_ms ?? null,
  };
}

/**
 * `is_error` can be true with subtype "success" (the last API call failed;
 * `result` then holds the API error), and the `error_*` subtypes carry no
 * `result` text, only the subtype and sometimes an `errors` list.
 */
/** How a run ended, as the agent reports it. */
interface Outcome {
  success: boolean;
  error: string | null;
}

function outcomeOf(result: Result): Outcome {
  const subtype = result.subtype ?? "success";
  if (result.is_error !== true && subtype === "success") return { success: true, error: null };
  const detail = [result.result?.trim(), result.errors?.join("; ").trim()]
    .find((s) => s !== undefined && s !== "");
  if (subtype !== "success") {
    return { success: false, error: detail ? `${subtype}: ${detail}` : subtype };
  }
  return { success: false, error: detail ?? "is_error" };
}
