/**
 * Counting each id once reads only the lines of repeated ids (`candidateLines`,
 * on all threads): the same sums, warnings and left-out copies as reading every
 * line of every log in turn (the reference below), over random projects with
 * copies and conflicts within a range, across ranges and logs, both layouts,
 * two spellings, CRLF, junk, other event types, ids the bytes cannot tell
 * (escapes, UUIDs: the count sends those to the full read), filters. A real
 * 52-bit collision of two valid ids is out of a test's reach; one in the
 * quick test's low 20 bits is planted below.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { encodeEvent } from "../src/event/line_codec.ts";
import { withDefaults } from "../src/event/field_checks.ts";
import type { ExecutionEvent } from "../src/event/execution.ts";
import { parallelScan } from "../src/read/parallel_scan.ts";
import { readLog } from "../src/read/event_sink.ts";
import { scanLogBatches } from "../src/read/log_reader.ts";
import { defaultPricing } from "../src/cost/builtin_pricing.ts";
import type { CostPartial, CostScanInit } from "../src/cost/cost_reducer.ts";
import { candidateSink, settle, withoutExtras } from "../src/cost/exactly_once.ts";
import { candidateLines } from "../src/cost/candidate_lines.ts";
import { idHashOf } from "../src/cost/id_hash.ts";
import { repeatedHashes } from "../src/event/repeated_hashes.ts";
import { countOnce } from "../src/cli/count_once.ts";
import { matches } from "../src/query/filter.ts";
import { normalizeEventId } from "../src/event/event_id.ts";
import { prng, pythonLine } from "../bench/generate.ts";
import { tempProject } from "./helpers.ts";

const COST_REDUCER = new URL("../src/cost/cost_reducer.ts", import.meta.url).href;
const AGENTS = ["claude", "codex", "gemini"];

function event(id: string, clock: number, cost: number, agent: string, type = "ExecutionEvent") {
  return {
    event_id: id,
    event_type: type,
    aggregate_id: "043-x",
    lamport_clock: clock,
    node_id: `n${clock % 3}`,
    causation_id: null,
    timestamp: "2026-02-16T09:12:58.000Z",
    payload: type === "ExecutionEvent"
      ? withDefaults({ agent, role: "r", cost_usd: cost, input_tokens: clock })
      : { phase: "p" },
  };
}

/** One random line for event `n` of `ids`: a copy, a conflict, or a new event, in some spelling. */
function randomLine(rand: () => number, ids: string[], n: number): string {
  const pick = rand();
  const id = ids.length > 0 && pick < 0.35 ? ids[Math.floor(rand() * ids.length)] : undefined;
  const fresh = `01KHJVJWDM0HGAGY${String(n).padStart(10, "0")}`;
  const the = id ?? fresh;
  if (!id) ids.push(fresh);
  // A copy keeps the content its id's first line has (clock from the id); a conflict changes it.
  const clock = Number(the.slice(16)) || 7;
  const conflict = id !== undefined && rand() < 0.3;
  const agent = AGENTS[(clock + (conflict ? 1 : 0)) % 3];
  const e = event(the, conflict ? clock + 1 + Math.floor(rand() * 3) : clock, clock % 5, agent);
  const style = rand();
  if (style < 0.15) return pythonLine(e);
  if (style < 0.25) return encodeEvent({ ...e, event_id: the.toLowerCase() }) as string;
  if (style < 0.3) return encodeEvent(e) + "\r";
  if (style < 0.33) return "not json at all";
  if (style < 0.35) return "";
  if (style < 0.4) return encodeEvent(event(the, clock, 0, agent, "PhaseCompleted"));
  return encodeEvent(e);
}

async function project(logs: string[][]): Promise<string[]> {
  const root = await tempProject();
  const paths: string[] = [];
  for (const [i, lines] of logs.entries()) {
    const dir = join(root, "kitty-specs", `04${i}-f`);
    await Deno.mkdir(dir, { recursive: true });
    const path = join(dir, "execution.events.jsonl");
    await Deno.writeTextFile(path, lines.join("\n") + "\n");
    paths.push(path);
  }
  return paths;
}

/**
 * What counting once gives without the fast read: every log read in full, in
 * turn, every copy of a repeated id (filtered out or not); the first copy of
 * all counts, so the filter's copies after it are taken out.
 */
async function reference(partial: CostPartial, paths: string[], init: CostScanInit) {
  const all = [...partial.ids, ...partial.otherIds ?? []];
  const repeated = repeatedHashes(all);
  const found: ExecutionEvent[] = [];
  const where = new Map<ExecutionEvent, string>();
  for (const path of paths) {
    const before = found.length;
    await readLog(path, candidateSink(repeated, found), () => {});
    for (let i = before; i < found.length; i++) where.set(found[i], path);
  }
  const selected = (e: ExecutionEvent) => matches(e, init.filter);
  // The ids the filter's events hold (a filter that takes no copy of an id leaves it alone).
  const held = new Set(found.filter(selected).map((e) => normalizeEventId(e.event_id)));
  const settled = settle(found.filter((e) => held.has(normalizeEventId(e.event_id))));
  const { copies, conflicts, conflictingIds } = settled;
  const selectedCopies = copies.filter(selected);
  const extras = [...selectedCopies, ...conflicts.filter(selected)];
  return {
    partial: withoutExtras(partial, extras, init.groupBy, init.pricing),
    extras,
    // Named: the copies not counted, and every copy of a conflict the selection touches.
    places: [...selectedCopies, ...conflicts].map((e) => `${where.get(e)} ${e.event_id}`),
    conflictingIds,
  };
}

