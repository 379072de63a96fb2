import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, readOrNull, tempProject } from "./helpers.ts";

const FIXTURES = join(import.meta.dirname!, "fixtures", "adapters");
const fixture = (name: string) => Deno.readTextFile(join(FIXTURES, name));

async function events(root: string) {
  const text = await readOrNull(join(root, "kitty-specs", "043-a", "execution.events.jsonl"));
  return (text ?? "").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l));
}

Deno.test("emit --from claude-json records one event per model with the agent's own costs", async () => {
  const root = await tempProject();
  const run = await cli(
    [
      "emit",
      "--feature",
      "043-a",
      "--wp",
      "WP02",
      "--role",
      "implementer",
      "--from",
      "claude-json",
      "--root",
      root,
    ],
    { stdin: await fixture("claude_two_models.json.txt") },
  );
  assert.equal(run.code, 0, run.stderr);
  const stored = await events(root);
  assert.deepEqual(
    stored.map((e) => [e.payload.agent, e.payload.wp_id, e.payload.model, e.payload.cost_usd]),
    [
      ["claude", "WP02", "claude-haiku-4-5-20251001", 0.0049],
      ["claude", "WP02", "claude-opus-4-1-20250805", 1.4591775],
    ],
  );
  const cost = JSON.parse((await cli(["cost", "--json", "--root", root])).stdout);
  assert.equal(cost.total.reported_cost_usd, 1.464078);
});

Deno.test("emit --from-file reads the agent output from a file", async () => {
  const root = await tempProject();
  const run = await cli([
    "emit",
    "--feature",
    "043-a",
    "--role",
    "reviewer",
    "--from",
    "gemini-json",
    "--from-file",
    join(FIXTURES, "gemini_success.json.txt"),
    "--root",
    root,
  ]);
  assert.equal(run.code, 0, run.stderr);
  const [event] = await events(root);
  assert.equal(event.payload.agent, "gemini");
  assert.equal(event.payload.role, "reviewer");
});

Deno.test("emit --from codex-jsonl takes --model from the flags when the output names none", async () => {
  const root = await tempProject();
  const run = await cli(
    [
      "emit",
      "--feature",
      "043-a",
      "--role",
      "r",
      "--model",
      "gpt-5-codex",
      "--from",
      "codex-jsonl",
      "--root",
      root,
    ],
    { stdin: await fixture("codex_success.jsonl.txt") },
  );
  assert.equal(run.code, 0, run.stderr);
  const [event] = await events(root);
  assert.equal(event.payload.model, "gpt-5-codex");
  assert.equal(event.payload.agent, "codex");
});

Deno.test("a failed agent run is still recorded, with success false and exit code 1", async () => {
  const root = await tempProject();
  const run = await cli(
    ["emit", "--feature", "043-a", "--role", "r", "--from", "claude-json", "--root", root],
    { stdin: await fixture("claude_error_max_turns.json.txt") },
  );
  assert.equal(run.code, 0, run.stderr);
  const [event] = await events(root);
  assert.equal(event.payload.success, false);
  assert.equal(event.payload.exit_code, 1);
  assert.ok(event.payload.error);
});

Deno.test("emit --from with --event-id is safe to retry, also for several models", async () => {
  const root = await tempProject();
  const args = [
    "emit",
    "--feature",
    "043-a",
    "--role",
    "r",
    "--from",
    "claude-json",
    "--event-id",
    "01KHJVJWDM0HGAGYGXJYKD1JQG",
    "--root",
    root,
  ];
  const stdin = await fixture("claude_two_models.json.txt");
  const first = await cli(args, { stdin });
  const second = await cli(args, { stdin });
  assert.equal(first.stdout, "01KHJVJWDM0HGAGYGXJYKD1JQG\n01KHJVJWDM0HGAGYGXJYKD1JQH\n");
  assert.equal(second.stdout, first.stdout);
  assert.equal((await events(root)).length, 2);
});

Deno.test("emit --from rejects output that is not that format, writing nothing", async () => {
  const root = await tempProject();
  for (
    const [from, stdin] of [
      ["claude-json", "plain text"],
      ["codex-jsonl", await fixture("gemini_success.json.txt")],
      ["gemini-json", ""],
      ["cursor-json", "{}"],
    ]
  ) {
    const run = await cli([
      "emit",
      "--feature",
      "043-a",
      "--role",
      "r",
      "--from",
      from,
      "--root",
      root,
    ], {
      stdin,
    });
    assert.equal(run.code, 2, `${from}: ${run.stderr}`);
    assert.match(run.stderr, /^error: --from/);
  }
  assert.deepEqual(await events(root), []);
});

Deno.test("--best-effort turns any failure into exit 0 with the error on stderr, writing nothing", async () => {
  const root = await tempProject();
  for (
    const args of [
      ["--bogus-flag"],
      ["--input-tokens", "-1"],
      ["--from", "claude-json"],
    ]
  ) {
    const run = await cli(
      [
        "emit",
        "--feature",
        "043-a",
        "--agent",
        "a",
        "--role",
        "r",
        "--best-effort",
        "--root",
        root,
        ...args,
      ],
      { stdin: "not json" },
    );
    assert.equal(run.code, 0);
    assert.equal(run.stdout, "");
    assert.match(run.stderr, /^error: .*\(best effort: nothing written, exit 0\)\n$/);
  }
  assert.deepEqual(await events(root), []);
});

Deno.test("--best-effort on an I/O failure still exits 0", async () => {
  const root = await tempProject();
  await Deno.writeTextFile(join(root, "kitty-specs"), "a file where a folder should be");
  const run = await cli([
    "emit",
    "--feature",
    "043-a",
    "--agent",
    "a",
    "--role",
    "r",
    "--best-effort",
    "--root",
    root,
  ]);
  assert.equal(run.code, 0);
  assert.match(run.stderr, /^error: /);
});
