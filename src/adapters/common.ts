/**
 * Shared pieces of the agent output adapters: pure functions that turn what a coding agent printed
 * (Claude Code, Codex CLI, Gemini CLI) into execution-event payload fields.
 * No I/O: the caller reads the agent's output and hands the text in.
 *
 * Token convention (see README): `input_tokens` is uncached input only,
 * cached reads go to `cache_read_tokens`, and `output_tokens` includes
 * reasoning. Each adapter converts its agent's convention to this one,
 * because money is computed from these fields.
 *
 * @module
 */
import { InvalidInputError } from "../errors.ts";
import { z } from "../deps.ts";
import { NUMBER_RANGES } from "../event/field_checks.ts";
import { PAYLOAD_FIELDS, type PayloadFields, type RunKey } from "../event/fields.ts";

/**
 * One execution event's worth of fields, as reported by the agent: the
 * table's `run` rows, each null when the agent did not say (the outcome
 * flag always has a value).
 */
export type AdaptedRun = {
  [K in RunKey]: PayloadFields[K] extends boolean ? boolean : PayloadFields[K] | null;
};

/** The `--from` names of the adapters. */
export type AdapterName = "claude-json" | "codex-jsonl" | "gemini-json";

/** Turns an agent's printed output into runs: one per model it reports. */
export type Adapter = (text: string) => AdaptedRun[];

/**
 * A count an agent printed (tokens, milliseconds), or none: the range an
 * event's count takes (`NUMBER_RANGES`), so what an adapter accepts the
 * event accepts.
 */
export const agentCount = z.number().int().min(NUMBER_RANGES.count.min)
  .max(NUMBER_RANGES.count.max).nullish();

/** A dollar amount an agent printed, or none: the range of an event's `cost_usd`. */
export const agentUsd = z.number().min(NUMBER_RANGES.usd.min).max(NUMBER_RANGES.usd.max)
  .nullish();

/**
 * A run with nothing reported yet: every count unknown, successful.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emptyRun } from "./common.ts";
 * assert.ok(emptyRun().input_tokens === null && emptyRun().success);
 * ```
 */
export function emptyRun(): AdaptedRun {
  return Object.fromEntries(
    PAYLOAD_FIELDS.filter((f) => "run" in f).map((f) => [f.key, f.kind === "flag" ? true : null]),
  ) as AdaptedRun;
}

/**
 * The uncached part of an input count that includes cached tokens (the
 * OpenAI and Gemini convention). Never negative: a provider reporting more
 * cached than total tokens must not turn into a credit.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { uncachedInput } from "./common.ts";
 * assert.ok(uncachedInput(100, 30) === 70);
 * assert.ok(uncachedInput(10, 30) === 0);
 * assert.ok(uncachedInput(null, 30) === null);
 * ```
 */
export function uncachedInput(total: number | null, cached: number | null): number | null {
  if (total === null) return null;
  return Math.max(0, total - (cached ?? 0));
}

/**
 * The error for input that is not the expected format, as one line.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { notFormat } from "./common.ts";
 * const e = notFormat("gemini-json", "input is empty", "a JSON object");
 * assert.ok(e.message === "--from gemini-json: input is empty (expected a JSON object)");
 * ```
 */
export function notFormat(from: AdapterName, problem: string, expected: string): InvalidInputError {
  return new InvalidInputError(`--from ${from}: ${problem} (expected ${expected})`);
}

/**
 * Parses `text` as one JSON value (pretty-printed or compact), or returns
 * `undefined` when it is not a single JSON value, so that callers can try a
 * line-by-line reading next. Empty input throws.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseWhole } from "./common.ts";
 * assert.ok((parseWhole("codex-jsonl", ' {"a": 1}\n', "events") as { a: number }).a === 1);
 * assert.ok(parseWhole("codex-jsonl", "{}\n{}", "events") === undefined);
 * ```
 */
export function parseWhole(from: AdapterName, text: string, expected: string): unknown {
  const trimmed = text.replace(/^\uFEFF/, "").trim();
  if (trimmed === "") throw notFormat(from, "input is empty", expected);
  try {
    return JSON.parse(trimmed);
  } catch {
    return undefined;
  }
}

/**
 * Parses JSON Lines: one JSON value per non-blank line. Returns `undefined`
 * when the first line is not JSON (the input is some other text); a later bad
 * line throws, naming it, since a half-readable stream must not pass as whole.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseLines } from "./common.ts";
 * assert.ok(parseLines("codex-jsonl", '{"a":1}\n\n{"b":2}\n', "events")?.length === 2);
 * assert.ok(parseLines("codex-jsonl", "hello", "events") === undefined);
 * ```
 */
export function parseLines(
  from: AdapterName,
  text: string,
  expected: string,
): unknown[] | undefined {
  const values: unknown[] = [];
  const lines = text.replace(/^\uFEFF/, "").split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === "") continue;
    try {
      values.push(JSON.parse(line));
    } catch {
      if (values.length === 0) return undefined;
      throw notFormat(from, `line ${i + 1} is not JSON`, expected);
    }
  }
  return values;
}

/**
 * Validates a value already known to be the right format; a field of the
 * wrong type is the caller's input error, reported with its path.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { z } from "../deps.ts";
 * import { validated } from "./common.ts";
 * try {
 *   validated("claude-json", z.object({ n: z.number() }), { n: "x" });
 *   assert.ok(false);
 * } catch (e) {
 *   assert.ok((e as Error).message.startsWith("--from claude-json: n: "));
 * }
 * ```
 */
export function validated<T extends z.ZodType>(
  from: AdapterName,
  schema: T,
  value: unknown,
): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue.path.map(String).join(".") || "input";
  throw new InvalidInputError(`--from ${from}: ${path}: ${issue.message.replace(/\s+/g, " ")}`);
}

/**
 * True for a plain JSON object (not an array, not null).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isObject } from "./common.ts";
 * assert.ok(isObject({}) && !isObject([]) && !isObject(null));
 * ```
 */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
