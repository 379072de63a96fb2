/**
 * OpenAI Codex CLI `codex exec --json` output: one thread event per line
 * (`thread.started`, `turn.started`, `item.*`, `turn.completed` with `usage`,
 * `turn.failed`, `error`).
 *
 * @module
 */
import { z } from "../deps.ts";
import {
  type AdaptedRun,
  agentCount,
  emptyRun,
  isObject,
  notFormat,
  parseLines,
  parseWhole,
  uncachedInput,
  validated,
} from "./common.ts";

const FROM = "codex-jsonl";
const EXPECTED = 'one codex exec --json event per line, e.g. {"type":"thread.started",...}';

const UsageSchema = z.looseObject({
  input_tokens: agentCount,
  cached_input_tokens: agentCount,
  output_tokens: agentCount,
  reasoning_output_tokens: agentCount,
});

const message = z.string().nullish();
const EventSchema = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("turn.completed"), usage: UsageSchema.nullish() }),
  z.looseObject({
    type: z.literal("turn.failed"),
    error: z.looseObject({ message }).nullish(),
  }),
  z.looseObject({ type: z.literal("error"), message }),
  z.looseObject({ type: z.enum(["thread.started", "session.created"]), model: message }),
]);

const RECORDED = new Set([
  "turn.completed",
  "turn.failed",
  "error",
  "thread.started",
  "session.created",
]);

// Event families only Codex prints; `error` alone is too generic to tell formats apart.
const CODEX_TYPE = /^(thread|turn|item|session)\./;

/**
 * Adapts `codex exec --json` output into one run.
 *
 * - Usage: `turn.completed.usage` is the thread's running total so far (the
 *   CLI fills it from the session's total token usage), not the turn's own,
 *   so the last `turn.completed` is the invocation's usage; summing them
 *   would count earlier turns again.
 * - Input: Codex counts cached tokens inside `input_tokens`; they are
 *   subtracted. `output_tokens` already includes reasoning (OpenAI counts
 *   reasoning as output); `reasoning_output_tokens`, when a version prints
 *   it, only says how many of them were reasoning.
 * - Outcome: a `turn.failed`, or an `error` with no `turn.completed` after
 *   it, fails the run. An `error` followed by a completed turn was a
 *   transient stream error the CLI retried ("Reconnecting... 1/5").
 * - Model: the events do not name it; a `model` on the thread event is used
 *   if a version prints one, else null. Codex reports no cost or duration.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { adaptCodexJsonl } from "./codex_jsonl.ts";
 * const [run] = adaptCodexJsonl([
 *   '{"type":"thread.started","thread_id":"t1"}',
 *   '{"type":"turn.started"}',
 *   '{"type":"turn.completed","usage":{"input_tokens":100,"cached_input_tokens":80,"output_tokens":7}}',
 * ].join("\n"));
 * assert.ok(run.input_tokens === 20 && run.cache_read_tokens === 80);
 * assert.ok(run.output_tokens === 7 && run.success);
 * ```
 */
export function adaptCodexJsonl(text: string): AdaptedRun[] {
  const events = readEvents(text);
  const run = emptyRun();
  let completed = false;
  let failure: string | null = null;
  let pendingError: string | null = null;
  for (const raw of events) {
    // Item and turn.started events carry nothing we record; unknown types are ignored.
    if (!RECORDED.has(raw.type as string)) continue;
    const event = validated(FROM, EventSchema, raw);
    switch (event.type) {
      case "thread.started":
      case "session.created":
        run.model = event.model || run.model;
        break;
      case "turn.completed": {
        const usage = event.usage;
        const cached = usage?.cached_input_tokens ?? null;
        run.input_tokens = uncachedInput(usage?.input_tokens ?? null, cached);
        run.cache_read_tokens = cached;
        run.output_tokens = usage?.output_tokens ?? null;
        run.reasoning_tokens = usage?.reasoning_output_tokens ?? null;
        completed = true;
        pendingError = null;
        break;
      }
      case "turn.failed":
        failure ??= event.error?.message || pendingError || "turn failed";
        break;
      case "error":
        pendingError = event.message || "error";
        break;
    }
  }
  const error = failure ?? pendingError ??
    (completed ? null : "no turn.completed event (the run ended early)");
  return [{ ...run, success: error === null, error }];
}

/** The events, checked to be Codex's: objects with a `type`, at least one of Codex's own. */
function readEvents(text: string): Record<string, unknown>[] {
  const whole = parseWhole(FROM, text, EXPECTED);
  const values = whole === undefined
    ? parseLines(FROM, text, EXPECTED)
    : Array.isArray(whole)
    ? whole
    : [whole];
  if (values === undefined) throw notFormat(FROM, "input is not JSON Lines", EXPECTED);
  const events = values.filter(isObject);
  const isCodex = events.length === values.length &&
    events.every((e) => typeof e.type === "string") &&
    events.some((e) => CODEX_TYPE.test(e.type as string));
  if (!isCodex) throw notFormat(FROM, "input is not Codex JSONL output", EXPECTED);
  return events;
}
