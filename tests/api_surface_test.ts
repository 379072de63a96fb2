/**
 * The split between the stable surface (`mod.ts`) and the unstable one
 * (`internals.ts`): an internal reader showing up in `mod.ts` would become
 * a semver promise by accident.
 */
import assert from "node:assert/strict";
import * as stable from "../mod.ts";
import * as internals from "../internals.ts";

const INTERNAL = [
  "readLines",
  "readBlocks",
  "scanLog",
  "scanLogBatches",
  "parallelScan",
  "ADAPTERS",
  "OVERSIZE",
  "DECODE_LINE",
  "ByteChunk",
];

Deno.test("internal readers are exported from internals.ts, not mod.ts", () => {
  for (const name of INTERNAL) {
    assert.ok(!(name in stable), `mod.ts exports ${name}`);
    assert.ok(name in internals, `internals.ts lacks ${name}`);
  }
});

Deno.test("the two surfaces share no value", () => {
  const shared = Object.keys(internals).filter((name) => name in stable);
  assert.deepEqual(shared, []);
});

Deno.test("the public schemas parse like the package's own", () => {
  const r = stable.ExecutionPayloadSchema.safeParse({ agent: "a", role: "r", tokens: 1 });
  assert.ok(r.success && r.data.wp_id === "N/A" && r.data.tokens === 1);
  const bad = stable.EnvelopeSchema.safeParse({});
  assert.ok(!bad.success && bad.error.issues.length > 0);
});
