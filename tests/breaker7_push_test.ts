/**
 * Issue #18's push against a real OTLP/HTTP receiver on 127.0.0.1, where a
 * team's setup differs from the happy path: text that is not ASCII, a
 * receiver that hangs or drops the connection, an endpoint with a path and
 * a query, filtered pushes, and features merged out of clock order.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, type CliWrite, readOrNull } from "./helpers.ts";
import { eventsAt, projectWith, writeLog } from "./otlp/otlp_helpers.ts";
import { pushIo } from "../src/cli/export_push.ts";
import { MAX_BODY_BYTES } from "../src/export/request_bodies.ts";
import { idsFileOf } from "../src/export/export_cursor.ts";
import { KEY_BYTES } from "../src/export/sent_ids.ts";

interface Received {
  path: string;
  query: string;
  bytes: number;
  body: string;
}

/** A receiver that records what it gets and answers `{}`, or runs `hold` first when given. */
function receiver(hold?: () => Promise<void>) {
  const received: Received[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    if (hold) {
      await hold(); // the client has given up by then: its body is gone
      return new Response("late");
    }
    const bytes = new Uint8Array(await req.arrayBuffer());
    const url = new URL(req.url);
    const body = new TextDecoder().decode(bytes);
    received.push({ path: url.pathname, query: url.search, bytes: bytes.length, body });
    return Response.json({});
  });
  return { received, server, url: `http://127.0.0.1:${server.addr.port}` };
}

const waits: number[] = [];
pushIo.sleep = (ms) => (waits.push(ms), Promise.resolve());

/** Event ids of the spans or records a body carries. */
const idsIn = (bodies: Received[]) =>
  bodies.flatMap((
    b,
  ) => [...b.body.matchAll(/"kitty\.event_id","value":\{"stringValue":"([^"]+)"/g)])
    .map((m) => m[1]).sort();

Deno.test("a request's body is at most 4 MB in bytes, not in UTF-16 units (non-ASCII errors)", async () => {
  // 1,000 failed runs whose error is 1,600 CJK characters: about 3.9 M characters, 9 MB of UTF-8.
  const { root } = await projectWith(1000, () => ({
    success: false,
    exit_code: 1,
    error: "\u9519".repeat(1600),
  }));
  const r = receiver();
  try {
    const run = await cli(["export", "--endpoint", r.url, "--root", root]);
    assert.equal(run.code, 0, run.stderr);
    assert.ok(r.received.length >= 3, `${r.received.length} request(s)`);
    for (const got of r.received) assert.ok(got.bytes <= MAX_BODY_BYTES, `${got.bytes} bytes`);
    assert.equal(idsIn(r.received).length, 1000);
  } finally {
    await r.server.shutdown();
  }
});

Deno.test("a receiver that never answers is given up on: retried, then exit 1 naming the wait", async () => {
  const { root } = await projectWith(3);
  const release: (() => void)[] = [];
  const r = receiver(() => new Promise((done) => release.push(done)));
  const timeout = pushIo.timeoutMs;
  pushIo.timeoutMs = 100;
  waits.length = 0;
  try {
    const writes: CliWrite[] = [];
    // What stderr held when each wait began: the reason is shown before waiting, not after.
    const before: string[] = [];
    pushIo.sleep = (ms) => {
      before.push(writes.filter(([to]) => to === "err").map(([, text]) => text).join(""));
      return (waits.push(ms), Promise.resolve());
    };
    const run = await cli(["export", "--endpoint", r.url, "--root", root], { writes });
    assert.equal(run.code, 1, run.stderr);
    assert.match(
      run.stderr,
      /error: cannot reach .*\/v1\/traces after 6 attempts: no answer within 0\.1 s/,
    );
    assert.match(before[0], /no answer within 0\.1 s\); retrying in 0\.5 s \(attempt 2\)\n$/);
    // The retries are told as they happen, so before the error (a waiting push says why).
    const lines = run.stderr.trimEnd().split("\n");
    assert.equal(lines.length, 6, run.stderr);
    assert.match(
      lines[0],
      /^warning: cannot reach .*\(no answer within 0\.1 s\); retrying in 0\.5 s/,
    );
    assert.match(lines[5], /^error: /);
    assert.equal(waits.length, 5);
    assert.equal(await readOrNull(join(root, ".kittify", "export-state.json")), null);
  } finally {
    pushIo.sleep = (ms) => (waits.push(ms), Promise.resolve());
    pushIo.timeoutMs = timeout;
    release.forEach((done) => done());
    await r.server.shutdown();
  }
});

Deno.test("a connection closed mid-request is retried; the events arrive once", async () => {
  const { root } = await projectWith(4);
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const bodies: string[] = [];
  const serving = (async () => {
    let n = 0;
    for await (const conn of listener) {
      const request = await readRequest(conn);
      if (n++ === 0) {
        conn.close(); // mid-request: no answer at all
        continue;
      }
      bodies.push(request);
      await conn.write(new TextEncoder().encode(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}",
      ));
      conn.close();
    }
  })();
  try {
    const url = `http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}`;
    const run = await cli(["export", "--endpoint", url, "--root", root]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /cannot reach .*retrying/);
    assert.equal(bodies.length, 1);
    assert.equal((bodies[0].match(/"spanId"/g) ?? []).length, 4);
  } finally {
    listener.close();
    await serving.catch(() => {});
  }
});

