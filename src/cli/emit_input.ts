/**
 * What `emit` accepts: validation of one record (from flags or a stdin
 * line) with errors that name the field, the stdin batch reader, and the
 * documented input limits.
 *
 * @module
 */
import type { ExecutionInput } from "../event/execution.ts";
import { fastInput } from "../event/fast_check.ts";
import { fieldOf, PAYLOAD_FIELDS } from "../event/fields.ts";
import { normalizeEventId } from "../event/event_id.ts";
import { utf8Length, utf8Prefix } from "../event/text_rules.ts";
import { InvalidUtf8Error, readLines } from "../read/line_reader.ts";
import { jsonEqual } from "../merge/json_equal.ts";
import { UsageError } from "./errors.ts";

/** Free-text fields, whose length is capped. */
const TEXT_FIELDS = PAYLOAD_FIELDS.filter((f) => f.kind === "text");

/**
 * Longest kept `error` text, in bytes of UTF-8 (64 KiB); longer ones are cut
 * on a code point, marked, and warned about.
 */
export const MAX_ERROR_BYTES = 64 * 1024;
/** Longest stdin line. */
export const MAX_STDIN_LINE_BYTES = 4 * 1024 * 1024;
/** Most events in one `--stdin` batch (it is validated whole, in memory). */
export const MAX_BATCH_EVENTS = 100_000;

/**
 * A caller's id in its normalised spelling (see `normalizeEventId`), which is
 * how `emit` stores it: what the tool writes is always in one spelling.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { normalizeId } from "./emit_input.ts";
 * assert.ok(normalizeId("01khjvjwdm0hgagygxjykd1jqg") === "01KHJVJWDM0HGAGYGXJYKD1JQG");
 * assert.ok(normalizeId(undefined) === undefined);
 * ```
 */
export function normalizeId(id: string | undefined): string | undefined {
  return id === undefined ? id : normalizeEventId(id);
}

/**
 * Validates one record; `where` names a field for messages (`--input-tokens`
 * for flags, `stdin line 3: input_tokens` for a batch). Over-long `error`
 * texts are cut to {@linkcode MAX_ERROR_BYTES} bytes of UTF-8 (marker
 * included, never inside a code point) with a marker and a warning.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { validateInput } from "./emit_input.ts";
 * const input = await validateInput({ agent: "a", role: "r" }, (f) => f, () => {});
 * assert.ok(input.wp_id === "N/A");
 * ```
 */
export async function validateInput(
  fields: Record<string, unknown>,
  where: (field: string) => string,
  warn: (message: string) => void,
): Promise<ExecutionInput> {
  // The hand check settles valid records; the schema library is loaded only
  // to say precisely what is wrong (or for what the hand check declines).
  const data = (fastInput(fields) as ExecutionInput | undefined) ??
    await schemaInput(fields, where);
  const input = { ...data, event_id: normalizeId(data.event_id) };
  const texts = input as unknown as Record<string, string | null>;
  for (const { key } of TEXT_FIELDS) {
    const text = texts[key];
    // Over 64 KiB of UTF-8 means at least 64 KiB / 3 UTF-16 code units.
    if (text === null || text.length * 3 <= MAX_ERROR_BYTES) continue;
    if (utf8Length(text) <= MAX_ERROR_BYTES) continue;
    const marker = `… [cut: ${text.length} characters in all]`;
    warn(`${where(key)}: text over 64 KiB cut to 64 KiB`);
    texts[key] = utf8Prefix(text, MAX_ERROR_BYTES - utf8Length(marker)).text + marker;
  }
  return input;
}

/**
 * Reads a `--stdin` batch: one JSON object per line, blank lines skipped,
 * `defaults` filling keys a line lacks. Everything is validated before
 * anything is written, so one bad line rejects the batch.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { inputsFromStdin } from "./emit_input.ts";
 * const stdin = new Blob(['{"agent":"a","role":"r"}\n']).stream();
 * assert.ok((await inputsFromStdin(stdin, {}, () => {})).length === 1);
 * ```
 */
export async function inputsFromStdin(
  stdin: ReadableStream<Uint8Array>,
  defaults: Record<string, unknown>,
  warn: (message: string) => void,
): Promise<ExecutionInput[]> {
  const inputs: ExecutionInput[] = [];
  const lines = readLines(stdin, { maxLineBytes: MAX_STDIN_LINE_BYTES, fatal: true });
  // Per normalised id, the line that first gave it: a repeat must be the same record.
  const ids = new Map<string, { line: number; input: ExecutionInput }>();
  // Only the reading is guarded: a fatal reader reports bad UTF-8 as an
  // InvalidUtf8Error, and nothing else may be mistaken for one.
  const next = async () => {
    try {
      return await lines.next();
    } catch (error) {
      if (error instanceof InvalidUtf8Error) {
        throw new UsageError(
          `stdin line ${error.lineNumber}: not valid UTF-8; send UTF-8 text (one JSON object per line)`,
        );
      }
      throw error;
    }
  };
  try {
    for (let step = await next(); !step.done; step = await next()) {
      const line = step.value;
      const at = `stdin line ${line.number}`;
      if (line.oversize) throw new UsageError(`${at}: longer than 4 MiB`);
      if (line.text.trim() === "") continue;
      if (inputs.length === MAX_BATCH_EVENTS) {
        throw new UsageError(`--stdin: more than ${MAX_BATCH_EVENTS} events; split the batch`);
      }
      let value: unknown;
      try {
        value = JSON.parse(line.text);
      } catch (error) {
        throw new UsageError(`${at}: invalid JSON (${(error as Error).message})`);
      }
      if (typeof value !== "object" || value === null || Array.isArray(value)) {
        throw new UsageError(`${at}: expected a JSON object`);
      }
      const input = await validateInput({ ...defaults, ...value }, (f) => `${at}: ${f}`, warn);
      const id = input.event_id;
      const first = id === undefined ? undefined : ids.get(id);
      // The same record twice is one event (the recorder answers the repeat
      // with it); two records under one id would lose one silently.
      if (first !== undefined && !jsonEqual(first.input, input)) {
        throw new UsageError(
          `stdin lines ${first.line} and ${line.number}: event_id ${id} twice with different ` +
            "content; nothing recorded. Give each run its own id, or drop one of the lines",
        );
      }
      if (id !== undefined && first === undefined) ids.set(id, { line: line.number, input });
      inputs.push(input);
    }
  } finally {
    // Releases the stream when a bad line stops the batch early.
    await lines.return(undefined);
  }
  if (inputs.length === 0) throw new UsageError("--stdin: no events on stdin");
  return inputs;
}

async function schemaInput(
  fields: Record<string, unknown>,
  where: (field: string) => string,
): Promise<ExecutionInput> {
  const { ExecutionInputSchema } = await import("../event/execution.ts");
  const { describe } = await import("../event/line_codec.ts");
  const parsed = ExecutionInputSchema.safeParse(fields);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = String(issue?.path[0] ?? "");
  if (issue?.code === "unrecognized_keys") {
    throw new UsageError(`${where(issue.keys?.[0] ?? "")}: unknown field`);
  }
  if (issue?.path.length === 1 && fields[field] === undefined) {
    // The field table's help says what such a value looks like: that is the fix.
    const help = fieldOf(field)?.help;
    throw new UsageError(`${where(field)} is required${help ? ` (${help})` : ""}`);
  }
  throw new UsageError(`${where(field)}: ${describe(parsed.error).replace(/^[^:]*: /, "")}`);
}
