/**
 * Issue 14.11, the streaming merge of `import`: events that do not all sort
 * after the log's tail are merged by one pass over the log into a temp file
 * (`wrote: "streamed"`) when the log is all events in order; the result is
 * byte for byte the in-memory merge's, and anything the stream does not
 * take (junk, blank lines, disorder, another layout of a present event, a
 * conflict) goes to that merge as before.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { payload, tempProject } from "./helpers.ts";
import { encodeEvent } from "../src/event/line_codec.ts";
import { ProjectLayout } from "../src/store/project_layout.ts";
import { importIntoFeature } from "../src/merge/import_feature.ts";
import { mergeLogs } from "../src/merge/merge_logs.ts";
import { readClockFile } from "../src/clock/clock_file.ts";

const F = "043-x";
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function event(n: number, clock: number, node: string, tokens = 1) {
  return {
    event_id: `01KHJVJWDM0HGAGYGXJYKD1J${String(n).padStart(2, "0")}`,
    event_type: "ExecutionEvent",
    aggregate_id: F,
    lamport_clock: clock,
    node_id: node,
    causation_id: null,
    timestamp: "2026-03-01T10:00:00.000Z",
    payload: payload({ input_tokens: tokens }),
  };
}
const line = (n: number, clock: number, node: string, tokens = 1) =>
  encodeEvent(event(n, clock, node, tokens));
/** The same event in another layout (spaces after the colons): equal, not identical. */
const spaced = (n: number, clock: number, node: string) =>
  JSON.stringify(event(n, clock, node)).replaceAll('":', '": ');