/** Reads one HTTP/1.1 request's head and, by its content-length, its body. */
async function readRequest(conn: Deno.Conn): Promise<string> {
  const chunks: Uint8Array[] = [];
  const buffer = new Uint8Array(65536);
  let text = "";
  while (true) {
    const n = await conn.read(buffer);
    if (n === null) return text;
    chunks.push(buffer.slice(0, n));
    text = new TextDecoder().decode(new Uint8Array(chunks.flatMap((c) => [...c])));
    const end = text.indexOf("\r\n\r\n");
    if (end < 0) continue;
    const length = Number(/content-length: *(\d+)/i.exec(text.slice(0, end))?.[1] ?? 0);
    if (new TextEncoder().encode(text.slice(end + 4)).length >= length) return text.slice(end + 4);
  }
}

Deno.test("an endpoint's path, trailing slash and query are kept: /v1/<signal> goes under the path", async () => {
  const { root } = await projectWith(2);
  const r = receiver();
  try {
    for (const endpoint of [`${r.url}/otlp/`, `${r.url}/otlp?tenant=a`]) {
      const run = await cli(["export", "--endpoint", endpoint, "--full", "--root", root]);
      assert.equal(run.code, 0, run.stderr);
    }
    assert.deepEqual(r.received.map((x) => [x.path, x.query]), [
      ["/otlp/v1/traces", ""],
      ["/otlp/v1/traces", "?tenant=a"],
    ]);
  } finally {
    await r.server.shutdown();
  }
});

/** A log of `feature` whose events node n1 wrote at these clocks (claude and codex in turn). */
function writeFeature(root: string, feature: string, clocks: number[]) {
  const agent = (clock: number) => ({ agent: clock % 2 ? "claude" : "codex" });
  return writeLog(root, feature, eventsAt(feature, clocks, "J", agent));
}

Deno.test("a filtered push does not mark the events its filter left out as sent", async () => {
  const root = await Deno.makeTempDir({ prefix: "kitty-test-" });
  await writeFeature(root, "001-a", [1, 2, 3, 4, 5, 6]);
  const r = receiver();
  try {
    const only = await cli(["export", "--endpoint", r.url, "--agent", "codex", "--root", root]);
    assert.equal(only.code, 0, only.stderr);
    assert.equal(idsIn(r.received).length, 3);
    const all = await cli(["export", "--endpoint", r.url, "--root", root]);
    assert.equal(all.code, 0, all.stderr);
    // Every event reaches the receiver: the unfiltered cursor knew nothing of the claude runs.
    assert.equal(new Set(idsIn(r.received)).size, 6);
    const again = await cli(["export", "--endpoint", r.url, "--agent", "codex", "--root", root]);
    assert.match(again.stderr, /sent 0 event\(s\).*3 sent before/);
  } finally {
    await r.server.shutdown();
  }
});

Deno.test("a feature merged after another with higher clocks from the same node is still sent", async () => {
  const root = await Deno.makeTempDir({ prefix: "kitty-test-" });
  // One worktree (one node) ran feature a (clocks 1-3), then feature b (4-6); b merged first.
  await writeFeature(root, "002-b", [4, 5, 6]);
  const r = receiver();
  try {
    assert.equal((await cli(["export", "--endpoint", r.url, "--root", root])).code, 0);
    await writeFeature(root, "001-a", [1, 2, 3]);
    const run = await cli(["export", "--endpoint", r.url, "--root", root]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /sent 3 event\(s\)/);
    assert.equal(new Set(idsIn(r.received)).size, 6);
  } finally {
    await r.server.shutdown();
  }
});

