/**
 * Many processes, one log: every event lands once, whole, with clocks that
 * rise per node; a process killed mid-stream leaves a readable log; a lock
 * held too long gives a clear error. Sizes scale with KITTY_STRESS (the
 * `stress` task raises it); the defaults keep the suite fast.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, tempProject } from "./helpers.ts";
import { decodeLine } from "../src/event/line_codec.ts";
import { appendToFeature } from "../src/store/feature_log.ts";
import { LockTimeoutError } from "../src/store/feature_lock.ts";
import { ProjectLayout } from "../src/store/project_layout.ts";

const SCALE = Number(Deno.env.get("KITTY_STRESS") ?? "1");
const EMITTER = join(import.meta.dirname!, "stress", "emitter.ts");
const DENO = Deno.execPath();

function spawnEmitter(root: string, node: string, count: number) {
  return new Deno.Command(DENO, {
    args: ["run", "-A", EMITTER, root, "043-stress", node, String(count)],
    stdout: "null",
    stderr: "piped",
  }).spawn();
}

function readEvents(text: string) {
  return text.split("\n").filter((l) => l !== "").map((l) => {
    const d = decodeLine(l);
    assert.ok(d.ok, `not a whole event: ${l}`);
    return d.event;
  });
}

Deno.test("8 concurrent emitters: every event once, whole, clocks rising per node", async () => {
  const root = await tempProject();
  const perProcess = 200 * SCALE;
  // Half share one node id, half have their own.
  const nodes = ["shared", "shared", "shared", "shared", "n4", "n5", "n6", "n7"];
  const children = nodes.map((node) => spawnEmitter(root, node, perProcess));
  for (const child of children) {
    const out = await child.output();
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  }
  const text = await Deno.readTextFile(
    join(root, "kitty-specs", "043-stress", "execution.events.jsonl"),
  );
  assert.ok(text.endsWith("\n"));
  const events = readEvents(text);
  assert.equal(events.length, nodes.length * perProcess);
  assert.equal(new Set(events.map((e) => e.event_id)).size, events.length);
  assert.equal(new Set(events.map((e) => e.lamport_clock)).size, events.length);
  const lastByNode = new Map<string, number>();
  for (const e of events) {
    assert.ok((lastByNode.get(e.node_id) ?? 0) < e.lamport_clock, `${e.node_id} went back`);
    lastByNode.set(e.node_id, e.lamport_clock);
  }
  const verify = await cli(["verify", "--root", root]);
  assert.equal(verify.code, 0, verify.stdout);
});

Deno.test("an emitter killed with SIGKILL leaves a log that reads and takes the next emit", async () => {
  const root = await tempProject();
  const log = join(root, "kitty-specs", "043-stress", "execution.events.jsonl");
  const rounds = 10 * SCALE;
  for (let round = 0; round < rounds; round++) {
    const child = spawnEmitter(root, `k${round % 3}`, 100_000);
    // Kill at a varying moment once it has started writing.
    const started = Date.now();
    while (Date.now() - started < 5000) {
      const size = await Deno.stat(log).then((s) => s.size, () => 0);
      if (size > round * 50) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    await new Promise((r) => setTimeout(r, 20 + (round * 37) % 120));
    child.kill("SIGKILL");
    await child.status;
    const verify = await cli(["verify", "--json", "--root", root]);
    const report = JSON.parse(verify.stdout) as {
      ok: boolean;
      features: { feature: string; events: number; findings: { kind: string }[] }[];
    };
    // Each event is one write of a whole line: a kill leaves nothing to
    // report (not even a torn tail). The log holds the first emitter's
    // events (waited for above) and one more for each round before.
    assert.deepEqual(report.features.flatMap((f) => f.findings.map((x) => x.kind)), []);
    assert.equal(verify.code, 0, verify.stdout);
    assert.equal(report.features.length, 1);
    assert.ok(report.features[0].events > round, `${report.features[0].events} events`);
    const next = await cli([
      "emit",
      "--feature",
      "043-stress",
      "--agent",
      "a",
      "--role",
      "r",
      "--node-id",
      "after",
      "--root",
      root,
    ], { now: new Date(Date.UTC(2026, 0, 1) + round * 1000) });
    assert.equal(next.code, 0, next.stderr);
    const lines = (await Deno.readTextFile(log)).trimEnd().split("\n");
    const last = decodeLine(lines[lines.length - 1]);
    assert.ok(last.ok);
    const clocks = lines.flatMap((l) => {
      const d = decodeLine(l);
      return d.ok ? [d.event.lamport_clock] : [];
    });
    assert.equal(last.event.lamport_clock, Math.max(...clocks));
    assert.equal(new Set(clocks).size, clocks.length, "a clock value was reused");
  }
});

Deno.test({
  name: "a lock held past the timeout fails with a clear error and writes nothing",
  // The timed-out lock request stays pending until the holder dies.
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const root = await tempProject();
    const layout = new ProjectLayout(root);
    await Deno.mkdir(layout.featureDir("043-lock"), { recursive: true });
    const holder = new Deno.Command(DENO, {
      args: [
        "run",
        "-A",
        join(import.meta.dirname!, "stress", "hold_lock.ts"),
        layout.logPath("043-lock"),
      ],
      stdout: "piped",
    }).spawn();
    const reader = holder.stdout.getReader();
    await reader.read(); // "locked"
    try {
      await assert.rejects(
        appendToFeature(
          layout,
          "043-lock",
          [],
          ({ clock }) => ({ events: [], clock }),
          () => {},
          300,
        ),
        (error: Error) => error instanceof LockTimeoutError && /held the lock/.test(error.message),
      );
      assert.equal(await Deno.readTextFile(layout.logPath("043-lock")), "");
    } finally {
      holder.kill("SIGKILL");
      await holder.status;
      reader.releaseLock();
      await holder.stdout.cancel();
    }
  },
});
