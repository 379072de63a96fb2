/**
 * Payload keys the field table does not have (an orchestrator's own
 * `ticket`, a long `transcript`): the full path reads such a line and drops
 * the key, so the byte readers skip it too, checking its value as
 * `JSON.parse` would, instead of sending every such line through
 * `JSON.parse` (about seven times slower over a whole log). A key that is
 * known, escaped, or not printable ASCII is left to the full path.
 */
import assert from "node:assert/strict";
import { ByteChunk, CanonicalReader, LINE } from "../src/read/canonical_bytes.ts";
import { WasmReader } from "../src/read/wasm_reader.ts";
import { decodeLine, encodeEvent } from "../src/event/line_codec.ts";
import { PAYLOAD_KEYS } from "../src/event/fields.ts";
import type { Event } from "../src/event/envelope.ts";
import { prng, pythonLine } from "../bench/generate.ts";
import { readLog } from "../src/read/event_sink.ts";
import type { ExecutionView } from "../src/read/line_view.ts";
import { createReducer } from "../src/cost/cost_reducer.ts";
import { defaultPricing } from "../src/cost/builtin_pricing.ts";

const encoder = new TextEncoder();
const SEED = Number(Deno.env.get("KITTY_SEED") ?? Date.now() % 1_000_000);
console.log(`unknown_keys_test seed: ${SEED} (replay with KITTY_SEED=${SEED})`);

function randomEvent(rand: () => number, i: number): Event {
  const pick = <T>(list: T[]) => list[Math.floor(rand() * list.length)];
  const maybe = <T>(value: T) => (rand() < 0.2 ? null : value);
  const count = () => pick([0, 7, 100_000, 123_456_789]);
  return {
    event_id: `01KHJVJWDM0HGAGYGXJY${String(i).padStart(6, "0")}`,
    event_type: "ExecutionEvent",
    aggregate_id: "043-feature",
    lamport_clock: i + 1,
    node_id: "n1",
    causation_id: null,
    timestamp: "2026-02-16T09:12:58.036Z",
    payload: {
      wp_id: pick(["WP01", "WP02"]),
      agent: pick(["claude", "codex"]),
      role: "implementer",
      model: maybe(pick(["claude-opus-4-6", "gpt-5-codex"])),
      input_tokens: maybe(count()),
      output_tokens: maybe(count()),
      cache_read_tokens: maybe(count()),
      cache_write_tokens: maybe(count()),
      reasoning_tokens: maybe(count()),
      cost_usd: maybe(pick([0, 15.6, 0.25])),
      duration_ms: count(),
      success: rand() < 0.5,
      error: maybe(pick(["failed", ""])),
      exit_code: pick([0, 1]),
    },
  };
}

/** Keys: most unknown and plain, some known, escaped, non-ASCII or special to `JSON.parse`. */
const KEYS = [
  "ticket",
  "transcript",
  "",
  "a b",
  "constructor",
  "event_id",
  "model",
  "cost_usd",
  "__proto__",
  "mod\\u0065l",
  "t\\u00e9",
  "té",
  "x\\\\y",
];
/** Values: valid JSON of every kind, and text `JSON.parse` refuses. */
const VALUES = [
  '"ABC-123"',
  "1",
  "-0.5e+3",
  "true",
  "null",
  '{"model":"other","cost_usd":99}',
  '[1,[2,{"a":[]}],"\\u00e9 \\" \\\\"',
  "[".repeat(200) + "]".repeat(200),
  `"${"x".repeat(70_000)}"`,
  '"é 😀"',
  "01",
  "[1,]",
  '{"a"}',
  '"\u0001"',
  "NaN",
  '"unterminated',
  "tru",
  "{}",
  "[]",
  "-0",
  "1E5",
  "2.5e-3",
  "-",
  "1.",
  "1e",
  "1e+",
  ".5",
  "+1",
  "-01",
];

/** The event's line in either layout with 1-3 unknown pairs put in at random places of its payload. */
function withUnknownKeys(event: Event, rand: () => number): string {
  const pick = <T>(list: T[]) => list[Math.floor(rand() * list.length)];
  const python = rand() < 0.4;
  const line = python ? pythonLine(event) : encodeEvent(event);
  const [comma, colon] = python ? [", ", ": "] : [",", ":"];
  const start = line.indexOf(python ? '"payload": {' : '"payload":{') + (python ? 12 : 11);
  const end = line.lastIndexOf("}}");
  let out = line;
  for (let n = 1 + Math.floor(rand() * 3); n > 0; n--) {
    // Half the time a pair the readers can skip, to take many lines whole.
    const plain = rand() < 0.5;
    const pair = `"${pick(plain ? KEYS.slice(0, 6) : KEYS)}"${colon}${
      pick(plain ? VALUES.slice(0, 10) : VALUES)
    }`;
    // Between two pairs, first, or last.
    const bounds: number[] = [start];
    for (
      let i = out.indexOf(comma + '"', start);
      i > 0 && i < end;
      i = out.indexOf(comma + '"', i + 1)
    ) {
      bounds.push(i);
    }
    const at = pick(bounds);
    out = at === start
      ? out.slice(0, at) + pair + comma + out.slice(at)
      : out.slice(0, at) + comma + pair + out.slice(at);
  }
  return out;
}

