import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, payload, referenceProject, tempProject } from "./helpers.ts";

// The fixed clock of cli(): 2026-03-02T10:00:00.000Z.
const TIME_FORMS = "expected YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM] (naive = UTC), or a " +
  "relative time like 30m, 24h, 7d, 2w";

const id = (suffix: string) => `01KJ${"0".repeat(19)}${suffix}`;

/** A line in the tool's own compact layout (which is also how `query` prints it). */
function compact(
  fields: {
    id: string;
    feature: string;
    clock: number;
    node: string;
    timestamp: string;
    type?: string;
    payload: Record<string, unknown>;
  },
): string {
  return JSON.stringify({
    event_id: fields.id,
    event_type: fields.type ?? "ExecutionEvent",
    aggregate_id: fields.feature,
    lamport_clock: fields.clock,
    node_id: fields.node,
    causation_id: null,
    timestamp: fields.timestamp,
    payload: fields.payload,
  });
}

const F043 = "043-telemetry-foundation";
const F048 = "048-full-lifecycle";
const F100 = "100-other";

// Python writer's layout: sorted keys, ", " separators, \uXXXX escapes, +00:00 microseconds,
// missing optional keys, unknown keys.
const P1_PY = `{"aggregate_id": "${F043}", "causation_id": null, "event_id": ` +
  `"01KHJVJWDM0HGAGYGXJYKD1JQG", "event_type": "ExecutionEvent", "lamport_clock": 1, ` +
  `"node_id": "cli:WP04", "payload": {"agent": "copilot", "cost_usd": 15.6, "duration_ms": ` +
  `17880000, "error": null, "exit_code": 0, "input_tokens": 30532200, "model": ` +
  `"claude-sonnet-4.5", "output_tokens": 178560, "role": "implementer", "success": true, ` +
  `"wp_id": "WP04"}, "timestamp": "2026-02-16T09:12:58.036834+00:00"}`;
const P2_PY = `{"aggregate_id": "${F043}", "causation_id": "01KHJVJWDM0HGAGYGXJYKD1JQG", ` +
  `"event_id": "${id("0F2")}", "event_type": "ExecutionEvent", "extra_top": 1, ` +
  `"lamport_clock": 3, "node_id": "cli:WP04", "payload": {"agent": "claude", "error": ` +
  `"tests failed: caf\\u00e9", "exit_code": 1, "model": "claude-opus-4-6", "note": "x", ` +
  `"role": "reviewer", "success": false, "wp_id": "WP05"}, ` +
  `"timestamp": "2026-03-01T10:00:00.000000+00:00"}`;

