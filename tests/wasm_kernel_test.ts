/**
 * The WebAssembly kernel: the committed module is what its source builds
 * to (rebuilt here with the pinned wabt; ignored, saying why, when npm
 * cannot be reached), and it finds exactly the newlines a byte loop finds,
 * on every shape of input (no newline, one-byte lines, both sides of the
 * 16-byte stride).
 */
import assert from "node:assert/strict";
import { newlineIndex } from "../src/read/wasm/newline_index.ts";
import { prng } from "../bench/generate.ts";

const build = await import("../scripts/build_wasm.ts");
// Probed at load: the test is ignored (not passed) when the compiler cannot be fetched.
const compiler = await build.assemble().then((built) => ({ built }), (e: Error) => ({ e }));
if ("e" in compiler) {
  console.log(`wasm rebuild test ignored: cannot load ${build.WABT}: ${compiler.e}`);
}

Deno.test({
  name: "the committed scan.wasm and scan_wasm.ts are what scan.wat builds to",
  ignore: !("built" in compiler),
  fn: async () => {
    const { wasm, module } = (compiler as { built: { wasm: Uint8Array; module: string } }).built;
    assert.deepEqual(await Deno.readFile(build.WASM), wasm, "run `deno task wasm`");
    assert.equal(await Deno.readTextFile(build.MODULE), module, "run `deno task wasm`");
  },
});

function newlinesByLoop(bytes: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x0a) out.push(i);
  return out;
}

Deno.test("the kernel finds every newline a byte loop finds, on every input shape", () => {
  const rand = prng(17);
  const shapes: Uint8Array[] = [
    new Uint8Array(0),
    new Uint8Array(100_000).fill(0x61), // no newline
    new Uint8Array(100_001).fill(0x0a), // one-byte lines
    new TextEncoder().encode("x\n".repeat(50_000)),
  ];
  for (let n = 0; n < 300; n++) {
    const bytes = new Uint8Array(Math.floor(rand() * 70));
    for (let i = 0; i < bytes.length; i++) bytes[i] = rand() < 0.2 ? 0x0a : 0x80 + (i & 0x7f);
    shapes.push(bytes);
  }
  let found = 0;
  for (const bytes of shapes) {
    const expected = newlinesByLoop(bytes);
    assert.deepEqual([...newlineIndex(bytes, bytes.length)], expected, `${bytes.length} bytes`);
    found += expected.length;
  }
  assert.ok(found > 150_000, `${found}`);
  // Only bytes before `end` count.
  const bytes = new TextEncoder().encode("a\nb\nc\n");
  assert.deepEqual([...newlineIndex(bytes, 3)], [1]);
});