/** A seeded generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function setUp(log: string, mode = 0o644) {
  const root = await tempProject();
  const layout = new ProjectLayout(root);
  const dir = join(root, "kitty-specs", F);
  await Deno.mkdir(dir, { recursive: true });
  const path = join(dir, "execution.events.jsonl");
  await Deno.writeTextFile(path, log, { mode });
  await Deno.chmod(path, mode);
  return { layout, dir, path };
}

async function names(dir: string): Promise<string[]> {
  return (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name).sort();
}

Deno.test("one older event into an ordered log is streamed, byte for byte the merge's", async () => {
  const log = [line(1, 1, "a"), line(2, 3, "a"), line(3, 5, "b")].map((l) => l + "\n").join("");
  const { layout, dir, path } = await setUp(log, 0o600);
  const input = line(4, 2, "c") + "\n";
  const out = await importIntoFeature(layout, F, [{ label: "in", text: input }], [], () => {});
  assert.deepEqual([out.wrote, out.added, out.alreadyPresent, out.changed], [
    "streamed",
    1,
    0,
    true,
  ]);
  const expected = mergeLogs({ sides: [{ label: "l", text: log }, { label: "in", text: input }] });
  assert.equal(await Deno.readTextFile(path), expected.text);
  assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
  assert.deepEqual(await names(dir), [".telemetry-clock.json", "execution.events.jsonl"]);
  const clock = (await readClockFile(layout.clockPath(F))).state;
  assert.deepEqual(Object.entries(clock).sort(), [["a", 3], ["b", 5], ["c", 2]]);
  // Again: nothing new, nothing written.
  const again = await importIntoFeature(layout, F, [{ label: "in", text: input }], [], () => {});
  assert.deepEqual([again.wrote, again.added, again.alreadyPresent, again.changed], [
    "streamed",
    0,
    1,
    false,
  ]);
});

Deno.test("a conflict with the log aborts with nothing changed and no temp left", async () => {
  const log = [line(1, 1, "a"), line(2, 3, "a"), line(3, 5, "b")].map((l) => l + "\n").join("");
  const { layout, dir, path } = await setUp(log);
  // An older new event, and event 3 with other content (found after the new one was written).
  const input = [line(4, 2, "c"), line(3, 5, "b", 99)].join("\n") + "\n";
  const out = await importIntoFeature(layout, F, [{ label: "in", text: input }], [], () => {});
  assert.equal(out.conflicts.length, 1);
  assert.equal(out.conflicts[0].eventId, "01KHJVJWDM0HGAGYGXJYKD1J03");
  assert.equal(await Deno.readTextFile(path), log);
  assert.deepEqual(await names(dir), ["execution.events.jsonl"]);
});

Deno.test("a log that ends without a newline is streamed; the line gets its newline", async () => {
  const log = line(1, 1, "a") + "\n" + line(2, 3, "a");
  const { layout, path } = await setUp(log);
  // Nothing new: still the merge's log, which ends each line.
  const present = line(1, 1, "a") + "\n";
  const same = await importIntoFeature(layout, F, [{ label: "in", text: present }], [], () => {});
  assert.deepEqual([same.wrote, same.added, same.changed], ["streamed", 0, true]);
  assert.equal(await Deno.readTextFile(path), log + "\n");
  const input = line(4, 2, "c") + "\n";
  const out = await importIntoFeature(layout, F, [{ label: "in", text: input }], [], () => {});
  assert.equal(out.wrote, "streamed");
  assert.equal(
    await Deno.readTextFile(path),
    line(1, 1, "a") + "\n" + line(4, 2, "c") + "\n" + line(2, 3, "a") + "\n",
  );
});

Deno.test("random logs and inputs: the import's log is the in-memory merge's, either path", async () => {
  const taken = new Map<string, number>();
  for (let seed = 1; seed <= 150; seed++) {
    const rand = random(seed);
    const pick = (n: number) => Math.floor(rand() * n);
    // Events by id: a clock and node each, so copies of an id agree unless made to differ.
    const keys = Array.from({ length: 12 }, () => [1 + pick(6), "abc"[pick(3)]] as const);
    const ids = Array.from({ length: pick(8) }, () => pick(12));
    let logLines = [...new Set(ids)].map((n) => line(n, ...keys[n]));
    if (rand() < 0.7) {
      logLines = mergeLogs({ sides: [{ label: "l", text: lines(logLines) }] }).text.split("\n")
        .slice(0, -1);
    }
    if (rand() < 0.15 && logLines.length > 0) logLines.push(logLines[pick(logLines.length)]);
    // The same id again, sorting last: a conflict inside the log.
    if (rand() < 0.08 && ids.length > 0) logLines.push(line(ids[0], 7, keys[ids[0]][1]));
    if (rand() < 0.1) logLines.splice(pick(logLines.length + 1), 0, rand() < 0.5 ? "" : "junk");
    const log = lines(logLines) + (rand() < 0.1 ? line(40, 9, "z") : "");
    const input = lines(Array.from({ length: 1 + pick(4) }, () => {
      const n = pick(12);
      const r = rand();
      if (r < 0.05) return line(n, ...keys[n], 7); // other content: a conflict if in the log
      if (r < 0.15) return spaced(n, ...keys[n]);
      return line(n, ...keys[n]);
    }));
    const { layout, dir, path } = await setUp(log);
    const sides = [{ label: "l", text: "", bytes: encoder.encode(log) }, {
      label: "in",
      text: input,
    }];
    const expected = mergeLogs({ sides, keepNonEvents: "first" });
    const inputOnly = mergeLogs({ sides: [{ label: "in", text: input }], keepNonEvents: "none" });
    const out = await importIntoFeature(layout, F, [{ label: "in", text: input }], [], () => {});
    const kind = out.conflicts.length > 0 ? "conflict" : out.wrote ?? "none";
    taken.set(kind, (taken.get(kind) ?? 0) + 1);
    const now = await Deno.readFile(path);
    if (expected.conflicts.length > 0 || inputOnly.conflicts.length > 0) {
      assert.equal(out.conflicts.length > 0, true, `seed ${seed}`);
      assert.deepEqual(now, encoder.encode(log), `seed ${seed}`);
    } else {
      // An append leaves the log's lines as they were (blank, repeated) and adds the input's events.
      const want = out.wrote === "appended"
        ? decoder.decode(encoder.encode(log)) + decoder.decode(inputOnly.bytes)
        : decoder.decode(expected.bytes);
      assert.equal(decoder.decode(now), want, `seed ${seed}: ${out.wrote}`);
      const clock = (await readClockFile(layout.clockPath(F))).state;
      // An append raises the clock from the log's tail and the input (the log is not read).
      const covered = out.wrote === "appended" ? inputOnly.clock : expected.clock;
      const entries = Object.entries(clock).filter(([k]) => Object.hasOwn(covered, k));
      assert.deepEqual(entries.sort(), Object.entries(covered).sort(), `seed ${seed}`);
    }
    assert.ok((await names(dir)).every((n) => !n.endsWith(".tmp")), `seed ${seed}`);
  }
  // Every path was taken, the stream most.
  for (const kind of ["streamed", "merged", "appended", "conflict"]) {
    assert.ok((taken.get(kind) ?? 0) >= 5, `${kind}: ${JSON.stringify([...taken])}`);
  }
});

function lines(list: string[]): string {
  return list.map((l) => l + "\n").join("");
}
