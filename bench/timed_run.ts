/**
 * One timed run of a Deno script as its own process, under /usr/bin/time:
 * wall seconds and peak RSS, stdout dropped (the benches that write one
 * section of bench/RESULTS.md share it).
 */

/** A run's wall time and peak resident memory. */
export interface Sample {
  seconds: number;
  rssMb: number;
  /** Its stderr when it exited with a failure (`verify` on junk does, by design). */
  failed?: string;
}

/** The permissions the measured commands run with. */
const PERMS = ["--allow-read", "--allow-write", "--allow-env", "--allow-sys=hostname"];

/** Runs `deno run PERMS script ...args`. */
export async function timedRun(script: string, args: string[]): Promise<Sample> {
  const argv = ["-f", "RSS_KB=%M", Deno.execPath(), "run", ...PERMS, script, ...args];
  const started = performance.now();
  const out = await new Deno.Command("/usr/bin/time", {
    args: argv,
    stdout: "null",
    stderr: "piped",
  })
    .output();
  const seconds = (performance.now() - started) / 1000;
  const stderr = new TextDecoder().decode(out.stderr);
  const rss = /RSS_KB=(\d+)/.exec(stderr);
  return {
    seconds,
    rssMb: rss ? Number(rss[1]) / 1024 : NaN,
    failed: out.success ? undefined : stderr,
  };
}
