import assert from "node:assert/strict";
import { join } from "node:path";
import { EnvelopeSchema } from "../src/event/envelope.ts";
import { decodeLine, encodeEvent } from "../src/event/line_codec.ts";
import { isUlid, isUuid, ulidFactory } from "../src/event/ulid.ts";
import { baseEvent, payload, REFERENCE_ROOT } from "./helpers.ts";

const ENVELOPE = baseEvent();

async function referenceLines(feature: string): Promise<string[]> {
  const text = await Deno.readTextFile(
    join(REFERENCE_ROOT, "kitty-specs", feature, "execution.events.jsonl"),
  );
  return text.split("\n").filter((l) => l.trim() !== "");
}

Deno.test("every line the Python writer wrote decodes to a valid execution event", async () => {
  for (
    const feature of ["043-telemetry-foundation", "048-full-lifecycle-telemetry-events"]
  ) {
    for (const line of await referenceLines(feature)) {
      const result = decodeLine(line);
      assert.ok(result.ok, `${feature}: ${!result.ok && result.reason}`);
      assert.equal(result.event.aggregate_id, feature);
      assert.equal(result.event.event_type, "ExecutionEvent");
    }
  }
});

Deno.test("Python-written lines read back with their values and defaults for missing keys", async () => {
  const [first] = await referenceLines("043-telemetry-foundation");
  const result = decodeLine(first);
  assert.ok(result.ok);
  assert.equal(result.event.timestamp, "2026-02-16T09:12:58.036834+00:00");
  assert.equal(result.event.node_id, "cli:WP04");
  assert.deepEqual(result.event.payload, {
    wp_id: "WP04",
    agent: "copilot",
    role: "implementer",
    model: "claude-sonnet-4.5",
    input_tokens: 30532200,
    output_tokens: 178560,
    cache_read_tokens: null,
    cache_write_tokens: null,
    cache_write_1h_tokens: null,
    reasoning_tokens: null,
    cost_usd: 15.6,
    duration_ms: 17880000,
    success: true,
    error: null,
    exit_code: 0,
  });
});

Deno.test("048's null tokens and null models read as null", async () => {
  const events = (await referenceLines("048-full-lifecycle-telemetry-events")).map((l) => {
    const r = decodeLine(l);
    assert.ok(r.ok);
    return r.event.payload as Record<string, unknown>;
  });
  assert.equal(events.length, 8);
  assert.equal(events.filter((p) => p.model === null).length, 4);
  assert.equal(events.filter((p) => p.output_tokens === null).length, 7);
  assert.ok(events.every((p) => p.cost_usd === null));
});

Deno.test("\\uXXXX escapes in Python-written lines decode to the characters", () => {
  const line = JSON.stringify({
    ...ENVELOPE,
    payload: payload({ error: "caf\u00e9 \u2014 \ud83d\ude00" }),
  })
    .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  assert.match(line, /\\u00e9/);
  const result = decodeLine(line);
  assert.ok(result.ok);
  assert.equal((result.event.payload as { error: string }).error, "café — 😀");
});

Deno.test("the tool writes envelope keys, then payload keys, in one fixed order", () => {
  const shuffled = {
    payload: { exit_code: 0, agent: "a", wp_id: "W", role: "r", success: true },
    timestamp: ENVELOPE.timestamp,
    node_id: "n1",
    lamport_clock: 1,
    event_type: "ExecutionEvent",
    causation_id: null,
    aggregate_id: "043-x",
    event_id: ENVELOPE.event_id,
  };
  const decoded = decodeLine(JSON.stringify(shuffled));
  assert.ok(decoded.ok);
  const line = encodeEvent(decoded.event);
  const keys = [...line.matchAll(/"([a-z0-9_]+)":/g)].map((m) => m[1]);
  assert.deepEqual(keys, [
    "event_id",
    "event_type",
    "aggregate_id",
    "lamport_clock",
    "node_id",
    "causation_id",
    "timestamp",
    "payload",
    "wp_id",
    "agent",
    "role",
    "model",
    "input_tokens",
    "output_tokens",
    "cache_read_tokens",
    "cache_write_tokens",
    "cache_write_1h_tokens",
    "reasoning_tokens",
    "cost_usd",
    "duration_ms",
    "success",
    "error",
    "exit_code",
  ]);
  assert.ok(!line.includes(" "));
});

Deno.test("encode then decode gives the same event back", () => {
  const decoded = decodeLine(encodeEvent(ENVELOPE));
  assert.ok(decoded.ok);
  assert.deepEqual(decoded.event, ENVELOPE);
});

