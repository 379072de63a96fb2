import assert from "node:assert/strict";
import { join } from "node:path";
import { parallelScan } from "../src/read/parallel_scan.ts";
import { lineRanges } from "../src/read/byte_range.ts";
import { defaultPricing } from "../src/cost/builtin_pricing.ts";
import type { CostPartial, CostScanInit } from "../src/cost/cost_reducer.ts";
import { costView } from "../src/report/cost_view.ts";
import { formatProblem, type LineProblem } from "../src/read/log_reader.ts";
import { encodeEvent } from "../src/event/line_codec.ts";
import { PROBLEMS_SHOWN } from "../src/read/problem_cap.ts";
import { prng } from "../bench/generate.ts";
import { payload, tempProject } from "./helpers.ts";
import { sampleEvent } from "./store_contract.ts";

const REDUCER = new URL("../src/cost/cost_reducer.ts", import.meta.url).href;
const SPELLINGS = ["claude-sonnet-4-5", "Claude-Sonnet-4.5", "gpt-5-codex", "GPT-5-Codex", null];

async function makeLogs(): Promise<string[]> {
  const rand = prng(3);
  const dir = await tempProject();
  const paths: string[] = [];
  for (let f = 0; f < 3; f++) {
    const lines: string[] = [];
    for (let i = 0; i < 3000 + f * 1000; i++) {
      if (i % 997 === 13) lines.push("{not an event");
      else if (i % 1499 === 7) lines.push("");
      else {
        lines.push(encodeEvent(sampleEvent({
          aggregate_id: `04${f}-x`,
          timestamp: new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString(),
          payload: payload({
            agent: ["claude", "codex", "gemini"][Math.floor(rand() * 3)],
            // Spellings of one model group together, on any thread.
            model: SPELLINGS[Math.floor(rand() * SPELLINGS.length)],
            input_tokens: Math.floor(rand() * 300_000),
            cost_usd: rand() < 0.3 ? Math.floor(rand() * 1e6) / 1e6 : null,
          }),
        })));
      }
    }
    const path = join(dir, `f${f}.jsonl`);
    await Deno.writeTextFile(path, lines.join("\n") + (f === 2 ? "\n{torn" : "\n"));
    paths.push(path);
  }
  return paths;
}

async function run(paths: string[], workers: number) {
  const problems: LineProblem[] = [];
  const init: CostScanInit = { groupBy: ["model", "day"], pricing: defaultPricing(), filter: {} };
  const partial = await parallelScan<CostScanInit, CostPartial>(
    paths,
    REDUCER,
    init,
    (p) => problems.push(p),
    { workers, minBytes: 0 },
  );
  const view = costView(
    { total: partial.total, groups: () => partial.groups },
    init.groupBy,
    {},
    0,
  );
  return { view, problems: problems.map(formatProblem) };
}

Deno.test("reading on several workers gives exactly the single-thread result and line numbers", async () => {
  const paths = await makeLogs();
  const one = await run(paths, 1);
  for (const workers of [2, 3, 5]) {
    const many = await run(paths, workers);
    assert.deepEqual(many.view, one.view, `${workers} workers`);
    assert.deepEqual(many.problems, one.problems, `${workers} workers`);
  }
  assert.deepEqual(
    new Set(one.view.groups.map((g) => g.key.model)),
    new Set(["claude-sonnet-4-5", "gpt-5-codex", null]),
  );
  assert.deepEqual(one.view.total.model_names, [
    "Claude-Sonnet-4.5",
    "GPT-5-Codex",
    "claude-sonnet-4-5",
    "gpt-5-codex",
  ]);
  assert.equal(one.problems.length, 3 + 4 + 6 + 1, one.problems.join("\n"));
  assert.match(one.problems[0], /f0\.jsonl:14: skipped malformed line/);
  assert.match(one.problems.at(-1)!, /f2\.jsonl:5001: skipped malformed line: torn last line/);
});

