/**
 * The byte walker that tells junk from events without `JSON.parse` agrees
 * with `JSON.parse` on what is JSON, and says "no event" only for objects
 * that lack an envelope key.
 */
import assert from "node:assert/strict";
import { isJson, jsonNotEvent } from "../src/read/json_bytes.ts";
import { bytesNotEvent, valueNotEvent } from "../src/read/not_event.ts";
import { decodeLine, encodeEvent } from "../src/event/line_codec.ts";
import { ENVELOPE_FIELDS } from "../src/event/fields.ts";
import { prng } from "../bench/generate.ts";
import { payload } from "./helpers.ts";

const enc = new TextEncoder();
const bytesOf = (s: string) => enc.encode(s);
const parses = (s: string) => {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
};
const walks = (s: string) => {
  const b = bytesOf(s);
  return isJson(b, 0, b.length);
};

const EVENT = {
  event_id: "01KHJVJWDM0HGAGYGXJYKD1JQG",
  event_type: "ExecutionEvent",
  aggregate_id: "043-x",
  lamport_clock: 1,
  node_id: "n1",
  causation_id: null,
  timestamp: "2026-02-16T09:12:58Z",
  payload: payload(),
};
const VALID = encodeEvent(EVENT);

Deno.test("the walker's grammar is JSON.parse's, on hand-picked edges", () => {
  const cases = [
    "{}",
    "[]",
    " {} ",
    "\t{}\r",
    "\v{}",
    "\f{}",
    "{} x",
    "{}}",
    "{",
    "[",
    "[1,]",
    "[,1]",
    "{,}",
    '{"a"}',
    '{"a":}',
    '{"a":1,}',
    '{"a" : 1 , "b":[ ]}',
    "0",
    "-0",
    "01",
    "-",
    "1.",
    ".5",
    "1.5e",
    "1e+",
    "1E-2",
    "-1.25e+10",
    "1e5.",
    "true",
    "tru",
    "truex",
    "nul",
    "null",
    "false",
    "NaN",
    '"\\u00e9"',
    '"\\u00G9"',
    '"\\u00e"',
    '"\\x"',
    '"\\/"',
    '"a\u0001"',
    '"a\u007f"',
    '"é"',
    '"',
    '"\\"',
    '"\\\\"',
    '{"\\u0061":1}',
    "[".repeat(100) + "]".repeat(100),
    "[".repeat(100) + "]".repeat(99),
    '[{"a":[{"b":{}}]}]',
    "[".repeat(70) + '{"a":1,"b":[2]}' +
    "]".repeat(70),
    "[".repeat(70) + '{"a" 1}' + "]".repeat(70),
    '{"a":1 "b":2}',
    "[1 2]",
    '["a\tb"]',
    "{\u00a0}",
    '{"a":1}\u00a0',
  ];
  for (const c of cases) assert.equal(walks(c), parses(c), JSON.stringify(c));
});

Deno.test("the walker's grammar is JSON.parse's, on 30,000 mutated lines", () => {
  const rand = prng(Number(Deno.env.get("KITTY_SEED") ?? 23));
  const noise = [
    "",
    " ",
    "{",
    "}",
    "[",
    "]",
    '"',
    ",",
    ":",
    "0",
    "-",
    ".",
    "e",
    "+",
    "a",
    "\\",
    "\\u",
    "é",
    "\r",
    "\t",
    "\n",
    "\u0001",
    "\u00a0",
    "t",
    "n",
    "1e",
    "00",
    "[[",
    "]]",
    '{"k":',
    "null",
  ];
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)];
  const seeds = [
    VALID,
    JSON.stringify({ a: [1, -2.5e-3, { b: "x\\y\u0001" }, null, true, false], c: "é\u2028" }),
    JSON.stringify(EVENT, null, 1),
    '[1, 2.0, -0, 3e10, [], {}, "\\u00e9\\n"]',
  ];
  let json = 0;
  for (let i = 0; i < 30_000; i++) {
    let line = pick(seeds);
    for (let k = Math.floor(rand() * 3); k >= 0; k--) {
      const at = Math.floor(rand() * line.length);
      line = line.slice(0, at) + pick(noise) + line.slice(at + (rand() < 0.5 ? 1 : 0));
    }
    const ok = parses(line);
    if (ok) json++;
    assert.equal(walks(line), ok, JSON.stringify(line));
  }
  assert.ok(json > 3000, `${json} of the lines were JSON`);
});

Deno.test("an object without an envelope key is no event by its bytes; with every key, undecided", () => {
  const required = ENVELOPE_FIELDS.filter((f) => !("default" in f)).map((f) => f.key);
  assert.ok(required.length >= 7);
  for (const key of required) {
    const line = JSON.stringify({ ...EVENT, [key]: undefined });
    const b = bytesOf(line);
    assert.ok(jsonNotEvent(b, 0, b.length), key);
    assert.ok(bytesNotEvent(b, 0, b.length), key);
    assert.ok(!decodeLine(line).ok);
    // The key written with an escape is still the key: undecided.
    const escaped = VALID.replace(
      `"${key}"`,
      `"\\u00${key.charCodeAt(0).toString(16)}${key.slice(1)}"`,
    );
    assert.ok(decodeLine(escaped).ok, escaped);
    const e = bytesOf(escaped);
    assert.ok(!jsonNotEvent(e, 0, e.length), escaped);
  }
  // Every key, a value no event has: left to the full path.
  const wrong = bytesOf(VALID.replace('"lamport_clock":1', '"lamport_clock":"1"'));
  assert.ok(!jsonNotEvent(wrong, 0, wrong.length));
  assert.ok(valueNotEvent(JSON.parse(VALID.replace('"lamport_clock":1', '"lamport_clock":"1"'))));
  // A key nested in the payload is not the envelope's.
  const nested = JSON.stringify({ ...EVENT, node_id: undefined, payload: { node_id: "n1" } });
  const n = bytesOf(nested);
  assert.ok(jsonNotEvent(n, 0, n.length));
  // Python's NaN is no JSON, yet the full path reads such a line: undecided.
  const nan = bytesOf(VALID.replace(/"input_tokens":\d+/, '"input_tokens":NaN'));
  assert.ok(!isJson(nan, 0, nan.length) && !jsonNotEvent(nan, 0, nan.length));
  assert.ok(decodeLine(new TextDecoder().decode(nan)).ok);
  const torn = bytesOf(VALID.slice(0, -1));
  assert.ok(jsonNotEvent(torn, 0, torn.length));
});

Deno.test("a line not JSON is no event unless it holds NaN or Infinity, wherever they stand", () => {
  const verdict = (s: string) => {
    const b = bytesOf(s);
    return jsonNotEvent(b, 0, b.length);
  };
  assert.ok(verdict('{"a":trUe}'));
  for (const word of ["NaN", "Infinity", "-Infinity"]) {
    assert.ok(!verdict(`{"a":trUe,"b":${word}}`), word);
    assert.ok(!verdict(`${word}{"a":trUe}`), word);
    assert.ok(!verdict(`{"a":trUe}${word}`), word);
  }
  // Part of a word is no word; a word at the very end still counts.
  assert.ok(verdict('{"a":trUe,"b":Na}') && verdict('{"a":trUe,"b":Infinit}'));
  assert.ok(!verdict('{"a":trUe}NaN') && !verdict('{"a":trUe}Infinity'));
});
