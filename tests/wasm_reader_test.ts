/**
 * The WebAssembly line reader (src/read/wasm_reader.ts) must answer every
 * line exactly as the JS byte reader does (which the differential tests of
 * canonical_bytes_test.ts hold to the full path), and every line it takes
 * must be one the full path (JSON.parse + schemas) accepts with the same
 * values. Lines are read in multi-line blocks, as `cost` reads them, and
 * the test checks that the kernel itself took most of them (not the JS
 * reader it falls back to). The seed is printed so a failure can be replayed.
 */
import assert from "node:assert/strict";
import { ByteChunk, CanonicalReader, LINE } from "../src/read/canonical_bytes.ts";
import { WasmReader } from "../src/read/wasm_reader.ts";
import type { LineView } from "../src/read/line_view.ts";
import { decodeLine, encodeEvent } from "../src/event/line_codec.ts";
import { ENVELOPE_FIELDS, PAYLOAD_KEYS } from "../src/event/fields.ts";
import type { Event } from "../src/event/envelope.ts";
import { prng, pythonLine } from "../bench/generate.ts";
import { isoInstantMs } from "../src/event/iso_time.ts";
import { isRfc3339 } from "../src/event/text_rules.ts";
import { payload } from "./helpers.ts";
import { sampleEvent } from "./store_contract.ts";
import { VALUE_TEXTS } from "./value_texts.ts";
import { viewOf, viewValues } from "./view_shape.ts";

const encoder = new TextEncoder();
const SEED = Number(Deno.env.get("KITTY_SEED") ?? Date.now() % 1_000_000);
console.log(`wasm_reader_test seed: ${SEED} (replay with KITTY_SEED=${SEED})`);

function randomEvent(rand: () => number): Event {
  const pick = <T>(list: T[]) => list[Math.floor(rand() * list.length)];
  const maybe = <T>(value: T) => (rand() < 0.2 ? null : value);
  const count = () => pick([0, 1, 7, 100_000, 123_456_789, 999_999_999_999]);
  const name = () =>
    rand() < 0.96
      ? pick(["claude", "WP01", "043-feature", "a", "with space", "claude-opus-4-6"])
      : pick(["x".repeat(256), "x".repeat(257), "é-unicode", 'q"uote']);
  return {
    event_id: pick([
      "01KHJVJWDM0HGAGYGXJYKD1JQG",
      "7ZZZZZZZZZZZZZZZZZZZZZZZZZ",
      "01khjvjwdm0hgagygxjykd1jqg",
    ]),
    event_type: rand() < 0.8 ? "ExecutionEvent" : pick(["PhaseCompleted", "ExecutionEventX"]),
    aggregate_id: name(),
    lamport_clock: count(),
    node_id: name(),
    causation_id: rand() < 0.7 ? null : "01KHJVJWDM0HGAGYGXJYKD1JQH",
    timestamp: pick([
      "2026-02-16T09:12:58.036Z",
      "2026-02-16T09:12:58.036Z",
      "2024-02-29T23:59:59Z",
      "2026-02-16T09:12:58.036834+00:00",
      "2026-02-30T09:12:58Z",
    ]),
    payload: {
      wp_id: name(),
      agent: name(),
      role: name(),
      model: maybe(pick(["claude-opus-4-6", "gpt-5-codex", "unknown"])),
      input_tokens: maybe(count()),
      output_tokens: maybe(count()),
      cache_read_tokens: maybe(count()),
      cache_write_tokens: maybe(count()),
      cache_write_1h_tokens: maybe(count()),
      reasoning_tokens: maybe(count()),
      cost_usd: maybe(pick([0, 15.6, 0.1, 1e-7, 123456.789012345, 1e12, 0.30000000000000004])),
      duration_ms: count(),
      success: rand() < 0.5,
      error: maybe(pick(['quote " and \\ and \n and é 😀', "plain words", "é", ""])),
      exit_code: pick([0, 1, -1, 2 ** 31 - 1, -(2 ** 31)]),
    },
  };
}

const NOISE = ['"', "\\", ",", ":", "}", "{", " ", "0", "9", "-", ".", "e", "n", "\t", "é", "\r"];

