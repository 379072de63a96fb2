/**
 * The file export's items, byte for byte: what `export --out` writes of
 * lines read from their bytes (ids hashed and copied from the block,
 * attributes as remembered runs) must be the text the string encoder
 * (`spanJson`, `logRecordJson`) writes of the same events decoded, for
 * names with escapes, non-ASCII and very long names, more distinct names
 * than are remembered, null fields, failures, and the Python writer's
 * layout. And the runs themselves equal `attributesJson` however many
 * combinations they meet (past what they keep, when they start again).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { pythonLine } from "../bench/generate.ts";
import { encodeEvent } from "../src/event/line_encode.ts";
import type { Event } from "../src/event/envelope.ts";
import type { ExecutionEvent } from "../src/event/execution.ts";
import { logRecordJson, spanJson } from "../src/export/otlp_encode.ts";
import { ItemWriter } from "../src/export/item_bytes.ts";
import { ViewEvent } from "../src/export/view_event.ts";
import { attributesJson, type ExportRow } from "../src/export/otlp_mapping.ts";
import { AttributeRuns } from "../src/export/attribute_runs.ts";
import { ByteOut } from "../src/export/byte_out.ts";
import { prng } from "../bench/generate.ts";
import { payload } from "./helpers.ts";
import { MAX_NAME_LENGTH } from "../src/event/text_rules.ts";
import { projectWith } from "./otlp/otlp_helpers.ts";
import { exportFile, rawItems, referenceItems } from "./otlp/export_items.ts";

const basePayload = payload({ role: "r", model: null, input_tokens: 3, output_tokens: null });

/** The longest names there are (multi-byte: longer still in UTF-8). */
const LONG = "ñ".repeat(MAX_NAME_LENGTH - 1);
/** Names the runs must keep apart: escapes, non-ASCII, long. */
const ODD = ['quo"te', "back\\slash", "sep\u2028x", "é-ü 😀", LONG, LONG + "x", "claudé"];
/** On most lines plain names (read from the bytes), new ones past what a run keeps. */
const names = (i: number) =>
  i % 4 === 0 ? ODD[(i >> 2) % ODD.length] : ["claude", "codex", `many-${i}`][i % 3];

const shapes = (i: number): Record<string, unknown> => ({
  agent: i % 11 === 0 ? null : names(i),
  role: names(i + 3),
  wp_id: names(Math.floor(i / 3)),
  model: [null, "claude-sonnet-4-5", "gpt-5", names(i)][i % 4],
  input_tokens: i % 5 === 0 ? null : i * 1_000_003,
  output_tokens: i % 7 === 0 ? null : 9_999_999_999 + i,
  cache_read_tokens: i % 2 === 0 ? null : i,
  reasoning_tokens: i % 3 === 0 ? 0 : null,
  cost_usd: i % 6 === 0 ? 0.1 + i / 1000 : null,
  duration_ms: i % 9 === 0 ? null : i * 37,
  success: i % 10 !== 4,
  exit_code: i % 10 === 4 ? (i % 20 === 4 ? 0 : 3) : 0,
});

for (const signal of ["traces", "logs"] as const) {
  Deno.test(`export --out writes the string encoder's ${signal}, byte for byte, item by item`, async () => {
    const { root, events } = await projectWith(2400, shapes);
    // A third of the lines in the Python writer's layout (read from bytes too).
    const path = join(root, "kitty-specs", "043-otel", "execution.events.jsonl");
    const text = events.map((e: Event, i) => (i % 3 === 1 ? pythonLine(e) : encodeEvent(e)) + "\n");
    await Deno.writeTextFile(path, text.join(""));
    const out = join(root, "out.jsonl");
    await exportFile(root, signal, out);
    const got = rawItems(signal, await Deno.readTextFile(out));
    const want = await referenceItems(root, signal, {});
    assert.equal(got.length, 2400);
    for (let i = 0; i < want.length; i++) assert.equal(got[i], want[i], `item ${i}`);
    // Not vacuous: the odd names and the many names went through.
    const all = got.join("\n");
    for (
      const seen of ['quo\\"te', "back\\\\slash", "sep\u2028x", "é-ü 😀", LONG + "x"]
    ) {
      assert.ok(all.includes(seen), seen);
    }
    const many = new Set(all.match(/many-\d+/g));
    assert.ok(many.size > 256, `${many.size} distinct names`);
  });
}

