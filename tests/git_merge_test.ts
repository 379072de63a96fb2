/**
 * Git as the distribution engine: real repositories (a bare origin, clones
 * set up with git-setup, the CLI run as a process) merged, rebased and
 * criss-cross merged end with byte-identical logs and sound clocks; a clone
 * without the setup ends in a text conflict. Plus the merge driver and
 * git-setup on their own.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, tempProject } from "./helpers.ts";
import { encodeEvent } from "../src/event/line_codec.ts";
import { payload } from "./helpers.ts";

const MAIN = join(import.meta.dirname!, "..", "main.ts");
const FEATURE = "043-x";
const LOG = join("kitty-specs", FEATURE, "execution.events.jsonl");
const CLOCK = join("kitty-specs", FEATURE, ".telemetry-clock.json");
// Hermetic git: no global or system config, no editor, no prompts.
const GIT_ENV = {
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_EDITOR: "true",
  GIT_TERMINAL_PROMPT: "0",
  NO_COLOR: "1",
};

interface Out {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(cmd: string, args: string[], cwd: string, stdin?: string): Promise<Out> {
  const child = new Deno.Command(cmd, {
    args,
    cwd,
    env: GIT_ENV,
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(stdin));
    await writer.close();
  }
  // Bounded: a hung git or driver fails the test instead of hanging the suite.
  const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
  const out = await child.output().finally(() => clearTimeout(timer));
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
}

async function git(cwd: string, ...args: string[]): Promise<string> {
  const out = await run("git", args, cwd);
  if (out.code !== 0) throw new Error(`git ${args.join(" ")}: ${out.stderr}${out.stdout}`);
  return out.stdout;
}

async function kt(cwd: string, args: string[], stdin?: string): Promise<Out> {
  return await run(Deno.execPath(), ["run", "-A", "--quiet", MAIN, ...args], cwd, stdin);
}

/** Runs the CLI and expects `code`, showing stderr when it differs. */
async function ktExpect(code: number, cwd: string, args: string[]): Promise<Out> {
  const out = await kt(cwd, args);
  assert.equal(out.code, code, `${args.join(" ")}: ${out.stderr}`);
  return out;
}

/** Emits `n` events as `node` in one process and commits them. */
async function emitAndCommit(clone: string, node: string, n: number): Promise<void> {
  const lines = Array.from(
    { length: n },
    (_, i) => JSON.stringify({ agent: "claude", role: "implementer", input_tokens: i }) + "\n",
  ).join("");
  const out = await kt(clone, [
    "emit",
    "--feature",
    FEATURE,
    "--stdin",
    "--node-id",
    node,
    "--root",
    clone,
  ], lines);
  assert.equal(out.code, 0, out.stderr);
  await git(clone, "add", "-A");
  await git(clone, "commit", "-q", "-m", `${node}: ${n} runs`);
}

/** A bare origin and clones `a` and `b`, both set up (unless `setup` is false). */
async function repos(setup = true): Promise<{ a: string; b: string; dir: string }> {
  const dir = await tempProject();
  await git(dir, "init", "-q", "--bare", "-b", "main", "origin.git");
  const a = join(dir, "a");
  const b = join(dir, "b");
  for (const [clone, name] of [[a, "alice"], [b, "bob"]]) {
    await git(dir, "clone", "-q", "origin.git", clone);
    await git(clone, "config", "user.name", name);
    await git(clone, "config", "user.email", `${name}@example.com`);
    await git(clone, "config", "pull.rebase", "false");
    await git(clone, "checkout", "-q", "-B", "main");
  }
  if (setup) await ktExpect(0, a, ["git-setup", "--root", a]);
  await Deno.writeTextFile(join(a, "README"), "project\n");
  await git(a, "add", "-A");
  await git(a, "commit", "-q", "-m", "start");
  await git(a, "push", "-q", "origin", "main");
  await git(b, "pull", "-q", "origin", "main");
  if (setup) await ktExpect(0, b, ["git-setup", "--root", b]);
  return { a, b, dir };
}