Deno.test("lineRanges cuts only after newlines and covers the file exactly", async () => {
  const path = await Deno.makeTempFile();
  const text = Array.from({ length: 500 }, (_, i) => "x".repeat(i % 37)).join("\n") + "\n";
  await Deno.writeTextFile(path, text);
  const size = new TextEncoder().encode(text).length;
  for (const parts of [1, 2, 3, 7, 50, 1000]) {
    const ranges = await lineRanges(path, size, parts);
    assert.equal(ranges[0].start, 0);
    assert.equal(ranges.at(-1)!.end, size);
    for (let i = 1; i < ranges.length; i++) {
      assert.equal(ranges[i].start, ranges[i - 1].end);
      assert.equal(text[ranges[i].start - 1], "\n");
    }
  }
});

Deno.test("parallelScan reports progress up to every byte read", async () => {
  const paths = await makeLogs();
  const total = (await Promise.all(paths.map((p) => Deno.stat(p)))).reduce((n, s) => n + s.size, 0);
  const seen: number[] = [];
  const init: CostScanInit = { groupBy: ["model"], pricing: defaultPricing(), filter: {} };
  await parallelScan<CostScanInit, CostPartial>(paths, REDUCER, init, () => {}, {
    workers: 2,
    minBytes: 0,
    onProgress: (bytes, all) => {
      assert.equal(all, total);
      seen.push(bytes);
    },
  });
  assert.ok(seen.length >= 2, `${seen}`);
  assert.deepEqual([...seen].sort((a, b) => a - b), seen, "progress only grows");
  assert.equal(seen.at(-1), total);
});

Deno.test("the progress line shows only on a terminal, after a second, and is cleared", async () => {
  const { progressLine } = await import("../src/cli/progress.ts");
  for (const tty of [false, true]) {
    const written: string[] = [];
    let clock = 0;
    const io = { stderrIsTty: tty, stderr: (t: string) => Promise.resolve(void written.push(t)) };
    const progress = progressLine(io as never, () => clock);
    progress.update(10e6, 100e6);
    clock = 2000;
    progress.update(50e6, 100e6);
    await progress.done();
    if (!tty) assert.deepEqual(written, []);
    else assert.deepEqual(written, ["\rreading 50 / 100 MB, 25 MB/s\x1b[K", "\r\x1b[K"]);
  }
});

/**
 * Logs that small ranges cut in many places: lines of every kind (CRLF,
 * Python layout, other types, malformed, blank, longer than a range) and a
 * torn last line. Returns the paths, the execution events written and the
 * line numbers of the malformed lines, per file.
 */
async function makeMixedLogs(rand: () => number) {
  const { pythonLine } = await import("../bench/generate.ts");
  const dir = await tempProject();
  const paths: string[] = [];
  let events = 0;
  const malformed: string[] = [];
  for (let f = 0; f < 2; f++) {
    const path = join(dir, `m${f}.jsonl`);
    let text = "";
    const lines = 800 + f * 300;
    for (let i = 1; i <= lines; i++) {
      const r = rand();
      const event = sampleEvent({
        timestamp: new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString(),
        payload: payload({
          agent: ["claude", "codex"][Math.floor(rand() * 2)],
          input_tokens: Math.floor(rand() * 300_000),
          cost_usd: rand() < 0.5 ? Math.floor(rand() * 1e6) / 1e6 : null,
          // Now and then a line longer than a whole range.
          error: rand() < 0.01 ? "e".repeat(5000) : null,
        }),
      });
      let line: string;
      if (r < 0.04) {
        line = "{not an event";
        malformed.push(`${path}:${i}`);
      } else if (r < 0.06) line = "";
      else if (r < 0.1) line = encodeEvent({ ...event, event_type: "PhaseCompleted" });
      else {
        line = r < 0.25 ? pythonLine(event) : encodeEvent(event);
        events++;
      }
      text += line + (rand() < 0.3 ? "\r\n" : "\n");
    }
    if (f === 1) {
      // A torn last line, with no newline after it.
      text += '{"torn';
      malformed.push(`${path}:${lines + 1}`);
    }
    await Deno.writeTextFile(path, text);
    paths.push(path);
  }
  return { paths, events, malformed };
}

/** What a reader tells of these bad lines: the first 20 of each file, then a count. */
function capped(places: string[]): string[] {
  const out: string[] = [];
  const byPath = Map.groupBy(places, (place) => place.slice(0, place.lastIndexOf(":")));
  for (const [, lines] of byPath) {
    out.push(...lines.slice(0, PROBLEMS_SHOWN));
    if (lines.length > PROBLEMS_SHOWN) {
      out.push(`${lines.at(-1)} +${lines.length - PROBLEMS_SHOWN}`);
    }
  }
  return out;
}

