/**
 * Deterministic benchmark data: a project with N events over 5 features,
 * 80% execution events, 95% of lines in the tool's layout and 5% in the
 * Python writer's. Same seed and size, same bytes.
 *
 * Usage: deno run --allow-write bench/generate.ts DIR EVENTS [SEED]
 */
import { join } from "node:path";
import { encodeEvent } from "../src/event/line_codec.ts";
import type { Event } from "../src/event/envelope.ts";

const AGENTS = ["claude", "codex", "gemini", "opencode"];
const MODELS = ["claude-sonnet-4-5", "claude-opus-4-6", "gpt-5-codex", "gemini-2.5-pro", null];
const ROLES = ["implementer", "reviewer", "planner", "specifier", "merger"];
const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** One valid execution event in the tool's layout (the benches edit copies of it). */
export const SAMPLE_EVENT: Event = {
  event_id: "01KHJVJWDM0HGAGYGXJYKD1JQG",
  event_type: "ExecutionEvent",
  aggregate_id: "041-feature-1",
  lamport_clock: 1,
  node_id: "bench",
  causation_id: null,
  timestamp: "2026-02-16T09:12:58.036Z",
  payload: {
    wp_id: "WP01",
    agent: "claude",
    role: "implementer",
    model: "claude-sonnet-4-5",
    input_tokens: 1200,
    output_tokens: 300,
    cache_read_tokens: null,
    cache_write_tokens: null,
    cache_write_1h_tokens: null,
    reasoning_tokens: null,
    cost_usd: null,
    duration_ms: 5000,
    success: true,
    error: null,
    exit_code: 0,
  },
};

/** A small seeded PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The Python writer's layout: sorted keys, ", " and ": " separators, ASCII only. */
export function pythonLine(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(pythonLine).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.keys(value).sort().map((k) =>
      `${pythonLine(k)}: ${pythonLine((value as Record<string, unknown>)[k])}`
    );
    return `{${entries.join(", ")}}`;
  }
  return JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** Writes the project; returns the total bytes written. */
export async function generate(dir: string, events: number, seed = 42): Promise<number> {
  const rand = prng(seed);
  const pick = <T>(list: T[]) => list[Math.floor(rand() * list.length)];
  const features = [1, 2, 3, 4, 5].map((i) => `0${40 + i}-feature-${i}`);
  const encoder = new TextEncoder();
  const files = await Promise.all(features.map(async (f) => {
    await Deno.mkdir(join(dir, "kitty-specs", f), { recursive: true });
    return await Deno.open(join(dir, "kitty-specs", f, "execution.events.jsonl"), {
      write: true,
      create: true,
      truncate: true,
    });
  }));
  const buffers: string[][] = features.map(() => []);
  let bytes = 0;
  const start = Date.UTC(2026, 0, 1);
  for (let i = 0; i < events; i++) {
    const f = Math.floor(rand() * features.length);
    const execution = rand() < 0.8;
    const id = (start + i).toString(32).toUpperCase().padStart(10, "0").slice(-10) +
      Array.from({ length: 16 }, () => CROCKFORD[Math.floor(rand() * 32)]).join("");
    const event: Event = {
      event_id: id.replace(/[ILOU]/g, "X"),
      event_type: execution ? "ExecutionEvent" : "PhaseCompleted",
      aggregate_id: features[f],
      lamport_clock: i + 1,
      node_id: `node-${i % 3}`,
      causation_id: null,
      timestamp: new Date(start + i * 60_000).toISOString(),
      payload: execution
        ? {
          wp_id: `WP${String(1 + Math.floor(rand() * 12)).padStart(2, "0")}`,
          agent: pick(AGENTS),
          role: pick(ROLES),
          model: pick(MODELS),
          input_tokens: Math.floor(rand() * 200_000),
          output_tokens: Math.floor(rand() * 20_000),
          cache_read_tokens: Math.floor(rand() * 500_000),
          cache_write_tokens: Math.floor(rand() * 50_000),
          reasoning_tokens: null,
          cost_usd: rand() < 0.3 ? Math.round(rand() * 1e6) / 1e4 : null,
          duration_ms: Math.floor(rand() * 600_000),
          success: rand() < 0.9,
          error: null,
          exit_code: 0,
        }
        : { phase: pick(["plan", "implement", "review"]), note: "résumé of the phase" },
    };
    const line = (rand() < 0.05 ? pythonLine(event) : encodeEvent(event)) + "\n";
    bytes += encoder.encode(line).length;
    buffers[f].push(line);
    if (buffers[f].length >= 5000) {
      await files[f].write(encoder.encode(buffers[f].join("")));
      buffers[f] = [];
    }
  }
  for (let f = 0; f < features.length; f++) {
    await files[f].write(encoder.encode(buffers[f].join("")));
    files[f].close();
  }
  return bytes;
}

if (import.meta.main) {
  const [dir, count, seed] = Deno.args;
  if (!dir || !count) {
    console.error("usage: generate.ts DIR EVENTS [SEED]");
    Deno.exit(2);
  }
  const bytes = await generate(dir, Number(count), Number(seed ?? 42));
  console.error(`wrote ${count} events, ${(bytes / 1e6).toFixed(1)} MB, to ${dir}`);
}
