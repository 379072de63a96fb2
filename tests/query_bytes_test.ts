/**
 * `query`'s byte path (`write_ordered.ts`): the lines it writes equal
 * `encodeEvent` of `queryEvents` (gather, sort, each id once) whatever the
 * logs hold: copies of one id in other logs and spellings (case, escapes,
 * UUIDs), Python lines, `\r\n` ends, a last line without one, lines out of
 * order, Python's NaN; gathered or streamed, on workers or not. And the
 * pieces: prints of ids, the repeated ones, the first copy of each id.
 */
import assert from "node:assert/strict";
import { dirname } from "node:path";
import { encodeEvent } from "../src/event/line_codec.ts";
import type { Event } from "../src/event/envelope.ts";
import { queryEvents } from "../src/query/query.ts";
import { LineWriter } from "../src/query/block_merge.ts";
import { firstCopies, idPrintAt, IdPrints } from "../src/query/id_prints.ts";
import { ByteChunk } from "../src/read/byte_scan.ts";
import { LineKernel, SLOT } from "../src/read/wasm/line_kernel.ts";
import { repeatedHashes } from "../src/event/repeated_hashes.ts";
import { indexLog } from "../src/query/line_index.ts";
import { IdSet } from "../src/event/id_set.ts";
import { ProjectLayout } from "../src/store/project_layout.ts";
import { prng, pythonLine } from "../bench/generate.ts";
import { payload } from "./helpers.ts";
import { sampleEvent } from "./store_contract.ts";
import { printed } from "./printed_query.ts";

const SEED = Number(Deno.env.get("KITTY_SEED") ?? 1707);

/** An id spelled another way: lower case, a JSON escape, or as it is. */
function spelling(line: string, id: string, how: number): string {
  if (how === 0) return line.replace(id, id.toLowerCase());
  if (how === 1) {
    return line.replace(`"${id}"`, `"\\u00${id.charCodeAt(0).toString(16)}${id.slice(1)}"`);
  }
  return line;
}

