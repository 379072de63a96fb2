/**
 * Blocks read straight into the kernel's memory (`readBlocks`' `home`,
 * src/read/wasm/kernel_home.ts): the same blocks as through a byte stream,
 * in the home's buffers while they are the size asked for, the buffers
 * given back however the read ends; the kernel's memory never grows while
 * they are lent (a block that would need it is read by the JS reader, with
 * the same answers); and a log read through the home gives every event.
 */
import assert from "node:assert/strict";
import { type ByteReader, OVERSIZE, readBlocks } from "../src/read/byte_blocks.ts";
import { ByteChunk, CanonicalReader, LINE } from "../src/read/canonical_bytes.ts";
import { KernelHome } from "../src/read/wasm/kernel_home.ts";
import { WasmReader } from "../src/read/wasm_reader.ts";
import { readLog } from "../src/read/event_sink.ts";
import { encodeEvent } from "../src/event/line_codec.ts";
import { prng } from "../bench/generate.ts";
import { payload } from "./helpers.ts";
import { sampleEvent } from "./store_contract.ts";

const encoder = new TextEncoder();

/** A reader of `bytes` giving short reads of random size. */
function readerOf(bytes: Uint8Array, rand: () => number): ByteReader & { closed: boolean } {
  let at = 0;
  return {
    closed: false,
    read(into: Uint8Array): Promise<number> {
      const n = Math.min(1 + Math.floor(rand() * 40), into.length, bytes.length - at);
      into.set(bytes.subarray(at, at + n));
      at += n;
      return Promise.resolve(n);
    },
    close() {
      this.closed = true;
    },
  };
}

Deno.test("readBlocks through a home gives the stream's blocks, in the home's buffers, and gives them back", async () => {
  const rand = prng(11);
  let inPlace = 0;
  let plain = 0;
  for (let round = 0; round < 300; round++) {
    const max = 1 + Math.floor(rand() * 30);
    const blockBytes = 1 + Math.floor(rand() * 16);
    const lines = Array.from(
      { length: Math.floor(rand() * 20) },
      () => "x".repeat(Math.floor(rand() * 45)),
    );
    const text = lines.join("\n") + (lines.length > 0 && rand() < 0.5 ? "\n" : "");
    const expected = text === ""
      ? []
      : (text.endsWith("\n") ? text.slice(0, -1) : text).split("\n").map((l) =>
        l.length > max ? "!" : l
      );
    const memory = new WebAssembly.Memory({ initial: 1 });
    // The size readBlocks asks for, or (one round in four) too small a home.
    const size = Math.min(blockBytes * 2, max + 1);
    const home = new KernelHome(memory, 128, rand() < 0.25 ? size - 1 : size, 64);
    const source = readerOf(encoder.encode(text), rand);
    const seen: string[] = [];
    for await (const block of readBlocks(source, { maxLineBytes: max, blockBytes, home })) {
      if (block === OVERSIZE) {
        seen.push("!");
        continue;
      }
      assert.ok(home.lent || block.bytes.buffer !== memory.buffer);
      if (block.bytes.buffer === memory.buffer) inPlace++;
      else plain++;
      const body = block.text;
      seen.push(...(body.endsWith("\n") ? body.slice(0, -1) : body).split("\n"));
    }
    assert.deepEqual(seen, expected, JSON.stringify({ text, max }));
    assert.equal(home.lent, false, "the buffers are given back");
    assert.equal(source.closed, true);
  }
  assert.ok(inPlace > 200 && plain > 50, `${inPlace} in place, ${plain} not`);
});

Deno.test("a read that stops early gives the home's buffers back; a byte stream never takes them", async () => {
  const memory = new WebAssembly.Memory({ initial: 1 });
  const home = new KernelHome(memory, 0, 32, 64);
  const text = encoder.encode("a\nbb\nccc\n".repeat(20));
  for await (const block of readBlocks(readerOf(text, prng(1)), { blockBytes: 16, home })) {
    assert.notEqual(block, OVERSIZE);
    assert.equal(home.lent, true);
    break;
  }
  assert.equal(home.lent, false);
  for await (const block of readBlocks(new Blob([text]).stream(), { blockBytes: 16, home })) {
    assert.ok(block !== OVERSIZE && block.bytes.buffer !== memory.buffer);
    assert.equal(home.lent, false);
  }
});

/** `n` execution lines of the tool, one a line, as text. */
function logLines(n: number, tokens = 100): string[] {
  return Array.from(
    { length: n },
    () => encodeEvent(sampleEvent({ payload: payload({ input_tokens: tokens }) })),
  );
}

Deno.test("while the home is lent the kernel's memory does not grow: a larger block goes to JS, same answers", () => {
  const lent = new WasmReader();
  const [a] = lent.home.buffers(512 * 1024)!;
  const small = encoder.encode(logLines(50).join("\n") + "\n");
  a.set(small);
  const inHome = new ByteChunk(a, small.length);
  assert.equal(lent.read(inHome, 0), LINE.EXECUTION);
  const memory = a.buffer.byteLength;
  // Another reader on the same thread (the same kernel): a small block (copied in), then one of 3 MB.
  const other = new WasmReader();
  const copied = new ByteChunk(encoder.encode(logLines(3, 9).join("\n")));
  assert.equal(other.read(copied, 0), LINE.EXECUTION);
  assert.equal(other.view.payload.input_tokens, 9);
  assert.equal(other.taken[0], 1);
  const big = new ByteChunk(encoder.encode(logLines(6000, 7).join("\n") + "\n"));
  const js = new CanonicalReader();
  let start = 0;
  for (let i = 0; i < 6000; i++) {
    assert.equal(other.read(big, start), js.read(big, start), `line ${i}`);
    assert.equal(other.view.payload.input_tokens, 7);
    assert.equal(other.lineEnd, js.lineEnd);
    start = other.lineEnd + 1;
  }
  assert.equal(other.taken[0], 1, "the kernel took none of them");
  assert.equal(a.buffer.byteLength, memory, "the memory did not grow: the lent views hold");
  // The lent reader reads on in place, through the kernel (its block loaded again where it is).
  const before = lent.taken[0];
  for (let i = 1, s = lent.lineEnd + 1; i < 50; i++) {
    assert.equal(lent.read(inHome, s), LINE.EXECUTION);
    assert.equal(lent.view.payload.input_tokens, 100);
    s = lent.lineEnd + 1;
  }
  assert.equal(lent.taken[0] - before, 49);
  lent.home.release();
  // Given back: the kernel takes the large block (its memory grows).
  assert.equal(other.read(big, 0), LINE.EXECUTION);
  assert.equal(other.taken[0], 2);
});

Deno.test("a log read through the home, a line longer than the home's buffers among them, gives every event", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/execution.events.jsonl`;
  const long = encodeEvent(
    sampleEvent({ payload: payload({ input_tokens: 5, error: "e".repeat(700_000) }) }),
  );
  const lines = [...logLines(3000), long, ...logLines(3000)];
  await Deno.writeTextFile(path, lines.join("\n") + "\n");
  let tokens = 0;
  let events = 0;
  const sink = {
    otherTypes: false,
    execution(view: { payload: { input_tokens: number | null } }) {
      tokens += view.payload.input_tokens ?? 0;
      events++;
      return true;
    },
    events(list: unknown[]) {
      events += list.length;
    },
  };
  const problems: string[] = [];
  assert.equal(await readLog(path, sink, (p) => problems.push(p.message)), lines.length);
  assert.deepEqual(problems, []);
  assert.equal(events, 6001);
  assert.equal(tokens, 6000 * 100 + 5);
  await Deno.remove(dir, { recursive: true });
});