/** One random edit: a byte changed, dropped or added, a key doubled, moved or escaped. */
function mutate(line: string, rand: () => number): string {
  const at = Math.floor(rand() * line.length);
  const noise = NOISE[Math.floor(rand() * NOISE.length)];
  const r = rand();
  if (r < 0.3) return line.slice(0, at) + noise + line.slice(at + 1);
  if (r < 0.5) return line.slice(0, at) + line.slice(at + 1);
  if (r < 0.7) return line.slice(0, at) + noise + line.slice(at);
  if (r < 0.75) return line.replace('"agent":"', '"agent":"\\u0063');
  if (r < 0.8) return line.replace(',"exit_code":', ',"extra":1,"exit_code":');
  if (r < 0.85) return line.replace(/,"(\w+)":([^,{}]+)/, (_, k, v) => `,"${k}":${v},"${k}":${v}`);
  if (r < 0.9) return line.replace(/}$/, ',"event_type":"ExecutionEvent"}');
  if (r < 0.93) return line.replace(/,"cache_write_1h_tokens":[^,]*/, "");
  if (r < 0.95) {
    // A payload key left out (required ones too), or a line end that is none.
    const key = PAYLOAD_KEYS[Math.floor(rand() * PAYLOAD_KEYS.length)];
    const r2 = rand();
    if (r2 < 0.7) return line.replace(new RegExp(`"${key}":("[^"]*"|[^,}]*),?`), "");
    // The last brace replaced (the Python layout's comes after the time), or a lone CR after it.
    const last = [" ", "]", "x", '"'][Math.floor(rand() * 4)];
    return r2 < 0.85 ? line.slice(0, -1) + last : line + "\r ";
  }
  const cost = ["1.50", "1e2", "-0", "01", "0.0000001", "1000000000000.5"];
  return line.replace(/"cost_usd":[^,]*/, `"cost_usd":${cost[Math.floor(rand() * cost.length)]}`);
}

/** What a reader's view holds (the verbatim mark and the line's text included). */
function seen(view: LineView) {
  return {
    ...viewValues(view),
    verbatim: view.verbatim,
    time: view.timeMs(),
    text: view.lineText(),
  };
}

/**
 * Reads `lines` as one block through the WebAssembly reader, and each line
 * again through a fresh JS reader, and checks they answer the same; lines
 * the reader takes are checked against the full path. Returns the answers.
 */
function readBlock(reader: WasmReader, lines: string[], endings: string[]): number[] {
  const text = lines.map((line, i) => line + endings[i]).join("");
  const bytes = encoder.encode(text);
  // A stale tail past the block's end must not be read.
  const chunk = new ByteChunk(
    Uint8Array.from([...bytes, ...encoder.encode("}}\n{")]),
    bytes.length,
  );
  const found: number[] = [];
  let start = 0;
  for (const [i, line] of lines.entries()) {
    const why = `${JSON.stringify(line)} (line ${i} of the block)`;
    const answer = reader.read(chunk, start);
    const js = new CanonicalReader();
    assert.equal(answer, js.read(chunk, start), why);
    found.push(answer);
    if (answer !== LINE.FALLBACK) {
      assert.equal(reader.lineEnd, js.lineEnd, why);
      // The line ends at its "\n", or at the block's end, before one "\r".
      const whole = line + endings[i];
      const nl = whole.indexOf("\n");
      let stop = nl < 0 ? whole.length : nl;
      if (stop > 0 && whole[stop - 1] === "\r") stop--;
      assert.equal(reader.lineEnd, start + encoder.encode(whole.slice(0, stop)).length, why);
    }
    const full = decodeLine(line);
    if (answer === LINE.EXECUTION) {
      const view = seen(reader.view as LineView);
      assert.deepEqual(view, seen(js.view as LineView), why);
      assert.ok(full.ok, `taken, but the full path rejects it: ${why}`);
      const { verbatim: _, time: __, text: ___, ...values } = view;
      assert.deepEqual(values, viewOf(full.event), why);
      // Verbatim: the line is what the tool writes (ASCII too, so not every such line).
      if (view.verbatim) assert.equal(encodeEvent(full.event), view.text, why);
    } else if (answer === LINE.OTHER_TYPE) {
      assert.ok(!full.ok || full.event.event_type !== "ExecutionEvent", why);
    }
    start += encoder.encode(line + endings[i]).length;
  }
  return found;
}

