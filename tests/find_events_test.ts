import assert from "node:assert/strict";
import { join } from "node:path";
import { findEvents } from "../src/read/find_events.ts";
import { encodeEvent } from "../src/event/line_codec.ts";
import { sampleEvent } from "./store_contract.ts";
import { tempProject } from "./helpers.ts";

Deno.test("findEvents finds ids anywhere in a multi-MiB log, across read chunks", async () => {
  const events = Array.from({ length: 12_000 }, () => sampleEvent());
  const path = join(await tempProject(), "log.jsonl");
  await Deno.writeTextFile(path, events.map((e) => encodeEvent(e) + "\n").join(""));
  assert.ok((await Deno.stat(path)).size > 2 * 1024 * 1024);
  const wanted = [events[0], events[2390], events[2391], events[7000], events.at(-1)!];
  const found = await findEvents(
    path,
    new Set([...wanted.map((e) => e.event_id), "01KHJVJWDM0HGAGYGXZZZZZZZZ"]),
  );
  assert.deepEqual([...found.keys()].sort(), wanted.map((e) => e.event_id).sort());
  assert.deepEqual(found.get(events[7000].event_id), events[7000]);
});

Deno.test("findEvents ignores an id that appears only inside another event", async () => {
  const target = sampleEvent();
  const other = sampleEvent({ causation_id: target.event_id });
  const path = join(await tempProject(), "log.jsonl");
  await Deno.writeTextFile(path, encodeEvent(other) + "\n" + encodeEvent(target)); // no final newline
  const found = await findEvents(path, new Set([target.event_id]));
  assert.deepEqual(found.get(target.event_id), target);
  await Deno.writeTextFile(path, encodeEvent(other) + "\n");
  assert.equal((await findEvents(path, new Set([target.event_id]))).size, 0);
});

Deno.test("findEvents with many ids reads each line's id once: any layout, any spelling, no false hits", async () => {
  const { pythonLine } = await import("../bench/generate.ts");
  const events = Array.from({ length: 3000 }, () => sampleEvent());
  const cause = sampleEvent({ causation_id: events[5].event_id });
  const lines = events.map((e, i) => i % 3 === 0 ? pythonLine(e) : encodeEvent(e));
  const path = join(await tempProject(), "log.jsonl");
  await Deno.writeTextFile(path, [encodeEvent(cause), ...lines].join("\n") + "\n");
  const wanted = events.filter((_, i) => i % 7 === 5);
  const ids = new Set(wanted.map((e, i) => i % 2 ? e.event_id.toLowerCase() : e.event_id));
  ids.add("01KHJVJWDM0HGAGYGXZZZZZZZZ");
  const found = await findEvents(path, ids);
  assert.equal(found.size, wanted.length);
  assert.ok(wanted.length > 400);
  for (const e of wanted) assert.deepEqual(found.get(e.event_id), e);
});
