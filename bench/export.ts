/**
 * `export` against `cost` on one project, measured in the same run,
 * alternating (the machine is shared: only the ratio means anything): the
 * median wall time of each, their ratio, each one's median CPU time (user +
 * system: steadier than wall time on a busy machine) and peak RSS, with the
 * load average at the start and the end. The issue's targets: export
 * within 3x cost's time, peak RSS at most 200 MB. The floor of any export to
 * a file is writing its bytes: `cp` of the output, timed in the same
 * rotation, shows what this machine's file system takes for that alone,
 * and the last column the export's time above that floor against cost's.
 * Each export and each `cp` writes a new file, the previous ones deleted
 * first: on this VM's ext4, writing 1.2 GB took 0.27 s of system time with
 * no other fresh large file in the folder and about 3 s with two (the
 * last run's output and its copy), which measured the file system's state,
 * not the export. With `--baseline`, the
 * export of another checkout runs in the same rotation (a before and after).
 * With `--push`, the export is `--endpoint --full` to a receiver on
 * 127.0.0.1 that reads each body and accepts it (`sink.ts`, a process of
 * its own), from a root of its own with the project's logs linked in (its
 * record of what was sent removed before each run; the project only read).
 *
 * Usage: deno task bench:export [--events 1000000] [--runs 3] [--signal traces]
 *   [--dir DIR]        (default bench/data/<events>, generated when missing)
 *   [--baseline REPO]  (another checkout: its main.ts's export too, alternating)
 *   [--push]           (push to a local receiver instead of writing a file)
 */
import { parseArgs } from "node:util";
import { join, resolve } from "node:path";
import { generate } from "./generate.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    events: { type: "string", default: "1000000" },
    runs: { type: "string", default: "3" },
    signal: { type: "string", default: "traces" },
    dir: { type: "string" },
    baseline: { type: "string" },
    push: { type: "boolean", default: false },
  },
});
const here = import.meta.dirname!;
const dir = values.dir ?? join(here, "data", values.events);
const main = join(here, "..", "main.ts");
const perms = ["--allow-read", "--allow-write", "--allow-env", "--allow-sys=hostname"];
// The receiver a push posts to, when pushing: a process of its own, on the other core.
const sink = values.push ? await startSink() : undefined;
if (sink) perms.push(`--allow-net=127.0.0.1:${sink.port}`);

async function startSink(): Promise<{ port: number; process: Deno.ChildProcess }> {
  const process = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-net=127.0.0.1", join(import.meta.dirname!, "sink.ts")],
    stdout: "piped",
  }).spawn();
  const reader = process.stdout.getReader();
  const { value } = await reader.read();
  reader.releaseLock();
  return { port: Number(new TextDecoder().decode(value).trim()), process };
}
const log = (s: string) => console.error(`[bench:export] ${s}`);

if (values.dir === undefined && !(await exists(join(dir, ".complete")))) {
  log(`generating ${values.events} events into ${dir}`);
  await Deno.remove(dir, { recursive: true }).catch(() => {});
  await Deno.writeTextFile(join(dir, ".complete"), String(await generate(dir, +values.events)));
}

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

/** One run: wall seconds, CPU seconds (user + system) and peak RSS (MB). */
interface Run {
  seconds: number;
  cpu: number;
  rssMb: number;
}

/** Measures one run of `entry` (a main.ts). */
function measure(args: string[], entry = main): Promise<Run> {
  return timed(Deno.execPath(), ["run", ...perms, entry, ...args]);
}

/** Measures one run of `program`. */
async function timed(program: string, args: string[]): Promise<Run> {
  const started = performance.now();
  const out = await new Deno.Command("/usr/bin/time", {
    args: ["-f", "RSS_KB=%M CPU=%U+%S", program, ...args],
    stdout: "null",
    stderr: "piped",
  }).output();
  const seconds = (performance.now() - started) / 1000;
  const stderr = new TextDecoder().decode(out.stderr);
  if (!out.success) throw new Error(`${args.join(" ")} failed:\n${stderr}`);
  const rss = Number(/RSS_KB=(\d+)/.exec(stderr)?.[1] ?? NaN);
  const cpu = /CPU=([\d.]+)\+([\d.]+)/.exec(stderr);
  return { seconds, cpu: cpu ? Number(cpu[1]) + Number(cpu[2]) : NaN, rssMb: rss / 1024 };
}

