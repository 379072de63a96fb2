/**
 * A full disk (ENOSPC) under every command that writes: a real tmpfs filled
 * up (root only; skipped elsewhere). Nothing may be lost or half-written:
 * the log and `--out`'s old content stay byte for byte, no temp file or
 * empty quarantine is left, and the error names the fix (exit 1).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli } from "./helpers.ts";
import { projectWith } from "./otlp/otlp_helpers.ts";
import { CAN_MOUNT, fill, namesIn, smallDisk } from "./breaker4_disk.ts";

const FEATURE = "043-otel";
const FULL = /^error: .*no space left on device.*: free some space on that disk/im;

/** A project of `count` events on a fresh small disk; its log's path and bytes. */
async function projectOnDisk(dir: string, count: number) {
  const { root: from } = await projectWith(count);
  const root = join(dir, "p");
  const log = join(root, "kitty-specs", FEATURE, "execution.events.jsonl");
  await Deno.mkdir(join(root, "kitty-specs", FEATURE), { recursive: true });
  await Deno.copyFile(join(from, "kitty-specs", FEATURE, "execution.events.jsonl"), log);
  return { root, log, featureDir: join(root, "kitty-specs", FEATURE) };
}

Deno.test({
  name: "emit on a full disk: exit 1 naming the fix, the log byte for byte as it was",
  ignore: !CAN_MOUNT,
  fn: async () => {
    await using disk = await smallDisk();
    const { root, log, featureDir } = await projectOnDisk(disk.dir, 3);
    const before = await Deno.readFile(log);
    await fill(disk.dir);
    // Longer than the free end of the log's last page: the kernel takes part, then refuses.
    const emit = ["emit", "--root", root, "--feature", FEATURE, "--agent", "claude", "--role", "r"];
    const run = await cli([...emit, "--error", "x".repeat(9000)]);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, FULL);
    assert.match(run.stderr, /nothing was appended/);
    assert.equal(run.stdout, "");
    assert.deepEqual(await Deno.readFile(log), before);
    assert.deepEqual(await namesIn(featureDir), ["execution.events.jsonl"]);
    // Space again: the same emit is recorded, and the log checks clean.
    await Deno.remove(join(disk.dir, "filler"));
    const again = await cli([...emit, "--error", "x".repeat(9000)]);
    assert.equal(again.code, 0, again.stderr);
    const verify = await cli(["verify", "--root", root]);
    assert.equal(verify.code, 0, verify.stdout + verify.stderr);
  },
});

Deno.test({
  name: "import on a full disk: exit 1 naming the fix, the log as it was",
  ignore: !CAN_MOUNT,
  fn: async () => {
    await using disk = await smallDisk();
    const { root, log } = await projectOnDisk(disk.dir, 3);
    // 60 events after the log's 3 (the same first ids): an append, after the clock file is raised.
    const { root: source } = await projectWith(
      63,
      (i) => i < 3 ? {} : { error: `e${i}`.repeat(200) },
    );
    const sourceLog = join(source, "kitty-specs", FEATURE, "execution.events.jsonl");
    const newer = (await Deno.readTextFile(sourceLog)).split("\n").slice(3).join("\n");
    await Deno.writeTextFile(sourceLog, newer);
    const before = await Deno.readFile(log);
    await fill(disk.dir, 1); // one page for the clock file's temp file
    const run = await cli(["import", "--root", root, source]);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, FULL);
    assert.match(run.stderr, /nothing was appended/);
    assert.deepEqual(await Deno.readFile(log), before);
    const verify = await cli(["verify", "--root", root]);
    assert.equal(verify.code, 0, verify.stdout + verify.stderr);
  },
});

Deno.test({
  name: "verify --repair on a full disk: exit 1 naming the fix, no empty quarantine left",
  ignore: !CAN_MOUNT,
  fn: async () => {
    await using disk = await smallDisk();
    const { root, log, featureDir } = await projectOnDisk(disk.dir, 40);
    // A conflict marker in the middle: the repair rewrites the whole log.
    const text = await Deno.readTextFile(log);
    const lines = text.split("\n");
    lines.splice(20, 0, "=======");
    await Deno.writeTextFile(log, lines.join("\n"));
    const before = await Deno.readFile(log);
    await fill(disk.dir);
    const run = await cli(["verify", "--root", root, "--repair"]);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, FULL);
    assert.deepEqual(await Deno.readFile(log), before);
    assert.deepEqual(await namesIn(featureDir), ["execution.events.jsonl"]);
  },
});

Deno.test({
  name: "export --out on a full disk: exit 1 naming the fix, the old file whole, no temp file",
  ignore: !CAN_MOUNT,
  fn: async () => {
    await using disk = await smallDisk();
    const { root: source } = await projectWith(200);
    const outDir = join(disk.dir, "out");
    await Deno.mkdir(outDir);
    const out = join(outDir, "spans.jsonl");
    await Deno.writeTextFile(out, "old\n");
    await fill(disk.dir);
    const run = await cli(["export", "--root", source, "--out", out]);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, FULL);
    assert.equal(await Deno.readTextFile(out), "old\n");
    assert.deepEqual(await namesIn(outDir), ["spans.jsonl"]);
  },
});

Deno.test({
  name: "a read-only project (a read-only bind mount, as root): readers work, writers name the fix",
  ignore: !CAN_MOUNT,
  fn: async () => {
    const { root } = await projectWith(3);
    const mount = (...args: string[]) => new Deno.Command("mount", { args }).output();
    assert.ok((await mount("--bind", root, root)).success);
    try {
      assert.ok((await mount("-o", "remount,ro,bind", root)).success);
      // verify --repair of a clean project writes nothing, so it needs no writable disk.
      for (const command of [["cost"], ["verify"], ["query"], ["export"], ["verify", "--repair"]]) {
        const run = await cli([...command, "--root", root]);
        assert.equal(run.code, 0, `${command}: ${run.stderr}`);
      }
      const emit = await cli([
        "emit",
        "--root",
        root,
        "--feature",
        FEATURE,
        "--agent",
        "a",
        "--role",
        "r",
      ]);
      assert.equal(emit.code, 1);
      assert.match(
        emit.stderr,
        /^error: read-only file system.*: the file system is read-only: run it/,
      );
    } finally {
      await new Deno.Command("umount", { args: [root] }).output();
    }
  },
});

Deno.test({
  name:
    "pricing update on a full disk: exit 1 naming the fix, the old catalogue whole, no temp file",
  ignore: !CAN_MOUNT,
  fn: async () => {
    await using disk = await smallDisk(512);
    const root = join(disk.dir, "p");
    const kittify = join(root, ".kittify");
    await Deno.mkdir(kittify, { recursive: true });
    await Deno.writeTextFile(join(kittify, "prices-catalogue.json"), "old\n");
    await fill(disk.dir);
    const source = new URL("../src/cost/catalogue_data.json", import.meta.url).pathname;
    const run = await cli(["pricing", "update", "--root", root, source]);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, FULL);
    assert.equal(await Deno.readTextFile(join(kittify, "prices-catalogue.json")), "old\n");
    // Was: a partial .prices-catalogue.<uuid>.tmp left in .kittify/.
    assert.deepEqual(await namesIn(kittify), ["prices-catalogue.json"]);
  },
});
