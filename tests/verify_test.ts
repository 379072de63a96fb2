import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, tempProject } from "./helpers.ts";
import { encodeEvent } from "../src/event/line_codec.ts";
import { sampleEvent } from "./store_contract.ts";

async function project(lines: string[], clock?: string) {
  const root = await tempProject();
  const dir = join(root, "kitty-specs", "043-v");
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(join(dir, "execution.events.jsonl"), lines.join(""));
  if (clock !== undefined) await Deno.writeTextFile(join(dir, ".telemetry-clock.json"), clock);
  return {
    root,
    log: join(dir, "execution.events.jsonl"),
    clockPath: join(dir, ".telemetry-clock.json"),
  };
}

const e1 = sampleEvent({ aggregate_id: "043-v", node_id: "a", lamport_clock: 1 });
const e2 = sampleEvent({ aggregate_id: "043-v", node_id: "b", lamport_clock: 2 });
const e3 = sampleEvent({ aggregate_id: "043-v", node_id: "a", lamport_clock: 3 });
const line = (e: typeof e1) => encodeEvent(e) + "\n";

Deno.test("verify on a clean project exits 0 and says so", async () => {
  const { root } = await project([line(e1), line(e2), line(e3)], '{"a": 3, "b": 2}');
  const run = await cli(["verify", "--root", root]);
  assert.equal(run.code, 0);
  assert.equal(run.stdout, "ok: 1 feature(s), 3 event(s), no problems\n");
});

Deno.test("verify reports each problem with file:line and exits 1", async () => {
  const regress = sampleEvent({ aggregate_id: "043-v", node_id: "a", lamport_clock: 2 });
  const { root, log } = await project([
    line(e1),
    line(e3),
    "{broken\n",
    line(regress),
    line(e1),
    "<<<<<<< HEAD\n",
    '{"event_id": "01KH',
  ], '{"a": 3}');
  const run = await cli(["verify", "--root", root]);
  assert.equal(run.code, 1);
  const out = run.stdout.split("\n");
  assert.match(out[0], new RegExp(`^${log}:3: malformed: invalid JSON`));
  assert.match(out[1], new RegExp(`^${log}:4: clock-regression: node a: clock 2 after 3$`));
  assert.match(
    out[2],
    new RegExp(
      `^${log}:5: duplicate-id: event ${e1.event_id} already at line 1 \\(the same bytes: `,
    ),
  );
  assert.match(out[3], new RegExp(`^${log}:6: conflict-marker: .*git-setup`));
  assert.match(out[4], new RegExp(`^${log}:7: torn-tail: `));
  assert.equal(out[5], "5 problem(s) in 1 feature(s)");
});

Deno.test("verify's summary counts the features with problems, not every feature", async () => {
  const { root } = await project([line(e1), "{broken\n", line(e1)], '{"a": 1}');
  const clean = join(root, "kitty-specs", "044-clean");
  await Deno.mkdir(clean);
  await Deno.writeTextFile(join(clean, "execution.events.jsonl"), "");
  const run = await cli(["verify", "--root", root]);
  assert.equal(run.code, 1);
  assert.equal(run.stdout.split("\n").at(-2), "2 problem(s) in 1 feature(s)");
});

Deno.test("verify --json gives the findings as data", async () => {
  const { root } = await project([line(e1), line(e1)], '{"a": 1}');
  const run = await cli(["verify", "--json", "--root", root]);
  assert.equal(run.code, 1);
  const report = JSON.parse(run.stdout);
  assert.equal(report.ok, false);
  assert.equal(report.features[0].feature, "043-v");
  assert.equal(report.features[0].findings[0].kind, "duplicate-id");
  assert.equal(report.features[0].findings[0].line, 2);
});

Deno.test("a clock file behind the log is reported only when emit could reuse a value", async () => {
  // Behind by just the last line: what a crash between append and clock write leaves.
  const crash = await project([line(e1), line(e2), line(e3)], '{"a": 1, "b": 2}');
  assert.equal((await cli(["verify", "--root", crash.root])).code, 0);
  // Behind by more than the last line: a real problem.
  const behind = await project([line(e1), line(e3), line(e2)], '{"a": 1}');
  const run = await cli(["verify", "--root", behind.root]);
  assert.equal(run.code, 1);
  assert.match(run.stdout, /clock-behind: node a: clock file says 1, log has 3/);
});

Deno.test("verify --repair moves the torn tail, markers and repeats to a quarantine, raises the clock", async () => {
  const original = [
    line(e1),
    "<<<<<<< HEAD\n",
    line(e2),
    line(e1),
    "=======\n",
    line(e3),
    '{"torn',
  ];
  const { root, log, clockPath } = await project(original, '{"a": 1}');
  const run = await cli(["verify", "--repair", "--root", root]);
  assert.equal(run.code, 0, run.stdout);
  assert.match(
    run.stdout,
    /^repaired 043-v: dropped line\(s\) 2, 4, 5, 7, moved to .*\.quarantine, clock file raised\n/,
  );
  assert.equal(await Deno.readTextFile(log), line(e1) + line(e2) + line(e3));
  assert.equal(await Deno.readTextFile(clockPath), '{"a": 3, "b": 2}');
  const moved = /moved to (\S+\.quarantine)/.exec(run.stdout)![1];
  assert.equal(
    await Deno.readTextFile(moved),
    [1, 3, 4, 6].map((i) => original[i]).join("") + "\n",
  );
  assert.equal((await cli(["verify", "--root", root])).code, 0);
});

Deno.test("verify --repair leaves other malformed lines for a person and still exits 1", async () => {
  const { root, log } = await project([line(e1), "{bad}\n", line(e2)], '{"a": 1, "b": 2}');
  const run = await cli(["verify", "--repair", "--root", root]);
  assert.equal(run.code, 1);
  assert.equal(await Deno.readTextFile(log), line(e1) + "{bad}\n" + line(e2));
});

Deno.test("an emit waiting on the lock during a repair lands in the repaired log", async () => {
  const { root, log } = await project([line(e1), line(e1)], '{"a": 1}');
  const [repair, emit] = await Promise.all([
    cli(["verify", "--repair", "--root", root]),
    cli(["emit", "--feature", "043-v", "--agent", "x", "--role", "r", "--root", root]),
  ]);
  assert.equal(repair.code, 0, repair.stdout);
  assert.equal(emit.code, 0, emit.stderr);
  const ids = (await Deno.readTextFile(log)).trim().split("\n").map((l) => JSON.parse(l).event_id);
  assert.deepEqual(ids, [e1.event_id, emit.stdout.trim()]);
});
