/**
 * An event's identity is its normalised id: every spelling of one id (the
 * 26-character form in any case, a UUID bare or hyphenated, any case) is
 * one event for `emit` retries, `verify`, the merge driver and `import`,
 * while stored lines keep the bytes they were written with.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, payload, tempProject } from "./helpers.ts";
import { encodeEvent } from "../src/event/line_codec.ts";
import { pythonLine } from "../bench/generate.ts";

const F = "043-id";
const logOf = (root: string) => join(root, "kitty-specs", F, "execution.events.jsonl");

function event(id: string, clock = 1) {
  return {
    event_id: id,
    event_type: "ExecutionEvent",
    aggregate_id: F,
    lamport_clock: clock,
    node_id: "cli:WP01",
    causation_id: null,
    timestamp: "2026-02-16T09:12:58.036834+00:00",
    payload: payload(),
  };
}

async function projectWith(lines: string[]): Promise<string> {
  const root = await tempProject();
  await Deno.mkdir(join(root, "kitty-specs", F), { recursive: true });
  await Deno.writeTextFile(logOf(root), lines.map((l) => l + "\n").join(""));
  return root;
}

const EMIT = ["emit", "--feature", F, "--agent", "claude", "--role", "implementer"];

const SPELLINGS: Array<[string, string, string]> = [
  ["a lower-case ULID", "01khjvjwdm0hgagygxjykd1jqg", "01KHJVJWDM0HGAGYGXJYKD1JQG"],
  ["uuid4().hex[:26]", "9f1c2b7a0d4e4f1ab3c5d6e7f8", "9F1C2B7A0D4E4F1AB3C5D6E7F8"],
  [
    "a bare hex UUID",
    "0123456789abcdef0123456789abcdef",
    "01234567-89AB-CDEF-0123-456789ABCDEF",
  ],
];

for (const [what, stored, retried] of SPELLINGS) {
  Deno.test(`emit --event-id: ${what} in the log and another spelling in the retry write once`, async () => {
    const line = pythonLine(event(stored));
    const root = await projectWith([line]);
    const run = await cli([...EMIT, "--event-id", retried, "--root", root]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, `${stored}\n`); // the stored event, as stored
    assert.equal(await Deno.readTextFile(logOf(root)), line + "\n");
  });
}

Deno.test("emit --stdin: one id in two spellings in a batch is written once", async () => {
  const root = await projectWith([]);
  const stdin = '{"event_id":"0123456789ABCDEF0123456789abcdef"}\n' +
    '{"event_id":"01234567-89ab-cdef-0123-456789abcdef"}\n';
  const run = await cli([...EMIT, "--stdin", "--root", root], { stdin });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, "01234567-89ab-cdef-0123-456789abcdef\n".repeat(2));
  assert.equal((await Deno.readTextFile(logOf(root))).split("\n").length, 2);
});

Deno.test("verify reports one id in two spellings as a duplicate", async () => {
  const root = await projectWith([
    pythonLine(event("0123456789abcdef0123456789abcdef", 1)),
    encodeEvent(event("01234567-89ab-cdef-0123-456789abcdef", 2)),
  ]);
  const run = await cli(["verify", "--root", root]);
  assert.equal(run.code, 1);
  assert.match(
    run.stdout,
    /:2: duplicate-id: event 01234567-89ab-cdef-0123-456789abcdef already at line 1/,
  );
});

Deno.test("merge-driver: one event in two id spellings is one event; bytes kept", async () => {
  const dir = await tempProject();
  const [o, a, b] = ["o", "a", "b"].map((n) => join(dir, n));
  const ours = pythonLine(event("9f1c2b7a0d4e4f1ab3c5d6e7f8"));
  const theirs = encodeEvent(event("9F1C2B7A0D4E4F1AB3C5D6E7F8"));
  const other = encodeEvent(event("01KHJVJWDM0HGAGYGXJYKD1JQH", 2));
  await Deno.writeTextFile(o, "");
  await Deno.writeTextFile(a, ours + "\n");
  await Deno.writeTextFile(b, theirs + "\n" + other + "\n");
  const run = await cli(["merge-driver", "events", o, a, b, "log"]);
  assert.equal(run.code, 0, run.stderr);
  // One of the two original lines (the smaller, as for any two layouts), never a rewrite.
  const kept = [ours, theirs].sort()[0];
  assert.equal(await Deno.readTextFile(a), kept + "\n" + other + "\n");
});

Deno.test("import: an event stored under another spelling of its id is already present", async () => {
  const root = await projectWith([encodeEvent(event("01KHJVJWDM0HGAGYGXJYKD1JQG"))]);
  const file = join(root, "in.jsonl");
  await Deno.writeTextFile(file, pythonLine(event("01khjvjwdm0hgagygxjykd1jqg")) + "\n");
  const run = await cli(["import", file, "--root", root]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, `${F}: 0 added, 1 already present, 0 conflicting\n`);
});
