/**
 * The log merge as algebra: over random logs (seeded, so a failure
 * reproduces) in mixed writer layouts, the merge is a byte-exact union that
 * is commutative, associative and idempotent; plus conflicts, base-only
 * events, bad lines, and the clock merge.
 */
import { prng } from "../bench/generate.ts";
import assert from "node:assert/strict";
import { encodeEvent } from "../src/event/line_codec.ts";
import { compareEvents, type Event } from "../src/event/envelope.ts";
import { mergeLogs, type MergeResult } from "../src/merge/merge_logs.ts";
import { mergeClockTexts } from "../src/merge/clock_merge.ts";
import { payload } from "./helpers.ts";

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** The Python writer's layout: sorted keys, `", "` / `": "`, non-ASCII as `\uXXXX`. */
function pythonDumps(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(pythonDumps).join(", ")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${pythonDumps(k)}: ${pythonDumps(v)}`).join(", ")}}`;
  }
  if (typeof value === "string") {
    return JSON.stringify(value).replace(
      /[\u0080-\uffff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
    );
  }
  return JSON.stringify(value);
}

/** A writer that omits null optional payload keys, as older Python writers did. */
function pythonSparse(event: Event): string {
  const p = Object.fromEntries(
    Object.entries(event.payload).filter(([k, v]) => !(v === null && k.endsWith("_tokens"))),
  );
  return pythonDumps({ ...event, payload: p });
}

const LAYOUTS: Array<(e: Event) => string> = [encodeEvent, pythonDumps, pythonSparse];

interface World {
  random: () => number;
  events: Event[];
}

function world(seed: number, size = 30): World {
  const random = prng(seed);
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)];
  const events: Event[] = [];
  for (let i = 0; i < size; i++) {
    const id = "0" + Array.from({ length: 25 }, () => pick([...CROCKFORD])).join("");
    const extra = random() < 0.3 ? { x_future: { nested: [1, "é"] } } : {};
    events.push({
      event_id: id,
      event_type: "ExecutionEvent",
      aggregate_id: "043-x",
      lamport_clock: 1 + Math.floor(random() * 8),
      node_id: pick(["laptop", "desk", "cli:WP01", "ci-über"]),
      causation_id: null,
      timestamp: pick(["2026-02-16T09:12:58.036834+00:00", "2026-03-01T10:00:00.000Z"]),
      payload: payload({
        agent: pick(["claude", "codex", "gemini"]),
        input_tokens: Math.floor(random() * 1e6),
        cache_read_tokens: random() < 0.5 ? null : 5,
        ...(random() < 0.3 ? { zz_note: "naïve ☃" } : {}),
      }),
      ...extra,
    });
  }
  return { random, events };
}

/** A log holding a random subset of the world, each in a random layout, shuffled. */
function randomLog(w: World, share = 0.5): string {
  const lines = w.events.filter(() => w.random() < share).map((e) =>
    LAYOUTS[Math.floor(w.random() * LAYOUTS.length)](e)
  );
  for (let i = lines.length - 1; i > 0; i--) {
    const j = Math.floor(w.random() * (i + 1));
    [lines[i], lines[j]] = [lines[j], lines[i]];
  }
  return lines.map((l) => l + "\n").join("");
}

function merge(...texts: string[]): MergeResult {
  const result = mergeLogs({ sides: texts.map((text, i) => ({ label: `log${i}`, text })) });
  assert.deepEqual(result.conflicts, []);
  return result;
}

const idsOf = (text: string) =>
  new Set(text.split("\n").filter((l) => l).map((l) => JSON.parse(l).event_id as string));
const SEEDS = Array.from({ length: 40 }, (_, i) => 1000 + i);

Deno.test("merge is commutative byte for byte, whatever the layouts and line order", () => {
  for (const seed of SEEDS) {
    const w = world(seed);
    const [a, b] = [randomLog(w), randomLog(w)];
    assert.equal(merge(a, b).text, merge(b, a).text, `seed ${seed}`);
  }
});

