import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, payload, readOrNull, tempProject } from "./helpers.ts";
import { decodeLine } from "../src/event/line_codec.ts";

const FLAGS = [
  "--feature",
  "043-telemetry-foundation",
  "--wp",
  "WP01",
  "--agent",
  "claude",
  "--role",
  "implementer",
  "--model",
  "claude-sonnet-4-5",
  "--input-tokens",
  "12000",
  "--output-tokens",
  "3400",
  "--duration-ms",
  "81234",
];

function logOf(root: string, feature = "043-telemetry-foundation") {
  return join(root, "kitty-specs", feature, "execution.events.jsonl");
}
function clockOf(root: string, feature = "043-telemetry-foundation") {
  return join(root, "kitty-specs", feature, ".telemetry-clock.json");
}

Deno.test("emit writes one canonical line and ticks the node's clock", async () => {
  const root = await tempProject();
  const run = await cli(["emit", ...FLAGS, "--node-id", "n1", "--root", root, "--json"]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stderr, "");
  const text = await Deno.readTextFile(logOf(root));
  assert.equal(text, run.stdout);
  assert.equal(
    text,
    '{"event_id":"01JNJZ9QG0OWWWWWWWWWWWWWWW","event_type":"ExecutionEvent",'.replace(
      "01JNJZ9QG0OWWWWWWWWWWWWWWW",
      JSON.parse(text).event_id,
    ) +
      '"aggregate_id":"043-telemetry-foundation","lamport_clock":1,"node_id":"n1",' +
      '"causation_id":null,"timestamp":"2026-03-02T10:00:00.000Z","payload":{"wp_id":"WP01",' +
      '"agent":"claude","role":"implementer","model":"claude-sonnet-4-5","input_tokens":12000,' +
      '"output_tokens":3400,"cache_read_tokens":null,"cache_write_tokens":null,' +
      '"cache_write_1h_tokens":null,"reasoning_tokens":null,"cost_usd":null,"duration_ms":81234,"success":true,' +
      '"error":null,"exit_code":0}}\n',
  );
  assert.match(JSON.parse(text).event_id, /^[0-9A-HJKMNP-TV-Z]{26}$/);
  assert.equal(await Deno.readTextFile(clockOf(root)), '{"n1": 1}');
});

Deno.test("emit without --json prints the event id only", async () => {
  const root = await tempProject();
  const run = await cli(["emit", ...FLAGS, "--root", root]);
  assert.equal(run.code, 0);
  assert.equal(run.stdout.trim(), JSON.parse(await Deno.readTextFile(logOf(root))).event_id);
});

Deno.test("emit takes the node id from the environment and --node-id over it", async () => {
  const root = await tempProject();
  await cli(["emit", ...FLAGS, "--root", root], { env: { KITTY_TELEMETRY_NODE_ID: "env-node" } });
  await cli(["emit", ...FLAGS, "--root", root, "--node-id", "flag-node"], {
    env: { KITTY_TELEMETRY_NODE_ID: "env-node" },
  });
  const nodes = (await Deno.readTextFile(logOf(root))).trim().split("\n").map((l) =>
    JSON.parse(l).node_id
  );
  assert.deepEqual(nodes, ["env-node", "flag-node"]);
  assert.equal(await Deno.readTextFile(clockOf(root)), '{"env-node": 1, "flag-node": 2}');
});

Deno.test("emit's default node id is stable for one checkout and differs across checkouts", async () => {
  const a = await tempProject();
  const b = await tempProject();
  for (const root of [a, a, b]) await cli(["emit", ...FLAGS, "--root", root]);
  const nodeIds = async (root: string) =>
    (await Deno.readTextFile(logOf(root))).trim().split("\n").map((l) => JSON.parse(l).node_id);
  const [first, second] = await nodeIds(a);
  assert.equal(first, second);
  assert.match(first, /^testhost-[0-9a-f]{8}$/);
  assert.notEqual((await nodeIds(b))[0], first);
});

Deno.test("emit --failure records success false, the error and exit code 1", async () => {
  const root = await tempProject();
  await cli(["emit", ...FLAGS, "--failure", "--error", "boom", "--root", root]);
  const event = JSON.parse(await Deno.readTextFile(logOf(root)));
  assert.equal(event.payload.success, false);
  assert.equal(event.payload.error, "boom");
  assert.equal(event.payload.exit_code, 1);
});

