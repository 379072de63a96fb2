/**
 * Logs full of junk against valid logs of the same byte size: `cost --json`
 * time (best of `--runs`, alternating) and peak RSS of `cost`, `query` and
 * `verify` on the junk, and of `import` of the junk log into an empty
 * project. The targets: junk at most 2x the valid log's time, and within
 * 150 MB. Writes a "Junk" section into bench/RESULTS.md (the other sections
 * are kept).
 *
 * Usage: deno task bench:junk [--runs 3] [--out bench/RESULTS.md] [--only SHAPE-SUBSTRING]
 */
import { parseArgs } from "node:util";
import { join } from "node:path";
import { generate, SAMPLE_EVENT } from "./generate.ts";
import { encodeEvent } from "../src/event/line_codec.ts";
import { replaceSection } from "./sections.ts";
import { type Sample, timedRun } from "./timed_run.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    runs: { type: "string", default: "3" },
    out: { type: "string", default: join(import.meta.dirname!, "RESULTS.md") },
    only: { type: "string" },
  },
});
const runs = Number(values.runs);
const here = import.meta.dirname!;
const data = join(here, "data", "junk");
const main = join(here, "..", "main.ts");
const log = (s: string) => console.error(`[junk] ${s}`);

const EVENT = SAMPLE_EVENT;
const VALID = encodeEvent(EVENT);
const OTHER_TYPE = encodeEvent({
  ...EVENT,
  event_type: "PhaseCompleted",
  payload: { phase: "plan" },
});
/**
 * Valid JSON that is no event, events of another type, and lines one byte
 * off an event. Each line has an id of its own, as junk cut from real logs
 * would: one id on every line would make the events among them copies of
 * one event, which `cost` reads a second time to settle (a duplicates case).
 */
const NON_EVENT: Array<(line: string) => string> = [
  () => "[1,2,3]",
  () => '"not an event"',
  () => "12345.678",
  () => '{"event_id":"01KHJVJWDM0HGAGYGXJYKD1JQG","event_type":"ExecutionEvent"}',
  (line) => line.replace(',"node_id":"bench"', ""),
  (line) => line.replace('"node_id"', '"node_iD"'),
  (line) => line.replace('"input_tokens":1200', '"input_tokens":-1200'),
  (line) => line.replace('"success":true', '"success":trUe'),
  (line) => OTHER_TYPE.replace(EVENT.event_id, line.slice(13, 39)),
];
const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/** The valid line with the `i`th id of its own. */
function withId(i: number): string {
  let id = "";
  for (let k = 0; k < 10; k++, i = Math.floor(i / 32)) id = CROCKFORD[i % 32] + id;
  return VALID.replace(EVENT.event_id, EVENT.event_id.slice(0, 16) + id);
}

interface Shape {
  name: string;
  lines: number;
  line: (i: number) => string;
}

const SHAPES: Shape[] = ([
  { name: "2M lines of `{}`", lines: 2_000_000, line: () => "{}" },
  { name: "20M lines of `{}`", lines: 20_000_000, line: () => "{}" },
  {
    name: "1M lines of non-event JSON",
    lines: 1_000_000,
    line: (i) => NON_EVENT[i % NON_EVENT.length](withId(i)),
  },
] as Shape[]).filter((shape) => values.only === undefined || shape.name.includes(values.only));

/** Writes the shape as one feature's log; returns its size in bytes. */
async function writeJunk(dir: string, shape: Shape): Promise<number> {
  const folder = join(dir, "kitty-specs", "041-junk");
  await Deno.mkdir(folder, { recursive: true });
  const file = await Deno.open(join(folder, "execution.events.jsonl"), {
    write: true,
    create: true,
    truncate: true,
  });
  const encoder = new TextEncoder();
  let size = 0;
  for (let i = 0; i < shape.lines; i += 100_000) {
    const end = Math.min(shape.lines, i + 100_000);
    const lines: string[] = [];
    for (let j = i; j < end; j++) lines.push(shape.line(j));
    const bytes = encoder.encode(lines.join("\n") + "\n");
    size += bytes.length;
    for (let at = 0; at < bytes.length;) at += await file.write(bytes.subarray(at));
  }
  file.close();
  return size;
}

