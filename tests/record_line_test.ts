/**
 * `query` writes a Python-layout execution line the kernel vouches for
 * from the kernel's record and the line's bytes (`recordLine`), with no
 * parse: it must be exactly what the full path writes for it,
 * `encodeEvent` of the event `JSON.parse` plus the schemas read. Random
 * events in both layouts, with edits that probe the rule (number
 * spellings, -0, big numbers, escapes and non-ASCII text in names and the
 * error, keys left out, keys the table does not have, every timestamp
 * spelling, causation ids), are held to that reference one line at a time
 * and through `query`'s reading of a whole log. The seed is printed so a
 * failure can be replayed.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { decodeLine, encodeEvent } from "../src/event/line_codec.ts";
import type { Event } from "../src/event/envelope.ts";
import { ByteChunk } from "../src/read/byte_scan.ts";
import { isPythonLayout } from "../src/read/python_bytes.ts";
import { BLOCK_AT, KIND, LineKernel, SLOT } from "../src/read/wasm/line_kernel.ts";
import { isRfc3339Bytes } from "../src/event/text_rules.ts";
import { recordLine } from "../src/query/record_line.ts";
import { BlockBuilder, logBlocks } from "../src/query/line_blocks.ts";
import { writeOrdered } from "../src/query/write_ordered.ts";
import { compareEvents } from "../src/event/order.ts";
import { ProjectLayout } from "../src/store/project_layout.ts";
import { project, referenceEvents } from "./breaker2_helpers.ts";
import { prng, pythonLine } from "../bench/generate.ts";
import { sampleEvent } from "./store_contract.ts";

const SEED = Number(Deno.env.get("KITTY_SEED") ?? Date.now() % 1_000_000);
console.log(`record_line_test seed: ${SEED} (replay with KITTY_SEED=${SEED})`);
const encoder = new TextEncoder();

/** Edits of a line in the Python writer's layout: a pattern, and what may replace it. */
const PYTHON_EDITS: Array<[RegExp, string[]]> = [
  [/"cost_usd": [^,}]*/, [
    '"cost_usd": 1.5',
    '"cost_usd": 1.50',
    '"cost_usd": 1.0',
    '"cost_usd": 1e2',
    '"cost_usd": 1E2',
    '"cost_usd": 100',
    '"cost_usd": 1e-05',
    '"cost_usd": 1e-07',
    '"cost_usd": 0.0000001',
    '"cost_usd": 0.30000000000000004',
    '"cost_usd": 123456789.012345',
    '"cost_usd": 999999999999.99',
    '"cost_usd": 1000000000000',
    '"cost_usd": 1000000000001',
    '"cost_usd": 0',
    '"cost_usd": -0.0',
    '"cost_usd": -0',
    '"cost_usd": null',
    '"cost_usd": NaN',
  ]],
  [/"exit_code": [^,}]*/, [
    '"exit_code": -0',
    '"exit_code": -1',
    '"exit_code": 2147483647',
    '"exit_code": -2147483648',
    '"exit_code": 2147483648',
    '"exit_code": 1.0',
  ]],
  [/"input_tokens": [^,}]*/, [
    '"input_tokens": 999999999999999',
    '"input_tokens": 9007199254740991',
    '"input_tokens": 9007199254740993',
    '"input_tokens": 0',
    '"input_tokens": 10.0',
    '"input_tokens": 1e3',
    '"input_tokens": -0',
    '"input_tokens": null',
  ]],
  [/"error": (null|"(?:[^"\\]|\\.)*")/, [
    '"error": "plain"',
    '"error": ""',
    '"error": "a, \\"b\\": c"',
    '"error": "x\\", \\"ticket\\": \\"y"',
    '"error": "a\\/b"',
    '"error": "caf\\u00e9"',
    '"error": "café"',
    '"error": "tab\\there"',
    '"error": "{[]}: , \\u0041"',
    '"error": "\\ud83d\\ude00"',
    '"error": null',
  ]],
  [/"agent": "[^"]*"/, [
    '"agent": "cl\\u0061ude"',
    '"agent": "café"',
    '"agent": "a b{c}[d]:e,f"',
    '"agent": "N/A"',
  ]],
  [/"model": ("[^"]*"|null)/, ['"model": null', '"model": "gpt-5"', '"model": "x\\"y"']],
  // Keys left out: each takes its default.
  [/, "wp_id": "[^"]*"/, [""]],
  [/"success": (true|false), /, ["", '"success": false, ']],
  [/"exit_code": [^,}]*, /, [""]],
  [/"duration_ms": [^,}]*, /, ["", '"duration_ms": 0, ']],
  [/"cache_read_tokens": [^,}]*, /, [""]],
  // Keys the table does not have (sorted where Python puts them), and a key twice.
  [/"payload": \{/, ['"payload": {"aa_note": 1, ', '"payload": {"__proto__": 2, ']],
  [/"role": /, ['"ticket": "T-1", "role": ', '"role": "x", "role": ']],
  [/\}, "timestamp"/, [', "zz": {"a": [1, "b"]}}, "timestamp"', ', "zz": null}, "timestamp"']],
  [/"timestamp": "[^"]*"/, [
    '"timestamp": "2026-02-16T09:12:58Z"',
    '"timestamp": "2026-02-16T09:12:58.036834+00:00"',
    '"timestamp": "2026-02-16t09:12:58z"',
    '"timestamp": "2026-02-16T09:12:58.123456789-05:30"',
    '"timestamp": "2026-02-16T23:59:60Z"',
    '"timestamp": "2026-02-16 09:12:58Z"',
    '"timestamp": "2026-02-30T09:12:58Z"',
    '"timestamp": "2026-02-16T25:12:58Z"',
    '"timestamp": "2026-02-16T09:12:58"',
  ]],
  [/"causation_id": null/, [
    '"causation_id": "01KHJVJWDM0HGAGYGXJYKD1JQG"',
    '"causation_id": "01khjvjwdm0hgagygxjykd1jqg"',
  ]],
  [/"lamport_clock": \d+/, [
    '"lamport_clock": 0',
    '"lamport_clock": 9007199254740991',
    '"lamport_clock": 7.0',
    '"lamport_clock": 1e3',
  ]],
  [/"node_id": "[^"]*"/, ['"node_id": "n\\u0031"', '"node_id": "ñ"', '"node_id": "a,b"']],
  [/"aggregate_id": "[^"]*"/, ['"aggregate_id": "043-y"', '"aggregate_id": "f\\u00e9"']],
];

