/**
 * A file export to `--out` (and every metrics export) reads the logs once,
 * finding what `cost` would warn of as it encodes; only when some id is on
 * several lines does it empty the file and read twice, as the export to
 * stdout always does. Either way: the same items as the two-read export,
 * and `cost`'s warnings word for word.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { encodeEvent } from "../src/event/line_encode.ts";
import { defaultPricing } from "../src/cost/builtin_pricing.ts";
import { type ExportFound, fileSize, readForExport } from "../src/export/export_scan.ts";
import { exportLines } from "../src/export/parallel_export.ts";
import { reportProblems } from "../src/read/parallel_scan.ts";
import { formatProblem } from "../src/read/log_reader.ts";
import { cli } from "./helpers.ts";
import { projectWith } from "./otlp/otlp_helpers.ts";

/** The items of every line of a traces export, as JSON text, sorted. */
function spans(text: string): string[] {
  return text.trimEnd().split("\n").flatMap((line) =>
    JSON.parse(line).resourceSpans[0].scopeSpans[0].spans.map((s: unknown) => JSON.stringify(s))
  ).sort();
}

/** A project whose log holds junk lines, an unknown value, and (if asked) repeated ids. */
async function messyProject(repeats: boolean) {
  const { root, events } = await projectWith(
    40,
    (i) => i % 3 === 0 ? { success: false, error: `e${i}` } : {},
  );
  const path = join(root, "kitty-specs", "043-otel", "execution.events.jsonl");
  const lines = events.map((e) => encodeEvent(e));
  lines.splice(5, 0, "not json at all", '{"event_id": "torn');
  // An event with a value read as unknown (a negative count), its own id.
  const unknown = encodeEvent({ ...events[19], event_id: "01KHJVJWDM0HGAGYGXJYKD1JQG" });
  lines.splice(20, 0, unknown.replace('"input_tokens":100', '"input_tokens":-5'));
  if (repeats) {
    lines.push(encodeEvent(events[2]));
    lines.push(
      encodeEvent({
        ...events[4],
        lamport_clock: 999,
        payload: { ...events[4].payload, agent: "x" },
      }),
    );
  }
  await Deno.writeTextFile(path, lines.join("\n") + "\n");
  return { root, events };
}

for (const repeats of [false, true]) {
  Deno.test(`--out ${repeats ? "with" : "without"} repeated ids: the items and warnings of the two-read export`, async () => {
    const { root } = await messyProject(repeats);
    const out = join(root, "spans.jsonl");
    const once = await cli(["export", "--root", root, "--out", out]);
    assert.equal(once.code, 0, once.stderr);
    const twice = await cli(["export", "--root", root]);
    const got = spans(await Deno.readTextFile(out));
    assert.deepEqual(got, spans(twice.stdout));
    // Each id once (the copies were not left in the file), 40 events plus the unknown value's.
    assert.equal(got.length, 41);
    const cost = await cli(["cost", "--json", "--root", root]);
    assert.equal(once.stderr, cost.stderr);
    // Not vacuous: the warnings are there.
    assert.match(once.stderr, /:6: skipped malformed line/);
    assert.match(once.stderr, /read as unknown|unknown/);
    if (repeats) assert.match(once.stderr, /1 duplicate line\(s\) ignored/);
    const left = [...Deno.readDirSync(root)].map((e) => e.name).filter((n) => n.endsWith(".tmp"));
    assert.deepEqual(left, []);
  });

  Deno.test(`metrics ${repeats ? "with" : "without"} repeated ids count each id once, with cost's warnings`, async () => {
    const { root } = await messyProject(repeats);
    const run = await cli(["export", "--signal", "metrics", "--root", root]);
    assert.equal(run.code, 0, run.stderr);
    const metrics = JSON.parse(run.stdout).resourceMetrics[0].scopeMetrics[0].metrics;
    const costSum = metrics[0].sum.dataPoints.reduce(
      (n: number, p: { asDouble: number }) => n + p.asDouble,
      0,
    );
    const cost = await cli(["cost", "--json", "--root", root]);
    assert.equal(run.stderr, cost.stderr);
    assert.ok(Math.abs(costSum - JSON.parse(cost.stdout).total.total_cost_usd) < 1e-6);
    const tokens = metrics[1].sum.dataPoints.filter((
      p: { attributes: { value: { stringValue: string } }[] },
    ) => p.attributes.at(-1)!.value.stringValue === "output").reduce(
      (n: number, p: { asInt: string }) => n + Number(p.asInt),
      0,
    );
    assert.equal(tokens, JSON.parse(cost.stdout).total.total_output_tokens);
  });
}

Deno.test("problems found in many small ranges are told with their file's line numbers, as one read tells them", async () => {
  const { root, events } = await projectWith(300);
  const path = join(root, "kitty-specs", "043-otel", "execution.events.jsonl");
  const lines = events.map((e) => encodeEvent(e));
  for (const at of [250, 120, 3]) lines.splice(at, 0, `junk line ${at}`);
  await Deno.writeTextFile(path, lines.join("\n") + "\n");
  const options = { filter: {}, pricing: defaultPricing(), repeated: new Float64Array() };
  const told = (found: ExportFound) => {
    const messages: string[] = [];
    reportProblems(found.tasks, found.reports, (p) => messages.push(formatProblem(p)));
    return messages;
  };
  const whole = await readForExport([path], options, () => {}, true);
  const sizes = [await fileSize(path)];
  const ranges = await exportLines(
    {
      paths: [path],
      sizes,
      options,
      signal: "logs",
      project: "p",
      collect: true,
      rangeBytes: 4000,
    },
    () => Promise.resolve(),
  );
  assert.ok(ranges.tasks.length > 20, `${ranges.tasks.length} ranges`);
  const expected = told(whole);
  assert.deepEqual(expected.map((m) => m.split(": ")[0]), [
    `${path}:4`,
    `${path}:122`,
    `${path}:253`,
  ]);
  assert.deepEqual(told(ranges), expected);
  // Every event's id hash, once each.
  assert.equal(ranges.ids.reduce((n, chunk) => n + chunk.length, 0), 300);
  assert.equal(whole.ids.reduce((n, chunk) => n + chunk.length, 0), 300);
});
