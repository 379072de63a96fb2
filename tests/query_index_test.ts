/**
 * `query`'s indexed path (`line_index.ts`, `indexed_blocks.ts`,
 * `exact_lines.ts`): logs of several read blocks (lines torn at the
 * blocks' edges), copies of one id in other logs and in another case,
 * Python lines, `\r\n`, junk, a log out of order; with the index kept,
 * dropped by the budget for some logs or all, gathered or streamed: the
 * bytes equal `encodeEvent` of gather, sort, each id once. And a log
 * rewritten between the two readings is an error, not wrong output.
 */
import assert from "node:assert/strict";
import { dirname } from "node:path";
import { encodeEvent } from "../src/event/line_codec.ts";
import type { Event } from "../src/event/envelope.ts";
import { DataError } from "../src/errors.ts";
import { queryEvents } from "../src/query/query.ts";
import { indexLog } from "../src/query/line_index.ts";
import { indexedBlocks } from "../src/query/indexed_blocks.ts";
import { exactLineSink } from "../src/query/exact_lines.ts";
import { idPrintAt } from "../src/query/id_prints.ts";
import { ByteChunk } from "../src/read/byte_scan.ts";
import { DECODE_EVENT, DECODE_LINE } from "../src/read/byte_blocks.ts";
import { ProjectLayout } from "../src/store/project_layout.ts";
import { prng, pythonLine } from "../bench/generate.ts";
import { payload } from "./helpers.ts";
import { sampleEvent } from "./store_contract.ts";
import { printed } from "./printed_query.ts";

const SEED = Number(Deno.env.get("KITTY_SEED") ?? 4242);