/** What `query` prints for each event: the canonical compact layout. */
const OUT: Record<string, string> = {
  P1: `{"event_id":"01KHJVJWDM0HGAGYGXJYKD1JQG","event_type":"ExecutionEvent",` +
    `"aggregate_id":"${F043}","lamport_clock":1,"node_id":"cli:WP04","causation_id":null,` +
    `"timestamp":"2026-02-16T09:12:58.036834+00:00","payload":{"wp_id":"WP04",` +
    `"agent":"copilot","role":"implementer","model":"claude-sonnet-4.5",` +
    `"input_tokens":30532200,"output_tokens":178560,"cache_read_tokens":null,` +
    `"cache_write_tokens":null,"cache_write_1h_tokens":null,"reasoning_tokens":null,"cost_usd":15.6,` +
    `"duration_ms":17880000,"success":true,"error":null,"exit_code":0}}`,
  P2: `{"event_id":"${id("0F2")}","event_type":"ExecutionEvent","aggregate_id":"${F043}",` +
    `"lamport_clock":3,"node_id":"cli:WP04","causation_id":"01KHJVJWDM0HGAGYGXJYKD1JQG",` +
    `"timestamp":"2026-03-01T10:00:00.000000+00:00","payload":{"wp_id":"WP05",` +
    `"agent":"claude","role":"reviewer","model":"claude-opus-4-6","input_tokens":null,` +
    `"output_tokens":null,"cache_read_tokens":null,"cache_write_tokens":null,"cache_write_1h_tokens":null,` +
    `"reasoning_tokens":null,"cost_usd":null,"duration_ms":0,"success":false,` +
    `"error":"tests failed: café","exit_code":1,"note":"x"},"extra_top":1}`,
  C1: compact({
    id: id("0B1"),
    feature: F048,
    clock: 1,
    node: "alpha",
    timestamp: "2026-02-20T08:00:00.000Z",
    payload: payload({ agent: "codex", role: "reviewer", model: "gpt-5-codex" }),
  }),
  C2: compact({
    id: id("0C2"),
    feature: F048,
    clock: 2,
    node: "alpha",
    timestamp: "2026-03-01T09:59:59.999Z",
    payload: payload({ wp_id: "WP02" }),
  }),
  C3: compact({
    id: id("0E3"),
    feature: F048,
    clock: 3,
    node: "alpha",
    timestamp: "2026-03-02T10:00:00.000Z",
    payload: payload({
      wp_id: "WP02",
      agent: "codex",
      model: "gpt-5-codex",
      cache_read_tokens: 50,
      cache_write_tokens: 0,
    }),
  }),
  N1: compact({
    id: id("0A1"),
    feature: F100,
    clock: 1,
    node: "alpha",
    type: "WPStatusChanged",
    timestamp: "2026-02-25T00:00:00.000Z",
    payload: { from: "doing", to: "done" },
  }),
  N2: compact({
    id: id("0D2"),
    feature: F100,
    clock: 2,
    node: "beta",
    timestamp: "2026-03-02T09:30:00.000Z",
    payload: payload({ wp_id: "N/A", agent: "gemini", role: "planner", model: "mystery-model" }),
  }),
};

/** Writes a feature's log verbatim. */
async function writeLog(root: string, feature: string, text: string): Promise<string> {
  const dir = join(root, "kitty-specs", feature);
  await Deno.mkdir(dir, { recursive: true });
  const path = join(dir, "execution.events.jsonl");
  await Deno.writeTextFile(path, text);
  return path;
}

/** Three features; each file in an order other than the total order. */
async function project(): Promise<string> {
  const root = await tempProject();
  await writeLog(root, F043, `${P2_PY}\n${P1_PY}\n`);
  await writeLog(root, F048, `${OUT.C3}\n${OUT.C1}\n\n${OUT.C2}\n`);
  await writeLog(root, F100, `${OUT.N2}\n${OUT.N1}\n`);
  return root;
}

const lines = (...names: string[]) => names.map((n) => OUT[n] + "\n").join("");
const ALL = ["N1", "C1", "P1", "C2", "N2", "C3", "P2"];

let shared: Promise<string> | undefined;
const sharedProject = () => shared ??= project();

async function query(args: string[]) {
  return await cli(["query", "--root", await sharedProject(), ...args]);
}

Deno.test("query prints every event in (lamport_clock, node_id, event_id) order across features", async () => {
  const run = await query([]);
  assert.equal(run.stderr, "");
  assert.equal(run.code, 0);
  assert.equal(run.stdout, lines(...ALL));
});

Deno.test("query finds the project root from the working directory", async () => {
  const root = await sharedProject();
  const run = await cli(["query", "--agent", "copilot"], { cwd: join(root, "kitty-specs", F043) });
  assert.deepEqual(run, { code: 0, stdout: lines("P1"), stderr: "" });
});

Deno.test("query --json prints the same JSON lines", async () => {
  const run = await query(["--json"]);
  assert.deepEqual(run, { code: 0, stdout: lines(...ALL), stderr: "" });
});

