/**
 * A log full of junk: the warnings and findings told are capped, the count
 * of skipped lines is exact, and the cheap "not an event" checks never turn
 * away a line the schemas accept.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, payload, tempProject } from "./helpers.ts";
import { decodeLine, encodeEvent } from "../src/event/line_codec.ts";
import type { Event } from "../src/event/envelope.ts";
import { type LineProblem, scanLogBatches } from "../src/read/log_reader.ts";
import { parallelScan } from "../src/read/parallel_scan.ts";
import { bytesNotEvent, textNotEvent } from "../src/read/not_event.ts";
import { PROBLEMS_SHOWN, summaryProblem } from "../src/read/problem_cap.ts";
import { formatProblem } from "../src/read/log_reader.ts";
import { warningSink } from "../src/cli/warnings.ts";
import type { CliIo } from "../src/cli/io.ts";
import { prng } from "../bench/generate.ts";
import { defaultPricing } from "../src/cost/builtin_pricing.ts";
import type { CostPartial, CostScanInit } from "../src/cost/cost_reducer.ts";
import { COST_REDUCER } from "../src/dynamic_modules.ts";
import { mergeLogs } from "../src/merge/merge_logs.ts";
import { problemLines } from "../src/read/log_reader.ts";
import { readLineBatches } from "../src/read/line_reader.ts";

const EVENT: Event = {
  event_id: "01KHJVJWDM0HGAGYGXJYKD1JQG",
  event_type: "ExecutionEvent",
  aggregate_id: "043-x",
  lamport_clock: 1,
  node_id: "n1",
  causation_id: null,
  timestamp: "2026-02-16T09:12:58Z",
  payload: payload(),
};
const VALID = encodeEvent(EVENT);
/** Junk of every shape that costs per line: none of it an event. */
const SHORT = ["{}", "[]", '"x"', "42", "  {} ", '{"event_id":"01KHJVJWDM0HGAGYGXJYKD1JQG"}'];
/** Lines as long as an event (one in a thousand, to keep the log small). */
const LONG = [
  // An envelope key missing (a payload key missing is an event with a value unknown).
  JSON.stringify({ ...EVENT, node_id: undefined }),
  VALID.replace('"lamport_clock":', '"lamport_clocK":'),
  VALID.replace('"success":true', '"success":trUe'),
  VALID.slice(0, -1),
];

/** A feature log of `count` junk lines (an event every 100,000th line); its bad line numbers. */
async function junkProject(count: number): Promise<{ root: string; path: string; bad: number[] }> {
  const root = await tempProject();
  const dir = join(root, "kitty-specs", "043-x");
  await Deno.mkdir(dir, { recursive: true });
  const bad: number[] = [];
  const lines: string[] = [];
  for (let i = 1; i <= count; i++) {
    if (i % 100_000 === 0) {
      const id = `01KHJVJWDM0HGAGYGXJYKD1J${String(i / 100_000).padStart(2, "0")}`;
      lines.push(encodeEvent({ ...EVENT, event_id: id, lamport_clock: i }));
    } else {
      lines.push(i % 1000 < LONG.length ? LONG[i % 1000] : SHORT[i % SHORT.length]);
      bad.push(i);
    }
  }
  const path = join(dir, "execution.events.jsonl");
  await Deno.writeTextFile(path, lines.join("\n") + "\n");
  return { root, path, bad };
}

const place = (p: LineProblem) => `${p.line}${p.more ? ` +${p.more}` : ""}`;

