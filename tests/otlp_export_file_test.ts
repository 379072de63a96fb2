/**
 * A file export reads the logs from their bytes in file order
 * (`src/export/export_scan.ts`); the push reads them in the total order.
 * Both must say the same of every event: the same spans and records (in
 * any order), each id once, with `cost`'s warnings.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { pythonLine } from "../bench/generate.ts";
import { encodeEvent } from "../src/event/line_encode.ts";
import type { Event } from "../src/event/envelope.ts";
import { orderedEvents } from "../src/query/ordered.ts";
import { ProjectLayout } from "../src/store/project_layout.ts";
import { defaultPricing } from "../src/cost/builtin_pricing.ts";
import { exportRows } from "./otlp/export_items.ts";
import { logsLine, tracesLine } from "../src/export/otlp_encode.ts";
import { cli } from "./helpers.ts";
import { attrs, projectWith } from "./otlp/otlp_helpers.ts";

type Item = { attributes: { key: string; value: Record<string, unknown> }[] };

/** The items of every line, each as sorted JSON text, sorted. */
function items(signal: "traces" | "logs", text: string): string[] {
  const out: string[] = [];
  for (const line of text.trimEnd().split("\n")) {
    if (line === "") continue;
    const data = JSON.parse(line);
    const list: Item[] = signal === "traces"
      ? data.resourceSpans[0].scopeSpans[0].spans
      : data.resourceLogs[0].scopeLogs[0].logRecords;
    for (const item of list) out.push(JSON.stringify(item));
  }
  return out.sort();
}

/** What the ordered path (the push's reader) makes of the project, as `items`. */
async function reference(root: string, signal: "traces" | "logs"): Promise<string[]> {
  const filter = { types: ["ExecutionEvent"] };
  const rows = exportRows(
    orderedEvents(new ProjectLayout(root), filter, () => {}),
    defaultPricing(),
  );
  let text = "";
  for await (const batch of rows) {
    text += (signal === "traces" ? tracesLine : logsLine)(batch, "p") + "\n";
  }
  return items(signal, text);
}

/** Shapes the byte readers take (null free text) and ones they leave to the full path. */
const shapes = (i: number): Record<string, unknown> =>
  [
    {},
    { success: false, exit_code: 3, error: 'boom "error":null \u00e9', duration_ms: 1500 },
    { success: false, exit_code: 0 }, // failed, no message: read from the bytes
    { success: true, error: "warning only" }, // text on a success: still exported
    { agent: "error", role: "null", wp_id: "WP09" }, // names that spell the key
    { model: null, input_tokens: null, cost_usd: 0.5 },
  ][i % 6];

/** Rewrites a project's log with some lines in the Python writer's layout. */
async function mixLayouts(root: string, events: Event[], python: (i: number) => boolean) {
  const path = join(root, "kitty-specs", "043-otel", "execution.events.jsonl");
  const lines = events.map((e, i) => (python(i) ? pythonLine(e) : encodeEvent(e)) + "\n");
  await Deno.writeTextFile(path, lines.join(""));
  return path;
}

for (const signal of ["traces", "logs"] as const) {
  Deno.test(`a file export has the ${signal} the ordered reader gives, each event once`, async () => {
    const { root, events } = await projectWith(1500, shapes);
    const path = await mixLayouts(root, events, (i) => i % 7 === 3);
    // Copies: identical, another spelling of the id, and the Python layout of one.
    await Deno.writeTextFile(
      path,
      encodeEvent(events[10]) + "\n" +
        encodeEvent({ ...events[11], event_id: events[11].event_id.toLowerCase() }) + "\n" +
        pythonLine(events[12]) + "\n",
      { append: true },
    );
    const run = await cli(["export", "--signal", signal, "--root", root, "--project", "p"]);
    assert.equal(run.code, 0, run.stderr);
    const got = items(signal, run.stdout);
    assert.equal(got.length, 1500);
    assert.deepEqual(got, await reference(root, signal));
  });
}