Deno.test("the wasm reader answers every random and mutated line as the JS reader and the full path", () => {
  const rand = prng(SEED);
  const reader = new WasmReader();
  const counts = [0, 0, 0];
  for (let block = 0; block < 600; block++) {
    const lines: string[] = [];
    const endings: string[] = [];
    for (let i = 0, n = 1 + Math.floor(rand() * 60); i < n; i++) {
      const event = randomEvent(rand);
      let line = rand() < 0.85 ? encodeEvent(event) : pythonLine(event);
      for (let m = rand() < 0.5 ? 0 : 1 + Math.floor(rand() * 2); m > 0; m--) {
        line = mutate(line, rand);
      }
      // A line with a newline of its own would be two lines.
      if (line.includes("\n")) line = line.replaceAll("\n", "");
      lines.push(line);
      endings.push(
        i === n - 1 ? ["", "\n", "\r\n"][Math.floor(rand() * 3)] : rand() < 0.1 ? "\r\n" : "\n",
      );
    }
    for (const answer of readBlock(reader, lines, endings)) counts[answer]++;
  }
  assert.ok(counts[LINE.EXECUTION] > 4000 && counts[LINE.FALLBACK] > 4000, `${counts}`);
  assert.ok(counts[LINE.OTHER_TYPE] > 1000, `${counts}`);
  // The kernel itself took most lines the readers took.
  const [kernel, js] = reader.taken;
  assert.ok(kernel > counts[LINE.EXECUTION] / 2, `kernel ${kernel}, JS ${js}, ${counts}`);
});

/** A random event with plain names, a valid time and a cost of 15 digits at most. */
function plainEvent(rand: () => number): Event {
  const plain = randomEvent(rand);
  return {
    ...plain,
    event_type: "ExecutionEvent",
    timestamp: "2026-02-16T09:12:58.036Z",
    aggregate_id: "043-feature",
    node_id: "n1",
    payload: {
      ...plain.payload,
      wp_id: "WP01",
      agent: "claude",
      role: "r",
      model: "m",
      cost_usd: 0.25,
      error: null,
    },
  };
}

Deno.test("the wasm reader agrees on every wrong value of every key, both layouts", () => {
  const rand = prng(SEED + 1);
  const reader = new WasmReader();
  const MARK = "@@value@@";
  const taken = new Set<string>();
  let cases = 0;
  for (const python of [false, true]) {
    for (const key of [...ENVELOPE_FIELDS.map((f) => f.key), ...PAYLOAD_KEYS]) {
      const tag = `${python ? "python" : "canonical"} ${key}`;
      const lines: string[] = [];
      // Each value on a plain event, which the kernel takes whatever the seed, and on a random one.
      for (const plain of [true, false]) {
        for (const text of VALUE_TEXTS) {
          const event = plain
            ? plainEvent(rand)
            : { ...randomEvent(rand), event_type: "ExecutionEvent" } as Event;
          const payload = { ...event.payload } as Record<string, unknown>;
          // Older Python writers leave optional keys out: the reader must not lose its place.
          for (const k of PAYLOAD_KEYS) {
            if (python && !plain && k !== key && rand() < 0.15) delete payload[k];
          }
          const target = key in event && key !== "payload"
            ? event as Record<string, unknown>
            : payload;
          if (key !== "payload") target[key] = MARK;
          const mutated = { ...event, payload } as Event;
          let line = python ? pythonLine(mutated) : encodeEvent(mutated);
          line = key === "payload"
            ? line.replace(
              python ? /"payload": \{.*?\}, "timestamp"/ : /"payload":\{.*\}\}$/,
              python ? `"payload": ${MARK}, "timestamp"` : `"payload":${MARK}}`,
            )
            : line.replace(`"${MARK}"`, MARK);
          assert.equal(line.split(MARK).length, 2, line);
          lines.push(line.replace(MARK, text));
          cases++;
        }
      }
      const before = reader.taken[0];
      const found = readBlock(reader, lines, lines.map(() => "\n"));
      if (found.includes(LINE.EXECUTION) && reader.taken[0] > before) taken.add(tag);
    }
  }
  assert.equal(cases, 4 * (ENVELOPE_FIELDS.length + PAYLOAD_KEYS.length) * VALUE_TEXTS.length);
  // The kernel itself takes right-typed values of every kind, in both layouts.
  for (const key of ["lamport_clock", "input_tokens", "cost_usd", "duration_ms", "exit_code"]) {
    for (const layout of ["canonical", "python"]) {
      assert.ok(taken.has(`${layout} ${key}`), `${layout} ${key}: nothing taken by the kernel`);
    }
  }
});

