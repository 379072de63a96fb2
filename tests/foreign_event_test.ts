/**
 * An event's feature is its `aggregate_id`: `import` refuses to file events
 * under another feature unless asked to route each to its own log, and
 * `verify` reports a line that sits in another feature's log.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, payload, readOrNull, tempProject } from "./helpers.ts";
import { encodeEvent } from "../src/event/line_codec.ts";

const logOf = (root: string, f: string) => join(root, "kitty-specs", f, "execution.events.jsonl");

function line(n: number, feature: string, clock = n): string {
  return encodeEvent({
    event_id: `01KHJVJWDM0HGAGYGXJYKD1J${String(n).padStart(2, "0")}`,
    event_type: "ExecutionEvent",
    aggregate_id: feature,
    lamport_clock: clock,
    node_id: "n1",
    causation_id: null,
    timestamp: "2026-03-01T10:00:00.000Z",
    payload: payload({ input_tokens: n }),
  });
}

Deno.test("import --feature g of events of feature f is refused: exit 2, nothing written", async () => {
  const root = await tempProject();
  const file = join(root, "run.jsonl");
  await Deno.writeTextFile(file, `${line(1, "050-g")}\n${line(2, "043-f")}\n${line(3, "043-f")}\n`);
  const run = await cli(["import", file, "--feature", "050-g", "--root", root]);
  assert.equal(run.code, 2);
  assert.match(
    run.stderr,
    /^error: .*run\.jsonl:2: event 01KHJVJWDM0HGAGYGXJYKD1J02 belongs to feature 043-f \(its aggregate_id\), not 050-g; .*--route-by-feature/,
  );
  assert.equal(run.stdout, "");
  assert.equal(await readOrNull(logOf(root, "050-g")), null);
  assert.equal(await readOrNull(logOf(root, "043-f")), null);
});

Deno.test("import --route-by-feature writes each event into its own feature's log", async () => {
  const root = await tempProject();
  const stdin = `${line(1, "050-g")}\n${line(2, "043-f")}\n`;
  const run = await cli(
    ["import", "-", "--feature", "050-g", "--route-by-feature", "--root", root],
    {
      stdin,
    },
  );
  assert.equal(run.code, 0, run.stderr);
  assert.equal(
    run.stdout,
    "043-f: 1 added, 0 already present, 0 conflicting\n050-g: 1 added, 0 already present, 0 conflicting\n",
  );
  assert.equal(await Deno.readTextFile(logOf(root, "043-f")), line(2, "043-f") + "\n");
  assert.equal(await Deno.readTextFile(logOf(root, "050-g")), line(1, "050-g") + "\n");
  const cost = JSON.parse(
    (await cli(["cost", "--json", "--feature", "043-f", "--root", root])).stdout,
  );
  assert.equal(cost.total.event_count, 1);
});

Deno.test("import of another checkout refuses a log holding another feature's events", async () => {
  const other = await tempProject();
  await Deno.mkdir(join(other, "kitty-specs", "050-g"), { recursive: true });
  await Deno.writeTextFile(logOf(other, "050-g"), `${line(1, "050-g")}\n${line(2, "043-f")}\n`);
  const root = await tempProject();
  const refused = await cli(["import", other, "--root", root]);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /event 01KHJVJWDM0HGAGYGXJYKD1J02 belongs to feature 043-f/);
  assert.equal(await readOrNull(logOf(root, "050-g")), null);
  const routed = await cli(["import", other, "--route-by-feature", "--root", root]);
  assert.equal(routed.code, 0, routed.stderr);
  assert.equal(await Deno.readTextFile(logOf(root, "043-f")), line(2, "043-f") + "\n");
});

Deno.test("import --help documents --route-by-feature", async () => {
  const run = await cli(["import", "--help"]);
  assert.match(run.stdout, /--route-by-feature/);
});

Deno.test("verify reports an event whose aggregate_id is not its log's folder", async () => {
  const root = await tempProject();
  await Deno.mkdir(join(root, "kitty-specs", "050-g"), { recursive: true });
  await Deno.writeTextFile(logOf(root, "050-g"), `${line(1, "050-g")}\n${line(2, "043-f")}\n`);
  const run = await cli(["verify", "--root", root]);
  assert.equal(run.code, 1);
  assert.match(
    run.stdout,
    /050-g\/execution\.events\.jsonl:2: foreign-event: event 01KHJVJWDM0HGAGYGXJYKD1J02 belongs to feature 043-f/,
  );
  const json = JSON.parse((await cli(["verify", "--json", "--root", root])).stdout);
  assert.deepEqual(json.features[0].findings.map((f: { kind: string }) => f.kind), [
    "foreign-event",
  ]);
});
