/**
 * The byte-level reader of the tool's own lines must agree with the full
 * path (JSON.parse + schemas) on every line it accepts, and must leave to
 * that path every line it cannot vouch for. Random and adversarial lines
 * probe it; the seed is printed so a failure can be replayed.
 */
import { lineSinkOf } from "../src/read/event_sink.ts";
import assert from "node:assert/strict";
import { ByteChunk, CanonicalReader, LINE } from "../src/read/canonical_bytes.ts";
import { decimal, scanned } from "../src/read/byte_scan.ts";
import type { LineView } from "../src/read/line_view.ts";
import { decodeLine, encodeEvent } from "../src/event/line_codec.ts";
import { PAYLOAD_KEYS } from "../src/event/fields.ts";
import type { Event } from "../src/event/envelope.ts";
import { prng } from "../bench/generate.ts";
import { createReducer } from "../src/cost/cost_reducer.ts";
import { defaultPricing } from "../src/cost/builtin_pricing.ts";
import { type LineProblem, scanLogBatches } from "../src/read/log_reader.ts";
import { pythonLine } from "../bench/generate.ts";
import { VALUE_TEXTS } from "./value_texts.ts";

const encoder = new TextEncoder();
const SEED = Number(Deno.env.get("KITTY_SEED") ?? Date.now() % 1_000_000);
console.log(`canonical_bytes_test seed: ${SEED} (replay with KITTY_SEED=${SEED})`);

function randomEvent(rand: () => number): Event {
  const pick = <T>(list: T[]) => list[Math.floor(rand() * list.length)];
  const maybe = <T>(value: T) => (rand() < 0.2 ? null : value);
  const count = () => pick([0, 1, 7, 100_000, 123_456_789, 999_999_999_999]);
  const name = () =>
    pick(["claude", "WP01", "043-feature", "a", "x".repeat(256), "with space", "é-unicode"]);
  return {
    event_id: pick([
      "01KHJVJWDM0HGAGYGXJYKD1JQG",
      "7ZZZZZZZZZZZZZZZZZZZZZZZZZ",
      "01khjvjwdm0hgagygxjykd1jqg",
    ]),
    event_type: rand() < 0.85 ? "ExecutionEvent" : pick(["PhaseCompleted", "ExecutionEventX"]),
    aggregate_id: name(),
    lamport_clock: count(),
    node_id: name(),
    causation_id: rand() < 0.7 ? null : "01KHJVJWDM0HGAGYGXJYKD1JQH",
    timestamp: pick([
      "2026-02-16T09:12:58.036Z",
      "2024-02-29T23:59:59Z",
      "2026-02-16T09:12:58.036834+00:00",
      "2026-02-16T09:12:58.1z",
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
      reasoning_tokens: maybe(count()),
      cost_usd: maybe(pick([0, 15.6, 0.1, 1e-7, 123456.789012345, 1e12, 0.30000000000000004])),
      duration_ms: count(),
      success: rand() < 0.5,
      error: maybe(pick(['quote " and \\ and \n and é 😀', '{"event_id":"x"}', ""])),
      exit_code: pick([0, 1, -1, 2 ** 31 - 1, -(2 ** 31)]),
    },
  };
}

const NOISE = [
  '"',
  "\\",
  ",",
  ":",
  "}",
  "{",
  " ",
  "0",
  "9",
  "-",
  ".",
  "e",
  "n",
  "\t",
  "é",
  "\u0000",
];

/** One random edit: a character changed, dropped or added, a key moved, a value escaped. */
function mutate(line: string, rand: () => number): string {
  const at = Math.floor(rand() * line.length);
  const noise = NOISE[Math.floor(rand() * NOISE.length)];
  const r = rand();
  if (r < 0.3) return line.slice(0, at) + noise + line.slice(at + 1);
  if (r < 0.5) return line.slice(0, at) + line.slice(at + 1);
  if (r < 0.7) return line.slice(0, at) + noise + line.slice(at);
  if (r < 0.75) return line.replace('"agent":"', '"agent":"\\u0063');
  if (r < 0.8) {
    return line.replace(/, "(\w+)": ([^,{}]+)/, (_, k, v) => `, "${k}": ${v}, "${k}": ${v}`);
  }
  if (r < 0.85) return line.replace('"ExecutionEvent"', '"Execution\\u0045vent"');
  if (r < 0.9) return line.replace(',"exit_code":', ',"extra":1,"exit_code":');
  if (r < 0.93) return line.replace('"lamport_clock":', '"lamport_clock": ');
  if (r < 0.95) return line.replace(/}$/, ',"event_type":"ExecutionEvent"}');
  return line.replace(
    /"cost_usd":[^,]*/,
    pick(['"cost_usd":1.50', '"cost_usd":1e2', '"cost_usd":-0', '"cost_usd":01']),
  );
  function pick(list: string[]) {
    return list[Math.floor(rand() * list.length)];
  }
}

