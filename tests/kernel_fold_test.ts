/**
 * The wasm kernel's fold (src/read/wasm/scan/45_fold.wat, fold_table.ts,
 * src/cost/kernel_fold.ts): `cost` with no filter and one name key (or none)
 * has the kernel sum the lines it vouches for. The sums must be exactly
 * those of the same read with the fold switched off, and of the full path
 * (every line decoded by `JSON.parse` plus the schemas). Random logs in both
 * layouts (keys left out in the Python writer's), duplicates, reported,
 * estimated and unpriced events, null models, spellings of one model, tiered
 * and dated prices (boundaries hit exactly), `--prices-at`, huge counts,
 * many names (past the kernel's name-table reset and its 255 groups). The
 * seed is printed so a failure can be replayed.
 */
import assert from "node:assert/strict";
import { decodeLine, encodeEvent } from "../src/event/line_codec.ts";
import type { Event } from "../src/event/envelope.ts";
import { type CostPartial, createReducer } from "../src/cost/cost_reducer.ts";
import { defaultPricing } from "../src/cost/builtin_pricing.ts";
import type { GroupKey } from "../src/cost/group_keys.ts";
import type { PricingTable } from "../src/cost/pricing.ts";
import { kernelFold } from "../src/cost/kernel_fold.ts";
import { CostAggregator } from "../src/cost/aggregate.ts";
import { HashList } from "../src/cost/id_hash.ts";
import { readLog } from "../src/read/event_sink.ts";
import { parallelScan } from "../src/read/parallel_scan.ts";
import { prng, pythonLine } from "../bench/generate.ts";
import { comparable, payload } from "./helpers.ts";
import { sampleEvent } from "./store_contract.ts";

const SEED = Number(Deno.env.get("KITTY_SEED") ?? Date.now() % 1_000_000);
console.log(`kernel_fold_test seed: ${SEED} (replay with KITTY_SEED=${SEED})`);
const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const EXECUTION = { types: ["ExecutionEvent"] };

function amountText(rand: () => number): string {
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(rand() * 10)).join("");
  const whole = rand() < 0.8
    ? String(Math.floor(rand() * 3))
    : `${1 + Math.floor(rand() * 9)}${digits(8)}`;
  const places = Math.floor(rand() * 15);
  return places === 0 ? whole : `${whole}.${digits(places)}`;
}

/** Token counts that put the prompt (input + cache read + cache write) on and around 200,000. */
const PROMPTS: [number | null, number | null, number | null, number | null][] = [
  [100_000, 100_000, null, null], // 200,000: the base rates
  [100_000, 100_000, 1, null], // 200,001: the tier's
  [100_000, 99_999, null, 1], // 200,000 through the 1-hour share (writes at least the share)
  [150_000, 50_000, 0, 1], // 200,001
  [1234, null, 50_000, 60_000],
  [null, 0, 2, 0],
  [250_000, 500_000, 100_000, 0], // past the tier: JS
];

interface Options {
  /** The feature of line n. */
  feature: (n: number) => string;
}

