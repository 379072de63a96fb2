/**
 * One event per JSONL line: the canonical compact layout the tool writes,
 * and the tolerant parse used for every line it reads (its own layout, the
 * Python writer's, hand edits).
 *
 * @module
 */
import { EnvelopeSchema, type Event } from "./envelope.ts";
import type { SchemaIssue } from "./table_schema.ts";
import { fastCheck, leanRead } from "./fast_check.ts";

export { encodeEvent, ENVELOPE_KEYS } from "./line_encode.ts";

/** The outcome of decoding one line. */
export type DecodeResult =
  | {
    ok: true;
    event: Event;
    /** Payload keys whose values were not valid for them, read as unknown (null). */
    invalid?: string[];
  }
  | { ok: false; reason: string };

/**
 * Parses one line into an event: the envelope must be valid; an execution
 * payload is read leniently (see `readPayload`: invalid values become
 * unknown and are named in `invalid`, missing keys get defaults). Never
 * throws.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeLine } from "./line_codec.ts";
 * const r = decodeLine("{not json");
 * assert.ok(!r.ok && r.reason.startsWith("invalid JSON"));
 * ```
 */
export function decodeLine(line: string): DecodeResult {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    const python = pythonNumbers(line);
    try {
      if (python === undefined) throw error;
      value = JSON.parse(python);
    } catch {
      return { ok: false, reason: `invalid JSON (${(error as Error).message})` };
    }
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { ok: false, reason: "not a JSON object" };
  }
  const fast = fastCheck(value);
  if (fast) return { ok: true, event: fast };
  // The envelope decides whether a line is an event (`leanRead`, the one
  // lenient rule); the schemas only say why when it is not.
  const lean = leanRead(value);
  if (lean) return { ok: true, ...lean };
  const envelope = EnvelopeSchema.safeParse(value);
  return { ok: false, reason: envelope.success ? "invalid envelope" : describe(envelope.error) };
}

/**
 * Describes the first problem of a schema error (ours or zod's, which word
 * their issues alike) as `field: message`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { EnvelopeSchema } from "./envelope.ts";
 * import { describe } from "./line_codec.ts";
 * const r = EnvelopeSchema.safeParse({ event_id: 1 });
 * assert.ok(!r.success && describe(r.error).startsWith("event_id: "));
 * ```
 */
export function describe(error: { issues: readonly SchemaIssue[] }, prefix = ""): string {
  const issue = error.issues[0];
  if (!issue) return "invalid value";
  const path = issue.path.map(String).join(".");
  if (issue.code === "unrecognized_keys") {
    return `${prefix}${path ? path + "." : ""}${(issue.keys ?? []).join(", ")}: unknown field`;
  }
  return `${prefix}${path || "(value)"}: ${issue.message}`;
}

/**
 * The line with Python's non-JSON numbers (`NaN`, `Infinity`, `-Infinity`,
 * which its `json` module writes for floats) turned into strings, so the
 * line parses and the value reads as invalid for its key rather than
 * losing the whole event; `undefined` when there are none outside strings.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pythonNumbers } from "./line_codec.ts";
 * assert.equal(pythonNumbers('{"a": NaN, "b": "NaN", "c": -Infinity}'), '{"a": "NaN", "b": "NaN", "c": "-Infinity"}');
 * assert.equal(pythonNumbers('{"a": 1}'), undefined);
 * ```
 */
export function pythonNumbers(line: string): string | undefined {
  let out = "";
  let from = 0;
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') {
      inString = true;
      continue;
    }
    for (const word of ["NaN", "Infinity", "-Infinity"]) {
      if (line.startsWith(word, i)) {
        out += line.slice(from, i) + `"${word}"`;
        from = i + word.length;
        i = from - 1;
        break;
      }
    }
  }
  return from === 0 ? undefined : out + line.slice(from);
}
