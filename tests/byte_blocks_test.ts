/**
 * Blocks must hold every line whole, in order, whatever the stream's piece
 * sizes; lines over the limit become one marker each, and memory is bounded.
 */
import assert from "node:assert/strict";
import { OVERSIZE, readBlocks } from "../src/read/byte_blocks.ts";
import { prng } from "../bench/generate.ts";

/** A byte stream (read in place by BYOB readers) giving short reads of random size. */
function byteStreamOf(bytes: Uint8Array, rand: () => number): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    type: "bytes",
    autoAllocateChunkSize: 16,
    pull(controller) {
      const request = controller.byobRequest!;
      if (at >= bytes.length) {
        controller.close();
        return request.respond(0);
      }
      const view = request.view as Uint8Array;
      const n = Math.min(1 + Math.floor(rand() * 40), view.length, bytes.length - at);
      view.set(bytes.subarray(at, at + n));
      at += n;
      request.respond(n);
    },
  });
}

function streamOf(bytes: Uint8Array, rand: () => number): ReadableStream<Uint8Array> {
  if (rand() < 0.5) return byteStreamOf(bytes, rand);
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      const n = 1 + Math.floor(rand() * 40);
      // A fresh copy each time: the reader must not keep pieces it was handed.
      controller.enqueue(bytes.slice(at, at + n));
      at += n;
    },
  });
}

Deno.test("readBlocks keeps lines whole and in order, and marks each oversize line once", async () => {
  const rand = prng(5);
  for (let round = 0; round < 400; round++) {
    const max = 1 + Math.floor(rand() * 30);
    const lines = Array.from(
      { length: Math.floor(rand() * 20) },
      () => "x".repeat(Math.floor(rand() * 45)),
    );
    const tail = rand() < 0.5 ? "\n" : "";
    const text = lines.join("\n") + (lines.length > 0 ? tail : "");
    const expected = text === ""
      ? []
      : (text.endsWith("\n") ? text.slice(0, -1) : text).split("\n").map((l) =>
        l.length > max ? "!" : l
      );
    const seen: string[] = [];
    for await (
      const block of readBlocks(streamOf(new TextEncoder().encode(text), rand), {
        maxLineBytes: max,
        blockBytes: 1 + Math.floor(rand() * 16),
      })
    ) {
      if (block === OVERSIZE) {
        seen.push("!");
        continue;
      }
      const body = block.text;
      const parts = body.endsWith("\n") ? body.slice(0, -1).split("\n") : body.split("\n");
      seen.push(...parts);
    }
    assert.deepEqual(seen, expected, JSON.stringify({ text, max }));
  }
});

Deno.test("literal checks 8 bytes at a time yet tell apart lines that differ in any one byte", async () => {
  const { literal, Skeleton } = await import("../src/read/byte_literals.ts");
  const { ByteChunk } = await import("../src/read/byte_scan.ts");
  const rand = prng(9);
  let skeletons = 0;
  for (let round = 0; round < 2000; round++) {
    const length = 1 + Math.floor(rand() * 40);
    const text = Array.from({ length }, () => String.fromCharCode(0x20 + Math.floor(rand() * 95)))
      .join("");
    const bytes = new TextEncoder().encode(text + "tail");
    const match = literal(text);
    assert.equal(match(new ByteChunk(bytes).view, bytes.length, 0), length);
    const changed = bytes.slice();
    const at = Math.floor(rand() * length);
    // Any other byte value, including ones that would make a NaN or a zero double.
    changed[at] = (changed[at] + 1 + Math.floor(rand() * 255)) % 256;
    assert.equal(match(new ByteChunk(changed).view, changed.length, 0), -1, `${text} @${at}`);
    if (length >= 8) {
      const keys = new Skeleton([text]);
      keys.at[0] = 0;
      assert.ok(keys.check(new ByteChunk(bytes).view));
      assert.ok(!keys.check(new ByteChunk(changed).view), `${text} @${at}`);
      skeletons++;
    }
  }
  assert.ok(skeletons > 1000, `${skeletons}`);
});
