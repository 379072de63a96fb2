/**
 * A command stopped by a signal in the middle of its write (the real
 * process: main.ts runs the undos of src/interrupt.ts, then exits 128 + the
 * signal). `export --out` killed had left its temporary file, the size of
 * the export (1.1 GB on the 1M-event bench project), beside the user's file
 * for good: nothing else ever removes it.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, REPO_ROOT } from "./helpers.ts";
import { projectWith } from "./otlp/otlp_helpers.ts";
import { namesIn } from "./breaker4_disk.ts";

const MAIN = join(REPO_ROOT, "main.ts");

/** A project big enough that its export takes a while; made once. */
const big = await projectWith(30_000);

/**
 * Starts `args`, waits until `dir` holds a temp file (the write is under
 * way), sends `signal`, and resolves to the exit code.
 */
async function stopMidWrite(args: string[], dir: string, signal: Deno.Signal): Promise<number> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, ...args],
    stdout: "null",
    stderr: "null",
  }).spawn();
  let seen = false;
  const ended = child.status.then(() => true);
  while (!seen) {
    if (await Promise.race([ended, new Promise((r) => setTimeout(() => r(false), 2))])) break;
    seen = (await namesIn(dir)).some((name) => name.endsWith(".tmp"));
  }
  if (seen) child.kill(signal);
  const status = await child.status;
  assert.ok(seen, `the command ended (${status.code}) before its temp file was seen`);
  return status.code;
}

for (const [signal, code] of [["SIGTERM", 143], ["SIGINT", 130]] as const) {
  Deno.test({
    name: `export --out stopped by ${signal} mid-write: the old file whole, no temp file`,
    ignore: Deno.build.os === "windows",
    fn: async () => {
      const dir = await Deno.makeTempDir();
      const out = join(dir, "spans.jsonl");
      await Deno.writeTextFile(out, "old\n");
      const exit = await stopMidWrite(["export", "--root", big.root, "--out", out], dir, signal);
      assert.equal(exit, code);
      assert.equal(await Deno.readTextFile(out), "old\n");
      assert.deepEqual(await namesIn(dir), ["spans.jsonl"]);
      await Deno.remove(dir, { recursive: true });
    },
  });
}

Deno.test("a signal in the middle of an append cuts the log back to where it was", async () => {
  const { appendWhole, writeAll } = await import("../src/store/append_whole.ts");
  const { undoInterrupted } = await import("../src/interrupt.ts");
  const path = join(await Deno.makeTempDir(), "execution.events.jsonl");
  await Deno.writeTextFile(path, '{"a":1}\n');
  using file = await Deno.open(path, { append: true });
  let undone = 0;
  await appendWhole(file, path, async () => {
    await writeAll(file, new TextEncoder().encode('{"b":2}\n{"c":'));
    undone = undoInterrupted(); // what main.ts runs when SIGTERM comes now
  });
  assert.equal(undone, 1);
  assert.equal(await Deno.readTextFile(path), '{"a":1}\n');
  // Once the append is over there is nothing left to undo.
  assert.equal(undoInterrupted(), 0);
});

Deno.test({
  name: "import - stopped by SIGTERM while the pipe still feeds it: its copy of stdin is removed",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const { root } = await projectWith(3);
    const tmp = await Deno.makeTempDir(); // the child's temp folder, to watch
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", MAIN, "import", "--root", root, "-"],
      env: { TMPDIR: tmp },
      stdin: "piped",
      stdout: "null",
      stderr: "null",
    }).spawn();
    const writer = child.stdin.getWriter();
    const log = join(root, "kitty-specs", "043-otel", "execution.events.jsonl");
    await writer.write(await Deno.readFile(log)); // and the pipe stays open
    let copies: string[] = [];
    for (let i = 0; i < 2500 && copies.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 4));
      copies = await namesIn(tmp);
    }
    child.kill("SIGTERM");
    const status = await child.status;
    await writer.close().catch(() => {});
    assert.equal(copies.length, 1, "the copy of stdin was never seen");
    assert.equal(status.code, 143);
    // Was: /tmp/kitty-import-*.jsonl left for good.
    assert.deepEqual(await namesIn(tmp), []);
    await Deno.remove(tmp);
  },
});

Deno.test({
  name: "verify --repair stopped by SIGTERM mid-rewrite: the log as it was, no temp or quarantine",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const { root } = await projectWith(3);
    const dir = join(root, "kitty-specs", "043-otel");
    const log = join(dir, "execution.events.jsonl");
    // The big project's lines after a conflict marker: the repair writes both new files early.
    const lines = await Deno.readFile(
      join(big.root, "kitty-specs", "043-otel", "execution.events.jsonl"),
    );
    await Deno.writeTextFile(log, "=======\n");
    await Deno.writeFile(log, lines, { append: true });
    const before = await Deno.readFile(log);
    const exit = await stopMidWrite(["verify", "--root", root, "--repair"], dir, "SIGTERM");
    assert.equal(exit, 143);
    const [name, ...others] = await namesIn(dir);
    assert.equal(name, "execution.events.jsonl");
    if (others.length === 0) {
      assert.deepEqual(await Deno.readFile(log), before); // stopped before the rename
    } else {
      // The signal came after the rename (a busy machine): the repair is whole.
      assert.equal(others.length, 1);
      assert.equal(await Deno.readTextFile(join(dir, others[0])), "=======\n");
      assert.deepEqual(await Deno.readFile(log), lines);
    }
  },
});

Deno.test({
  name: "the temp file an export killed by SIGKILL left goes at the next export to that file",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const dir = await Deno.makeTempDir();
    const out = join(dir, "spans.jsonl");
    const exit = await stopMidWrite(["export", "--root", big.root, "--out", out], dir, "SIGKILL");
    assert.equal(exit, 137);
    const [left, ...more] = await namesIn(dir);
    assert.match(left, /^\.spans\.jsonl\.[0-9a-f-]{36}\.tmp$/); // nothing can run on SIGKILL
    assert.deepEqual(more, []);
    await Deno.utime(join(dir, left), new Date(0), new Date(0));
    // Another file's temp, and a fresh one of this file's (a run still writing), stay.
    const other = `.other.jsonl.${crypto.randomUUID()}.tmp`;
    const fresh = `.spans.jsonl.${crypto.randomUUID()}.tmp`;
    await Deno.writeTextFile(join(dir, other), "");
    await Deno.utime(join(dir, other), new Date(0), new Date(0));
    await Deno.writeTextFile(join(dir, fresh), "");
    const { root } = await projectWith(2);
    const run = await cli(["export", "--root", root, "--out", out]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(await namesIn(dir), [other, fresh, "spans.jsonl"].sort());
    await Deno.remove(dir, { recursive: true });
  },
});
