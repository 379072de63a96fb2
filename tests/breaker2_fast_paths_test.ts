/**
 * Adversarial review of the fast paths (the WebAssembly line kernel under
 * `cost`, `query`'s byte copies and stream merge, `export`'s byte writer):
 * lines at the edges of what JSON.parse and the schemas accept (numbers,
 * escapes, duplicate keys, whitespace, odd times; both layouts; LF, CRLF,
 * no final newline) must come out as the reference says, which is built in
 * this file from `JSON.parse` alone (see breaker2_helpers.ts).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { encodeEvent } from "../src/event/line_codec.ts";
import { pythonLine } from "../bench/generate.ts";
import { eventCost } from "../src/cost/estimate.ts";
import { defaultPricing } from "../src/cost/builtin_pricing.ts";
import { formatUsd } from "../src/cost/money.ts";
import { writeOrdered, type WriteOrderedOptions } from "../src/query/write_ordered.ts";
import { ProjectLayout } from "../src/store/project_layout.ts";
import { exportRows } from "./otlp/export_items.ts";
import { logsLine, tracesLine } from "../src/export/otlp_encode.ts";
import type { Event } from "../src/event/envelope.ts";
import { cli } from "./helpers.ts";
import { adversarialCases, ev, project, referenceEvents } from "./breaker2_helpers.ts";

const ENDINGS = [["lf", "\n", "\n"], ["crlf", "\r\n", "\r\n"], ["no-final-newline", "\n", ""]];

/** Every case set as one log, with each line ending. */
function logsOfCases(): [string, Record<string, string>][] {
  const out: [string, Record<string, string>][] = [];
  for (const [name, lines] of Object.entries(adversarialCases())) {
    for (const [ending, between, last] of ENDINGS) {
      out.push([`${name} (${ending})`, { "043-x": lines.join(between) + last }]);
    }
  }
  return out;
}

const lines = (events: Event[]) => events.map((e) => encodeEvent(e) + "\n").join("");
const agent = (e: Event) => (e.payload as { agent?: unknown } | undefined)?.agent;

Deno.test("query prints what JSON.parse reads of adversarial lines, with and without a filter", async () => {
  let events = 0;
  for (const [name, logs] of logsOfCases()) {
    const root = await project(logs);
    const ref = referenceEvents(logs);
    events += ref.length;
    const all = await cli(["query", "--root", root]);
    assert.equal(all.stdout, lines(ref), name);
    const some = await cli(["query", "--root", root, "--agent", "claude"]);
    assert.equal(some.stdout, lines(ref.filter((e) => agent(e) === "claude")), name);
  }
  assert.ok(events > 300, `${events}`);
});

Deno.test("query's stream merge (no gathering, with and without a worker) = the reference", async () => {
  const decoder = new TextDecoder();
  const options: WriteOrderedOptions[] = [
    { gather: 0, workers: 0 },
    { gather: 0, workers: 1, minWorkerBytes: 0 },
  ];
  const sets = logsOfCases();
  // Two logs with copies of each other's ids (one spelled in lower case), one out of order.
  const [, a] = sets[0];
  const [, b] = sets[sets.length - 1];
  const lower = a["043-x"].replace(/"event_id":"(\w+)"/, (m) => m.toLowerCase());
  sets.push(["two logs, copies", { "043-x": a["043-x"], "044-y": lower + b["043-x"] }]);
  sets.push(["reversed", { "043-x": a["043-x"].split("\n").reverse().join("\n") }]);
  for (const [name, logs] of sets) {
    const root = await project(logs);
    const want = lines(referenceEvents(logs));
    // A worker costs a second each: the sets that move events in the order, and the two logs.
    const withWorker = /order-keys|id-spellings|one-clock|two logs|reversed/.test(name);
    for (const option of withWorker ? options : options.slice(0, 1)) {
      let got = "";
      const write = (bytes: Uint8Array) => {
        got += decoder.decode(bytes);
        return Promise.resolve();
      };
      await writeOrdered(new ProjectLayout(root), {}, () => {}, write, option);
      assert.equal(got, want, `${name} ${JSON.stringify(option)}`);
    }
  }
});

Deno.test("cost counts and prices adversarial lines as JSON.parse reads them", async () => {
  const table = defaultPricing();
  for (const [name, logs] of logsOfCases()) {
    const root = await project(logs);
    let units = 0n;
    let count = 0;
    for (const e of referenceEvents(logs)) {
      if (e.event_type !== "ExecutionEvent") continue;
      units += eventCost(e.payload as never, table, e.timestamp).units;
      count++;
    }
    const run = await cli(["cost", "--root", root, "--json"]);
    assert.equal(run.code, 0, `${name}: ${run.stderr}`);
    const total = JSON.parse(run.stdout).total;
    assert.equal(total.event_count, count, name);
    assert.equal(total.total_cost_usd, Number(formatUsd(units)), name);
  }
});

