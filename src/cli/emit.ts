/**
 * `kitty-telemetry emit`: record one execution event (flags) or a batch
 * (`--stdin`, one JSON object per line).
 *
 * @module
 */
import { resolve } from "node:path";
import { hasControlChars, MAX_NAME_LENGTH } from "../event/text_rules.ts";
import { encodeEvent } from "../event/line_encode.ts";
import { ProjectLayout, validateFeatureSlug } from "../store/project_layout.ts";
import { recordExecutions } from "../store/recorder.ts";
import { parseDecimal, parseFlags, parseInteger, resolveRoot } from "./args.ts";
import { type CliIo, ENV } from "./io.ts";
import { describeError, UsageError } from "./errors.ts";
import { warningSink } from "./warnings.ts";
import { inputsFromStdin, normalizeId, validateInput } from "./emit_input.ts";

/** `emit --help`. */
export const EMIT_HELP = `Record an agent run as an execution event.

Usage:
  kitty-telemetry emit --feature SLUG --agent NAME --role ROLE [fields] [options]
  kitty-telemetry emit --feature SLUG --stdin [fields as defaults] [options]
  kitty-telemetry emit --feature SLUG --role ROLE --from FORMAT [--from-file PATH] [fields]

Fields:
  --wp ID                 work package (default N/A)
  --agent NAME            agent that ran (claude, codex, gemini, ...)      required
  --role ROLE             implementer, reviewer, specifier, planner, ...   required
  --model ID              model id as the provider names it
  --input-tokens N        uncached input tokens
  --output-tokens N       output tokens, reasoning included
  --cache-read-tokens N   --cache-write-tokens N   --reasoning-tokens N
  --cost-usd X            cost the agent reported (omit: estimated later)
  --duration-ms N         wall time of the run (default 0)
  --failure               the run failed (default: success)
  --error TEXT            error message     --exit-code N (default 0, 1 with --failure)
  --event-id ULID         caller-chosen id: a retry with the same id writes nothing
  --causation-id ID       id of the event that caused this one

Options:
  --stdin                 read one JSON object per line (keys: wp_id, agent, role,
                          model, input_tokens, ..., exit_code, event_id, causation_id,
                          event_type); flags given fill keys a line lacks; one bad
                          line rejects the whole batch
  --from FORMAT           read an agent's own output (stdin, or --from-file PATH):
                          claude-json (claude -p --output-format json or stream-json),
                          codex-jsonl (codex exec --json), gemini-json
                          (gemini --output-format json); one event per model it
                          reports; --agent defaults to claude/codex/gemini and flags
                          fill what the output lacks (e.g. --model for Codex)
  --best-effort           never fail the caller: report any error on stderr, exit 0
                          (still all-or-nothing: a failed emit writes nothing)
  --node-id ID            node id for the event and its clock
                          (default: $${ENV.nodeId}, else host name + checkout hash)
  --root DIR              project root (default: $${ENV.root}, else nearest ancestor
                          holding kitty-specs/ or .git)
  --json                  print the stored events as JSON lines
  -h, --help              show this help

Prints the event id of each recorded event (or the events with --json).
Exit codes: 0 recorded (or already recorded), 1 I/O failure, 2 bad input.
`;

