/**
 * `query` for people too (issue 16): --limit, --order clock|time, --format
 * table, --fields; and a closed stdout ends every command quietly, exit 0.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, REPO_ROOT, tempProject } from "./helpers.ts";

/** Three runs recorded out of time order: clock order 03-03, 03-01, 03-02. */
async function project(): Promise<string> {
  const root = await tempProject();
  const runs: [string, string[]][] = [
    ["2026-03-03", ["--agent", "codex", "--model", "gpt-5-codex", "--cost-usd", "0.25"]],
    ["2026-03-01", [
      "--agent",
      "claude",
      "--model",
      "claude-sonnet-4.5",
      "--input-tokens",
      "100000",
    ]],
    ["2026-03-02", ["--agent", "gemini", "--model", "mystery", "--failure", "--exit-code", "3"]],
  ];
  for (const [day, args] of runs) {
    const run = await cli(
      ["emit", "--root", root, "--feature", "043-x", "--wp", "WP01", "--role", "impl", ...args],
      { now: new Date(`${day}T10:00:00Z`) },
    );
    assert.equal(run.code, 0, run.stderr);
  }
  return root;
}

const agents = (stdout: string) =>
  stdout.trimEnd().split("\n").map((l) => JSON.parse(l).payload.agent);

Deno.test("query --order clock is the default; --order time sorts by timestamp", async () => {
  const root = await project();
  const clock = await cli(["query", "--root", root]);
  assert.deepEqual(agents(clock.stdout), ["codex", "claude", "gemini"]);
  assert.deepEqual(await cli(["query", "--root", root, "--order", "clock"]), clock);
  const time = await cli(["query", "--root", root, "--order", "time"]);
  assert.deepEqual(agents(time.stdout), ["claude", "gemini", "codex"]);
  const bad = await cli(["query", "--root", root, "--order", "tme"]);
  assert.equal(bad.code, 2);
  assert.match(
    bad.stderr,
    /^error: --order: expected one of clock, time, got "tme" \(did you mean time\?\)/,
  );
});

Deno.test("query --limit N prints the first N in the order chosen", async () => {
  const root = await project();
  assert.deepEqual(agents((await cli(["query", "--root", root, "--limit", "2"])).stdout), [
    "codex",
    "claude",
  ]);
  const time = await cli(["query", "--root", root, "--limit", "1", "--order", "time"]);
  assert.deepEqual(agents(time.stdout), ["claude"]);
  assert.equal((await cli(["query", "--root", root, "--limit", "9"])).stdout.split("\n").length, 4);
  for (const bad of [["--limit", "0"], ["--limit=-1"], ["--limit", "x"]]) {
    const run = await cli(["query", "--root", root, ...bad]);
    assert.equal(run.code, 2, bad.join(" "));
    assert.match(run.stderr, /^error: --limit: expected an integer >= 1/);
  }
});

Deno.test("query --format table: a readable line per event with its cost", async () => {
  const root = await project();
  const run = await cli(["query", "--root", root, "--format", "table", "--order", "time"]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(
    run.stdout,
    [
      // 100,000 input tokens at $3 per million, estimated; the model in its canonical spelling
      "2026-03-01 10:00:00  043-x  WP01  claude  impl  claude-sonnet-4-5  in 100,000 out 0 cache 0  $0.3000 (est.)  ok",
      "2026-03-02 10:00:00  043-x  WP01  gemini  impl  mystery  in 0 out 0 cache 0  —  FAILED (exit 3)",
      "2026-03-03 10:00:00  043-x  WP01  codex  impl  gpt-5-codex  in 0 out 0 cache 0  $0.2500  ok",
      "",
    ].join("\n"),
  );
});

Deno.test("query --fields a,b,c: JSON lines of those fields, envelope and payload alike", async () => {
  const root = await project();
  const run = await cli([
    "query",
    "--root",
    root,
    "--fields",
    "aggregate_id,agent,cost_usd,success",
    "--limit",
    "1",
  ]);
  assert.equal(
    run.stdout,
    '{"aggregate_id":"043-x","agent":"codex","cost_usd":0.25,"success":true}\n',
  );
  const clash = await cli(["query", "--root", root, "--fields", "agent", "--format", "table"]);
  assert.equal(clash.code, 2);
});

// ------------------------------------------------------------ a closed stdout, every command

const MAIN = join(REPO_ROOT, "main.ts");

async function closedStdout(args: string[], cwd: string, stdin = ""): Promise<[number, string]> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--no-prompt", MAIN, ...args],
    cwd,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  await child.stdout.cancel(); // the reader is gone before the first write
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(stdin)).catch(() => {});
  await writer.close().catch(() => {});
  const [status, stderr] = await Promise.all([child.status, new Response(child.stderr).text()]);
  return [status.code, stderr];
}

Deno.test("a closed stdout ends every command quietly with exit 0", async () => {
  const root = await project();
  const log = join(root, "kitty-specs", "043-x", "execution.events.jsonl");
  const other = await tempProject();
  await Deno.writeTextFile(join(other, "run.jsonl"), await Deno.readTextFile(log));
  const r = ["--root", root];
  const cases: [string[], string?][] = [
    [["--help"]],
    [["--version"]],
    [["help", "cost"]],
    [["emit", ...r, "--feature", "043-x", "--agent", "a", "--role", "r"]],
    [["emit", ...r, "--feature", "043-x", "--stdin"], '{"agent":"a","role":"r"}\n'],
    [["cost", ...r]],
    [["cost", ...r, "--format", "csv"]],
    [["cost", ...r, "--json"]],
    [["query", ...r]],
    [["query", ...r, "--format", "table"]],
    [["pricing", ...r]],
    [["pricing", ...r, "--json"]],
    [["import", ...r, join(other, "run.jsonl"), "--feature", "043-x"]],
    [["verify", ...r]],
    [["verify", ...r, "--json"]],
    [["git-setup", ...r, "--print"]],
  ];
  for (const [args, stdin] of cases) {
    const [code, stderr] = await closedStdout(args, root, stdin);
    // Under `npx deno` (as CI and the README run the tests), git-setup rightly
    // warns that npm may prune the Deno it runs from: that line is no error.
    const npx = /^warning: this Deno runs from a package-manager cache [^\n]*\n/;
    assert.equal(stderr.replace(npx, ""), "", args.join(" "));
    assert.equal(code, 0, args.join(" "));
  }
});
