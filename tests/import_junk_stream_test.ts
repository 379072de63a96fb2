/**
 * Lines of an input that are not events do not send an import down the
 * whole merge (which holds the input): the stream path skips them, names
 * them as the merge does (the first 20, then a count), and appends the rest.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, payload, tempProject } from "./helpers.ts";
import { encodeEvent } from "../src/event/line_codec.ts";
import { importStreamed } from "../src/cli/import_stream.ts";
import { ProjectLayout } from "../src/store/project_layout.ts";

const F = "043-junk";
const event = (n: number) =>
  encodeEvent({
    event_id: `01KHJVJWDM0HGAGYGXJYKD${String(n).padStart(4, "0")}`,
    event_type: "ExecutionEvent",
    aggregate_id: F,
    lamport_clock: n,
    node_id: "n1",
    causation_id: null,
    timestamp: "2026-02-16T09:12:58+00:00",
    payload: payload(),
  });

const opener = (text: string) => () => Promise.resolve(new Blob([text]).stream());

Deno.test("events among junk are appended by the stream path; 20 junk lines named, the rest counted", async () => {
  const junk = Array.from({ length: 25 }, (_, i) => (i % 2 ? "[1,2]" : "{}"));
  const text = [event(1), ...junk, event(2), "<<<<<<< HEAD", event(3), "torn"].join("\n");
  const layout = new ProjectLayout(await tempProject());
  const warnings: string[] = [];
  const out = await importStreamed(
    layout,
    opener(text),
    undefined,
    false,
    (w) => warnings.push(w),
    "in.jsonl",
  );
  assert.deepEqual(out.rest, new Set(), "nothing left for the whole merge");
  assert.deepEqual(out.outcomes.map((o) => [o.feature, o.added, o.wrote]), [[F, 3, "appended"]]);
  assert.equal(
    await Deno.readTextFile(layout.logPath(F)),
    [event(1), event(2), event(3)].join("\n") + "\n",
  );
  assert.equal(warnings.length, 21);
  assert.match(warnings[0], /^in\.jsonl:2: not an event, not imported: /);
  assert.match(warnings[19], /^in\.jsonl:21: /);
  // Lines 22..26 are junk, 28 a marker, 30 torn: 7 more, the last on line 30.
  assert.equal(warnings[20], "in.jsonl: 7 more line(s) skipped, not shown");
});

Deno.test("an input of junk alone, with --feature, imports nothing and names it, by the stream path", async () => {
  const layout = new ProjectLayout(await tempProject());
  const warnings: string[] = [];
  const out = await importStreamed(
    layout,
    opener("{}\njunk\n"),
    F,
    false,
    (w) => warnings.push(w),
    "j",
  );
  assert.deepEqual(out.outcomes.map((o) => [o.feature, o.added]), [[F, 0]]);
  assert.deepEqual(out.rest, new Set());
  assert.equal(warnings.length, 2);
  // Without --feature, the merge answers (exit 2: no event to take a feature from).
  const none = await importStreamed(layout, opener("{}\n"), undefined, false, () => {});
  assert.equal(none.rest, null);
});

Deno.test("at the CLI, junk in the input gives the same words and log as before, stream or merge", async () => {
  const root = await tempProject();
  const file = join(root, "in.jsonl");
  await Deno.writeTextFile(file, [event(1), "{}", event(2), "x"].join("\n"));
  const run = await cli(["import", file, "--root", root]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, `${F}: 2 added, 0 already present, 0 conflicting\n`);
  assert.match(
    run.stderr,
    /in\.jsonl:2: not an event, not imported: event_id: .*\n.*in\.jsonl:4: not an event, not imported: torn last line: invalid JSON/,
  );
  assert.equal((run.stderr.match(/not an event/g) ?? []).length, 2);
});

Deno.test("rawLines with borrow yields the same lines as copies, across chunk edges", async () => {
  const { rawLines } = await import("../src/store/raw_lines.ts");
  const text = new TextEncoder().encode(["a", "", "bcd", "é".repeat(50), "tail"].join("\n"));
  const chunked = () => {
    const parts: Uint8Array[] = [];
    for (let at = 0; at < text.length; at += 7) parts.push(text.slice(at, at + 7));
    return new ReadableStream<Uint8Array>({
      pull(c) {
        const next = parts.shift();
        if (next) c.enqueue(next);
        else c.close();
      },
    });
  };
  const copied = (await Array.fromAsync(rawLines(chunked()))).map((l) => [...l.bytes]);
  const borrowed: number[][] = [];
  // A borrowed line is read before the next is asked for, as its contract says.
  for await (const line of rawLines(chunked(), { borrow: true })) borrowed.push([...line.bytes]);
  assert.deepEqual(borrowed, copied);
  assert.equal(copied.length, 5);
});