const FILTER_CASES: [string[], string[]][] = [
  [["--type", "WPStatusChanged"], ["N1"]],
  [["--type", "ExecutionEvent"], ["C1", "P1", "C2", "N2", "C3", "P2"]],
  [["--type", "WPStatusChanged", "--type", "ExecutionEvent"], ALL],
  [["--feature", "04*"], ["C1", "P1", "C2", "C3", "P2"]],
  [["--feature", "043"], ["P1", "P2"]],
  [["--feature", F043], ["P1", "P2"]],
  [["--feature", "04?-full-*"], ["C1", "C2", "C3"]],
  [["--feature", "048", "--feature", "100"], ["N1", "C1", "C2", "N2", "C3"]],
  [["--feature", "043", "--feature", "1*"], ["N1", "P1", "N2", "P2"]],
  [["--wp", "WP02"], ["C2", "C3"]],
  [["--wp", "WP04", "--wp", "WP05"], ["P1", "P2"]],
  [["--wp", "N/A"], ["N2"]],
  [["--agent", "claude"], ["C2", "P2"]],
  [["--agent", "codex", "--agent", "gemini"], ["C1", "N2", "C3"]],
  [["--role", "reviewer"], ["C1", "P2"]],
  [["--role", "planner"], ["N2"]],
  // Every spelling of the entry: the alias matches the id recorded in C2, too.
  [["--model", "claude-sonnet-4.5"], ["P1", "C2"]],
  [["--model", "gpt-5-codex"], ["C1", "C3"]],
  [["--success", "false"], ["P2"]],
  [["--success", "true"], ["C1", "P1", "C2", "N2", "C3"]],
  // now - 24h = 2026-03-01T10:00:00.000Z: P2 sits exactly on it (as .000000+00:00), C2 1 ms before
  [["--since", "24h"], ["N2", "C3", "P2"]],
  [["--since", "30m"], ["N2", "C3"]],
  // now - 2w = 2026-02-16T10:00Z: P1 (09:12 that day) is out
  [["--since", "2w"], ["N1", "C1", "C2", "N2", "C3", "P2"]],
  [["--since", "2026-03-02"], ["N2", "C3"]],
  [["--until", "2026-03-01"], ["N1", "C1", "P1", "C2", "P2"]],
  [["--until", "2026-02-28T23:59:59.999Z"], ["N1", "C1", "P1"]],
  [["--since", "2026-02-20", "--until", "2026-02-20"], ["C1"]],
  [["--since", "2026-03-01T10:00:00+00:00", "--until", "2026-03-02T10:00"], ["N2", "C3", "P2"]],
  [["--since", "2026-03-01T10:59:59.999+01:00", "--until", "2026-03-01T09:59:59.999"], ["C2"]],
  [["--since", "2026-02-16T09:12:58.036834+00:00", "--until", "2026-02-16"], ["P1"]],
  [
    [
      "--agent",
      "claude",
      "--agent",
      "codex",
      "--feature",
      "048",
      "--success",
      "true",
      "--since",
      "2026-02-21",
    ],
    ["C2", "C3"],
  ],
  [["--agent", "claude", "--role", "implementer"], ["C2"]],
  [["--agent", "claude", "--model", "gpt-5-codex"], []],
];

for (const [args, expected] of FILTER_CASES) {
  Deno.test(`query ${args.join(" ")} prints ${expected.join(",") || "nothing"}`, async () => {
    const run = await query(args);
    // An empty answer says why on stderr (each value exists: not together).
    const stderr = expected.length === 0 ? "note: no event matches all the filters together\n" : "";
    assert.deepEqual(run, { code: 0, stdout: lines(...expected), stderr });
  });
}

Deno.test("query with no matching event exits 0 with empty output, and says what exists", async () => {
  const cases: [string[], string][] = [
    [
      ["--agent", "nobody"],
      'note: --agent "nobody" matches no event; known agents: claude, codex, copilot, gemini',
    ],
    [["--feature", "43"], 'note: --feature "43" matches no feature; known features: '],
    [["--since", "2027-01-01"], "note: no event matches all the filters together"],
  ];
  for (const [args, note] of cases) {
    const run = await query(args);
    assert.deepEqual([run.code, run.stdout], [0, ""], args.join(" "));
    assert.ok(run.stderr.startsWith(note), run.stderr);
  }
});

Deno.test("query in a project without kitty-specs exits 0 with empty output", async () => {
  const root = await tempProject();
  for (const filter of [[], ["--feature", "043"]]) {
    const run = await cli(["query", "--root", root, ...filter]);
    assert.deepEqual({ code: run.code, stdout: run.stdout }, { code: 0, stdout: "" });
    // One note, how to record a first run: no filter value exists to hint at.
    assert.match(run.stderr, new RegExp(`^note: no runs recorded yet in ${root} [^\n]*\n$`));
  }
});