function randomLine(rand: () => number, n: number, options: Options): string {
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)];
  const reported = rand() < 0.35;
  const [input, cacheRead, cacheWrite, share] = pick(PROMPTS);
  const payload: Record<string, unknown> = {
    wp_id: pick(["WP01", "WP02"]),
    agent: pick(["claude", "codex", "gemini"]),
    role: pick(["implementer", "reviewer"]),
    model: pick([
      "o3",
      "claude-opus-4-6",
      "claude-sonnet-4-5",
      "Claude-Sonnet-4.5",
      "gpt-5-codex",
      "gemini-2.5-pro",
      "unknown-model",
      null,
    ]),
    input_tokens: rand() < 0.03 ? 999_999_999_999 : input,
    output_tokens: pick([null, 0, 5000, 123_457]),
    cache_read_tokens: cacheRead,
    cache_write_tokens: cacheWrite,
    cache_write_1h_tokens: share,
    reasoning_tokens: null,
    cost_usd: reported ? Number(amountText(rand)) : null,
    duration_ms: 100,
    success: rand() < 0.9,
    error: null,
    exit_code: 0,
  };
  const event: Event = {
    event_id: "0" + Array.from({ length: 25 }, () => {
      const c = pick([...CROCKFORD]);
      return rand() < 0.2 ? c.toLowerCase() : c;
    }).join(""),
    event_type: "ExecutionEvent",
    aggregate_id: options.feature(n),
    lamport_clock: n,
    node_id: pick(["n1", "n2"]),
    causation_id: null,
    // Both sides of o3's (2025-06-10) and claude-opus-4-6's (2026-03-13) price changes.
    timestamp: `${pick(["2025-06-09", "2025-06-10", "2026-03-12", "2026-03-13"])}T${
      pick(["00:00:00", "00:00:00", "12:00:00", "23:59:59"])
    }${pick(["", "", ".5", ".123456"])}${pick(["Z", "Z", "Z", "+02:00"])}`,
    payload: payload as Event["payload"],
  };
  // Now and then a time no reader may vouch for: the line is no event.
  if (rand() < 0.02) event.timestamp = pick(["2026-02-30T00:00:00Z", "not-a-time"]);
  if (rand() < 0.5) {
    let line = encodeEvent(event);
    if (reported) line = line.replace(/("cost_usd":)[^,}]+/, `$1${amountText(rand)}`);
    return line;
  }
  // The Python writer's layout may leave out any key that has a default.
  for (const key of ["wp_id", "model", "cache_write_1h_tokens", "cost_usd", "output_tokens"]) {
    if (payload[key] === null || key === "wp_id") {
      if (rand() < 0.2) delete payload[key];
    }
  }
  let line = pythonLine(event);
  if (reported && "cost_usd" in payload) {
    line = line.replace(/("cost_usd": )[^,}]+/, `$1${amountText(rand)}`);
  }
  return line;
}

function randomLog(rand: () => number, count: number, options: Options): string {
  const lines: string[] = [];
  for (let n = 0; n < count; n++) {
    lines.push(randomLine(rand, n, options));
    if (rand() < 0.05) lines.push(lines[Math.floor(rand() * lines.length)]);
  }
  return lines.join("\n") + "\n";
}

/** `cost`'s sums of the log at `path`, the fold on or off; with the lines the kernel folded. */
async function costOf(path: string, by: GroupKey[], pricing: PricingTable, fold: boolean) {
  const reducer = createReducer({ groupBy: by, pricing, filter: EXECUTION });
  const plan = reducer.fold;
  let folded = 0;
  const counted = plan && {
    ...plan,
    hashes(values: Float64Array) {
      folded += values.length;
      plan.hashes(values);
    },
  };
  await readLog(path, { ...reducer, fold: fold ? counted : undefined }, () => {});
  return { partial: reducer.result(), folded };
}

/** The reference: every line decoded by the full path and added as an event. */
function fullPath(text: string, by: GroupKey[], pricing: PricingTable): CostPartial {
  const reducer = createReducer({ groupBy: by, pricing, filter: EXECUTION });
  let skipped = 0;
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const decoded = decodeLine(line);
    if (decoded.ok) reducer.events([decoded.event]);
    else skipped++;
  }
  // Lines with a time that is no time were written: they are no events.
  assert.ok(skipped > 0);
  return reducer.result();
}

const GROUP_BYS: GroupKey[][] = [[], ["wp"], ["agent"], ["role"], ["model"], ["feature"]];

async function check(
  text: string,
  pricing: PricingTable,
  minFolded: (by: GroupKey[]) => number,
): Promise<void> {
  const path = await Deno.makeTempFile({ suffix: ".jsonl" });
  try {
    await Deno.writeTextFile(path, text);
    const lines = text.split("\n").length - 1;
    for (const by of GROUP_BYS) {
      const on = await costOf(path, by, pricing, true);
      const off = await costOf(path, by, pricing, false);
      const why = `seed ${SEED}, --group-by ${by.join(",")}`;
      assert.equal(off.folded, 0);
      if (Deno.env.get("KITTY_FOLD_VERBOSE")) console.log(why, on.folded, lines);
      assert.deepEqual(comparable(on.partial), comparable(off.partial), why);
      assert.deepEqual(comparable(on.partial), comparable(fullPath(text, by, pricing)), why);
      // The kernel summed a good share itself: the fold ran.
      assert.ok(on.folded >= minFolded(by) * lines, `${why}: ${on.folded} of ${lines} folded`);
    }
  } finally {
    await Deno.remove(path);
  }
}

