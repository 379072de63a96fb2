/**
 * Lines that are not events never block and are never lost: the merge
 * driver keeps them in %A (issue 14, point 2); a torn tail that an emit
 * left mid-file blocks neither `import` nor merges, and `verify --repair
 * --quarantine` moves such lines out wherever they are (point 3).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, tempProject } from "./helpers.ts";
import { encodeEvent } from "../src/event/line_codec.ts";
import { sampleEvent } from "./store_contract.ts";

const enc = new TextEncoder();
const F = "043-n";
const e1 = sampleEvent({ aggregate_id: F, node_id: "a", lamport_clock: 1 });
const e2 = sampleEvent({ aggregate_id: F, node_id: "b", lamport_clock: 2 });
const e3 = sampleEvent({ aggregate_id: F, node_id: "c", lamport_clock: 3 });
const line = (e: typeof e1) => encodeEvent(e) + "\n";

function bytes(...parts: (string | number[])[]): Uint8Array {
  return new Uint8Array(parts.flatMap((p) => typeof p === "string" ? [...enc.encode(p)] : p));
}

Deno.test("merge-driver events keeps every line of both sides; the lines that are not events are named", async () => {
  const dir = await tempProject();
  const [o, a, b] = ["o", "a", "b"].map((n) => join(dir, n));
  // Envelopes that make no event (a payload value alone would not: it reads as unknown).
  const negative = encodeEvent(e1).replace(/"lamport_clock":\d+/, '"lamport_clock":-1');
  const stringCost = encodeEvent(e2).replace(/"timestamp":"[^"]+"/, '"timestamp":"yesterday"');
  await Deno.writeFile(o, bytes(""));
  await Deno.writeFile(a, bytes(line(e1), negative, "\n", [0x7b, 0xff, 0x0a]));
  await Deno.writeFile(b, bytes(stringCost, "\n", line(e2), [0x7b, 0xff, 0x0a]));
  const out = await cli(["merge-driver", "events", o, a, b, "log.jsonl"]);
  assert.equal(out.code, 0, out.stderr);
  assert.deepEqual(
    await Deno.readFile(a),
    bytes(line(e1), line(e2), negative, "\n", [0x7b, 0xff, 0x0a], stringCost, "\n"),
  );
  assert.match(out.stderr, /ours:log\.jsonl:2: not an event, kept/);
  assert.match(out.stderr, /ours:log\.jsonl:3: not an event, kept .*UTF-8/);
  assert.match(out.stderr, /theirs:log\.jsonl:1: not an event, kept/);
});

/** A project whose log has a torn line that a later emit left mid-file. */
async function tornMidFile() {
  const root = await tempProject();
  const dir = join(root, "kitty-specs", F);
  await Deno.mkdir(dir, { recursive: true });
  const log = join(dir, "execution.events.jsonl");
  await Deno.writeFile(log, bytes(line(e1), '{"event_id":"01KH', [0, 0, 0]));
  const emit = await cli(["emit", "--feature", F, "--agent", "x", "--role", "r", "--root", root]);
  assert.equal(emit.code, 0, emit.stderr);
  return { root, dir, log };
}

Deno.test("a torn line left mid-file by an emit blocks neither import nor a merge", async () => {
  const { root, log } = await tornMidFile();
  const before = await Deno.readFile(log);
  const source = join(root, "in.jsonl");
  await Deno.writeTextFile(source, line(e3));
  const imported = await cli(["import", source, "--feature", F, "--root", root]);
  assert.equal(imported.code, 0, imported.stderr);
  const after = await Deno.readFile(log);
  assert.ok(new TextDecoder().decode(after).includes(encodeEvent(e3)));
  assert.ok(after.includes(0), "the torn bytes are still in the log");
  assert.equal(after.length, before.length + line(e3).length);
  // The same log as both sides of a merge, theirs with one more event.
  const dir = await tempProject();
  const [o, a, b] = ["o", "a", "b"].map((n) => join(dir, n));
  await Deno.writeFile(o, before);
  await Deno.writeFile(a, before);
  await Deno.writeFile(b, bytes(new TextDecoder().decode(before), line(e2)));
  const merged = await cli(["merge-driver", "events", o, a, b]);
  assert.equal(merged.code, 0, merged.stderr);
  assert.equal((await Deno.readFile(a)).length, before.length + line(e2).length);
});

Deno.test("verify --repair --quarantine moves lines that are not events, by number or all", async () => {
  const { root, dir, log } = await tornMidFile();
  const original = await Deno.readTextFile(log);
  const lines = original.split(/(?<=\n)/);
  assert.equal(lines.length, 3);
  const kept = await cli(["verify", "--repair", "--root", root]);
  assert.equal(kept.code, 1, "without --quarantine a line that is not an event stays");
  assert.equal(await Deno.readTextFile(log), original);
  const byNumber = await cli(["verify", "--repair", "--quarantine", "2", "--root", root]);
  assert.equal(byNumber.code, 0, byNumber.stdout);
  assert.equal(await Deno.readTextFile(log), lines[0] + lines[2]);
  await Deno.writeTextFile(log, "{junk\n" + "\u0000\u0000\n", { append: true });
  const all = await cli(["verify", "--repair", "--quarantine", "all", "--root", root]);
  assert.equal(all.code, 0, all.stdout);
  assert.equal(await Deno.readTextFile(log), lines[0] + lines[2]);
  const moved: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.name.endsWith(".quarantine")) {
      moved.push(await Deno.readTextFile(join(dir, entry.name)));
    }
  }
  assert.deepEqual(moved.sort(), ["{junk\n\u0000\u0000\n", lines[1]].sort());
  assert.equal((await cli(["verify", "--root", root])).code, 0);
});

Deno.test("merge-driver: a missing %A or %B is a wrong call (exit 2, nothing written); a missing %O is empty", async () => {
  const dir = await tempProject();
  const [o, a, b] = ["o", "a", "b"].map((n) => join(dir, n));
  await Deno.writeFile(a, bytes(line(e1)));
  for (const kind of ["events", "clock"]) {
    const missingTheirs = await cli(["merge-driver", kind, o, a, join(dir, "gone"), "log"]);
    assert.equal(missingTheirs.code, 2, missingTheirs.stderr);
    assert.match(missingTheirs.stderr, /%B \(theirs\) .*gone does not exist/);
  }
  assert.deepEqual(await Deno.readFile(a), bytes(line(e1)));
  await Deno.writeFile(b, bytes(line(e2)));
  const noBase = await cli(["merge-driver", "events", o, a, b, "log"]);
  assert.equal(noBase.code, 0, noBase.stderr);
});