const OPTIONS = {
  feature: { type: "string" },
  wp: { type: "string" },
  agent: { type: "string" },
  role: { type: "string" },
  model: { type: "string" },
  "input-tokens": { type: "string" },
  "output-tokens": { type: "string" },
  "cache-read-tokens": { type: "string" },
  "cache-write-tokens": { type: "string" },
  "reasoning-tokens": { type: "string" },
  "cost-usd": { type: "string" },
  "duration-ms": { type: "string" },
  failure: { type: "boolean" },
  error: { type: "string" },
  "exit-code": { type: "string" },
  "event-id": { type: "string" },
  "causation-id": { type: "string" },
  "node-id": { type: "string" },
  root: { type: "string" },
  stdin: { type: "boolean" },
  from: { type: "string" },
  "from-file": { type: "string" },
  "best-effort": { type: "boolean" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

const COUNT_FLAGS = [
  "input-tokens",
  "output-tokens",
  "cache-read-tokens",
  "cache-write-tokens",
  "reasoning-tokens",
  "duration-ms",
] as const;

/**
 * Runs `emit`; resolves to the exit code. With `--best-effort` any failure
 * is reported on stderr and the exit code is 0 (fire-and-forget callers).
 */
export async function emitCommand(args: string[], io: CliIo): Promise<number> {
  // Read before parsing: a bad flag must not fail a best-effort caller either.
  const bestEffort = args.includes("--best-effort");
  try {
    return await emit(args, io);
  } catch (error) {
    if (!bestEffort) throw error;
    const { message } = describeError(error);
    await io.stderr(`${message} (best effort: nothing written, exit 0)\n`);
    return 0;
  }
}

async function emit(args: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(args, OPTIONS);
  if (values.help) {
    await io.stdout(EMIT_HELP);
    return 0;
  }
  if (values.feature === undefined) {
    throw new UsageError("--feature is required (a folder name like 043-my-feature)");
  }
  validateFeatureSlug(values.feature);
  const nodeId = values["node-id"] ?? io.env(ENV.nodeId);
  if (nodeId !== undefined) checkNodeId(nodeId);

  const defaults = fieldsFromFlags(values);
  const warnings = warningSink(io);
  const inputs = values.from !== undefined
    // Loaded only for --from: the adapters bring the schema library along.
    ? await (await import("./emit_from.ts")).inputsFromAgentOutput(
      values.from,
      await readAgentOutput(io, values["from-file"], values.stdin),
      defaults,
      warnings.warn,
    )
    : values.stdin
    ? await inputsFromStdin(io.stdin, defaults, warnings.warn)
    : [await validateInput(defaults, (f) => `--${f.replaceAll("_", "-")}`, warnings.warn)];

  const root = await resolveRoot(io, values.root);
  const records = await recordExecutions(new ProjectLayout(root), values.feature, inputs, {
    nodeId: nodeId ?? defaultNodeId(io.hostname(), root),
    now: () => io.now(),
    newId: () => io.newId(),
    onWarning: warnings.warn,
  }).finally(() => warnings.flush());
  const out = records.map((r) => values.json ? encodeEvent(r.event) : r.event.event_id);
  if (out.length > 0) await io.stdout(out.join("\n") + "\n");
  return 0;
}

type Values = ReturnType<typeof parseFlags<typeof OPTIONS>>["values"];

function fieldsFromFlags(values: Values): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  const put = (key: string, value: unknown) => {
    if (value !== undefined) fields[key] = value;
  };
  put("wp_id", values.wp);
  put("agent", values.agent);
  put("role", values.role);
  put("model", values.model);
  for (const flag of COUNT_FLAGS) {
    const text = values[flag];
    if (text !== undefined) fields[flag.replaceAll("-", "_")] = parseInteger(`--${flag}`, text);
  }
  if (values["cost-usd"] !== undefined) {
    put("cost_usd", parseDecimal("--cost-usd", values["cost-usd"]));
  }
  if (values.failure) {
    fields.success = false;
    fields.exit_code = 1;
  }
  put("error", values.error);
  if (values["exit-code"] !== undefined) {
    fields.exit_code = parseInteger("--exit-code", values["exit-code"], -(2 ** 31));
  }
  put("event_id", normalizeId(values["event-id"]));
  put("causation_id", normalizeId(values["causation-id"]));
  return fields;
}

async function readAgentOutput(
  io: CliIo,
  file: string | undefined,
  stdin: boolean | undefined,
): Promise<string> {
  if (stdin) throw new UsageError("--from reads stdin itself; drop --stdin");
  if (file === undefined) return await new Response(io.stdin).text();
  try {
    return await Deno.readTextFile(resolve(io.cwd, file));
  } catch (error) {
    throw new UsageError(`--from-file: cannot read ${file} (${(error as Error).message})`);
  }
}

function checkNodeId(nodeId: string): void {
  if (nodeId.length === 0 || nodeId.length > MAX_NAME_LENGTH || hasControlChars(nodeId)) {
    throw new UsageError(
      `--node-id: expected 1 to ${MAX_NAME_LENGTH} characters without control characters`,
    );
  }
}

/**
 * A node id stable for one machine and checkout: the host name plus a short
 * hash of the project root, so two clones on one machine stay distinct.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { defaultNodeId } from "./emit.ts";
 * assert.ok(defaultNodeId("box", "/repo") === defaultNodeId("box", "/repo"));
 * ```
 */
export function defaultNodeId(hostname: string, root: string): string {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(root)) {
    hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  }
  const host = hostname.replace(/[^A-Za-z0-9._-]/g, "") || "host";
  return `${host}-${hash.toString(16).padStart(8, "0")}`;
}
