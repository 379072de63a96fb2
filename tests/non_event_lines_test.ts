/**
 * Lines that are not events never block and are never lost: the merge
 * driver keeps them in %A (issue 14, point 2); a torn tail that an emit
 * left mid-file blocks neither `import` nor merges, and `verify --repair
 * --quarantine` moves such lines out wherever they are (point 3).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, tempProject } from "./helpers.ts";
import { encodeEvent } from "../src/event/line_codec.ts";
import { sampleEvent } from "./store_contract.ts";

const enc = new TextEncoder();
const F = "043-n";
const e1 = sampleEvent({ aggregate_id: F, node_id: "a", lamport_clock: 1 });
const e2 = sampleEvent({ aggregate_id: F, node_id: "b", lamport_clock: 2 });
const line = (e: typeof e1) => encodeEvent(e) + "\n";

function bytes(...parts: (string | number[])[]): Uint8Array {
  return new Uint8Array(parts.flatMap((p) => typeof p === "string" ? [...enc.encode(p)] : p));
}

Deno.test("merge-driver events keeps every line of both sides; the lines that are not events are named", async () => {
  const dir = await tempProject();
  const [o, a, b] = ["o", "a", "b"].map((n) => join(dir, n));
  const negative = encodeEvent(e1).replace(/"input_tokens":\d+/, '"input_tokens":-1');
  const stringCost = encodeEvent(e2).replace(/"cost_usd":[^,]+/, '"cost_usd":"0.5"');
  await Deno.writeFile(o, bytes(""));
  await Deno.writeFile(a, bytes(line(e1), negative, "\n", [0x7b, 0xff, 0x0a]));
  await Deno.writeFile(b, bytes(stringCost, "\n", line(e2), [0x7b, 0xff, 0x0a]));
  const out = await cli(["merge-driver", "events", o, a, b, "log.jsonl"]);
  assert.equal(out.code, 0, out.stderr);
  assert.deepEqual(
    await Deno.readFile(a),
    bytes(line(e1), line(e2), negative, "\n", [0x7b, 0xff, 0x0a], stringCost, "\n"),
  );
  assert.match(out.stderr, /ours:log\.jsonl:2: not an event, kept/);
  assert.match(out.stderr, /ours:log\.jsonl:3: not an event, kept .*UTF-8/);
  assert.match(out.stderr, /theirs:log\.jsonl:1: not an event, kept/);
});
