/**
 * The fast check must never accept what the schemas reject (the
 * table-driven ones, which `schema_oracle_test.ts` holds to zod), and must
 * return exactly what they would. Random and adversarial events probe it.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fastCheck } from "../src/event/fast_check.ts";
import { EnvelopeSchema } from "../src/event/envelope.ts";
import { ExecutionPayloadSchema } from "../src/event/execution.ts";
import { decodeLine, encodeEvent } from "../src/event/line_codec.ts";
import { prng } from "../bench/generate.ts";
import { baseEvent, payload } from "./helpers.ts";

const BASE = baseEvent();

const WEIRD_VALUES: unknown[] = [
  null,
  undefined,
  true,
  false,
  0,
  -1,
  1.5,
  2 ** 53,
  2 ** 53 + 2,
  -(2 ** 31) - 1,
  2 ** 31,
  1e12,
  1e13,
  "",
  "x",
  "a\nb",
  "\u007f",
  "x".repeat(257),
  "01KHJVJWDM0HGAGYGXJYKD1JQG",
  "123e4567-e89b-12d3-a456-426614174000",
  "2026-02-30T00:00:00Z",
  "2026-02-16T09:12:58+00:00",
  [],
  {},
  { nested: { deep: [1, 2] } },
];

function schemaParse(value: unknown): { ok: boolean; data?: unknown } {
  const envelope = EnvelopeSchema.safeParse(value);
  if (!envelope.success) return { ok: false };
  if (envelope.data.event_type !== "ExecutionEvent") return { ok: true, data: envelope.data };
  const p = ExecutionPayloadSchema.safeParse(envelope.data.payload);
  return p.success ? { ok: true, data: { ...envelope.data, payload: p.data } } : { ok: false };
}

Deno.test("fastCheck accepts only what the schemas accept, and returns the same value", () => {
  const rand = prng(7);
  const pick = <T>(list: T[]) => list[Math.floor(rand() * list.length)];
  const envelopeKeys = Object.keys(BASE);
  const payloadKeys = Object.keys(BASE.payload);
  let accepted = 0;
  for (let i = 0; i < 20_000; i++) {
    const event: Record<string, unknown> = structuredClone(BASE);
    const p = event.payload as Record<string, unknown>;
    const mutations = 1 + Math.floor(rand() * 2);
    for (let m = 0; m < mutations; m++) {
      const r = rand();
      if (r < 0.4) p[pick(payloadKeys)] = pick(WEIRD_VALUES);
      else if (r < 0.7) event[pick(envelopeKeys)] = pick(WEIRD_VALUES);
      else if (r < 0.8) delete p[pick(payloadKeys)];
      else if (r < 0.9) delete event[pick(envelopeKeys)];
      else event.event_type = pick(["ExecutionEvent", "PhaseStarted"]);
    }
    const value = JSON.parse(JSON.stringify(event)); // as read from a line
    const fast = fastCheck(value);
    const schema = schemaParse(value);
    if (fast !== undefined) {
      accepted++;
      assert.ok(schema.ok, `fast accepted what the schema rejects: ${JSON.stringify(value)}`);
      assert.deepEqual(fast, schema.data);
    }
  }
  assert.ok(accepted > 1000, `too few accepted cases (${accepted}) to mean anything`);
});

Deno.test("every line the tool writes takes the fast path", () => {
  const rand = prng(11);
  for (let i = 0; i < 2000; i++) {
    const event = {
      ...BASE,
      lamport_clock: Math.floor(rand() * 1e9),
      payload: payload({
        input_tokens: rand() < 0.2 ? null : Math.floor(rand() * 1e7),
        cost_usd: rand() < 0.5 ? null : Math.floor(rand() * 1e6) / 1e4,
        error: rand() < 0.1 ? 'quote " backslash \\ unicode é 😀 {"event_id":"x"}' : null,
        success: rand() < 0.5,
      }),
    };
    const line = encodeEvent(event);
    assert.ok(fastCheck(JSON.parse(line)), line);
    const decoded = decodeLine(line);
    assert.ok(decoded.ok);
    assert.deepEqual(decoded.event, event);
  }
});

Deno.test("lines missing optional keys fall back to the schemas and get defaults", () => {
  const { cache_read_tokens: _a, cache_write_tokens: _b, reasoning_tokens: _c, ...older } =
    payload();
  const value = JSON.parse(JSON.stringify({ ...BASE, payload: older }));
  assert.equal(fastCheck(value), undefined);
  const decoded = decodeLine(JSON.stringify(value));
  assert.ok(decoded.ok);
  assert.equal((decoded.event.payload as Record<string, unknown>).cache_read_tokens, null);
});

Deno.test("the read path and scan workers run without the schema library", async () => {
  // With an empty Deno cache and --cached-only, importing npm:zod fails: so a
  // clean run proves workers never load it (it would add ~14 MB to each).
  const denoDir = await Deno.makeTempDir();
  const log = await Deno.makeTempFile({ suffix: ".jsonl" });
  await Deno.writeTextFile(log, encodeEvent({ ...BASE }) + "\n");
  const run = async (code: string) =>
    await new Deno.Command(Deno.execPath(), {
      args: ["eval", "--cached-only", "--no-config", code],
      env: { DENO_DIR: denoDir, DENO_NO_UPDATE_CHECK: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
  const reducer = new URL("../src/cost/cost_reducer.ts", import.meta.url).href;
  const reader = new URL("../src/read/event_sink.ts", import.meta.url).href;
  const scan = await run(
    `const { readLog } = await import("${reader}");` +
      `const { createReducer } = await import("${reducer}");` +
      `const r = createReducer({ groupBy: ["agent"], pricing: { updated: null, entries: [] }, filter: {} });` +
      `await readLog(${JSON.stringify(log)}, r, () => {});` +
      `if (r.result().total.event_count !== 1) throw new Error("not read");`,
  );
  assert.equal(scan.code, 0, new TextDecoder().decode(scan.stderr));
  const control = await run(
    `await import("${new URL("../src/deps.ts", import.meta.url).href}");`,
  );
  assert.notEqual(control.code, 0, "the check cannot see zod being loaded");
});

Deno.test("fastInput accepts only what the input schema accepts, and returns the same record", async () => {
  const { ExecutionInputSchema } = await import("../src/event/execution.ts");
  const { fastInput } = await import("../src/event/fast_check.ts");
  const rand = prng(21);
  const pick = <T>(list: T[]) => list[Math.floor(rand() * list.length)];
  const keys = [...Object.keys(payload()), "event_id", "causation_id", "event_type", "typo"];
  let accepted = 0;
  for (let i = 0; i < 20_000; i++) {
    const fields: Record<string, unknown> = { agent: "a", role: "r" };
    for (let m = Math.floor(rand() * 4); m > 0; m--) {
      const key = pick(keys);
      if (rand() < 0.15) delete fields[key];
      else fields[key] = pick(WEIRD_VALUES);
    }
    const value = JSON.parse(JSON.stringify(fields));
    const fast = fastInput(value);
    if (fast === undefined) continue;
    accepted++;
    const schema = ExecutionInputSchema.safeParse(value);
    assert.ok(schema.success, `fast accepted what the schema rejects: ${JSON.stringify(value)}`);
    assert.deepEqual(fast, schema.data);
  }
  assert.ok(accepted > 1000, `too few accepted cases (${accepted})`);
});

Deno.test("emit records a valid event without loading the schema library", async () => {
  const denoDir = await Deno.makeTempDir();
  const root = await Deno.makeTempDir();
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--cached-only",
      "--no-config",
      "-A",
      new URL("../main.ts", import.meta.url).pathname,
      "emit",
      "--feature",
      "043-x",
      "--agent",
      "a",
      "--role",
      "r",
      "--input-tokens",
      "5",
      "--root",
      root,
    ],
    env: { DENO_DIR: denoDir, DENO_NO_UPDATE_CHECK: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
});

Deno.test("cost and query run without loading the schema library", async () => {
  // A cache holding js-yaml but not zod: with --cached-only, loading zod fails.
  const denoDir = await Deno.makeTempDir();
  const env = { DENO_DIR: denoDir, DENO_NO_UPDATE_CHECK: "1" };
  const yaml = new URL("../src/yaml.ts", import.meta.url).pathname;
  const cache = await new Deno.Command(Deno.execPath(), {
    args: ["cache", "--no-config", yaml],
    env,
    stdout: "null",
    stderr: "piped",
  }).output();
  assert.equal(cache.code, 0, new TextDecoder().decode(cache.stderr));
  const root = await Deno.makeTempDir();
  await Deno.mkdir(join(root, "kitty-specs", "043-x"), { recursive: true });
  await Deno.writeTextFile(
    join(root, "kitty-specs", "043-x", "execution.events.jsonl"),
    encodeEvent({ ...BASE }) + "\n",
  );
  const main = new URL("../main.ts", import.meta.url).pathname;
  for (const args of [["cost", "--json"], ["query", "--json", "--wp", "WP01"]]) {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--cached-only", "--no-config", "-A", main, ...args, "--root", root],
      env,
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(out.code, 0, `${args[0]}: ${new TextDecoder().decode(out.stderr)}`);
    assert.match(new TextDecoder().decode(out.stdout), /"event_count":1|"aggregate_id":"043-x"/);
  }
  const control = await new Deno.Command(Deno.execPath(), {
    args: [
      "eval",
      "--cached-only",
      "--no-config",
      `await import("${new URL("../src/deps.ts", import.meta.url).href}");`,
    ],
    env,
    stdout: "null",
    stderr: "null",
  }).output();
  assert.notEqual(control.code, 0, "the check cannot see zod being loaded");
});
