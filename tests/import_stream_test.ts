/**
 * Issue 14.11, the import, stdin and temp-file items: input errors exit 2
 * and name their line, a batch may not hold one id with two contents, an
 * import that only adds newer events appends instead of rewriting, killed
 * writers' temp files are cleaned and reported, and a log keeps its mode.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, payload, readOrNull, tempProject } from "./helpers.ts";
import { encodeEvent } from "../src/event/line_codec.ts";
import { MAX_AGENT_OUTPUT_BYTES } from "../src/cli/emit_from.ts";
import { STALE_TEMP_MS } from "../src/store/temp_files.ts";

const F = "043-x";
const dirOf = (root: string) => join(root, "kitty-specs", F);
const logOf = (root: string) => join(dirOf(root), "execution.events.jsonl");
const clockOf = (root: string) => join(dirOf(root), ".telemetry-clock.json");

function line(n: number, clock: number, node: string, tokens = 1): string {
  return encodeEvent({
    event_id: `01KHJVJWDM0HGAGYGXJYKD1J${String(n).padStart(2, "0")}`,
    event_type: "ExecutionEvent",
    aggregate_id: F,
    lamport_clock: clock,
    node_id: node,
    causation_id: null,
    timestamp: "2026-03-01T10:00:00.000Z",
    payload: payload({ input_tokens: tokens }),
  });
}

const TWO_MODELS = JSON.stringify({
  type: "result",
  modelUsage: {
    "claude-sonnet-4-5": { inputTokens: 1, outputTokens: 2 },
    "claude-haiku-4-5": { inputTokens: 3, outputTokens: 4 },
  },
});
const FROM = ["emit", "--feature", F, "--role", "r", "--from", "claude-json"];

Deno.test("--from with a UUID --event-id numbers one event per model after it", async () => {
  const root = await tempProject();
  const run = await cli(
    [...FROM, "--event-id", "123E4567E89B12D3A45642661417400F", "--root", root],
    {
      stdin: TWO_MODELS,
    },
  );
  assert.equal(run.code, 0, run.stderr);
  assert.equal(
    run.stdout,
    "123e4567-e89b-12d3-a456-42661417400f\n123e4567-e89b-12d3-a456-426614174010\n",
  );
  // The same id again is a retry: nothing new.
  const again = await cli([
    ...FROM,
    "--event-id",
    "123e4567-e89b-12d3-a456-42661417400f",
    "--root",
    root,
  ], {
    stdin: TWO_MODELS,
  });
  assert.equal(again.code, 0, again.stderr);
  assert.equal((await Deno.readTextFile(logOf(root))).trim().split("\n").length, 2);
});

Deno.test("--from: an --event-id that overflows or is no id is an input error (exit 2)", async () => {
  const root = await tempProject();
  for (const id of ["7ZZZZZZZZZZZZZZZZZZZZZZZZZ", "ffffffff-ffff-ffff-ffff-ffffffffffff", "nope"]) {
    const run = await cli([...FROM, "--event-id", id, "--root", root], { stdin: TWO_MODELS });
    assert.equal(run.code, 2, `${id}: ${run.stderr}`);
    assert.match(run.stderr, new RegExp(`--event-id ${id}: .*choose another id`));
  }
  assert.equal(await readOrNull(logOf(root)), null);
});

Deno.test("--from: output over the cap is refused (exit 2) naming the limit, read no further", async () => {
  const root = await tempProject();
  const file = join(root, "big.json");
  {
    using handle = await Deno.open(file, { write: true, create: true });
    await handle.truncate(MAX_AGENT_OUTPUT_BYTES + 1);
  }
  const run = await cli([...FROM, "--from-file", file, "--root", root]);
  assert.equal(run.code, 2, run.stderr);
  assert.match(run.stderr, /big\.json is over 64 MiB, the most one agent output may be/);
});

Deno.test("invalid UTF-8 names its line: --from (exit 2), --stdin (exit 2), import (file:line)", async () => {
  const root = await tempProject();
  const bad = (text: string, at: number) => {
    const bytes = new TextEncoder().encode(text);
    bytes[at] = 0xff;
    return bytes;
  };
  const claude = `{"type": "result",\n "result": "xx",\n "modelUsage": {}}`;
  const from = await cli([...FROM, "--root", root], {
    stdinBytes: bad(claude, claude.indexOf("xx")),
  });
  assert.equal(from.code, 2, from.stderr);
  assert.match(from.stderr, /--from: stdin:2: not valid UTF-8/);

  const batch = '{"agent":"a","role":"r"}\n{"agent":"a","role":"r"}\n{"agent":"xx","role":"r"}\n';
  const stdin = await cli(["emit", "--feature", F, "--stdin", "--root", root], {
    stdinBytes: bad(batch, batch.indexOf("xx")),
  });
  assert.equal(stdin.code, 2, stdin.stderr);
  assert.match(stdin.stderr, /stdin line 3: not valid UTF-8/);

  const log = `${line(1, 1, "n")}\n${line(2, 2, "n")}\n`;
  const file = join(root, "in.jsonl");
  await Deno.writeFile(file, bad(log, log.lastIndexOf("claude")));
  const imported = await cli(["import", file, "--feature", F, "--root", root]);
  assert.equal(imported.code, 1);
  assert.match(imported.stderr, /in\.jsonl:2: not valid UTF-8/);
  const piped = await cli(["import", "-", "--root", root], {
    stdinBytes: bad(log, log.indexOf("claude")),
  });
  assert.match(piped.stderr, /stdin:1: not valid UTF-8/);
  assert.equal(await readOrNull(logOf(root)), null);
});

Deno.test("--stdin: one id with different content twice is exit 2 naming both lines", async () => {
  const root = await tempProject();
  const rec = (id: string, tokens: number) =>
    JSON.stringify({ agent: "a", role: "r", event_id: id, input_tokens: tokens });
  // Three spellings of one UUID: one event.
  const same = [
    rec("0123456789ABCDEF0123456789abcdef", 1),
    rec("01234567-89ab-cdef-0123-456789abcdef", 1),
    "",
    rec("01234567-89AB-CDEF-0123-456789ABCDEF", 2),
  ].join("\n") + "\n";
  const run = await cli(["emit", "--feature", F, "--stdin", "--root", root], { stdin: same });
  assert.equal(run.code, 2, run.stderr);
  assert.match(
    run.stderr,
    /stdin lines 1 and 4: event_id 01234567-89ab-cdef-0123-456789abcdef twice with different content/,
  );
  assert.equal(await readOrNull(logOf(root)), null);
  // Identical repeats are one event.
  const ok = await cli(["emit", "--feature", F, "--stdin", "--root", root], {
    stdin: same.split("\n").slice(0, 2).join("\n"),
  });
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal((await Deno.readTextFile(logOf(root))).trim().split("\n").length, 1);
});

Deno.test("import: one id with different content within the input is exit 2 naming both lines", async () => {
  const root = await tempProject();
  const other = line(1, 1, "n", 2).replace(
    "01KHJVJWDM0HGAGYGXJYKD1J01",
    "01khjvjwdm0hgagygxjykd1j01",
  );
  const run = await cli(["import", "-", "--root", root], {
    stdin: `${line(1, 1, "n", 1)}\n${line(2, 2, "n")}\n${other}\n`,
  });
  assert.equal(run.code, 2, run.stderr);
  assert.match(run.stderr, /event 01KHJVJWDM0HGAGYGXJYKD1J01: .*\(stdin:1, stdin:3\)/);
  assert.equal(await readOrNull(logOf(root)), null);
});

Deno.test("import appends events that sort after the log's tail: same file, bytes kept, clock raised", async () => {
  const root = await tempProject();
  await Deno.mkdir(dirOf(root), { recursive: true });
  // A line that is not an event mid-log: a merge would move it to the end.
  const head = `${line(1, 1, "n")}\nnot json\n${line(2, 2, "n")}\n`;
  await Deno.writeTextFile(logOf(root), head);
  await Deno.writeTextFile(clockOf(root), '{"n": 2}');
  const before = await Deno.stat(logOf(root));
  const file = join(root, "in.jsonl");
  await Deno.writeTextFile(file, `${line(4, 7, "m")}\n${line(3, 3, "n")}\n`);
  const run = await cli(["import", file, "--root", root]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, `${F}: 2 added, 0 already present, 0 conflicting\n`);
  assert.equal(
    await Deno.readTextFile(logOf(root)),
    `${head}${line(3, 3, "n")}\n${line(4, 7, "m")}\n`,
  );
  assert.equal((await Deno.stat(logOf(root))).ino, before.ino, "appended, not replaced");
  assert.deepEqual(JSON.parse(await Deno.readTextFile(clockOf(root))), { m: 7, n: 3 });
  // Again: already present, nothing changed.
  const again = await cli(["import", file, "--root", root]);
  assert.equal(again.stdout, `${F}: 0 added, 2 already present, 0 conflicting\n`);
});

Deno.test("import merges (replaces the log) when a new event sorts before the tail or is present", async () => {
  const root = await tempProject();
  await Deno.mkdir(dirOf(root), { recursive: true });
  await Deno.writeTextFile(logOf(root), `${line(1, 1, "n")}\nnot json\n${line(2, 5, "n")}\n`);
  const before = await Deno.stat(logOf(root));
  const file = join(root, "in.jsonl");
  await Deno.writeTextFile(file, `${line(3, 3, "m")}\n`);
  const run = await cli(["import", file, "--root", root]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(
    await Deno.readTextFile(logOf(root)),
    `${line(1, 1, "n")}\n${line(3, 3, "m")}\n${line(2, 5, "n")}\nnot json\n`,
  );
  assert.notEqual((await Deno.stat(logOf(root))).ino, before.ino);
});

Deno.test("import: an id already in the log, sorting after its tail, is a conflict, not an append", async () => {
  const root = await tempProject();
  await Deno.mkdir(dirOf(root), { recursive: true });
  const log = `${line(1, 1, "n")}\n${line(2, 2, "n")}\n`;
  await Deno.writeTextFile(logOf(root), log);
  const file = join(root, "in.jsonl");
  await Deno.writeTextFile(file, `${line(1, 9, "n")}\n`);
  const conflict = await cli(["import", file, "--root", root]);
  assert.equal(conflict.code, 1, conflict.stderr);
  assert.match(conflict.stderr, /conflict: 043-x: event 01KHJVJWDM0HGAGYGXJYKD1J01/);
  assert.equal(await Deno.readTextFile(logOf(root)), log);
});

Deno.test("import after a torn tail merges; the torn bytes are kept, never glued to", async () => {
  const root = await tempProject();
  await Deno.mkdir(dirOf(root), { recursive: true });
  await Deno.writeTextFile(logOf(root), `${line(1, 1, "n")}\n{"event_id":"01KH`);
  const file = join(root, "in.jsonl");
  await Deno.writeTextFile(file, `${line(2, 2, "n")}\n`);
  const run = await cli(["import", file, "--root", root]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(
    await Deno.readTextFile(logOf(root)),
    `${line(1, 1, "n")}\n${line(2, 2, "n")}\n{"event_id":"01KH\n`,
  );
});

const TEMP = ".execution.events.jsonl.0f1e2d3c-4b5a-4697-8879-6a5b4c3d2e1f.tmp";
const OLD_TEMPS = [
  ".execution.events.0f1e2d3c-4b5a-4697-8879-6a5b4c3d2e1a.tmp", // repair's earlier name
  ".telemetry-clock.0f1e2d3c-4b5a-4697-8879-6a5b4c3d2e1b.tmp",
];

async function withTemps(root: string, log: boolean): Promise<void> {
  await Deno.mkdir(dirOf(root), { recursive: true });
  if (log) await Deno.writeTextFile(logOf(root), `${line(1, 1, "n")}\n`);
  const old = new Date(Date.now() - STALE_TEMP_MS - 5_000);
  for (const name of [TEMP, ...OLD_TEMPS, "notes.tmp", ".execution.events.jsonl.x.tmp"]) {
    await Deno.writeTextFile(join(dirOf(root), name), "half a log");
    await Deno.utime(join(dirOf(root), name), old, old);
  }
  // Written a moment ago: could be a live write; left alone.
  await Deno.writeTextFile(join(dirOf(root), TEMP.replace("2e1f", "2e10")), "live");
}

async function names(root: string): Promise<string[]> {
  return (await Array.fromAsync(Deno.readDir(dirOf(root)))).map((e) => e.name).sort();
}

Deno.test("verify reports a killed writer's temp files; the next locked write removes exactly those", async () => {
  const root = await tempProject();
  for (const log of [false, true]) {
    await withTemps(root, log);
    const verify = await cli(["verify", "--root", root, "--json"]);
    assert.equal(verify.code, 1);
    const findings = JSON.parse(verify.stdout).features[0].findings;
    assert.deepEqual(
      findings.map((f: { kind: string; path: string }) => [f.kind, f.path.split("/").pop()]),
      [...OLD_TEMPS, TEMP].sort().map((name) => ["stale-temp", name]),
      `with a log: ${log}`,
    );
    assert.match(findings[0].message, /10 bytes.*verify --repair, or the next emit/);
  }
  const emit = await cli(["emit", "--feature", F, "--agent", "a", "--role", "r", "--root", root]);
  assert.equal(emit.code, 0, emit.stderr);
  assert.deepEqual(await names(root), [
    ".execution.events.jsonl.0f1e2d3c-4b5a-4697-8879-6a5b4c3d2e10.tmp",
    ".execution.events.jsonl.x.tmp",
    ".telemetry-clock.json",
    "execution.events.jsonl",
    "notes.tmp",
  ]);
  assert.equal((await cli(["verify", "--root", root])).code, 0);
});

Deno.test("import and verify --repair remove stale temp files too", async () => {
  for (const command of ["import", "repair"]) {
    const root = await tempProject();
    await withTemps(root, false);
    const file = join(root, "in.jsonl");
    await Deno.writeTextFile(file, `${line(1, 1, "n")}\n`);
    const run = command === "import"
      ? await cli(["import", file, "--root", root])
      : await cli(["verify", "--repair", "--root", root]);
    assert.equal(run.code, 0, `${command}: ${run.stderr}${run.stdout}`);
    const left = await names(root);
    assert.ok(
      !left.includes(TEMP) && !OLD_TEMPS.some((n) => left.includes(n)),
      `${command}: ${left}`,
    );
    assert.ok(left.includes("notes.tmp"), command);
  }
});

Deno.test("import (append and merge) and repair keep a 0600 log 0600", {
  ignore: Deno.build.os === "windows",
}, async () => {
  const root = await tempProject();
  await Deno.mkdir(dirOf(root), { recursive: true });
  await Deno.writeTextFile(logOf(root), `${line(2, 5, "n")}\n`, { mode: 0o600 });
  await Deno.chmod(logOf(root), 0o600);
  const file = join(root, "in.jsonl");
  const mode = async () => (await Deno.stat(logOf(root))).mode! & 0o777;
  await Deno.writeTextFile(file, `${line(3, 6, "n")}\n`);
  assert.equal((await cli(["import", file, "--root", root])).code, 0); // appended
  assert.equal(await mode(), 0o600);
  await Deno.writeTextFile(file, `${line(1, 1, "m")}\n`);
  assert.equal((await cli(["import", file, "--root", root])).code, 0); // merged
  assert.equal((await Deno.readTextFile(logOf(root))).split("\n")[0], line(1, 1, "m"));
  assert.equal(await mode(), 0o600);
  await Deno.writeTextFile(logOf(root), "<<<<<<< HEAD\n", { append: true });
  const repair = await cli(["verify", "--repair", "--root", root]);
  assert.match(repair.stdout, /repaired 043-x: dropped line\(s\) 4/);
  assert.equal(await mode(), 0o600);
});

Deno.test("planStream: only new, ordered events of one file stream; anything else is for the merge", async () => {
  const { planStream } = await import("../src/merge/stream_import.ts");
  const plan = (text: string | Uint8Array, target?: string, route = false) =>
    planStream(() => Promise.resolve(new Blob([text as BlobPart]).stream()), target, route);
  const ok = await plan(`${line(1, 1, "n")}\n\n${line(2, 2, "n")}\n`);
  assert.deepEqual([...ok!.keys()], [F]);
  assert.deepEqual(ok!.get(F)!.lines, [1, 3]);
  assert.deepEqual({ ...ok!.get(F)!.clock }, { n: 2 });
  assert.equal(ok!.get(F)!.first.lamport_clock, 1);
  const cases: Array<[string, string | Uint8Array]> = [
    ["out of order", `${line(2, 2, "n")}\n${line(1, 1, "n")}\n`],
    ["an id twice", `${line(1, 1, "n")}\n${line(1, 2, "n")}\n`],
    ["a CR", `${line(1, 1, "n")}\r\n`],
    ["a BOM", `\uFEFF${line(1, 1, "n")}\n`],
    ["not UTF-8", new Uint8Array([0x7b, 0xff, 0x0a])],
  ];
  for (const [what, text] of cases) assert.equal(await plan(text), null, what);
  // A line that is not an event is told and skipped: the events still stream.
  const told: [number, string][] = [];
  const skipping = await planStream(
    () => Promise.resolve(new Blob([`${line(1, 1, "n")}\nnot json\n`]).stream()),
    undefined,
    false,
    { tell: (n, reason) => told.push([n, reason]), full: () => false },
  );
  assert.deepEqual(skipping!.get(F)!.lines, [1]);
  assert.deepEqual(told.map(([n]) => n), [2]);
  assert.match(told[0][1], /^invalid JSON/);
  assert.equal(await plan(`${line(1, 1, "n")}\n`, "050-y"), null, "another feature");
  assert.deepEqual([...(await plan(`${line(1, 1, "n")}\n`, "050-y", true))!.keys()], [F]);
});

Deno.test("import -: a feature that can be appended is, one that cannot is merged, both from one stdin", async () => {
  const root = await tempProject();
  const G = "050-y";
  const other = (n: number, clock: number) =>
    line(n, clock, "n").replaceAll(`"aggregate_id":"${F}"`, `"aggregate_id":"${G}"`);
  await Deno.mkdir(join(root, "kitty-specs", G), { recursive: true });
  const gLog = join(root, "kitty-specs", G, "execution.events.jsonl");
  await Deno.writeTextFile(gLog, `${other(9, 9)}\n`);
  const stdin = `${line(1, 1, "n")}\n${other(2, 2)}\n${line(3, 3, "n")}\n`;
  const run = await cli(["import", "-", "--root", root], { stdin });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(
    run.stdout,
    `${F}: 2 added, 0 already present, 0 conflicting\n${G}: 1 added, 0 already present, 0 conflicting\n`,
  );
  assert.equal(await Deno.readTextFile(logOf(root)), `${line(1, 1, "n")}\n${line(3, 3, "n")}\n`);
  assert.deepEqual(JSON.parse(await Deno.readTextFile(clockOf(root))), { n: 3 });
  assert.equal(await Deno.readTextFile(gLog), `${other(2, 2)}\n${other(9, 9)}\n`);
});

Deno.test("a file that changes between the two reads of a streamed import is refused", async () => {
  const { fileOpener } = await import("../src/cli/import_stream.ts");
  const path = join(await tempProject(), "in.jsonl");
  await Deno.writeTextFile(path, "a\n");
  const open = fileOpener(path, "in.jsonl");
  await (await open()).cancel();
  await Deno.writeTextFile(path, "a\nb\n");
  await assert.rejects(open, /in\.jsonl: changed while it was imported/);
});
