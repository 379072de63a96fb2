/**
 * The WebAssembly kernel: the committed module is what its source builds
 * to (rebuilt here with the pinned wabt; ignored, saying why, when npm
 * cannot be reached), and it finds exactly the newlines a byte loop finds,
 * on every shape of input (no newline, one-byte lines, both sides of the
 * 16-byte stride).
 */
import assert from "node:assert/strict";
import { newlineIndex } from "../src/read/wasm/scan_kernel.ts";
import { prng } from "../bench/generate.ts";
import { logInOrder } from "../src/read/log_order.ts";
import { compareEvents } from "../src/event/order.ts";

const build = await import("../scripts/build_wasm.ts");
// Probed at load: the test is ignored (not passed) when the compiler cannot be fetched.
const compiler = await build.assemble(build.SCAN).then(
  (built) => ({ built }),
  (e: Error) => ({ e }),
);
if ("e" in compiler) {
  console.log(`wasm rebuild test ignored: cannot load ${build.WABT}: ${compiler.e}`);
}

Deno.test({
  name: "the committed scan.wasm and scan_wasm.ts are what the scan/*.wat parts build to",
  ignore: !("built" in compiler),
  fn: async () => {
    const { wasm, module } = (compiler as { built: { wasm: Uint8Array; module: string } }).built;
    assert.deepEqual(await Deno.readFile(build.SCAN.wasm), wasm, "run `deno task wasm`");
    assert.equal(await Deno.readTextFile(build.SCAN.module), module, "run `deno task wasm`");
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

/** The order check by `JSON.parse` of every line: the reference. */
function inOrderByParse(lines: string[]): boolean {
  let previous: { lamport_clock: number; node_id: string; event_id: string } | undefined;
  for (const line of lines) {
    let v: Record<string, unknown>;
    try {
      v = JSON.parse(line);
    } catch {
      continue;
    }
    if (typeof v !== "object" || v === null) continue;
    const { lamport_clock, node_id, event_id } = v;
    if (
      typeof lamport_clock !== "number" || typeof node_id !== "string" ||
      typeof event_id !== "string"
    ) continue;
    const current = { lamport_clock, node_id, event_id };
    if (previous && compareEvents(previous, current) > 0) return false;
    previous = current;
  }
  return true;
}

Deno.test("the order check through the kernel answers as JSON.parse of every line does", async () => {
  const rand = prng(23);
  const pick = <T>(list: T[]) => list[Math.floor(rand() * list.length)];
  const dir = await Deno.makeTempDir();
  const answers = [0, 0];
  for (let log = 0; log < 300; log++) {
    const lines: string[] = [];
    let clock = 0;
    for (let i = 0; i < 1 + Math.floor(rand() * 12); i++) {
      clock += pick([0, 0, 1, 5, -1]);
      const id = pick(["01KHJVJWDM0HGAGYGXJYKD1JQG", "01KHJVJWDM0HGAGYGXJYKD1JQH", "zz"]);
      let line = `{"event_id":"${id}","event_type":"Note","aggregate_id":"043-x",` +
        `"lamport_clock":${Math.max(clock, 0)},"node_id":"${pick(["a", "b", "é"])}",` +
        `"causation_id":null,"payload":{"k":1}}`;
      const r = rand();
      if (r < 0.1) line = line.replace(/}}$/, `},"lamport_clock":${pick([0, 99])}}`);
      else if (r < 0.15) line = line.replace(/}}$/, `},"node_id":"0"}`);
      else if (r < 0.2) line = line.replace('"lamport_clock":', '"lamport_clock": ');
      else if (r < 0.25) line = "not json";
      else if (r < 0.3) {
        line = line.replace('"payload":{"k":1}', '"payload":{"note":"\\"event_id\\""}');
      } else if (r < 0.35) line = line.replace(/"lamport_clock":\d+/, '"lamport_clock":01');
      lines.push(line);
    }
    const path = `${dir}/${log}.jsonl`;
    await Deno.writeTextFile(path, lines.join(pick(["\n", "\r\n"])) + pick(["\n", ""]));
    const expected = inOrderByParse(lines);
    answers[expected ? 1 : 0]++;
    assert.equal(await logInOrder(path, { kernel: true }), expected, lines.join("\n"));
    assert.equal(await logInOrder(path, { kernel: false }), expected, lines.join("\n"));
  }
  assert.ok(answers[0] > 50 && answers[1] > 50, `${answers}`);
  await Deno.remove(dir, { recursive: true });
});
