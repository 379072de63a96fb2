/**
 * The streamed, merged query must give exactly what gathering every match
 * and sorting gives: same events, same order (ties in log order), every
 * malformed line reported once, whether logs are in clock order or not.
 */
import assert from "node:assert/strict";
import { dirname } from "node:path";
import { orderedEvents } from "../src/query/ordered.ts";
import { queryEvents } from "../src/query/query.ts";
import { ProjectLayout } from "../src/store/project_layout.ts";
import { encodeEvent } from "../src/event/line_codec.ts";
import { pythonLine } from "../bench/generate.ts";
import { prng } from "../bench/generate.ts";
import { payload } from "./helpers.ts";
import { sampleEvent } from "./store_contract.ts";
import { printed } from "./printed_query.ts";

async function project(seed: number, shuffled: number[]): Promise<ProjectLayout> {
  const rand = prng(seed);
  const layout = new ProjectLayout(await Deno.makeTempDir());
  for (let f = 0; f < 4; f++) {
    const feature = `04${f}-x`;
    const path = layout.logPath(feature);
    await Deno.mkdir(dirname(path), { recursive: true });
    const lines: string[] = [];
    let clock = 0;
    for (let i = 0; i < 300; i++) {
      clock += Math.floor(rand() * 3); // repeats: ties broken by node, then id
      const event = sampleEvent({
        aggregate_id: feature,
        lamport_clock: clock,
        node_id: ["a", "b"][Math.floor(rand() * 2)],
        event_type: rand() < 0.8 ? "ExecutionEvent" : "PhaseCompleted",
        payload: payload({ wp_id: `WP0${Math.floor(rand() * 3)}` }),
      });
      const r = rand();
      lines.push(r < 0.05 ? "{broken" : r < 0.15 ? pythonLine(event) : encodeEvent(event));
    }
    if (shuffled.includes(f)) lines.sort(() => rand() - 0.5);
    // Sorting by id within a clock keeps ties deterministic in either path.
    await Deno.writeTextFile(path, lines.join("\n") + "\n");
  }
  return layout;
}

for (const shuffled of [[], [2], [0, 1, 2, 3]]) {
  Deno.test(`ordered query equals gather-and-sort (logs out of order: ${JSON.stringify(shuffled)})`, async () => {
    const layout = await project(7 + shuffled.length, shuffled);
    for (const filter of [{}, { wps: ["WP01"] }, { types: ["PhaseCompleted"] }]) {
      const expectedWarnings: string[] = [];
      const expected = await queryEvents(layout, filter, (w) => expectedWarnings.push(w));
      for (const gather of [0, 50, 100_000]) {
        const warnings: string[] = [];
        const got = (await Array.fromAsync(orderedEvents(layout, filter, (w) =>
          warnings.push(w), { gather })))
          .flat();
        assert.deepEqual(
          got.map((e) =>
            e.event_id
          ),
          expected.map((e) => e.event_id),
          `gather ${gather}`,
        );
        assert.deepEqual(got, expected);
        assert.deepEqual(warnings.sort(), [...expectedWarnings].sort(), `gather ${gather}`);
        // What `query` prints: the same lines, copied from the log where they are canonical.
        for (const workers of [0, 2]) {
          const out = await printed(layout, filter, { gather, workers, minWorkerBytes: 0 });
          assert.deepEqual(out.lines, expected.map(encodeEvent), `gather ${gather}`);
          assert.deepEqual(out.warnings.sort(), [...expectedWarnings].sort(), `gather ${gather}`);
        }
      }
    }
  });
}

Deno.test("logInOrder never calls a log in order whose events are not", async () => {
  const { logInOrder } = await import("../src/read/log_order.ts");
  const { scanLog } = await import("../src/read/log_reader.ts");
  const { compareEvents } = await import("../src/event/order.ts");
  const rand = prng(Number(Deno.env.get("KITTY_SEED") ?? 31));
  let inOrder = 0;
  for (let round = 0; round < 300; round++) {
    const lines: string[] = [];
    for (let i = 0; i < 30; i++) {
      const event = sampleEvent({
        lamport_clock: i + 1,
        node_id: ["a", "b", "c"][Math.floor(rand() * 3)],
        event_id: `01KHJVJWDM0HGAGYGXJYKD${String(i).padStart(4, "0")}`,
      });
      let line = rand() < 0.2 ? pythonLine(event) : encodeEvent(event);
      const r = rand();
      // Later duplicate keys (the last one wins in JSON), and stray characters.
      if (r < 0.01) line = line.replace(/}$/, ',"lamport_clock":0}');
      else if (r < 0.02) line = line.replace(/}$/, ',"node_id":"0"}');
      else if (r < 0.03) line = line.replace(/}$/, ',"event_id":"00000000000000000000000000"}');
      else if (r < 0.08) {
        const at = Math.floor(rand() * line.length);
        line = line.slice(0, at) + ['"', "\\", "_", "0", " "][Math.floor(rand() * 5)] +
          line.slice(at + 1);
      }
      lines.push(line);
      // Now and then two events change places.
      if (i > 0 && rand() < 0.01) [lines[i - 1], lines[i]] = [lines[i], lines[i - 1]];
    }
    const path = await Deno.makeTempFile({ suffix: ".jsonl" });
    await Deno.writeTextFile(path, lines.join("\n") + "\n");
    if (!(await logInOrder(path))) continue;
    inOrder++;
    const events = [];
    for await (const event of scanLog(path, () => {})) events.push(event);
    for (let i = 1; i < events.length; i++) {
      assert.ok(compareEvents(events[i - 1], events[i]) <= 0, lines.join("\n"));
    }
  }
  assert.ok(inOrder > 20, `${inOrder}`);
});

Deno.test("logs in clock order stream through the merge as copied and re-written lines, in order", async () => {
  const { logInOrder } = await import("../src/read/log_order.ts");
  const rand = prng(31);
  const layout = new ProjectLayout(await Deno.makeTempDir());
  for (let f = 0; f < 3; f++) {
    const path = layout.logPath(`04${f}-y`);
    await Deno.mkdir(dirname(path), { recursive: true });
    const lines: string[] = [];
    for (let i = 0; i < 400; i++) {
      const event = sampleEvent({
        aggregate_id: `04${f}-y`,
        lamport_clock: 3 * i + f, // strictly increasing: each log is in order
        event_type: rand() < 0.8 ? "ExecutionEvent" : "PhaseCompleted",
      });
      lines.push(rand() < 0.3 ? pythonLine(event) : encodeEvent(event));
    }
    await Deno.writeTextFile(path, lines.join("\n") + "\n");
    assert.equal(await logInOrder(path), true);
  }
  const expected = await queryEvents(layout, {}, () => {});
  const { lines } = await printed(layout, {}, { gather: 0 });
  assert.equal(lines.length, 1200);
  assert.deepEqual(lines, expected.map(encodeEvent));
});
