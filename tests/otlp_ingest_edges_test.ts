/**
 * `import --from otlp-json` fed hostile dumps: times that are no time,
 * kitty.execution records without an id, bytes that are not UTF-8. Each is
 * refused naming the line (exit 2) and writes nothing, or imports exactly once.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, tempProject } from "./helpers.ts";
import { projectWith } from "./otlp/otlp_helpers.ts";

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

/** A kitty.execution record (as `export --signal logs` writes one); `id` its kitty.event_id. */
const kitty = (id: string | undefined, tokens: number) =>
  line({
    timeUnixNano: "1767225600000000000",
    attributes: kv({
      "event.name": s("kitty.execution"),
      "kitty.feature": s("043-x"),
      "kitty.role": s("implementer"),
      "gen_ai.agent.name": s("codex"),
      "kitty.input_tokens": { intValue: String(tokens) },
      ...(id === undefined ? {} : { "kitty.event_id": s(id) }),
    }),
  });

Deno.test("a kitty.execution record without kitty.event_id imports once, from any clone", async () => {
  const dump = `${kitty(undefined, 5)}\n${kitty(undefined, 6)}\n`;
  const [a, b] = [await project(), await project()];
  const first = await importStdin(a, dump);
  assert.equal(first.stdout, "043-x: 2 added, 0 already present\n", first.stderr);
  const again = await importStdin(a, dump);
  assert.equal(again.stdout, "043-x: 0 added, 2 already present\n", again.stderr);
  await importStdin(b, dump);
  const ids = async (root: string) =>
    (await logText(root)).trim().split("\n").map((l) => JSON.parse(l).event_id);
  assert.deepEqual(await ids(b), await ids(a));
  assert.equal(new Set(await ids(a)).size, 2);
});

Deno.test("a known event id with other content is kept as stored, and said so on stderr", async () => {
  const root = await project();
  const id = "01MB5ZH9G00W3GE1R70W3GE001";
  assert.equal((await importStdin(root, kitty(id, 5))).code, 0);
  const same = await importStdin(root, kitty(id, 5));
  assert.equal(same.stdout, "043-x: 0 added, 1 already present\n");
  assert.equal(same.stderr, "");
  const other = await importStdin(root, kitty(id, 500));
  assert.equal(other.code, 0, other.stderr);
  assert.equal(other.stdout, "043-x: 0 added, 1 already present\n");
  assert.match(
    other.stderr,
    new RegExp(
      `stdin line 1: event ${id} is already in 043-x with other content \\(input_tokens\\)`,
    ),
  );
  const lines = (await logText(root)).trim().split("\n");
  assert.equal(lines.length, 1);
  assert.equal(JSON.parse(lines[0]).payload.input_tokens, 5);
});

Deno.test("export --signal logs imported back into its own project: all present, no warning", async () => {
  const { root } = await projectWith(24, (n) => ({
    agent: ["claude", "codex", "gemini"][n % 3],
    model: ["claude-sonnet-4-5", "gpt-5", null][n % 3],
    cost_usd: n % 4 === 0 ? 0.1234567 : null,
    cache_read_tokens: n % 2 ? 100 * n : null,
    success: n % 6 !== 0,
    exit_code: n % 6 === 0 ? 2 : 0,
  }));
  const logs = await cli(["export", "--signal", "logs", "--root", root]);
  assert.equal(logs.code, 0, logs.stderr);
  const run = await importStdin(root, logs.stdout);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /: 0 added, 24 already present\n$/);
  assert.equal(run.stderr, "");
});

Deno.test("bytes that are not UTF-8 are exit 2 naming the input and where, nothing written", async () => {
  const root = await project();
  const good = new TextEncoder().encode(claude({ timeUnixNano: "1767225600000000000" }) + "\n");
  const bytes = new Uint8Array([...good, 0x7b, 0xff, 0x7d, 0x0a]);
  const run = await importStdin(root, bytes);
  assert.equal(run.code, 2, run.stderr);
  assert.match(run.stderr, /^error: stdin: not valid UTF-8 at or after line 1 .*convert/);
  assert.equal(await logText(root), "");
});

Deno.test("a line past the line limit is exit 2 naming it, not read into memory whole", async () => {
  const { OTLP_MAX_LINE_BYTES } = await import("../src/cli/import_otlp.ts");
  const root = await project();
  const good = claude({ timeUnixNano: "1767225600000000000" });
  const huge = `{"x":"${"a".repeat(OTLP_MAX_LINE_BYTES)}"}`;
  const run = await importStdin(root, `${good}\n${huge}\n${good}\n`);
  assert.equal(run.code, 2, run.stderr.slice(0, 300));
  assert.match(run.stderr, /^error: stdin line 2: longer than 64 MiB; split/);
  assert.equal(await logText(root), "");
});

