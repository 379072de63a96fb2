/**
 * Node ids that are names of JavaScript object properties are data like any
 * other (issue 14, point 5): emit, import and both merge drivers.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, tempProject } from "./helpers.ts";
import { encodeEvent } from "../src/event/line_codec.ts";
import { sampleEvent } from "./store_contract.ts";

const NAMES = ["constructor", "toString", "valueOf", "hasOwnProperty", "__proto__"];
const F = "043-p";

for (const name of NAMES) {
  Deno.test(`node id ${name}: emit, import, merge drivers`, async () => {
    const root = await tempProject();
    const clockPath = join(root, "kitty-specs", F, ".telemetry-clock.json");
    const args = ["emit", "--feature", F, "--agent", "x", "--role", "r", "--root", root];
    const first = await cli([...args, "--node-id", name, "--json"]);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(JSON.parse(first.stdout).lamport_clock, 1);
    const second = await cli([...args, "--node-id", name, "--json"], {
      now: new Date("2026-03-03T00:00:00Z"),
    });
    assert.equal(JSON.parse(second.stdout).lamport_clock, 2);
    assert.deepEqual(JSON.parse(await Deno.readTextFile(clockPath)), JSON.parse(`{"${name}": 2}`));

    // Import an event of that node into a fresh project.
    const other = await tempProject();
    const event = sampleEvent({ aggregate_id: F, node_id: name, lamport_clock: 5 });
    const source = join(other, "in.jsonl");
    await Deno.writeTextFile(source, encodeEvent(event) + "\n");
    const imported = await cli(["import", source, "--feature", F, "--root", other]);
    assert.equal(imported.code, 0, imported.stderr);
    const otherClock = join(other, "kitty-specs", F, ".telemetry-clock.json");
    assert.equal(await Deno.readTextFile(otherClock), `{"${name}": 5}`);
    const after = await cli([...args.slice(0, -1), other, "--node-id", name, "--json"]);
    assert.equal(after.code, 0, after.stderr);
    assert.equal(JSON.parse(after.stdout).lamport_clock, 6);

    // Both merge drivers.
    const dir = await tempProject();
    const [o, a, b] = ["o", "a", "b"].map((n) => join(dir, n));
    await Deno.writeTextFile(o, "{}");
    await Deno.writeTextFile(a, `{"${name}": 3, "z": 1}`);
    await Deno.writeTextFile(b, `{"${name}": 4}`);
    assert.equal((await cli(["merge-driver", "clock", o, a, b])).code, 0);
    assert.equal(await Deno.readTextFile(a), `{"${name}": 4, "z": 1}`);
    await Deno.writeTextFile(o, "");
    await Deno.writeTextFile(a, encodeEvent(event) + "\n");
    const theirs = sampleEvent({ aggregate_id: F, node_id: name, lamport_clock: 6 });
    await Deno.writeTextFile(b, encodeEvent(theirs) + "\n");
    const merged = await cli(["merge-driver", "events", o, a, b]);
    assert.equal(merged.code, 0, merged.stderr);
    assert.equal(
      await Deno.readTextFile(a),
      encodeEvent(event) + "\n" + encodeEvent(theirs) + "\n",
    );
  });
}

Deno.test("a pricing file's models named like object properties are all read and price events", async () => {
  const root = await tempProject();
  const file = join(root, "p.yaml");
  // One dollar per million input tokens times the row's number.
  await Deno.writeTextFile(
    file,
    "models:\n" + NAMES.map((name, i) => `  ${name}: {input: ${i + 1}, output: 0}\n`).join(""),
  );
  const check = await cli(["pricing", "check", file]);
  assert.equal(check.stdout, `${file}: ok (${NAMES.length} models)\n`);
  const stdin = NAMES.map((model) =>
    JSON.stringify({ model, agent: "a", role: "r", input_tokens: 1_000_000, output_tokens: 0 })
  ).join("\n");
  const emit = await cli(["emit", "--feature", F, "--stdin", "--root", root], { stdin });
  assert.equal(emit.code, 0, emit.stderr);
  const cost = await cli([
    "cost",
    "--json",
    "--group-by",
    "model",
    "--sort",
    "key",
    "--pricing",
    file,
    "--no-builtin-prices",
    "--root",
    root,
  ]);
  assert.equal(cost.code, 0, cost.stderr);
  const groups = JSON.parse(cost.stdout).groups;
  assert.deepEqual(
    Object.fromEntries(groups.map((g: { key: { model: string }; total_cost_usd: number }) => [
      g.key.model,
      g.total_cost_usd,
    ])),
    // Ids as the table keeps them: lower case.
    JSON.parse(`{${NAMES.map((name, i) => `"${name.toLowerCase()}": ${i + 1}`).join(", ")}}`),
  );
  // A mistake inside such an entry names it and its line.
  await Deno.writeTextFile(file, "models:\n  a: {input: 1, output: 1}\n  __proto__: {inptu: 1}\n");
  const bad = await cli(["pricing", "check", file]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /p\.yaml:3: models\.__proto__: unknown field inptu/);
});
