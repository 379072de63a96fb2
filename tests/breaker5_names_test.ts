/**
 * Group keys that collide after a normalisation a person would not see:
 * the same name in two Unicode spellings (NFC `é`, NFD `e` + U+0301).
 */
import assert from "node:assert/strict";
import { cli, emitted, tempProject } from "./helpers.ts";

const NOW = new Date("2026-03-02T10:00:00.000Z");

async function emit(root: string, agent: string, model: string) {
  await emitted(root, ["--agent", agent, "--model", model, "--cost-usd", "1"], { now: NOW });
}

async function groups(root: string, by: string): Promise<[unknown, number][]> {
  const run = await cli(["cost", "--root", root, "--json", "--group-by", by], { now: NOW });
  assert.equal(run.code, 0, run.stderr);
  return JSON.parse(run.stdout).groups.map((
    g: { key: Record<string, unknown>; event_count: number },
  ) => [
    g.key[by],
    g.event_count,
  ]);
}

Deno.test("model names in any case are one row (the priced id; unpriced names without case)", async () => {
  const root = await tempProject();
  for (const m of ["Claude-Sonnet-4-5", "claude-sonnet-4-5", "my-model", "My-Model"]) {
    await emit(root, "a", m);
  }
  assert.deepEqual(await groups(root, "model"), [["claude-sonnet-4-5", 2], ["my-model", 2]]);
});

// Was a bug: two rows that printed identically, 1 event each. Names compare after NFC
// (src/event/name_key.ts); more cases in unicode_names_test.ts.
Deno.test("an agent name in two Unicode spellings is one row", async () => {
  const root = await tempProject();
  await emit(root, "caf\u00e9", "claude-sonnet-4-5");
  await emit(root, "cafe\u0301", "claude-sonnet-4-5");
  assert.deepEqual(await groups(root, "agent"), [["caf\u00e9", 2]]);
});
