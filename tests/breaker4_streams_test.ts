/**
 * The process's streams gone (the real process, `main.ts`): stderr read by
 * a pipe whose reader left (`2>&1 | head -1`, an orchestrator that stopped
 * reading). A warning nobody can read must not change what the command did
 * or its exit code: an emit that recorded its event and then exited 1 over
 * an unwritable warning would be retried, and the run recorded twice.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { REPO_ROOT } from "./helpers.ts";
import { projectWith } from "./otlp/otlp_helpers.ts";

/** Runs the CLI with its stderr a pipe nobody reads (closed at once); its exit code. */
async function withStderrGone(args: string[]): Promise<number> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", join(REPO_ROOT, "main.ts"), ...args],
    stdout: "null",
    stderr: "piped",
  }).spawn();
  await child.stderr.cancel();
  return (await child.status).code;
}

Deno.test({
  name: "emit with a warning and stderr's reader gone: recorded once, exit 0",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const { root } = await projectWith(2);
    const dir = join(root, "kitty-specs", "043-otel");
    // A corrupt clock file: emit warns that it recovers the clock from the log.
    await Deno.writeTextFile(join(dir, ".telemetry-clock.json"), "garbage");
    const code = await withStderrGone([
      "emit",
      "--root",
      root,
      "--feature",
      "043-otel",
      "--agent",
      "a",
      "--role",
      "r",
    ]);
    assert.equal(code, 0); // was 1
    const lines = (await Deno.readTextFile(join(dir, "execution.events.jsonl"))).trimEnd();
    assert.equal(lines.split("\n").length, 3);
  },
});

Deno.test({
  name: "an error with stderr's reader gone keeps its exit code (2 for bad input)",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const code = await withStderrGone(["cost", "--root", join(REPO_ROOT, "no-such-folder")]);
    assert.equal(code, 2); // was 1: the error line could not be written
  },
});