/** Canonical-layout edits (the kernel vouches for some, never as spelled as the tool writes). */
const CANONICAL_EDITS: Array<[RegExp, string[]]> = [
  [/"cost_usd":[^,]*/, ['"cost_usd":1.50', '"cost_usd":1e2', '"cost_usd":-0']],
  [/"error":null/, ['"error":"caf\\u00e9"', '"error":"é"', '"error":"plain"']],
  [/,"exit_code":0\}/, [',"exit_code":0,"ticket":"T-1"}']],
];

function edited(line: string, edits: Array<[RegExp, string[]]>, rand: () => number): string {
  const pick = <T>(list: T[]) => list[Math.floor(rand() * list.length)];
  for (const [pattern, values] of edits) {
    if (rand() < 0.12) line = line.replace(pattern, pick(values));
  }
  return line;
}

/** A random event; `unique`: its own id but now and then (else one of two). */
function randomEvent(rand: () => number, unique = false): Event {
  const pick = <T>(list: T[]) => list[Math.floor(rand() * list.length)];
  const event = sampleEvent({
    lamport_clock: Math.floor(rand() * 1000),
    node_id: pick(["n1", "node-2"]),
  }) as Event;
  if (!unique || rand() < 0.02) {
    event.event_id = pick(["01KHJVJWDM0HGAGYGXJYKD1JQG", "01khjvjwdm0hgagygxjykd1jqh"]);
  }
  if (rand() < 0.5) event.payload.cost_usd = Math.floor(rand() * 1e6) / 100;
  if (rand() < 0.3) event.payload.error = "failed: exit 1";
  return event;
}

/** A random line: Python's layout edited, the tool's edited, or another event type. */
function randomLine(rand: () => number, unique = false): string {
  const event = randomEvent(rand, unique);
  const r = rand();
  if (r < 0.7) return edited(pythonLine(event), PYTHON_EDITS, rand);
  if (r < 0.9) return edited(encodeEvent(event), CANONICAL_EDITS, rand);
  return pythonLine({ ...event, event_type: "PhaseCompleted", payload: { phase: "é" } });
}

/** What the full path writes for a line, or undefined when it is no event. */
function reference(line: string): string | undefined {
  const decoded = decodeLine(line);
  return decoded.ok ? encodeEvent(decoded.event) : undefined;
}