Deno.test("emit with the same --event-id twice stores one event", async () => {
  const root = await tempProject();
  const id = "01knjz9qg0abcdefghjkmnpqrs";
  const first = await cli(["emit", ...FLAGS, "--event-id", id, "--root", root, "--json"]);
  const second = await cli(["emit", ...FLAGS, "--event-id", id, "--root", root, "--json"]);
  assert.equal(first.code, 0);
  assert.equal(second.code, 0);
  assert.equal(second.stdout, first.stdout);
  const lines = (await Deno.readTextFile(logOf(root))).trim().split("\n");
  assert.equal(lines.length, 1);
  assert.equal(JSON.parse(lines[0]).event_id, id.toUpperCase());
  assert.equal(
    await Deno.readTextFile(clockOf(root)),
    '{"testhost-' +
      JSON.parse(lines[0]).node_id.split("-")[1] + '": 1}',
  );
});

Deno.test("emit --stdin records a batch in one append with consecutive clocks", async () => {
  const root = await tempProject();
  const stdin = [
    JSON.stringify({ agent: "claude", role: "planner", input_tokens: 5 }),
    "",
    JSON.stringify({ agent: "codex", role: "reviewer", wp_id: "WP02", cost_usd: 0.25 }),
  ].join("\n");
  const run = await cli(
    ["emit", "--feature", "043-x", "--stdin", "--node-id", "n", "--root", root],
    {
      stdin,
    },
  );
  assert.equal(run.code, 0, run.stderr);
  const events = (await Deno.readTextFile(logOf(root, "043-x"))).trim().split("\n").map((l) =>
    JSON.parse(l)
  );
  assert.deepEqual(events.map((e) => [e.lamport_clock, e.payload.agent, e.payload.wp_id]), [
    [1, "claude", "N/A"],
    [2, "codex", "WP02"],
  ]);
  assert.equal(events[1].payload.cost_usd, 0.25);
});

Deno.test("emit --stdin with the same event_id twice in one batch writes it once", async () => {
  const root = await tempProject();
  const id = "01KNJZ9QG0ABCDEFGHJKMNPQRS";
  const same = JSON.stringify({ event_id: id, agent: "claude", role: "planner", input_tokens: 5 });
  const other = JSON.stringify({ agent: "codex", role: "reviewer" });
  const run = await cli(
    ["emit", "--feature", "043-x", "--stdin", "--node-id", "n", "--root", root],
    { stdin: [same, other, same].join("\n") },
  );
  assert.equal(run.code, 0, run.stderr);
  const lines = (await Deno.readTextFile(logOf(root, "043-x"))).trimEnd().split("\n");
  const events = lines.map((l) => JSON.parse(l));
  assert.equal(events.filter((e) => e.event_id === id).length, 1, lines.join("\n"));
  assert.equal(lines.length, 2, lines.join("\n"));
  // The repeat takes no clock value: the batch's two events are 1 and 2.
  assert.deepEqual(events.map((e) => [e.lamport_clock, e.payload.agent]), [
    [1, "claude"],
    [2, "codex"],
  ]);
  assert.equal(await Deno.readTextFile(clockOf(root, "043-x")), '{"n": 2}');
  // Each input line is answered, the repeat with the event already recorded.
  const printed = run.stdout.trimEnd().split("\n");
  assert.equal(printed.length, 3);
  assert.equal(printed[0], id);
  assert.equal(printed[2], id);
});

Deno.test("emit --stdin uses flags as defaults for keys a line lacks", async () => {
  const root = await tempProject();
  const stdin = JSON.stringify({ input_tokens: 7 }) + "\n" +
    JSON.stringify({ role: "reviewer" }) + "\n";
  const run = await cli([
    "emit",
    "--feature",
    "043-x",
    "--stdin",
    "--agent",
    "claude",
    "--role",
    "implementer",
    "--root",
    root,
  ], { stdin });
  assert.equal(run.code, 0, run.stderr);
  const roles = (await Deno.readTextFile(logOf(root, "043-x"))).trim().split("\n").map((l) =>
    JSON.parse(l).payload.role
  );
  assert.deepEqual(roles, ["implementer", "reviewer"]);
});

Deno.test("emit reads back as valid events through the line decoder", async () => {
  const root = await tempProject();
  await cli(["emit", ...FLAGS, "--cache-read-tokens", "9", "--cost-usd", "0.0871", "--root", root]);
  const decoded = decodeLine((await Deno.readTextFile(logOf(root))).trim());
  assert.ok(decoded.ok);
  assert.deepEqual(
    decoded.event.payload,
    payload({
      input_tokens: 12000,
      output_tokens: 3400,
      cache_read_tokens: 9,
      cost_usd: 0.0871,
      duration_ms: 81234,
    }),
  );
});

