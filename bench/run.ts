/**
 * Benchmarks kitty-telemetry against peers measured in the same run
 * (DuckDB, Python with orjson and with the stdlib json, jq), alternating
 * commands, and reports medians, ratios, MB/s, peak RSS and the product
 * brief's targets (absolute times on shared machines are noise; ratios are
 * what to compare). Before timing, every peer's answer is checked against ours.
 *
 * Usage: deno task bench [--sizes 10000,100000,1000000] [--runs 5] [--big-runs 3]
 *   [--out bench/RESULTS.md]     (--big-runs: runs at 1,000,000 events and more)
 */
import { OTHER_BENCH_SECTIONS, sectionsOf } from "./sections.ts";
import { parseArgs } from "node:util";
import { join } from "node:path";
import { generate } from "./generate.ts";
import {
  diffTotals,
  JQ_MAX_EVENTS,
  ourTotals,
  type Peer,
  preparePeers,
  PYJSON,
  run,
} from "./peers.ts";
import * as report from "./report.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    sizes: { type: "string", default: "10000,100000,1000000" },
    runs: { type: "string", default: "5" },
    "big-runs": { type: "string", default: "3" },
    out: { type: "string", default: join(import.meta.dirname!, "RESULTS.md") },
  },
});
const sizes = values.sizes.split(",").map(Number).sort((a, b) => a - b);
const here = import.meta.dirname!;
const main = join(here, "..", "main.ts");
const deno = Deno.execPath();
const perms = ["--allow-read", "--allow-write", "--allow-env", "--allow-sys=hostname"];
const ours = (...args: string[]) => [deno, "run", ...perms, main, ...args];
const hasTime = await exists("/usr/bin/time");
const log = (s: string) => console.error(`[bench] ${s}`);

/** A command line, or one per run (run -1 is the warm-up). */
type Cmd = string[] | ((run: number) => string[]);
interface Sample {
  seconds: number;
  rssKb: number | null;
  stdout: string;
}

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

async function measure(cmd: string[], capture: boolean): Promise<Sample> {
  const argv = hasTime ? ["/usr/bin/time", "-f", "RSS_KB=%M", ...cmd] : cmd;
  const started = performance.now();
  const out = await new Deno.Command(argv[0], {
    args: argv.slice(1),
    stdout: capture ? "piped" : "null",
    stderr: "piped",
  }).output();
  const seconds = (performance.now() - started) / 1000;
  const stderr = new TextDecoder().decode(out.stderr);
  if (!out.success) throw new Error(`${cmd.join(" ")} failed:\n${stderr}`);
  const rss = /RSS_KB=(\d+)/.exec(stderr);
  const stdout = capture ? new TextDecoder().decode(out.stdout) : "";
  return { seconds, rssKb: rss ? Number(rss[1]) : null, stdout };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b), m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * One warm-up (its stdout is kept, but for the commands in `uncaptured`:
 * every event as JSON lines is too large a string), then `runs` rounds of
 * every command in turn.
 */
async function compare(
  commands: Record<string, Cmd>,
  runs: number,
  uncaptured: ReadonlySet<string> = new Set(),
) {
  const argv = (c: Cmd, r: number) => (typeof c === "function" ? c(r) : c);
  const outputs: Record<string, string> = {};
  const samples: Record<string, Sample[]> = {};
  for (const [name, cmd] of Object.entries(commands)) {
    log(`warm-up: ${name}`);
    outputs[name] = (await measure(argv(cmd, -1), !uncaptured.has(name))).stdout;
  }
  for (let r = 0; r < runs; r++) {
    log(`round ${r + 1}/${runs}`);
    for (const [name, cmd] of Object.entries(commands)) {
      (samples[name] ??= []).push(await measure(argv(cmd, r), false));
    }
  }
  const results: report.Results = Object.fromEntries(
    Object.entries(samples).map(([name, s]) => [name, {
      seconds: median(s.map((x) => x.seconds)),
      rssMb: s[0].rssKb === null ? null : Math.max(...s.map((x) => x.rssKb!)) / 1024,
    }]),
  );
  return { results, outputs };
}

