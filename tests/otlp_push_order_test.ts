/**
 * The push reads the logs from their bytes, log after log, as the file
 * export does, and raises the cursor after each request: what it sends
 * must be the file export's bytes, and a push cut short by the receiver
 * must lose nothing and repeat nothing on the next run, also when a log
 * holds events its order cannot vouch for (the push then sends in the
 * total order).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli } from "./helpers.ts";
import { eventsAt, projectWith, writeLog } from "./otlp/otlp_helpers.ts";
import { pushIo } from "../src/cli/export_push.ts";
import type { Event } from "../src/event/envelope.ts";

pushIo.sleep = () => Promise.resolve();

/** A receiver that refuses request number `refuse` (1-based, 400) and keeps the bodies of the others. */
function receiver(refuse = 0) {
  const bodies: string[] = [];
  let n = 0;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    const body = await req.text();
    if (++n === refuse) return new Response("not now", { status: 400 });
    bodies.push(body);
    return Response.json({});
  });
  return { bodies, server, url: `http://127.0.0.1:${server.addr.port}` };
}

/** The event ids of the items of `bodies`, in the order sent. */
const idsIn = (bodies: string[]) =>
  bodies.flatMap((b) => [...b.matchAll(/"kitty\.event_id","value":\{"stringValue":"([^"]+)"/g)])
    .map((m) => m[1]);

for (const signal of ["traces", "logs"]) {
  Deno.test(`${signal}: the requests are the file export's lines, byte for byte`, async () => {
    // Errors of every size and alphabet make items of varied lengths and free text to decode.
    const { root } = await projectWith(
      2345,
      (i) => i % 7 === 0 ? { success: false, error: `boom ${"é🙂".repeat(i % 50)}` } : {},
    );
    const out = join(root, "out.json");
    const file = await cli(["export", "--signal", signal, "--out", out, "--root", root]);
    assert.equal(file.code, 0, file.stderr);
    const r = receiver();
    try {
      const push = await cli(["export", "--signal", signal, "--endpoint", r.url, "--root", root]);
      assert.equal(push.code, 0, push.stderr);
      assert.equal(r.bodies.length, 3);
      assert.equal(r.bodies.map((b) => b + "\n").join(""), await Deno.readTextFile(out));
      // Each request's ids were recorded, those written in wasm and those in JS alike.
      const again = await cli(["export", "--signal", signal, "--endpoint", r.url, "--root", root]);
      assert.match(again.stderr, /sent 0 event\(s\).*2345 sent before/);
    } finally {
      await r.server.shutdown();
    }
  });
}

/** Pushes with request `refuse` refused (exit 1), then again: every id arrives exactly once. */
async function cutShortThenAgain(root: string, all: number, refuse: number) {
  const r = receiver(refuse);
  try {
    const cut = await cli(["export", "--endpoint", r.url, "--root", root]);
    assert.equal(cut.code, 1, cut.stderr);
    assert.match(cut.stderr, /not now/);
    const first = idsIn(r.bodies);
    const rest = await cli(["export", "--endpoint", r.url, "--root", root]);
    assert.equal(rest.code, 0, rest.stderr);
    const ids = idsIn(r.bodies);
    assert.equal(ids.length, all, "no event sent twice, none lost");
    assert.equal(new Set(ids).size, all);
    return { first, second: ids.slice(first.length) };
  } finally {
    await r.server.shutdown();
  }
}

Deno.test("a push refused midway sends the rest on the next run: each event once", async () => {
  const { root } = await projectWith(3500);
  const sent = await cutShortThenAgain(root, 3500, 3);
  assert.equal(sent.first.length, 2000, "two requests accepted before the refused one");
});

Deno.test("an event in another feature's log with a lower clock is not lost to a push cut short", async () => {
  const root = await Deno.makeTempDir({ prefix: "kitty-test-" });
  const clocks = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);
  // Feature a's log comes first; b's log holds an event of a, from the same node, at clock 5
  // (a hand edit or a bad merge): sent after a's clocks 1001-2000, it is still sent.
  await writeLog(root, "001-a", eventsAt("001-a", clocks(1001, 1500), "A"));
  await writeLog(root, "002-b", [
    ...eventsAt("001-a", [5], "M"),
    ...eventsAt("002-b", clocks(1, 600), "B"),
  ]);
  const sent = await cutShortThenAgain(root, 2101, 2);
  assert.ok(sent.second.includes("01KHJVJWDM0HGAGYGXM0000005"));
});

Deno.test("a log out of clock order, pushed in file order: nothing lost to a push cut short", async () => {
  const root = await Deno.makeTempDir({ prefix: "kitty-test-" });
  const clocks = Array.from({ length: 2500 }, (_, i) => 2500 - i);
  await writeLog(root, "001-a", eventsAt("001-a", clocks, "A"));
  const sent = await cutShortThenAgain(root, 2500, 2);
  assert.deepEqual(
    sent.first,
    eventsAt("001-a", clocks.slice(0, 1000), "A").map((e) => e.event_id),
  );
});

Deno.test("a push warns of unreadable lines exactly as cost does", async () => {
  const { root } = await projectWith(20);
  const log = join(root, "kitty-specs", "043-otel", "execution.events.jsonl");
  await Deno.writeTextFile(log, "not json\n", { append: true });
  const r = receiver();
  try {
    const cost = await cli(["cost", "--root", root]);
    const push = await cli(["export", "--endpoint", r.url, "--root", root]);
    assert.equal(push.code, 0, push.stderr);
    const warnings = (text: string) => text.split("\n").filter((l) => l.startsWith("warning:"));
    assert.match(warnings(cost.stderr).join("\n"), /jsonl:21: skipped malformed line/);
    assert.deepEqual(warnings(push.stderr), warnings(cost.stderr));
    assert.equal(idsIn(r.bodies).length, 20);
  } finally {
    await r.server.shutdown();
  }
});

Deno.test("events merged in later with clocks below those sent (one node id on two clones) are sent", async () => {
  const root = await Deno.makeTempDir({ prefix: "kitty-test-" });
  const log = (events: Event[]) => writeLog(root, "001-a", events);
  // The Python writer's node ids are `cli:<wp>`: two worktrees of one WP count clocks apart.
  const here = eventsAt("001-a", [1, 2, 3, 4, 5, 6], "A");
  const there = eventsAt("001-a", [3, 4, 5], "B");
  const r = receiver();
  try {
    await log(here);
    assert.equal((await cli(["export", "--endpoint", r.url, "--root", root])).code, 0);
    // The other worktree's branch merged: its events go in among these, in clock order.
    await log([...here, ...there].sort((a, b) => a.lamport_clock - b.lamport_clock));
    const run = await cli(["export", "--endpoint", r.url, "--root", root]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /sent 3 event\(s\).*6 sent before/);
    assert.deepEqual(idsIn(r.bodies).slice(6).sort(), there.map((e) => e.event_id).sort());
  } finally {
    await r.server.shutdown();
  }
});

Deno.test("a copy of a sent event that turns up later in another log is not sent again", async () => {
  const root = await Deno.makeTempDir({ prefix: "kitty-test-" });
  const a = eventsAt("001-a", [1, 2, 3, 4, 5], "A");
  const b = eventsAt("002-b", [1, 2], "B");
  const r = receiver();
  try {
    await writeLog(root, "001-a", a);
    assert.equal((await cli(["export", "--endpoint", r.url, "--root", root])).code, 0);
    // The copy is read decoded (its id repeats), the first push read it from the line's bytes.
    await writeLog(root, "002-b", [...b, a[2]]);
    const run = await cli(["export", "--endpoint", r.url, "--root", root]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /sent 2 event\(s\)/);
    assert.deepEqual(idsIn(r.bodies).slice(5), b.map((e) => e.event_id));
  } finally {
    await r.server.shutdown();
  }
});