/** The tool's layout, or the Python writer's, sometimes without keys older writers leave out. */
function layout(event: Event, rand: () => number): string {
  if (rand() < 0.6) return encodeEvent(event);
  const payload = { ...event.payload } as Record<string, unknown>;
  for (const key of Object.keys(payload)) if (rand() < 0.15) delete payload[key];
  return pythonLine({ ...event, payload });
}

/** What the byte reader put in its view, in the shape of {@linkcode viewOf}. */
function seen(view: LineView) {
  const { aggregate_id, timestamp, lamport_clock, node_id, event_id, payload } = view;
  return { aggregate_id, timestamp, lamport_clock, node_id, event_id, payload };
}

function viewOf(event: Event) {
  const p = event.payload as Record<string, unknown>;
  return {
    aggregate_id: event.aggregate_id,
    timestamp: event.timestamp,
    lamport_clock: event.lamport_clock,
    node_id: event.node_id,
    event_id: event.event_id,
    // Every payload key but the error text, which the view does not hold.
    payload: Object.fromEntries(
      PAYLOAD_KEYS.filter((k) => k !== "error").map((k) => [k, p[k]]),
    ),
  };
}

Deno.test("the byte reader accepts only what the full path accepts, with the same values", () => {
  const rand = prng(SEED);
  const reader = new CanonicalReader();
  const counts = [0, 0, 0];
  for (let i = 0; i < 30_000; i++) {
    let line = layout(randomEvent(rand), rand);
    for (let m = Math.floor(rand() * 3); m > 0; m--) line = mutate(line, rand);
    const ending = ["\n", "\r\n", ""][Math.floor(rand() * 3)];
    const found = reader.read(new ByteChunk(encoder.encode(line + ending)), 0);
    counts[found]++;
    const full = decodeLine(line);
    const fullType = full.ok ? full.event.event_type : undefined;
    if (found === LINE.EXECUTION) {
      assert.ok(full.ok, `byte reader accepted what the full path rejects: ${line}`);
      assert.equal(fullType, "ExecutionEvent", line);
      const view = reader.view;
      assert.deepEqual(
        seen(view as LineView),
        viewOf(full.event),
        line,
      );
      assert.equal(reader.lineEnd, encoder.encode(line).length, line);
    } else if (found === LINE.OTHER_TYPE) {
      assert.notEqual(fullType, "ExecutionEvent", `an execution event would be skipped: ${line}`);
      assert.equal(reader.lineEnd, encoder.encode(line).length, line);
    }
  }
  assert.ok(counts[LINE.EXECUTION] > 3000 && counts[LINE.FALLBACK] > 3000, `${counts}`);
  assert.ok(counts[LINE.OTHER_TYPE] > 300, `${counts}`);
});

Deno.test("every execution line the tool writes with plain-ASCII names takes the byte path", () => {
  const rand = prng(SEED + 1);
  const reader = new CanonicalReader();
  let checked = 0;
  for (let i = 0; i < 5000; i++) {
    const event = { ...randomEvent(rand), event_type: "ExecutionEvent" };
    const line = encodeEvent(event);
    if (
      /[^\x20-\x7e]/.test(
        JSON.stringify([
          event.aggregate_id,
          event.node_id,
          event.payload.wp_id,
          event.payload.agent,
          event.payload.role,
        ]),
      )
    ) continue;
    if (!decodeLine(line).ok) continue;
    assert.equal(reader.read(new ByteChunk(encoder.encode(line)), 0), LINE.EXECUTION, line);
    checked++;
  }
  assert.ok(checked > 1000, `only ${checked} lines checked`);
});