/** A fresh ULID (timestamp + random), for emit with a caller-supplied id. */
function ulid(): string {
  const chars = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  let time = Date.now(), head = "";
  for (let i = 0; i < 10; i++, time = Math.floor(time / 32)) head = chars[time % 32] + head;
  const rand = crypto.getRandomValues(new Uint8Array(16));
  return head + Array.from(rand, (b) => chars[b % 32]).join("");
}

async function dataset(size: number): Promise<{ dir: string; bytes: number; files: string[] }> {
  const dir = join(here, "data", String(size));
  const marker = join(dir, ".complete");
  let bytes: number;
  if (await exists(marker)) bytes = Number(await Deno.readTextFile(marker));
  else {
    log(`generating ${size} events into ${dir}`);
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    bytes = await generate(dir, size);
    await Deno.writeTextFile(marker, String(bytes));
  }
  const files: string[] = [];
  for await (const e of Deno.readDir(join(dir, "kitty-specs"))) {
    const f = join(dir, "kitty-specs", e.name, "execution.events.jsonl");
    if (e.isDirectory && await exists(f)) files.push(f);
  }
  return { dir, bytes, files: files.sort() };
}

const { peers, versions, skipped, duckExport, duckDay } = await preparePeers(here, deno, log);
const checks: string[] = [];

/** Checks a peer's answer against ours (`cost --json --group-by key`), into `checks`. */
function check(where: string, key: string, ourStdout: string, theirStdout: string): void {
  let diffs: string[];
  try {
    diffs = diffTotals(ourTotals(ourStdout, key), JSON.parse(theirStdout));
  } catch (e) {
    diffs = [`unreadable output: ${e}`];
  }
  if (diffs.length) {
    console.error(`WARNING: ${where} differs from kitty-telemetry:\n  ${diffs.join("\n  ")}`);
    checks.push(`- **WARNING** ${where} differs: ${diffs.slice(0, 5).join("; ")}`);
  } else checks.push(`- ${where}: same event counts, token sums and reported cost per ${key}`);
}
const notes = [
  "- DuckDB runs as a Deno script (bench/peer_duckdb.ts), so its time and RSS include Deno's " +
  "start-up and loading the native binding; its query uses an explicit schema for the fields read.",
  "- The Python peers include the interpreter's start-up (`python3 -c pass` under Start-up).",
  ...skipped.map((s) => `- skipped ${s}`),
];
const emptyScript = await Deno.makeTempFile({ suffix: ".ts" });
log("start-up");
const startup = (await compare({
  [report.VERSION]: ours("--version"),
  [report.EMPTY_RUN]: [deno, "run", emptyScript],
  ...(peers.some((p) => p.name === PYJSON) ? { "python3 -c pass": ["python3", "-c", "pass"] } : {}),
}, Number(values.runs))).results;

