/**
 * `deno task test`: the whole suite with a temporary folder of its own,
 * removed when the suite ends. The tests make projects of up to 30,000
 * events, exports of them and copies of stdin in the system's temporary
 * folder; one run left about 2 GB and 2,500 names there, and a machine that
 * ran the suite a few dozen times had a full disk. Output and exit code are
 * the suite's.
 *
 * Usage: `deno run --allow-run --allow-read --allow-write scripts/run_tests.ts [deno test args]`
 *
 * @module
 */

/** The suite's `deno test` arguments: the permissions its tests need, and what it runs. */
export const TEST_ARGS: readonly string[] = [
  "test",
  "--allow-read",
  "--allow-write",
  "--allow-env",
  "--allow-run",
  "--allow-sys=hostname",
  "--allow-net=127.0.0.1",
  "--parallel",
  "--doc",
  "tests/",
  "src/",
  "scripts/",
  "mod.ts",
  "internals.ts",
];

if (import.meta.main) {
  const dir = await Deno.makeTempDir({ prefix: "kitty-telemetry-tests-" });
  const args = Deno.args.length > 0 ? ["test", ...Deno.args] : [...TEST_ARGS];
  const child = new Deno.Command(Deno.execPath(), {
    args,
    // Everything the tests (and the processes they start) make goes under `dir`.
    env: { TMPDIR: dir, TMP: dir, TEMP: dir },
  }).spawn();
  const stop = () => child.kill("SIGINT");
  Deno.addSignalListener("SIGINT", stop);
  const { code } = await child.status;
  Deno.removeSignalListener("SIGINT", stop);
  await Deno.remove(dir, { recursive: true }).catch(() => {});
  Deno.exit(code);
}