async function project(seed: number): Promise<{ layout: ProjectLayout; logs: string[] }> {
  const rand = prng(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  const layout = new ProjectLayout(await Deno.makeTempDir());
  const events: Event[] = [];
  const logs: string[] = [];
  for (let f = 0; f < 4; f++) {
    const feature = `04${f}-b`;
    const path = layout.logPath(feature);
    await Deno.mkdir(dirname(path), { recursive: true });
    const lines: string[] = [];
    let clock = 0;
    for (let i = 0; i < 250; i++) {
      clock += Math.floor(rand() * 3);
      const r = rand();
      let event: Event;
      if (r < 0.12 && events.length > 0) {
        // A copy of an event met before (first copy by the order), maybe in another spelling.
        const copy = pick(events);
        event = { ...copy, lamport_clock: clock };
      } else {
        event = sampleEvent({
          aggregate_id: feature,
          lamport_clock: clock,
          node_id: pick(["a", "b", "ü"]),
          event_type: rand() < 0.75 ? "ExecutionEvent" : "PhaseCompleted",
          payload: payload({ wp_id: pick(["WP01", "WP02"]), note: pick(["x", "é", "\u2028"]) }),
          ...(rand() < 0.05 ? { event_id: crypto.randomUUID() } : {}),
        });
        events.push(event);
      }
      let line = rand() < 0.15 ? pythonLine(event) : encodeEvent(event);
      if (rand() < 0.2) line = spelling(line, event.event_id, Math.floor(rand() * 2));
      const end = rand() < 0.05 ? "\r\n" : "\n";
      lines.push(rand() < 0.03 ? "{broken" + end : line + end);
    }
    // One log out of clock order (two lines swap); the others stay in order.
    if (f === 1) [lines[10], lines[200]] = [lines[200], lines[10]];
    const text = lines.join("");
    // The last line without its newline.
    await Deno.writeTextFile(path, rand() < 0.5 ? text.replace(/\r?\n$/, "") : text);
    logs.push(path);
  }
  return { layout, logs };
}

Deno.test("query's bytes equal encodeEvent of gather-sort-each-id-once, on random logs", async () => {
  for (let round = 0; round < 6; round++) {
    const seed = SEED + round;
    const { layout } = await project(seed);
    for (const filter of [{}, { wps: ["WP01"] }, { types: ["PhaseCompleted"] }]) {
      const expectedWarnings: string[] = [];
      const expected = (await queryEvents(layout, filter, (w) => expectedWarnings.push(w)))
        .map(encodeEvent);
      assert.ok(expected.length > 50, `seed ${seed}`);
      for (const options of [{ gather: 100_000 }, { gather: 0 }, { gather: 0, workers: 1 }]) {
        const got = await printed(layout, filter, { ...options, minWorkerBytes: 0 });
        const where = `seed ${seed} ${JSON.stringify(filter)} ${JSON.stringify(options)}`;
        assert.deepEqual(got.lines, expected, where);
        assert.deepEqual(got.warnings.sort(), [...expectedWarnings].sort(), where);
      }
    }
  }
});

Deno.test("query --limit stops at the first N lines of the order", async () => {
  const { layout } = await project(SEED + 99);
  const all = (await queryEvents(layout, {}, () => {})).map(encodeEvent);
  for (const gather of [0, 100_000]) {
    const { lines } = await printed(layout, {}, { gather, limit: 7 });
    assert.deepEqual(lines, all.slice(0, 7));
  }
});

Deno.test("a Python NaN line out of order is not merged as if in order", async () => {
  const layout = new ProjectLayout(await Deno.makeTempDir());
  const path = layout.logPath("041-nan");
  await Deno.mkdir(dirname(path), { recursive: true });
  const late = sampleEvent({ aggregate_id: "041-nan", lamport_clock: 1 });
  const lines = [5, 6, 7].map((c) =>
    encodeEvent(sampleEvent({ aggregate_id: "041-nan", lamport_clock: c }))
  );
  lines.push(pythonLine(late).replace('"cost_usd": null', '"cost_usd": NaN'));
  assert.ok(lines[3].includes("NaN"));
  await Deno.writeTextFile(path, lines.join("\n") + "\n");
  const index = await indexLog(path, Infinity, {}, () => {}, { left: 1 << 24 });
  assert.equal(index.inOrder, false);
  const expected = (await queryEvents(layout, {}, () => {})).map(encodeEvent);
  assert.equal(JSON.parse(expected[0]).lamport_clock, 1);
  assert.deepEqual((await printed(layout, {}, { gather: 0 })).lines, expected);
});

Deno.test("the order check prints every 26-character id once per line, as text or bytes", async () => {
  const path = await Deno.makeTempFile();
  const events = Array.from({ length: 40 }, (_, i) => sampleEvent({ lamport_clock: i + 1 }));
  const lines = events.map((e, i) => i % 3 === 0 ? pythonLine(e) : encodeEvent(e));
  lines.push(encodeEvent(sampleEvent({ event_id: crypto.randomUUID() })), "junk");
  await Deno.writeTextFile(path, lines.join("\n") + "\n");
  const index = await indexLog(path, Infinity, {}, () => {}, { left: 1 << 24 });
  const expected = new IdPrints();
  for (const e of events) expected.text(e.event_id);
  assert.deepEqual([...index.prints.list()].sort(), [...expected.list()].sort());
  assert.equal(index.prints.list().length, 40);
  assert.equal(index.prints.others, 1); // the UUID
});

Deno.test("repeatedHashes finds exactly the prints met twice, across lists", () => {
  const rand = prng(SEED);
  const lists = Array.from(
    { length: 3 },
    () => Float64Array.from({ length: 50_000 }, () => Math.floor(rand() * 2 ** 52)),
  );
  for (let k = 0; k < 40; k++) lists[(k + 1) % 3][k * 13 + 3] = lists[k % 3][k * 5];
  lists[0][9] = lists[0][10]; // twice in one list
  const counts = new Map<number, number>();
  for (const list of lists) for (const p of list) counts.set(p, (counts.get(p) ?? 0) + 1);
  const expected = [...counts].filter(([, n]) => n > 1).map(([p]) => p).sort((a, b) => a - b);
  assert.ok(expected.length >= 40);
  assert.deepEqual([...repeatedHashes(lists)], expected);
});

Deno.test("idPrint: equal ids print equal in any case; any character counts; the kernel prints alike", () => {
  const prints = new IdPrints();
  prints.text("01KHJVJWDM0HGAGYGXJYKD1JQG");
  prints.bytes(new TextEncoder().encode('x01khjvjwdm0hgagygxjykd1jqg"'), 1);
  prints.bytes(new TextEncoder().encode("01khjvjwdm0hgagygxjykd1jqg,"), 0); // no closing quote
  prints.bytes(new TextEncoder().encode('01KHJVJWDM0HGAGYGXJYKD1JQU"'), 0); // no Crockford id
  const [a, b] = prints.list();
  assert.equal(prints.list().length, 2);
  assert.equal(prints.others, 2);
  assert.equal(a, b);
  // One character changed anywhere: another print.
  const base = "01KHJVJWDM0HGAGYGXJYKD1JQG";
  const all = new Set<number>();
  for (let i = 0; i < 26; i++) {
    for (const c of "0123456789ABCDEFGHJKMNPQRSTVWXYZ") {
      all.add(idPrintAt(new TextEncoder().encode(base.slice(0, i) + c + base.slice(i + 1)), 0));
    }
  }
  assert.equal(all.size, 26 * 31 + 1);
  // The kernel's SLOT.idHash of a line it reads is the same print (query files either).
  const rand = prng(SEED + 9);
  const lines = Array.from({ length: 200 }, (_, i) => {
    const id = [...Array(26)].map(() =>
      "0123456789abcdefghjkmnpqrstvwxyzABCDEFGHJKMNPQRSTVWXYZ"[Math.floor(rand() * 54)]
    ).join("");
    const event = sampleEvent({ event_id: id, lamport_clock: i + 1 });
    return i % 2 ? pythonLine(event) : encodeEvent(event);
  });
  const bytes = new TextEncoder().encode(lines.join("\n") + "\n");
  const kernel = new LineKernel();
  kernel.load(new ByteChunk(bytes));
  assert.equal(kernel.run(0), 200);
  for (let i = 0; i < 200; i++) {
    const r = kernel.records.subarray(i * 32, i * 32 + 32);
    const id = new TextEncoder().encode(JSON.parse(lines[i]).event_id.toUpperCase());
    assert.equal(r[SLOT.idHash], idPrintAt(id, 0), lines[i]);
  }
});

Deno.test("firstCopies with prints says what an exact set of every id says", () => {
  const rand = prng(SEED + 5);
  const ids = Array.from(
    { length: 3000 },
    (_, i) => i % 50 === 0 ? crypto.randomUUID() : `01KHJVJWDM0HGAGY${String(i).padStart(10, "0")}`,
  );
  const lines: string[] = [];
  for (let i = 0; i < 6000; i++) {
    const id = ids[Math.floor(rand() * rand() * ids.length)];
    const how = Math.floor(rand() * 3);
    const spelled = how === 0 ? id.toLowerCase() : how === 1 ? id.toUpperCase() : id;
    lines.push(`{"event_id":${JSON.stringify(spelled)},"n":${i}}`);
  }
  const prints = new IdPrints();
  for (const l of lines) prints.text(JSON.parse(l).event_id);
  const repeated = new Set(repeatedHashes([prints.list()]));
  assert.ok(repeated.size > 100);
  const exact = new IdSet();
  const expected = lines.map((l) => exact.add(JSON.parse(l).event_id));
  const bytes = lines.map((l) => new TextEncoder().encode(l));
  for (const set of [repeated, undefined]) {
    const first = firstCopies(set);
    assert.deepEqual(bytes.map((b) => first(b, 0)), expected);
  }
  // No print repeated: every 26-character id is first; other forms still checked exactly.
  const none = firstCopies(new Set());
  const uuid = new TextEncoder().encode(`{"event_id":"${ids[0]}"}`);
  assert.deepEqual([none(bytes[0], 0), none(bytes[0], 0), none(uuid, 0), none(uuid, 0)], [
    true,
    true,
    true,
    false,
  ]);
});

Deno.test("LineWriter writes lines in order, each write at a line's end, long lines alone", async () => {
  const writes: string[] = [];
  const out = new LineWriter((bytes) => {
    writes.push(new TextDecoder().decode(bytes));
    return Promise.resolve();
  }, 16);
  const b = "b".repeat(25) + "\n", d = "d".repeat(12) + "\n", e = "e".repeat(15) + "\n";
  const g = "g".repeat(14) + "\n"; // one byte past the room left after "f\n"
  const lines = ["aaaa\n", b, "cc\n", d, e, "f\n", g];
  for (const line of lines) {
    const bytes = new TextEncoder().encode("<" + line);
    if (!out.put(bytes, 1, bytes.length)) await out.add(bytes, 1, bytes.length);
  }
  await out.flush();
  assert.deepEqual(writes, ["aaaa\n", b, "cc\n" + d, e, "f\n", g]);
  assert.equal(out.lines, 7);
});

Deno.test("ties across logs go by node, then id, then log, on this thread and on workers", async () => {
  const layout = new ProjectLayout(await Deno.makeTempDir());
  // Per clock: nodes in an order their logs and ids do not follow.
  const nodes = ["z", "ü", "b", "a", "a"];
  for (let f = 0; f < nodes.length; f++) {
    const path = layout.logPath(`04${f}-tie`);
    await Deno.mkdir(dirname(path), { recursive: true });
    const lines = Array.from({ length: 300 }, (_, i) =>
      encodeEvent(sampleEvent({
        aggregate_id: `04${f}-tie`,
        lamport_clock: i + 1,
        node_id: nodes[(f + i) % nodes.length], // each log names every node
        event_id: `01KHJVJWDM0HGAGYGX${f === 3 ? "Z" : "0"}${String(i).padStart(4, "0")}${f}00`,
      })));
    await Deno.writeTextFile(path, lines.join("\n") + "\n");
  }
  const expected = (await queryEvents(layout, {}, () => {})).map(encodeEvent);
  assert.deepEqual(
    expected.slice(0, 5).map((l) => [JSON.parse(l).node_id, JSON.parse(l).aggregate_id]),
    [["a", "044-tie"], ["a", "043-tie"], ["b", "042-tie"], ["z", "040-tie"], ["ü", "041-tie"]],
  );
  for (const workers of [0, 1, 2]) {
    const { lines } = await printed(layout, {}, { gather: 0, workers, minWorkerBytes: 0 });
    assert.deepEqual(lines, expected, `workers ${workers}`);
  }
});

Deno.test("a log's blocks cover only the bytes read first (a line appended since waits)", async () => {
  const { BlockBuilder, logBlocks } = await import("../src/query/line_blocks.ts");
  const path = await Deno.makeTempFile();
  const lines = [1, 2, 3].map((c) => encodeEvent(sampleEvent({ lamport_clock: c })) + "\n");
  await Deno.writeTextFile(path, lines.slice(0, 2).join(""));
  const size = (await Deno.stat(path)).size;
  await Deno.writeTextFile(path, lines[2], { append: true }); // appended after the first reading
  const range = { start: 0, end: size };
  const blocks = await Array.fromAsync(
    logBlocks(path, {}, () => {}, () => new BlockBuilder(), range),
  );
  assert.deepEqual(blocks.map((b) => [...b.clocks.subarray(0, b.count)]), [[1, 2]]);
});

Deno.test("logs of copied lines only (no line decoded) stream byte for byte", async () => {
  const layout = new ProjectLayout(await Deno.makeTempDir());
  for (let f = 0; f < 3; f++) {
    const path = layout.logPath(`04${f}-copy`);
    await Deno.mkdir(dirname(path), { recursive: true });
    const lines = Array.from({ length: 400 }, (_, i) =>
      encodeEvent(sampleEvent({
        aggregate_id: `04${f}-copy`,
        lamport_clock: 3 * i + f,
        event_type: i % 4 === 0 ? "PhaseCompleted" : "ExecutionEvent",
      })));
    await Deno.writeTextFile(path, lines.join("\n") + "\n");
  }
  const expected = (await queryEvents(layout, {}, () => {})).map(encodeEvent);
  assert.equal(expected.length, 1200);
  for (const workers of [0, 1]) {
    const { lines } = await printed(layout, {}, { gather: 0, workers, minWorkerBytes: 0 });
    assert.deepEqual(lines, expected, `workers ${workers}`);
  }
});
