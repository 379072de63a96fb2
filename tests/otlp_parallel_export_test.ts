/**
 * A file export's second read on several threads (`src/export/parallel_export.ts`):
 * small ranges on two threads give the same bytes as one thread reading the
 * logs whole (each id once, the settled copies of repeated ids last, lines of
 * 1,000 items), filtered or not, every line a valid OTLP object.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { encodeEvent } from "../src/event/line_encode.ts";
import { ulidFactory } from "../src/event/ulid.ts";
import { defaultPricing } from "../src/cost/builtin_pricing.ts";
import { idHashOf } from "../src/cost/id_hash.ts";
import { repeatedHashes } from "../src/event/repeated_hashes.ts";
import { fileSize } from "../src/export/export_scan.ts";
import { exportLines, type ExportPlan } from "../src/export/parallel_export.ts";
import { LineBreaks } from "../src/export/line_bytes.ts";
import { lineEnds } from "../src/export/otlp_encode.ts";
import { OTLP_PYTHON, projectWith, validateOtlp } from "./otlp/otlp_helpers.ts";

type Item = { attributes: { key: string; value: Record<string, unknown> }[] };

async function written(plan: ExportPlan): Promise<string> {
  const parts: Uint8Array<ArrayBuffer>[] = [];
  // Copies: the buffer is reused once the write resolves.
  await exportLines(plan, (bytes) => Promise.resolve(void parts.push(bytes.slice())));
  return new TextDecoder().decode(await new Blob(parts).bytes());
}

/** Equal texts (a difference shown where it starts, not 6 MB of it). */
function sameText(actual: string, expected: string): void {
  let at = 0;
  while (at < expected.length && actual[at] === expected[at]) at++;
  assert.deepEqual(
    { at, length: actual.length, there: actual.slice(at - 40, at + 80) },
    { at: expected.length, length: expected.length, there: expected.slice(at - 40, at + 80) },
  );
}

function lineItems(signal: "traces" | "logs", text: string): string[][] {
  return text.trimEnd().split("\n").map((line) => {
    const data = JSON.parse(line);
    const list: Item[] = signal === "traces"
      ? data.resourceSpans[0].scopeSpans[0].spans
      : data.resourceLogs[0].scopeLogs[0].logRecords;
    return list.map((item) => JSON.stringify(item));
  });
}

for (const signal of ["traces", "logs"] as const) {
  Deno.test(`${signal}: two threads over small ranges write what one thread writes`, async () => {
    const shapes = (i: number) =>
      i % 5 === 1 ? { success: false, exit_code: 2, error: `boom ${i} "é"` } : {};
    const { root, events } = await projectWith(3000, shapes);
    const path = join(root, "kitty-specs", "043-otel", "execution.events.jsonl");
    // Repeated ids: an exact copy and a conflicting later copy.
    const conflict = {
      ...events[7],
      lamport_clock: 9999,
      payload: { ...events[7].payload, agent: "x" },
    };
    await Deno.writeTextFile(
      path,
      encodeEvent(events[3]) + "\n" + encodeEvent(conflict) + "\n",
      { append: true },
    );
    // A second log, its own ids.
    const newId = ulidFactory({ now: () => 1_767_225_600_000, random: (b) => b.fill(9) });
    const other = events.slice(0, 1200).map((e) => ({
      ...e,
      event_id: newId(),
      aggregate_id: "044-other",
      payload: { ...e.payload, agent: "codex" },
    }));
    const paths = [path, join(root, "kitty-specs", "044-other", "execution.events.jsonl")];
    await Deno.mkdir(join(root, "kitty-specs", "044-other"));
    await Deno.writeTextFile(paths[1], other.map((e) => encodeEvent(e) + "\n").join(""));
    const ids = [...events, events[3], conflict, ...other].map((e) => idHashOf(e.event_id));
    const plan: ExportPlan = {
      paths,
      sizes: await Promise.all(paths.map(fileSize)),
      options: {
        filter: {},
        pricing: defaultPricing(),
        repeated: repeatedHashes([Float64Array.from(ids)]),
      },
      signal,
      project: "p",
    };
    const one = await written({ ...plan, threads: 1 });
    const two = await written({ ...plan, threads: 2, rangeBytes: 20_000 });
    // The same bytes: lines break every 1,000 items counted across the ranges, however many.
    sameText(two, one);
    const oneLines = lineItems(signal, one);
    assert.deepEqual(oneLines.map((items) => items.length), [1000, 1000, 1000, 1000, 200]);
    // Each id once; the copy kept of the conflicting id is the first in clock order, written
    // last (after the 4,198 events of ids seen once).
    const kept = oneLines.flat().map((item) => JSON.parse(item) as Item);
    const eventIds = kept.map((item) =>
      item.attributes.find((a) => a.key === "kitty.event_id")!.value.stringValue
    );
    assert.equal(new Set(eventIds).size, 4200);
    assert.deepEqual(eventIds.slice(-2), [events[3].event_id, events[7].event_id]);
    assert.equal(
      kept.at(-1)!.attributes.find((a) => a.key === "gen_ai.agent.name")!.value.stringValue,
      "claude",
    );
    // Ranges of about a line to a hundred lines, on one thread and on two; and a filter.
    for (const rangeBytes of [1_500, 50_000]) {
      sameText(await written({ ...plan, threads: 1, rangeBytes }), one);
      sameText(await written({ ...plan, threads: 2, rangeBytes }), one);
    }
    const codex = { ...plan, options: { ...plan.options, filter: { agents: ["codex"] } } };
    const codexOne = await written({ ...codex, threads: 1 });
    assert.deepEqual(lineItems(signal, codexOne).map((items) => items.length), [1000, 200]);
    sameText(await written({ ...codex, threads: 2, rangeBytes: 7_000 }), codexOne);
    if (OTLP_PYTHON.python) assert.equal(await validateOtlp(signal, two), oneLines.length);
  });
}