Deno.test("unknown top-level and payload keys are kept on read and written after the known ones", () => {
  const line = JSON.stringify({
    ...ENVELOPE,
    schema_version: 3,
    payload: { ...payload(), tool_calls: 12 },
  });
  const decoded = decodeLine(line);
  assert.ok(decoded.ok);
  assert.equal((decoded.event as Record<string, unknown>).schema_version, 3);
  const out = encodeEvent(decoded.event);
  assert.match(out, /"exit_code":0,"tool_calls":12\},"schema_version":3\}$/);
});

Deno.test("UUID event ids and causation ids are accepted on read", () => {
  const uuid = "123e4567-e89b-12d3-a456-426614174000";
  const result = decodeLine(JSON.stringify({ ...ENVELOPE, event_id: uuid, causation_id: uuid }));
  assert.ok(result.ok);
  assert.equal(result.event.event_id, uuid);
});

Deno.test("timestamps with Z, +00:00, other offsets and microseconds are accepted", () => {
  for (
    const ts of [
      "2026-02-16T09:12:58Z",
      "2026-02-16T09:12:58.036834+00:00",
      "2026-02-16T10:12:58.1+01:00",
      "2026-02-16T09:12:58.036Z",
    ]
  ) {
    assert.ok(EnvelopeSchema.safeParse({ ...ENVELOPE, timestamp: ts }).success, ts);
  }
});

const INVALID: Array<[string, Record<string, unknown>, RegExp]> = [
  ["a short event id", { event_id: "01KHJ" }, /event_id/],
  ["an empty event type", { event_type: "" }, /event_type/],
  ["an empty aggregate id", { aggregate_id: "" }, /aggregate_id/],
  ["a negative clock", { lamport_clock: -1 }, /lamport_clock/],
  ["a fractional clock", { lamport_clock: 1.5 }, /lamport_clock/],
  ["a clock beyond 2^53", { lamport_clock: 2 ** 53 + 2 }, /lamport_clock/],
  ["an empty node id", { node_id: "" }, /node_id/],
  ["a bad causation id", { causation_id: "nope" }, /causation_id/],
  ["a time that is not one", { timestamp: "yesterday" }, /timestamp/],
  ["an impossible date", { timestamp: "2026-02-30T09:12:58Z" }, /timestamp/],
  ["an array payload", { payload: [] }, /payload/],
];

/** Lines the Python reader counts: the envelope is valid; a payload value is not valid for its key. */
const UNKNOWN_VALUES: Array<[string, Record<string, unknown>, string[]]> = [
  ["negative tokens", payload({ input_tokens: -1 }), ["input_tokens"]],
  ["fractional tokens", payload({ output_tokens: 1.5 }), ["output_tokens"]],
  ["boolean tokens", payload({ cache_read_tokens: true }), ["cache_read_tokens"]],
  ["a string success", payload({ success: "yes" }), ["success"]],
  ["a missing agent and role", {}, ["agent", "role"]],
  ["a null agent", payload({ agent: null }), ["agent"]],
  ["a negative cost", payload({ cost_usd: -0.5 }), ["cost_usd"]],
  ["a cost over 1e12", payload({ cost_usd: 2e12 }), ["cost_usd"]],
  ["an empty model", payload({ model: "" }), ["model"]],
  ["a name over 256 characters", payload({ wp_id: "w".repeat(300) }), ["wp_id"]],
  ["a null duration", payload({ duration_ms: null }), ["duration_ms"]],
  ["a numeric error", payload({ error: 42 }), ["error"]],
];

for (const [what, value, keys] of UNKNOWN_VALUES) {
  Deno.test(`a line with ${what} is an event, its invalid values read as unknown`, () => {
    const result = decodeLine(JSON.stringify({ ...ENVELOPE, payload: value }));
    assert.ok(result.ok);
    assert.deepEqual(result.invalid, keys);
    for (const key of keys) assert.equal(result.event.payload[key], null, key);
  });
}

/** Timestamps Python's datetime.fromisoformat reads, plus Z: events (no offset: UTC). */
const PYTHON_TIMES: Array<[string, string]> = [
  ["2026-02-16T09:12:58", "2026-02-16T09:12:58.000Z"],
  ["2026-02-16 09:12:58.123456", "2026-02-16T09:12:58.123Z"],
  ["2026-02-16T10:12:58+0100", "2026-02-16T09:12:58.000Z"],
  ["2026-02-16T09:12:58+00:00", "2026-02-16T09:12:58.000Z"],
  ["2026-02-16", "2026-02-16T00:00:00.000Z"],
];

for (const [timestamp, utc] of PYTHON_TIMES) {
  Deno.test(`a line timed ${timestamp} is an event at ${utc}`, async () => {
    const { isoInstantMs } = await import("../src/event/iso_time.ts");
    const result = decodeLine(JSON.stringify({ ...ENVELOPE, timestamp }));
    assert.ok(result.ok);
    assert.equal(new Date(isoInstantMs(timestamp)).toISOString(), utc);
  });
}