Deno.test("a Python line written from the kernel's record is the line encodeEvent writes for it", () => {
  const rand = prng(SEED);
  const kernel = new LineKernel();
  let written = 0;
  let left = 0;
  for (let i = 0; i < 20_000; i++) {
    const line = randomLine(rand);
    const bytes = encoder.encode(line + ["\n", "\r\n", ""][i % 3]);
    const chunk = new ByteChunk(bytes);
    kernel.load(chunk);
    kernel.run(0);
    const r = kernel.records;
    if (r[SLOT.kind] !== KIND.EXECUTION || !isPythonLayout(chunk, 0)) continue;
    const [from, to] = [r[SLOT.timeFrom] - BLOCK_AT, r[SLOT.timeTo] - BLOCK_AT];
    if (r[SLOT.time] !== r[SLOT.time] && !isRfc3339Bytes(bytes, from, to)) continue;
    const lineBytes = recordLine(bytes, 0, r[SLOT.end] - BLOCK_AT, r, 0, kernel.names);
    const text = lineBytes && new TextDecoder().decode(lineBytes);
    if (text === undefined) {
      left++;
      continue;
    }
    written++;
    assert.equal(text, reference(line), `seed ${SEED}, line: ${line}`);
  }
  // Both answers are common, so both sides of the rule were tried.
  assert.ok(written > 1000 && left > 1000, `written ${written}, left to the decoder ${left}`);
});

Deno.test("a line with a key the table does not have, a backslash or non-ASCII is left to the decoder", () => {
  const base = pythonLine(sampleEvent({ causation_id: "01KHJVJWDM0HGAGYGXJYKD1JQG" }));
  const kernel = new LineKernel();
  const write = (line: string) => {
    const bytes = encoder.encode(line);
    kernel.load(new ByteChunk(bytes));
    kernel.run(0);
    const r = kernel.records;
    if (r[SLOT.kind] !== KIND.EXECUTION) return "not vouched for";
    const text = recordLine(bytes, 0, bytes.length, r, 0, kernel.names);
    return text && new TextDecoder().decode(text);
  };
  assert.equal(write(base), reference(base));
  // The kernel vouches for these (it skips the key): the writer must see the key.
  for (
    const line of [
      base.replace('"payload": {', '"payload": {"aa": 1, '),
      base.replace('"role": ', '"ticket": null, "role": '),
      base.replace('}, "timestamp"', ', "zz": 1.5}, "timestamp"'),
    ]
  ) {
    assert.notEqual(reference(line), undefined, line);
    assert.equal(write(line), undefined, line);
  }
  // Text it cannot copy as JSON.stringify spells it: the kernel or the writer leaves it.
  for (const error of ['"caf\\u00e9"', '"café"', '"a\\/b"', '"\\u0041"']) {
    const line = base.replace('"error": null', `"error": ${error}`);
    assert.notEqual(reference(line), undefined, line);
    assert.ok(write(line) === undefined || write(line) === "not vouched for", line);
  }
});

Deno.test("query's reading of a log in both layouts writes each line as the full path does", async () => {
  const rand = prng(SEED + 1);
  const lines = Array.from({ length: 6000 }, () => randomLine(rand));
  const dir = await Deno.makeTempDir();
  const path = join(dir, "execution.events.jsonl");
  await Deno.writeTextFile(path, lines.map((l, i) => l + (i % 7 === 0 ? "\r\n" : "\n")).join(""));
  const got: string[] = [];
  const decoder = new TextDecoder();
  for await (const block of logBlocks(path, {}, () => {}, () => new BlockBuilder())) {
    for (let k = 0; k < block.count; k++) {
      got.push(decoder.decode(block.bytes.subarray(block.starts[k], block.ends[k] - 1)));
    }
  }
  const want = lines.map(reference).filter((t) => t !== undefined);
  assert.ok(want.length > 3000);
  assert.deepEqual(got, want, `seed ${SEED + 1}`);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("query's two readings and streamed merge print each line as the full path does", async () => {
  const rand = prng(SEED + 2);
  const logs: Record<string, string> = {};
  for (const feature of ["041-a", "042-b", "043-c"]) {
    // Each log in the total order (so it is streamed), CRLF ends here and there.
    const lines = Array.from({ length: 3000 }, () => randomLine(rand, true))
      .map((line) => ({ line, event: decodeLine(line) }))
      .sort((x, y) =>
        !x.event.ok || !y.event.ok
          ? Number(x.event.ok) - Number(y.event.ok)
          : compareEvents(x.event.event, y.event.event)
      );
    logs[feature] = lines.map((l, i) => l.line + (i % 5 === 0 ? "\r\n" : "\n")).join("");
  }
  const layout = new ProjectLayout(await project(logs));
  let text = "";
  const decoder = new TextDecoder();
  await writeOrdered(layout, {}, () => {}, (bytes) => {
    text += decoder.decode(bytes);
    return Promise.resolve();
  }, { gather: 0, workers: 0 });
  const want = referenceEvents(logs).map((e) => encodeEvent(e) + "\n").join("");
  assert.ok(want.length > 1_000_000);
  assert.equal(text, want, `seed ${SEED + 2}`);
  await Deno.remove(layout.root, { recursive: true });
});
