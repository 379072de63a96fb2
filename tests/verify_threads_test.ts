/** `verify` on two threads (src/store/verify_threads.ts) answers as one thread does. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { baseEvent, payload, tempProject } from "./helpers.ts";
import { ProjectLayout } from "../src/store/project_layout.ts";
import { verifyFeature } from "../src/store/verify.ts";
import { verifyOnThreads } from "../src/store/verify_threads.ts";

const line = (feature: string, id: string, clock: number, node = "n1") =>
  JSON.stringify({
    ...baseEvent(),
    event_id: `01KHJVJWDM0HGAGYGXJYKD1J${id}`,
    aggregate_id: feature,
    lamport_clock: clock,
    node_id: node,
    payload: payload({ agent: "a" }),
  });

/** Features with one kind of problem each (and a clean one), in a fresh project. */
async function project(): Promise<{ layout: ProjectLayout; features: string[] }> {
  const root = await tempProject();
  const logs: Record<string, string[]> = {
    "041-clean": [line("041-clean", "A1", 1), line("041-clean", "A2", 2)],
    "042-junk": [line("042-junk", "B1", 1), "{not json", line("042-junk", "B2", 2)],
    "043-repeat": [line("043-repeat", "C1", 1), line("043-repeat", "C1", 1)],
    "044-foreign": [line("041-clean", "D1", 1), line("044-foreign", "D2", 2)],
    "045-clock": [line("045-clock", "E1", 5), line("045-clock", "E2", 3)],
    // A node id that is a name objects have: the report's clock keeps it as data.
    "046-proto": [
      line("046-proto", "F1", 1, "__proto__"),
      line("046-proto", "F2", 2, "constructor"),
    ],
  };
  for (const [feature, lines] of Object.entries(logs)) {
    await Deno.mkdir(join(root, "kitty-specs", feature), { recursive: true });
    const text = lines.map((l) => l + "\n").join("");
    await Deno.writeTextFile(join(root, "kitty-specs", feature, "execution.events.jsonl"), text);
  }
  return { layout: new ProjectLayout(root), features: Object.keys(logs) };
}

Deno.test("verify on two threads gives each feature's report, in order, as one thread does", async () => {
  const { layout, features } = await project();
  const alone = [];
  for (const feature of features) alone.push(await verifyFeature(layout, feature));
  let told = 0;
  const sizes = features.map(() => 100);
  const both = await verifyOnThreads(layout, features, sizes, (bytes) => told += bytes, 0);
  assert.deepEqual(both, alone);
  // Every problem kind is there, so the comparison is not of empty reports.
  assert.deepEqual(
    both.map((r) => r.findings.map((f) => f.kind)),
    [
      [],
      ["malformed"],
      ["duplicate-id"],
      ["foreign-event"],
      ["clock-regression", "clock-behind"],
      [],
    ],
  );
  // The worker checked some of them, and said how many bytes.
  assert.ok(told > 0 && told < 600, `worker bytes ${told}`);
  assert.deepEqual(Object.entries(both[5].logClock), [["__proto__", 1], ["constructor", 2]]);
});

Deno.test("a feature the worker cannot check is checked here: the same error", async () => {
  const { layout, features } = await project();
  // A log that is a folder: reading it fails, on any thread.
  const bad = "047-folder";
  await Deno.mkdir(join(layout.featureDir(bad), "execution.events.jsonl"), { recursive: true });
  // First: the worker is sent the first feature before this thread takes any.
  const all = [bad, ...features];
  const alone = await verifyFeature(layout, bad).then(() => "no error", (e) => String(e));
  assert.notEqual(alone, "no error");
  const both = await verifyOnThreads(layout, all, all.map(() => 100), () => {}, 0)
    .then(() => "no error", (e) => String(e));
  assert.equal(both, alone);
});
