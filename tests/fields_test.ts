/**
 * The field table is the one definition of every field: the zod schemas
 * (the oracle), the hand checks, both byte readers and `emit`'s flags derive
 * from it. These tests hold the derivations to it.
 */
import assert from "node:assert/strict";
import { ENVELOPE_FIELDS, fieldOf, PAYLOAD_FIELDS } from "../src/event/fields.ts";
import { withDefaults } from "../src/event/field_checks.ts";
import { validValue } from "../src/event/field_checks.ts";
import { fieldSchema } from "../src/event/field_schemas.ts";

const PROBES: unknown[] = [
  null,
  undefined,
  0,
  1,
  -1,
  0.5,
  1e12,
  1e12 + 1,
  2 ** 31,
  -(2 ** 31),
  -(2 ** 31) - 1,
  Number.MAX_SAFE_INTEGER,
  Number.MAX_SAFE_INTEGER + 1,
  NaN,
  Infinity,
  true,
  false,
  "",
  "x",
  "a\nb",
  "x".repeat(256),
  "x".repeat(257),
  "2026-02-16T09:12:58Z",
  "2026-02-30T09:12:58Z",
  "01KHJVJWDM0HGAGYGXJYKD1JQG",
  "0123456789abcdef0123456789abcdef",
  "8f0b1c5e-3a1d-4b7e-9c2f-0a1b2c3d4e5f",
  "9f1c2b7a0d4e4f1ab3c5d6e7f8", // uuid4().hex[:26]
  "ZZKHJVJWDM0HGAGYGXJYKD1JQG",
  "01KHJVJWDM0HGAGYGXJYKD1JQU",
  "0123456789abcdef0123456789abcdeg",
  "8f0b1c5e-3a1d-4b7e-9c2f-0a1b2c3d4e5",
  [],
  {},
  { a: 1 },
];

Deno.test("each row's hand check accepts exactly what its schema accepts", () => {
  let compared = 0;
  for (const field of [...ENVELOPE_FIELDS, ...PAYLOAD_FIELDS]) {
    for (const value of PROBES) {
      if (value === undefined) continue; // a missing key: the default's business, below
      const schema = fieldSchema(field).safeParse(value).success;
      assert.equal(validValue(field, value), schema, `${field.key} = ${String(value)}`);
      compared++;
    }
  }
  assert.ok(compared > 300);
});

Deno.test("a row with a default fills a missing key with it; one without requires it", () => {
  for (const field of [...ENVELOPE_FIELDS, ...PAYLOAD_FIELDS]) {
    const parsed = fieldSchema(field).safeParse(undefined);
    if ("default" in field) assert.deepEqual(parsed, { success: true, data: field.default });
    else assert.equal(parsed.success, false, field.key);
  }
});

Deno.test("lookups by key are safe for names that are object properties", () => {
  for (const key of ["constructor", "__proto__", "toString", "hasOwnProperty"]) {
    assert.equal(fieldOf(key), undefined);
  }
});

/** Payload keys as string literals in a source file, comments left out. */
function literalKeys(text: string, keys: readonly string[]): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  return keys.filter((key) => new RegExp(`["'\`]${key}["'\`]`).test(code));
}

/**
 * Words of the agents' own output formats that happen to equal a payload
 * key: Claude's `subtype: "success"`, Codex's `type: "error"` events,
 * Gemini's top-level `error` object, and the attribute names of Claude
 * Code's and Codex's OpenTelemetry log records. They name the agent's
 * fields, not ours.
 */
const AGENT_FORMAT_WORDS = new Set([
  "src/adapters/claude_json.ts: success",
  "src/adapters/codex_jsonl.ts: error",
  "src/adapters/gemini_json.ts: error",
  ...["model", "input_tokens", "output_tokens", "cache_read_tokens", "cost_usd", "duration_ms"]
    .map((word) => `src/export/otlp_ingest.ts: ${word}`),
]);

Deno.test("every payload key is spelled as a string literal only in the field table", async () => {
  const keys = PAYLOAD_FIELDS.map((f) => f.key);
  const offenders: string[] = [];
  const walk = async (dir: URL) => {
    for await (const entry of Deno.readDir(dir)) {
      const url = new URL(entry.name + (entry.isDirectory ? "/" : ""), dir);
      if (entry.isDirectory) await walk(url);
      else if (entry.name.endsWith(".ts") && !url.pathname.endsWith("/src/event/fields.ts")) {
        const file = url.pathname.slice(url.pathname.indexOf("/src/") + 1);
        for (const key of literalKeys(await Deno.readTextFile(url), keys)) {
          if (!AGENT_FORMAT_WORDS.has(`${file}: ${key}`)) offenders.push(`${file}: ${key}`);
        }
      }
    }
  };
  await walk(new URL("../src/", import.meta.url));
  assert.deepEqual(offenders, []);
  // The check itself finds a literal, so an empty list means something.
  assert.deepEqual(literalKeys(`const k = "cost_usd"; x('","agent":"')`, keys), [
    "agent",
    "cost_usd",
  ]);
});

Deno.test("a field added to the table is written, read from bytes in both layouts, and set by its flag", async () => {
  const { encodeEvent } = await import("../src/event/line_encode.ts");
  const { pythonLine } = await import("../bench/generate.ts");
  const { ByteChunk, CanonicalReader, LINE } = await import("../src/read/canonical_bytes.ts");
  const { cli, tempProject } = await import("./helpers.ts");
  const event = {
    event_id: "01KHJVJWDM0HGAGYGXJYKD1JQG",
    event_type: "ExecutionEvent",
    aggregate_id: "043-x",
    lamport_clock: 1,
    node_id: "n1",
    causation_id: null,
    timestamp: "2026-02-16T09:12:58Z",
    payload: withDefaults({
      agent: "claude",
      role: "r",
      cache_write_tokens: 9,
      cache_write_1h_tokens: 7,
    }),
  };
  const read = (line: string) => {
    const reader = new CanonicalReader();
    const found = reader.read(new ByteChunk(new TextEncoder().encode(line + "\n")), 0);
    return [found, reader.view.payload.cache_write_1h_tokens];
  };
  assert.deepEqual(read(encodeEvent(event)), [LINE.EXECUTION, 7]);
  assert.deepEqual(read(pythonLine(event)), [LINE.EXECUTION, 7]);
  // A line written before the field existed: still read from bytes, as unknown.
  const { cache_write_1h_tokens: _, ...older } = event.payload;
  assert.deepEqual(
    read(encodeEvent({ ...event, payload: older }).replace(',"cache_write_1h_tokens":null', "")),
    [LINE.EXECUTION, null],
  );
  const root = await tempProject();
  const run = await cli([
    "emit",
    "--feature",
    "043-x",
    "--agent",
    "a",
    "--role",
    "r",
    "--cache-write-1h-tokens",
    "7",
    "--json",
    "--root",
    root,
  ]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(JSON.parse(run.stdout).payload.cache_write_1h_tokens, 7);
});
