/**
 * `query` copies a stored line instead of parsing and writing it again when
 * the byte reader says it is verbatim: such a line must be exactly what
 * `encodeEvent` writes for the event the full path reads from it. Lines
 * one edit away from canonical (numbers, escapes, a key left out, non-ASCII
 * text) probe the rule; the seed is printed so a failure can be replayed.
 */
import assert from "node:assert/strict";
import { ByteChunk, CanonicalReader, LINE } from "../src/read/canonical_bytes.ts";
import { VerbatimReader } from "../src/read/other_lines.ts";
import { decodeLine, encodeEvent } from "../src/event/line_codec.ts";
import type { Event } from "../src/event/envelope.ts";
import { prng } from "../bench/generate.ts";
import { sampleEvent } from "./store_contract.ts";

const SEED = Number(Deno.env.get("KITTY_SEED") ?? Date.now() % 1_000_000);
console.log(`verbatim_lines_test seed: ${SEED} (replay with KITTY_SEED=${SEED})`);
const encoder = new TextEncoder();

const EDITS: Array<[RegExp, string[]]> = [
  [/"cost_usd":[^,]*/, [
    '"cost_usd":1.5',
    '"cost_usd":1.50',
    '"cost_usd":1.0',
    '"cost_usd":1e2',
    '"cost_usd":100',
    '"cost_usd":0.000001',
    '"cost_usd":0.0000001',
    '"cost_usd":0.1',
    '"cost_usd":0.30000000000000004',
    '"cost_usd":123456789.012345',
    '"cost_usd":1234567890.123456',
    '"cost_usd":0',
    '"cost_usd":0.0',
    '"cost_usd":null',
  ]],
  [/"exit_code":[^,}]*/, ['"exit_code":-0', '"exit_code":-1', '"exit_code":0', '"exit_code":7']],
  [/"error":(null|"[^"]*")/, [
    '"error":"plain"',
    '"error":"a\\/b"',
    '"error":"a\\"b\\\\c\\n\\r\\t\\b\\f"',
    '"error":"\\u001f\\u0000"',
    '"error":"\\u001F"',
    '"error":"\\u000a"',
    '"error":"\\u0008"',
    '"error":"\\u0041"',
    '"error":"é"',
    '"error":"\\ud83d\\ude00"',
    '"error":"\\ud800"',
    '"error":""',
  ]],
  [/,"reasoning_tokens":[^,]*/, ["", ',"reasoning_tokens":null', ',"reasoning_tokens":12']],
  [/,"cache_write_1h_tokens":[^,]*/, [""]],
  [/"input_tokens":[^,]*/, ['"input_tokens":999999999999999', '"input_tokens":0']],
];

function randomLine(rand: () => number): string {
  const pick = <T>(list: T[]) => list[Math.floor(rand() * list.length)];
  const event = sampleEvent({
    lamport_clock: Math.floor(rand() * 1000),
    node_id: pick(["n1", "node-2"]),
    event_id: pick(["01KHJVJWDM0HGAGYGXJYKD1JQG", "01khjvjwdm0hgagygxjykd1jqg"]),
  }) as Event;
  let line = encodeEvent(event);
  for (const [pattern, values] of EDITS) {
    if (rand() < 0.5) line = line.replace(pattern, pick(values));
  }
  return line;
}

Deno.test("a line read as verbatim is exactly the line encodeEvent writes for its event", () => {
  const rand = prng(SEED);
  const reader = new CanonicalReader();
  let verbatim = 0;
  let rewritten = 0;
  for (let i = 0; i < 20_000; i++) {
    const line = randomLine(rand);
    const ending = ["\n", "\r\n", ""][Math.floor(rand() * 3)];
    if (reader.read(new ByteChunk(encoder.encode(line + ending)), 0) !== LINE.EXECUTION) continue;
    const full = decodeLine(line);
    assert.ok(full.ok, line);
    const again = encodeEvent(full.event);
    if (reader.view.verbatim) {
      verbatim++;
      assert.equal(line, again, "a line read as verbatim is not canonical");
      assert.equal(reader.view.lineText(), line);
    } else if (line !== again) rewritten++;
  }
  assert.ok(verbatim > 500, `only ${verbatim} verbatim lines`);
  assert.ok(rewritten > 500, `only ${rewritten} non-canonical lines read`);
});

Deno.test("lines the tool writes with plain-ASCII values are verbatim", () => {
  const reader = new CanonicalReader();
  for (const cost of [null, 0, 1.5, 0.000001, 78.3547, 123456789.01]) {
    const event = sampleEvent({}) as Event;
    const line = encodeEvent({ ...event, payload: { ...event.payload, cost_usd: cost } } as Event);
    assert.equal(reader.read(new ByteChunk(encoder.encode(line + "\n")), 0), LINE.EXECUTION, line);
    assert.equal(reader.view.verbatim, true, line);
  }
});

const PAYLOADS = [
  '{"phase":"implement","note":"résumé of the phase"}',
  '{"a":1,"b":[1,2.5,-3,0.000001,null,true,false,{}],"c":{"d":"x\\ny"}}',
  '{"a":1.50}',
  '{"a":1e3}',
  '{"a":-0}',
  '{"a":0.0000001}',
  '{"a":12345678901234567}',
  '{"a":"\\/"}',
  '{"a":"\\u00e9"}',
  '{"a":"\\u001f"}',
  '{"a":1,"a":2}',
  '{"b":1,"1":2}',
  '{"a": 1}',
  "{}",
  '{"__proto__":1}',
  '{"x":"\\ud83d\\ude00"}',
  '{"x":"😀"}',
];

/** One random edit of a byte (the reader must refuse or still be exact). */
function nudge(line: string, rand: () => number): string {
  const at = Math.floor(rand() * line.length);
  const noise = ['"', "\\", ",", ":", "}", "{", " ", "0", "-", ".", "e", "é", "\u0000"];
  return line.slice(0, at) + noise[Math.floor(rand() * noise.length)] + line.slice(at + 1);
}

Deno.test("a line of another type read as verbatim is exactly what encodeEvent writes for it", () => {
  const rand = prng(SEED + 7);
  const reader = new VerbatimReader();
  let verbatim = 0;
  let refused = 0;
  for (let i = 0; i < 20_000; i++) {
    const head = encodeEvent(sampleEvent({ event_type: "PhaseCompleted", payload: {} }) as Event)
      .replace(/"payload":\{\}\}$/, '"payload":');
    let line = head + PAYLOADS[Math.floor(rand() * PAYLOADS.length)] + "}";
    // As stored: a lone surrogate left by an edit is written as U+FFFD.
    if (rand() < 0.5) line = new TextDecoder().decode(encoder.encode(nudge(line, rand)));
    if (!reader.read(new ByteChunk(encoder.encode(line + "\n")), 0)) {
      refused++;
      continue;
    }
    verbatim++;
    const full = decodeLine(line);
    assert.ok(full.ok, `verbatim, yet the full path refuses it: ${line}`);
    assert.equal(encodeEvent(full.event), line, "a line read as verbatim is not canonical");
    assert.equal(reader.lineText(), line);
    assert.equal(reader.event_id, full.event.event_id);
    assert.equal(reader.lamport_clock, full.event.lamport_clock);
  }
  assert.ok(verbatim > 3000 && refused > 3000, `${verbatim} verbatim, ${refused} refused`);
});