// Each bad input: exit 2, one `error:` line naming the problem, log and clock untouched.
const BAD_INPUTS: Array<[string, string[], RegExp, string?]> = [
  ["negative tokens", ["--input-tokens", "-5"], /input-tokens/],
  [
    "negative tokens given with =",
    ["--input-tokens=-5"],
    /--input-tokens: expected an integer >= 0/,
  ],
  ["fractional tokens", ["--output-tokens", "1.5"], /--output-tokens: expected an integer >= 0/],
  ["non-numeric tokens", ["--input-tokens", "12k"], /--input-tokens: expected an integer/],
  ["tokens beyond 2^53", ["--input-tokens", "9007199254740993"], /--input-tokens/],
  ["negative cost", ["--cost-usd=-1"], /--cost-usd: expected a number >= 0/],
  ["NaN cost", ["--cost-usd", "NaN"], /--cost-usd/],
  ["unknown flag", ["--tokens", "5"], /^error: unknown option '--tokens'/],
  ["bad event id", ["--event-id", "not-an-id"], /--event-id: must be a 26-character ULID/],
  ["bad causation id", ["--causation-id", "xyz"], /--causation-id: must be/],
  ["empty agent", ["--agent", ""], /--agent: /],
  // The error names the flag the user typed, never the key rewritten as one (--wp-id).
  ["empty work package", ["--wp", ""], /^error: --wp: /],
  ["empty model", ["--model", ""], /^error: --model: /],
  ["agent with a newline", ["--agent", "a\nb"], /--agent: must not contain control characters/],
  ["empty node id", ["--node-id", ""], /--node-id: /],
];

for (const [what, extra, message] of BAD_INPUTS) {
  Deno.test(`emit rejects ${what} with exit 2 and leaves the log unchanged`, async () => {
    const root = await tempProject();
    const seed = await cli(["emit", ...FLAGS, "--root", root]);
    assert.equal(seed.code, 0);
    const before = [await readOrNull(logOf(root)), await readOrNull(clockOf(root))];
    const run = await cli(["emit", ...FLAGS, ...extra, "--root", root]);
    assert.equal(run.code, 2);
    assert.equal(run.stdout, "");
    assert.match(run.stderr, /^error: .+\n$/);
    assert.match(run.stderr, message);
    assert.deepEqual([await readOrNull(logOf(root)), await readOrNull(clockOf(root))], before);
  });
}

const BAD_FEATURES: Array<[string, string]> = [
  ["empty", ""],
  ["absolute", "/etc"],
  ["with a slash", "a/b"],
  ["with a backslash", "a\\b"],
  ["with ..", ".."],
  ["with a control character", "a\u0007b"],
  ["overlong", "x".repeat(300)],
];

for (const [what, feature] of BAD_FEATURES) {
  Deno.test(`emit rejects a feature slug that is ${what}, writing nothing`, async () => {
    const root = await tempProject();
    const args = [...FLAGS];
    args[1] = feature;
    const run = await cli(["emit", ...args, "--root", root]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^error: feature .*\n$/);
    assert.equal(await readOrNull(join(root, "kitty-specs")), null);
    assert.deepEqual(await Array.fromAsync(Deno.readDir(root)), []);
  });
}

Deno.test("emit requires --feature, --agent and --role", async () => {
  const root = await tempProject();
  for (
    const [args, message] of [
      [["--agent", "a", "--role", "r"], /--feature is required/],
      [["--feature", "f", "--role", "r"], /--agent is required/],
      [
        ["--feature", "f", "--agent", "a"],
        /--role is required \(implementer, reviewer, specifier, planner/,
      ],
    ] as const
  ) {
    const run = await cli(["emit", ...args, "--root", root]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, message);
  }
  assert.deepEqual(await Array.fromAsync(Deno.readDir(root)), []);
});

const BAD_STDIN: Array<[string, string, RegExp]> = [
  ["malformed JSON", '{"agent": "a", "role": "r"}\n{"agent": ', /stdin line 2: invalid JSON/],
  ["a non-object", '{"agent": "a", "role": "r"}\n[1, 2]\n', /stdin line 2: expected a JSON object/],
  [
    "an unknown key",
    '{"agent": "a", "role": "r", "input_token": 5}\n',
    /stdin line 1: input_token: unknown field/,
  ],
  [
    "negative tokens",
    '{"agent": "a", "role": "r", "output_tokens": -1}\n',
    /stdin line 1: output_tokens/,
  ],
  [
    "a string count",
    '{"agent": "a", "role": "r", "output_tokens": "5"}\n',
    /stdin line 1: output_tokens/,
  ],
  ["a missing agent", '{"role": "r"}\n', /stdin line 1: agent is required \(agent that ran/],
  ["nothing at all", "\n\n", /--stdin: no events on stdin/],
];

for (const [what, stdin, message] of BAD_STDIN) {
  Deno.test(`emit --stdin rejects the whole batch on ${what}`, async () => {
    const root = await tempProject();
    const run = await cli(["emit", "--feature", "043-x", "--stdin", "--root", root], { stdin });
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /^error: .+\n$/);
    assert.match(run.stderr, message);
    assert.equal(await readOrNull(logOf(root, "043-x")), null);
  });
}