const sizeResults: report.SizeResult[] = [];
const feature = "041-feature-1";
for (const size of sizes) {
  const { dir, bytes, files } = await dataset(size);
  const runs = Number(size >= 1_000_000 ? values["big-runs"] : values.runs);
  // emit appends, so it gets a scratch copy of one feature log; the cached data stays as generated.
  const scratch = await Deno.makeTempDir({ dir: join(here, "data"), prefix: ".emit-" });
  const emptyRoot = await Deno.makeTempDir({ dir: join(here, "data"), prefix: ".empty-" });
  try {
    await Deno.mkdir(join(scratch, "kitty-specs", feature), { recursive: true });
    const bigLog = join(scratch, "kitty-specs", feature, "execution.events.jsonl");
    const featureLog = join(dir, "kitty-specs", feature, "execution.events.jsonl");
    await Deno.copyFile(featureLog, bigLog);
    const emit = (root: string) =>
      ours(
        "emit",
        "--feature",
        feature,
        "--agent",
        "bench",
        "--role",
        "implementer",
        "--root",
        root,
      );
    const active: Peer[] = peers.filter((p) => !p.maxEvents || size <= p.maxEvents);
    for (const p of peers.filter((p) => !active.includes(p))) {
      notes.push(
        `- ${p.name} not run at ${size.toLocaleString("en-US")} events (too slow; ` +
          `limit ${JQ_MAX_EVENTS.toLocaleString("en-US")})`,
      );
    }
    log(`${size} events, ${runs} runs`);
    const { results, outputs } = await compare(
      {
        [report.COST]: ours("cost", "--json", "--group-by", "model", "--root", dir),
        ...Object.fromEntries(active.map((p) => [p.name, p.command(dir, files)])),
        [report.COST_DAY]: ours("cost", "--json", "--group-by", "day", "--root", dir),
        ...(duckDay ? { [report.DUCKDB_DAY]: duckDay(dir) } : {}),
        [report.QUERY]: ours("query", "--feature", "041", "--wp", "WP01", "--root", dir),
        [report.QUERY_ALL]: ours("query", "--root", dir),
        ...(duckExport ? { [report.DUCKDB_EXPORT]: duckExport(dir) } : {}),
        [report.EMIT_BIG]: emit(scratch),
        [report.EMIT_EMPTY]: emit(emptyRoot),
        [report.EMIT_ID]: () => [...emit(scratch), "--event-id", ulid()],
      },
      runs,
      new Set([report.QUERY_ALL, report.DUCKDB_EXPORT]),
    );
    const at = `at ${size.toLocaleString("en-US")} events`;
    for (const p of active) {
      check(`${p.name} ${at}`, "model", outputs[report.COST], outputs[p.name]);
    }
    if (duckDay) {
      check(`DuckDB by day ${at}`, "day", outputs[report.COST_DAY], outputs[report.DUCKDB_DAY]);
    }
    const emitLogBytes = (await Deno.stat(bigLog)).size;
    const queryBytes = (await Deno.stat(featureLog)).size;
    sizeResults.push({ size, bytes, emitLogBytes, queryBytes, runs, results });
  } finally {
    await Deno.remove(scratch, { recursive: true });
    await Deno.remove(emptyRoot, { recursive: true });
  }
}
await Deno.remove(emptyScript);

// (reading /proc needs --allow-all in Deno; the task grants --allow-run)
const cpu = (await run(["cat", "/proc/cpuinfo"])).stdout.match(/model name\s*:\s*(.*)/)?.[1] ??
  "unknown CPU";
const lines = [
  "# Benchmark results",
  "",
  `${new Date().toISOString().slice(0, 10)}; ${navigator.hardwareConcurrency} cores (${cpu}); ` +
  `Deno ${Deno.version.deno}; peers: ${versions.join("; ")}. Medians of alternating runs; ` +
  `peak RSS is the maximum over runs (/usr/bin/time). Ratios compare commands measured in the ` +
  `same run; absolute times on a shared machine are noise. Generated by \`deno task bench\`.`,
  "",
  ...report.targetTable(report.targets(startup, sizeResults)),
  ...report.limits(),
  "## Correctness check (warm-up outputs, per model)",
  "",
  ...checks,
  "",
  ...report.startupTable(startup),
  ...sizeResults.flatMap(report.sizeTable),
  ...(notes.length ? ["## Notes", "", ...notes, ""] : []),
  // bench:junk and bench:shapes measure apart; their sections stay.
  ...sectionsOf(await Deno.readTextFile(values.out).catch(() => ""), OTHER_BENCH_SECTIONS),
];
const text = lines.join("\n");
console.log(text);
await Deno.writeTextFile(values.out, text);
await run([deno, "fmt", "--quiet", values.out]); // so `deno task check` (fmt --check) stays green
