/**
 * Gemini CLI headless output: `gemini -p ... --output-format json`, one
 * object with `response`, `stats` (per-model token and latency metrics) and,
 * when the run failed, `error` ({type, message, code}).
 *
 * @module
 */
import { z } from "../deps.ts";
import { nameRecord } from "../name_record.ts";
import {
  type AdaptedRun,
  agentCount,
  emptyRun,
  isObject,
  notFormat,
  parseWhole,
  uncachedInput,
  validated,
} from "./common.ts";

const FROM = "gemini-json";
const EXPECTED = 'an object with "response", "stats" or "error"';

const ModelMetricsSchema = z.looseObject({
  api: z.looseObject({ totalLatencyMs: agentCount }).nullish(),
  tokens: z.looseObject({
    input: agentCount,
    prompt: agentCount,
    candidates: agentCount,
    cached: agentCount,
    thoughts: agentCount,
  }).nullish(),
});

const OutputSchema = z.looseObject({
  response: z.string().nullish(),
  stats: z.looseObject({ models: nameRecord(z.string(), ModelMetricsSchema).nullish() }).nullish(),
  error: z.looseObject({
    type: z.string().nullish(),
    message: z.string().nullish(),
    code: z.union([z.string(), z.number()]).nullish(),
  }).nullish(),
});

type ModelMetrics = z.infer<typeof ModelMetricsSchema>;

/**
 * Adapts Gemini CLI JSON output: one run per model in `stats.models`.
 *
 * - Input: `prompt` includes cached tokens (Gemini's convention); the cached
 *   ones are subtracted. Newer versions also print `input` (already
 *   uncached), used only when `prompt` is missing.
 * - Output: Gemini reports thinking (`thoughts`) apart from `candidates` but
 *   bills it as output, so output = candidates + thoughts and
 *   reasoning = thoughts.
 * - `tool` (tool-use prompt tokens) is not mapped: gemini-cli runs its tools
 *   locally, so it is normally 0, and whether the API counts it inside
 *   `prompt` is not documented.
 * - Duration: each model's `api.totalLatencyMs`, which is where Gemini puts
 *   time (API time, not wall time; the JSON has no wall time). No cost.
 * - Outcome: a top-level `error` fails every run (it is the invocation's);
 *   with no models reported, one run with no counts carries it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { adaptGeminiJson } from "./gemini_json.ts";
 * const [run] = adaptGeminiJson(JSON.stringify({
 *   response: "done",
 *   stats: { models: { "gemini-2.5-pro": {
 *     api: { totalLatencyMs: 900 },
 *     tokens: { prompt: 100, candidates: 10, cached: 60, thoughts: 5 },
 *   } } },
 * }));
 * assert.ok(run.input_tokens === 40 && run.cache_read_tokens === 60);
 * assert.ok(run.output_tokens === 15 && run.reasoning_tokens === 5);
 * ```
 */
export function adaptGeminiJson(text: string): AdaptedRun[] {
  const whole = parseWhole(FROM, text, EXPECTED);
  if (whole === undefined) throw notFormat(FROM, "input is not JSON", EXPECTED);
  const looksLikeGemini = isObject(whole) && !("type" in whole) &&
    ("response" in whole || "stats" in whole || "error" in whole);
  if (!looksLikeGemini) throw notFormat(FROM, "input is not Gemini JSON output", EXPECTED);
  const output = validated(FROM, OutputSchema, whole);

  const error = output.error
    ? output.error.message?.trim() || output.error.type?.trim() || "error"
    : null;
  const outcome = { success: error === null, error };
  const models = Object.entries(output.stats?.models ?? {});
  if (models.length === 0) return [{ ...emptyRun(), ...outcome }];
  return models.map(([model, metrics]) => ({ ...runOf(model, metrics), ...outcome }));
}

function runOf(model: string, metrics: ModelMetrics): AdaptedRun {
  const t = metrics.tokens;
  const cached = t?.cached ?? null;
  const candidates = t?.candidates ?? null;
  const thoughts = t?.thoughts ?? null;
  return {
    ...emptyRun(),
    model,
    input_tokens: t?.prompt != null ? uncachedInput(t.prompt, cached) : t?.input ?? null,
    output_tokens: candidates === null && thoughts === null
      ? null
      : (candidates ?? 0) + (thoughts ?? 0),
    cache_read_tokens: cached,
    reasoning_tokens: thoughts,
    duration_ms: metrics.api?.totalLatencyMs ?? null,
  };
}
