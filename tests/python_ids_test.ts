/**
 * Logs written by spec-kitty's Python emitter where python-ulid is not
 * installed: ids are `uuid4().hex[:26]` (half of them start with 8-f, which
 * a strict ULID cannot), and other writers use the 32- and 36-character UUID
 * forms. `cost` must count every one of those events.
 */
import { canonicalModel } from "../src/cost/canonical_model.ts";
import { defaultPricing } from "../src/cost/builtin_pricing.ts";
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, referenceProject, tempProject, withoutNotes } from "./helpers.ts";
import { pythonLine } from "../bench/generate.ts";
import { ByteChunk, CanonicalReader, LINE } from "../src/read/canonical_bytes.ts";

const FEATURE = "043-py";

/** What spec-kitty's emitter passes to `json.dumps(..., sort_keys=True)`. */
interface Run {
  id: string;
  agent: string;
  model: string | null;
  input: number | null;
  output: number | null;
  /** Reported cost in millionths of a dollar (null: not reported). */
  microUsd: number | null;
}

// Every id form the reference accepts: uuid4().hex[:26] (lower case, as
// Python's .hex gives it), the same upper case, the 32-character bare hex
// UUID and the 36-character hyphenated one.
const RUNS: Run[] = [
  {
    id: "9f1c2b7a0d4e4f1ab3c5d6e7f8",
    agent: "claude",
    model: "claude-sonnet-4.5",
    input: 1200,
    output: 340,
    microUsd: 420000,
  },
  {
    id: "9F1C2B7A0D4E4F1AB3C5D6E7F9",
    agent: "claude",
    model: "claude-sonnet-4.5",
    input: 800,
    output: 100,
    microUsd: 1250000,
  },
  {
    id: "0123456789abcdef0123456789abcdef",
    agent: "codex",
    model: "gpt-5-codex",
    input: 61000,
    output: 2000,
    microUsd: null,
  },
  {
    id: "fedcba98-7654-4321-8abc-def012345678",
    agent: "codex",
    model: "gpt-5-codex",
    input: 5,
    output: null,
    microUsd: 10,
  },
  {
    id: "e3b0c44298fc1c149afbf4c899",
    agent: "copilot",
    model: null,
    input: null,
    output: 7,
    microUsd: 990001,
  },
  {
    id: "a7ffc6f8bf1ed76651c14756a0",
    agent: "claude",
    model: "claude-opus-4-6",
    input: 64163,
    output: 12,
    microUsd: 3,
  },
  {
    id: "01khjvjwdm0hgagygxjykd1jqg",
    agent: "claude",
    model: "claude-opus-4-6",
    input: 1,
    output: 1,
    microUsd: null,
  },
  {
    id: "8d969eef6ecad3c29a3a629280",
    agent: "gemini",
    model: "gemini-2.5-pro",
    input: 30000,
    output: 4000,
    microUsd: 15600000,
  },
  {
    id: "B94D27B9934D3E08A52E52D7DA",
    agent: "gemini",
    model: "gemini-2.5-pro",
    input: 2,
    output: 3,
    microUsd: 5,
  },
  {
    id: "5994471ABB01112AFCC18159F6CC74B4",
    agent: "copilot",
    model: null,
    input: 100,
    output: 200,
    microUsd: null,
  },
];

/** The line the Python emitter writes for one run (its `Event.to_dict()`, sorted keys). */
function emitterLine(run: Run, clock: number): string {
  return pythonLine({
    event_id: run.id,
    event_type: "ExecutionEvent",
    aggregate_id: FEATURE,
    lamport_clock: clock,
    node_id: "cli:WP01",
    causation_id: null,
    // datetime.now(timezone.utc).isoformat(): microseconds and +00:00.
    timestamp: `2026-02-16T09:12:${String(10 + clock).padStart(2, "0")}.0${clock}6834+00:00`,
    payload: {
      wp_id: "WP01",
      agent: run.agent,
      role: "implementer",
      model: run.model,
      input_tokens: run.input,
      output_tokens: run.output,
      cost_usd: run.microUsd === null ? null : run.microUsd / 1e6,
      duration_ms: 1000 + clock,
      success: true,
      error: null,
      exit_code: 0,
    },
  });
}

const LINES = RUNS.map((run, i) => emitterLine(run, i + 1));