Deno.test("the kernel itself takes every execution line of the Python writer's reference logs", async () => {
  const { REFERENCE_ROOT } = await import("./helpers.ts");
  let read = 0;
  for await (const feature of Deno.readDir(`${REFERENCE_ROOT}/kitty-specs`)) {
    const text = await Deno.readTextFile(
      `${REFERENCE_ROOT}/kitty-specs/${feature.name}/execution.events.jsonl`,
    );
    const lines = text.split("\n").filter((l) => l.trim() !== "");
    const executions = lines.filter((line) => {
      const full = decodeLine(line);
      return full.ok && full.event.event_type === "ExecutionEvent";
    });
    const reader = new WasmReader();
    const found = readBlock(reader, executions, executions.map(() => "\n"));
    assert.ok(found.every((answer) => answer === LINE.EXECUTION), feature.name);
    assert.deepEqual(reader.taken, [executions.length, 0], feature.name);
    read += executions.length;
  }
  assert.ok(read >= 10, `${read}`);
});

Deno.test("more names than the kernel's table holds are read right, and the table starts over", () => {
  const reader = new WasmReader();
  const base = plainEvent(prng(SEED + 2));
  const block = (n: number, tag: string) =>
    Array.from({ length: n }, (_, i) =>
      encodeEvent({
        ...base,
        aggregate_id: `feature-${tag}-${i}-${"y".repeat(i % 40)}`,
      }));
  // 5,000 new features in one block: the table (4,096 names) fills, the rest go to the JS reader.
  const big = block(5000, "a");
  let found = readBlock(reader, big, big.map(() => "\n"));
  assert.ok(found.every((answer) => answer === LINE.EXECUTION));
  const [kernel, js] = reader.taken;
  assert.ok(kernel >= 3000 && js >= 900 && kernel + js === 5000, `kernel ${kernel}, JS ${js}`);
  // The next block starts the table over: the kernel takes every line again.
  const next = block(500, "b");
  found = readBlock(reader, next, next.map(() => "\n"));
  assert.ok(found.every((answer) => answer === LINE.EXECUTION));
  assert.deepEqual(reader.taken, [kernel + 500, js]);
});

Deno.test("readers sharing the kernel, interleaved, each read their own block", () => {
  const rand = prng(SEED + 4);
  const blocks = [0, 1].map(() => {
    const lines = Array.from({ length: 50 }, () => encodeEvent(plainEvent(rand)));
    return { lines, chunk: new ByteChunk(encoder.encode(lines.join("\n") + "\n")) };
  });
  const readers = [new WasmReader(), new WasmReader()];
  const starts = [0, 0];
  for (let i = 0; i < 50; i++) {
    for (const k of [0, 1]) {
      const { lines, chunk } = blocks[k];
      assert.equal(readers[k].read(chunk, starts[k]), LINE.EXECUTION);
      const full = decodeLine(lines[i]);
      assert.ok(full.ok);
      const { verbatim: _, time: __, text: ___, ...values } = seen(readers[k].view as LineView);
      assert.deepEqual(values, viewOf(full.event));
      starts[k] = readers[k].lineEnd + 1;
    }
  }
  assert.deepEqual(readers.map((r) => r.taken), [[50, 0], [50, 0]]);
});

Deno.test("the wasm reader agrees on every way a line can end, both layouts", () => {
  const rand = prng(SEED + 3);
  const reader = new WasmReader();
  let takenByKernel = 0;
  for (const python of [false, true]) {
    const line = python ? pythonLine(plainEvent(rand)) : encodeEvent(plainEvent(rand));
    const lines = [line];
    for (const last of [" ", "]", "x", '"', "}}", "} ", "}\r", "}\t"]) {
      lines.push(line.slice(0, -1) + last, line + last);
    }
    for (const ending of ["\n", "\r\n", "\r\r\n", " \n"]) {
      const before = reader.taken[0];
      readBlock(reader, [...lines, line], [...lines.map(() => ending), ""]);
      takenByKernel += reader.taken[0] - before;
    }
  }
  assert.ok(takenByKernel >= 10, `${takenByKernel}`);
});