const loadavg = () => Deno.loadavg()[0].toFixed(1);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
// A folder of its own: the export lists the folder it writes into (for a temp file a killed
// run left), and a shared temp folder can hold hundreds of thousands of names.
const outDir = await Deno.makeTempDir({ prefix: "bench-export-" });
const out = join(outDir, "export.jsonl");
const copy = join(outDir, "copy.jsonl");
const removeOutputs = async () => {
  for (const file of [out, copy]) await Deno.remove(file).catch(() => {});
};
const cost = ["cost", "--json", "--root", dir];
// A push keeps its record under its root: a root of its own, the project's logs linked in, so
// the project is only read (two people benchmarking at once do not share a record).
const pushRoot = sink ? join(outDir, "push-root") : dir;
if (sink) {
  await Deno.mkdir(pushRoot);
  await Deno.symlink(resolve(dir, "kitty-specs"), join(pushRoot, "kitty-specs"));
}
const exp = [
  "export",
  "--signal",
  values.signal,
  "--root",
  pushRoot,
  ...(
    sink ? ["--endpoint", `http://127.0.0.1:${sink.port}`, "--full"] : ["--out", out]
  ),
];
const forgetSent = () =>
  Deno.remove(join(pushRoot, ".kittify"), { recursive: true }).catch(() => {});
const loadBefore = loadavg();
const costRuns: Run[] = [];
const exportRuns: Run[] = [];
const baselineRuns: Run[] = [];
const floorRuns: Run[] = [];
const baseline = values.baseline === undefined ? undefined : join(values.baseline, "main.ts");
const secs = (r: Run) => `${r.seconds.toFixed(2)} s (CPU ${r.cpu.toFixed(2)} s)`;
let outBytes = 0;
for (let run = 0; run < +values.runs; run++) {
  costRuns.push(await measure(cost));
  // Each export in turn runs right after cost (the other right after an export's writes).
  const baselineRun = async () => {
    await removeOutputs();
    baselineRuns.push(await measure(exp, baseline));
  };
  if (baseline && run % 2 === 1) {
    await baselineRun();
    await removeOutputs();
  }
  if (sink) await forgetSent();
  exportRuns.push(await measure(exp));
  if (baseline && run % 2 === 0) await baselineRun();
  if (!sink) {
    outBytes = (await Deno.stat(out)).size;
    floorRuns.push(await timed("cp", [out, copy]));
  }
  log(
    `run ${run + 1}: cost ${secs(costRuns[run])}, export ${secs(exportRuns[run])}, RSS ${
      exportRuns[run].rssMb.toFixed(0)
    } MB${sink ? "" : `, cp of its output ${secs(floorRuns[run])}`}${
      baseline ? `; baseline export ${secs(baselineRuns[run])}` : ""
    }`,
  );
  // Deleted now rather than just before the next export: freeing 2.4 GB keeps the file system
  // busy for a while, and cost's run in between reads only.
  await removeOutputs();
}
await Deno.remove(outDir, { recursive: true });
if (sink) {
  sink.process.kill();
  await sink.process.status;
}
const floor = sink ? 0 : median(floorRuns.map((r) => r.seconds));
const c = median(costRuns.map((r) => r.seconds));
const row = (label: string, runs: Run[]) => {
  const e = median(runs.map((r) => r.seconds));
  const rss = Math.max(...runs.map((r) => r.rssMb));
  // A push's time holds the receiver's: no ratio target, no file to copy.
  const ratio = `${(e / c).toFixed(2)}x ${sink ? "(receiver included)" : "(target <= 3x)"}`;
  const written = sink
    ? "- | - | -"
    : `${(outBytes / 1e6).toFixed(0)} MB | ${floor.toFixed(1)} s | ${
      ((e - floor) / c).toFixed(1)
    }x`;
  return `| ${Number(values.events).toLocaleString("en")} | ${values.signal}${
    sink ? " push" : ""
  }${label} | ${c.toFixed(2)} s | ${e.toFixed(2)} s | ${ratio} | ${
    median(costRuns.map((r) => r.cpu)).toFixed(2)
  } s / ${median(runs.map((r) => r.cpu)).toFixed(2)} s | ${rss.toFixed(0)} MB (target <= 200) | ${
    Math.max(...costRuns.map((r) => r.rssMb)).toFixed(0)
  } MB | ${written} | ${loadBefore} -> ${loadavg()} |`;
};
console.log(
  `| events | signal | cost (median) | export (median) | export / cost | CPU cost / export | export peak RSS | cost peak RSS | output | cp of the output | (export - cp) / cost | load avg |
|---|---|---|---|---|---|---|---|---|---|---|---|
${row("", exportRuns)}${baseline ? "\n" + row(" (baseline)", baselineRuns) : ""}`,
);