Deno.test("the kernel's fold gives the sums of the fold switched off and of the full path", async () => {
  const rand = prng(SEED);
  for (let round = 0; round < 3; round++) {
    const text = randomLog(rand, 3000, { feature: (n) => `04${n % 3}-f` });
    await check(text, defaultPricing(), () => 0.5);
    // --prices-at: one day's prices for every event.
    await check(text, { ...defaultPricing(), prices_at: "2025-06-01" }, () => 0.5);
  }
});

Deno.test("the fold past the kernel's name-table reset and its 255 groups", async () => {
  const rand = prng(SEED + 1);
  // A new feature every line: the name table fills (and is emptied) every
  // ~3,000 lines, and by feature there are more groups than the kernel holds.
  const text = randomLog(rand, 9000, { feature: (n) => `f-${n}-${"x".repeat(n % 40)}` });
  // By feature each line meets a new group: the kernel asks, JS sums (all of it must still agree).
  await check(text, defaultPricing(), (by) => by[0] === "feature" ? 0 : 0.5);
});

Deno.test("only cost with no filter and one name key (or none) asks for the fold", () => {
  const pricing = defaultPricing();
  const plan = (groupBy: GroupKey[], filter: object = EXECUTION) =>
    kernelFold({ groupBy, pricing, filter }, new CostAggregator(groupBy, pricing), new HashList());
  for (const by of GROUP_BYS) assert.ok(plan(by), by.join(","));
  assert.equal(plan(["model"])?.groupKey, "model");
  assert.equal(plan(["feature"])?.groupKey, "aggregate_id");
  assert.equal(plan([])?.groupKey, null);
  for (const by of [["day"], ["week"], ["month"], ["agent", "model"]] as GroupKey[][]) {
    assert.equal(plan(by), undefined, by.join(","));
  }
  assert.equal(plan(["model"], { ...EXECUTION, agents: ["claude"] }), undefined);
  assert.equal(plan(["model"], { since: 0 }), undefined);
  assert.equal(plan(["model"], { types: ["PhaseCompleted"] }), undefined);
  assert.ok(plan(["model"], { success: undefined }));
});

Deno.test("the fold in workers over ranges (as cost reads a large log) gives the full path's sums", async () => {
  const rand = prng(SEED + 2);
  const text = randomLog(rand, 6000, { feature: (n) => `04${n % 2}-f` });
  const path = await Deno.makeTempFile({ suffix: ".jsonl" });
  try {
    await Deno.writeTextFile(path, text);
    const url = new URL("../src/cost/cost_reducer.ts", import.meta.url).href;
    for (const by of [["model"], ["agent"]] as GroupKey[][]) {
      const init = { groupBy: by, pricing: defaultPricing(), filter: EXECUTION };
      // Ranges of 64 KiB: each thread collects the kernel's sums at the end of every range.
      const partial = await parallelScan<typeof init, CostPartial>([path], url, init, () => {}, {
        workers: 2,
        minBytes: 0,
        rangeBytes: 64 * 1024,
      });
      assert.deepEqual(comparable(partial), comparable(fullPath(text, by, defaultPricing())));
    }
  } finally {
    await Deno.remove(path);
  }
});

/** 4,000 lines of o3 estimates over two days: in time order, or alternating between the days. */
function acrossPriceChange(alternate: boolean): string {
  const lines: string[] = [];
  const start = Date.UTC(2025, 5, 9);
  for (let n = 0; n < 4000; n++) {
    const at = alternate ? start + (n % 2) * 86_400_000 + n * 10 : start + n * 43_200;
    lines.push(encodeEvent({
      event_id: `01JDRDXA02FKW2QX8P5${String(n).padStart(7, "0")}`,
      event_type: "ExecutionEvent",
      aggregate_id: "043-a",
      lamport_clock: n,
      node_id: "n1",
      causation_id: null,
      // Two days in minutes: o3's price changes at 2025-06-10T00:00:00Z, half-way.
      timestamp: new Date(at).toISOString(),
      payload: payload({ agent: "codex", model: "o3", input_tokens: 1000 + n, duration_ms: 1 }),
    }));
  }
  return lines.join("\n") + "\n";
}