Deno.test("a token count too big to hold is exit 2 naming it, as intValue and as text alike", async () => {
  for (const value of [{ intValue: "99999999999999999999" }, s("99999999999999999999")]) {
    const root = await project();
    const run = await importStdin(
      root,
      claude({ timeUnixNano: "1767225600000000000" }, { "input_tokens": value }),
    );
    assert.equal(run.code, 2, `${JSON.stringify(value)}: ${run.stderr}`);
    assert.match(run.stderr, /^error: stdin line 1: input_tokens: /);
    assert.equal(await logText(root), "");
  }
});

Deno.test("kitty.feature, kitty.wp and kitty.role on the resource attribute its records", async () => {
  const root = await project();
  const record = JSON.parse(claude({ timeUnixNano: "1767225600000000000" }))
    .resourceLogs[0].scopeLogs[0].logRecords[0];
  const own = JSON.parse(JSON.stringify(record));
  own.attributes.push({ key: "session.id", value: s("s2") });
  own.attributes = own.attributes.filter((a: { key: string }) => a.key !== "kitty.feature");
  record.attributes = record.attributes.filter((a: { key: string }) => !a.key.startsWith("kitty."));
  const dump = JSON.stringify({
    resourceLogs: [{
      resource: {
        attributes: kv({
          "kitty.feature": s("043-x"),
          "kitty.wp": s("WP07"),
          "kitty.role": s("reviewer"),
        }),
      },
      scopeLogs: [{ logRecords: [record, own] }],
    }],
  });
  const run = await importStdin(root, dump);
  assert.equal(run.code, 0, run.stderr);
  const payloads = (await logText(root)).trim().split("\n").map((l) => JSON.parse(l).payload);
  assert.deepEqual(payloads.map((p) => [p.wp_id, p.role]), [
    ["WP07", "reviewer"],
    ["WP07", "implementer"], // the record's own role wins
  ]);
});

Deno.test("event.timestamp without an offset is UTC in any time zone (a real process, TZ set)", async () => {
  const root = await project();
  const dump = join(root, "dump.jsonl");
  await Deno.writeTextFile(dump, claude({}, { "event.timestamp": s("2026-03-01 10:00") }) + "\n");
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      "--allow-read",
      "--allow-write",
      "--allow-env",
      "--allow-sys=hostname",
      join(import.meta.dirname!, "..", "main.ts"),
      ...["import", "--from", "otlp-json", dump, "--root", root],
    ],
    env: { TZ: "America/New_York", NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  assert.equal(JSON.parse(await logText(root)).timestamp, "2026-03-01T10:00:00.000000+00:00");
});

Deno.test({
  name: "a dump from a named pipe (as <(zcat dump.gz) gives) is read; a folder is exit 2",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const root = await project();
    const fifo = join(root, "dump.fifo");
    const made = await new Deno.Command("mkfifo", { args: [fifo] }).output();
    assert.ok(made.success);
    const source = join(root, "dump.jsonl");
    await Deno.writeTextFile(source, claude({ timeUnixNano: "1767225600000000000" }) + "\n");
    // A writer process: it blocks until the pipe is opened for reading, and is ended either way.
    const writer = new Deno.Command("sh", { args: ["-c", 'cat "$0" > "$1"', source, fifo] })
      .spawn();
    const run = await cli(["import", "--from", "otlp-json", fifo, "--root", root]);
    try {
      writer.kill();
    } catch { /* it has finished */ }
    await writer.status;
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, "043-x: 1 added, 0 already present\n");
    const folder = await cli(["import", "--from", "otlp-json", root, "--root", root]);
    assert.equal(folder.code, 2, folder.stderr);
    assert.match(folder.stderr, /is a folder, not a file/);
  },
});

Deno.test("a line that is no LogsData (traces, metrics, an array, null) is exit 2 naming it", async () => {
  const cases: [string, RegExp][] = [
    ['{"resourceSpans":[]}', /traces: resourceSpans.*export --signal logs/],
    ['{"resourceMetrics":[]}', /metrics: resourceMetrics/],
    ['{"resourceLogs":{}}', /"resourceLogs" is not a list/],
    ["[1]", /a JSON array/],
    ["null", /a JSON null/],
  ];
  for (const [line, what] of cases) {
    const root = await project();
    const run = await importStdin(
      root,
      `${claude({ timeUnixNano: "1767225600000000000" })}\n${line}\n`,
    );
    assert.equal(run.code, 2, `${line}: ${run.stderr}`);
    assert.match(run.stderr, /^error: stdin line 2: not OTLP\/JSON logs \(/, line);
    assert.match(run.stderr, what, line);
    assert.equal(await logText(root), "", line);
  }
  // An empty LogsData is one.
  const root = await project();
  assert.equal((await importStdin(root, '{}\n{"resourceLogs":[]}\n')).code, 0);
});
