/**
 * The git driver's streamed merge (src/merge/sorted_merge.ts) against the
 * in-memory one (mergeLogs): on random logs in their total order it must
 * write the same bytes and report the same conflicts and warnings, and it
 * must step aside (undefined) whenever it could not.
 */
import assert from "node:assert/strict";
import { prng } from "../bench/generate.ts";
import { encodeEvent } from "../src/event/line_codec.ts";
import { compareEvents, type Event } from "../src/event/envelope.ts";
import { mergeLogs } from "../src/merge/merge_logs.ts";
import { type SortedMerge, sortedMerge } from "../src/merge/sorted_merge.ts";
import { payload } from "./helpers.ts";

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const encoder = new TextEncoder();

/** The Python writer's layout (`json.dumps` defaults: spaces after separators). */
const python = (e: Event) => JSON.stringify(e).replaceAll('":', '": ').replaceAll(',"', ', "');
const LAYOUTS: Array<(e: Event) => string> = [encodeEvent, python];

function events(random: () => number, size: number): Event[] {
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)];
  return Array.from({ length: size }, () => ({
    event_id: "0" + Array.from({ length: 25 }, () => pick([...CROCKFORD])).join(""),
    event_type: "ExecutionEvent",
    aggregate_id: "043-x",
    lamport_clock: 1 + Math.floor(random() * 6),
    node_id: pick(["laptop", "desk", "ci-über"]),
    causation_id: null,
    timestamp: "2026-03-01T10:00:00.000Z",
    payload: payload({
      agent: pick(["claude", "codex"]),
      input_tokens: Math.floor(random() * 1e6),
    }),
  }));
}

/** What each seed's logs hold besides sorted events: the ways the streamed merge must step aside. */
type Twist =
  | "none"
  | "conflict"
  | "moved"
  | "shuffled"
  | "junk"
  | "blank"
  | "lowercase"
  | "twice"
  | "crlf";
const STEPS_ASIDE: Twist[] = ["moved", "shuffled", "junk", "twice"];

function logs(seed: number, twist: Twist, withBase: boolean) {
  const random = prng(seed);
  const all = events(random, 40);
  const subset = (share: number) =>
    all.filter(() => random() < share).sort(compareEvents).map((e) =>
      LAYOUTS[Math.floor(random() * LAYOUTS.length)](e)
    );
  const base = withBase ? subset(0.4) : undefined;
  const ours = subset(0.6);
  const theirs = subset(0.6);
  const at = (lines: string[]) => Math.floor(random() * lines.length);
  const event = (line: string) => JSON.parse(line) as Event;
  if (twist === "conflict") {
    // The same id at the same place, other content: a conflict the streamed merge reports.
    const e = event(ours[at(ours)]);
    const other = encodeEvent({ ...e, payload: { ...e.payload, input_tokens: 7 } } as Event);
    const kept = theirs.filter((l) => event(l).event_id !== e.event_id).concat(other);
    theirs.splice(0, theirs.length, ...kept.sort((x, y) => compareEvents(event(x), event(y))));
  } else if (twist === "moved") {
    // One id at another place in the order: only the in-memory merge matches it.
    const e = event(ours[at(ours)]);
    theirs.push(encodeEvent({ ...e, lamport_clock: 99 }));
  } else if (twist === "shuffled") theirs.reverse();
  else if (twist === "junk") ours.splice(at(ours), 0, "<<<<<<< HEAD");
  else if (twist === "blank") ours.splice(at(ours), 0, "  ");
  else if (twist === "lowercase") {
    const i = at(ours);
    const e = event(ours[i]);
    ours[i] = encodeEvent({ ...e, event_id: e.event_id.toLowerCase() });
  } else if (twist === "twice") ours.splice(at(ours), 0, ours[0]);
  else if (twist === "crlf") ours[at(ours)] += "\r";
  const text = (lines: string[]) => lines.map((l) => l + "\n").join("");
  return { ours: text(ours), theirs: text(theirs), base: base && text(base) };
}

async function streamed(
  texts: { ours: string; theirs: string; base?: string },
): Promise<{ result: SortedMerge | undefined; bytes: Uint8Array }> {
  const input = (label: string, text: string) => ({
    label,
    // Small chunks: lines cross chunk boundaries.
    stream: new ReadableStream<Uint8Array>({
      start(controller) {
        const bytes = encoder.encode(text);
        for (let i = 0; i < bytes.length; i += 97) controller.enqueue(bytes.slice(i, i + 97));
        controller.close();
      },
    }),
  });
  const parts: Uint8Array<ArrayBuffer>[] = [];
  const result = await sortedMerge(
    [input("ours", texts.ours), input("theirs", texts.theirs)],
    texts.base === undefined ? undefined : input("base", texts.base),
    async (bytes) => {
      parts.push(bytes.slice());
      await Promise.resolve();
    },
  );
  return { result, bytes: new Uint8Array(await new Blob(parts).arrayBuffer()) };
}

const TWISTS: Twist[] = [
  "none",
  "conflict",
  "moved",
  "shuffled",
  "junk",
  "blank",
  "lowercase",
  "twice",
  "crlf",
];

Deno.test("the streamed merge writes the in-memory merge's bytes, conflicts and warnings, or steps aside", async () => {
  let taken = 0;
  for (let seed = 1; seed <= 180; seed++) {
    const twist = TWISTS[seed % TWISTS.length];
    const texts = logs(seed, twist, seed % 3 !== 0);
    const why = `seed ${seed}, ${twist}`;
    const { result, bytes } = await streamed(texts);
    if (STEPS_ASIDE.includes(twist)) {
      assert.equal(result, undefined, why);
      continue;
    }
    assert.ok(result, `${why}: the streamed merge stepped aside`);
    taken++;
    const memory = mergeLogs({
      sides: [{ label: "ours", text: texts.ours }, { label: "theirs", text: texts.theirs }],
      base: texts.base === undefined ? undefined : { label: "base", text: texts.base },
    });
    assert.deepEqual(bytes, memory.bytes, why);
    assert.deepEqual(result.conflicts, memory.conflicts, why);
    assert.deepEqual(result.warnings, memory.warnings, why);
    assert.equal(result.eventCount, memory.eventCount, why);
    if (twist === "conflict") assert.equal(result.conflicts.length, 1, why);
  }
  assert.equal(taken, 100);
});

Deno.test("a base event a side lacks is kept with the in-memory merge's warning", async () => {
  const [a, b, c] = events(prng(7), 3).sort(compareEvents).map(encodeEvent);
  const texts = { ours: `${a}\n${c}\n`, theirs: `${a}\n${b}\n${c}\n`, base: `${a}\n${b}\n` };
  const { result, bytes } = await streamed(texts);
  assert.equal(new TextDecoder().decode(bytes), `${a}\n${b}\n${c}\n`);
  assert.equal(result?.warnings.length, 1);
  assert.match(result!.warnings[0], /^event \w+ \(base:2\) is missing from ours; kept/);
});

Deno.test("a side out of order, its ids in no other input, makes the streamed merge step aside", async () => {
  const [a, b] = events(prng(9), 2).sort(compareEvents).map(encodeEvent);
  assert.equal((await streamed({ ours: `${b}\n${a}\n`, theirs: "" })).result, undefined);
  // In order, the same lines merge.
  assert.ok((await streamed({ ours: `${a}\n${b}\n`, theirs: "" })).result);
});
