/**
 * `import --from otlp-json` fed hostile dumps: times that are no time,
 * kitty.execution records without an id, bytes that are not UTF-8. Each is
 * refused naming the line (exit 2) and writes nothing, or imports exactly once.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, tempProject } from "./helpers.ts";

const s = (v: string) => ({ stringValue: v });
const kv = (attributes: Record<string, unknown>) =>
  Object.entries(attributes).map(([key, value]) => ({ key, value }));
const line = (record: Record<string, unknown>) =>
  JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [record] }] }] });

/** A Claude Code api_request; `time` holds the record's time fields. */
const claude = (time: Record<string, unknown>, attrs: Record<string, unknown> = {}) =>
  line({
    ...time,
    attributes: kv({
      "event.name": s("api_request"),
      "session.id": s("s1"),
      "model": s("claude-sonnet-4-5"),
      "input_tokens": s("10"),
      "kitty.feature": s("043-x"),
      "kitty.role": s("implementer"),
      ...attrs,
    }),
  });

async function project(): Promise<string> {
  const root = await tempProject();
  await Deno.mkdir(join(root, "kitty-specs"));
  return root;
}

async function importStdin(root: string, stdin: string | Uint8Array) {
  return await cli(
    ["import", "--from", "otlp-json", "-", "--root", root],
    typeof stdin === "string" ? { stdin } : { stdinBytes: stdin },
  );
}

async function logText(root: string): Promise<string> {
  return await Deno.readTextFile(join(root, "kitty-specs", "043-x", "execution.events.jsonl"))
    .catch(() => "");
}

Deno.test("a record time that is no instant in 1970..9999 is exit 2 naming the line, nothing written", async () => {
  const cases: Record<string, unknown>[] = [
    { timeUnixNano: 1.5 },
    { timeUnixNano: 1e30 },
    { timeUnixNano: "99999999999999999999999" },
    { timeUnixNano: "253402300800000000000" }, // 10000-01-01
    { timeUnixNano: "-5" },
  ];
  for (const time of cases) {
    const root = await project();
    const ok = claude({ timeUnixNano: "1767225600000000000" });
    const run = await importStdin(root, `${ok}\n${claude(time)}\n`);
    assert.equal(run.code, 2, `${JSON.stringify(time)}: ${run.stderr}`);
    assert.match(run.stderr, /^error: stdin line 2: .*time/, JSON.stringify(time));
    assert.equal(await logText(root), "", JSON.stringify(time));
  }
});

Deno.test("event.timestamp must be an ISO time from 1970 on; without an offset it is UTC", async () => {
  for (const stamp of ["1969-12-31T23:59:59.999Z", "March 1, 2026", "2026-02-30T00:00:00Z"]) {
    const root = await project();
    const run = await importStdin(root, claude({}, { "event.timestamp": s(stamp) }) + "\n");
    assert.equal(run.code, 2, `${stamp}: ${run.stderr}`);
    assert.match(run.stderr, /^error: stdin line 1: event\.timestamp/, stamp);
    assert.equal(await logText(root), "", stamp);
  }
  const root = await project();
  const run = await importStdin(root, claude({}, { "event.timestamp": s("2026-03-01 10:00") }));
  assert.equal(run.code, 0, run.stderr);
  assert.equal(JSON.parse(await logText(root)).timestamp, "2026-03-01T10:00:00.000000+00:00");
});

Deno.test("the largest time and the first instant after 1970 import exactly", async () => {
  const root = await project();
  const run = await importStdin(
    root,
    claude({ timeUnixNano: "253402300799999999000" }) + "\n" +
      claude({ timeUnixNano: "1000" }, { "session.id": s("s2") }) + "\n",
  );
  assert.equal(run.code, 0, run.stderr);
  const stamps = (await logText(root)).trim().split("\n").map((l) => JSON.parse(l).timestamp);
  assert.deepEqual(stamps, [
    "9999-12-31T23:59:59.999999+00:00",
    "1970-01-01T00:00:00.000001+00:00",
  ]);
});
