/**
 * What the wasm kernel hands `cost` besides the values (the id's hash, the
 * reported amount split exactly into dollars and 1e-15 USD, the time as
 * epoch milliseconds for dated prices) must give the same totals as the
 * reference path: every line decoded by `JSON.parse` plus the schemas and
 * added as an event. Random logs in both layouts, with duplicates, reported,
 * estimated and unpriced events, prices that change at a date, and amounts
 * of every digit count. The seed is printed so a failure can be replayed.
 */
import assert from "node:assert/strict";
import { ByteChunk, LINE } from "../src/read/canonical_bytes.ts";
import { WasmReader } from "../src/read/wasm_reader.ts";
import type { LineView } from "../src/read/line_view.ts";
import { decodeLine, encodeEvent } from "../src/event/line_codec.ts";
import type { Event } from "../src/event/envelope.ts";
import { type CostPartial, createReducer } from "../src/cost/cost_reducer.ts";
import { defaultPricing } from "../src/cost/builtin_pricing.ts";
import { idHashOf } from "../src/cost/id_hash.ts";
import { usdToUnits } from "../src/cost/money.ts";
import type { GroupKey } from "../src/cost/group_keys.ts";
import { prng, pythonLine } from "../bench/generate.ts";
import { comparable } from "./helpers.ts";

const SEED = Number(Deno.env.get("KITTY_SEED") ?? Date.now() % 1_000_000);
console.log(`cost_kernel_sums_test seed: ${SEED} (replay with KITTY_SEED=${SEED})`);
const encoder = new TextEncoder();
const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** An amount as written: 1 to 13 whole digits, 0 to 14 places, trailing zeros kept. */
function amountText(rand: () => number): string {
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(rand() * 10)).join("");
  const wholeDigits = 1 + Math.floor(rand() * (rand() < 0.7 ? 3 : 13));
  const whole = wholeDigits === 1 ? digits(1) : String(1 + Math.floor(rand() * 9)) +
    digits(wholeDigits - 1);
  const places = Math.floor(rand() * 15);
  return places === 0 ? whole : `${whole}.${digits(places)}`;
}

function randomLine(rand: () => number, n: number): string {
  const pick = <T>(list: T[]) => list[Math.floor(rand() * list.length)];
  const count = () => pick([null, 0, 1, 1234, 250_000, 999_999_999_999]);
  const reported = rand() < 0.5;
  const day = pick(["2025-06-09", "2025-06-10", "2026-03-12", "2026-03-13"]);
  const event: Event = {
    // Either case, letters anywhere (the hash folds case): the full path upper-cases.
    event_id: "0" + Array.from({ length: 25 }, () => {
      const c = pick([...CROCKFORD]);
      return rand() < 0.3 ? c.toLowerCase() : c;
    }).join(""),
    event_type: "ExecutionEvent",
    aggregate_id: pick(["043-a", "044-b"]),
    lamport_clock: n,
    node_id: "n1",
    causation_id: null,
    timestamp: `${day}T${pick(["00:00:00", "01:30:00", "23:59:59"])}${
      pick(["", ".5", ".123456", ".123456789"])
    }${pick(["Z", "Z", "+02:00", "-05:00"])}`,
    payload: {
      wp_id: "WP01",
      agent: pick(["claude", "codex"]),
      role: "implementer",
      model: pick(["o3", "claude-opus-4-6", "gpt-5-codex", "unknown-model", null]),
      input_tokens: pick([null, 1, 100_000, 300_000]),
      output_tokens: count(),
      cache_read_tokens: count(),
      cache_write_tokens: count(),
      cache_write_1h_tokens: null,
      reasoning_tokens: null,
      cost_usd: reported ? Number(amountText(rand)) : null,
      duration_ms: 100,
      success: true,
      error: null,
      exit_code: 0,
    },
  };
  let line = rand() < 0.5 ? encodeEvent(event) : pythonLine(event);
  // The amount as written (trailing zeros, many places), not as JSON.stringify spells it.
  if (reported) line = line.replace(/("cost_usd": ?)[^,}]+/, `$1${amountText(rand)}`);
  return line;
}