Deno.test("invalid UTF-8 inside an error message reads as the text path reads it", () => {
  const line = encodeEvent(randomEvent(prng(3))).replace(
    /"error":(null|"[^"]*")/,
    '"error":"\u00ff"',
  );
  const bytes = encoder.encode(line).map((
    b,
    i,
    all,
  ) => (b === 0xc3 && all[i + 1] === 0xbf ? 0xff : b));
  assert.ok(bytes.includes(0xff), line);
  const reader = new CanonicalReader();
  const found = reader.read(new ByteChunk(bytes), 0);
  // The text path reads the bad bytes as U+FFFD and takes the line; the byte
  // reader, which never decodes the error text, takes it with the same values.
  const full = decodeLine(new TextDecoder().decode(bytes));
  assert.ok(full.ok, line);
  assert.equal(found, LINE.EXECUTION, line);
  assert.deepEqual(seen(reader.view as LineView), viewOf(full.event));
  assert.equal(reader.lineEnd, bytes.length);
});

Deno.test("cost over a log is the same with and without the byte reader", async () => {
  const rand = prng(SEED + 2);
  const lines: string[] = [];
  for (let i = 0; i < 4000; i++) {
    const event = randomEvent(rand);
    const r = rand();
    if (r < 0.1) lines.push(pythonLine(event));
    else if (r < 0.2) lines.push(mutate(encodeEvent(event), rand));
    else if (r < 0.22) lines.push("");
    else lines.push(encodeEvent(event));
  }
  const path = await Deno.makeTempFile({ suffix: ".jsonl" });
  await Deno.writeTextFile(path, lines.join(rand() < 0.5 ? "\n" : "\r\n"));
  const init = {
    groupBy: ["model", "agent", "day"] as const,
    pricing: defaultPricing(),
    filter: { types: ["ExecutionEvent"] },
  };
  const run = async (withSink: boolean) => {
    const reducer = createReducer({ ...init, groupBy: [...init.groupBy] });
    const problems: LineProblem[] = [];
    const sink = withSink ? lineSinkOf(reducer) : undefined;
    // Every problem told, to compare them line by line.
    const all = scanLogBatches(path, (p) => problems.push(p), undefined, sink, Infinity);
    for await (const batch of all) {
      reducer.events(batch);
    }
    const result = reducer.result();
    result.groups.sort((a, b) => JSON.stringify(a.key).localeCompare(JSON.stringify(b.key)));
    // Views are counted as read, decoded lines a block later: the same ids, in another order.
    const ids = Float64Array.from(result.ids.flatMap((part) => [...part])).sort();
    return { result: { ...result, ids: [ids] }, problems: problems.map((p) => p.line) };
  };
  const fast = await run(true);
  const full = await run(false);
  assert.deepEqual(fast.result, full.result);
  // The byte reader drops other event types unread, so it reports a subset.
  assert.ok(fast.problems.length > 100, `${fast.problems.length} problems`);
  assert.ok(fast.problems.every((line) => full.problems.includes(line)));
  assert.ok(fast.result.total.event_count > 1000);
});

Deno.test("query over a log gives the same events with the byte prefilter as by parsing every line", async () => {
  const { ProjectLayout } = await import("../src/store/project_layout.ts");
  const { scanEvents } = await import("../src/query/query.ts");
  const { scanLog } = await import("../src/read/log_reader.ts");
  const { matches } = await import("../src/query/filter.ts");
  const rand = prng(SEED + 3);
  const layout = new ProjectLayout(await Deno.makeTempDir());
  const path = layout.logPath("043-feature");
  await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
  const lines: string[] = [];
  for (let i = 0; i < 3000; i++) {
    const event = randomEvent(rand);
    const r = rand();
    lines.push(
      r < 0.1 ? pythonLine(event) : r < 0.2 ? mutate(encodeEvent(event), rand) : encodeEvent(event),
    );
  }
  await Deno.writeTextFile(path, lines.join("\n") + "\n");
  const filters = [
    {},
    { wps: ["WP01"] },
    { agents: ["claude"], success: true },
    { models: ["gpt-5-codex"], types: ["ExecutionEvent"] },
    { since: Date.UTC(2025, 0, 1), until: Date.UTC(2026, 1, 16, 9, 12, 58, 36) },
    { roles: ["with space"] },
  ];
  for (const filter of filters) {
    const warnings: string[] = [];
    const fast = await Array.fromAsync(scanEvents(layout, filter, (w) => warnings.push(w)));
    const all: Event[] = [];
    const allWarnings: string[] = [];
    for await (const event of scanLog(path, (w) => allWarnings.push(w))) {
      if (matches(event, filter)) all.push(event);
    }
    assert.deepEqual(fast, all, JSON.stringify(filter));
    assert.deepEqual(warnings, allWarnings);
    assert.ok(all.length > 0 || JSON.stringify(filter).includes("space"), JSON.stringify(filter));
  }
});

