/** Renders bench/RESULTS.md: per-size tables and the brief's targets, met or not. */
import { DUCKDB, ORJSON } from "./peers.ts";

export const COST = "kitty-telemetry cost --json --group-by model";
export const QUERY = "kitty-telemetry query --feature 041 --wp WP01";
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
    out.push(
      ratioTarget("cost time / DuckDB time", "<= 1.00x", where, ratio(r, COST, DUCKDB), 1),
      ratioTarget(
        "python+orjson time / cost time",
        ">= 3.00x",
        where,
        ratio(r, ORJSON, COST),
        3,
        true,
      ),
      ratioTarget("cost peak RSS", "<= 150 MB", where, r[COST].rssMb, 150, false, "MB"),
    );
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
    "- Parsing. V8's `JSON.parse` reads these ~440-byte lines at about 110 MB/s per core",
    "  (15,204 lines in 60 ms). A hand-written JavaScript scanner for the tool's fixed layout was",
    "  3.5x slower than `JSON.parse` (197 ms for the same lines), so lines in that layout skip",
    "  the zod schemas (a hand-written check instead) but are still parsed by `JSON.parse`;",
    "  non-execution lines of that layout are skipped unparsed. Parse, validation and summing",
    "  leave about 50 MB/s per core.",
    "- Cores. Two Web Workers run 1.5x faster than one (1M events: 3.3 s vs 5.1 s), not 2x: the",
    "  two vCPUs and memory bandwidth are shared, and each worker is a V8 isolate with its own heap.",
    "  Read chunks of 32 KiB keep the peak near 120-140 MB with two workers (1 MiB chunks peaked",
    "  at over 330 MB), and workers load no schema library (zod adds ~14 MB to each isolate).",
    "- DuckDB parses JSON in C++ and materialises only the columns its schema names. Matching it",
    "  would take a byte-level scanner that never builds strings or objects per line (WebAssembly",
    "  or a native add-on), which the single-binary, no-native-dependency design rules out for now.",
    "",
  ];
}
