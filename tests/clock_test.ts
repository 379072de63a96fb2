import assert from "node:assert/strict";
import { join } from "node:path";
import { advance, LamportClock, mergeClockStates } from "../src/clock/lamport.ts";
import { formatClockText, parseClockText } from "../src/clock/clock_file.ts";
import { cli, REFERENCE_ROOT, tempProject } from "./helpers.ts";

Deno.test("tick() advances by one and current() does not advance", () => {
  const clock = new LamportClock();
  assert.equal(clock.current(), 0);
  assert.equal(clock.tick(), 1);
  assert.equal(clock.tick(), 2);
  assert.equal(clock.current(), 2);
});

Deno.test("update(remote) is max(local, remote) + 1", () => {
  const clock = new LamportClock(5);
  assert.equal(clock.update(3), 6);
  assert.equal(clock.update(10), 11);
  assert.equal(clock.current(), 11);
});

Deno.test("the clock refuses values that are negative, fractional or beyond 2^53", () => {
  assert.throws(() => new LamportClock(-1), RangeError);
  assert.throws(() => new LamportClock(1.5), RangeError);
  assert.throws(() => new LamportClock(0).update(Number.MAX_SAFE_INTEGER), RangeError);
});

Deno.test("advance() puts the node above every value in the file", () => {
  const { value, state } = advance({ a: 7, b: 2 }, "b");
  assert.equal(value, 8);
  assert.deepEqual({ ...state }, { a: 7, b: 8 });
  assert.deepEqual({ ...advance({}, "new").state }, { new: 1 });
});

Deno.test("mergeClockStates takes the per-node maximum", () => {
  assert.deepEqual({ ...mergeClockStates({ a: 1, b: 9 }, { a: 4, c: 2 }) }, { a: 4, b: 9, c: 2 });
});

Deno.test("clock files in the Python writer's layout read and write byte-identically", async () => {
  for (const feature of ["043-telemetry-foundation", "048-full-lifecycle-telemetry-events"]) {
    const text = await Deno.readTextFile(
      join(REFERENCE_ROOT, "kitty-specs", feature, ".telemetry-clock.json"),
    );
    const read = parseClockText(text);
    assert.equal(read.corrupt, undefined);
    assert.equal(formatClockText(read.state), text);
  }
});

Deno.test("a corrupt clock file keeps every value that can still be read", () => {
  const torn = parseClockText('{"cli:N/A": 6, "cli:WP01": 1, "cli:WP');
  assert.ok(torn.corrupt);
  assert.deepEqual({ ...torn.state }, { "cli:N/A": 6, "cli:WP01": 1 });
  const wrongType = parseClockText('{"a": 3, "b": "x"}');
  assert.ok(wrongType.corrupt);
  assert.deepEqual({ ...wrongType.state }, { a: 3 });
  assert.deepEqual({ ...parseClockText("[1,2]").state }, {});
  assert.deepEqual({ ...parseClockText("").state }, {});
});

async function emitTo(root: string, node: string) {
  return await cli([
    "emit",
    "--feature",
    "043-x",
    "--agent",
    "a",
    "--role",
    "r",
    "--node-id",
    node,
    "--root",
    root,
  ]);
}

Deno.test("emit after a corrupt clock file keeps other nodes' values and recovers from the log", async () => {
  const root = await tempProject();
  for (const node of ["a", "a", "b", "a"]) assert.equal((await emitTo(root, node)).code, 0);
  const clockPath = join(root, "kitty-specs", "043-x", ".telemetry-clock.json");
  assert.equal(await Deno.readTextFile(clockPath), '{"a": 4, "b": 3}');
  // Torn: only "a" survives in the text; "b" must come back from the log.
  await Deno.writeTextFile(clockPath, '{"a": 4, "b');
  const run = await emitTo(root, "c");
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /warning: .*\.telemetry-clock\.json: clock file is corrupt/);
  assert.equal(await Deno.readTextFile(clockPath), '{"a": 4, "b": 3, "c": 5}');
  const lines =
    (await Deno.readTextFile(join(root, "kitty-specs", "043-x", "execution.events.jsonl")))
      .trim().split("\n");
  assert.equal(lines.length, 5);
  assert.equal(JSON.parse(lines[4]).lamport_clock, 5);
});

Deno.test("emit recovers a clock file that is garbage from the log alone", async () => {
  const root = await tempProject();
  for (const node of ["a", "b"]) await emitTo(root, node);
  const clockPath = join(root, "kitty-specs", "043-x", ".telemetry-clock.json");
  await Deno.writeTextFile(clockPath, "\u0000\u0000garbage");
  assert.equal((await emitTo(root, "a")).code, 0);
  assert.equal(await Deno.readTextFile(clockPath), '{"a": 3, "b": 2}');
});

Deno.test("for each node, clock values rise strictly in append order", async () => {
  const root = await tempProject();
  for (const node of ["a", "b", "a", "c", "b", "a"]) await emitTo(root, node);
  const events =
    (await Deno.readTextFile(join(root, "kitty-specs", "043-x", "execution.events.jsonl")))
      .trim().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(events.map((e) => e.lamport_clock), [1, 2, 3, 4, 5, 6]);
});

Deno.test("the clock file is replaced whole, leaving no temp files behind", async () => {
  const root = await tempProject();
  await emitTo(root, "a");
  await emitTo(root, "a");
  const names = (await Array.fromAsync(Deno.readDir(join(root, "kitty-specs", "043-x"))))
    .map((e) => e.name).sort();
  assert.deepEqual(names, [".telemetry-clock.json", "execution.events.jsonl"]);
});