Deno.test("attribute runs write attributesJson's text past what they keep (many combinations)", () => {
  const rand = prng(5);
  const pick = (n: number) => `v${Math.floor(rand() * n)}`;
  const runs = new AttributeRuns("]");
  let text = "";
  const out = new ByteOut(new Uint8Array(1 << 16), (b) => {
    text += new TextDecoder().decode(b);
    return new Uint8Array(1 << 16);
  });
  const want: string[] = [];
  let most = 0;
  // 12,000 rows of 40 x 40 x 40 feature, wp and role: about 30,000 runs, past the 20,000 kept.
  for (let i = 0; i < 12_000; i++) {
    const event = {
      event_id: `01KHJVJWDM0HGAGYGXJYK${String(i).padStart(5, "0")}`,
      event_type: "ExecutionEvent",
      aggregate_id: pick(40),
      lamport_clock: i,
      node_id: pick(3),
      causation_id: null,
      timestamp: "2026-01-01T00:00:00Z",
      payload: {
        wp_id: pick(40),
        agent: pick(4),
        role: pick(40),
        model: rand() < 0.5 ? null : pick(3),
        input_tokens: rand() < 0.3 ? null : i,
        output_tokens: null,
        cache_read_tokens: null,
        cache_write_tokens: i,
        cache_write_1h_tokens: null,
        reasoning_tokens: null,
        cost_usd: null,
        duration_ms: i,
        success: rand() < 0.9,
        error: null,
        exit_code: rand() < 0.5 ? 0 : 1,
      },
    } as unknown as ExecutionEvent;
    const row: ExportRow = {
      event,
      cost: { kind: "unpriced", units: 0n, model: null },
      canonicalModel: event.payload.model,
      provider: rand() < 0.5 ? null : pick(2),
    };
    runs.write(out, row);
    most = Math.max(most, runs.size);
    want.push(attributesJson(row) + "]");
  }
  out.flush();
  assert.equal(text, want.join(""));
  // What they keep stays bounded: they came near the bound and started again.
  assert.ok(most <= 20_000 && most > 19_000 && runs.size < most, `${most} ${runs.size}`);
});

Deno.test("ByteOut.decimal and uint write String(n), digit for digit", () => {
  const rand = prng(11);
  const xs = [0, -0, 1e-6, 1e-7, 5e-7, 0.5, 0.00001, 64.41, 8.999999, 100, 1e9, 999_999_999.999999];
  xs.push(1e15, 1e21, 123_456_789.123456, 0.1 + 0.2, -1.5, 2 ** 53, 2 ** 53 + 2, 1e8 - 1, 1e8);
  for (let i = 0; i < 30_000; i++) {
    const m = Math.floor(rand() * 10 ** Math.floor(rand() * 17));
    xs.push(m, m / 1e6, m / 1e3, rand() * 10 ** (rand() * 12));
  }
  let text = "";
  const out = new ByteOut(new Uint8Array(64), (b) => {
    text += new TextDecoder().decode(b);
    return new Uint8Array(64);
  });
  let fast = 0;
  for (const x of xs) {
    text = "";
    out.decimal(x);
    out.flush();
    assert.equal(text, String(x), `decimal(${x})`);
    if (Math.round(x * 1e6) / 1e6 === x && x < 1e9) fast++;
    text = "";
    out.uint(x);
    out.flush();
    assert.equal(text, String(x), `uint(${x})`);
  }
  // Not vacuous: most went the digit path.
  assert.ok(fast > 60_000, `${fast}`);
});

Deno.test("ids hashed four at a time land in their items: small buffers, two writers taking turns", () => {
  const rand = prng(13);
  const chars = "0123456789ABCDEFGHJKMNPQRSTVWXYZabcdefghjkmnpqrstvwxyzILOU!~";
  const rows: [ExportRow, ExportRow][] = [];
  for (let i = 0; i < 999; i++) {
    const id = Array.from({ length: 26 }, () => chars[Math.floor(rand() * chars.length)]).join("");
    const event = {
      event_id: id,
      event_type: "ExecutionEvent" as const,
      aggregate_id: "f",
      lamport_clock: i,
      node_id: "n",
      causation_id: null,
      timestamp: "2026-01-01T00:00:00Z",
      payload: { ...basePayload, input_tokens: i, success: i % 5 !== 0 },
    } as unknown as ExecutionEvent;
    // The same event as the byte readers hand it over: its id as bytes in a block.
    const view = new ViewEvent();
    view.bytes = new TextEncoder().encode(`xx${id}yy`);
    view.idAt = 2;
    view.aggregate_id = event.aggregate_id;
    view.lamport_clock = event.lamport_clock;
    view.node_id = event.node_id;
    view.payload = event.payload as ViewEvent["payload"];
    const cost: ExportRow["cost"] = { kind: "unpriced", units: 0n, model: null };
    const row = { cost, canonicalModel: null, provider: null, micros: 1_767_225_600_000_000 };
    rows.push([{ ...row, event }, { ...row, event: view as unknown as ExecutionEvent }]);
  }
  for (const size of [1 << 20, 61, 300]) {
    const traces = new ItemWriter("traces");
    const logs = new ItemWriter("logs");
    const text = { traces: "", logs: "" };
    const outOf = (signal: "traces" | "logs") =>
      new ByteOut(new Uint8Array(size), (b) => {
        text[signal] += new TextDecoder().decode(b) + "|";
        return new Uint8Array(size);
      });
    const outs = { traces: outOf("traces"), logs: outOf("logs") };
    const want = { traces: [] as string[], logs: [] as string[] };
    for (const [plain, view] of rows) {
      traces.write(outs.traces, view);
      logs.write(outs.logs, view);
      want.traces.push(spanJson(plain));
      want.logs.push(logRecordJson(plain));
    }
    outs.traces.flush();
    outs.logs.flush();
    for (const signal of ["traces", "logs"] as const) {
      // Each spill ends with "|": the bytes handed on, filled in before they left.
      assert.equal(text[signal].replaceAll("|", ""), want[signal].join(""), `${signal} ${size}`);
    }
  }
});
