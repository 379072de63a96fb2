/**
 * `BodyCutter` on random items cut into random chunks: every body is a
 * whole OTLP object holding the next items in order, within the item and
 * byte caps (an item over the byte cap alone), and no body is cut before
 * it had to be.
 */
import assert from "node:assert/strict";
import { BodyCutter } from "../src/export/request_bodies.ts";
import { lineEnds } from "../src/export/otlp_encode.ts";
import { prng } from "../bench/generate.ts";

const SEED = Number(Deno.env.get("KITTY_SEED") ?? Date.now() % 1_000_000);

const encoder = new TextEncoder();

Deno.test("bodies hold the items in order, within the caps, cut only when the next would not fit", () => {
  const random = prng(SEED);
  for (let round = 0; round < 200; round++) {
    const maxItems = 1 + Math.floor(random() * 8);
    const maxBytes = 150 + Math.floor(random() * 500);
    const items = Array.from(
      { length: Math.floor(random() * 40) },
      (_, i) => JSON.stringify({ i, pad: "é".repeat(Math.floor(random() * 300)) }),
    );
    const stream = encoder.encode(items.map((item) => "," + item).join(""));
    const starts: number[] = [];
    for (let at = 0, i = 0; i < items.length; i++) {
      starts.push(at);
      at += encoder.encode("," + items[i]).length;
    }
    const cutter = new BodyCutter("logs", "p", maxItems, maxBytes);
    const bodies: Uint8Array[] = [];
    const counts: number[] = [];
    // Random chunk ends, as output buffers fill.
    for (let from = 0; from < stream.length;) {
      const to = Math.min(stream.length, from + 1 + Math.floor(random() * 400));
      const inside = starts.filter((s) => s >= from && s < to).map((s) => s - from);
      cutter.add({ bytes: stream.slice(from, to), starts: Int32Array.from(inside) });
      for (const body of cutter.take()) {
        // Copied: the buffer is taken back to make later bodies in.
        bodies.push(body.bytes.slice());
        counts.push(body.items);
        cutter.reuse(body);
      }
      from = to;
    }
    cutter.end();
    for (const body of cutter.take()) (bodies.push(body.bytes), counts.push(body.items));
    const why = `KITTY_SEED=${SEED}, round ${round}`;
    const got = bodies.map((b) => JSON.parse(new TextDecoder().decode(b)));
    const records = got.map((g) => g.resourceLogs[0].scopeLogs[0].logRecords);
    assert.deepEqual(records.flat(), items.map((item) => JSON.parse(item)), why);
    assert.deepEqual(records.map((r) => r.length), counts, why);
    const { open, close } = lineEnds("logs", "p");
    const size = (n: number[]) =>
      encoder.encode(open + n.map((i) => items[i]).join(",") + close).length;
    let first = 0;
    for (const [k, count] of counts.entries()) {
      assert.ok(count >= 1 && count <= maxItems, why);
      const taken = Array.from({ length: count }, (_, i) => first + i);
      assert.equal(bodies[k].length, size(taken), why);
      assert.ok(count === 1 || bodies[k].length <= maxBytes, why);
      const next = first + count;
      if (next < items.length) {
        // Cut because the next item would have broken a cap.
        assert.ok(count === maxItems || size([...taken, next]) > maxBytes, why);
      }
      first = next;
    }
  }
});