Deno.test("merge is associative byte for byte", () => {
  for (const seed of SEEDS) {
    const w = world(seed);
    const [a, b, c] = [randomLog(w), randomLog(w), randomLog(w)];
    const left = merge(merge(a, b).text, c).text;
    const right = merge(a, merge(b, c).text).text;
    assert.equal(left, right, `seed ${seed}`);
    assert.equal(merge(a, b, c).text, left, `seed ${seed}`);
  }
});

Deno.test("merge is idempotent: a merged log merged with itself or a part of it is unchanged", () => {
  for (const seed of SEEDS) {
    const w = world(seed);
    const [a, b] = [randomLog(w), randomLog(w)];
    const m = merge(a, b).text;
    assert.equal(merge(m).text, m);
    assert.equal(merge(m, m).text, m);
    assert.equal(merge(m, a).text, m);
    assert.equal(merge(a, a).text, merge(a).text);
  }
});

Deno.test("merge is the union by id, each line an input line byte for byte, in total order", () => {
  for (const seed of SEEDS) {
    const w = world(seed);
    const [a, b] = [randomLog(w), randomLog(w)];
    const m = merge(a, b);
    const union = new Set([...idsOf(a), ...idsOf(b)]);
    assert.equal(m.eventCount, union.size);
    assert.deepEqual(idsOf(m.text), union);
    const inputLines = new Set([...a.split("\n"), ...b.split("\n")]);
    const lines = m.text.split("\n").slice(0, -1);
    for (const line of lines) assert.ok(inputLines.has(line), `seed ${seed}: ${line}`);
    const events = lines.map((l) => JSON.parse(l));
    for (let i = 1; i < events.length; i++) assert.ok(compareEvents(events[i - 1], events[i]) < 0);
    for (const [node, value] of Object.entries(m.clock)) {
      assert.equal(
        value,
        Math.max(...events.filter((e) => e.node_id === node).map((e) => e.lamport_clock)),
      );
    }
  }
});

Deno.test("unknown fields and a writer's layout survive a merge untouched", () => {
  const w = world(7, 10);
  const event = { ...w.events[0], x_future: { nested: [1, "é"] } };
  const fresh = pythonDumps({
    ...event,
    event_id: "01KHJVJWDM0HGAGYGXJYKD1JQG",
    payload: { ...event.payload, zz_note: "☃" },
  });
  const merged = merge(fresh + "\n", randomLog(w, 1)).text;
  assert.ok(merged.split("\n").includes(fresh));
  const back = JSON.parse(fresh);
  assert.deepEqual(back.x_future, { nested: [1, "é"] });
  assert.equal(back.payload.zz_note, "☃");
});

Deno.test("one event in two layouts is one event: the smaller line is kept, in either direction", () => {
  const e = world(3, 1).events[0];
  const ours = encodeEvent(e);
  const python = pythonSparse(e);
  const expected = (ours < python ? ours : python) + "\n";
  assert.equal(merge(ours + "\n", python + "\n").text, expected);
  assert.equal(merge(python + "\n", ours + "\n").text, expected);
  assert.equal(merge(python + "\n" + ours + "\n").text, expected);
});

Deno.test("the same id with different content is a conflict naming the id and both lines; ours kept", () => {
  const [e, f] = world(4, 2).events;
  const ours = encodeEvent(e);
  const theirs = encodeEvent({ ...e, payload: { ...e.payload, input_tokens: 1 } });
  const other = encodeEvent(f);
  const r = mergeLogs({
    sides: [{ label: "ours", text: `${ours}\n` }, {
      label: "theirs",
      text: `${other}\n${theirs}\n`,
    }],
  });
  assert.equal(r.conflicts.length, 1);
  assert.equal(r.conflicts[0].eventId, e.event_id);
  assert.deepEqual(r.conflicts[0].locations, ["ours:1", "theirs:2"]);
  assert.ok(r.text.split("\n").includes(ours));
  assert.ok(!r.text.includes(theirs));
  assert.equal(r.eventCount, 2);
});