Deno.test("the encoder waits for a slow writer: the buffers ahead of it stay few", async () => {
  const { root } = await projectWith(40_000);
  const path = join(root, "kitty-specs", "043-otel", "execution.events.jsonl");
  const size = await fileSize(path);
  const options = { filter: {}, pricing: defaultPricing(), repeated: new Float64Array() };
  let written = 0;
  let grown = 0;
  let before = 0;
  await exportLines(
    { paths: [path], sizes: [size], options, signal: "traces", project: "p" },
    async (bytes) => {
      if (written === 0) {
        // Stalled long enough for the whole log to be encoded, if nothing held it back.
        before = Deno.memoryUsage().external;
        await new Promise((done) => setTimeout(done, 400));
        grown = Deno.memoryUsage().external - before;
      }
      written += bytes.length;
    },
  );
  // Not vacuous: the output is many times what may wait.
  assert.ok(written > 40 * (1 << 20), `${written} bytes`);
  assert.ok(grown < 8 * (1 << 20), `${grown} bytes of buffers while the writer stalled`);
});

Deno.test("lines break every 1,000 items however the items are cut into chunks", () => {
  const items = Array.from({ length: 2500 }, (_, i) => `{"i":${i}}`);
  const { open, close } = lineEnds("logs", "p");
  const want = [items.slice(0, 1000), items.slice(1000, 2000), items.slice(2000)]
    .map((line) => open + line.join(",") + close + "\n").join("");
  const all = new TextEncoder().encode(items.map((item) => "," + item).join(""));
  const starts: number[] = [];
  for (let at = 0, i = 0; i < items.length; at += items[i].length + 1, i++) starts.push(at);
  // One chunk of all 2,500 (lines break inside it), then cuts anywhere (inside items too).
  // A line's first item one byte into a chunk, and at a chunk's very start.
  const edges = [starts[1000] - 1, starts[2000]];
  for (const cuts of [[], [1], [5000, 5001, 17_000], [4, 9000, 9001, 9002, 20_000], edges]) {
    const breaks = new LineBreaks("logs", "p");
    let text = "";
    const bounds = [0, ...cuts, all.length];
    for (let c = 0; c + 1 < bounds.length; c++) {
      const [from, to] = [bounds[c], bounds[c + 1]];
      const inChunk = starts.filter((at) => at >= from && at < to).map((at) => at - from);
      const chunk = { bytes: all.subarray(from, to), starts: Int32Array.from(inChunk) };
      for (const piece of breaks.pieces(chunk)) text += new TextDecoder().decode(piece);
    }
    for (const piece of breaks.end()) text += new TextDecoder().decode(piece);
    sameText(text, want);
  }
  assert.deepEqual(new LineBreaks("logs", "p").end(), []);
});

/** The plan of a file export of `signal` over one log of 40,000 events. */
async function bigPlan(signal: ExportPlan["signal"]): Promise<ExportPlan> {
  const { root } = await projectWith(40_000);
  const path = join(root, "kitty-specs", "043-otel", "execution.events.jsonl");
  const options = { filter: {}, pricing: defaultPricing(), repeated: new Float64Array() };
  return { paths: [path], sizes: [await fileSize(path)], options, signal, project: "p" };
}

Deno.test("a worker's buffers are views of its shared memory, filled again only once written", async () => {
  const plan = await bigPlan("traces");
  const one = await written({ ...plan, threads: 1 });
  // The worker alone encodes (dozens of buffers through its few), the writer slow: each
  // write waits a turn of the event loop, so the worker runs ahead till it must wait.
  const parts: Uint8Array<ArrayBuffer>[] = [];
  let shared = 0;
  let copied = 0;
  await exportLines(
    { ...plan, threads: 2, encodeHere: false, rangeBytes: 1 << 20 },
    async (bytes) => {
      // Not the text between lines: the buffers the items were written into.
      if (bytes.length > 4096) bytes.buffer instanceof SharedArrayBuffer ? shared++ : copied++;
      await new Promise((done) => setTimeout(done, 0));
      parts.push(bytes.slice());
    },
  );
  sameText(new TextDecoder().decode(await new Blob(parts).bytes()), one);
  assert.ok(one.length > 40 * (1 << 20), `${one.length} bytes`);
  assert.deepEqual({ copied, many: shared > 40 }, { copied: 0, many: true });
});

Deno.test("a failed write ends a two-thread export with its error, though the worker waits on it", async () => {
  let writes = 0;
  const plan: ExportPlan = {
    ...await bigPlan("logs"),
    threads: 2,
    encodeHere: false,
    rangeBytes: 1 << 20,
  };
  await assert.rejects(
    exportLines(plan, async () => {
      // The worker meanwhile fills its buffers and waits (Atomics.wait) for these to be written.
      await new Promise((done) => setTimeout(done, 50));
      if (++writes === 3) throw new Error("disk full");
    }),
    /disk full/,
  );
  assert.equal(writes, 3);
});