const USAGE_ERRORS: [string[], string][] = [
  [["--since", "yesterday"], `error: --since: cannot read "yesterday"; ${TIME_FORMS}`],
  [["--since", "7x"], `error: --since: cannot read "7x"; ${TIME_FORMS}`],
  [["--since", ""], `error: --since: cannot read ""; ${TIME_FORMS}`],
  [["--until", "2026-02-30"], `error: --until: cannot read "2026-02-30"; ${TIME_FORMS}`],
  [
    ["--since", "2026-02-30T10:00"],
    `error: --since: cannot read "2026-02-30T10:00"; ${TIME_FORMS}`,
  ],
  [["--success", "maybe"], `error: --success: expected true or false, got "maybe"`],
  [["--success", "TRUE"], `error: --success: expected true or false, got "TRUE"`],
  [["--bogus"], `error: unknown option '--bogus' (see --help)`],
  [["--agnet", "claude"], `error: unknown option '--agnet' (did you mean --agent?) (see --help)`],
  [["--since"], `error: option '--since <value>' argument missing (see --help)`],
  [
    ["--feature", "../etc"],
    `error: feature "../etc": must not contain '/' or '\\' (expected a folder name like ` +
    `043-my-feature)`,
  ],
];

for (const [args, message] of USAGE_ERRORS) {
  Deno.test(`query ${JSON.stringify(args.join(" "))} is a usage error (exit 2, one error line)`, async () => {
    const run = await query(args);
    assert.deepEqual(run, { code: 2, stdout: "", stderr: message + "\n" });
  });
}

Deno.test("query skips a malformed line with a warning naming file:line and prints the rest", async () => {
  const root = await tempProject();
  const bad = await writeLog(
    root,
    F048,
    [
      OUT.C1,
      "{not json",
      "",
      '{"event_id":"x","event_type":"ExecutionEvent"}',
      OUT.C2,
      '["an","array"]',
      compact({
        id: id("0G1"),
        feature: F048,
        clock: 9,
        node: "alpha",
        timestamp: "2026-03-01T00:00:00Z",
        payload: payload({ input_tokens: -1 }),
      }),
      "",
    ].join("\n") + OUT.C3.slice(0, 40),
  );
  await writeLog(root, F043, `${P1_PY}\n`);
  const run = await cli(["query", "--root", root]);
  assert.equal(run.code, 0);
  // The line with a negative count is an event (as the Python reader counts it), the
  // count unknown.
  const printed = run.stdout.split("\n");
  assert.equal(printed.slice(0, 3).join("\n") + "\n", lines("C1", "P1", "C2"));
  assert.equal(printed.length, 5);
  assert.equal(JSON.parse(printed[3]).payload.input_tokens, null);
  assert.equal(JSON.parse(printed[3]).lamport_clock, 9);
  const warnings = run.stderr.split("\n");
  assert.equal(warnings.pop(), "");
  assert.equal(warnings.length, 5, run.stderr);
  assert.match(
    warnings[0],
    new RegExp(`^warning: ${RegExp.escape(bad)}:2: skipped malformed line: invalid JSON \\(.+\\)$`),
  );
  assert.equal(
    warnings[1],
    `warning: ${bad}:4: skipped malformed line: event_id: must be a 26-character ULID or a ` +
      `UUID (32 hex digits, or 36 characters with hyphens)`,
  );
  assert.equal(warnings[2], `warning: ${bad}:6: skipped malformed line: not a JSON object`);
  assert.match(
    warnings[3],
    new RegExp(
      `^warning: ${
        RegExp.escape(bad)
      }:7: payload\\.input_tokens: not a valid value; read as unknown`,
    ),
  );
  assert.match(
    warnings[4],
    new RegExp(
      `^warning: ${RegExp.escape(bad)}:8: skipped malformed line: torn last line \\(invalid JSON`,
    ),
  );
});

