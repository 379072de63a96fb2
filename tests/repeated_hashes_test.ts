/**
 * `repeatedHashes` in WebAssembly (`src/event/repeated.wat`): the committed
 * module is what its source builds to (rebuilt with the pinned wabt;
 * ignored, saying why, when npm cannot be reached), and its answer is a
 * plain count's (a Map of every hash) on lists of every shape: none, empty,
 * one, many; sizes around the window's 8192 and past the counters' smallest
 * table; planted repeats within and across lists, three and more copies,
 * every hash the same, clustered small integers, the extremes 0, 2^52 - 1
 * and 2^53 - 1, and values that are no hash (never reported).
 */
import assert from "node:assert/strict";
import { prng } from "../bench/generate.ts";
import { repeatedHashes } from "../src/event/repeated_hashes.ts";

const build = await import("../scripts/build_wasm.ts");
const compiler = await build.assemble(build.REPEATED).then(
  (built) => ({ built }),
  (e: Error) => ({ e }),
);
if ("e" in compiler) {
  console.log(`repeated wasm rebuild test ignored: cannot load wabt: ${compiler.e}`);
}

Deno.test({
  name: "the committed repeated.wasm and repeated_wasm.ts are what repeated.wat builds to",
  ignore: !("built" in compiler),
  fn: async () => {
    const { wasm, module } = (compiler as { built: { wasm: Uint8Array; module: string } }).built;
    assert.deepEqual(await Deno.readFile(build.REPEATED.wasm), wasm, "run `deno task wasm`");
    assert.equal(await Deno.readTextFile(build.REPEATED.module), module, "run `deno task wasm`");
  },
});

/** The answer by the plain count: each value met more than once, ascending. */
function counted(lists: readonly Float64Array[]): number[] {
  const counts = new Map<number, number>();
  for (const list of lists) for (const h of list) counts.set(h, (counts.get(h) ?? 0) + 1);
  return [...counts].filter(([h, n]) => n > 1 && h >= 0 && Number.isFinite(h)).map(([h]) => h)
    .sort((a, b) => a - b);
}

/** Lists of random 52-bit hashes of the given lengths, with `planted` copies among them. */
function randomLists(seed: number, lengths: number[], planted: number): Float64Array[] {
  const rand = prng(seed);
  const hash = () => Math.floor(rand() * 2 ** 26) * 2 ** 26 + Math.floor(rand() * 2 ** 26);
  const lists = lengths.map((n) => Float64Array.from({ length: n }, hash));
  const filled = lists.filter((l) => l.length > 0);
  for (let k = 0; k < planted && filled.length > 0; k++) {
    const from = filled[Math.floor(rand() * filled.length)];
    const to = filled[Math.floor(rand() * filled.length)];
    to[Math.floor(rand() * to.length)] = from[Math.floor(rand() * from.length)];
  }
  return lists;
}

Deno.test("repeatedHashes is the plain count's answer on random lists with planted repeats", () => {
  const shapes: [number[], number][] = [
    [[], 0],
    [[0], 0],
    [[0, 0, 0], 0],
    [[1], 0],
    [[2], 1],
    [[5, 0, 7], 4],
    [[100], 30],
    [[8191, 8192, 8193], 200],
    [[8192], 8192],
    [[1, 20_000, 0, 3], 500],
    [[150_000, 150_000], 1000],
    [Array.from({ length: 40 }, (_, i) => 997 * i), 300],
  ];
  let planted = 0;
  for (const [i, [lengths, copies]] of shapes.entries()) {
    const lists = randomLists(100 + i, lengths, copies);
    const expected = counted(lists);
    planted += expected.length;
    assert.deepEqual([...repeatedHashes(lists)], expected, `lengths ${lengths}`);
  }
  // The planted copies are found (most lists have some).
  assert.ok(planted > 1500, `${planted}`);
});

Deno.test("repeatedHashes: three and more copies once; every hash the same; small integers", () => {
  assert.deepEqual([...repeatedHashes([Float64Array.of(7, 7, 7), Float64Array.of(7, 8)])], [7]);
  // All in one bucket: every hash kept, the table past the counters.
  const same = Array.from({ length: 3 }, () => new Float64Array(50_000).fill(2 ** 40 + 3));
  assert.deepEqual([...repeatedHashes(same)], [2 ** 40 + 3]);
  // Clustered values: 0..29999 twice over, plus some once.
  const small = [
    Float64Array.from({ length: 30_000 }, (_, i) => i),
    Float64Array.from({ length: 40_000 }, (_, i) => 39_999 - i),
  ];
  assert.deepEqual([...repeatedHashes(small)], counted(small));
  assert.equal(repeatedHashes(small).length, 30_000);
});

Deno.test("repeatedHashes: 0, 2^52 - 1 and 2^53 - 1 are hashes; NaN, negatives, Infinity never repeat", () => {
  const edge = [0, 2 ** 52 - 1, 2 ** 53 - 1, 1, 2 ** 52];
  const lists = [Float64Array.from(edge), Float64Array.from(edge.slice(0, 3)), Float64Array.of(0)];
  assert.deepEqual([...repeatedHashes(lists)], [0, 2 ** 52 - 1, 2 ** 53 - 1]);
  const junk = Float64Array.of(NaN, NaN, -1, -1, Infinity, Infinity, -Infinity, -Infinity, 5, 5);
  assert.deepEqual([...repeatedHashes([junk, junk])], [5]);
  // One list: repeats within it.
  assert.deepEqual([...repeatedHashes([Float64Array.of(9, 3, 9, 4, 3)])], [3, 9]);
  assert.deepEqual([...repeatedHashes([])], []);
  assert.deepEqual([...repeatedHashes([new Float64Array(0), new Float64Array(0)])], []);
});
