/**
 * The file policy as the commands show it: a log or clock file that is a
 * FIFO is refused with one `error:` line and exit 1 (it used to hang the
 * readers and swallow emit's events); a symbolic link is never followed.
 * Each command runs as a process killed after 10 s, so a hang fails the
 * test instead of blocking the suite.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, REPO_ROOT, tempProject } from "./helpers.ts";

const MAIN = join(REPO_ROOT, "main.ts");
const unix = Deno.build.os !== "windows";

async function run(args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", "-A", MAIN, ...args],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
    signal: AbortSignal.timeout(10_000),
  }).output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return {
    code: out.code,
    signal: out.signal,
    stdout: decode(out.stdout),
    stderr: decode(out.stderr),
  };
}

async function mkfifo(path: string): Promise<void> {
  const out = await new Deno.Command("mkfifo", { args: [path] }).output();
  assert.equal(out.code, 0);
}

/** A project whose feature 043-f has one regular event, then the log replaced by a FIFO. */
async function fifoProject(file: "log" | "clock" = "log") {
  const root = await tempProject();
  const emitted = await cli([
    "emit",
    "--feature",
    "043-f",
    "--agent",
    "a",
    "--role",
    "r",
    "--root",
    root,
  ]);
  assert.equal(emitted.code, 0);
  const dir = join(root, "kitty-specs", "043-f");
  const saved = join(root, "saved.jsonl");
  await Deno.rename(join(dir, "execution.events.jsonl"), saved);
  const fifo = join(dir, file === "log" ? "execution.events.jsonl" : ".telemetry-clock.json");
  if (file === "clock") await Deno.rename(saved, join(dir, "execution.events.jsonl"));
  await Deno.remove(fifo).catch(() => {});
  await mkfifo(fifo);
  return { root, fifo, saved };
}

const REFUSED =
  /^error: \S+: is a named pipe \(FIFO\), not a regular file; refusing to open it .*\n$/;

const COMMANDS: Array<[string, (root: string, saved: string) => string[]]> = [
  ["cost", (root) => ["cost", "--root", root]],
  ["query", (root) => ["query", "--root", root]],
  ["verify", (root) => ["verify", "--root", root]],
  ["verify --repair", (root) => ["verify", "--repair", "--root", root]],
  ["emit", (root) => ["emit", "--feature", "043-f", "--agent", "a", "--role", "r", "--root", root]],
  ["import", (root, saved) => ["import", saved, "--feature", "043-f", "--root", root]],
];

for (const [name, args] of COMMANDS) {
  Deno.test({
    name: `${name} on a FIFO log exits 1 with one error line, neither hanging nor losing events`,
    ignore: !unix,
    async fn() {
      const { root, fifo, saved } = await fifoProject();
      const result = await run(args(root, saved));
      assert.equal(result.signal, null, "killed after 10 s: the command hung");
      assert.equal(result.code, 1);
      assert.equal(result.stdout, "");
      assert.match(result.stderr, REFUSED);
      assert.ok(result.stderr.includes(fifo));
      assert.ok((await Deno.lstat(fifo)).isFifo, "the FIFO was replaced");
    },
  });
}

Deno.test({
  name: "emit with a FIFO clock file exits 1 with one error line instead of hanging",
  ignore: !unix,
  async fn() {
    const { root, fifo } = await fifoProject("clock");
    const result = await run([
      "emit",
      "--feature",
      "043-f",
      "--agent",
      "a",
      "--role",
      "r",
      "--root",
      root,
    ]);
    assert.equal(result.signal, null, "killed after 10 s: the command hung");
    assert.equal(result.code, 1);
    assert.match(result.stderr, REFUSED);
    assert.ok(result.stderr.includes(fifo));
  },
});

Deno.test({
  name: "import of a FIFO path says it is a FIFO instead of looking for kitty-specs/ in it",
  ignore: !unix,
  async fn() {
    const root = await tempProject();
    const fifo = join(root, "events.pipe");
    await mkfifo(fifo);
    const result = await run(["import", fifo, "--feature", "043-f", "--root", root]);
    assert.equal(result.signal, null, "killed after 10 s: the command hung");
    assert.equal(result.code, 1);
    assert.match(result.stderr, REFUSED);
  },
});

Deno.test({
  name: "verify --repair leaves a symlinked log alone and verify reports it",
  ignore: !unix,
  async fn() {
    const root = await tempProject();
    const outside = join(await tempProject(), "elsewhere.jsonl");
    await Deno.writeTextFile(outside, '{"torn');
    const log = join(root, "kitty-specs", "043-s", "execution.events.jsonl");
    await Deno.mkdir(join(root, "kitty-specs", "043-s"), { recursive: true });
    await Deno.symlink(outside, log);
    const result = await cli(["verify", "--repair", "--root", root]);
    assert.equal(result.code, 1);
    assert.match(
      result.stdout,
      /execution\.events\.jsonl: symlink: log is a symbolic link \(not read\)/,
    );
    assert.ok((await Deno.lstat(log)).isSymlink);
    assert.equal(await Deno.readTextFile(outside), '{"torn');
  },
});

Deno.test({
  name: "verify reports a symlinked clock file instead of reading through it",
  ignore: !unix,
  async fn() {
    const root = await tempProject();
    assert.equal(
      (await cli(["emit", "--feature", "043-s", "--agent", "a", "--role", "r", "--root", root]))
        .code,
      0,
    );
    const clock = join(root, "kitty-specs", "043-s", ".telemetry-clock.json");
    const outside = join(await tempProject(), "clock.json");
    await Deno.rename(clock, outside);
    await Deno.symlink(outside, clock);
    const result = await cli(["verify", "--root", root]);
    assert.equal(result.code, 1);
    assert.match(
      result.stdout,
      /\.telemetry-clock\.json: symlink: clock file is a symbolic link \(not read\)/,
    );
  },
});