Deno.test("query reads the Python reference logs whole and in total order", async () => {
  const root = await referenceProject();
  const run = await cli(["query", "--root", root]);
  assert.equal(run.code, 0);
  assert.equal(run.stderr, "");
  const events = run.stdout.trimEnd().split("\n").map((l) => JSON.parse(l));
  assert.equal(events.length, 10);
  assert.deepEqual(events.map((e) => [e.lamport_clock, e.node_id, e.event_id].join(" ")), [
    "1 cli:N/A 01KHK2DVHCVJFXTV0HH3QMBSYT",
    "1 cli:WP01 01KHKGT07GWE6K82YFVF0W4XX3",
    "1 cli:WP02 01KHKJ372XGPW46X27STP0AWF6",
    "1 cli:WP04 01KHJVJWDM0HGAGYGXJYKD1JQG",
    "2 cli:N/A 01KHK3ECCJ261R7EX97697A246",
    "2 cli:WP04 01KHJVJWDPNYSD0EZE9XD76PNY",
    "3 cli:N/A 01KHK3H6HK15A0TMXSXB68P1MY",
    "4 cli:N/A 01KHKD6N1KYNVV9HJQCX5S2WKE",
    "5 cli:N/A 01KHN9E3CWBKJ5XJY681J0ZJ8Q",
    "6 cli:N/A 01KHN9RK0AYMPKM606KD2TPCPJ",
  ]);
  const feature043 = await cli(["query", "--root", root, "--feature", "043"]);
  assert.deepEqual(
    feature043.stdout.trimEnd().split("\n").map((l) => JSON.parse(l).timestamp),
    ["2026-02-16T09:12:58.036834+00:00", "2026-02-16T09:12:58.038052+00:00"],
  );
});

// ---------------------------------------------------------------- cost exit codes

const COST_GROUPS = "wp, agent, role, model, feature, day, week, month";

const COST_ERRORS: [string[], string][] = [
  [
    ["--group-by", "bogus"],
    `error: --group-by: unknown key "bogus"; expected one or more of ${COST_GROUPS}, ` +
    `comma-separated`,
  ],
  [
    ["--group-by", "agent,modle"],
    `error: --group-by: unknown key "modle" (did you mean model?); expected one or more of ${COST_GROUPS}, ` +
    `comma-separated`,
  ],
  [
    ["--group-by", ","],
    `error: --group-by: unknown key ","; expected one or more of ${COST_GROUPS}, comma-separated`,
  ],
  [["--format", "xml"], `error: --format: expected one of table, json, csv, markdown, got "xml"`],
  [
    ["--format", "JSON"],
    `error: --format: expected one of table, json, csv, markdown, got "JSON" (did you mean json?)`,
  ],
  [["--type", "WPStatusChanged"], `error: --type: cost only reads ExecutionEvent events`],
  [["--since", "yesterday"], `error: --since: cannot read "yesterday"; ${TIME_FORMS}`],
  [["--bogus"], `error: unknown option '--bogus' (see --help)`],
];

for (const [args, message] of COST_ERRORS) {
  Deno.test(`cost ${args.join(" ")} is a usage error (exit 2)`, async () => {
    const run = await cli(["cost", "--root", await sharedProject(), ...args]);
    assert.deepEqual(run, { code: 2, stdout: "", stderr: message + "\n" });
  });
}

Deno.test("cost over the mixed-layout project exits 0 and counts every execution event", async () => {
  const run = await cli(["cost", "--root", await sharedProject(), "--json"]);
  assert.equal(run.code, 0);
  // The one unpriced model is named on stderr, with the fix, in every format.
  assert.match(
    run.stderr,
    /^note: 1 event\(s\) have no reported cost and no price \(models: mystery-model\).*add prices for mystery-model in \.kittify\/pricing\.yaml\n$/,
  );
  const view = JSON.parse(run.stdout);
  assert.equal(view.total.event_count, 6);
  assert.equal(view.total.reported_cost_usd, 15.6);
  assert.deepEqual(view.total.unpriced_models, ["mystery-model"]);
  assert.equal(view.skipped_lines, 0);
});
