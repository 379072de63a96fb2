/**
 * `export --endpoint`: a real OTLP/HTTP receiver on 127.0.0.1 checks the
 * batches, the retries, the cursor and `--full`.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, readOrNull } from "./helpers.ts";
import { OTLP_PYTHON, projectWith, validateOtlp } from "./otlp/otlp_helpers.ts";
import { pushIo } from "../src/cli/export_push.ts";

interface Received {
  path: string;
  spans: number;
  body: string;
}

/** A receiver answering each request with the next scripted response (then 200). */
function receiver(script: (() => Response)[] = []) {
  const received: Received[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    const body = await req.text();
    const reply = script.shift();
    if (reply) return reply();
    // Each span and each log record has exactly one span id.
    const spans = body.match(/"spanId"/g)?.length ?? 0;
    received.push({ path: new URL(req.url).pathname, spans, body });
    return Response.json({});
  });
  return { received, server, url: `http://127.0.0.1:${server.addr.port}` };
}

/** Replaces the push's sleep so back-off takes no time; returns the waits asked. */
function fakeSleep(): number[] {
  const waits: number[] = [];
  pushIo.sleep = (ms) => {
    waits.push(ms);
    return Promise.resolve();
  };
  return waits;
}

Deno.test("a push sends batches of at most 1,000 events, then only new ones; --full resends all", async () => {
  const { root } = await projectWith(2500);
  const r = receiver();
  try {
    const first = await cli(["export", "--endpoint", r.url, "--root", root]);
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(r.received.map((x) => [x.path, x.spans]), [
      ["/v1/traces", 1000],
      ["/v1/traces", 1000],
      ["/v1/traces", 500],
    ]);
    assert.match(first.stderr, /sent 2500 event/);
    const state = JSON.parse((await readOrNull(join(root, ".kittify", "export-state.json")))!);
    assert.equal(state.targets[`traces ${r.url}/v1/traces`].events, 2500);
    const again = await cli(["export", "--endpoint", r.url, "--root", root]);
    assert.equal(again.code, 0);
    assert.equal(r.received.length, 3, "a second run sends nothing");
    assert.match(again.stderr, /sent 0 event.*2500 sent before/);
    // The logs signal has its own cursor.
    await cli(["export", "--endpoint", r.url, "--signal", "logs", "--root", root]);
    assert.deepEqual(r.received.slice(3).map((x) => [x.path, x.spans]), [
      ["/v1/logs", 1000],
      ["/v1/logs", 1000],
      ["/v1/logs", 500],
    ]);
    await cli(["export", "--endpoint", r.url, "--full", "--root", root]);
    assert.equal(r.received.length, 9);
  } finally {
    await r.server.shutdown();
  }
});

Deno.test({
  name: "what the receiver gets parses strictly with the official OTLP definitions",
  ignore: OTLP_PYTHON.python === undefined,
  fn: async () => {
    const { root } = await projectWith(1200, (i) => i % 7 === 0 ? { success: false } : {});
    const r = receiver();
    try {
      for (const signal of ["traces", "logs", "metrics"]) {
        await cli(["export", "--endpoint", r.url, "--signal", signal, "--root", root]);
        const bodies = r.received.filter((x) => x.path === `/v1/${signal}`).map((x) => x.body);
        assert.equal(await validateOtlp(signal, bodies.join("\n")), signal === "metrics" ? 1 : 2);
      }
    } finally {
      await r.server.shutdown();
    }
  },
});

Deno.test("a 503 with Retry-After is retried after the time asked; the events arrive once", async () => {
  const waits = fakeSleep();
  const { root } = await projectWith(10);
  const r = receiver([
    () => new Response("busy", { status: 503, headers: { "retry-after": "2" } }),
    () => new Response("busy", { status: 429 }),
  ]);
  try {
    const run = await cli(["export", "--endpoint", r.url, "--root", root]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(waits, [2000, 1000]); // as asked, then the back-off's second step
    assert.equal(r.received.length, 1);
    assert.equal(r.received[0].spans, 10);
    assert.match(run.stderr, /answered 503; retrying in 2\.0 s/);
  } finally {
    await r.server.shutdown();
  }
});

Deno.test("a 400 stops with exit 1 and the receiver's message; nothing is recorded as sent", async () => {
  fakeSleep();
  const { root } = await projectWith(5);
  const r = receiver([
    () => Response.json({ code: 3, message: "invalid span: bad attribute" }, { status: 400 }),
  ]);
  try {
    const run = await cli(["export", "--endpoint", r.url, "--root", root]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^error: .*answered 400: invalid span: bad attribute/);
    assert.equal(await readOrNull(join(root, ".kittify", "export-state.json")), null);
    const retry = await cli(["export", "--endpoint", r.url, "--root", root]);
    assert.equal(retry.code, 0, retry.stderr);
    assert.equal(r.received[0].spans, 5, "the next run sends what failed");
  } finally {
    await r.server.shutdown();
  }
});

Deno.test("retries give up after the last attempt with exit 1; partial success is reported", async () => {
  const waits = fakeSleep();
  const { root } = await projectWith(3);
  const busy = () => new Response("", { status: 502 });
  const r = receiver([busy, busy, busy, busy, busy, busy]);
  try {
    const run = await cli(["export", "--endpoint", r.url, "--root", root]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /answered 502 \(after 6 attempts; run again later\)/);
    assert.deepEqual(waits, [500, 1000, 2000, 4000, 8000]);
  } finally {
    await r.server.shutdown();
  }
  const partial = receiver([
    () => Response.json({ partialSuccess: { rejectedSpans: "2", errorMessage: "too old" } }),
  ]);
  try {
    const run = await cli(["export", "--endpoint", partial.url, "--root", root]);
    assert.equal(run.code, 0);
    assert.match(run.stderr, /receiver rejected 2 item\(s\): too old/);
  } finally {
    await partial.server.shutdown();
  }
});

Deno.test("metrics are pushed whole (cumulative), and a bad endpoint is a usage error", async () => {
  const { root } = await projectWith(4);
  const r = receiver();
  try {
    for (let i = 0; i < 2; i++) {
      const run = await cli(["export", "--endpoint", r.url, "--signal", "metrics", "--root", root]);
      assert.equal(run.code, 0, run.stderr);
    }
    assert.deepEqual(r.received.map((x) => x.path), ["/v1/metrics", "/v1/metrics"]);
  } finally {
    await r.server.shutdown();
  }
  for (const endpoint of ["localhost:4318", "ftp://x", "not a url"]) {
    const run = await cli(["export", "--endpoint", endpoint, "--root", root]);
    assert.equal(run.code, 2, endpoint);
    assert.match(run.stderr, /--endpoint/);
  }
});

Deno.test("a pushed span costs what cost gives: the price in force at the event's time", async () => {
  // 2026-01-01: Opus 4.6 still had its over-200k tier (3 + 0.375); today's flat rate gives 1.75.
  const { root } = await projectWith(1, () => ({
    model: "claude-opus-4-6",
    input_tokens: 300_000,
    output_tokens: 10_000,
  }));
  const r = receiver();
  try {
    const pushed = await cli(["export", "--endpoint", r.url, "--root", root]);
    assert.equal(pushed.code, 0, pushed.stderr);
    const cost = JSON.parse((await cli(["cost", "--json", "--root", root])).stdout);
    assert.equal(cost.total.total_cost_usd, 3.375);
    assert.match(r.received[0].body, /"kitty\.cost_usd","value":\{"doubleValue":3\.375\}/);
  } finally {
    await r.server.shutdown();
  }
});