Deno.test("a log cut into many small ranges reads as in one thread: counts, sums, line numbers", async () => {
  const seed = Number(Deno.env.get("KITTY_SEED") ?? Date.now() % 1_000_000);
  console.log(`parallel_scan_test seed: ${seed} (replay with KITTY_SEED=${seed})`);
  const { paths, events, malformed } = await makeMixedLogs(prng(seed));
  const scan = async (workers: number) => {
    const problems: LineProblem[] = [];
    let ranges = 0;
    const init: CostScanInit = { groupBy: ["agent", "day"], pricing: defaultPricing(), filter: {} };
    const partial = await parallelScan<CostScanInit, CostPartial>(
      paths,
      REDUCER,
      init,
      (p) => problems.push(p),
      { workers, minBytes: 0, rangeBytes: 4096, onProgress: () => ranges++ },
    );
    const view = costView(
      { total: partial.total, groups: () => partial.groups },
      init.groupBy,
      {},
      0,
    );
    const told = problems.map((p) => `${p.path}:${p.line}${p.more ? ` +${p.more}` : ""}`);
    return { view, problems: told, ranges };
  };
  const one = await scan(1);
  // The single-thread read is right on its own terms...
  assert.equal(one.view.total.event_count, events);
  assert.deepEqual(one.problems, capped(malformed));
  // ...and two threads (one worker: each extra isolate costs ~40 MB, which
  // the memory test running beside this one would see) sharing many ranges
  // (one progress report per range) read the same.
  const two = await scan(2);
  assert.ok(two.ranges > 100, `only ${two.ranges} ranges`);
  assert.equal(two.view.total.event_count, events);
  assert.deepEqual(two.view, one.view);
  assert.deepEqual(two.problems, one.problems);
});

Deno.test("cutting a file into ranges reads a bounded part of it, not the rest once per cut", async () => {
  const path = await Deno.makeTempFile();
  const size = 8 * 1024 * 1024;
  await Deno.writeFile(path, new Uint8Array(size).fill(0x61));
  const stats = { bytesRead: 0 };
  const ranges = await lineRanges(path, size, 64, stats);
  assert.deepEqual(ranges, [{ start: 0, end: size }]);
  assert.ok(stats.bytesRead <= 2 * size, `read ${stats.bytesRead} bytes of ${size}`);
  // Newlines only near the start: one cut, the rest of the file read once.
  await Deno.writeFile(path, new Uint8Array(size).fill(0x61).fill(0x0a, 10, 11));
  const few = { bytesRead: 0 };
  assert.deepEqual(await lineRanges(path, size, 64, few), [{ start: 0, end: size }]);
  assert.ok(few.bytesRead <= 2 * size, `read ${few.bytesRead} bytes of ${size}`);
  // A large file without newlines: a megabyte at most after each cut's place.
  const large = 64 * 1024 * 1024;
  await Deno.writeFile(path, new Uint8Array(large).fill(0x61));
  const bounded = { bytesRead: 0 };
  assert.deepEqual(await lineRanges(path, large, 16, bounded), [{ start: 0, end: large }]);
  assert.ok(bounded.bytesRead <= 16 * 1024 * 1024, `read ${bounded.bytesRead} of ${large}`);
  // Lines longer than the window at every cut: fewer ranges, each of whole lines.
  const text = Array.from({ length: 40 }, (_, i) => "b".repeat(((i * 7919) % 3) << 20) + "\n").join(
    "",
  );
  await Deno.writeTextFile(path, text);
  const cut = await lineRanges(path, text.length, 32);
  assert.equal(cut[0].start, 0);
  assert.equal(cut.at(-1)!.end, text.length);
  for (const [i, range] of cut.entries()) {
    assert.ok(range.end > range.start, JSON.stringify(range));
    assert.equal(range.start, i === 0 ? 0 : cut[i - 1].end);
    assert.equal(text[range.end - 1], "\n", `range ${i} ends inside a line`);
  }
  assert.ok(cut.length > 4, `${cut.length} ranges`);
  await Deno.remove(path);
});
