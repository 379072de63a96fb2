/**
 * Issue #18's push, exactly once across runs a team makes: two pushes to
 * one endpoint at the same time (cron and CI after a merge), a filtered
 * push before or after an unfiltered one, and the counts a re-run reports.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, readOrNull } from "./helpers.ts";
import { projectWith } from "./otlp/otlp_helpers.ts";
import { pushIo } from "../src/cli/export_push.ts";
import { costRead } from "../src/cli/export_file.ts";
import { encodeEvent } from "../src/event/line_encode.ts";
import { idsFileOf } from "../src/export/export_cursor.ts";
import { keyBytes, keyOfId } from "../src/export/sent_ids.ts";

pushIo.sleep = () => Promise.resolve();

/** A receiver on 127.0.0.1 that keeps every body and answers `{}`. */
function receiver() {
  const bodies: string[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    bodies.push(await req.text());
    return Response.json({});
  });
  return { bodies, server, url: `http://127.0.0.1:${server.addr.port}` };
}

/** Every event id the bodies carry, a copy each time it arrived. */
const idsIn = (bodies: string[]) =>
  bodies.flatMap((b) => [...b.matchAll(/"kitty\.event_id","value":\{"stringValue":"([^"]+)"/g)])
    .map((m) => m[1]).sort();

Deno.test("two pushes to one endpoint at once deliver each event once (the second waits, then sends none)", async () => {
  const { root, events } = await projectWith(3000);
  const r = receiver();
  try {
    const args = ["export", "--endpoint", r.url, "--root", root];
    const [a, b] = await Promise.all([cli(args), cli(args)]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    assert.deepEqual(idsIn(r.bodies), events.map((e) => e.event_id).sort());
    // One of them sent everything, the other nothing.
    const said = [a.stderr, b.stderr].map((t) => /sent (\d+) event/.exec(t)![1]).sort();
    assert.deepEqual(said, ["0", "3000"]);
  } finally {
    await r.server.shutdown();
  }
});

/** A project of `n` runs, every other one by codex. */
const mixed = (n: number) => projectWith(n, (i) => ({ agent: i % 2 ? "codex" : "claude" }));

Deno.test("a filtered push, then an unfiltered one: the second sends only the rest", async () => {
  const { root, events } = await mixed(6);
  const r = receiver();
  try {
    const only = await cli(["export", "--endpoint", r.url, "--agent", "codex", "--root", root]);
    assert.match(only.stderr, /sent 3 event\(s\)/);
    const all = await cli(["export", "--endpoint", r.url, "--root", root]);
    assert.equal(all.code, 0, all.stderr);
    assert.match(all.stderr, /sent 3 event\(s\).*; 3 sent before/);
    assert.deepEqual(idsIn(r.bodies), events.map((e) => e.event_id).sort());
  } finally {
    await r.server.shutdown();
  }
});

Deno.test("an unfiltered push, then a filtered one: the second sends nothing", async () => {
  const { root, events } = await mixed(6);
  const r = receiver();
  try {
    assert.equal((await cli(["export", "--endpoint", r.url, "--root", root])).code, 0);
    const only = await cli(["export", "--endpoint", r.url, "--agent", "codex", "--root", root]);
    assert.equal(only.code, 0, only.stderr);
    assert.match(only.stderr, /sent 0 event\(s\).*; 3 sent before/);
    assert.deepEqual(idsIn(r.bodies), events.map((e) => e.event_id).sort());
  } finally {
    await r.server.shutdown();
  }
});

Deno.test("a filtered push's record from before records were shared is carried over: nothing it sent goes again", async () => {
  const { root, events } = await mixed(6);
  const r = receiver();
  try {
    // What the previous version left after `--agent codex`: a file of its own, named in the index.
    const state = join(root, ".kittify", "export-state.json");
    const own = `traces ${r.url}/v1/traces --agent=${JSON.stringify(["codex"])}`;
    const codex = events.filter((e) => e.payload.agent === "codex");
    await Deno.mkdir(join(root, ".kittify", "export-sent"), { recursive: true });
    const old = join(root, ".kittify", idsFileOf(own));
    await Deno.writeFile(old, keyBytes(codex.flatMap((e) => keyOfId(e.event_id))));
    const targets = { [own]: { ids: idsFileOf(own), events: 3 } };
    await Deno.writeTextFile(state, JSON.stringify({ version: 3, targets, marks: {} }));
    const all = await cli(["export", "--endpoint", r.url, "--root", root]);
    assert.equal(all.code, 0, all.stderr);
    assert.match(all.stderr, /sent 3 event\(s\).*; 3 sent before/);
    assert.deepEqual(
      idsIn(r.bodies),
      events.filter((e) => e.payload.agent !== "codex").map((e) => e.event_id).sort(),
    );
    // Carried into the one record: the old file and its entry are gone.
    assert.equal(await readOrNull(old), null);
    const index = JSON.parse((await readOrNull(state))!);
    assert.deepEqual(Object.keys(index.targets), [`traces ${r.url}/v1/traces`]);
    assert.equal(index.targets[`traces ${r.url}/v1/traces`].events, 6);
    const codexAgain = await cli([
      "export",
      "--endpoint",
      r.url,
      "--agent",
      "codex",
      "--root",
      root,
    ]);
    assert.match(codexAgain.stderr, /sent 0 event\(s\).*; 3 sent before/);
  } finally {
    await r.server.shutdown();
  }
});

Deno.test("marks of a filtered push (version 2) count for that filter; a push without it keeps the unfiltered marks", async () => {
  const { root, events } = await mixed(6);
  const r = receiver();
  try {
    const state = join(root, ".kittify", "export-state.json");
    await Deno.mkdir(join(root, ".kittify"));
    const own = `traces ${r.url}/v1/traces --agent=${JSON.stringify(["codex"])}`;
    // The codex push had sent clocks up to 4 (codex: 2 and 4); the unfiltered one up to 1.
    const sent = {
      [own]: { "043-otel": { n1: 4 } },
      [`traces ${r.url}/v1/traces`]: { "043-otel": { n1: 1 } },
    };
    await Deno.writeTextFile(state, JSON.stringify({ version: 2, sent }));
    const codex = await cli(["export", "--endpoint", r.url, "--agent", "codex", "--root", root]);
    assert.equal(codex.code, 0, codex.stderr);
    assert.match(codex.stderr, /sent 1 event\(s\).*; 2 sent before/);
    const index = JSON.parse((await readOrNull(state))!);
    assert.deepEqual(Object.keys(index.marks), [`traces ${r.url}/v1/traces`]);
    const all = await cli(["export", "--endpoint", r.url, "--root", root]);
    assert.match(all.stderr, /sent 2 event\(s\).*; 4 sent before/);
    // Clock 1 (the unfiltered marks), 2 and 4 (the codex marks) were sent before this test.
    const before = new Set([1, 2, 4].map((clock) => events[clock - 1].event_id));
    assert.deepEqual(
      idsIn(r.bodies),
      events.map((e) => e.event_id).filter((id) => !before.has(id)).sort(),
    );
    assert.deepEqual(Object.keys(JSON.parse((await readOrNull(state))!).marks), []);
  } finally {
    await r.server.shutdown();
  }
});

Deno.test("a re-run counts each event sent before once, an id on two lines too", async () => {
  const { root, events } = await projectWith(3);
  const log = join(root, "kitty-specs", "043-otel", "execution.events.jsonl");
  // A copy of the first event (a merge gone wrong), and the same id lower case: one event each.
  const lower = { ...events[1], event_id: events[1].event_id.toLowerCase() };
  await Deno.writeTextFile(log, [events[0], lower].map((e) => encodeEvent(e) + "\n").join(""), {
    append: true,
  });
  const r = receiver();
  try {
    const first = await cli(["export", "--endpoint", r.url, "--root", root]);
    assert.match(first.stderr, /sent 3 event\(s\) to [^;\n]*\n/);
    const again = await cli(["export", "--endpoint", r.url, "--root", root]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /sent 0 event\(s\) to .*; 3 sent before/);
    assert.deepEqual(idsIn(r.bodies), events.map((e) => e.event_id).sort());
  } finally {
    await r.server.shutdown();
  }
});

Deno.test("lines appended to a log while a push runs wait for the next push: each event sent once", async () => {
  const { root, events } = await projectWith(4000);
  // Two logs: the second is read after the first request is out.
  const b = events.slice(3000).map((e) => ({ ...e, aggregate_id: "044-b" }));
  await Deno.writeTextFile(
    join(root, "kitty-specs", "043-otel", "execution.events.jsonl"),
    events.slice(0, 3000).map((e) => encodeEvent(e) + "\n").join(""),
  );
  await Deno.mkdir(join(root, "kitty-specs", "044-b"));
  const log = join(root, "kitty-specs", "044-b", "execution.events.jsonl");
  await Deno.writeTextFile(log, b.map((e) => encodeEvent(e) + "\n").join(""));
  const late = { ...b[0], event_id: "01KHJVJWDM0HGAGYGXJYKD0ZZZ", lamport_clock: 9000 };
  const bodies: string[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    bodies.push(await req.text());
    if (bodies.length === 1) {
      // While the first request is out: a copy of an event not sent yet (another spelling) and a new one.
      const copy = { ...b[900], event_id: b[900].event_id.toLowerCase() };
      await Deno.writeTextFile(log, [copy, late].map((e) => encodeEvent(e) + "\n").join(""), {
        append: true,
      });
    }
    return Response.json({});
  });
  const url = `http://127.0.0.1:${server.addr.port}`;
  try {
    const first = await cli(["export", "--endpoint", url, "--root", root]);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stderr, /sent 4000 event\(s\)/);
    assert.deepEqual(idsIn(bodies), events.map((e) => e.event_id).sort());
    const sentFirst = bodies.length;
    const next = await cli(["export", "--endpoint", url, "--root", root]);
    assert.match(next.stderr, /sent 1 event\(s\).*; 4000 sent before/);
    assert.deepEqual(idsIn(bodies.slice(sentFirst)), [late.event_id]);
  } finally {
    await server.shutdown();
  }
});

Deno.test("a metrics push says on stderr that it went, as the other signals do", async () => {
  const { root } = await projectWith(2);
  const r = receiver();
  try {
    const run = await cli(["export", "--signal", "metrics", "--endpoint", r.url, "--root", root]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, "");
    assert.equal(
      run.stderr,
      `export: sent the metrics (cumulative totals) to ${r.url}/v1/metrics\n`,
    );
    assert.equal(r.bodies.length, 1);
  } finally {
    await r.server.shutdown();
  }
});

Deno.test("the push's warnings stop where its reads stop: lines past the sizes it took are no business of this push", async () => {
  const { root, events } = await projectWith(3);
  const log = join(root, "kitty-specs", "043-otel", "execution.events.jsonl");
  await Deno.writeTextFile(log, encodeEvent(events[1]) + "\n", { append: true });
  const size = (await Deno.stat(log)).size;
  // Appended after the push took the sizes (an emit meanwhile): copies, and a line that is no event.
  const late = [events[0], events[1]].map((e) => encodeEvent(e) + "\n").join("") + "not json\n";
  await Deno.writeTextFile(log, late, { append: true });
  const pricing = { updated: null, entries: [] };
  const warnings: string[] = [];
  const repeated = await costRead([log], [size], {}, pricing, (w) => warnings.push(w), () => {});
  assert.equal(repeated.length, 1);
  assert.deepEqual(warnings, [
    `1 duplicate line(s) ignored: each repeats an event already counted: ${log} (id ${
      events[1].event_id
    }). \`verify --repair\` removes exact copies.`,
  ]);
});

Deno.test("something else where the record goes: exit 1 before anything is sent, naming what to move", async () => {
  const cases: [string, (kittify: string) => Promise<void>][] = [
    [".kittify a file", (k) => Deno.writeTextFile(k, "")],
    ["the index a folder", (k) => Deno.mkdir(join(k, "export-state.json"), { recursive: true })],
    ["export-sent a file", async (k) => {
      await Deno.mkdir(k);
      await Deno.writeTextFile(join(k, "export-sent"), "");
    }],
  ];
  const r = receiver();
  try {
    for (const [what, make] of cases) {
      const { root } = await projectWith(2);
      await make(join(root, ".kittify"));
      const run = await cli(["export", "--endpoint", r.url, "--root", root]);
      assert.equal(run.code, 1, what);
      assert.match(
        run.stderr,
        /^error: .*: a push keeps its record in \.kittify\/export-state\.json \(a file\) and \.kittify\/export-sent\/ \(a folder\) under .*: move aside what stands in their place\n$/,
        what,
      );
    }
    assert.equal(r.bodies.length, 0);
  } finally {
    await r.server.shutdown();
  }
});