/** A timestamp: mostly the common spellings, often with one part out of range or spelled otherwise. */
function randomTime(rand: () => number): string {
  const pick = <T>(list: T[]) => list[Math.floor(rand() * list.length)];
  const two = (n: number) => String(n).padStart(2, "0");
  const odd = rand() < 0.3;
  const year = pick(odd ? [0, 999, 1000, 1582, 2100, 2400, 9999] : [1970, 2024, 2026, 2000]);
  const month = odd ? pick([0, 1, 2, 12, 13]) : 1 + Math.floor(rand() * 12);
  const day = odd ? pick([0, 28, 29, 30, 31, 32]) : 1 + Math.floor(rand() * 28);
  const hour = odd ? pick([0, 23, 24]) : Math.floor(rand() * 24);
  const minute = odd ? pick([0, 59, 60]) : Math.floor(rand() * 60);
  const second = odd ? pick([0, 59, 60, 61]) : Math.floor(rand() * 60);
  const places = pick([0, 0, 1, 3, 3, 6, 7, 9, 10, 12]);
  const fraction = places === 0
    ? pick(["", "", "", "."])
    : "." + Array.from({ length: places }, () => Math.floor(rand() * 10)).join("");
  const t = rand() < 0.95 ? "T" : pick(["t", " ", "x"]);
  const zone = rand() < 0.8 ? "Z" : pick(["z", "+00:00", "-05:30", "", "ZZ", "+0100"]);
  return `${String(year).padStart(4, "0")}-${two(month)}-${two(day)}${t}${two(hour)}:${
    two(minute)
  }:${two(second)}${fraction}${zone}`;
}

Deno.test("the kernel's epoch milliseconds are the JS readers' and the full path's, both layouts", () => {
  const rand = prng(SEED + 4);
  const reader = new WasmReader();
  let known = 0;
  for (let i = 0; i < 4000; i++) {
    const event = { ...plainEvent(rand), timestamp: randomTime(rand) };
    const python = i % 2 === 1;
    const line = python ? pythonLine(event) : encodeEvent(event);
    // readBlock holds the answer, the time included, to the JS reader's and the full path's.
    const [answer] = readBlock(reader, [line], [""]);
    if (answer !== LINE.EXECUTION) continue;
    const view = reader.view as LineView;
    const why = `${event.timestamp} (${python ? "Python" : "tool"} layout)`;
    assert.ok(isRfc3339(event.timestamp), why);
    if (!Number.isNaN(view.knownMs)) {
      known++;
      assert.equal(view.knownMs, isoInstantMs(event.timestamp), why);
      assert.match(event.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/, why);
    }
  }
  // The kernel read the common spelling (most of the lines): the path under test ran.
  assert.ok(known > 1500, `${known}`);
});

Deno.test("a byte of no ASCII anywhere in a long text makes the kernel's line not verbatim", () => {
  // The kernel passes plain text sixteen bytes at a time: a byte >= 0x80 (here
  // invalid UTF-8, which decoding would turn into U+FFFD) must clear the verbatim
  // flag wherever it falls: in a run of sixteen plain bytes, or before the
  // closing quote in the last (40 bytes: two runs, then 8 bytes and the quote).
  const reader = new WasmReader();
  const base = encodeEvent(
    sampleEvent({ payload: payload({ success: false, error: "e".repeat(40), exit_code: 1 }) }),
  );
  const at = base.indexOf("e".repeat(40));
  const plain = encoder.encode(base + "\n");
  assert.equal(reader.read(new ByteChunk(plain), 0), LINE.EXECUTION);
  assert.equal(reader.view.verbatim, true);
  for (let i = 0; i < 40; i++) {
    const bytes = plain.slice();
    bytes[at + i] = 0xff;
    assert.equal(reader.read(new ByteChunk(bytes), 0), LINE.EXECUTION, `offset ${i}`);
    assert.equal(reader.view.verbatim, false, `0xff at offset ${i} of the text`);
  }
});