Deno.test("a million junk lines: cost, query and verify tell the first 20 and count the rest exactly", async () => {
  const { root, path, bad } = await junkProject(1_000_000);
  const rest = bad.length - PROBLEMS_SHOWN;
  const told = bad.slice(0, PROBLEMS_SHOWN).map(String);

  // The reader keeps and tells the first 20 and one count: nothing per line past them.
  const problems: LineProblem[] = [];
  let events = 0;
  for await (const batch of scanLogBatches(path, (p) => problems.push(p))) events += batch.length;
  assert.equal(events, 10);
  assert.deepEqual(problems.map(place), [...told, `${bad.at(-1)} +${rest}`]);

  const cost = await cli(["cost", "--json", "--root", root]);
  assert.equal(cost.code, 0);
  const view = JSON.parse(cost.stdout);
  assert.equal(view.total.event_count, 10);
  assert.equal(view.skipped_lines, bad.length);
  const warnings = cost.stderr.trimEnd().split("\n");
  assert.equal(warnings.length, PROBLEMS_SHOWN + 1);
  assert.deepEqual(
    warnings.slice(0, -1).map((w) => w.slice(`warning: ${path}:`.length).split(":")[0]),
    told,
  );
  assert.equal(warnings.at(-1), `warning: ${rest} more warning(s) not shown`);

  const query = await cli(["query", "--root", root]);
  assert.equal(query.stdout.trimEnd().split("\n").length, 10);
  assert.deepEqual(query.stderr, cost.stderr);

  const verify = await cli(["verify", "--root", root]);
  assert.equal(verify.code, 1);
  const lines = verify.stdout.trimEnd().split("\n");
  assert.equal(lines.length, PROBLEMS_SHOWN + 2);
  assert.match(lines[PROBLEMS_SHOWN], new RegExp(`: malformed: ${rest} more malformed`));
  assert.equal(lines.at(-1), `${bad.length} problem(s) in 1 feature(s)`);
  const json = JSON.parse((await cli(["verify", "--json", "--root", root])).stdout);
  const findings = json.features[0].findings;
  assert.deepEqual(findings.map((f: { line?: number }) => f.line).slice(0, -1), bad.slice(0, 20));
  assert.equal(findings.at(-1).more, rest);
  assert.match(findings.at(-1).message, new RegExp(`the last at line ${bad.at(-1)}\\)$`));
});

Deno.test("ranges read on two threads tell what one reading tells: the first 20 and the count", async () => {
  const { path, bad } = await junkProject(200_000);
  const scan = async (workers: number) => {
    const problems: LineProblem[] = [];
    const init: CostScanInit = { groupBy: ["agent"], pricing: defaultPricing(), filter: {} };
    const result = await parallelScan<CostScanInit, CostPartial>(
      [path],
      COST_REDUCER.href,
      init,
      (p) => problems.push(p),
      { workers, minBytes: 0, rangeBytes: 64 * 1024 },
    );
    return { events: result.total.event_count, problems: problems.map(place) };
  };
  const one = await scan(1);
  const two = await scan(2);
  const expected = [
    ...bad.slice(0, PROBLEMS_SHOWN).map(String),
    `${bad.at(-1)} +${bad.length - PROBLEMS_SHOWN}`,
  ];
  assert.deepEqual(one.problems, expected);
  assert.deepEqual(two, one);
  assert.equal(two.events, 2);
});

Deno.test("the cheap checks never turn away a line the schemas accept", () => {
  const rand = prng(Number(Deno.env.get("KITTY_SEED") ?? 19));
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)];
  const values = [null, 0, -1, 1.5, "", "x", "2026-02-16T09:12:58Z", true, [], {}, 2 ** 53];
  const noise = ["", " ", "{", "}", '"', ",", ":", "0", "a", "\\", "é", "\r", "\t", "\u00a0"];
  let accepted = 0;
  let refused = 0;
  for (let i = 0; i < 20_000; i++) {
    const event: Record<string, unknown> = { ...EVENT, payload: { ...EVENT.payload } };
    const target = rand() < 0.5 ? event : event.payload as Record<string, unknown>;
    const keys = Object.keys(target);
    const r = rand();
    if (r < 0.2) delete target[pick(keys)];
    else if (r < 0.5) target[pick(keys)] = pick(values);
    if (rand() < 0.1) event.event_type = pick(["Note", "ExecutionEvent", ""]);
    let line = JSON.stringify(event);
    // The Python writer's spacing, now and then.
    if (rand() < 0.3) line = line.replaceAll('":', '": ').replaceAll(',"', ', "');
    if (rand() < 0.5) {
      const at = Math.floor(rand() * line.length);
      line = line.slice(0, at) + pick(noise) + line.slice(at + (rand() < 0.5 ? 1 : 0));
    }
    if (rand() < 0.05) line = line.slice(0, Math.floor(rand() * 130));
    if (line.trim() === "") continue;
    const bytes = new TextEncoder().encode(line);
    const ok = decodeLine(line).ok;
    if (ok) accepted++;
    if (bytesNotEvent(bytes, 0, bytes.length)) assert.ok(!ok, line);
    if (textNotEvent(line)) {
      assert.ok(!ok, line);
      refused++;
    }
  }
  assert.ok(accepted > 2000 && refused > 2000, `${accepted} accepted, ${refused} refused`);
});