/** Both clones hold the same bytes; the log is sound and the next emit comes after it. */
async function assertConverged(a: string, b: string, expectedEvents: number): Promise<void> {
  const logA = await Deno.readTextFile(join(a, LOG));
  assert.equal(logA, await Deno.readTextFile(join(b, LOG)));
  const clockA = await Deno.readTextFile(join(a, CLOCK));
  assert.equal(clockA, await Deno.readTextFile(join(b, CLOCK)));
  assert.doesNotMatch(logA, /^(<<<<<<<|=======|>>>>>>>)/m);
  const events = logA.split("\n").filter((l) => l).map((l) => JSON.parse(l));
  assert.equal(events.length, expectedEvents);
  assert.equal(new Set(events.map((e) => e.event_id)).size, expectedEvents);
  const perNode: Record<string, number> = {};
  for (const e of events) perNode[e.node_id] = Math.max(perNode[e.node_id] ?? 0, e.lamport_clock);
  const clock = JSON.parse(clockA);
  // Every clock value was some event's: the merged clock is exactly the per-node maximum.
  assert.deepEqual(clock, perNode);
  const highest = Math.max(...events.map((e) => e.lamport_clock));
  for (const [clone, node] of [[a, "node-a"], [b, "node-b"]]) {
    const out = await kt(clone, [
      "emit",
      "--feature",
      FEATURE,
      "--agent",
      "x",
      "--role",
      "r",
      "--node-id",
      node,
      "--root",
      clone,
      "--json",
    ]);
    assert.equal(out.code, 0, out.stderr);
    assert.ok(JSON.parse(out.stdout).lamport_clock > highest, `${node} after ${highest}`);
  }
}

async function status(clone: string): Promise<string> {
  return await git(clone, "status", "--porcelain");
}

Deno.test("git: push, pull with a merge, pull back: identical logs, union of events, sound clocks", async () => {
  const { a, b } = await repos();
  await ktExpect(0, a, ["git-setup", "--check", "--root", a]);
  await emitAndCommit(a, "node-a", 3);
  await git(a, "push", "-q", "origin", "main");
  await emitAndCommit(b, "node-b", 2);
  await git(b, "pull", "-q", "--no-edit", "origin", "main");
  assert.equal(await status(b), "");
  await git(b, "push", "-q", "origin", "main");
  await git(a, "pull", "-q", "--no-edit", "origin", "main");
  assert.deepEqual(JSON.parse(await Deno.readTextFile(join(a, CLOCK))), {
    "node-a": 3,
    "node-b": 2,
  });
  await assertConverged(a, b, 5);
});

Deno.test("git: pull --rebase replays our events onto theirs without a conflict", async () => {
  const { a, b } = await repos();
  await emitAndCommit(a, "node-a", 2);
  await git(a, "push", "-q", "origin", "main");
  await emitAndCommit(b, "node-b", 2);
  await emitAndCommit(b, "node-b", 1);
  await git(b, "pull", "-q", "--rebase", "origin", "main");
  assert.equal(await status(b), "");
  await git(b, "push", "-q", "origin", "main");
  await git(a, "pull", "-q", "--no-edit", "origin", "main");
  await assertConverged(a, b, 5);
});

Deno.test("git: a criss-cross merge (two merge bases) converges too", async () => {
  const { a, b } = await repos();
  await emitAndCommit(a, "node-a", 2);
  await git(a, "push", "-q", "origin", "main");
  await emitAndCommit(b, "node-b", 2);
  await git(b, "push", "-q", "origin", "main:b-work");
  await git(a, "fetch", "-q", "origin");
  await git(a, "merge", "-q", "--no-edit", "origin/b-work");
  await git(b, "fetch", "-q", "origin");
  await git(b, "merge", "-q", "--no-edit", "origin/main");
  await emitAndCommit(a, "node-a", 1);
  await emitAndCommit(b, "node-b", 1);
  await git(a, "push", "-q", "origin", "main");
  await git(b, "fetch", "-q", "origin");
  const bases = (await git(b, "merge-base", "--all", "HEAD", "origin/main")).trim().split("\n");
  assert.equal(bases.length, 2, "a criss-cross has two merge bases");
  await git(b, "merge", "-q", "--no-edit", "origin/main");
  assert.equal(await status(b), "");
  await git(b, "push", "-q", "origin", "main");
  await git(a, "pull", "-q", "--no-edit", "origin", "main");
  await assertConverged(a, b, 6);
});