const measure = (args: string[]) => timedRun(main, args);

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const rows: string[] = [];
for (const shape of SHAPES) {
  const junk = join(data, shape.name.replace(/\W+/g, "_"));
  const valid = `${junk}_valid`;
  const size = await writeJunk(junk, shape);
  // Bytes per generated event, from a small sample, to match the junk's size.
  const perEvent = await generate(join(data, "sample"), 2000) / 2000;
  const events = Math.max(1, Math.round(size / perEvent));
  const validSize = await generate(valid, events);
  log(`${shape.name}: ${mb(size)} of junk, ${events} events (${mb(validSize)}) to compare`);
  const cost = (root: string) => ["cost", "--json", "--root", root];
  const times: Record<"junk" | "valid", Sample[]> = { junk: [], valid: [] };
  await measure(cost(junk)); // warm-up: module cache
  for (let r = 0; r < runs; r++) {
    times.valid.push(await measure(cost(valid)));
    times.junk.push(await measure(cost(junk)));
  }
  const best = (s: Sample[]) => Math.min(...s.map((x) => x.seconds));
  const peak = (s: Sample[]) => Math.max(...s.map((x) => x.rssMb));
  const query = await measure(["query", "--root", junk]);
  const verify = await measure(["verify", "--root", junk]);
  const into = join(data, "import_into");
  await Deno.mkdir(join(into, "kitty-specs"), { recursive: true });
  const junkLog = join(junk, "kitty-specs", "041-junk", "execution.events.jsonl");
  const imported = await measure([
    "import",
    junkLog,
    "--feature",
    "041-junk",
    "--route-by-feature",
    "--root",
    into,
  ]);
  await Deno.remove(into, { recursive: true });
  const ratio = best(times.junk) / best(times.valid);
  // The issue sets 150 MB for cost, verify and import; query's ordered output
  // is held to the speed issue's 250 MB instead.
  const worst = Math.max(peak(times.junk), verify.rssMb, imported.rssMb);
  const within = worst <= 150 && query.rssMb <= 250;
  rows.push(
    `| ${shape.name} | ${mb(size)} | ${best(times.junk).toFixed(2)} s | ${
      best(times.valid).toFixed(2)
    } s | ${ratio.toFixed(2)}x ${ratio <= 2 ? "✅" : "❌"} | ${peak(times.junk).toFixed(0)} MB | ${
      query.rssMb.toFixed(0)
    } MB | ${verify.rssMb.toFixed(0)} MB | ${imported.rssMb.toFixed(0)} MB (${
      imported.seconds.toFixed(1)
    } s) ${within ? "✅" : "❌"} |`,
  );
  log(rows.at(-1)!);
  await Deno.remove(junk, { recursive: true });
  await Deno.remove(valid, { recursive: true });
}

const cpu = (await Deno.readTextFile("/proc/cpuinfo").catch(() => ""))
  .match(/model name\s*:\s*(.*)/)?.[1] ?? "unknown CPU";
const section = `## Junk

${
  new Date().toISOString().slice(0, 10)
}, ${navigator.hardwareConcurrency} cores (${cpu}), Deno ${Deno.version.deno}; \`deno task bench:junk\`, best of ${runs} alternating runs. A log of lines that are not events
against a valid log (bench/generate.ts) of the same byte size: \`cost --json\` time (target: at
most 2x) and peak RSS of \`cost\`, \`query\`, \`verify\` and \`import\` (into an empty project;
its time in brackets) on the junk (target: 150 MB; \`query\`'s ordered output 250 MB, as the
speed issue sets). The non-event JSON repeats nine shapes, each
line with an id of its own: \`[1,2,3]\`, a string, a number, an object of two keys, an event
without \`node_id\`, one with \`node_iD\`, one with \`input_tokens\` negative (an event, its value
unknown: read by \`JSON.parse\`, not the byte reader), one with \`trUe\`, and an event of another
type. \`import\` streams a single source (its events appended; junk past the 20 named counted from
its bytes), so its memory follows the events' ids, not the file's size.

| shape | size | \`cost\` on junk | \`cost\` on valid | junk / valid | \`cost\` RSS | \`query\` RSS | \`verify\` RSS | \`import\` RSS |
| ----- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${rows.join("\n")}
`;
await replaceSection(values.out, "Junk", section);
log(`wrote ${values.out}`);
