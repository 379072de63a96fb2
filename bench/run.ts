/**
 * Benchmarks kitty-telemetry against peers measured in the same run,
 * alternating commands, and reports medians and ratios (absolute times on
 * shared machines are noise; ratios are what to compare).
 *
 * Usage: deno task bench [--sizes 10000,100000] [--runs 5] [--out bench/RESULTS.md]
 */
import { parseArgs } from "node:util";
import { join } from "node:path";
import { generate } from "./generate.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    sizes: { type: "string", default: "10000,100000" },
    runs: { type: "string", default: "5" },
    out: { type: "string", default: join(import.meta.dirname!, "RESULTS.md") },
  },
});
const sizes = values.sizes.split(",").map(Number);
const runs = Number(values.runs);
const here = import.meta.dirname!;
const main = join(here, "..", "main.ts");
const deno = Deno.execPath();
const perms = ["--allow-read", "--allow-write", "--allow-env", "--allow-sys=hostname"];
const hasTime = await exists("/usr/bin/time");

interface Sample {
  seconds: number;
  rssKb: number | null;
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

async function measure(cmd: string[]): Promise<Sample> {
  const argv = hasTime ? ["/usr/bin/time", "-f", "RSS_KB=%M", ...cmd] : cmd;
  const started = performance.now();
  const out = await new Deno.Command(argv[0], {
    args: argv.slice(1),
    stdout: "null",
    stderr: "piped",
  }).output();
  const seconds = (performance.now() - started) / 1000;
  const stderr = new TextDecoder().decode(out.stderr);
  if (!out.success) throw new Error(`${cmd.join(" ")} failed:\n${stderr}`);
  const rss = /RSS_KB=(\d+)/.exec(stderr);
  return { seconds, rssKb: rss ? Number(rss[1]) : null };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Runs each named command `runs` times, alternating, and returns medians. */
async function compare(commands: Record<string, string[]>) {
  const samples: Record<string, Sample[]> = {};
  for (const name of Object.keys(commands)) await measure(commands[name]); // warm caches
  for (let r = 0; r < runs; r++) {
    for (const [name, cmd] of Object.entries(commands)) {
      (samples[name] ??= []).push(await measure(cmd));
    }
  }
  return Object.fromEntries(
    Object.entries(samples).map(([name, s]) => [name, {
      seconds: median(s.map((x) => x.seconds)),
      rssMb: s[0].rssKb === null ? null : Math.max(...s.map((x) => x.rssKb!)) / 1024,
    }]),
  );
}

const lines: string[] = [
  `# Benchmark results`,
  "",
  `${new Date().toISOString().slice(0, 10)}, ${runs} runs per command (alternating), medians; ` +
  `Deno ${Deno.version.deno}. Ratios compare commands measured in the same run.`,
  "",
];
const emptyScript = await Deno.makeTempFile({ suffix: ".ts" });
const startup = await compare({
  "kitty-telemetry --version": [deno, "run", ...perms, main, "--version"],
  "deno run empty.ts": [deno, "run", emptyScript],
});
lines.push(
  "## Start-up",
  "",
  "| command | median s | ratio |",
  "| --- | ---: | ---: |",
  ...Object.entries(startup).map(([n, r]) =>
    `| ${n} | ${r.seconds.toFixed(3)} | ${
      (r.seconds / startup["deno run empty.ts"].seconds).toFixed(2)
    }x |`
  ),
  "",
);

for (const size of sizes) {
  const dir = join(here, "data", String(size));
  const marker = join(dir, ".complete");
  let bytes: number;
  if (await exists(marker)) {
    bytes = Number(await Deno.readTextFile(marker));
  } else {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    bytes = await generate(dir, size);
    await Deno.writeTextFile(marker, String(bytes));
  }
  const emptyRoot = await Deno.makeTempDir();
  const emit = (root: string) => [
    deno,
    "run",
    ...perms,
    main,
    "emit",
    "--feature",
    "041-feature-1",
    "--agent",
    "bench",
    "--role",
    "implementer",
    "--root",
    root,
  ];
  const results = await compare({
    "kitty-telemetry cost --json --group-by model": [
      deno,
      "run",
      ...perms,
      main,
      "cost",
      "--json",
      "--group-by",
      "model",
      "--root",
      dir,
    ],
    "python3 peer_cost.py (orjson if installed)": ["python3", join(here, "peer_cost.py"), dir],
    "kitty-telemetry query --feature 041 --wp WP01": [
      deno,
      "run",
      ...perms,
      main,
      "query",
      "--feature",
      "041",
      "--wp",
      "WP01",
      "--root",
      dir,
    ],
    "kitty-telemetry emit (this log)": emit(dir),
    "kitty-telemetry emit (empty log)": emit(emptyRoot),
  });
  const base = results["kitty-telemetry cost --json --group-by model"].seconds;
  lines.push(
    `## ${size.toLocaleString("en-US")} events (${(bytes / 1e6).toFixed(1)} MB)`,
    "",
    "| command | median s | vs our cost | MB/s | peak RSS MB |",
    "| --- | ---: | ---: | ---: | ---: |",
    ...Object.entries(results).map(([n, r]) =>
      `| ${n} | ${r.seconds.toFixed(3)} | ${(r.seconds / base).toFixed(2)}x | ${
        n.includes("emit") ? "-" : (bytes / 1e6 / r.seconds).toFixed(0)
      } | ${r.rssMb === null ? "-" : r.rssMb.toFixed(0)} |`
    ),
    "",
    `emit on this log vs an empty log: ${
      (results["kitty-telemetry emit (this log)"].seconds /
        results["kitty-telemetry emit (empty log)"].seconds).toFixed(2)
    }x`,
    "",
  );
}

const report = lines.join("\n");
console.log(report);
await Deno.writeTextFile(values.out, report);
