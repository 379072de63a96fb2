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

/** Whether util-linux's script(1) is here (it runs a command on a new terminal). */
const HAS_SCRIPT = await new Deno.Command("script", { args: ["--version"], stdout: "null" })
  .output().then((o) => o.success, () => false);

Deno.test({
  name: "import - on a terminal says it waits for input (Ctrl-D); from a pipe, nothing",
  ignore: !HAS_SCRIPT || Deno.build.os !== "linux",
  fn: async () => {
    const { root } = await projectWith(1);
    const main = join(REPO_ROOT, "main.ts");
    const line = `'${Deno.execPath()}' run -A '${main}' import --root '${root}' -`;
    // script gives the command a terminal as stdin; its own stdin (empty) ends it with Ctrl-D.
    const onTty = await new Deno.Command("script", {
      args: ["-qec", line, "/dev/null"],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    const shown = new TextDecoder().decode(onTty.stdout);
    assert.equal(onTty.code, 0, shown);
    assert.match(shown, /^note: reading standard input from the terminal: .*Ctrl-D/m);
    const piped = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", main, "import", "--root", root, "-"],
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).output();
    assert.equal(piped.code, 0);
    assert.doesNotMatch(new TextDecoder().decode(piped.stderr), /note: reading standard input/);
  },
});
