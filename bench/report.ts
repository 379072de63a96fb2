/** Renders bench/RESULTS.md: per-size tables and the brief's targets, met or not. */
import { DUCKDB, ORJSON } from "./peers.ts";

export const COST = "kitty-telemetry cost --json --group-by model";
export const COST_DAY = "kitty-telemetry cost --json --group-by day";
export const DUCKDB_DAY = "duckdb (node-api, 2 threads) GROUP BY the UTC day";
export const QUERY = "kitty-telemetry query --feature 041 --wp WP01";
export const QUERY_ALL = "kitty-telemetry query (every event, JSON lines)";
export const DUCKDB_EXPORT = "duckdb (node-api, 2 threads) SELECT * ORDER BY as JSON lines";
export const EMIT_BIG = "kitty-telemetry emit (this log)";
export const EMIT_EMPTY = "kitty-telemetry emit (empty log)";
export const EMIT_ID = "kitty-telemetry emit --event-id (this log)";
export const VERSION = "kitty-telemetry --version";
export const EMPTY_RUN = "deno run empty.ts";

export interface Result {
  seconds: number;
  rssMb: number | null;
}
export type Results = Record<string, Result>;

export interface SizeResult {
  size: number;
  bytes: number;
  /** Bytes of the one feature log that emit appends to. */
  emitLogBytes: number;
  /** Bytes of feature 041's log, the only one `query --feature 041` reads. */
  queryBytes: number;
  runs: number;
  results: Results;
}

interface Target {
  target: string;
  goal: string;
  where: string;
  measured: string;
  met: boolean | null;
}

const n = (x: number) => x.toLocaleString("en-US");
const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
const rss = (r: Result) => (r.rssMb === null ? "-" : r.rssMb.toFixed(0));

export function startupTable(results: Results): string[] {
  const base = results[EMPTY_RUN].seconds;
  return [
    "## Start-up",
    "",
    "| command | median s | vs empty deno run | peak RSS MB |",
    "| --- | ---: | ---: | ---: |",
    ...Object.entries(results).map(([name, r]) =>
      `| ${name} | ${r.seconds.toFixed(3)} | ${(r.seconds / base).toFixed(2)}x | ${rss(r)} |`
    ),
    "",
  ];
}

export function sizeTable(s: SizeResult): string[] {
  const base = s.results[COST].seconds;
  const throughput = (name: string, r: Result) =>
    name.includes("emit")
      ? "-"
      : ((name === QUERY ? s.queryBytes : s.bytes) / 1e6 / r.seconds).toFixed(0);
  return [
    `## ${n(s.size)} events (${mb(s.bytes)} MB in 5 feature logs)`,
    "",
    `${s.runs} run${
      s.runs === 1 ? "" : "s"
    } per command, alternating; emit appends to one feature log of ` +
    `${mb(s.emitLogBytes)} MB (a scratch copy); query's MB/s is over the one log it reads ` +
    `(${mb(s.queryBytes)} MB).`,
    "",
    "| command | median s | vs our cost | MB/s | peak RSS MB |",
    "| --- | ---: | ---: | ---: | ---: |",
    ...Object.entries(s.results).map(([name, r]) =>
      `| ${name} | ${r.seconds.toFixed(3)} | ${(r.seconds / base).toFixed(2)}x | ${
        throughput(name, r)
      } | ${rss(r)} |`
    ),
    "",
  ];
}

function ratioTarget(
  target: string,
  goal: string,
  where: string,
  value: number | null,
  limit: number,
  atLeast = false,
  unit = "x",
): Target {
  if (value === null) return { target, goal, where, measured: "not measured", met: null };
  const digits = unit === "x" ? 2 : unit === "s" ? 3 : 0;
  return {
    target,
    goal,
    where,
    measured: `${value.toFixed(digits)}${unit === "x" ? "x" : ` ${unit}`}`,
    met: atLeast ? value >= limit : value <= limit,
  };
}