Deno.test("a cursor written before marks were per feature still counts: no resend after an upgrade", async () => {
  const root = await Deno.makeTempDir({ prefix: "kitty-test-" });
  await writeFeature(root, "001-a", [1, 2, 3]);
  const r = receiver();
  try {
    const state = join(root, ".kittify", "export-state.json");
    await Deno.mkdir(join(root, ".kittify"));
    const sent = { [`traces ${r.url}/v1/traces`]: { n1: 2 } };
    await Deno.writeTextFile(state, JSON.stringify({ version: 1, sent }));
    const run = await cli(["export", "--endpoint", r.url, "--root", root]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /sent 1 event\(s\).*2 sent before/);
    // Carried over into the file of sent ids: the old marks are gone, and nothing is sent again.
    const index = JSON.parse((await readOrNull(state))!);
    assert.deepEqual([index.version, index.marks], [3, {}]);
    assert.equal(index.targets[`traces ${r.url}/v1/traces`].events, 3);
    const again = await cli(["export", "--endpoint", r.url, "--root", root]);
    assert.match(again.stderr, /sent 0 event\(s\).*3 sent before/);
    assert.equal(idsIn(r.received).length, 1);
  } finally {
    await r.server.shutdown();
  }
});

Deno.test("nothing listening: exit 1 with why (refused) and the fix, not just 'fetch failed'", async () => {
  const { root } = await projectWith(1);
  const closed = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (closed.addr as Deno.NetAddr).port;
  closed.close();
  const run = await cli(["export", "--endpoint", `http://127.0.0.1:${port}`, "--root", root]);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /^error: cannot reach .* after 6 attempts: .*[Rr]efused/m);
  assert.match(run.stderr, /is a Collector listening there\?.*run again/);
});

Deno.test("a corrupt index is said on stderr and rebuilt; the ids sent are kept, nothing sent again", async () => {
  const { root } = await projectWith(3);
  const state = join(root, ".kittify", "export-state.json");
  const r = receiver();
  try {
    assert.equal((await cli(["export", "--endpoint", r.url, "--root", root])).code, 0);
    await Deno.writeTextFile(state, '{"version":3,"targets":{"traces http://x/v1/tr'); // cut short
    const run = await cli(["export", "--endpoint", r.url, "--root", root]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /export-state\.json: not JSON; it is rebuilt when this push ends/);
    assert.match(run.stderr, /sent 0 event\(s\).*3 sent before/);
    assert.equal(idsIn(r.received).length, 3);
    const again = await cli(["export", "--endpoint", r.url, "--root", root]);
    assert.equal(
      again.stderr,
      `export: sent 0 event(s) to ${r.url}/v1/traces; 3 sent before (--full sends them again)\n`,
    );
  } finally {
    await r.server.shutdown();
  }
});

Deno.test("a file of sent ids cut short or lost is said on stderr; the events it does not name go again", async () => {
  const { root } = await projectWith(3);
  const r = receiver();
  try {
    assert.equal((await cli(["export", "--endpoint", r.url, "--root", root])).code, 0);
    const ids = join(root, ".kittify", idsFileOf(`traces ${r.url}/v1/traces`));
    await Deno.truncate(ids, 3 * KEY_BYTES - 3); // a crash while writing the last id
    const torn = await cli(["export", "--endpoint", r.url, "--root", root]);
    assert.equal(torn.code, 0, torn.stderr);
    assert.match(torn.stderr, /\.ids: its last id was cut short/);
    assert.match(torn.stderr, /sent 1 event\(s\).*2 sent before/);
    assert.equal((await Deno.stat(ids)).size, 3 * KEY_BYTES, "mended, then the one sent added");
    await Deno.remove(ids);
    const lost = await cli(["export", "--endpoint", r.url, "--root", root]);
    assert.match(
      lost.stderr,
      /\.ids: missing where the last push left 3: the events it does not name/,
    );
    assert.match(lost.stderr, /sent 3 event\(s\)/);
    assert.equal(idsIn(r.received).length, 7);
  } finally {
    await r.server.shutdown();
  }
});
