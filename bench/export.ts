/**
 * `export` against `cost` on one project, measured in the same run,
 * alternating (the machine is shared: only the ratio means anything): the
 * median wall time of each, their ratio, and each one's peak RSS, with the
 * load average at the start and the end. The targets: export
 * within 3x cost's time, peak RSS at most 200 MB.
 *
 * Usage: deno task bench:export [--events 1000000] [--runs 3] [--signal traces]
 *   [--dir DIR]   (default bench/data/<events>, generated when missing)
 */
import { parseArgs } from "node:util";
import { join } from "node:path";
import { generate } from "./generate.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    events: { type: "string", default: "1000000" },
    runs: { type: "string", default: "3" },
    signal: { type: "string", default: "traces" },
    dir: { type: "string" },
  },
});
const here = import.meta.dirname!;
const dir = values.dir ?? join(here, "data", values.events);
const main = join(here, "..", "main.ts");
const perms = ["--allow-read", "--allow-write", "--allow-env", "--allow-sys=hostname"];
const log = (s: string) => console.error(`[bench:export] ${s}`);

if (values.dir === undefined && !(await exists(join(dir, ".complete")))) {
  log(`generating ${values.events} events into ${dir}`);
  await Deno.remove(dir, { recursive: true }).catch(() => {});
  await Deno.writeTextFile(join(dir, ".complete"), String(await generate(dir, +values.events)));
}

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

/** Wall seconds and peak RSS (MB) of one run. */
async function measure(args: string[]): Promise<{ seconds: number; rssMb: number }> {
  const started = performance.now();
  const out = await new Deno.Command("/usr/bin/time", {
    args: ["-f", "RSS_KB=%M", Deno.execPath(), "run", ...perms, main, ...args],
    stdout: "null",
    stderr: "piped",
  }).output();
  const seconds = (performance.now() - started) / 1000;
  const stderr = new TextDecoder().decode(out.stderr);
  if (!out.success) throw new Error(`${args.join(" ")} failed:\n${stderr}`);
  const rss = Number(/RSS_KB=(\d+)/.exec(stderr)?.[1] ?? NaN);
  return { seconds, rssMb: rss / 1024 };
}

const loadavg = () => Deno.loadavg()[0].toFixed(1);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const out = await Deno.makeTempFile({ suffix: ".jsonl" });
const cost = ["cost", "--json", "--root", dir];
const exp = ["export", "--signal", values.signal, "--root", dir, "--out", out];
const loadBefore = loadavg();
const costRuns: { seconds: number; rssMb: number }[] = [];
const exportRuns: { seconds: number; rssMb: number }[] = [];
for (let run = 0; run < +values.runs; run++) {
  costRuns.push(await measure(cost));
  exportRuns.push(await measure(exp));
  log(
    `run ${run + 1}: cost ${costRuns[run].seconds.toFixed(1)} s, export ${
      exportRuns[run].seconds.toFixed(1)
    } s, export RSS ${exportRuns[run].rssMb.toFixed(0)} MB`,
  );
}
const outBytes = (await Deno.stat(out)).size;
await Deno.remove(out);
const c = median(costRuns.map((r) => r.seconds));
const e = median(exportRuns.map((r) => r.seconds));
const rss = Math.max(...exportRuns.map((r) => r.rssMb));
console.log(
  `| events | signal | cost (median) | export (median) | export / cost | export peak RSS | cost peak RSS | output | load avg |
|---|---|---|---|---|---|---|---|---|
| ${Number(values.events).toLocaleString("en")} | ${values.signal} | ${c.toFixed(1)} s | ${
    e.toFixed(1)
  } s | ${(e / c).toFixed(1)}x (target <= 3x) | ${rss.toFixed(0)} MB (target <= 200) | ${
    Math.max(...costRuns.map((r) => r.rssMb)).toFixed(0)
  } MB | ${(outBytes / 1e6).toFixed(0)} MB | ${loadBefore} -> ${loadavg()} |`,
);
