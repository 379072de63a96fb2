/**
 * `emit --from NAME`: records what an agent printed about its own run
 * (Claude Code JSON, Codex JSONL, Gemini JSON), one event per model it
 * reports, with the usual flags filling what the output lacks.
 *
 * @module
 */
import { type AdaptedRun, type AdapterName, ADAPTERS } from "../adapters/adapter.ts";
import type { ExecutionInput } from "../event/execution.ts";
import { ulidPlus } from "../event/ulid.ts";
import { validateInput } from "./emit_input.ts";
import { UsageError } from "./errors.ts";

/** The accepted `--from` names. */
export const FROM_NAMES = Object.keys(ADAPTERS) as AdapterName[];

/** The agent name recorded when `--agent` is not given. */
const DEFAULT_AGENT: Record<AdapterName, string> = {
  "claude-json": "claude",
  "codex-jsonl": "codex",
  "gemini-json": "gemini",
};

/**
 * Builds the inputs for one agent output. A caller-supplied `event_id`
 * stays the first run's id; further runs (one per extra model) get the
 * next ULIDs after it, so a retry with the same id is still a no-op.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { inputsFromAgentOutput } from "./emit_from.ts";
 * const out = '{"response":"ok","stats":{"models":{}}}';
 * const [input] = await inputsFromAgentOutput("gemini-json", out, { role: "reviewer" }, () => {});
 * assert.ok(input.agent === "gemini" && input.success);
 * ```
 */
export async function inputsFromAgentOutput(
  from: string,
  text: string,
  flags: Record<string, unknown>,
  warn: (message: string) => void,
): Promise<ExecutionInput[]> {
  if (!(FROM_NAMES as string[]).includes(from)) {
    throw new UsageError(
      `--from: expected one of ${FROM_NAMES.join(", ")}, got ${JSON.stringify(from)}`,
    );
  }
  const name = from as AdapterName;
  const runs = ADAPTERS[name](text);
  const firstId = flags.event_id as string | undefined;
  return await Promise.all(runs.map((run, i) => {
    const fields = merge(run, { agent: DEFAULT_AGENT[name], ...flags });
    if (firstId !== undefined) fields.event_id = i === 0 ? firstId : ulidPlus(firstId, i);
    return validateInput(fields, (f) => `--from ${name}: ${f}`, warn);
  }));
}

function merge(run: AdaptedRun, flags: Record<string, unknown>): Record<string, unknown> {
  const fields: Record<string, unknown> = { ...flags };
  for (const [key, value] of Object.entries(run)) {
    // The agent's own report wins; flags fill only what it left unknown.
    if (value !== null) fields[key] = value;
  }
  if (flags.success === false) fields.success = false; // --failure overrides
  if (flags.exit_code === undefined || flags.success === false) {
    fields.exit_code = fields.success ? 0 : (flags.exit_code ?? 1);
  }
  return fields;
}
