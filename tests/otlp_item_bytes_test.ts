/**
 * The file export writes spans and log records straight into bytes
 * (`src/export/item_bytes.ts`); the push writes them as strings
 * (`spanJson`, `logRecordJson` in `src/export/otlp_encode.ts`). The two
 * must be the same text, byte for byte, for any event: odd names, escapes,
 * unicode, huge and negative numbers, times from 1970 to 9999, failures.
 */
import assert from "node:assert/strict";
import { prng } from "../bench/generate.ts";
import { ByteOut } from "../src/export/byte_out.ts";
import { ItemWriter } from "../src/export/item_bytes.ts";
import { logRecordJson, spanJson } from "../src/export/otlp_encode.ts";
import { type ExportRow, usd6 } from "../src/export/otlp_mapping.ts";
import { formatUsd } from "../src/cost/money.ts";
import type { ExecutionEvent } from "../src/event/execution.ts";

const SEED = Number(Deno.env.get("KITTY_SEED") ?? Date.now() % 1_000_000);
console.log(`otlp_item_bytes_test seed: ${SEED} (replay with KITTY_SEED=${SEED})`);

function randomRow(rand: () => number, i: number): ExportRow {
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)];
  const maybe = <T>(value: T) => (rand() < 0.2 ? null : value);
  const text = () =>
    pick([
      "claude",
      "WP01",
      "043-feature",
      "",
      'quote " and \\ backslash',
      "back\\slash only",
      "line\nbreak\ttab\u0000nul\u001f",
      "é-unicode 😀 \u2028 \u007f",
      "lone \ud800 surrogate",
      "x".repeat(300),
      "ü".repeat(1100),
      `distinct-${i}`, // more than the writer remembers
    ]);
  const count = () =>
    pick([
      0,
      1,
      7,
      9,
      10,
      99,
      100_000,
      2 ** 31 - 1,
      2 ** 31,
      2 ** 32 + 5,
      123_456_789_012,
      Number.MAX_SAFE_INTEGER,
      9_007_199_199_999_999,
      8_999_999_999_999_999,
      999_999_999_999_999,
      100_000_000_005, // zeros inside the digits
      2 ** 53 + 2,
      1e21,
      -5,
      -0,
      Math.floor(rand() * 1e15),
    ]);
  const timestamp = pick([
    "2026-01-01T00:02:00.000Z",
    "2026-03-05T10:20:30.123456+02:00",
    "1970-01-01T00:00:00Z",
    "1969-12-31T23:59:59.5Z",
    "9999-12-31T23:59:59.999999Z",
    "2026-01-01T00:00:00.000123Z",
    "2025-06-30 12:00:00",
    `20${10 + Math.floor(rand() * 20)}-0${1 + Math.floor(rand() * 9)}-1${Math.floor(rand() * 9)}T0${
      Math.floor(rand() * 10)
    }:1${Math.floor(rand() * 10)}:00.${Math.floor(rand() * 999_999)}-05:00`,
  ]);
  const success = pick([true, false, null]);
  const event = {
    event_id: pick([
      "01KHJVJWDM0HGAGYGXJYKD1JQG",
      "01khjvjwdm0hgagygxjykd1jqg",
      "01khjvjwdm0hgagygxjykd1jqu", // no ULID (u): hashed as spelled
      "01KHJVJWDM0HGAGYGXJYKD1JQ" + pick(["I", "L", "O", "~", "é", "z"]),
      "123E4567-E89B-12D3-A456-426614174000",
      "0123456789ABCDEF0123456789abcdef",
      `id-${i}-${rand()}`,
      "é".repeat(40) + i,
    ]),
    event_type: "ExecutionEvent",
    aggregate_id: text(),
    lamport_clock: count(),
    node_id: text(),
    causation_id: null,
    timestamp,
    payload: {
      wp_id: text(),
      agent: pick([text(), null]),
      role: text(),
      model: maybe(text()),
      input_tokens: maybe(count()),
      output_tokens: maybe(count()),
      cache_read_tokens: maybe(count()),
      cache_write_tokens: maybe(count()),
      cache_write_1h_tokens: maybe(count()),
      reasoning_tokens: maybe(count()),
      cost_usd: maybe(pick([0, 0.5, 1e-7, 123.456789, 1e21, NaN, Infinity, rand() * 100])),
      duration_ms: pick([0, 1500, null, count(), 1e17, 9e15]),
      success,
      error: success === false || rand() < 0.1 ? maybe(text()) : null,
      exit_code: pick([0, 1, 3, -9, 255, 2 ** 40]),
    },
  } as unknown as ExecutionEvent;
  const kind = pick(["reported", "estimated", "unpriced"] as const);
  return {
    event,
    cost: {
      kind,
      units: BigInt(Math.floor(rand() * 1e12)) * BigInt(Math.floor(rand() * 1e6)),
      model: null,
    } as ExportRow["cost"],
    canonicalModel: maybe(text()),
    provider: maybe(pick(["anthropic", "google", "x-ai", "aws", text()])),
  };
}

