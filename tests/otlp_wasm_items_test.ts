/**
 * The wasm item writer (`src/export/wasm/sha256/10_items.wat`, driven by
 * `item_kernel.ts` and `item_program.ts`) writes the spans and records of
 * verbatim lines from the line's own bytes: over random events (names with
 * escapes and non-ASCII, nulls, huge counts, every cost source, reported
 * costs past 6 decimals, a model with two price periods, long durations,
 * failures, repeated ids, filters, the Python layout mixed in), `export
 * --out` must write the string encoder's items byte for byte, and most of
 * them must have come from the wasm writer (else the test proves nothing).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { prng, pythonLine } from "../bench/generate.ts";
import { encodeEvent } from "../src/event/line_encode.ts";
import type { Event } from "../src/event/envelope.ts";
import { orderedEvents } from "../src/query/ordered.ts";
import { ProjectLayout } from "../src/store/project_layout.ts";
import { defaultPricing } from "../src/cost/builtin_pricing.ts";
import { exportRows } from "../src/cli/export.ts";
import { lineEnds, logRecordJson, spanJson } from "../src/export/otlp_encode.ts";
import { ItemKernel, itemsWritten, outBuffer, releaseBuffer } from "../src/export/item_kernel.ts";
import { ByteChunk } from "../src/read/byte_scan.ts";
import type { ExportRow } from "../src/export/otlp_mapping.ts";
import type { ExecutionEvent } from "../src/event/execution.ts";
import { compileProgram, OP } from "../src/export/item_program.ts";
import type { EventFilter } from "../src/query/filter.ts";
import { ulidFactory } from "../src/event/ulid.ts";
import { MAX_NAME_LENGTH } from "../src/event/text_rules.ts";
import { cli, payload, tempProject } from "./helpers.ts";

const SEED = Number(Deno.env.get("KITTY_SEED") ?? Date.now() % 1_000_000);
console.log(`otlp_wasm_items_test seed: ${SEED} (replay with KITTY_SEED=${SEED})`);

const FEATURE = "044-wasm";
const ODD = [
  'quo"te',
  "back\\slash",
  "tab\tand\u0001",
  "sep\u2028x",
  "é-ü 😀",
  "ñ".repeat(MAX_NAME_LENGTH - 1),
  "",
];

/** A random execution event (its id from `id`, or a copy's). */
function randomEvent(rand: () => number, i: number, id: string): Event {
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)];
  // Oddities on a few lines each, so that most lines still go the wasm way.
  const rare = <T>(odd: readonly T[], plain: readonly T[]) => pick(rand() < 0.04 ? odd : plain);
  const name = () => rare(ODD, ["claude", "codex", "gemini", `n-${i % 300}`]);
  const count = () =>
    rare([Number.MAX_SAFE_INTEGER, 123_456_789_012], [null, 0, 1, 99, Math.floor(rand() * 1e9)]);
  // o3's prices changed on 2025-06-10: events on both sides.
  const ms = Date.UTC(2025, 0, 1) + Math.floor(rand() * 500) * 86_400_000 +
    Math.floor(rand() * 1e7);
  const iso = new Date(ms).toISOString();
  const success = pick([true, true, true, false, null]);
  return {
    event_id: rand() < 0.1 ? id.toLowerCase() : id,
    event_type: "ExecutionEvent",
    aggregate_id: FEATURE,
    lamport_clock: pick([i + 1, 2 ** 40 + i]),
    node_id: rare(ODD, ["n1", "node-2"]),
    causation_id: null,
    timestamp: pick([iso, iso.replace("Z", "+00:00"), iso.replace(/\.\d+Z$/, ".123456+02:00")]),
    payload: payload({
      wp_id: name(),
      agent: rand() < 0.02 ? null : name(),
      role: name(),
      model: rare(ODD, [null, "claude-sonnet-4-5", "o3", "gpt-5", "mystery-model"]),
      input_tokens: count(),
      output_tokens: count(),
      cache_read_tokens: count(),
      cache_write_tokens: count(),
      reasoning_tokens: count(),
      cost_usd: rare([1e-7, 123.4567891, 5e-7], [null, null, null, 0, 64.41, 0.1 + i / 1000]),
      duration_ms: rare([999_999_999_999, 1_000_000_000_000_000], [null, 0, 37 * i]),
      success,
      // Free text, or a null exit code, sends a line the decoding way.
      error: success === false && rand() < 0.15 ? pick(["boom", 'bad "x"']) : null,
      exit_code: success === false ? rare([null], [0, 3, -1]) : 0,
    }),
  };
}

