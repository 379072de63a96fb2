/**
 * One event with a huge clock cannot make a feature unwritable (issue 14,
 * point 4): a clock over the ceiling is not an event for import, the merge
 * driver and verify (kept, reported, quarantinable), and emit ignores it.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, tempProject } from "./helpers.ts";
import { encodeEvent } from "../src/event/line_codec.ts";
import { sampleEvent } from "./store_contract.ts";
import { MAX_LAMPORT_CLOCK } from "../src/clock/lamport.ts";

const F = "043-c";
const huge = sampleEvent({ aggregate_id: F, node_id: "evil", lamport_clock: 2 ** 53 - 1 });
const normal = sampleEvent({ aggregate_id: F, node_id: "a", lamport_clock: 1 });
const line = (e: typeof huge) => encodeEvent(e) + "\n";

async function project(log: string, clock?: string) {
  const root = await tempProject();
  const dir = join(root, "kitty-specs", F);
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(join(dir, "execution.events.jsonl"), log);
  if (clock !== undefined) await Deno.writeTextFile(join(dir, ".telemetry-clock.json"), clock);
  return { root, log: join(dir, "execution.events.jsonl") };
}

const emitArgs = (
  root: string,
) => ["emit", "--feature", F, "--agent", "x", "--role", "r", "--root", root];

Deno.test("the ceiling leaves room for years of emits below 2^53", () => {
  assert.ok(MAX_LAMPORT_CLOCK <= 2 ** 50);
  // A million emits a second for a century still fits above it.
  assert.ok(Number.MAX_SAFE_INTEGER - MAX_LAMPORT_CLOCK > 1e6 * 86400 * 365 * 100);
});

Deno.test("import does not take an event over the ceiling; emit goes on", async () => {
  const { root, log } = await project(line(normal), '{"a": 1}');
  const source = join(root, "in.jsonl");
  await Deno.writeTextFile(source, line(huge));
  const imported = await cli(["import", source, "--feature", F, "--root", root]);
  assert.match(imported.stderr, /not an event.*ceiling/);
  assert.equal(await Deno.readTextFile(log), line(normal));
  const emit = await cli(emitArgs(root));
  assert.equal(emit.code, 0, emit.stderr);
});

Deno.test("a log and clock file already holding 2^53-1 never block emit", async () => {
  const { root, log } = await project(
    line(normal) + line(huge),
    '{"a": 1, "evil": 9007199254740991}',
  );
  for (const [i, extra] of [[], ["--best-effort"]].entries()) {
    const now = new Date(Date.UTC(2026, 2, 2, 10, i));
    const emit = await cli([...emitArgs(root), ...extra, "--json"], { now });
    assert.equal(emit.code, 0, emit.stderr);
    assert.ok(!/nothing written/.test(emit.stderr), emit.stderr);
    const event = JSON.parse(emit.stdout);
    assert.ok(event.lamport_clock >= 2 && event.lamport_clock <= MAX_LAMPORT_CLOCK);
  }
  const lines = (await Deno.readTextFile(log)).trim().split("\n");
  assert.equal(lines.length, 4);
  const verify = await cli(["verify", "--root", root]);
  assert.match(verify.stdout, /:2: malformed: .*ceiling/);
  const repair = await cli(["verify", "--repair", "--quarantine", "all", "--root", root]);
  assert.equal(repair.code, 0, repair.stdout);
  assert.ok(!(await Deno.readTextFile(log)).includes("evil"));
});

Deno.test("merge-driver keeps an event over the ceiling as a line that is not an event", async () => {
  const dir = await tempProject();
  const [o, a, b] = ["o", "a", "b"].map((n) => join(dir, n));
  await Deno.writeTextFile(o, "");
  await Deno.writeTextFile(a, line(normal));
  await Deno.writeTextFile(b, line(huge));
  const out = await cli(["merge-driver", "events", o, a, b, "log.jsonl"]);
  assert.equal(out.code, 0, out.stderr);
  assert.equal(await Deno.readTextFile(a), line(normal) + line(huge));
  assert.match(out.stderr, /theirs:log\.jsonl:1: not an event.*ceiling/);
  const clocks = [join(dir, "co"), join(dir, "ca"), join(dir, "cb")];
  await Deno.writeTextFile(clocks[0], "{}");
  await Deno.writeTextFile(clocks[1], '{"a": 1}');
  await Deno.writeTextFile(clocks[2], '{"evil": 9007199254740991}');
  assert.equal((await cli(["merge-driver", "clock", ...clocks])).code, 0);
  assert.equal(await Deno.readTextFile(clocks[1]), '{"a": 1}');
});

/** The same event in three layouts: as the tool writes it, as Python writes it, keys reordered. */
function layouts(e: typeof huge): Array<[string, string]> {
  const canonical = encodeEvent(e);
  const python = canonical.replaceAll('","', '", "').replaceAll('":', '": ')
    .replaceAll(/,"(?=[a-z_]+":)/g, ', "');
  const { payload, ...envelope } = e;
  const reordered = JSON.stringify({ payload, ...envelope });
  return [["canonical", canonical], ["python", python], ["reordered", reordered]];
}

for (const [layout, text] of layouts(huge)) {
  Deno.test(`cost and query skip an event over the ceiling (${layout} layout), as verify does`, async () => {
    assert.equal(JSON.parse(text).lamport_clock, 2 ** 53 - 1);
    const { root } = await project(line(normal) + text + "\n");
    const cost = await cli(["cost", "--json", "--root", root]);
    assert.equal(cost.code, 0, cost.stderr);
    const report = JSON.parse(cost.stdout);
    assert.equal(report.total.event_count, 1);
    assert.equal(report.skipped_lines, 1);
    assert.match(cost.stderr, /:2: skipped malformed line: lamport_clock: .*ceiling/);
    const query = await cli(["query", "--root", root]);
    assert.equal(query.code, 0, query.stderr);
    assert.deepEqual(query.stdout.trim().split("\n").map((l) => JSON.parse(l).node_id), ["a"]);
    assert.match(query.stderr, /:2: skipped malformed line: lamport_clock: .*ceiling/);
    const verify = await cli(["verify", "--root", root]);
    assert.equal(verify.code, 1);
    assert.match(verify.stdout, /:2: malformed: lamport_clock: .*ceiling/);
  });
}

Deno.test("an event at the ceiling itself is still an event for cost", async () => {
  const top = sampleEvent({ aggregate_id: F, node_id: "top", lamport_clock: MAX_LAMPORT_CLOCK });
  const { root } = await project(line(normal) + line(top));
  const cost = await cli(["cost", "--json", "--root", root]);
  assert.equal(JSON.parse(cost.stdout).total.event_count, 2, cost.stderr);
  assert.equal(cost.stderr, "");
});