/** Every line of `text` through the wasm reader (the fast path), as `cost` adds them. */
function viaKernel(text: string, by: GroupKey[]): { partial: CostPartial; kernel: number } {
  const reducer = createReducer({ groupBy: by, pricing: defaultPricing(), filter: {} });
  const bytes = encoder.encode(text);
  const chunk = new ByteChunk(bytes, bytes.length);
  const reader = new WasmReader();
  let kernel = 0;
  let start = 0;
  for (const line of text.split("\n")) {
    const found = reader.read(chunk, start);
    if (found === LINE.EXECUTION) {
      const view = reader.view as LineView;
      if (!Number.isNaN(view.idHash)) kernel++;
      reducer.execution!(view, 0);
    } else {
      const decoded = decodeLine(line);
      assert.ok(decoded.ok, line);
      reducer.events([decoded.event]);
    }
    start += line.length + 1;
  }
  return { partial: reducer.result(), kernel };
}

/** The reference: every line decoded by the full path and added as an event. */
function viaFullPath(text: string, by: GroupKey[]): CostPartial {
  const reducer = createReducer({ groupBy: by, pricing: defaultPricing(), filter: {} });
  for (const line of text.split("\n")) {
    const decoded = decodeLine(line);
    assert.ok(decoded.ok, line);
    reducer.events([decoded.event]);
  }
  return reducer.result();
}

Deno.test("cost through the kernel's hashes, split amounts and times equals the full path", () => {
  const rand = prng(SEED);
  let kernel = 0;
  for (let round = 0; round < 20; round++) {
    const lines: string[] = [];
    for (let n = 0; n < 200; n++) {
      lines.push(randomLine(rand, n));
      // Duplicates: the same line again, later.
      if (rand() < 0.1) lines.push(lines[Math.floor(rand() * lines.length)]);
    }
    const text = lines.join("\n");
    for (const by of [["model"], ["agent", "model"]] as GroupKey[][]) {
      const fast = viaKernel(text, by);
      kernel += fast.kernel;
      assert.deepEqual(comparable(fast.partial), comparable(viaFullPath(text, by)), `seed ${SEED}`);
    }
  }
  // The kernel itself took most lines: the new path ran.
  assert.ok(kernel > 20 * 200 * 2 * 0.9, `${kernel}`);
});

Deno.test("the kernel's id hash and split amount are idHashOf and usdToUnits of the decoded event", () => {
  const rand = prng(SEED + 1);
  let split = 0;
  const reader = new WasmReader();
  for (let n = 0; n < 3000; n++) {
    const line = randomLine(rand, n);
    const bytes = encoder.encode(line);
    const found = reader.read(new ByteChunk(bytes, bytes.length), 0);
    const view = reader.view as LineView;
    const decoded = decodeLine(line);
    assert.ok(decoded.ok, line);
    // Left to the JS readers (over 15 digits, over $1e12): nothing from the kernel.
    if (found !== LINE.EXECUTION || Number.isNaN(view.idHash)) {
      assert.ok(Number.isNaN(view.usdWhole), line);
      continue;
    }
    assert.equal(view.idHash, idHashOf(decoded.event.event_id), line);
    const usd = decoded.event.payload.cost_usd as number | null;
    if (usd === null) {
      assert.ok(Number.isNaN(view.usdWhole), line);
      continue;
    }
    split++;
    assert.ok(Number.isInteger(view.usdWhole) && Number.isInteger(view.usdFemtos), line);
    assert.ok(view.usdFemtos >= 0 && view.usdFemtos < 1e15, line);
    assert.equal(
      BigInt(view.usdWhole) * 10n ** 15n + BigInt(view.usdFemtos),
      usdToUnits(usd),
      line,
    );
  }
  assert.ok(split > 1000, `${split}`);
});
