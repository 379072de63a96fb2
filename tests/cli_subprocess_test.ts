/**
 * The CLI as a real process: exit codes, stdout/stderr separation, and calls
 * from another language, under the permissions the docs give.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { REPO_ROOT, tempProject } from "./helpers.ts";

const MAIN = join(REPO_ROOT, "main.ts");
const DENO = Deno.execPath();
// Narrowest permissions the CLI needs (the same as the compile task).
const PERMISSIONS = [
  "--allow-read",
  "--allow-write",
  "--allow-env=KITTY_TELEMETRY_NODE_ID,KITTY_TELEMETRY_ROOT,KITTY_TELEMETRY_PRICING,NO_COLOR",
  "--allow-sys=hostname",
];

async function run(args: string[], options: { stdin?: string; cwd?: string } = {}) {
  const child = new Deno.Command(DENO, {
    args: ["run", "--quiet", ...PERMISSIONS, MAIN, ...args],
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
    cwd: options.cwd,
    env: { NO_COLOR: "1" },
  }).spawn();
  if (options.stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(options.stdin));
    await writer.close();
  }
  const out = await child.output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
}

Deno.test("--version prints the version from deno.json and exits 0", async () => {
  const config = JSON.parse(await Deno.readTextFile(join(REPO_ROOT, "deno.json")));
  const result = await run(["--version"]);
  assert.equal(result.code, 0);
  assert.equal(result.stdout, `kitty-telemetry ${config.version}\n`);
  assert.equal(result.stderr, "");
});

Deno.test("--help and emit --help print usage on stdout and exit 0", async () => {
  const top = await run(["--help"]);
  assert.equal(top.code, 0);
  assert.match(top.stdout, /Usage: kitty-telemetry <command>/);
  const emit = await run(["emit", "--help"]);
  assert.equal(emit.code, 0);
  assert.match(emit.stdout, /--feature SLUG/);
});

Deno.test("no arguments prints usage on stderr and exits 2", async () => {
  const result = await run([]);
  assert.equal(result.code, 2);
  assert.equal(result.stdout, "");
  assert.match(result.stderr, /Usage:/);
});

Deno.test("an unknown command exits 2 with one error line on stderr", async () => {
  const result = await run(["launch"]);
  assert.equal(result.code, 2);
  assert.equal(result.stdout, "");
  assert.match(result.stderr, /^error: unknown command "launch" .*\n$/);
});

Deno.test("emit as a process: exit 0 and the id on stdout; bad input exit 2, nothing written", async () => {
  const root = await tempProject();
  const ok = await run([
    "emit",
    "--feature",
    "043-x",
    "--agent",
    "claude",
    "--role",
    "implementer",
    "--root",
    root,
  ]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /^[0-9A-Z]{26}\n$/);
  assert.equal(ok.stderr, "");
  const log = join(root, "kitty-specs", "043-x", "execution.events.jsonl");
  const before = await Deno.readTextFile(log);
  const bad = await run([
    "emit",
    "--feature",
    "043-x",
    "--agent",
    "a",
    "--role",
    "r",
    "--input-tokens",
    "x",
    "--root",
    root,
  ]);
  assert.equal(bad.code, 2);
  assert.equal(bad.stdout, "");
  assert.match(bad.stderr, /^error: --input-tokens: expected an integer >= 0, got "x"\n$/);
  assert.equal(await Deno.readTextFile(log), before);
});

Deno.test("an I/O failure exits 1 with one error line", async () => {
  const root = await tempProject();
  // kitty-specs is a file, so the feature folder cannot be created.
  await Deno.writeTextFile(join(root, "kitty-specs"), "not a folder");
  const result = await run([
    "emit",
    "--feature",
    "043-x",
    "--agent",
    "a",
    "--role",
    "r",
    "--root",
    root,
  ]);
  assert.equal(result.code, 1);
  assert.equal(result.stdout, "");
  assert.match(result.stderr, /^error: .+\n$/);
});

Deno.test("--root defaults to the nearest ancestor holding kitty-specs/", async () => {
  const root = await tempProject();
  await Deno.mkdir(join(root, "kitty-specs"));
  await Deno.mkdir(join(root, "deep", "er"), { recursive: true });
  const result = await run(["emit", "--feature", "043-x", "--agent", "a", "--role", "r"], {
    cwd: join(root, "deep", "er"),
  });
  assert.equal(result.code, 0, result.stderr);
  assert.ok((await Deno.stat(join(root, "kitty-specs", "043-x", "execution.events.jsonl"))).isFile);
});

Deno.test("a Python orchestrator can emit a batch and read the cost back as JSON", async () => {
  const root = await tempProject();
  const script = `
import json, subprocess, sys
deno, main, root = sys.argv[1:4]
base = [deno, "run", "--quiet", *${JSON.stringify(PERMISSIONS)}, main]
runs = [
    {"wp_id": "WP01", "agent": "claude", "role": "implementer", "model": "claude-sonnet-4-5",
     "input_tokens": 100000, "output_tokens": 0},
    {"wp_id": "WP02", "agent": "codex", "role": "reviewer", "model": None, "cost_usd": 0.25,
     "event_id": "01KHJVJWDM0HGAGYGXJYKD1JQG"},
]
batch = "".join(json.dumps(r) + "\\n" for r in runs)
for attempt in range(2):  # a retry with the same event_id must not duplicate
    p = subprocess.run(base + ["emit", "--feature", "043-py", "--stdin", "--root", root],
                       input=batch, capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
bad = subprocess.run(base + ["emit", "--feature", "../escape", "--agent", "a", "--role", "r",
                             "--root", root], capture_output=True, text=True)
assert bad.returncode == 2 and bad.stderr.startswith("error: "), bad
cost = subprocess.run(base + ["cost", "--json", "--root", root], capture_output=True, text=True)
assert cost.returncode == 0, cost.stderr
report = json.loads(cost.stdout)
print(json.dumps({"events": report["total"]["event_count"], "usd": report["total"]["total_cost_usd"]}))
`;
  const out = await new Deno.Command("python3", {
    args: ["-c", script, DENO, MAIN, root],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, stderr);
  // 3 events: the batch twice would be 4 if the retry had duplicated the
  // caller-id event; the minted-id event is written again by design.
  assert.deepEqual(JSON.parse(new TextDecoder().decode(out.stdout)), { events: 3, usd: 0.85 });
});

Deno.test("the README's demo task prints a cost table with a TOTAL row", async () => {
  const out = await new Deno.Command(DENO, {
    args: ["task", "--quiet", "demo"],
    cwd: REPO_ROOT,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(out.stdout);
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  assert.match(stdout, /^Agent +Model +Input Tokens/);
  assert.match(stdout, /^TOTAL +68,722,941 +2,899,136 .* \$165\.8449 +125 +100 +7$/m);
});

Deno.test("query | head -1: a reader that closes the pipe ends the command quietly, exit 0", async () => {
  const { encodeEvent } = await import("../src/event/line_codec.ts");
  const { sampleEvent } = await import("./store_contract.ts");
  const root = await tempProject();
  await Deno.mkdir(join(root, "kitty-specs", "043-x"), { recursive: true });
  const lines = Array.from(
    { length: 20_000 },
    (_, i) => encodeEvent(sampleEvent({ aggregate_id: "043-x", lamport_clock: i + 1 })),
  );
  await Deno.writeTextFile(
    join(root, "kitty-specs", "043-x", "execution.events.jsonl"),
    lines.join("\n") + "\n",
  );
  const child = new Deno.Command(DENO, {
    args: ["run", "-A", MAIN, "query", "--root", root],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const reader = child.stdout.getReader();
  await reader.read(); // the first chunk, like `head -1`
  await reader.cancel();
  const [status, stderr] = await Promise.all([child.status, new Response(child.stderr).text()]);
  assert.equal(stderr, "");
  assert.equal(status.code, 0);
});