export function targets(startup: Results, sizes: SizeResult[]): Target[] {
  const out: Target[] = [];
  const ratio = (r: Results, a: string, b: string) =>
    r[a] && r[b] ? r[a].seconds / r[b].seconds : null;
  for (const s of sizes) {
    const r = s.results, where = `${n(s.size)} events`;
    // Issue #17's goals, set at 1M events (below, start-up weighs on every peer differently):
    // cost at most 0.8x DuckDB (2 threads) and 0.3x Python + orjson.
    if (s.size >= 1_000_000) {
      out.push(
        ratioTarget("cost time / DuckDB time", "<= 0.80x", where, ratio(r, COST, DUCKDB), 0.8),
        ratioTarget("cost time / python+orjson", "<= 0.30x", where, ratio(r, COST, ORJSON), 0.3),
        // "On every command": grouping by a time key, which the kernel's fold does not sum.
        ratioTarget(
          "cost by day time / DuckDB by day",
          "<= 1.00x",
          where,
          ratio(r, COST_DAY, DUCKDB_DAY),
          1,
        ),
      );
    }
    out.push(ratioTarget("cost peak RSS", "<= 150 MB", where, r[COST].rssMb, 150, false, "MB"));
    const tenth = sizes.find((t) => t.size * 10 === s.size);
    if (tenth) {
      const [a, b] = [r[COST].rssMb, tenth.results[COST].rssMb];
      out.push(ratioTarget(
        `cost peak RSS / RSS at ${n(tenth.size)} events`,
        "<= 1.10x",
        where,
        a !== null && b !== null ? a / b : null,
        1.1,
      ));
    }
    out.push(
      ratioTarget("query time / cost time", "<= 1.50x", where, ratio(r, QUERY, COST), 1.5),
      ratioTarget("query all time / cost time", "<= 3.00x", where, ratio(r, QUERY_ALL, COST), 3),
      ratioTarget(
        "query all time / DuckDB ordered export",
        "<= 1.00x",
        where,
        ratio(r, QUERY_ALL, DUCKDB_EXPORT),
        1,
      ),
      ratioTarget(
        "query all peak RSS",
        "<= 250 MB",
        where,
        r[QUERY_ALL]?.rssMb ?? null,
        250,
        false,
        "MB",
      ),
      ratioTarget(
        "emit time, this log / empty log",
        "<= 1.20x",
        where,
        ratio(r, EMIT_BIG, EMIT_EMPTY),
        1.2,
      ),
      ratioTarget(
        "emit --event-id time, this log",
        "<= 0.300 s",
        where,
        r[EMIT_ID]?.seconds ?? null,
        0.3,
        false,
        "s",
      ),
    );
  }
  out.push(
    ratioTarget(
      "--version time / empty deno run",
      "<= 1.50x",
      "start-up",
      ratio(startup, VERSION, EMPTY_RUN),
      1.5,
    ),
  );
  return out;
}

export function targetTable(list: Target[]): string[] {
  const status = (t: Target) => (t.met === null ? "not measured" : t.met ? "met" : "not met");
  return [
    "## Targets from the product brief",
    "",
    "| target | goal | where | measured | status |",
    "| --- | --- | --- | ---: | --- |",
    ...list.map((t) => `| ${t.target} | ${t.goal} | ${t.where} | ${t.measured} | ${status(t)} |`),
    "",
  ];
}

/** Where the remaining gap to the peers comes from, as measured while building the engine. */
export function limits(): string[] {
  return [
    "## What limits `cost` here",
    "",
    "- Scanning. Execution lines in the tool's layout and in the Python writer's are decoded in",
    "  WebAssembly (`execLines` in src/read/wasm/scan/): keys compared 16 bytes at a time, names",
    "  checked and interned, counts, decimals, times and id hashes read from the digits (a count's",
    "  or a timestamp's with one 16-byte load). With no filter and one name key the kernel also sums",
    "  each line into its group (the fold: tokens, counts, exact money, dated and tiered prices), so",
    "  JavaScript sees a run of summed lines as one step. A line is taken only when `JSON.parse` plus",
    "  the schemas would give the same values; any",
    "  other goes to the JavaScript reader. What is left is mostly the read syscalls' copy out of the",
    "  page cache (a quarter of the CPU, `perf` over both threads) and the kernel (a fifth).",
    "- Warm-up. Each thread's first range runs about 2x slower while V8 tiers the JavaScript",
    "  around the kernel up; the workers start while this thread loads the prices.",
    "- Cores. This thread and one worker take ranges from one queue. Two processes reading at once",
    "  each slow to about 85% of one alone here (the two vCPUs share the host), so two threads give",
    "  1.4-1.6x, not 2x.",
    "- Memory. Each thread reads its blocks straight into the kernel's memory (two 512 KiB buffers",
    "  it lends, plain file reads: no byte stream, no copy per block) and makes no object per line;",
    "  the peak is mostly the two V8 isolates.",
    "- DuckDB parses JSON in C++ with its own threads and no warm-up; see docs/performance.md.",
    "",
    "## What limits `query` of every event here",
    "",
    "- One parse, one copy. Each log is parsed once (the wasm kernel's verdict per line: spelled",
    "  as the tool writes it or not), keeping per matching line its number, length, clock and node",
    "  (24 bytes) and the text of each line written anew; the same reading checks the clock order",
    "  and prints each id (52 bits). The second reading only copies the kept lines from the read",
    "  block into the merge, checking each ends where it did. One thread by default: on 2 shared",
    "  cores a worker cost more CPU (its own JIT warm-up) than it saved.",
    "- Bytes in, bytes out. Lines already canonical (tool's layout, every key, numbers and escapes",
    "  as `JSON.stringify` writes them) are copied from the read block to the output's 1 MiB buffer;",
    "  the merge compares clocks kept beside the bytes. No string or object per line. Execution",
    "  lines of the Python writer (5% of this mix) are written anew from the kernel's record in the",
    "  first reading, without `JSON.parse`; other lines not spelled canonically are parsed.",
    "- Each id once: only ids whose print is met twice go through an exact set (none here).",
    "- Most of the time is the first reading: the per-line JavaScript around the kernel (the same",
    "  block reader as `cost`), other event types' payload checks, the Python lines.",
    "- DuckDB sorts in C++ on two threads and holds the whole table (about 1 GB at 1M events).",
    "",
  ];
}