Deno.test("git: without git-setup the same merge ends in a text conflict", async () => {
  const { a, b } = await repos(false);
  await ktExpect(1, a, ["git-setup", "--check", "--root", a]);
  await emitAndCommit(a, "node-a", 2);
  await git(a, "push", "-q", "origin", "main");
  await emitAndCommit(b, "node-b", 2);
  const pull = await run("git", ["pull", "--no-edit", "origin", "main"], b);
  assert.notEqual(pull.code, 0);
  assert.match(pull.stdout + pull.stderr, /CONFLICT/);
  assert.match(await Deno.readTextFile(join(b, LOG)), /^<<<<<<< /m);
});

Deno.test("git-setup is idempotent; --print changes nothing and shows the commands", async () => {
  const { a } = await repos();
  const attributes = await Deno.readTextFile(join(a, ".gitattributes"));
  assert.equal(
    attributes,
    "kitty-specs/**/execution.events.jsonl merge=kitty-events\n" +
      "kitty-specs/**/.telemetry-clock.json merge=kitty-clock\n",
  );
  await ktExpect(0, a, ["git-setup", "--root", a]);
  assert.equal(await Deno.readTextFile(join(a, ".gitattributes")), attributes);
  const driver = await git(a, "config", "--get", "merge.kitty-events.driver");
  assert.equal(
    driver.trim(),
    `${Deno.execPath()} run --quiet --no-config --no-prompt --allow-read --allow-write ${MAIN} merge-driver events %O %A %B %P`,
  );
  const fresh = await tempProject();
  await git(fresh, "init", "-q");
  const printed = await kt(fresh, ["git-setup", "--print", "--root", fresh]);
  assert.equal(printed.code, 0);
  assert.match(
    printed.stdout,
    /^echo 'kitty-specs\/\*\*\/execution.events.jsonl merge=kitty-events' >> .gitattributes$/m,
  );
  assert.match(
    printed.stdout,
    /^git config merge.kitty-clock.driver '.* merge-driver clock %O %A %B %P'$/m,
  );
  await ktExpect(1, fresh, ["git-setup", "--check", "--root", fresh]);
  assert.equal(await status(fresh), "");
});

function line(id: string, clock: number, node: string, tokens = 1): string {
  return encodeEvent({
    event_id: id,
    event_type: "ExecutionEvent",
    aggregate_id: FEATURE,
    lamport_clock: clock,
    node_id: node,
    causation_id: null,
    timestamp: "2026-03-01T10:00:00.000Z",
    payload: payload({ input_tokens: tokens }),
  });
}

Deno.test("merge-driver events: a conflict exits 1 naming id and path:line; %A keeps ours", async () => {
  const dir = await tempProject();
  const id = "01KHJVJWDM0HGAGYGXJYKD1JQG";
  const [o, a, b] = ["o", "a", "b"].map((n) => join(dir, n));
  await Deno.writeTextFile(o, "");
  await Deno.writeTextFile(a, line(id, 1, "n1", 1) + "\n");
  await Deno.writeTextFile(
    b,
    line("01KHJVJWDM0HGAGYGXJYKD1JQH", 2, "n2") + "\n" + line(id, 1, "n1", 2) + "\n",
  );
  const out = await cli(["merge-driver", "events", o, a, b, LOG]);
  assert.equal(out.code, 1);
  assert.match(out.stderr, new RegExp(`conflict: event ${id}: .*ours:${LOG}:1, theirs:${LOG}:2`));
  assert.equal(
    await Deno.readTextFile(a),
    line(id, 1, "n1", 1) + "\n" + line("01KHJVJWDM0HGAGYGXJYKD1JQH", 2, "n2") + "\n",
  );
});

Deno.test("merge-driver clock: per-node maximum into %A, exit 0, an unreadable side warned", async () => {
  const dir = await tempProject();
  const [o, a, b] = ["o", "a", "b"].map((n) => join(dir, n));
  await Deno.writeTextFile(o, '{"n1": 1}');
  await Deno.writeTextFile(a, '{"n1": 4, "n2": 1}');
  await Deno.writeTextFile(b, "not json");
  const out = await cli(["merge-driver", "clock", o, a, b, CLOCK]);
  assert.equal(out.code, 0);
  assert.equal(await Deno.readTextFile(a), '{"n1": 4, "n2": 1}');
  assert.match(out.stderr, /^warning: theirs:.*unreadable clock file/m);
});