Deno.test("every execution line of the Python writer's reference logs takes the byte path", async () => {
  const { REFERENCE_ROOT } = await import("./helpers.ts");
  const reader = new CanonicalReader();
  let read = 0;
  for await (const feature of Deno.readDir(`${REFERENCE_ROOT}/kitty-specs`)) {
    const text = await Deno.readTextFile(
      `${REFERENCE_ROOT}/kitty-specs/${feature.name}/execution.events.jsonl`,
    );
    for (const line of text.split("\n").filter((l) => l.trim() !== "")) {
      const full = decodeLine(line);
      if (!full.ok || full.event.event_type !== "ExecutionEvent") continue;
      assert.equal(reader.read(new ByteChunk(encoder.encode(line)), 0), LINE.EXECUTION, line);
      const view = reader.view;
      assert.deepEqual(
        seen(view as LineView),
        viewOf(full.event),
      );
      read++;
    }
  }
  assert.ok(read >= 10, `${read}`);
});

Deno.test("NameCache tells apart names that share their first bytes, and short ones", async () => {
  const { NameCache } = await import("../src/read/line_view.ts");
  const names = new NameCache();
  const words = ["claude", "claudeX", "clau", "cla", "c", "claude ", "WP01", "WP011", "a"];
  const rand = prng(SEED + 4);
  for (let i = 0; i < 2000; i++) {
    const word = words[Math.floor(rand() * words.length)];
    const next = rand() < 0.5 ? '","x":1' : '"';
    const chunk = new ByteChunk(encoder.encode(word + next));
    assert.equal(names.name(chunk, 0), word.length, word);
    assert.equal(names.found, word);
  }
  const bad = new ByteChunk(encoder.encode('cl\\u0061ude"'));
  assert.equal(names.name(bad, 0), -1);
});

const ENVELOPE_FIELDS = [
  "event_id",
  "event_type",
  "aggregate_id",
  "lamport_clock",
  "node_id",
  "causation_id",
  "timestamp",
  "payload",
] as const;

const PLAIN: Event = {
  event_id: "01KHJVJWDM0HGAGYGXJYKD1JQG",
  event_type: "ExecutionEvent",
  aggregate_id: "043-feature",
  lamport_clock: 7,
  node_id: "n1",
  causation_id: null,
  timestamp: "2026-02-16T09:12:58.036Z",
  payload: {
    wp_id: "WP01",
    agent: "claude",
    role: "implementer",
    model: "claude-opus-4-6",
    input_tokens: 100,
    output_tokens: 10,
    cache_read_tokens: null,
    cache_write_tokens: 5,
    reasoning_tokens: null,
    cost_usd: 0.25,
    duration_ms: 1000,
    success: true,
    error: null,
    exit_code: 0,
  },
};

Deno.test("the byte readers agree with the full path on every wrong value of every key, both layouts", () => {
  const rand = prng(SEED + 5);
  const reader = new CanonicalReader();
  const MARK = "@@value@@";
  // [layout][key] -> lines the full path rejects, lines the byte reader took.
  const rejected = new Map<string, number>();
  const taken = new Map<string, number>();
  let cases = 0;
  for (const python of [false, true]) {
    for (const key of [...ENVELOPE_FIELDS, ...PAYLOAD_KEYS]) {
      const tag = `${python ? "python" : "canonical"} ${key}`;
      for (const [i, text] of VALUE_TEXTS.entries()) {
        // Every other value on a random event, the rest on a plain one (so the byte path can
        // take the line whatever the seed).
        const event = {
          ...(i % 2 === 1 ? randomEvent(rand) : PLAIN),
          event_type: "ExecutionEvent",
        };
        const payload = { ...event.payload } as Record<string, unknown>;
        // Older Python writers leave optional keys out: the reader must not lose its place.
        if (python) {
          for (const k of PAYLOAD_KEYS) {
            if (k !== key && k !== "agent" && k !== "role" && rand() < 0.15) delete payload[k];
          }
        }
        const target = (ENVELOPE_FIELDS as readonly string[]).includes(key)
          ? event as Record<string, unknown>
          : payload;
        // The payload object itself is swapped after encoding (the encoder reorders it).
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
        line = line.replace(MARK, text);
        const ending = ["\n", "\r\n", ""][Math.floor(rand() * 3)];
        const found = reader.read(new ByteChunk(encoder.encode(line + ending)), 0);
        const full = decodeLine(line);
        cases++;
        if (!full.ok) rejected.set(tag, (rejected.get(tag) ?? 0) + 1);
        const why = `${tag} = ${text}: ${line}`;
        if (found === LINE.EXECUTION) {
          taken.set(tag, (taken.get(tag) ?? 0) + 1);
          assert.ok(full.ok, `byte reader accepted what the full path rejects: ${why}`);
          assert.equal(full.event.event_type, "ExecutionEvent", why);
          assert.deepEqual(seen(reader.view as LineView), viewOf(full.event), why);
          assert.equal(reader.lineEnd, encoder.encode(line).length, why);
        } else if (found === LINE.OTHER_TYPE) {
          const type = full.ok ? full.event.event_type : undefined;
          assert.notEqual(type, "ExecutionEvent", `an execution event would be skipped: ${why}`);
        } else assert.equal(found, LINE.FALLBACK, why);
      }
      // Every key has values the full path refuses (so the probe means something).
      assert.ok((rejected.get(tag) ?? 0) > 0, `${tag}: no value was rejected`);
    }
  }
  assert.equal(cases, 2 * (ENVELOPE_FIELDS.length + PAYLOAD_KEYS.length) * VALUE_TEXTS.length);
  // The byte path still takes the right-typed values it can vouch for.
  for (const key of ["lamport_clock", "input_tokens", "cost_usd", "duration_ms", "exit_code"]) {
    for (const layout of ["canonical", "python"]) {
      assert.ok((taken.get(`${layout} ${key}`) ?? 0) > 0, `${layout} ${key}: nothing taken`);
    }
  }
});

