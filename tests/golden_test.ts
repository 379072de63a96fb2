/**
 * Golden outputs: `cost` in every format over 0, 1 and 100+ events, and the `--help` texts.
 * Each test compares the CLI's exact stdout with a file under tests/golden/.
 *
 * To (re)write the golden files after an intended output change, run
 *
 *   UPDATE_GOLDEN=1 deno test -A tests/golden_test.ts
 *
 * then read the diff (git diff tests/golden/) and check the numbers before committing.
 *
 * @module
 */
import { prng } from "../bench/generate.ts";
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, payload, tempProject } from "./helpers.ts";

const GOLDEN_DIR = join(import.meta.dirname!, "golden");
const UPDATE = Deno.env.get("UPDATE_GOLDEN") === "1";

/** Compares `actual` with the golden file `name`, or writes it when UPDATE_GOLDEN=1. */
async function golden(name: string, actual: string): Promise<void> {
  const path = join(GOLDEN_DIR, name);
  if (UPDATE) {
    await Deno.mkdir(GOLDEN_DIR, { recursive: true });
    await Deno.writeTextFile(path, actual);
    return;
  }
  let expected: string;
  try {
    expected = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new Error(`golden file ${name} is missing; run with UPDATE_GOLDEN=1 to create it`);
    }
    throw error;
  }
  assert.equal(actual, expected, `stdout differs from tests/golden/${name}`);
}

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

function eventLine(
  feature: string,
  clock: number,
  timestamp: string,
  fields: Record<string, unknown>,
): string {
  const n = clock.toString(32).toUpperCase().padStart(6, "0");
  const eventId = "01KJ" + "0".repeat(16) +
    [...n].map((c) => CROCKFORD[parseInt(c, 32)]).join("");
  return JSON.stringify({
    event_id: eventId,
    event_type: "ExecutionEvent",
    aggregate_id: feature,
    lamport_clock: clock,
    node_id: "golden",
    causation_id: null,
    timestamp,
    payload: payload(fields),
  });
}

async function writeLog(root: string, feature: string, lines: string[]): Promise<void> {
  const dir = join(root, "kitty-specs", feature);
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(
    join(dir, "execution.events.jsonl"),
    lines.map((l) => l + "\n").join(""),
  );
}

/** Agents and the models they report (null: no model reported). */
const AGENT_MODELS: Record<string, (string | null)[]> = {
  claude: ["claude-sonnet-4-5", "claude-opus-4-6", "claude-haiku-4-5"],
  codex: ["gpt-5-codex", "gpt-5.1-codex"],
  gemini: ["gemini-2.5-pro", "gemini-2.5-flash"],
  copilot: ["claude-sonnet-4.5"], // always reports its cost
  opencode: ["mystery-model-x", null], // never priced
};
const AGENTS = Object.keys(AGENT_MODELS);
const FEATURES = ["041-alpha", "043-telemetry-foundation", "048-lifecycle"];
const ROLES = ["implementer", "reviewer", "planner"];

/**
 * 120 execution events over three 04x features and 14 days, plus a feature 100-unrelated with
 * 5 events and one malformed line. Exported so the numbers can be checked by other means.
 */
export async function bigProject(): Promise<string> {
  const rand = prng(20260302);
  const pick = <T>(list: T[]): T => list[Math.floor(rand() * list.length)];
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const root = await tempProject();
  const logs: Record<string, string[]> = {};
  const start = Date.UTC(2026, 1, 10);
  for (let i = 1; i <= 125; i++) {
    const feature = i > 120 ? "100-unrelated" : pick(FEATURES);
    const agent = AGENTS[(i - 1) % AGENTS.length];
    const model = pick(AGENT_MODELS[agent]);
    const ms = start + int(0, 14 * 24 * 60 - 1) * 60_000 + int(0, 999);
    // every 7th event in the Python writer's timestamp layout, in a +05:30 offset
    const timestamp = i % 7 === 0
      ? new Date(ms + 5.5 * 3_600_000).toISOString().replace("Z", "000+05:30")
      : new Date(ms).toISOString();
    const cached = agent === "claude" || (agent === "codex" && rand() < 0.5);
    const fields: Record<string, unknown> = {
      wp_id: `WP0${int(1, 6)}`,
      agent,
      role: pick(ROLES),
      model,
      input_tokens: int(1_000, 120_000),
      output_tokens: int(100, 20_000),
      cache_read_tokens: cached ? int(0, 90_000) : null,
      cache_write_tokens: agent === "claude" ? int(0, 15_000) : null,
      cost_usd: agent === "copilot" ? int(0, 250_000) / 100_000 : null,
      duration_ms: int(1_000, 600_000),
      success: rand() >= 0.1,
    };
    if (i === 5) fields.cost_usd = 0; // reported as zero: still reported
    if (i === 11 || i === 26) {
      // long prompts: past claude-sonnet-4-5's 200k tier
      Object.assign(fields, {
        model: "claude-sonnet-4-5",
        input_tokens: 150_000,
        cache_read_tokens: 80_000,
      });
    }
    (logs[feature] ??= []).push(eventLine(feature, i, timestamp, fields));
  }
  logs["100-unrelated"].splice(2, 0, "{oops");
  for (const [feature, lines] of Object.entries(logs)) await writeLog(root, feature, lines);
  return root;
}