Deno.test("a log that crosses a price change is folded on both sides of it, in order or not", async () => {
  for (const alternate of [false, true]) {
    const path = await Deno.makeTempFile({ suffix: ".jsonl" });
    try {
      await Deno.writeTextFile(path, acrossPriceChange(alternate));
      const on = await costOf(path, ["model"], defaultPricing(), true);
      assert.deepEqual(
        comparable(on.partial),
        comparable((await costOf(path, ["model"], defaultPricing(), false)).partial),
      );
      // Only the first line of each period asks: the kernel keeps two periods a model.
      assert.ok(on.folded >= 4000 - 4, `alternate: ${alternate}: ${on.folded} of 4000`);
    } finally {
      await Deno.remove(path);
    }
  }
});

Deno.test("lines the kernel sums in runs still count toward the line numbers of later problems", async () => {
  // The line walk skips a run of summed lines in one step; a malformed line
  // after such runs must be told by its own line number, as without the fold.
  const rand = prng(11);
  const lines: string[] = [];
  const bad = new Set([1, 2500, 2501, 4999, 7000]);
  for (let n = 1; n <= 7000; n++) {
    if (bad.has(n)) {
      lines.push(`not an event ${n}`);
      continue;
    }
    const model = rand() < 0.5 ? "claude-opus-4-6" : "gpt-5-codex";
    const event = sampleEvent({ lamport_clock: n, payload: payload({ model, cost_usd: 0.25 }) });
    // Every third line in the Python writer's layout: read by JS between the runs.
    lines.push(n % 3 === 0 ? pythonLine(event) : encodeEvent(event));
  }
  const path = await Deno.makeTempFile({ suffix: ".jsonl" });
  await Deno.writeTextFile(path, lines.join("\n") + "\n");
  const reducer = createReducer({ groupBy: ["model"], pricing: defaultPricing(), filter: {} });
  const told: number[] = [];
  const read = await readLog(path, reducer, (p) => told.push(p.line));
  await Deno.remove(path);
  assert.equal(read, 7000);
  assert.deepEqual(told, [...bad]);
  assert.equal(reducer.result().total.event_count, 7000 - bad.size);
});

// Each group's model names and unpriced models come from the kernel's bit rows when every
// line of the group is folded; in the random logs above a third of the lines go to JS and
// name the same models, so a fold that lost its names (a collect skipping the set bytes
// instead of the zero ones) passed unseen.
Deno.test("names met only on folded lines reach each group's models and unpriced models", async () => {
  // More than eight names, so the kernel's rows use more than their first byte; nine of them
  // against two agents, so each model meets both, and only its first line goes to JS (the
  // kernel asks about a name once, on the line that meets it first).
  const models = [
    "claude-opus-4-6",
    "gpt-5-codex",
    "gemini-2.5-pro",
    "claude-sonnet-4-5",
    "unpriced-model-a",
    "unpriced-model-b",
    "unpriced-model-c",
    "unpriced-model-d",
    null,
  ];
  const lines = Array.from({ length: 120 }, (_, n) =>
    encodeEvent(sampleEvent({
      lamport_clock: n + 1,
      payload: payload({ agent: ["claude", "codex"][n % 2], model: models[n % models.length] }),
    })) + "\n");
  const path = await Deno.makeTempFile({ suffix: ".jsonl" });
  try {
    await Deno.writeTextFile(path, lines.join(""));
    for (const by of [[], ["agent"], ["model"]] as GroupKey[][]) {
      const on = await costOf(path, by, defaultPricing(), true);
      const off = await costOf(path, by, defaultPricing(), false);
      // (a name is asked about twice when it is also the group key: once a group, once a price)
      assert.ok(
        on.folded >= lines.length - 2 * models.length - 2,
        `--group-by ${by}: ${on.folded}`,
      );
      assert.deepEqual(comparable(on.partial), comparable(off.partial), `--group-by ${by}`);
      assert.equal(on.partial.total.model_names.size, models.length - 1);
      assert.equal(on.partial.total.unpriced_models.size, 5); // four unknown names and none
    }
  } finally {
    await Deno.remove(path);
  }
});
