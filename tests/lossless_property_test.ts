/**
 * Property test of repair and the merge driver over random logs with random
 * damage (torn lines anywhere, exact repeats, one id with other content,
 * invalid UTF-8, over-long lines, NUL runs, conflict markers, lines that are
 * not events, clocks over the ceiling): repair loses no line (the multiset
 * of the old log's lines is the new log's plus the quarantine's), and every
 * line of either merge side is in %A (events by id, others byte for byte).
 * Seeded; replay with KITTY_SEED=<seed>. `deno task stress` runs more cases.
 */
import assert from "node:assert/strict";
import { prng } from "../bench/generate.ts";
import { encodeEvent } from "../src/event/line_codec.ts";
import { ProjectLayout } from "../src/store/project_layout.ts";
import { repairFeature } from "../src/store/repair.ts";
import { classifyLine } from "../src/store/line_kind.ts";
import { mergeLogs } from "../src/merge/merge_logs.ts";
import { sampleEvent } from "./store_contract.ts";

const SCALE = Number(Deno.env.get("KITTY_STRESS") ?? "1");
const CASES = 40 * SCALE;
const seed = Number(Deno.env.get("KITTY_SEED") ?? Math.floor(Math.random() * 2 ** 31));
console.log(`lossless property seed: ${seed} (replay with KITTY_SEED=${seed})`);

const enc = new TextEncoder();
type Rand = () => number;
const pick = <T>(r: Rand, items: readonly T[]): T => items[Math.floor(r() * items.length)];

/** A random damaged log as a list of lines (bytes without `\n`) and whether the last is torn. */
function randomLog(r: Rand, pool: Uint8Array[]): { lines: Uint8Array[]; torn: boolean } {
  const lines: Uint8Array[] = [];
  const n = Math.floor(r() * 12);
  for (let i = 0; i < n; i++) {
    const roll = r();
    if (roll < 0.35 || pool.length === 0) {
      const e = sampleEvent({
        aggregate_id: "043-p",
        node_id: pick(r, ["a", "b", "constructor"]),
        lamport_clock: 1 + Math.floor(r() * 50),
      });
      const bytes = enc.encode(encodeEvent(e));
      pool.push(bytes);
      lines.push(bytes);
    } else if (roll < 0.5) lines.push(pick(r, pool)); // an exact repeat, maybe from another side
    else if (roll < 0.55) {
      // The same id, other content.
      const base = new TextDecoder().decode(pick(r, pool));
      lines.push(enc.encode(base.replace('"agent":"', `"agent":"x${Math.floor(r() * 9)}`)));
    } else if (roll < 0.62) lines.push(pick(r, pool).subarray(0, Math.floor(r() * 40))); // torn mid-file
    else if (roll < 0.67) lines.push(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])); // invalid UTF-8
    else if (roll < 0.72) lines.push(new Uint8Array(1 + Math.floor(r() * 8))); // NULs (power loss)
    else if (roll < 0.77) lines.push(enc.encode(pick(r, ["<<<<<<< HEAD", "=======", ">>>>>>> x"])));
    else if (roll < 0.82) {
      // Over the 64 KiB tail window (and, under stress, over the 16 MiB line limit).
      const size = SCALE > 1 && r() < 0.02 ? 17 * 1024 * 1024 : 70 * 1024;
      const e = sampleEvent({ aggregate_id: "043-p", node_id: "big", lamport_clock: 1 });
      const text = encodeEvent(e).slice(0, -1) + `,"x_pad":"${"p".repeat(size)}"}`;
      lines.push(enc.encode(text));
    } else if (roll < 0.87) {
      const e = sampleEvent({ aggregate_id: "043-p", node_id: "evil", lamport_clock: 2 ** 53 - 1 });
      lines.push(enc.encode(encodeEvent(e)));
    } else if (roll < 0.92) lines.push(enc.encode('{"input_tokens":-1}'));
    else if (roll < 0.95) lines.push(enc.encode(""));
    else lines.push(enc.encode("  \r"));
  }
  return { lines, torn: lines.length > 0 && r() < 0.3 };
}

function toBytes(log: { lines: Uint8Array[]; torn: boolean }): Uint8Array {
  const parts = log.lines.flatMap((l, i) =>
    i === log.lines.length - 1 && log.torn ? [l] : [l, new Uint8Array([0x0a])]
  );
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Each line of some bytes as a Latin-1 string (one char per byte), the torn one too. */
function lineKeys(bytes: Uint8Array): string[] {
  const keys: string[] = [];
  let from = 0;
  while (from < bytes.length) {
    let nl = bytes.indexOf(0x0a, from);
    if (nl === -1) nl = bytes.length;
    keys.push(latin1(bytes.subarray(from, nl)));
    from = nl + 1;
  }
  return keys;
}

function latin1(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 8192) {
    s += String.fromCharCode(...bytes.subarray(i, i + 8192));
  }
  return s;
}

Deno.test(`repair never loses a line (${CASES} random logs)`, async () => {
  const r = prng(seed);
  const layout = new ProjectLayout(await Deno.makeTempDir({ prefix: "kitty-prop-" }));
  for (let c = 0; c < CASES; c++) {
    const feature = `043-p${c}`;
    await Deno.mkdir(layout.featureDir(feature), { recursive: true });
    const original = toBytes(randomLog(r, []));
    await Deno.writeFile(layout.logPath(feature), original);
    const q = r();
    const quarantine = q < 0.3 ? "all" : q < 0.6 ? new Set([1, 2, 3, 5, 8]) : undefined;
    const result = await repairFeature(layout, feature, new Date(0), { quarantine });
    const after = lineKeys(await Deno.readFile(layout.logPath(feature)));
    const moved = result.quarantine ? lineKeys(await Deno.readFile(result.quarantine)) : [];
    const context = `seed ${seed}, case ${c}`;
    assert.deepEqual([...after, ...moved].sort(), lineKeys(original).sort(), context);
    // Every event line stays in the log, once at least.
    for (const key of lineKeys(original)) {
      const bytes = Uint8Array.from(key, (ch) => ch.charCodeAt(0));
      if (classifyLine(bytes).kind === "event") assert.ok(after.includes(key), context);
    }
  }
});

Deno.test(`the merge driver keeps every line of both sides (${CASES} random merges)`, () => {
  const r = prng(seed + 1);
  for (let c = 0; c < CASES; c++) {
    const pool: Uint8Array[] = [];
    const [base, ours, theirs] = [0, 1, 2].map(() => toBytes(randomLog(r, pool)));
    const merged = mergeLogs({
      base: { label: "base", text: "", bytes: base },
      sides: [{ label: "ours", text: "", bytes: ours }, {
        label: "theirs",
        text: "",
        bytes: theirs,
      }],
    });
    const result = lineKeys(merged.bytes);
    const resultIds = new Set<string>();
    for (const key of result) {
      const kind = classifyLine(Uint8Array.from(key, (ch) => ch.charCodeAt(0)));
      if (kind.kind === "event") resultIds.add(kind.event.event_id);
    }
    const context = `seed ${seed + 1}, case ${c}`;
    for (const side of [ours, theirs]) {
      for (const key of lineKeys(side)) {
        const kind = classifyLine(Uint8Array.from(key, (ch) => ch.charCodeAt(0)));
        if (kind.kind === "blank") continue;
        if (kind.kind === "event") assert.ok(resultIds.has(kind.event.event_id), context);
        else assert.ok(result.includes(key), `${context}: ${JSON.stringify(key.slice(0, 80))}`);
      }
    }
  }
});
