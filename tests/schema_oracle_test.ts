/**
 * The table-driven validators (`src/event/table_schema.ts`) against zod,
 * the oracle built from the same table (`zod_schemas.ts`): over every row
 * and many generated values, the same success, the same data (keys in the
 * same order) and the same issues (code, path, message, keys), first one
 * first, since their wording reaches warnings, errors and golden files.
 */
import assert from "node:assert/strict";
import { ENVELOPE_FIELDS, PAYLOAD_FIELDS } from "../src/event/fields.ts";
import { fieldSchema } from "../src/event/field_schemas.ts";
import { EnvelopeSchema } from "../src/event/envelope.ts";
import { ExecutionInputSchema, ExecutionPayloadSchema } from "../src/event/execution.ts";
import { NameSchema } from "../src/event/names.ts";
import { NUMBER_RANGES } from "../src/event/field_checks.ts";
import type { Schema } from "../src/event/table_schema.ts";
import { prng } from "../bench/generate.ts";
import { baseEvent, payload } from "./helpers.ts";
import { ZodEnvelope, zodField, ZodInput, ZodName, ZodPayload } from "./zod_schemas.ts";
import type { z } from "../src/deps.ts";

const bounds = Object.values(NUMBER_RANGES).flatMap((r) => [r.min, r.max])
  .flatMap((n) => [n - 1, n, n + 1, n + 0.5, n - 0.5]);

/** Values for every kind: each kind's good ones and bounds, and what no kind takes. */
const VALUES: unknown[] = [
  null,
  undefined,
  true,
  false,
  0,
  -0,
  1,
  -1,
  1.5,
  -1.5,
  NaN,
  Infinity,
  -Infinity,
  2 ** 53,
  2 ** 53 - 1,
  -(2 ** 53),
  2 ** 53 + 2,
  1e300,
  -1e300,
  ...bounds,
  "NaN",
  "Infinity",
  "-Infinity",
  "1",
  "",
  "x",
  "a\nb",
  "\u007f",
  "\u0085",
  "\ud800",
  "x".repeat(256),
  "x".repeat(257),
  "ExecutionEvent",
  "2026-02-16T09:12:58Z",
  "2026-02-16T09:12:58.036+01:00",
  "2026-02-16T09:12:58",
  "2026-02-30T09:12:58Z",
  "01KHJVJWDM0HGAGYGXJYKD1JQG",
  "ZZKHJVJWDM0HGAGYGXJYKD1JQG",
  "0123456789abcdef0123456789abcdef",
  "8f0b1c5e-3a1d-4b7e-9c2f-0a1b2c3d4e5f",
  "8f0b1c5e-3a1d-4b7e-9c2f-0a1b2c3d4e5",
  [],
  [1, "a"],
  {},
  { a: 1 },
  { nested: { deep: [1, { x: null }] } },
  JSON.parse('{"__proto__": {"polluted": 1}, "k": 2}'),
  { constructor: 1, toString: "x" },
  Object.create(null),
  new Date(0),
];

type Outcome = { success: boolean; data?: unknown; keys?: string[]; issues?: unknown[] };

function outcome(r: ReturnType<Schema<unknown>["safeParse"]> | z.ZodSafeParseResult<unknown>) {
  if (r.success) {
    const data = r.data;
    const keys = typeof data === "object" && data !== null ? Object.keys(data) : undefined;
    return { success: true, data, keys } as Outcome;
  }
  const issues = r.error.issues.map((i) => {
    const keys = "keys" in i ? i.keys : undefined;
    return { code: i.code, path: i.path, message: i.message, keys };
  });
  return { success: false, issues } as Outcome;
}

function same(ours: Schema<unknown>, zod: z.ZodType, value: unknown, what: string): boolean {
  const a = outcome(ours.safeParse(value));
  const b = outcome(zod.safeParse(value));
  assert.deepEqual(a, b, `${what}: ${show(value)}`);
  return a.success;
}

function show(value: unknown): string {
  try {
    return JSON.stringify(value, (_, v) => typeof v === "number" ? String(v) : v) ?? String(value);
  } catch {
    return String(value);
  }
}

Deno.test("each row's schema gives zod's result and issues for every probe value", () => {
  let passed = 0;
  let failed = 0;
  for (const field of [...ENVELOPE_FIELDS, ...PAYLOAD_FIELDS]) {
    for (const value of VALUES) {
      if (same(fieldSchema(field), zodField(field), value, field.key)) passed++;
      else failed++;
    }
  }
  // Both outcomes occur often, so agreement is not agreement on one answer.
  assert.ok(passed > 150 && failed > 1000, `${passed} passed, ${failed} failed`);
});

Deno.test("the name schema gives zod's issues", () => {
  for (const value of VALUES) same(NameSchema as Schema<unknown>, ZodName, value, "name");
});

const BASE_EVENT = baseEvent();

const ODD_KEYS = ["__proto__", "constructor", "toString", "typo", "hasOwnProperty", "0"];

/** A random edit of `base`: values from the pool, keys deleted, unknown keys added. */
function mutate(base: Record<string, unknown>, rand: () => number): unknown {
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)];
  const keys = [...Object.keys(base), ...ODD_KEYS];
  const out: Record<string, unknown> = structuredClone(base);
  for (let m = Math.floor(rand() * 4); m > 0; m--) {
    const key = pick(keys);
    if (rand() < 0.2) delete out[key];
    else {
      // An own `__proto__` key, as JSON.parse gives it for a log line.
      const value = pick(VALUES);
      Object.defineProperty(out, key, {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
  return out;
}

const OBJECTS: Array<[string, Schema<unknown>, z.ZodType, Record<string, unknown>]> = [
  ["envelope", EnvelopeSchema as Schema<unknown>, ZodEnvelope, BASE_EVENT],
  ["payload", ExecutionPayloadSchema as Schema<unknown>, ZodPayload, payload()],
  ["input", ExecutionInputSchema as Schema<unknown>, ZodInput, { agent: "a", role: "r" }],
  ["input", ExecutionInputSchema as Schema<unknown>, ZodInput, {
    ...payload(),
    event_id: "01KHJVJWDM0HGAGYGXJYKD1JQG",
  }],
];

for (const [name, ours, zod, base] of OBJECTS) {
  Deno.test(`the ${name} schema gives zod's data and issues over random objects`, () => {
    const seed = Number(Deno.env.get("KITTY_SEED") ?? 17);
    const rand = prng(seed);
    let passed = 0;
    let failed = 0;
    for (let i = 0; i < 5_000; i++) {
      if (same(ours, zod, mutate(base, rand), `${name} (seed ${seed})`)) passed++;
      else failed++;
    }
    for (const value of [null, [], "x", 1, undefined, new Date(0), Object.create(null)]) {
      same(ours, zod, value, name);
    }
    assert.ok(passed > 500 && failed > 500, `${passed} passed, ${failed} failed`);
  });
}

Deno.test("parse throws the issues safeParse returns, and returns the data", () => {
  const error = (() => {
    try {
      ExecutionInputSchema.parse({ agent: "a", role: "r", typo: 1, input_tokens: -1 });
    } catch (e) {
      return e as { issues: Array<{ path: unknown[]; code: string }> };
    }
  })();
  assert.deepEqual(error?.issues.map((i) => [i.code, i.path]), [
    ["too_small", ["input_tokens"]],
    ["unrecognized_keys", []],
  ]);
  assert.equal(ExecutionPayloadSchema.parse({ agent: "a", role: "r" }).wp_id, "N/A");
});
