/**
 * `emit --from NAME`: records what an agent printed about its own run
 * (Claude Code JSON, Codex JSONL, Gemini JSON), one event per model it
 * reports, with the usual flags filling what the output lacks.
 *
 * @module
 */
import { resolve } from "node:path";
import { type AdaptedRun, type AdapterName, ADAPTERS } from "../adapters/adapter.ts";
import type { ExecutionInput } from "../event/execution.ts";
import { isEventId, normalizeEventId } from "../event/event_id.ts";
import { ulidPlus } from "../event/ulid.ts";
import { decodeUtf8 } from "../merge/read_text.ts";
import { validateInput } from "./emit_input.ts";
import { UsageError } from "./errors.ts";
import type { CliIo } from "./io.ts";

/**
 * The largest agent output `--from` reads (stdin or `--from-file`). A
 * Claude or Gemini report is one JSON document, parsed whole, so it is held
 * in memory: the cap keeps that bounded (a few times this size at most).
 */
export const MAX_AGENT_OUTPUT_BYTES = 64 * 1024 * 1024;

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
  // Every id first: a bad one must stop the emit before any validation runs.
  const ids = runs.map((_, i) =>
    firstId === undefined ? undefined : nthId(firstId, i, runs.length)
  );
  return await Promise.all(runs.map((run, i) => {
    const fields = merge(run, { agent: DEFAULT_AGENT[name], ...flags });
    if (ids[i] !== undefined) fields.event_id = ids[i];
    return validateInput(fields, (f) => `--from ${name}: ${f}`, warn);
  }));
}

/**
 * The id of run `n` (0-based) of `count`: the caller's id, then the ids
 * after it (the next ULIDs, or the next UUIDs counting the 128 bits as one
 * number). An id that is not one, or too near the top of its range for
 * `count` runs, is the caller's input error (exit 2), never a crash.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nthId } from "./emit_from.ts";
 * assert.equal(nthId("123e4567-e89b-12d3-a456-42661417400f", 1, 2), "123e4567-e89b-12d3-a456-426614174010");
 * assert.equal(nthId("01KHJVJWDM0HGAGYGXJYKD1JQG", 1, 2), "01KHJVJWDM0HGAGYGXJYKD1JQH");
 * ```
 */
export function nthId(first: string, n: number, count: number): string {
  if (n === 0) return first;
  const id = normalizeEventId(first);
  const fail = () =>
    new UsageError(
      `--event-id ${first}: ` +
        (isEventId(id) ? "too near the end of its range" : "not a ULID or UUID") +
        `; the output reports ${count} models, which take ${count} consecutive ids ` +
        "starting at it: choose another id",
    );
  if (!isEventId(id)) throw fail();
  if (id.length === 26) {
    try {
      return ulidPlus(id, n);
    } catch (error) {
      if (error instanceof RangeError) throw fail();
      throw error;
    }
  }
  const value = BigInt(`0x${id.replaceAll("-", "")}`) + BigInt(n);
  if (value >= 1n << 128n) throw fail();
  const hex = value.toString(16).padStart(32, "0");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${
    hex.slice(20)
  }`;
}

/**
 * Reads an agent's output from `--from-file` or stdin: at most
 * {@linkcode MAX_AGENT_OUTPUT_BYTES}, strictly UTF-8. Either limit broken is
 * the caller's input error (exit 2), naming the limit or the line.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readAgentOutput } from "./emit_from.ts";
 * const io = { stdin: new Blob(["{}"]).stream(), cwd: "." } as never;
 * assert.equal(await readAgentOutput(io, undefined, false), "{}");
 * ```
 */
export async function readAgentOutput(
  io: Pick<CliIo, "stdin" | "cwd">,
  file: string | undefined,
  stdin: boolean | undefined,
): Promise<string> {
  if (stdin) throw new UsageError("--from reads stdin itself; drop --stdin");
  if (file === undefined) return decodeAgentOutput(await readCapped(io.stdin, "stdin"), "stdin");
  let bytes: Uint8Array;
  try {
    // Not openLog: a FIFO is fine here (e.g. bash's <(claude -p ...)).
    using handle = await Deno.open(resolve(io.cwd, file), { read: true });
    bytes = await readCapped(handle.readable, file);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`--from-file: cannot read ${file} (${(error as Error).message})`);
  }
  return decodeAgentOutput(bytes, file);
}

function decodeAgentOutput(bytes: Uint8Array, label: string): string {
  return decodeUtf8(
    bytes,
    label,
    (where) => new UsageError(`--from: ${where}: not valid UTF-8; an agent's output is UTF-8 text`),
  );
}

async function readCapped(stream: ReadableStream<Uint8Array>, label: string): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.length;
    if (size > MAX_AGENT_OUTPUT_BYTES) {
      throw new UsageError(
        `--from: ${label} is over ${MAX_AGENT_OUTPUT_BYTES / 1024 / 1024} MiB, the most one ` +
          "agent output may be (it is parsed whole); pass the agent's final report only " +
          "(for stream-json, the last line), or record the run with emit's flags",
      );
    }
    chunks.push(chunk.slice());
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
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
