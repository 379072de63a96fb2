/**
 * `import`: logs from a file, another checkout or stdin merged into the
 * project with the merge git's driver uses; idempotent, all or nothing per
 * feature, and the clock raised past every imported event.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, payload, readOrNull, REFERENCE_ROOT, tempProject } from "./helpers.ts";
import { encodeEvent } from "../src/event/line_codec.ts";
import { mergeLogs } from "../src/merge/merge_logs.ts";

const F = "043-x";
const logOf = (root: string, f = F) => join(root, "kitty-specs", f, "execution.events.jsonl");
const clockOf = (root: string, f = F) => join(root, "kitty-specs", f, ".telemetry-clock.json");

function line(n: number, clock: number, node: string, tokens = 1, feature = F): string {
  return encodeEvent({
    event_id: `01KHJVJWDM0HGAGYGXJYKD1J${String(n).padStart(2, "0")}`,
    event_type: "ExecutionEvent",
    aggregate_id: feature,
    lamport_clock: clock,
    node_id: node,
    causation_id: null,
    timestamp: "2026-03-01T10:00:00.000Z",
    payload: payload({ input_tokens: tokens }),
  });
}

async function emit(root: string, node: string): Promise<number> {
  const out = await cli([
    "emit",
    "--feature",
    F,
    "--agent",
    "claude",
    "--role",
    "implementer",
    "--node-id",
    node,
    "--root",
    root,
    "--json",
  ]);
  assert.equal(out.code, 0, out.stderr);
  return JSON.parse(out.stdout).lamport_clock;
}

Deno.test("import a file: events added in merge order, clock raised, next emit after them", async () => {
  const root = await tempProject();
  await emit(root, "here");
  const file = join(root, "other.jsonl");
  await Deno.writeTextFile(file, `${line(2, 9, "far")}\n${line(1, 4, "far")}\n`);
  const out = await cli(["import", file, "--root", root]);
  assert.equal(out.code, 0, out.stderr);
  assert.equal(out.stdout, `${F}: 2 added, 0 already present, 0 conflicting\n`);
  const log = (await Deno.readTextFile(logOf(root))).split("\n");
  assert.deepEqual([log[1], log[2]], [line(1, 4, "far"), line(2, 9, "far")]);
  assert.deepEqual(JSON.parse((await readOrNull(clockOf(root)))!), { far: 9, here: 1 });
  assert.equal(await emit(root, "here"), 10);
});

Deno.test("an append to a log with no clock file raises the clock over the log's own last line too", async () => {
  for (const stdin of [false, true]) {
    const root = await tempProject();
    await Deno.mkdir(join(root, "kitty-specs", F), { recursive: true });
    // Written by hand (or by an old tool): no clock file beside it.
    await Deno.writeTextFile(logOf(root), `${line(1, 7, "here")}\n`);
    const file = join(root, "other.jsonl");
    await Deno.writeTextFile(file, `${line(2, 9, "far")}\n`);
    const out = stdin
      ? await cli(["import", "-", "--root", root], { stdin: await Deno.readTextFile(file) })
      : await cli(["import", file, "--root", root]);
    assert.equal(out.code, 0, out.stderr);
    assert.equal(
      await Deno.readTextFile(logOf(root)),
      `${line(1, 7, "here")}\n${line(2, 9, "far")}\n`,
    );
    assert.deepEqual(
      JSON.parse((await readOrNull(clockOf(root)))!),
      { far: 9, here: 7 },
      `stdin ${stdin}`,
    );
  }
});

Deno.test("import is idempotent: a second run adds nothing and rewrites nothing", async () => {
  const root = await tempProject();
  const file = join(root, "other.jsonl");
  await Deno.writeTextFile(file, `${line(1, 1, "far")}\n`);
  assert.equal((await cli(["import", file, "--root", root])).code, 0);
  const before = await Deno.stat(logOf(root));
  const again = await cli(["import", file, "--root", root, "--json"]);
  assert.equal(again.code, 0);
  assert.deepEqual(JSON.parse(again.stdout), {
    features: [{ feature: F, added: 0, already_present: 1, conflicting: 0, changed: false }],
    added: 0,
    already_present: 1,
    conflicting: 0,
  });
  assert.equal((await Deno.stat(logOf(root))).ino, before.ino);
});

Deno.test("import a folder holding kitty-specs/: every feature, its clock file included", async () => {
  const root = await tempProject();
  const out = await cli(["import", join(REFERENCE_ROOT), "--root", root, "--json"]);
  assert.equal(out.code, 0, out.stderr);
  const summary = JSON.parse(out.stdout);
  assert.deepEqual(summary.features.map((f: { feature: string }) => f.feature), [
    "043-telemetry-foundation",
    "048-full-lifecycle-telemetry-events",
  ]);
  assert.equal(summary.added, 10);
  // The Python writer's lines are kept byte for byte (no re-serialising).
  for (const feature of ["043-telemetry-foundation", "048-full-lifecycle-telemetry-events"]) {
    const theirs = await Deno.readTextFile(logOf(REFERENCE_ROOT, feature));
    const ours = await Deno.readTextFile(logOf(root, feature));
    const expected = mergeLogs({ sides: [{ label: "x", text: theirs }] }).text;
    assert.equal(ours, expected);
  }
  const again = await cli(["import", REFERENCE_ROOT, "--root", root]);
  assert.match(again.stdout, /043-telemetry-foundation: 0 added, 2 already present, 0 conflicting/);
});

Deno.test("import from stdin, features taken from aggregate_id; --feature checks them", async () => {
  const root = await tempProject();
  const stdin = `${line(1, 1, "n")}\n${line(2, 1, "n", 1, "050-y")}\n`;
  const out = await cli(["import", "-", "--root", root], { stdin });
  assert.equal(out.code, 0, out.stderr);
  assert.equal(
    out.stdout,
    `${F}: 1 added, 0 already present, 0 conflicting\n050-y: 1 added, 0 already present, 0 conflicting\n`,
  );
  assert.equal(await Deno.readTextFile(logOf(root, "050-y")), line(2, 1, "n", 1, "050-y") + "\n");
  // An event's feature is its aggregate_id: --feature may not file it elsewhere.
  const forced = await cli(["import", "-", "--feature", "051-z", "--root", root], { stdin });
  assert.equal(forced.code, 2);
  assert.match(forced.stderr, /stdin:1: event \S+ belongs to feature 043-x .*not 051-z; /);
  assert.equal(await readOrNull(logOf(root, "051-z")), null);
});

Deno.test("a conflict aborts that feature with nothing changed, exit 1, the others imported", async () => {
  const root = await tempProject();
  await Deno.mkdir(join(root, "kitty-specs", F), { recursive: true });
  await Deno.writeTextFile(logOf(root), `${line(1, 1, "n", 1)}\n`);
  await Deno.writeTextFile(clockOf(root), '{"n": 1}');
  const file = join(root, "in.jsonl");
  await Deno.writeTextFile(
    file,
    `${line(3, 7, "m")}\n${line(1, 1, "n", 999)}\n${line(2, 1, "n", 1, "050-y")}\n`,
  );
  const out = await cli(["import", file, "--root", root, "--json"]);
  assert.equal(out.code, 1);
  assert.match(out.stderr, /conflict: 043-x: event 01KHJVJWDM0HGAGYGXJYKD1J01: .*in\.jsonl:2/);
  const summary = JSON.parse(out.stdout);
  assert.deepEqual(summary.features[0], {
    feature: F,
    added: 0,
    already_present: 0,
    conflicting: 1,
    changed: false,
  });
  assert.equal(summary.features[1].added, 1);
  assert.equal(await Deno.readTextFile(logOf(root)), `${line(1, 1, "n", 1)}\n`);
  assert.equal(await Deno.readTextFile(clockOf(root)), '{"n": 1}');
});

Deno.test("conflict markers in an imported file are named and left there; its events are imported", async () => {
  const root = await tempProject();
  const file = join(root, "in.jsonl");
  await Deno.writeTextFile(file, `<<<<<<< HEAD\n${line(1, 1, "n")}\n>>>>>>> x\n`);
  const out = await cli(["import", file, "--root", root]);
  assert.equal(out.code, 0, out.stderr);
  assert.match(out.stderr, /in\.jsonl:1: not an event, not imported: git conflict marker/);
  assert.equal(await readOrNull(logOf(root)), `${line(1, 1, "n")}\n`);
});

Deno.test("import usage errors exit 2", async () => {
  const root = await tempProject();
  assert.equal((await cli(["import", "--root", root])).code, 2);
  assert.equal((await cli(["import", join(root, "missing.jsonl"), "--root", root])).code, 2);
  assert.equal((await cli(["import", root, "--root", root])).code, 2);
  assert.equal((await cli(["import", "-", "--feature", "../x", "--root", root])).code, 2);
});

Deno.test("a file that is not UTF-8 is refused (exit 1) rather than rewritten with U+FFFD", async () => {
  const root = await tempProject();
  const file = join(root, "in.jsonl");
  const bytes = new TextEncoder().encode(line(1, 1, "n").replace("claude", "cl\u00e9"));
  const at = bytes.indexOf(0xc3);
  await Deno.writeFile(
    file,
    new Uint8Array([...bytes.subarray(0, at), 0xff, ...bytes.subarray(at + 2)]),
  );
  const out = await cli(["import", file, "--feature", F, "--root", root]);
  assert.equal(out.code, 1);
  assert.match(out.stderr, /not valid UTF-8/);
  assert.equal(await readOrNull(logOf(root)), null);
});

Deno.test("a device named as the source is refused with the way to read it (- on stdin), nothing written", async () => {
  const root = await tempProject();
  const out = await cli(["import", "/dev/null", "--root", root]);
  assert.equal(out.code, 1);
  assert.match(
    out.stderr,
    /\/dev\/null: is a character device, not a regular file; .*- to read a pipe/,
  );
  assert.doesNotMatch(out.stderr, /creates the file/);
  assert.equal(await readOrNull(logOf(root)), null);
  assert.deepEqual([...Deno.readDirSync(root)], []);
});