Deno.test("a line in the Python writer's layout is exported as its canonical line is", async () => {
  const { root, events } = await projectWith(12, shapes);
  const canonical = (await cli(["export", "--root", root])).stdout;
  await mixLayouts(root, events, () => true);
  const python = await cli(["export", "--root", root]);
  assert.equal(python.code, 0, python.stderr);
  assert.deepEqual(items("traces", python.stdout), items("traces", canonical));
  // Not vacuous: the failures and the names are there.
  // Spans come in file order but for lines the full path reads: find each by its id.
  const spans = JSON.parse(canonical).resourceSpans[0].scopeSpans[0].spans as Item[];
  const of = (i: number) =>
    attrs(spans.find((s) => attrs(s)["kitty.event_id"] === events[i].event_id)!);
  assert.equal(of(1)["kitty.error"], 'boom "error":null \u00e9');
  assert.equal(of(2)["error.type"], "_OTHER");
  assert.equal(of(2)["kitty.error"], undefined);
  assert.equal(of(3)["kitty.error"], "warning only");
  assert.equal(of(4)["gen_ai.agent.name"], "error");
});

Deno.test("a duplicated line is exported once, with the warning cost gives", async () => {
  const { root, events } = await projectWith(4);
  const path = join(root, "kitty-specs", "043-otel", "execution.events.jsonl");
  // A copy, and a conflicting copy later in clock order: the first counts.
  const conflict = {
    ...events[2],
    lamport_clock: 99,
    payload: { ...events[2].payload, agent: "x" },
  };
  await Deno.writeTextFile(
    path,
    encodeEvent(events[1]) + "\n" + encodeEvent(conflict) + "\n",
    { append: true },
  );
  const run = await cli(["export", "--root", root]);
  assert.equal(run.code, 0, run.stderr);
  const spans = JSON.parse(run.stdout).resourceSpans[0].scopeSpans[0].spans as Item[];
  const ids = spans.map((s) => attrs(s)["kitty.event_id"]);
  assert.deepEqual([...ids].sort(), events.map((e) => e.event_id).sort());
  const kept = spans.find((s) => attrs(s)["kitty.event_id"] === events[2].event_id)!;
  assert.equal(attrs(kept)["gen_ai.agent.name"], "claude");
  const cost = await cli(["cost", "--json", "--root", root]);
  assert.match(run.stderr, /1 duplicate line\(s\) ignored/);
  assert.match(run.stderr, /1 id\(s\) on lines with different content/);
  assert.equal(run.stderr, cost.stderr);
});

Deno.test("a malformed line is skipped with the warning cost gives", async () => {
  const { root, events } = await projectWith(3);
  const path = join(root, "kitty-specs", "043-otel", "execution.events.jsonl");
  const lines = events.map((e) => encodeEvent(e));
  lines.splice(1, 0, '{"event_id": "broken', "not json at all");
  await Deno.writeTextFile(path, lines.join("\n") + "\n");
  const run = await cli(["export", "--root", root]);
  assert.equal(run.code, 0, run.stderr);
  const spans = JSON.parse(run.stdout).resourceSpans[0].scopeSpans[0].spans as Item[];
  assert.equal(spans.length, 3);
  assert.match(run.stderr, /:2: skipped malformed line/);
  assert.match(run.stderr, /:3: skipped malformed line/);
  assert.equal(run.stderr, (await cli(["cost", "--json", "--root", root])).stderr);
});

Deno.test("span ids' SHA-256 equals node:crypto's on short, long and non-ASCII inputs", async () => {
  const { createHash } = await import("node:crypto");
  const { sha256Hex } = await import("../src/export/sha256.ts");
  const inputs = ["", "abc", "01khjvjwdm0hgagygxjykd1jqg"];
  for (let n = 50; n < 140; n++) {
    inputs.push("x".repeat(n), "\u00e9\ud83d\ude00".repeat(n % 9) + "y".repeat(n));
  }
  for (const text of inputs) {
    assert.equal(sha256Hex(text), createHash("sha256").update(text).digest("hex"), text);
  }
});

Deno.test("the second read stops at the sizes taken before the first (a line appended meanwhile is left out)", async () => {
  const { readForExport } = await import("../src/export/export_scan.ts");
  const { root, events } = await projectWith(3);
  const path = join(root, "kitty-specs", "043-otel", "execution.events.jsonl");
  const first = encodeEvent(events[0]).length + 1;
  const read = async (sizes?: number[]) => {
    const ids: string[] = [];
    const options = { filter: {}, pricing: defaultPricing(), repeated: new Float64Array(), sizes };
    await readForExport([path], options, (r) => ids.push(r.event.event_id));
    return ids;
  };
  assert.deepEqual(await read([first]), [events[0].event_id]);
  assert.deepEqual(await read(), events.map((e) => e.event_id));
});