Deno.test("the test log is byte for byte what json.dumps(sort_keys=True) writes", () => {
  assert.equal(
    LINES[0],
    '{"aggregate_id": "043-py", "causation_id": null, "event_id": "9f1c2b7a0d4e4f1ab3c5d6e7f8", ' +
      '"event_type": "ExecutionEvent", "lamport_clock": 1, "node_id": "cli:WP01", "payload": ' +
      '{"agent": "claude", "cost_usd": 0.42, "duration_ms": 1001, "error": null, "exit_code": 0, ' +
      '"input_tokens": 1200, "model": "claude-sonnet-4.5", "output_tokens": 340, ' +
      '"role": "implementer", "success": true, "wp_id": "WP01"}, ' +
      '"timestamp": "2026-02-16T09:12:11.016834+00:00"}',
  );
});

Deno.test("cost --json counts every event of a log with uuid-fallback and UUID ids", async () => {
  const root = await tempProject();
  const dir = join(root, "kitty-specs", FEATURE);
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(join(dir, "execution.events.jsonl"), LINES.join("\n") + "\n");
  const run = await cli(["cost", "--json", "--group-by", "agent,model", "--root", root]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(withoutNotes(run.stderr), "");
  const report = JSON.parse(run.stdout);
  assert.equal(report.skipped_lines, 0);

  // Expected, from the runs themselves: per (agent, model), sums of counts
  // and of reported money in integers of a millionth of a dollar.
  const expected = new Map<
    string,
    { events: number; input: number; output: number; micro: number }
  >();
  for (const r of RUNS) {
    // Models group by their pricing entry (Copilot's `claude-sonnet-4.5` is `claude-sonnet-4-5`).
    const model = r.model === null ? "(none)" : canonicalModel(defaultPricing(), r.model);
    const key = `${r.agent}/${model}`;
    const g = expected.get(key) ?? { events: 0, input: 0, output: 0, micro: 0 };
    g.events++;
    g.input += r.input ?? 0;
    g.output += r.output ?? 0;
    g.micro += r.microUsd ?? 0;
    expected.set(key, g);
  }
  const got = new Map<string, { events: number; input: number; output: number; micro: number }>();
  for (const g of report.groups) {
    got.set(g.group_key, {
      events: g.event_count,
      input: g.total_input_tokens,
      output: g.total_output_tokens,
      micro: Math.round(g.reported_cost_usd * 1e6),
    });
  }
  assert.deepEqual(
    Object.fromEntries([...got].sort()),
    Object.fromEntries([...expected].sort()),
  );
  assert.equal(report.total.event_count, RUNS.length);
  assert.equal(
    Math.round(report.total.reported_cost_usd * 1e6),
    RUNS.reduce((s, r) => s + (r.microUsd ?? 0), 0),
  );
});

Deno.test("uuid-fallback ids of any first character take the byte path", () => {
  const reader = new CanonicalReader();
  for (const [i, line] of LINES.entries()) {
    if (RUNS[i].id.length !== 26) continue;
    const chunk = new ByteChunk(new TextEncoder().encode(line + "\n"));
    assert.equal(reader.read(chunk, 0), LINE.EXECUTION, line);
    assert.equal(reader.view.aggregate_id, FEATURE);
  }
});

Deno.test("the real Python-written logs cost the same with uuid-fallback ids", async () => {
  const original = await referenceProject();
  const swapped = await referenceProject();
  let n = 0;
  for await (const feature of Deno.readDir(join(swapped, "kitty-specs"))) {
    const path = join(swapped, "kitty-specs", feature.name, "execution.events.jsonl");
    const text = await Deno.readTextFile(path);
    // Only the id's bytes change: what the emitter writes when python-ulid is missing.
    await Deno.writeTextFile(
      path,
      text.replace(/"event_id": "[0-9A-Z]{26}"/g, () => {
        n++;
        return `"event_id": "${(0xf0 + n).toString(16)}${"c0ffee".repeat(4)}"`;
      }),
    );
  }
  assert.equal(n, 10);
  const cost = async (root: string) => {
    const run = await cli(["cost", "--json", "--group-by", "feature,agent,model", "--root", root]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(withoutNotes(run.stderr), "");
    return JSON.parse(run.stdout);
  };
  const [before, after] = [await cost(original), await cost(swapped)];
  assert.equal(after.total.event_count, 10);
  assert.deepEqual(after, before);
});
