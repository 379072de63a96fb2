import assert from "node:assert/strict";
import { join } from "node:path";
import { JsonlStore } from "../src/store/jsonl_store.ts";
import { encodeEvent } from "../src/event/line_codec.ts";
import { readLines } from "../src/read/line_reader.ts";
import { sampleEvent } from "./store_contract.ts";
import { tempProject } from "./helpers.ts";

function storeWithWarnings(root: string) {
  const warnings: string[] = [];
  return { store: new JsonlStore(root, { onWarning: (m) => warnings.push(m) }), warnings };
}

function logPath(root: string, feature: string) {
  return join(root, "kitty-specs", feature, "execution.events.jsonl");
}

Deno.test("JsonlStore writes kitty-specs/<feature>/execution.events.jsonl, creating folders", async () => {
  const root = await tempProject();
  const event = sampleEvent({ aggregate_id: "050-new" });
  await new JsonlStore(root).save(event);
  assert.equal(await Deno.readTextFile(logPath(root, "050-new")), encodeEvent(event) + "\n");
  assert.equal(
    await Deno.readTextFile(join(root, "kitty-specs", "050-new", ".telemetry-clock.json")),
    `{"node-a": ${event.lamport_clock}}`,
  );
});

Deno.test("save is idempotent across two store instances on the same root", async () => {
  const root = await tempProject();
  const event = sampleEvent();
  assert.equal(await new JsonlStore(root).save(event), true);
  assert.equal(await new JsonlStore(root).save(event), false);
  assert.equal((await Deno.readTextFile(logPath(root, event.aggregate_id))).split("\n").length, 2);
});

Deno.test("a malformed line is skipped with one warning naming file and line; reads go on", async () => {
  const root = await tempProject();
  const [a, b] = [sampleEvent(), sampleEvent()];
  const path = logPath(root, a.aggregate_id);
  await Deno.mkdir(join(root, "kitty-specs", a.aggregate_id), { recursive: true });
  await Deno.writeTextFile(
    path,
    [encodeEvent(a), "{not json", "", "   ", "[1]", '{"event_id": "x"}', encodeEvent(b), ""]
      .join("\n"),
  );
  const { store, warnings } = storeWithWarnings(root);
  assert.deepEqual((await store.loadAggregate(a.aggregate_id)).map((e) => e.event_id), [
    a.event_id,
    b.event_id,
  ]);
  assert.equal(warnings.length, 3);
  assert.match(warnings[0], new RegExp(`^${path}:2: skipped malformed line: invalid JSON`));
  assert.match(warnings[1], new RegExp(`^${path}:5: skipped malformed line: not a JSON object`));
  assert.match(warnings[2], new RegExp(`^${path}:6: skipped malformed line: event_id`));
});

Deno.test("a torn last line is reported once, and the next save starts on a fresh line", async () => {
  const root = await tempProject();
  const first = sampleEvent();
  const path = logPath(root, first.aggregate_id);
  const { store, warnings } = storeWithWarnings(root);
  await store.save(first);
  const torn = encodeEvent(sampleEvent()).slice(0, 40);
  await Deno.writeTextFile(path, torn, { append: true });

  assert.equal((await store.loadAll()).length, 1);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /:2: skipped malformed line: torn last line/);

  const next = sampleEvent();
  assert.equal(await store.save(next), true);
  const text = await Deno.readTextFile(path);
  assert.equal(text, `${encodeEvent(first)}\n${torn}\n${encodeEvent(next)}\n`);
  warnings.length = 0;
  assert.deepEqual((await store.loadAll()).map((e) => e.event_id), [first.event_id, next.event_id]);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /:2: skipped malformed line: invalid JSON/);
});

Deno.test("a valid last line without a newline is read, and the next save does not glue to it", async () => {
  const root = await tempProject();
  const first = sampleEvent();
  const path = logPath(root, first.aggregate_id);
  await Deno.mkdir(join(root, "kitty-specs", first.aggregate_id), { recursive: true });
  await Deno.writeTextFile(path, encodeEvent(first));
  const { store, warnings } = storeWithWarnings(root);
  const next = sampleEvent();
  await store.save(next);
  assert.equal((await store.loadAll()).length, 2);
  assert.deepEqual(warnings, []);
});

Deno.test("save with freshId trusts the caller and skips the duplicate scan", async () => {
  const root = await tempProject();
  const event = sampleEvent();
  const store = new JsonlStore(root);
  await store.save(event, { freshId: true });
  // The scan is what makes a repeat a no-op; a caller that lies gets a duplicate line.
  await store.save(event, { freshId: true });
  assert.equal(
    (await Deno.readTextFile(logPath(root, event.aggregate_id))).trim().split("\n").length,
    2,
  );
});

Deno.test("loadAll walks feature folders and ignores stray files and folders without logs", async () => {
  const root = await tempProject();
  const store = new JsonlStore(root);
  await store.save(sampleEvent({ aggregate_id: "002-b" }));
  await store.save(sampleEvent({ aggregate_id: "001-a" }));
  await Deno.mkdir(join(root, "kitty-specs", "003-empty"));
  await Deno.writeTextFile(join(root, "kitty-specs", "README.md"), "hi");
  assert.deepEqual((await store.loadAll()).map((e) => e.aggregate_id).sort(), ["001-a", "002-b"]);
});

Deno.test("reading a 64 MiB stream holds one chunk, not the whole stream, in memory", async () => {
  // In a process of its own: the suite's other test files share this one's
  // memory, and their workers would make its growth noise.
  const code = `
    const { readLines } = await import(${
    JSON.stringify(new URL("../src/read/line_reader.ts", import.meta.url).href)
  });
    const line = new TextEncoder().encode(${JSON.stringify(encodeEvent(sampleEvent()) + "\n")});
    const chunk = new Uint8Array(Math.floor(262_144 / line.length) * line.length);
    for (let i = 0; i < chunk.length; i += line.length) chunk.set(line, i);
    const chunks = Math.ceil((64 * 1024 * 1024) / chunk.length);
    let sent = 0;
    const stream = new ReadableStream({
      pull(controller) {
        if (sent++ < chunks) controller.enqueue(chunk.slice());
        else controller.close();
      },
    });
    const before = Deno.memoryUsage().rss;
    let peak = before;
    let count = 0;
    for await (const _ of readLines(stream)) {
      if (++count % 50_000 === 0) peak = Math.max(peak, Deno.memoryUsage().rss);
    }
    console.log(JSON.stringify({ count, expected: chunks * (chunk.length / line.length), grew: peak - before }));
  `;
  const out = await new Deno.Command(Deno.execPath(), { args: ["eval", code], stdout: "piped" })
    .output();
  assert.ok(out.success);
  const { count, expected, grew } = JSON.parse(new TextDecoder().decode(out.stdout));
  assert.equal(count, expected);
  // Generous bound: the whole stream is 64 MiB; holding it would exceed this.
  assert.ok(grew < 48 * 1024 * 1024, `rss grew by ${grew >> 20} MiB`);
});

Deno.test("readLines splits CRLF and LF, keeps multi-byte characters across chunk edges", async () => {
  const bytes = new TextEncoder().encode("a\r\nb€\nc");
  const chunks = [bytes.slice(0, 5), bytes.slice(5, 6), bytes.slice(6)];
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const c of chunks) controller.enqueue(c);
      controller.close();
    },
  });
  const lines = await Array.fromAsync(readLines(stream));
  assert.deepEqual(lines, [
    { text: "a", number: 1, complete: true },
    { text: "b€", number: 2, complete: true },
    { text: "c", number: 3, complete: false },
  ]);
});