/** A project of random events: copies of some ids (the same line, or a conflicting one), a few Python lines. */
async function randomProject(seed: number, count: number): Promise<string> {
  const rand = prng(seed);
  const root = await tempProject();
  const dir = join(root, "kitty-specs", FEATURE);
  await Deno.mkdir(dir, { recursive: true });
  const ids = ulidFactory({ now: () => 1_767_225_600_000, random: (b) => b.fill(7) });
  const lines: string[] = [];
  let last: Event | undefined;
  for (let i = 0; i < count; i++) {
    const copy = last !== undefined && rand() < 0.03;
    const event = copy && rand() < 0.5
      ? last!
      : randomEvent(rand, i, copy ? last!.event_id : ids());
    lines.push(rand() < 0.05 ? pythonLine(event) : encodeEvent(event));
    last = event;
  }
  await Deno.writeTextFile(join(dir, "execution.events.jsonl"), lines.join("\n") + "\n");
  return root;
}

/** The items of OTLP/JSON lines as written: cut where the next item starts, sorted. */
function rawItems(signal: "traces" | "logs", text: string): string[] {
  const start = signal === "traces" ? '{"traceId":"' : '{"timeUnixNano":"';
  const { open, close } = lineEnds(signal, "p");
  const out: string[] = [];
  for (const line of text.split("\n")) {
    if (line === "") continue;
    assert.ok(line.startsWith(open) && line.endsWith(close), line.slice(0, 200));
    const items = line.slice(open.length, -close.length).split("," + start);
    out.push(...items.map((item, i) => (i === 0 ? item : start + item)));
  }
  return out.sort();
}

/** The string encoder's items of the project's events under `filter`, sorted. */
async function referenceItems(root: string, signal: "traces" | "logs", filter: EventFilter) {
  const out: string[] = [];
  const events = orderedEvents(
    new ProjectLayout(root),
    { ...filter, types: ["ExecutionEvent"] },
    () => {},
  );
  for await (const batch of exportRows(events, defaultPricing())) {
    out.push(...batch.map(signal === "traces" ? spanJson : logRecordJson));
  }
  return out.sort();
}

const CASES: [string, string[], EventFilter][] = [
  ["every event", [], {}],
  ["--agent claude --success false", ["--agent", "claude", "--success", "false"], {
    agents: ["claude"],
    success: false,
  }],
];

for (const signal of ["traces", "logs"] as const) {
  for (const [name, flags, filter] of CASES) {
    Deno.test(`wasm-written ${signal} are the string encoder's, byte for byte (${name})`, async () => {
      const root = await randomProject(SEED + flags.length, 3000);
      const out = join(root, "out.jsonl");
      const before = itemsWritten();
      const run = await cli([
        "export",
        "--signal",
        signal,
        "--root",
        root,
        "--project",
        "p",
        "--out",
        out,
        ...flags,
      ]);
      assert.equal(run.code, 0, run.stderr);
      const fast = itemsWritten() - before;
      const got = rawItems(signal, await Deno.readTextFile(out));
      const want = await referenceItems(root, signal, filter);
      assert.equal(got.length, want.length);
      for (let i = 0; i < want.length; i++) assert.equal(got[i], want[i], `item ${i}`);
      // Not vacuous: most came from wasm, some from JS (Python lines, free text, fallbacks).
      assert.ok(want.length > 100, `${want.length} items`);
      assert.ok(
        fast > want.length * (flags.length === 0 ? 0.45 : 0.2) && fast < want.length,
        `${fast} of ${want.length} from wasm`,
      );
    });
  }
}

Deno.test("the program has a step for every attribute, and copies the line's values where the table does", () => {
  for (const signal of ["traces", "logs"] as const) {
    const program = compileProgram(signal)!;
    const steps = [];
    for (let i = 0; i < program.ops.length; i += 4) steps.push(program.ops[i]);
    const attributes = steps.filter((op) =>
      [OP.leaf, OP.argPiece, OP.argInt, OP.argUsd].includes(op as 2 | 6 | 7 | 8)
    );
    assert.equal(attributes.length, 24, signal);
    // Sixteen are the line's values as they stand; the rest come from pricing and JS.
    assert.equal(steps.filter((op) => op === OP.leaf).length, 16, signal);
    assert.equal(program.args.length, 8, signal);
    assert.equal(program.gaps.length, program.leafCount);
  }
});

Deno.test("the wasm writer's buffers go back to it after each export (a long-lived process keeps them)", async () => {
  const root = await randomProject(SEED, 3000);
  for (let i = 0; i < 4; i++) {
    const out = join(root, `out${i}.jsonl`);
    const run = await cli(["export", "--signal", "traces", "--root", root, "--out", out]);
    assert.equal(run.code, 0, run.stderr);
    // Each export spills a few 1 MiB buffers: without them handed back, 8 are gone by now.
    assert.ok((await Deno.stat(out)).size > 3 << 20);
  }
  const taken = [];
  for (let i = 0; i < 8; i++) taken.push(outBuffer(1 << 20));
  assert.ok(taken.every((b) => b !== undefined), `${taken.filter((b) => b).length} of 8 buffers`);
  for (const buffer of taken) releaseBuffer(buffer!);
});