/** What the writer makes of `rows`, through a buffer of `size` bytes (spilled when full). */
function written(signal: "traces" | "logs", rows: ExportRow[], size: number): string[] {
  const writer = new ItemWriter(signal);
  const parts: Uint8Array[] = [];
  const out = new ByteOut(new Uint8Array(size), (filled) => {
    parts.push(filled.slice());
    return new Uint8Array(size);
  });
  const ends: number[] = [];
  for (const row of rows) {
    writer.write(out, row);
    ends.push(parts.reduce((n, p) => n + p.length, 0) + out.at);
  }
  out.flush();
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.length;
  }
  // Cut at each item's end, then decode: the items as the writer split them.
  const items: string[] = [];
  let from = 0;
  for (const end of ends) {
    items.push(new TextDecoder().decode(bytes.subarray(from, end)));
    from = end;
  }
  assert.equal(from, bytes.length);
  return items;
}

for (const signal of ["traces", "logs"] as const) {
  Deno.test(`${signal}: the byte writer writes what the reference writes, over random events`, () => {
    const rand = prng(SEED + (signal === "logs" ? 1 : 0));
    const rows = Array.from({ length: 3000 }, (_, i) => randomRow(rand, i));
    const reference = rows.map(signal === "traces" ? spanJson : logRecordJson);
    for (const size of [1 << 20, 61]) {
      const got = written(signal, rows, size);
      assert.equal(got.length, reference.length);
      for (let i = 0; i < rows.length; i++) {
        assert.equal(got[i], reference[i], `row ${i} (size ${size}, KITTY_SEED=${SEED})`);
      }
    }
    // Not vacuous: the rows reached the odd cases.
    const all = reference.join("\n");
    // A time before 1970 is written as 0 (OTLP's times are unsigned).
    const odd = ["\\u0000", "😀", "\\ud800", "1e+21", '"-5"', 'UnixNano":"0"', '"ERROR"'];
    for (const seen of signal === "traces" ? [...odd.slice(0, -1), '"status"'] : odd) {
      assert.ok(all.includes(seen), seen);
    }
  });
}

Deno.test("kitty.cost_usd's number is what formatUsd's text parses to, for any units", () => {
  const rand = prng(SEED + 2);
  const units: bigint[] = [
    0n,
    1n,
    499_999_999n,
    500_000_000n,
    999_999_999_500_000_000n,
    -1n,
    -500_000_000n,
  ];
  for (let i = 0; i < 20_000; i++) {
    const digits = 1 + Math.floor(rand() * 30);
    let text = "";
    for (let d = 0; d < digits; d++) text += Math.floor(rand() * 10);
    units.push(
      BigInt(text),
      BigInt(text) * 1_000_000_000n + 500_000_000n,
      BigInt(text) * 1_000_000_000n + 499_999_999n,
    );
  }
  for (const u of units) assert.equal(usd6(u), Number(formatUsd(u)), `${u} (KITTY_SEED=${SEED})`);
});