async function compare(paths: string[], init: CostScanInit, workers: number, rangeBytes: number) {
  const options = { workers, minBytes: 0, rangeBytes };
  const partial = await parallelScan<CostScanInit, CostPartial>(
    paths,
    COST_REDUCER,
    init,
    () => {},
    options,
  );
  const expected = await reference(structuredClone(partial), paths, init);
  const warnings: string[] = [];
  const once = await countOnce(partial, paths, init, (w) => warnings.push(w), options);
  assert.deepEqual(once.partial, expected.partial);
  assert.deepEqual(once.extras, expected.extras);
  assert.deepEqual(once.conflictingIds, expected.conflictingIds);
  // The warnings name the first places: the same logs and ids, in the same order.
  const named = warnings.join("\n");
  for (const place of expected.places.slice(0, 3)) {
    const [path, id] = place.split(" ");
    assert.ok(named.includes(`${path} (id ${id})`), `${place} named in ${named}`);
  }
  return { once, warnings };
}

Deno.test("the fast read gives the full read's sums, copies and warnings over random projects", async () => {
  const seed = Number(Deno.env.get("KITTY_SEED") ?? 20261130);
  console.log(`seed ${seed}`);
  const rand = prng(seed);
  let duplicates = 0;
  let conflicts = 0;
  for (let round = 0; round < 4; round++) {
    const ids: string[] = [];
    let n = 0;
    const logs = Array.from(
      { length: 3 },
      () =>
        Array.from({ length: 150 + Math.floor(rand() * 150) }, () => randomLine(rand, ids, n++)),
    );
    const paths = await project(logs);
    for (const filter of [{}, { agents: ["claude", "codex"] }]) {
      const init: CostScanInit = { groupBy: ["agent"], pricing: defaultPricing(), filter };
      for (const [workers, rangeBytes] of [[1, 1 << 20], [2, 2048], [3, 700]]) {
        const { once, warnings } = await compare(paths, init, workers, rangeBytes);
        duplicates += once.duplicateLines;
        conflicts += once.conflictingIds.length;
        assert.ok(warnings.length >= 1);
      }
    }
  }
  assert.ok(duplicates > 100 && conflicts > 20, `${duplicates} copies, ${conflicts} conflicts`);
});

Deno.test("ids the bytes cannot tell (an escape, a UUID) are read in full, counted once", async () => {
  const uuid = "123e4567-e89b-12d3-a456-426614174000";
  const escaped = encodeEvent(event("01KHJVJWDM0HGAGYGXJYKD1JQG", 1, 2, "claude"))
    .replace('"event_id":"0', '"event_id":"\\u0030');
  const paths = await project([
    [escaped, encodeEvent(event("01KHJVJWDM0HGAGYGXJYKD1JQG", 1, 2, "claude"))],
    [
      encodeEvent(event(uuid, 2, 3, "codex")),
      encodeEvent(event(uuid.toUpperCase(), 2, 3, "codex")),
    ],
  ]);
  const init: CostScanInit = { groupBy: ["agent"], pricing: defaultPricing(), filter: {} };
  for (const workers of [1, 2]) {
    const { once } = await compare(paths, init, workers, 64);
    assert.equal(once.duplicateLines, 2);
    assert.equal(once.partial.total.event_count, 2);
    assert.equal(once.partial.total.reported, 5n * 10n ** 15n);
  }
});

/** An id other than `of` whose hash has the same low 20 bits (the quick test's look), not the same hash. */
function lowBitsTwin(of: string): string {
  const want = idHashOf(of) % 2 ** 20;
  for (let n = 0;; n++) {
    const id = `01KHJVJWDM0HGAGY${String(n).padStart(10, "0")}`;
    if (idHashOf(id) % 2 ** 20 === want && idHashOf(id) !== idHashOf(of)) return id;
  }
}

Deno.test("the fast read decodes only the lines whose id hash repeats", async () => {
  const a = "01KHJVJWDM0HGAGYGXJYKD1JQG";
  const b = lowBitsTwin(a);
  const lines = [
    encodeEvent(event(a, 1, 1, "claude")),
    pythonLine(event(b, 2, 1, "claude")),
    "junk",
    encodeEvent(event(a, 3, 1, "codex")) + "\r",
    pythonLine(event(a, 4, 1, "codex")),
    encodeEvent(event(b, 5, 1, "claude")),
    encodeEvent(event("01KHJVJWDM0HGAGYGXJYKD1JQH", 6, 1, "claude")),
  ];
  const [path] = await project([lines]);
  const decoded = [];
  const sink = candidateLines(Float64Array.of(idHashOf(a)));
  for await (const events of scanLogBatches(path, () => {}, undefined, sink)) {
    decoded.push(...events.map((e) => e.lamport_clock));
  }
  assert.deepEqual(decoded, [1, 3, 4]);
});
