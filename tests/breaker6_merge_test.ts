/**
 * breaker6: git's merge driver on logs in their total order (the streamed
 * merge, src/merge/sorted_merge.ts) against the in-memory merge (mergeLogs)
 * on the same inputs: the same bytes, exit code and stderr lines, in order.
 */
import assert from "node:assert/strict";
import { encodeEvent } from "../src/event/line_codec.ts";
import type { Event } from "../src/event/envelope.ts";
import { describeConflict, mergeLogs } from "../src/merge/merge_logs.ts";
import { sortedMerge } from "../src/merge/sorted_merge.ts";
import { baseEvent, cli } from "./helpers.ts";

const event = (id: string, clock: number, node: string, tokens = 1): Event => {
  const e = baseEvent();
  return {
    ...e,
    event_id: id,
    lamport_clock: clock,
    node_id: node,
    payload: { ...e.payload, input_tokens: tokens },
  };
};
const python = (e: Event) => JSON.stringify(e).replaceAll('":', '": ').replaceAll(',"', ', "');
const lines = (...ls: string[]) => ls.map((l) => l + "\n").join("");

/** Runs the driver on these texts; the result, %A after, and what mergeLogs says of them. */
async function driverAndMemory(base: string | undefined, ours: string, theirs: string) {
  const dir = await Deno.makeTempDir();
  const [o, a, b] = ["O", "A", "B"].map((n) => `${dir}/${n}`);
  if (base !== undefined) await Deno.writeTextFile(o, base);
  await Deno.writeTextFile(a, ours);
  await Deno.writeTextFile(b, theirs);
  const run = await cli(["merge-driver", "events", o, a, b, "log.jsonl"]);
  const text = (label: string, t: string) => ({ label, text: t });
  const memory = mergeLogs({
    base: text("base:log.jsonl", base ?? ""),
    sides: [text("ours:log.jsonl", ours), text("theirs:log.jsonl", theirs)],
  });
  return { run, merged: await Deno.readTextFile(a), memory };
}

Deno.test("two conflicts and a missing event: the driver's bytes, exit code and stderr are mergeLogs'", async () => {
  // X conflicts on theirs and base only, before Y (a conflict ours holds) in the order:
  // mergeLogs lists the ids ours holds first, in ours' file order.
  const X = "01KHJVJWDM0HGAGYGXJYKD1JQA", Y = "01KHJVJWDM0HGAGYGXJYKD1JQB";
  const Z = "01KHJVJWDM0HGAGYGXJYKD1JQC", W = "01KHJVJWDM0HGAGYGXJYKD1JQD";
  const base = lines(encodeEvent(event(X, 1, "ü")), encodeEvent(event(W, 4, "n")));
  const ours = lines(encodeEvent(event(Y, 2, "z", 5)), python(event(Z, 3, "😀")));
  const theirs = lines(
    encodeEvent(event(X, 1, "ü", 9)),
    encodeEvent(event(Y, 2, "z", 6)),
    encodeEvent(event(Z, 3, "😀")),
    encodeEvent(event(W, 4, "n")),
  );
  const { run, merged, memory } = await driverAndMemory(base, ours, theirs);
  assert.equal(memory.conflicts.length, 2);
  assert.equal(merged, memory.text);
  assert.equal(run.code, 1);
  const said = run.stderr.split("\n").filter((l) =>
    l.startsWith("warning: ") || l.startsWith("conflict: ")
  );
  assert.deepEqual(said, [
    ...memory.warnings.map((w) => `warning: ${w}`),
    ...memory.conflicts.map((c) => `conflict: ${describeConflict(c)}`),
  ]);
  assert.match(said.at(-2)!, new RegExp(`^conflict: event ${Y}`));
});

Deno.test("one event in two id spellings and two layouts, no ancestor: one line, the smallest", async () => {
  const A = "01KHJVJWDM0HGAGYGXJYKD1JQA", U = "0f1e2d3c-4b5a-4697-8879-6a5b4c3d2e1f";
  const ours = lines(encodeEvent(event(A, 1, "n")), python(event(U, 2, "n")));
  const theirs = lines(
    python(event(A.toLowerCase(), 1, "n")),
    encodeEvent(event(U.replaceAll("-", "").toUpperCase(), 2, "n")),
  ) + "\r";
  const { run, merged, memory } = await driverAndMemory(undefined, ours, theirs);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(merged, memory.text);
  assert.equal(merged.split("\n").length, 3);
});

Deno.test("the streamed merge lets go of every input it steps aside from (its file closed)", async () => {
  // rangeStream closes a log's file when it is read to the end or cancelled.
  const let_go: string[] = [];
  const input = (label: string, text: string) => ({
    label,
    stream: new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(text));
      },
      cancel() {
        let_go.push(label);
      },
    }),
  });
  const event = lines(encodeEvent(baseEvent()));
  // Junk on ours' first line: the merge stops before it reads theirs or the ancestor.
  const result = await sortedMerge(
    [input("ours", "<<<<<<< HEAD\n" + event), input("theirs", event)],
    input("base", event),
    () => Promise.resolve(),
  );
  assert.equal(result, undefined);
  assert.deepEqual(let_go.sort(), ["base", "ours", "theirs"]);
});