for (const [what, change, field] of INVALID) {
  Deno.test(`a line with ${what} is rejected with a reason naming the field`, () => {
    const result = decodeLine(JSON.stringify({ ...ENVELOPE, ...change }));
    assert.ok(!result.ok);
    assert.match(result.reason, field);
  });
}

Deno.test("lines that are not JSON objects are rejected, never thrown", () => {
  for (const line of ["", "{", "[]", "null", "42", '"x"', "{}", "\u0000"]) {
    const result = decodeLine(line);
    assert.ok(!result.ok, line);
  }
});

Deno.test("ulidFactory mints sortable, monotonic, upper-case ULIDs", () => {
  let t = 1_700_000_000_000;
  const next = ulidFactory({ now: () => t, random: (b) => b.fill(255) });
  const a = next();
  t += 1;
  const b = next();
  assert.ok(isUlid(a) && isUlid(b));
  assert.equal(a, a.toUpperCase());
  assert.ok(a < b);
  const same = ulidFactory({ now: () => 5, random: (bytes) => bytes.fill(1) });
  const ids = [same(), same(), same()];
  assert.deepEqual([...ids].sort(), ids);
  assert.equal(new Set(ids).size, 3);
});

Deno.test("ulidFactory encodes the time in the first 10 characters", () => {
  const next = ulidFactory({ now: () => 1469918176385, random: (b) => b.fill(0) });
  assert.equal(next().slice(0, 10), "01ARYZ6S41");
});

Deno.test("isUlid and isUuid accept only their shapes", () => {
  assert.ok(isUlid("01khjvjwdm0hgagygxjykd1jqg"));
  assert.ok(!isUlid("01KHJVJWDM0HGAGYGXJYKD1JQU")); // U is not Crockford
  assert.ok(!isUlid("81KHJVJWDM0HGAGYGXJYKD1JQG")); // beyond 48 bits of time
  assert.ok(isUuid("123E4567-E89B-12D3-A456-426614174000"));
  assert.ok(!isUuid("123e4567e89b12d3a456426614174000"));
});

// The Python implementation's shared/reference, beside the repository (absent in a lone clone).
const SHARED_REFERENCE = join(REFERENCE_ROOT, "..", "..", "..", "..", "shared", "reference");
const SHARED_PRESENT = await Deno.stat(SHARED_REFERENCE).then(() => true, () => false);

Deno.test({
  name: "the reference fixtures are a faithful copy of shared/reference",
  ignore: !SHARED_PRESENT,
}, async () => {
  const shared = SHARED_REFERENCE;
  for (
    const file of [
      "kitty-specs/043-telemetry-foundation/execution.events.jsonl",
      "kitty-specs/043-telemetry-foundation/.telemetry-clock.json",
      "kitty-specs/048-full-lifecycle-telemetry-events/execution.events.jsonl",
      "kitty-specs/048-full-lifecycle-telemetry-events/.telemetry-clock.json",
      "spec-kitty-pricing.yaml",
    ]
  ) {
    assert.deepEqual(
      await Deno.readFile(join(REFERENCE_ROOT, file)),
      await Deno.readFile(join(shared, file)),
      file,
    );
  }
});

Deno.test("isRfc3339 agrees with a reference regex on valid and broken timestamps", async () => {
  const { isRfc3339 } = await import("../src/event/envelope.ts");
  const reference = (v: string) => {
    const m =
      /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$/
        .exec(v);
    if (!m) return false;
    const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number);
    const dim = new Date(Date.UTC(y, mo, 0)).getUTCDate();
    return mo >= 1 && mo <= 12 && d >= 1 && d <= dim && h < 24 && mi < 60 && s < 60 &&
      Number(m[9] ?? 0) < 24 && Number(m[10] ?? 0) < 60;
  };
  const base = "2024-02-29T23:59:59.123456+05:30";
  const cases = new Set<string>([base, "2026-02-16T09:12:58Z", "2026-02-16T09:12:58.0z"]);
  const chars = "0123456789-:.TZz+ x";
  let seed = 1;
  const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  for (let i = 0; i < 20_000; i++) {
    const a = [...base];
    const edits = 1 + Math.floor(rand() * 3);
    for (let e = 0; e < edits; e++) {
      const at = Math.floor(rand() * a.length);
      const r = rand();
      if (r < 0.6) a[at] = chars[Math.floor(rand() * chars.length)];
      else if (r < 0.8) a.splice(at, 1);
      else a.splice(at, 0, chars[Math.floor(rand() * chars.length)]);
    }
    cases.add(a.join(""));
  }
  for (const c of cases) assert.equal(isRfc3339(c), reference(c), c);
});
