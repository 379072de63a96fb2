/**
 * Issue #18's ingest and round trip with what teams' dumps hold: 1-hour
 * cache writes, Claude Code's attributes as strings, Codex's token event.
 */
import assert from "node:assert/strict";
import { cli, tempProject } from "./helpers.ts";
import { projectWith } from "./otlp/otlp_helpers.ts";

const cost = async (root: string) =>
  JSON.parse(
    (await cli(["cost", "--json", "--group-by", "feature,wp,agent,role,model", "--root", root]))
      .stdout,
  );

Deno.test("the round trip keeps 1-hour cache writes: estimated costs come back the same", async () => {
  const { root } = await projectWith(4, (i) => ({
    model: "claude-sonnet-4-5",
    cache_write_tokens: 100_000,
    cache_write_1h_tokens: [100_000, 40_000, 0, null][i],
  }));
  const logs = await cli(["export", "--signal", "logs", "--root", root]);
  assert.equal(logs.code, 0, logs.stderr);
  const empty = await tempProject();
  const run = await cli(["import", "--from", "otlp-json", "-", "--root", empty], {
    stdin: logs.stdout,
  });
  assert.equal(run.code, 0, run.stderr);
  const [before, after] = [await cost(root), await cost(empty)];
  assert.ok(before.total.total_cost_usd > 0);
  assert.deepEqual(after.total, before.total);
  assert.deepEqual(after.groups, before.groups);
});

Deno.test("a record whose kitty.feature is no folder name is exit 2 naming the dump's line", async () => {
  const root = await tempProject();
  const record = (feature: string) =>
    JSON.stringify({
      resourceLogs: [{
        resource: { attributes: [{ key: "kitty.feature", value: { stringValue: feature } }] },
        scopeLogs: [{
          logRecords: [{
            timeUnixNano: "1767225600000000000",
            attributes: [
              { key: "event.name", value: { stringValue: "api_request" } },
              { key: "input_tokens", value: { stringValue: "5" } },
            ],
          }],
        }],
      }],
    });
  const stdin = [record("043-x"), record("../escape")].join("\n") + "\n";
  const run = await cli(["import", "--from", "otlp-json", "-", "--role", "r", "--root", root], {
    stdin,
  });
  assert.equal(run.code, 2);
  assert.match(
    run.stderr,
    /^error: stdin line 2: kitty\.feature: feature "\.\.\/escape": must not/,
  );
});

Deno.test("the round trip holds for the longest lines export writes (errors full of control bytes)", async () => {
  // A crashed agent's stderr as error text: 4,096 control characters, six bytes each in JSON.
  const { root } = await projectWith(1000, (i) => ({
    success: false,
    exit_code: 139,
    error: "\u0001".repeat(5000),
    input_tokens: i,
  }));
  const logs = await cli(["export", "--signal", "logs", "--root", root]);
  assert.equal(logs.code, 0, logs.stderr);
  assert.ok(logs.stdout.length > 16 * 1024 * 1024, `a line of ${logs.stdout.length} bytes`);
  const empty = await tempProject();
  const run = await cli(["import", "--from", "otlp-json", "-", "--root", empty], {
    stdin: logs.stdout,
  });
  assert.equal(run.code, 0, run.stderr.slice(0, 300));
  assert.deepEqual((await cost(empty)).total, (await cost(root)).total);
});

Deno.test("the Collector config the docs give reads the longest line export writes", async () => {
  const docs = await Deno.readTextFile(new URL("../docs/opentelemetry.md", import.meta.url));
  const config = /otlpjsonfile:\n((?: {4}.*\n)+)/.exec(docs)?.[1] ?? "";
  // fileconsumer's max_log_size is 1 MiB unless set; a longer line is split and never parses.
  const size = /max_log_size: (\d+)MiB/.exec(config);
  assert.ok(size, `no max_log_size in:\n${config}`);
  const { OTLP_MAX_LINE_BYTES } = await import("../src/cli/import_otlp.ts");
  assert.ok(Number(size[1]) * 1024 * 1024 >= OTLP_MAX_LINE_BYTES);
  // The longest line: 1,000 spans of the longest error, every character escaped (33 MB).
  assert.ok(OTLP_MAX_LINE_BYTES >= 40 * 1024 * 1024);
});

Deno.test("the round trip of an event whose agent cost reads as unknown asks for --agent, then holds", async () => {
  // A log line whose agent is a name the tool reads as unknown (over the name length): cost
  // counts it under no agent, and `export --signal logs` leaves gen_ai.agent.name out.
  const { root } = await projectWith(3, (i) => ({ agent: i ? "claude" : "x".repeat(10_000) }));
  const logs = await cli(["export", "--signal", "logs", "--root", root]);
  const empty = await tempProject();
  const refused = await cli(["import", "--from", "otlp-json", "-", "--root", empty], {
    stdin: logs.stdout,
  });
  assert.equal(refused.code, 2, refused.stderr);
  assert.match(refused.stderr, /names no gen_ai\.agent\.name; pass --agent NAME/);
  const run = await cli(
    ["import", "--from", "otlp-json", "-", "--agent", "unknown-agent", "--root", empty],
    { stdin: logs.stdout },
  );
  assert.equal(run.code, 0, run.stderr);
  const [before, after] = [await cost(root), await cost(empty)];
  assert.deepEqual(after.totals, before.totals);
  assert.deepEqual(after.groups.map((g: { group_key: string }) => g.group_key), [
    "043-otel/WP01/claude/implementer/claude-sonnet-4-5",
    "043-otel/WP01/unknown-agent/implementer/claude-sonnet-4-5",
  ]);
});

Deno.test("timeUnixNano written as a JSON number (valid protobuf JSON) is read, not refused", async () => {
  const root = await tempProject();
  const line = (time: unknown) =>
    JSON.stringify({
      resourceLogs: [{
        scopeLogs: [{
          logRecords: [{
            timeUnixNano: "@TIME@",
            attributes: [
              { key: "event.name", value: { stringValue: "api_request" } },
              { key: "session.id", value: { stringValue: "s1" } },
              { key: "input_tokens", value: { intValue: 5 } },
            ],
          }],
        }],
      }],
    }).replace('"@TIME@"', String(time));
  // As a writer with 64-bit integers prints it: all digits, past what a double holds exactly.
  const stdin = line("1767225600123456789") + "\n";
  const args = ["import", "--from", "otlp-json", "-", "--feature", "043-x", "--role", "r"];
  const run = await cli([...args, "--root", root], { stdin });
  assert.equal(run.code, 0, run.stderr);
  const query = await cli(["query", "--json", "--root", root]);
  assert.match(query.stdout, /"timestamp":"2026-01-01T00:00:00\.123456\+00:00"/);
  const again = await cli([...args, "--root", root], { stdin });
  assert.match(again.stdout, /0 added, 1 already present/);
});