Deno.test("lines in the Python writer's layout are written in wasm when spelt as the tool would", async () => {
  const rand = prng(SEED + 7);
  const root = await tempProject();
  const dir = join(root, "kitty-specs", FEATURE);
  await Deno.mkdir(dir, { recursive: true });
  const ids = ulidFactory({ now: () => 1_767_225_600_000, random: (b) => b.fill(3) });
  const lines: string[] = [];
  for (let i = 0; i < 1500; i++) {
    let line = pythonLine(randomEvent(rand, i, ids()));
    // A key left out at a default of null (taken), at another default (left to JS), counts
    // spelt otherwise (left to JS, if read at all).
    if (i % 5 === 1) line = line.replace(/"cache_write_1h_tokens": null, /, "");
    if (i % 7 === 2) line = line.replace(/"wp_id": "[^"]*"/, '"zz": 1').replace(', "zz": 1', "");
    if (i % 11 === 3) line = line.replace(/"lamport_clock": (\d+)/, '"lamport_clock": $1.0');
    lines.push(line);
  }
  await Deno.writeTextFile(join(dir, "execution.events.jsonl"), lines.join("\n") + "\n");
  for (const signal of ["traces", "logs"] as const) {
    const out = join(root, `${signal}.jsonl`);
    const before = itemsWritten();
    const run = await cli([
      "export",
      "--signal",
      signal,
      "--root",
      root,
      "--project",
      "p",
      "--out",
      out,
    ]);
    assert.equal(run.code, 0, run.stderr);
    const fast = itemsWritten() - before;
    const got = rawItems(signal, await Deno.readTextFile(out));
    const want = await referenceItems(root, signal, {});
    assert.equal(got.length, want.length);
    for (let i = 0; i < want.length; i++) assert.equal(got[i], want[i], `item ${i}`);
    // Not vacuous: most were taken (the plain ones), not all (the odd ones and the edits).
    assert.ok(want.length > 1000, `${want.length} items`);
    assert.ok(fast > want.length * 0.15 && fast < want.length * 0.9, `${fast} of ${want.length}`);
  }
});

Deno.test("the Python layout's walk leaves to JS what it would not copy as the tool spells it", () => {
  const kernel = ItemKernel.of("logs")!;
  const owner = {};
  kernel.claim(owner, () => kernel.reset());
  const event = randomEvent(() => 0.5, 1, "01KHJVJWDM0HGAGYGXJYKD1JQG");
  Object.assign(event.payload as Record<string, unknown>, {
    agent: "claude",
    wp_id: "WP01",
    role: "r",
    model: "o3",
    success: true,
    exit_code: 0,
    error: null,
    input_tokens: 5,
  });
  const row: ExportRow = {
    event: event as ExecutionEvent,
    cost: { kind: "unpriced", units: 0n, model: null },
    canonicalModel: null,
    provider: null,
    micros: 1_767_225_600_000_000,
  };
  const plain = pythonLine(event);
  const written = (line: string) => {
    const bytes = new TextEncoder().encode(line + "\n");
    const at = kernel.write(new ByteChunk(bytes), 0, bytes.length - 1, row, 0, false);
    kernel.reset();
    return at >= 0;
  };
  assert.ok(written(plain), plain);
  // The same line in the tool's layout is not verbatim-walked here, and is no Python line.
  assert.ok(!written(encodeEvent(event)));
  for (
    const [from, to] of [
      ['"agent": "claude"', '"agent": "cl\\u0061ude"'], // an escape
      ['"agent": "claude"', '"agent": "claudé"'], // past ASCII
      ['"input_tokens": 5', '"input_tokens": 5.0'], // a count spelt otherwise
      ['"input_tokens": 5', '"input_tokens": 05'],
      ['"exit_code": 0, ', ""], // left out, its default not null
      ['"wp_id": "WP01"', '"wp_id": "WP01", "zz": 1'], // a key the table has not
      ['"agent": "claude", ', '"agent": "claude",  '], // other spacing
      ['"agent": "claude"', '"agent" :"claude"'],
      ['"model": "o3", ', ""], // left out, null by default: taken
    ]
  ) {
    assert.ok(plain.includes(from), from);
    assert.equal(written(plain.replace(from, to)), to === "" && from.startsWith('"model"'), to);
  }
  kernel.claim({}, () => {});
});
