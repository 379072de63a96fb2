/**
 * Random projects for the wasm item writer's tests (`otlp_wasm_items_test.ts`):
 * events with oddities on a few lines each.
 */
import { join } from "node:path";
import { prng, pythonLine } from "../../bench/generate.ts";
import { encodeEvent } from "../../src/event/line_encode.ts";
import type { Event } from "../../src/event/envelope.ts";
import { ulidFactory } from "../../src/event/ulid.ts";
import { MAX_NAME_LENGTH } from "../../src/event/text_rules.ts";
import { payload, tempProject } from "../helpers.ts";

export const FEATURE = "044-wasm";
const ODD = [
  'quo"te',
  "back\\slash",
  "tab\tand\u0001",
  "sep\u2028x",
  "é-ü 😀",
  "ñ".repeat(MAX_NAME_LENGTH - 1),
  "",
];

/** A random execution event (its id from `id`, or a copy's). */
export function randomEvent(rand: () => number, i: number, id: string): Event {
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)];
  // Oddities on a few lines each, so that most lines still go the wasm way.
  const rare = <T>(odd: readonly T[], plain: readonly T[]) => pick(rand() < 0.04 ? odd : plain);
  const name = () => rare(ODD, ["claude", "codex", "gemini", `n-${i % 300}`]);
  const count = () =>
    rare([Number.MAX_SAFE_INTEGER, 123_456_789_012], [null, 0, 1, 99, Math.floor(rand() * 1e9)]);
  // o3's prices changed on 2025-06-10: events on both sides.
  const ms = Date.UTC(2025, 0, 1) + Math.floor(rand() * 500) * 86_400_000 +
    Math.floor(rand() * 1e7);
  const iso = new Date(ms).toISOString();
  const success = pick([true, true, true, false, null]);
  return {
    event_id: rand() < 0.1 ? id.toLowerCase() : id,
    event_type: "ExecutionEvent",
    aggregate_id: FEATURE,
    lamport_clock: pick([i + 1, 2 ** 40 + i]),
    node_id: rare(ODD, ["n1", "node-2"]),
    causation_id: null,
    timestamp: pick([iso, iso.replace("Z", "+00:00"), iso.replace(/\.\d+Z$/, ".123456+02:00")]),
    payload: payload({
      wp_id: name(),
      agent: rand() < 0.02 ? null : name(),
      role: name(),
      model: rare(ODD, [null, "claude-sonnet-4-5", "o3", "gpt-5", "mystery-model"]),
      input_tokens: count(),
      output_tokens: count(),
      cache_read_tokens: count(),
      cache_write_tokens: count(),
      reasoning_tokens: count(),
      cost_usd: rare([1e-7, 123.4567891, 5e-7], [null, null, null, 0, 64.41, 0.1 + i / 1000]),
      duration_ms: rare([999_999_999_999, 1_000_000_000_000_000], [null, 0, 37 * i]),
      success,
      // Free text, or a null exit code, sends a line the decoding way.
      error: success === false && rand() < 0.15 ? pick(["boom", 'bad "x"']) : null,
      exit_code: success === false ? rare([null], [0, 3, -1]) : 0,
    }),
  };
}

/** A project of random events: copies of some ids (the same line, or a conflicting one), a few Python lines. */
export async function randomProject(seed: number, count: number): Promise<string> {
  const rand = prng(seed);
  const root = await tempProject();
  const dir = join(root, "kitty-specs", FEATURE);
  await Deno.mkdir(dir, { recursive: true });
  const ids = ulidFactory({ now: () => 1_767_225_600_000, random: (b) => b.fill(7) });
  const lines: string[] = [];
  let last: Event | undefined;
  for (let i = 0; i < count; i++) {
    const copy = last !== undefined && rand() < 0.03;
    const event = copy && rand() < 0.5
      ? last!
      : randomEvent(rand, i, copy ? last!.event_id : ids());
    lines.push(rand() < 0.05 ? pythonLine(event) : encodeEvent(event));
    last = event;
  }
  await Deno.writeTextFile(join(dir, "execution.events.jsonl"), lines.join("\n") + "\n");
  return root;
}