/** A signal's items of every line, each as JSON text, sorted. */
function items(signal: "traces" | "logs", text: string): string[] {
  const out: string[] = [];
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const data = JSON.parse(line);
    const list = signal === "traces"
      ? data.resourceSpans[0].scopeSpans[0].spans
      : data.resourceLogs[0].scopeLogs[0].logRecords;
    for (const item of list) out.push(JSON.stringify(item));
  }
  return out.sort();
}

Deno.test("export writes the spans and records the string encoder makes of the JSON.parse'd events", async () => {
  for (const [name, logs] of logsOfCases()) {
    const root = await project(logs);
    const ref = referenceEvents(logs);
    for (const signal of ["traces", "logs"] as const) {
      let want = "";
      for await (
        const batch of exportRows(
          (async function* () {
            yield ref;
          })(),
          defaultPricing(),
        )
      ) {
        want += (signal === "traces" ? tracesLine : logsLine)(batch, "p") + "\n";
      }
      const args = ["export", "--signal", signal, "--root", root, "--project", "p"];
      const out = join(root, "out.json");
      const stdout = await cli(args);
      const file = await cli([...args, "--out", out]);
      assert.equal(stdout.code + file.code, 0, `${name}: ${stdout.stderr}${file.stderr}`);
      assert.deepEqual(items(signal, stdout.stdout), items(signal, want), `${name} ${signal}`);
      assert.deepEqual(items(signal, await Deno.readTextFile(out)), items(signal, want), name);
    }
  }
});

/** Bytes a line's string may hold that JSON.parse reads otherwise (invalid UTF-8 too). */
const ODD_BYTES = [[0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0x00], [0x7f], [
  0xe2,
  0x80,
  0xa8,
]];

Deno.test("invalid UTF-8, control bytes and odd line ends: every path as JSON.parse reads the text", async () => {
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  const fatal = new TextDecoder("utf-8", { fatal: true });
  const ends = ["\n", "\r\n", "\r\r\n", " \r\n", "\r \n", "\t\n", "\n\r\n"];
  let events = 0;
  for (const python of [false, true]) {
    for (const field of ["error", "agent", "node_id"]) {
      const parts: number[] = [];
      ODD_BYTES.forEach((odd, i) => {
        const event = field === "node_id"
          ? ev(i + 1, { node_id: "MARK" })
          : ev(i + 1, {}, { [field]: "MARK", success: false });
        const [head, tail] = (python ? pythonLine(event) : encodeEvent(event)).split("MARK");
        parts.push(...encoder.encode(head + "ab"), ...odd, ...encoder.encode("cd" + tail));
        parts.push(...encoder.encode(ends[i % ends.length]));
      });
      parts.push(...encoder.encode(encodeEvent(ev(99))));
      const bytes = Uint8Array.from(parts);
      const root = await project({});
      const dir = join(root, "kitty-specs", "043-x");
      await Deno.mkdir(dir, { recursive: true });
      await Deno.writeFile(join(dir, "execution.events.jsonl"), bytes);
      const logs = { "043-x": decoder.decode(bytes) };
      const ref = referenceEvents(logs);
      events += ref.length;
      const why = `${python ? "Python" : "tool"} layout, ${field}`;
      assert.equal((await cli(["query", "--root", root])).stdout, lines(ref), why);
      const out: number[] = [];
      const write = (b: Uint8Array) => Promise.resolve(void out.push(...b));
      await writeOrdered(new ProjectLayout(root), {}, () => {}, write, { gather: 0, workers: 0 });
      assert.equal(fatal.decode(Uint8Array.from(out)), lines(ref), why);
      const cost = JSON.parse((await cli(["cost", "--root", root, "--json"])).stdout);
      assert.equal(cost.total.event_count, ref.length, why);
      const file = join(root, "out.json");
      await cli(["export", "--signal", "logs", "--root", root, "--out", file]);
      const records = items("logs", fatal.decode(await Deno.readFile(file)));
      assert.equal(records.length, ref.length, why);
    }
  }
  assert.ok(events > 30, `${events}`);
});

Deno.test("export writes a project name with quotes, backslashes and control characters as valid JSON", async () => {
  const logs = { "043-x": [1, 2, 3].map((i) => encodeEvent(ev(i))).join("\n") + "\n" };
  const root = await project(logs);
  const names = ['a"b\\c', "\u0000\u0001\u001f\u007f", "é😀\u2028", "x".repeat(3000) + "\\"];
  for (const name of names) {
    for (const signal of ["traces", "logs", "metrics"]) {
      const file = join(root, "out.json");
      const args = ["export", "--signal", signal, "--root", root, "--project", name];
      const outputs = [(await cli(args)).stdout];
      await cli([...args, "--out", file]);
      outputs.push(await Deno.readTextFile(file));
      for (const text of outputs) {
        const data = JSON.parse(text);
        const resource =
          (data.resourceSpans ?? data.resourceLogs ?? data.resourceMetrics)[0].resource;
        const project = resource.attributes.find((a: { key: string }) => a.key === "kitty.project");
        assert.equal(project.value.stringValue, name, `${JSON.stringify(name)} ${signal}`);
      }
    }
  }
});
