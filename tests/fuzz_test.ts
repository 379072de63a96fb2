/**
 * Fuzzing `emit --stdin` and the reader with random and mutated input.
 * Each run uses a fixed seed and a fresh random one, printed so a failure
 * can be replayed: KITTY_FUZZ_SEED=<seed> deno task test.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { prng } from "../bench/generate.ts";
import { decodeLine, encodeEvent } from "../src/event/line_codec.ts";
import { scanLog } from "../src/read/log_reader.ts";
import { cli, payload, readOrNull, tempProject } from "./helpers.ts";
import { sampleEvent } from "./store_contract.ts";

const CASES = 150 * Number(Deno.env.get("KITTY_STRESS") ?? "1");
const randomSeed = Number(Deno.env.get("KITTY_FUZZ_SEED") ?? Math.floor(Math.random() * 2 ** 31));
const SEEDS = [12345, randomSeed];
console.log(`fuzz seeds: ${SEEDS.join(", ")} (replay with KITTY_FUZZ_SEED=${randomSeed})`);

const FRAGMENTS = [
  "{",
  "}",
  "[",
  '"',
  "\\",
  ":",
  ",",
  "null",
  "-1",
  "1e400",
  "9007199254740993",
  "\u0000",
  "\ud800",
  "é",
  '"agent"',
  '"event_id":"x"',
  "\n",
  "\r",
  "NaN",
  "true",
];

function mutate(text: string, rand: () => number): string {
  const chars = [...text];
  const n = 1 + Math.floor(rand() * 4);
  for (let i = 0; i < n; i++) {
    const at = Math.floor(rand() * (chars.length + 1));
    const r = rand();
    if (r < 0.3) chars.splice(at, 1);
    else if (r < 0.7) chars.splice(at, 0, FRAGMENTS[Math.floor(rand() * FRAGMENTS.length)]);
    else chars[at] = String.fromCharCode(Math.floor(rand() * 0x3000));
  }
  return chars.join("");
}

for (const seed of SEEDS) {
  Deno.test(`emit --stdin never crashes and never half-writes (seed ${seed})`, async () => {
    const rand = prng(seed);
    const root = await tempProject();
    const log = join(root, "kitty-specs", "043-f", "execution.events.jsonl");
    for (let i = 0; i < CASES; i++) {
      const valid = JSON.stringify(payload({ input_tokens: i }));
      const lines = Array.from(
        { length: 1 + Math.floor(rand() * 3) },
        () => rand() < 0.5 ? valid : mutate(valid, rand),
      );
      const before = await readOrNull(log);
      const run = await cli(["emit", "--feature", "043-f", "--stdin", "--root", root], {
        stdin: lines.join("\n"),
        now: new Date(Date.UTC(2026, 0, 1) + i),
      });
      assert.ok(run.code === 0 || run.code === 2, `seed ${seed} case ${i}: exit ${run.code}`);
      if (run.code === 2) {
        assert.match(run.stderr, /^error: [^\n]+\n$/, `seed ${seed} case ${i}`);
        assert.equal(await readOrNull(log), before, `seed ${seed} case ${i}: log changed`);
      } else {
        const added = (await readOrNull(log))!.slice(before?.length ?? 0).trimEnd().split("\n");
        assert.ok(added.every((l) => decodeLine(l).ok), `seed ${seed} case ${i}: bad line`);
      }
    }
  });

  Deno.test(`the reader never throws on any file content (seed ${seed})`, async () => {
    const rand = prng(seed + 1);
    const dir = await tempProject();
    for (let i = 0; i < CASES; i++) {
      const parts: string[] = [];
      for (let j = 0; j < 1 + rand() * 5; j++) {
        const line = encodeEvent(sampleEvent());
        parts.push(rand() < 0.5 ? line : mutate(line, rand));
      }
      const bytes = new TextEncoder().encode(parts.join(rand() < 0.5 ? "\n" : "\r\n"));
      for (let k = 0; k < 3; k++) bytes[Math.floor(rand() * bytes.length)] = rand() * 256;
      const path = join(dir, `f${i}.jsonl`);
      await Deno.writeFile(path, bytes);
      let warnings = 0;
      for await (const event of scanLog(path, () => warnings++)) {
        assert.ok(decodeLine(encodeEvent(event)).ok);
      }
      assert.ok(warnings >= 0);
    }
  });
}
