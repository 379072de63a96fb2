/**
 * Writes the bundled demo's generated features (examples/demo/kitty-specs/
 * 044-… to 056-…): a few months of runs by several agents and models, with
 * failures, cache reads, reported and estimated costs and one unpriced
 * model, so that every section of `kitty-telemetry report` has data.
 * Deterministic (a seeded generator, fixed ids): running it again writes
 * the same bytes. The hand-written features (043-…, 051-…) are left as
 * they are.
 *
 * Usage: `deno run --allow-write=examples/demo scripts/demo_events.ts`
 *
 * @module
 */
import { encodeEvent } from "../src/event/line_codec.ts";
import { formatClockText } from "../src/clock/clock_file.ts";
import { ulidFactory } from "../src/event/ulid.ts";
import type { Event } from "../src/event/envelope.ts";

const ROOT = new URL("../examples/demo/kitty-specs/", import.meta.url);

/** Each generated feature: slug, first day, days of work, work packages. */
const FEATURES = [
  { slug: "044-usage-dashboard", start: "2026-03-09", days: 12, wps: 4 },
  { slug: "047-auth-hardening", start: "2026-05-18", days: 9, wps: 3 },
  { slug: "049-search-indexer", start: "2026-08-03", days: 16, wps: 5 },
  { slug: "053-billing-export", start: "2026-10-12", days: 14, wps: 4 },
  { slug: "056-mobile-sync", start: "2026-11-09", days: 12, wps: 5 },
] as const;

/** Who does what: agent, model, role, and whether the agent reports its own cost. */
const CREW = [
  { agent: "claude", model: "claude-opus-4-6", role: "specifier", reports: false },
  { agent: "claude", model: "claude-opus-4-6", role: "planner", reports: false },
  { agent: "claude", model: "claude-sonnet-4-5", role: "implementer", reports: false },
  { agent: "copilot", model: "claude-sonnet-4.5", role: "implementer", reports: true },
  { agent: "codex", model: "gpt-5-codex", role: "implementer", reports: false },
  { agent: "codex", model: "gpt-5-codex", role: "reviewer", reports: false },
  { agent: "gemini", model: "gemini-2.5-pro", role: "reviewer", reports: false },
  { agent: "opencode", model: "local-qwen-coder", role: "implementer", reports: false },
] as const;

const ERRORS = ["tests failed after 3 attempts", "timed out", "merge conflict in generated code"];

/** mulberry32: a small seeded generator, so the demo is the same everywhere. */
function seeded(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rand = seeded(16);
const between = (lo: number, hi: number) => Math.round(lo + (hi - lo) * rand());
const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)];

function runsOf(feature: typeof FEATURES[number]): Event[] {
  const runs: { time: number; crew: typeof CREW[number]; wp: string }[] = [];
  const start = Date.parse(`${feature.start}T08:00:00Z`);
  const at = (day: number) => start + day * 86_400_000 + between(0, 10 * 3_600_000);
  runs.push({ time: at(0), crew: CREW[0], wp: "WP01" });
  runs.push({ time: at(1), crew: CREW[1], wp: "WP01" });
  for (let w = 1; w <= feature.wps; w++) {
    const wp = `WP${String(w).padStart(2, "0")}`;
    const attempts = between(3, 7);
    for (let i = 0; i < attempts; i++) {
      const crew = rand() < 0.05
        ? CREW[7]
        : pick([CREW[2], CREW[2], CREW[3], CREW[4], CREW[5], CREW[6]]);
      runs.push({ time: at(between(1, feature.days - 1)), crew, wp });
    }
  }
  runs.sort((a, b) => a.time - b.time);
  const nextId = ulidFactory({
    now: () => runs[0].time,
    random: (bytes) => bytes.map(() => between(0, 255)),
  });
  return runs.map(({ time, crew, wp }, i): Event => {
    const failed = rand() < 0.14;
    const big = crew.role === "implementer";
    const input = between(big ? 8_000 : 4_000, big ? 140_000 : 60_000);
    const output = between(big ? 6_000 : 2_000, big ? 48_000 : 12_000);
    const cached = crew.agent === "claude" || crew.agent === "codex" || crew.agent === "gemini";
    const cacheRead = cached ? between(40_000, big ? 2_400_000 : 600_000) : null;
    const cacheWrite = crew.agent === "claude" ? between(10_000, 120_000) : null;
    const cost = crew.reports ? between(40, 260) / 100 : null;
    return {
      event_id: nextId(),
      event_type: "ExecutionEvent",
      aggregate_id: feature.slug,
      lamport_clock: i + 1,
      node_id: crew.agent === "copilot" ? "ci-runner" : "demo-laptop",
      causation_id: null,
      timestamp: new Date(time).toISOString(),
      payload: {
        wp_id: wp,
        agent: crew.agent,
        role: crew.role,
        model: crew.model,
        input_tokens: input,
        output_tokens: output,
        cache_read_tokens: cacheRead,
        cache_write_tokens: cacheWrite,
        reasoning_tokens: crew.agent === "codex" ? between(500, 6_000) : null,
        cost_usd: cost,
        duration_ms: between(big ? 120_000 : 40_000, big ? 1_500_000 : 420_000),
        success: !failed,
        error: failed ? pick(ERRORS) : null,
        exit_code: failed ? 1 : 0,
      },
    };
  });
}

for (const feature of FEATURES) {
  const events = runsOf(feature);
  const dir = new URL(`${feature.slug}/`, ROOT);
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(
    new URL("execution.events.jsonl", dir),
    events.map((e) => encodeEvent(e)).join("\n") + "\n",
  );
  // Lamport clocks run over the feature's whole log: each node has seen them all.
  const clock: Record<string, number> = {};
  for (const e of events) clock[e.node_id] = events.length;
  await Deno.writeTextFile(new URL(".telemetry-clock.json", dir), formatClockText(clock));
  console.log(`${feature.slug}: ${events.length} events`);
}