/** A random decimal of exactly `digits` significant digits, sometimes with an exponent. */
function randomDecimal(rand: () => number, digits: number, exponent: boolean): string {
  let body = String(1 + Math.floor(rand() * 9));
  for (let i = 1; i < digits; i++) body += Math.floor(rand() * 10);
  // Digits near the halfway point between two doubles are the hard ones.
  if (rand() < 0.3) {
    body = body.slice(0, -3) + ["500", "499", "501", "000", "999"][Math.floor(rand() * 5)];
  }
  const r = rand();
  let text: string;
  if (r < 0.15) text = body; // an integer
  else if (r < 0.3) text = "0." + "0".repeat(Math.floor(rand() * 8)) + body; // below one
  else {
    const point = 1 + Math.floor(rand() * (digits - 1));
    text = body.slice(0, point) + "." + body.slice(point);
  }
  if (exponent) {
    const e = Math.floor(rand() * 40) - 20;
    text += ["e", "E"][Math.floor(rand() * 2)] + (e < 0 ? "-" : rand() < 0.5 ? "+" : "") +
      Math.abs(e);
  }
  return text;
}

Deno.test("decimals of 15, 16 and 17 significant digits read exactly as Number() reads them", () => {
  const rand = prng(SEED + 6);
  const reader = new CanonicalReader();
  const base = encodeEvent({ ...PLAIN, payload: { ...PLAIN.payload, cost_usd: 0.25 } });
  assert.ok(base.includes('"cost_usd":0.25,'));
  let throughReader = 0;
  for (const digits of [15, 16, 17]) {
    for (let i = 0; i < 12_000; i++) {
      const text = randomDecimal(rand, digits, rand() < 0.2);
      const chunk = new ByteChunk(encoder.encode(text + ","));
      assert.equal(decimal(chunk, 0), text.length, text);
      assert.ok(Object.is(scanned.decimal, Number(text)), `${text}: ${scanned.decimal}`);
      // Through the whole reader too (its cost limit is 1e12), in both layouts.
      if (i % 10 !== 0 || !(Number(text) <= 1e12)) continue;
      const python = i % 20 === 0;
      const line = python
        ? pythonLine({ ...PLAIN, payload: { ...PLAIN.payload, cost_usd: "@" } }).replace(
          '"@"',
          text,
        )
        : base.replace('"cost_usd":0.25,', `"cost_usd":${text},`);
      assert.equal(reader.read(new ByteChunk(encoder.encode(line)), 0), LINE.EXECUTION, line);
      assert.ok(Object.is(reader.view.payload.cost_usd, Number(text)), line);
      const full = decodeLine(line);
      assert.ok(full.ok && Object.is(full.event.payload.cost_usd, Number(text)), line);
      throughReader++;
    }
  }
  assert.ok(throughReader > 2000, `${throughReader}`);
});