Deno.test("conflict markers and torn or invalid lines are no conflicts: kept after the events, named", () => {
  const [e, f] = world(5, 2).events;
  const text = `<<<<<<< HEAD\n${encodeEvent(e)}\n=======\n${encodeEvent(f)}\n>>>>>>> theirs\n` +
    `{"event_id": 3}\n{"event_id":"01KH`;
  const r = mergeLogs({ sides: [{ label: "a.jsonl", text }] });
  assert.deepEqual(r.conflicts, []);
  assert.deepEqual(r.nonEvents.map((n) => n.location), [
    "a.jsonl:1",
    "a.jsonl:3",
    "a.jsonl:5",
    "a.jsonl:6",
    "a.jsonl:7",
  ]);
  assert.match(r.nonEvents[4].reason, /^torn last line/);
  assert.equal(r.eventCount, 2);
  assert.ok(!r.text.includes("<<<") && !r.text.includes('{"event_id": 3}'));
  assert.equal(
    new TextDecoder().decode(r.bytes),
    r.text + `<<<<<<< HEAD\n=======\n>>>>>>> theirs\n{"event_id": 3}\n{"event_id":"01KH\n`,
  );
});

Deno.test("events of the base missing on a side are kept, with a warning; three-way stays commutative", () => {
  let warned = 0;
  for (const seed of SEEDS.slice(0, 10)) {
    const w = world(seed);
    const base = randomLog(w);
    const baseLines = base.split("\n").filter((l) => l);
    // Each side drops some base events (never legitimate) and adds its own.
    const ours = baseLines.filter((_, i) => i % 3 !== 0).join("\n") + "\n" + randomLog(w, 0.2);
    const theirs = baseLines.filter((_, i) => i % 3 !== 1).join("\n") + "\n" + randomLog(w, 0.2);
    const ab = mergeLogs({
      base: { label: "base", text: base },
      sides: [{ label: "ours", text: ours }, { label: "theirs", text: theirs }],
    });
    const ba = mergeLogs({
      base: { label: "base", text: base },
      sides: [{ label: "theirs", text: theirs }, { label: "ours", text: ours }],
    });
    assert.deepEqual(ab.conflicts, []);
    assert.equal(ab.text, ba.text);
    for (const id of idsOf(base)) assert.ok(idsOf(ab.text).has(id));
    if (baseLines.length > 0) {
      assert.ok(ab.warnings.some((w) => /missing from ours; kept/.test(w)));
      warned++;
    }
  }
  assert.ok(warned >= 5, `only ${warned} of 10 bases had events`);
});

Deno.test("a bad line in the base is only a warning", () => {
  const r = mergeLogs({
    base: { label: "base", text: "<<<<<<< HEAD\n" },
    sides: [{ label: "ours", text: "" }, { label: "theirs", text: "" }],
  });
  assert.deepEqual(r.conflicts, []);
  assert.match(r.warnings[0], /^base:1: ignored line in base/);
  assert.equal(r.text, "");
});

Deno.test("clock merge: per-node maximum, canonical layout; an unreadable side counts as empty", () => {
  const r = mergeClockTexts([
    { label: "base", text: '{"a": 1}' },
    { label: "ours", text: '{"a": 5, "b": 2}' },
    { label: "theirs", text: '{"b":7,"c":1}' },
  ]);
  assert.equal(r.text, '{"a": 5, "b": 7, "c": 1}');
  assert.deepEqual(r.warnings, []);
  const broken = mergeClockTexts([
    { label: "base", text: "" },
    { label: "ours", text: "garbage" },
    { label: "theirs", text: '{"b": 3}' },
  ]);
  assert.equal(broken.text, '{"b": 3}');
  assert.match(broken.warnings[0], /^ours: unreadable clock file .*counted as empty/);
  // A text-merged clock file still names both sides' values: they are kept.
  const marked = mergeClockTexts([{
    label: "ours",
    text: '<<<<<<< HEAD\n{"a": 4}\n=======\n{"a": 6, "b": 1}\n>>>>>>> x\n',
  }]);
  assert.equal(marked.text, '{"a": 6, "b": 1}');
  assert.equal(marked.warnings.length, 1);
});