/** Three logs of about 1.5 MB each (several read blocks); log 1 out of order. */
async function bigProject(seed: number): Promise<{ layout: ProjectLayout; sizes: number[] }> {
  const rand = prng(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  const layout = new ProjectLayout(await Deno.makeTempDir());
  const events: Event[] = [];
  const sizes: number[] = [];
  for (let f = 0; f < 3; f++) {
    const feature = `04${f}-big`;
    const path = layout.logPath(feature);
    await Deno.mkdir(dirname(path), { recursive: true });
    const lines: string[] = [];
    let clock = 0;
    for (let i = 0; i < 3600; i++) {
      clock += Math.floor(rand() * 3);
      let event: Event;
      if (rand() < 0.08 && events.length > 0) {
        event = { ...pick(events), lamport_clock: clock }; // a copy, maybe of another log's
      } else {
        event = sampleEvent({
          aggregate_id: feature,
          lamport_clock: clock,
          node_id: pick(["a", "b", "ü"]),
          event_type: rand() < 0.75 ? "ExecutionEvent" : "PhaseCompleted",
          payload: payload({ wp_id: pick(["WP01", "WP02"]), note: pick(["x", "é"]) }),
        });
        events.push(event);
      }
      let line = rand() < 0.1 ? pythonLine(event) : encodeEvent(event);
      if (rand() < 0.1) line = line.replace(event.event_id, event.event_id.toLowerCase());
      if (rand() < 0.05) line = line.replace('"input_tokens":100', '"input_tokens":1e2');
      const r = rand();
      lines.push(r < 0.02 ? "{torn" : r < 0.03 ? "" : line, rand() < 0.05 ? "\r\n" : "\n");
    }
    if (f === 1) [lines[20], lines[4000]] = [lines[4000], lines[20]];
    await Deno.writeTextFile(path, lines.join(""));
    sizes.push((await Deno.stat(path)).size);
  }
  assert.ok(sizes.every((size) => size > 1 << 20), `${sizes}`);
  return { layout, sizes };
}

Deno.test("indexed query: bytes equal gather-sort-once across read blocks, kept or dropped", async () => {
  const { layout, sizes } = await bigProject(SEED);
  for (const filter of [{}, { wps: ["WP02"] }]) {
    const expectedWarnings: string[] = [];
    const expected = (await queryEvents(layout, filter, (w) => expectedWarnings.push(w)))
      .map(encodeEvent);
    assert.ok(expected.length > 4000);
    // Kept for all; for the first log only (one page and its texts); for none.
    for (const indexBytes of [undefined, sizes[0] / 4, 0]) {
      for (const gather of [0, 5000, 1e9]) {
        const where = `${JSON.stringify(filter)} ${indexBytes} ${gather}`;
        const got = await printed(layout, filter, { gather, indexBytes, workers: 0 });
        assert.deepEqual(got.lines, expected, where);
        assert.deepEqual(got.warnings.sort(), [...expectedWarnings].sort(), where);
      }
    }
  }
});

Deno.test("indexed query: --limit takes the first lines of the order", async () => {
  const { layout } = await bigProject(SEED + 1);
  const all = (await queryEvents(layout, {}, () => {})).map(encodeEvent);
  const { lines } = await printed(layout, {}, { gather: 0, limit: 1000, workers: 0 });
  assert.deepEqual(lines, all.slice(0, 1000));
});

Deno.test("the index keeps each line's place and keys, and its facts", async () => {
  const path = await Deno.makeTempFile();
  const at = (clock: number, node = "n") =>
    encodeEvent(sampleEvent({ lamport_clock: clock, node_id: node }));
  const python = sampleEvent({ lamport_clock: 3 });
  const lines = [at(1), "junk", at(2, "m"), pythonLine(python), "", at(3, "z")];
  await Deno.writeTextFile(path, lines.join("\n") + "\n");
  const size = (await Deno.stat(path)).size;
  const index = await indexLog(path, size, {}, () => {}, { left: 1 << 24 });
  const [page] = index.store.pages;
  const { lines: kept, dropped, names } = index.store;
  assert.deepEqual([kept, index.matched, dropped, index.inOrder], [4, 4, false, true]);
  assert.deepEqual([...page.numbers.subarray(0, 4)], [1, 3, 4, 6]);
  assert.deepEqual([...page.clocks.subarray(0, 4)], [1, 2, 3, 3]);
  assert.deepEqual([...page.nodes.subarray(0, 4)].map((n) => names[n]), [
    "n",
    "m",
    "node-a",
    "z",
  ]);
  // Copied lines by their length; the Python line by its canonical text, kept.
  assert.deepEqual([...page.lengths.subarray(0, 4)].map((l) => l >= 0 ? l : `~${~l}`), [
    lines[0].length,
    lines[2].length,
    `~${encodeEvent(python).length}`,
    lines[5].length,
  ]);
  assert.equal(index.prints.list().length, 4);
  // Same clock, the node before: out of order; then the same keys, a smaller id: out of order too.
  await Deno.writeTextFile(path, [at(5, "b"), at(5, "a")].join("\n"));
  assert.equal((await indexLog(path, 1e6, {}, () => {}, { left: 1 << 24 })).inOrder, false);
  const [x, y] = [sampleEvent({ lamport_clock: 5 }), sampleEvent({ lamport_clock: 5 })];
  await Deno.writeTextFile(path, [encodeEvent(y), encodeEvent(x)].join("\n"));
  assert.equal((await indexLog(path, 1e6, {}, () => {}, { left: 1 << 24 })).inOrder, false);
  await Deno.writeTextFile(path, [encodeEvent(x), encodeEvent(y), encodeEvent(y)].join("\n"));
  assert.equal((await indexLog(path, 1e6, {}, () => {}, { left: 1 << 24 })).inOrder, true);
  // Past the budget: no lines kept, the facts still read.
  const poor = await indexLog(path, 1e6, {}, () => {}, { left: 10 });
  assert.deepEqual([poor.store.dropped, poor.store.lines, poor.matched, poor.inOrder], [
    true,
    0,
    3,
    true,
  ]);
});

Deno.test("a log rewritten between query's two readings is an error, not other bytes", async () => {
  const path = await Deno.makeTempFile();
  const lines = [1, 2, 3].map((c) => encodeEvent(sampleEvent({ lamport_clock: c })));
  await Deno.writeTextFile(path, lines.join("\n") + "\n");
  const size = (await Deno.stat(path)).size;
  const index = await indexLog(path, size, {}, () => {}, { left: 1 << 24 });
  // Appended since: fine, the second reading stops where the first did.
  await Deno.writeTextFile(path, lines[0] + "\n", { append: true });
  const blocks = await Array.fromAsync(indexedBlocks(index.store, path, size));
  assert.equal(blocks.length, 1);
  // A line made longer: the copy would cut it elsewhere.
  await Deno.writeTextFile(path, [lines[0], lines[1].replace("}}", " }}"), lines[2]].join("\n"));
  await assert.rejects(() => Array.fromAsync(indexedBlocks(index.store, path, size)), DataError);
  // Cut short: lines missing.
  await Deno.writeTextFile(path, lines[0] + "\n");
  await assert.rejects(() => Array.fromAsync(indexedBlocks(index.store, path, size)), DataError);
});

Deno.test("exactLineSink: a block of more lines than one kernel run, each verdict in place", () => {
  const rand = prng(SEED + 2);
  const lines: string[] = [];
  const want: Array<number[] | "decode" | "event"> = [];
  let at = 0;
  for (let i = 0; i < 5000; i++) {
    const execution = rand() < 0.8;
    const event = sampleEvent({
      lamport_clock: i,
      event_type: execution ? "ExecutionEvent" : "PhaseCompleted",
      payload: execution ? payload() : { phase: "x", output_tokens: 10 },
    });
    const r = rand();
    if (r > 0.97) {
      event.timestamp = r > 0.985 ? "2026-02-16T25:12:58Z" : "2026-02-16T10:12:58+01:00";
    }
    const line = r < 0.1
      ? pythonLine(event) // decoded
      : r < 0.15
      ? encodeEvent(event).replace('"output_tokens":10', '"output_tokens":10.0') // not exact
      : encodeEvent(event);
    const end = at + line.length;
    const valid = !line.includes("T25:"); // no such hour: decoded (and skipped there)
    // An execution line the kernel vouches for but that is spelled otherwise (Python's): "an event".
    const spelled = valid && line === encodeEvent(event);
    want.push(spelled ? [end, at, end, i] : valid && execution && r < 0.1 ? "event" : "decode");
    lines.push(line);
    at += line.length + 1;
  }
  const chunk = new ByteChunk(new TextEncoder().encode(lines.join("\n") + "\n"));
  const got: Array<number[] | "decode" | "event"> = [];
  const taken: number[][] = [];
  const sink = exactLineSink((_, start, end, clock, _node, n) =>
    taken.push([start, end, clock, n])
  );
  // A line it takes may start a run of lines it takes too (`runLines` more).
  let runs = 0;
  const numbers: number[] = [];
  for (let i = 0, start = 0; i < lines.length; start += lines[i++].length + 1) {
    const before = taken.length;
    const stop = sink(chunk, start, i + 1);
    if (stop < 0) {
      got.push(stop === DECODE_LINE ? "decode" : stop === DECODE_EVENT ? "event" : [stop]);
      continue;
    }
    const more = sink.runLines ?? 0;
    runs += more;
    assert.equal(taken.length - before, 1 + more);
    for (const [k, line] of taken.slice(before).entries()) {
      got.push([line[1], line[0], line[1], line[2]]);
      numbers.push(line[3] - (i + 1 + k));
    }
    assert.equal(stop, taken[taken.length - 1][1]);
    for (let k = 0; k < more; k++) start += lines[i++].length + 1;
  }
  assert.deepEqual(got, want);
  assert.ok(runs > 1000, `lines taken in runs: ${runs}`);
  assert.deepEqual(new Set(numbers), new Set([0])); // each taken line's own number
  assert.ok(taken.length > 3000);
  // Both times the kernel leaves to the JS check are there: RFC 3339 taken, hour 25 not.
  const count = (text: string) => lines.filter((l) => l.includes(text)).length;
  assert.ok(count("+01:00") > 10 && count("T25:") > 10);
});

Deno.test("a line over the length limit keeps both readings' line numbers in step", async () => {
  const layout = new ProjectLayout(await Deno.makeTempDir());
  const path = layout.logPath("041-long");
  await Deno.mkdir(dirname(path), { recursive: true });
  const events = [1, 2, 3, 4].map((c) =>
    sampleEvent({ aggregate_id: "041-long", lamport_clock: c })
  );
  const long = `{"x":"${"a".repeat(17 << 20)}"}`;
  const lines = [encodeEvent(events[0]), long, pythonLine(events[1]), encodeEvent(events[2])];
  await Deno.writeTextFile(path, [...lines, long, encodeEvent(events[3])].join("\n") + "\n");
  const expected = (await queryEvents(layout, {}, () => {})).map(encodeEvent);
  assert.equal(expected.length, 4);
  const got = await printed(layout, {}, { gather: 0, workers: 0 });
  assert.deepEqual(got.lines, expected);
  assert.equal(got.warnings.length, 2);
});

Deno.test("copies tying on all three keys across logs: the first log's is written, gathered or streamed", async () => {
  const layout = new ProjectLayout(await Deno.makeTempDir());
  for (let f = 0; f < 3; f++) {
    const path = layout.logPath(`04${f}-twin`);
    await Deno.mkdir(dirname(path), { recursive: true });
    const lines = Array.from({ length: 50 }, (_, i) =>
      encodeEvent(sampleEvent({
        event_id: `01KHJVJWDM0HGAGYGX0000${String(i).padStart(4, "0")}`,
        lamport_clock: i,
        payload: payload({ wp_id: `WP0${f}` }), // which log's copy is written shows here
      })));
    await Deno.writeTextFile(path, lines.join("\n") + "\n");
  }
  const expected = (await queryEvents(layout, {}, () => {})).map(encodeEvent);
  assert.equal(expected.length, 50);
  assert.ok(expected.every((line) => line.includes('"wp_id":"WP00"')));
  for (const gather of [0, 1e9]) {
    const { lines } = await printed(layout, {}, { gather, workers: 0 });
    assert.deepEqual(lines, expected, `gather ${gather}`);
  }
});

Deno.test("exactLineSink: runs of lines take what one line a block takes, with the same prints", () => {
  const rand = prng(SEED + 11);
  const lines: string[] = [];
  for (let i = 0; i < 3000; i++) {
    const execution = rand() < 0.75;
    const event = sampleEvent({
      event_id: `01KHJVJWDM0HGAGY${String(Math.floor(rand() * 2500)).padStart(10, "0")}`,
      lamport_clock: i,
      event_type: execution ? "ExecutionEvent" : "PhaseCompleted",
      payload: execution ? payload() : { phase: "x", note: "résumé" },
    });
    const r = rand();
    lines.push(
      r < 0.08 ? pythonLine(event) : r < 0.1
        ? encodeEvent(event).replace(':"WP', ': "WP') // spelled otherwise: decoded
        : r < 0.11
        ? "not json"
        : r < 0.12
        ? encodeEvent(event) + "\r" // a CRLF line
        : encodeEvent(event),
    );
  }
  type Taken = [number, string, number, string, number, number];
  const read = (chunks: ByteChunk[]) => {
    const taken: Taken[] = [];
    const answers: number[] = [];
    let n = 0;
    let runs = 0;
    const text = (b: Uint8Array, s: number, e: number) => new TextDecoder().decode(b.slice(s, e));
    const sink = exactLineSink(
      (b, s, e, clock, node, line, print) =>
        taken.push([line, text(b, s, e), clock, node, print ?? NaN, 0]),
      (b, s, e, clock, node, line, print) =>
        taken.push([line, text(b, s, e), clock, node, print ?? NaN, 1]),
    );
    for (const chunk of chunks) {
      for (let start = 0; start < chunk.end;) {
        const stop = sink(chunk, start, ++n);
        if (stop < 0) answers.push(n, stop);
        const lineStop = stop >= 0 ? stop : chunk.bytes.indexOf(0x0a, start);
        if (stop >= 0) runs += sink.runLines ?? 0;
        if (stop >= 0) n += sink.runLines ?? 0;
        start = chunk.bytes.indexOf(0x0a, lineStop) + 1;
      }
    }
    return { taken, answers, runs };
  };
  const encoder = new TextEncoder();
  const whole = read([new ByteChunk(encoder.encode(lines.join("\n") + "\n"))]);
  const single = read(lines.map((line) => new ByteChunk(encoder.encode(line + "\n"))));
  assert.ok(whole.runs > 1000 && single.runs === 0, `${whole.runs} ${single.runs}`);
  assert.ok(whole.taken.length > 2500);
  assert.deepEqual(whole.taken, single.taken);
  assert.deepEqual(whole.answers, single.answers);
  // Every kernel-read line carries a print, and it is the one of its id (`idPrintAt`).
  const prints = whole.taken.filter((t) => t[4] === t[4]);
  assert.ok(prints.length > 2500);
  for (const [, text, , , print] of prints) {
    assert.equal(print, idPrintAt(encoder.encode(JSON.parse(text).event_id), 0));
  }
});