async function emptyProject(): Promise<string> {
  const root = await tempProject();
  await writeLog(root, "043-telemetry-foundation", []);
  return root;
}

async function oneEventProject(): Promise<string> {
  const root = await tempProject();
  await writeLog(root, "043-telemetry-foundation", [
    eventLine("043-telemetry-foundation", 1, "2026-02-16T09:12:58.036834+00:00", {
      wp_id: "WP04",
      input_tokens: 12_000,
      output_tokens: 3_400,
      duration_ms: 81_234,
    }),
  ]);
  return root;
}

// Every golden file ends in .txt so that `deno fmt` leaves the JSON and markdown untouched.
const FORMATS: [string, string][] = [
  ["table", "table.txt"],
  ["json", "json.txt"],
  ["csv", "csv.txt"],
  ["markdown", "md.txt"],
];

const CASES: {
  name: string;
  project: () => Promise<string>;
  args: string[];
  stderr: RegExp;
}[] = [
  { name: "cost_empty", project: emptyProject, args: [], stderr: /^$/ },
  { name: "cost_one", project: oneEventProject, args: [], stderr: /^$/ },
  {
    name: "cost_big_agent_model",
    project: bigProject,
    args: ["--group-by", "agent,model"],
    stderr:
      /^warning: .*100-unrelated\/execution\.events\.jsonl:3: skipped malformed line: invalid JSON \(.*\)\nnote: 24 event\(s\) have no reported cost and no price \(models: \(none\), mystery-model-x\).*; record the model with --model \(some events name none\)\n$/,
  },
  {
    name: "cost_big_day",
    project: bigProject,
    args: ["--group-by", "day", "--feature", "04*"],
    stderr:
      /^note: 23 event\(s\) have no reported cost and no price \(models: \(none\), mystery-model-x\)[^\n]*\n$/,
  },
];

for (const c of CASES) {
  for (const [format, ext] of FORMATS) {
    Deno.test(`cost ${c.args.join(" ")} --format ${format} matches golden ${c.name}.${ext}`, async () => {
      const root = await c.project();
      const run = await cli(["cost", "--root", root, ...c.args, "--format", format]);
      assert.equal(run.code, 0, run.stderr);
      // The table names its price data on stderr before the notes; other formats in their data.
      const prices = /^((?:warning: [^\n]*\n)*)prices: @pydantic\/genai-prices [^\n]*\n/;
      assert.equal(prices.test(run.stderr), format === "table" && c.name !== "cost_empty");
      assert.match(run.stderr.replace(prices, "$1"), c.stderr);
      await golden(`${c.name}.${ext}`, run.stdout);
    });
  }
}

Deno.test("cost --json equals cost --format json", async () => {
  const root = await oneEventProject();
  const a = await cli(["cost", "--root", root, "--json"]);
  const b = await cli(["cost", "--root", root, "--format", "json"]);
  assert.deepEqual(a, b);
  await golden("cost_one.json.txt", a.stdout);
});

Deno.test("top-level --help matches golden help.txt", async () => {
  const run = await cli(["--help"]);
  assert.equal(run.code, 0);
  assert.equal(run.stderr, "");
  await golden("help.txt", run.stdout);
  assert.deepEqual(await cli(["-h"]), run);
});

Deno.test("cost --help matches golden cost_help.txt", async () => {
  const run = await cli(["cost", "--help"]);
  assert.equal(run.code, 0);
  assert.equal(run.stderr, "");
  await golden("cost_help.txt", run.stdout);
  assert.deepEqual(await cli(["cost", "-h"]), run);
});