Deno.test("the CLI's warnings count the lines a reader's summary stands for", async () => {
  let stderr = "";
  const io = { stderr: (t: string) => Promise.resolve(void (stderr += t)) } as CliIo;
  const warnings = warningSink(io);
  for (let line = 1; line <= 25; line++) warnings.warn(`a:${line}: skipped malformed line: x`);
  warnings.warn(formatProblem(summaryProblem("a", 2000, 1000)));
  await warnings.flush();
  assert.equal(warnings.count(), 1025);
  assert.equal(stderr.split("\n").length, 22);
  assert.match(stderr, /\nwarning: 1005 more warning\(s\) not shown\n$/);
});

Deno.test("import of a log of junk names the first 20 lines that are not events and counts the rest exactly", async () => {
  const { path, bad } = await junkProject(100_000);
  const into = await tempProject();
  const out = await cli(["import", path, "--feature", "043-x", "--root", into]);
  assert.equal(out.code, 0, out.stderr);
  assert.match(out.stdout, /^043-x: 1 added, 0 already present, 0 conflicting\n$/);
  const warnings = out.stderr.trimEnd().split("\n");
  assert.equal(warnings.length, PROBLEMS_SHOWN + 1);
  assert.deepEqual(
    warnings.slice(0, -1).map((w) => w.slice(`warning: ${path}:`.length).split(":")[0]),
    bad.slice(0, PROBLEMS_SHOWN).map(String),
  );
  assert.match(warnings[0], /not an event, not imported: /);
  assert.equal(
    warnings.at(-1),
    `warning: ${bad.length - PROBLEMS_SHOWN} more warning(s) not shown`,
  );
  const log = await Deno.readTextFile(join(into, "kitty-specs", "043-x", "execution.events.jsonl"));
  assert.equal(log.split("\n").length, 2, "the one event, none of the junk");
});

Deno.test("a merge keeps no object per line of a source's junk: 20 named, one count", () => {
  const junk = Array.from({ length: 5000 }, (_, i) => LONG[i % LONG.length] + "\n").join("");
  const text = junk + VALID + "\n" + junk;
  for (
    const bytes of [undefined, new Uint8Array([...new TextEncoder().encode(text), 0xff, 0x0a])]
  ) {
    const merged = mergeLogs({
      sides: [{ label: "ours", text: "" }, { label: "src", text, bytes }],
      keepNonEvents: "first",
    });
    assert.equal(merged.eventCount, 1);
    assert.equal(merged.warnings.length, PROBLEMS_SHOWN + 1);
    assert.match(merged.warnings[0], /^src:1: not an event, not imported: /);
    const total = merged.warnings.reduce((n, w) => n + problemLines(w), 0);
    assert.equal(total, 10_000 + (bytes ? 1 : 0));
    assert.match(merged.warnings.at(-1)!, new RegExp(`^src: ${total - PROBLEMS_SHOWN} more line`));
  }
});

Deno.test("lines a reader's skip takes make no Line; the others keep their numbers", async () => {
  const text = "a\n{}\r\nb\n{}\n{}\nc\r\n{}\n\nd";
  const skipped: number[] = [];
  const skip = (bytes: Uint8Array, start: number, end: number, number: number) => {
    const take = end - start === 2 && bytes[start] === 0x7b && bytes[start + 1] === 0x7d;
    if (take) skipped.push(number);
    return take;
  };
  const stream = new Blob([new TextEncoder().encode(text)]).stream();
  const lines = (await Array.fromAsync(readLineBatches(stream, { skip: () => skip }))).flat();
  assert.deepEqual(lines.map((l) => `${l.number}:${l.text}:${l.complete}`), [
    "1:a:true",
    "3:b:true",
    "6:c:true",
    "8::true",
    "9:d:false",
  ]);
  assert.deepEqual(skipped, [2, 4, 5, 7]);
});

Deno.test("verify: junk counted from its bytes before an earlier line decoded still ends the count at the last line", async () => {
  const root = await tempProject();
  const dir = join(root, "kitty-specs", "043-x");
  await Deno.mkdir(dir, { recursive: true });
  // A value no event has, every key there: only the text path refuses it.
  const wrong = VALID.replace('"lamport_clock":1', '"lamport_clock":"1"');
  const lines = [...Array(30_000).fill("{}"), wrong, ...Array(5).fill("{}")];
  await Deno.writeTextFile(join(dir, "execution.events.jsonl"), lines.join("\n") + "\n");
  const json = JSON.parse((await cli(["verify", "--json", "--root", root])).stdout);
  const summary = json.features[0].findings.at(-1);
  assert.equal(summary.more, lines.length - PROBLEMS_SHOWN);
  assert.match(summary.message, new RegExp(`the last at line ${lines.length}\\)$`));
});
