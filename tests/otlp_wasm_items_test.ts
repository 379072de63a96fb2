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
import { defaultPricing } from "../src/cost/builtin_pricing.ts";
import { ItemKernel, itemsWritten, outBuffer, releaseBuffer } from "../src/export/item_kernel.ts";
import { ByteChunk } from "../src/read/byte_scan.ts";
import { WasmReader } from "../src/read/wasm_reader.ts";
import type { KernelHome } from "../src/read/wasm/kernel_home.ts";
import { ByteOut } from "../src/export/byte_out.ts";
import { ItemRun } from "../src/export/line_bytes.ts";
import { ExportScanner } from "../src/export/export_scan.ts";
import type { ExportRow } from "../src/export/otlp_mapping.ts";
import type { ExecutionEvent } from "../src/event/execution.ts";
import type { Event } from "../src/event/envelope.ts";
import { compileProgram, OP } from "../src/export/item_program.ts";
import type { EventFilter } from "../src/query/filter.ts";
import { ulidFactory } from "../src/event/ulid.ts";
import { cli, payload, tempProject } from "./helpers.ts";
import { FEATURE, randomEvent, randomProject } from "./otlp/wasm_items_helpers.ts";
import { exportFile, rawItems, referenceItems } from "./otlp/export_items.ts";

const SEED = Number(Deno.env.get("KITTY_SEED") ?? Date.now() % 1_000_000);
console.log(`otlp_wasm_items_test seed: ${SEED} (replay with KITTY_SEED=${SEED})`);

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
      await exportFile(root, signal, out, flags);
      const fast = itemsWritten() - before;
      const got = rawItems(signal, await Deno.readTextFile(out));
      const want = await referenceItems(root, signal, filter);
      assert.equal(got.length, want.length);
      for (let i = 0; i < want.length; i++) assert.equal(got[i], want[i], `item ${i}`);
      // Not vacuous: most came from wasm, some from JS (Python lines, free text, fallbacks).
      assert.ok(want.length > 100, `${want.length} items`);
      // A filter may leave only lines wasm writes (KITTY_SEED=522837 leaves 140 of 140): only the
      // whole project is sure to hold lines JS writes.
      assert.ok(
        fast > want.length * (flags.length === 0 ? 0.45 : 0.2) &&
          (flags.length === 0 ? fast < want.length : fast <= want.length),
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
    assert.equal(attributes.length, 25, signal);
    // Seventeen are the line's values as they stand; the rest come from pricing and JS.
    assert.equal(steps.filter((op) => op === OP.leaf).length, 17, signal);
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
    await exportFile(root, signal, out);
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

Deno.test("items keep their order when buffers in and out of the module's memory alternate", async () => {
  const root = await randomProject(SEED + 3, 1500);
  const path = join(root, "kitty-specs", FEATURE, "execution.events.jsonl");
  const range = { start: 0, end: (await Deno.stat(path)).size };
  const inModule = [outBuffer(1 << 16), outBuffer(1 << 16)];
  assert.ok(inModule[0] !== undefined && inModule[1] !== undefined);
  const written = async (wasm: boolean) => {
    let text = "";
    let spills = 0;
    // Buffers of 64 KiB: one of JS's, one in the module's memory, in turn.
    const next =
      () => (++spills % 2 === 0 ? inModule[(spills >> 1) % 2]! : new Uint8Array(1 << 16));
    const out = new ByteOut(new Uint8Array(1 << 16), (filled) => {
      text += new TextDecoder().decode(filled);
      return next();
    });
    const items = new ItemRun("traces", out, wasm);
    const options = { filter: {}, pricing: defaultPricing(), repeated: new Float64Array() };
    const scanner = new ExportScanner(
      options,
      (row) => items.row(row),
      false,
      (chunk, from, to, row, verbatim) => items.fast(chunk, from, to, row, verbatim),
    );
    const scan = scanner.range(path, range);
    while (!(await scan.next()).done);
    out.flush();
    return { text, spills };
  };
  const before = itemsWritten();
  const got = await written(true);
  assert.ok(itemsWritten() - before > 200, `${itemsWritten() - before} from wasm`);
  assert.ok(got.spills > 20, `${got.spills} spills`);
  assert.equal(got.text, (await written(false)).text);
  for (const buffer of inModule) releaseBuffer(buffer!);
});

Deno.test("an export scans each block where it was read: in the wasm kernel's memory, not a copy", async () => {
  const root = await randomProject(SEED + 5, 1500);
  const path = join(root, "kitty-specs", FEATURE, "execution.events.jsonl");
  const range = { start: 0, end: (await Deno.stat(path)).size };
  // The thread's one kernel, whose home the scanner's reads borrow.
  const home = new WasmReader().home as KernelHome;
  const options = { filter: {}, pricing: defaultPricing(), repeated: new Float64Array() };
  let lines = 0;
  let inHome = 0;
  const scanner = new ExportScanner(options, () => {}, false, (chunk) => {
    lines++;
    if (home.of(chunk.bytes) >= 0) inHome++;
    return false;
  });
  const scan = scanner.range(path, range);
  while (!(await scan.next()).done);
  assert.ok(lines > 300, `${lines} lines`);
  assert.equal(inHome, lines);
  assert.equal(home.lent, false, "the home is given back");
});

Deno.test("a scan with no wasm writer decodes every line whose free text is set, in both layouts", async () => {
  const root = await tempProject();
  const dir = join(root, "kitty-specs", FEATURE);
  await Deno.mkdir(dir, { recursive: true });
  const ids = ulidFactory({ now: () => 1_767_225_600_000, random: (b) => b.fill(5) });
  const events: Event[] = Array.from({ length: 600 }, (_, i) => ({
    event_id: ids(),
    event_type: "ExecutionEvent",
    aggregate_id: FEATURE,
    lamport_clock: i + 1,
    node_id: "n1",
    causation_id: null,
    timestamp: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
    payload: payload({ input_tokens: i, success: i % 3 !== 0, error: i % 3 ? null : `boom ${i}` }),
  }));
  const lines = events.map((e, i) => i % 4 === 1 ? pythonLine(e) : encodeEvent(e));
  const path = join(dir, "execution.events.jsonl");
  await Deno.writeTextFile(path, lines.join("\n") + "\n");
  const options = { filter: {}, pricing: defaultPricing(), repeated: new Float64Array() };
  const errors: unknown[] = [];
  const scanner = new ExportScanner(options, (row) => errors.push(row.event.payload.error ?? null));
  const scan = scanner.range(path, { start: 0, end: (await Deno.stat(path)).size });
  while (!(await scan.next()).done);
  assert.deepEqual(errors, events.map((e) => e.payload.error));
  assert.equal(errors.filter((e) => e !== null).length, 200);
});