function viewValues(view: ExecutionView) {
  const p = view.payload as unknown as Record<string, unknown>;
  return {
    lamport_clock: view.lamport_clock,
    payload: Object.fromEntries(PAYLOAD_KEYS.filter((k) => k !== "error").map((k) => [k, p[k]])),
  };
}

function eventValues(event: Event) {
  const p = event.payload as Record<string, unknown>;
  return {
    lamport_clock: event.lamport_clock,
    payload: Object.fromEntries(PAYLOAD_KEYS.filter((k) => k !== "error").map((k) => [k, p[k]])),
  };
}

Deno.test("both byte readers skip unknown payload keys only where the full path gives the same values", () => {
  const rand = prng(SEED);
  const readers = { js: new CanonicalReader(), wasm: new WasmReader() };
  let taken = 0;
  let refused = 0;
  for (let i = 0; i < 6000; i++) {
    const line = withUnknownKeys(randomEvent(rand, i), rand);
    const full = decodeLine(line);
    for (const [name, reader] of Object.entries(readers)) {
      const found = reader.read(new ByteChunk(encoder.encode(line + "\n")), 0);
      if (found !== LINE.EXECUTION) {
        if (name === "js") refused++;
        continue;
      }
      if (name === "js") taken++;
      assert.ok(full.ok, `${name} took what the full path rejects: ${line.slice(0, 400)}`);
      assert.deepEqual(viewValues(reader.view), eventValues(full.event), line.slice(0, 400));
      assert.equal(reader.view.verbatim, false, `not verbatim: ${line.slice(0, 400)}`);
      assert.equal(reader.lineEnd, encoder.encode(line).length);
    }
  }
  // Most lines have only plain unknown keys with valid values: they take the byte path,
  // and the kernel itself takes those whose values are no containers or escapes.
  assert.ok(taken > 1500 && refused > 1500, `taken ${taken}, refused ${refused}`);
  const [kernel, js] = readers.wasm.taken;
  assert.ok(kernel > 800 && js > 800, `kernel took ${kernel}, left ${js}`);
});

Deno.test("a log whose every line carries an unknown key is read from its bytes, with the sums of the same log without it", async () => {
  const rand = prng(SEED + 1);
  const plain: string[] = [];
  const extra: string[] = [];
  for (let i = 0; i < 3000; i++) {
    const event = randomEvent(rand, i);
    const line = rand() < 0.3 ? pythonLine(event) : encodeEvent(event);
    plain.push(line);
    extra.push(
      line.replace(/}}$/, line.includes('": ') ? ', "ticket": "ABC-1"}}' : ',"ticket":"ABC-1"}}'),
    );
  }
  const read = async (lines: string[]) => {
    const path = await Deno.makeTempFile({ suffix: ".jsonl" });
    await Deno.writeTextFile(path, lines.join("\n") + "\n");
    const views: unknown[] = [];
    let decoded = 0;
    await readLog(path, {
      execution: (view) => (views.push(viewValues(view)), true),
      otherTypes: false,
      events: (events) => (decoded += events.length),
    }, () => {});
    await Deno.remove(path);
    return { views, decoded };
  };
  const a = await read(plain);
  const b = await read(extra);
  assert.equal(b.decoded, 0, "lines with an unknown key went through JSON.parse");
  assert.equal(b.views.length, 3000);
  assert.deepEqual(b.views, a.views);
});

Deno.test("cost with the kernel's sums gives the same totals with and without unknown keys on every line", async () => {
  const rand = prng(SEED + 2);
  const plain: string[] = [];
  const extra: string[] = [];
  for (let i = 0; i < 4000; i++) {
    const event = randomEvent(rand, i);
    const python = rand() < 0.3;
    const line = python ? pythonLine(event) : encodeEvent(event);
    plain.push(line);
    const [colon, comma] = python ? [": ", ", "] : [":", ","];
    const value = ['"ABC-1"', "12", "true", "null", "-0.5e3", '"x"'][i % 6];
    // Last in the tool's layout, first in the Python writer's (its payload is not last).
    extra.push(
      python
        ? line.replace('"payload": {', `"payload": {"ticket"${colon}${value}${comma}`)
        : line.replace(/\}\}$/, `${comma}"ticket"${colon}${value}}}`),
    );
  }
  const cost = async (lines: string[]) => {
    const path = await Deno.makeTempFile({ suffix: ".jsonl" });
    await Deno.writeTextFile(path, lines.join("\n") + "\n");
    // No filter and one name key: the kernel sums the lines it vouches for.
    const reducer = createReducer({ groupBy: ["model"], pricing: defaultPricing(), filter: {} });
    await readLog(path, reducer, () => {});
    await Deno.remove(path);
    const { groups, total } = reducer.result();
    return {
      groups: groups.sort((a, b) => String(a.key.model).localeCompare(String(b.key.model))),
      total,
    };
  };
  assert.equal(extra.filter((line) => line.includes('"ticket"')).length, 4000);
  const a = await cost(plain);
  assert.equal(a.total.event_count, 4000);
  assert.deepEqual(await cost(extra), a);
});
