/** A long line read in many chunks costs copies in proportion to its length. */
import assert from "node:assert/strict";
import { CarryBytes } from "../src/read/carry_bytes.ts";
import { readLines } from "../src/read/line_reader.ts";

Deno.test("carrying a 16 MiB line in 64 KiB chunks copies under 3x its bytes", () => {
  const carry = new CarryBytes();
  const chunk = new Uint8Array(64 * 1024).fill(0x61);
  for (let i = 0; i < 256; i++) carry.push(chunk);
  assert.equal(carry.length, 16 * 1024 * 1024);
  // Copying the whole partial line on every chunk (the old way) is 128x.
  assert.ok(carry.copied < 3 * carry.length, `copied ${carry.copied / carry.length}x`);
  assert.ok(carry.bytes().every((b) => b === 0x61));
});

Deno.test("readLines carries a 16 MiB line through 256 chunks with copies under 3x its bytes", async () => {
  const chunk = new Uint8Array(64 * 1024).fill(0x61);
  let left = 256;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (left-- > 0) controller.enqueue(chunk.slice());
      else {
        controller.enqueue(new Uint8Array([0x0a]));
        controller.close();
      }
    },
  });
  const carry = new CarryBytes();
  const lines = await Array.fromAsync(readLines(stream, { carry }));
  assert.equal(lines[0].text.length, 16 * 1024 * 1024);
  assert.ok(carry.copied > 0 && carry.copied < 3 * 16 * 1024 * 1024, `${carry.copied}`);
});

Deno.test("a line longer than many chunks comes out whole, and the next one after it", async () => {
  const long = "é".repeat(300_000); // two bytes each: chunk ends fall inside characters
  const parts: Uint8Array[] = [];
  const bytes = new TextEncoder().encode(`${long}\r\nshort\n${long}x`);
  for (let at = 0; at < bytes.length; at += 7001) parts.push(bytes.slice(at, at + 7001));
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = parts.shift();
      if (next) controller.enqueue(next);
      else controller.close();
    },
  });
  const lines = await Array.fromAsync(readLines(stream));
  assert.deepEqual(lines.map((l) => [l.text.length, l.number, l.complete]), [
    [300_000, 1, true],
    [5, 2, true],
    [300_001, 3, false],
  ]);
  assert.equal(lines[0].text, long);
});
