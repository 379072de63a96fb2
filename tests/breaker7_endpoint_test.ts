/**
 * Issue #18's push: what a team puts in `--endpoint` (credentials for basic
 * auth, the signal's own path) and what a receiver puts in `Retry-After`.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, readOrNull } from "./helpers.ts";
import { projectWith } from "./otlp/otlp_helpers.ts";
import { pushIo } from "../src/cli/export_push.ts";

const waits: number[] = [];
pushIo.sleep = (ms) => (waits.push(ms), Promise.resolve());

Deno.test("a password in the endpoint is sent as basic auth but never shown or kept in the cursor", async () => {
  const { root } = await projectWith(2);
  const auth: (string | null)[] = [];
  let first = true;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    await req.arrayBuffer();
    auth.push(req.headers.get("authorization"));
    if (first) {
      first = false;
      return new Response("busy", { status: 503 });
    }
    return Response.json({});
  });
  try {
    const endpoint = `http://kitty:s3cret@127.0.0.1:${server.addr.port}`;
    const run = await cli(["export", "--endpoint", endpoint, "--root", root]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(auth[1], `Basic ${btoa("kitty:s3cret")}`);
    assert.match(run.stderr, /answered 503; retrying/);
    assert.match(run.stderr, /sent 2 event\(s\) to http:\/\/127\.0\.0\.1:\d+\/v1\/traces/);
    assert.doesNotMatch(run.stderr, /s3cret/);
    const state = (await readOrNull(join(root, ".kittify", "export-state.json")))!;
    assert.doesNotMatch(state, /s3cret|kitty@/);
    const again = await cli(["export", "--endpoint", endpoint, "--root", root]);
    assert.match(again.stderr, /sent 0 event\(s\).*2 sent before/);
  } finally {
    await server.shutdown();
  }
});

Deno.test("an endpoint given with /v1/traces is exit 2 naming the base URL to give", async () => {
  const { root } = await projectWith(1);
  for (const signal of ["traces", "logs"]) {
    const endpoint = `http://localhost:4318/v1/${signal}/`;
    const run = await cli(["export", "--endpoint", endpoint, "--signal", signal, "--root", root]);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /without \/v1\/\w+ \(e\.g\. http:\/\/localhost:4318\): export adds/);
  }
});

Deno.test("Retry-After as an HTTP date is waited for (about the time it names)", async () => {
  const { root } = await projectWith(1);
  let first = true;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    await req.arrayBuffer();
    if (!first) return Response.json({});
    first = false;
    const at = new Date(Date.now() + 5_000).toUTCString();
    return new Response("", { status: 429, headers: { "retry-after": at } });
  });
  waits.length = 0;
  try {
    const run = await cli([
      "export",
      "--endpoint",
      `http://127.0.0.1:${server.addr.port}`,
      "--root",
      root,
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(waits.length, 1);
    // An HTTP date has whole seconds: 4 to 5 s from now.
    assert.ok(waits[0] > 3_000 && waits[0] <= 5_000, `${waits[0]} ms`);
  } finally {
    await server.shutdown();
  }
});

Deno.test("a status retrying cannot fix names what to do: 401, 404, 413", async () => {
  const { root } = await projectWith(1);
  const status = { now: 0 };
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    await req.arrayBuffer();
    return new Response("", { status: status.now });
  });
  try {
    const url = `http://127.0.0.1:${server.addr.port}`;
    for (
      const [code, fix] of [
        [401, /answered 401 \(the receiver wants credentials: give them in the URL/],
        [404, /answered 404 \(no OTLP receiver at this path: give the receiver's base URL/],
        [413, /answered 413 \(the receiver takes smaller requests/],
        [400, /answered 400; nothing after the last accepted batch was recorded as sent\n$/],
      ] as const
    ) {
      status.now = code;
      const run = await cli(["export", "--endpoint", url, "--root", root]);
      assert.equal(run.code, 1, run.stderr);
      assert.match(run.stderr, fix);
    }
  } finally {
    await server.shutdown();
  }
});
