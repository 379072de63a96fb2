/**
 * Input shapes that must not be slow (issue #17, "No input shape is slow"):
 * a log without a newline, a log of one-byte lines, events with long
 * fields the tool does not know, and one 4 GB log. Each is timed with
 * `cost --json` against reading its bytes once (bench/read_once.ts: the
 * file in 1 MiB reads, its newlines counted), both as fresh processes,
 * best of `--runs`, alternating. Target: at most about 2x the read. Writes
 * a "Shapes" section into bench/RESULTS.md (the other sections are kept).
 *
 * Usage: deno task bench:shapes [--runs 2] [--out bench/RESULTS.md] [--only SUBSTRING]
 *   [--keep]          (leaves the logs in bench/data/shapes, to profile)
 *   [--big-from DIR]  (a generated project, default bench/data/1000000, whose
 *                      lines are repeated with new ids into the 4 GB log)
 */
import { parseArgs } from "node:util";
import { join } from "node:path";
import { encodeEvent } from "../src/event/line_codec.ts";
import { SAMPLE_EVENT } from "./generate.ts";
import { replaceSection } from "./sections.ts";
import { type Sample, timedRun } from "./timed_run.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    runs: { type: "string", default: "2" },
    out: { type: "string", default: join(import.meta.dirname!, "RESULTS.md") },
    only: { type: "string" },
    keep: { type: "boolean", default: false },
    "big-from": { type: "string", default: join(import.meta.dirname!, "data", "1000000") },
  },
});
const runs = Number(values.runs);
const here = import.meta.dirname!;
const data = join(here, "data", "shapes");
const main = join(here, "..", "main.ts");
const log = (s: string) => console.error(`[shapes] ${s}`);
const MB = 1e6;
const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** A valid execution event carrying an unknown payload field of `size` bytes. */
function withUnknown(i: number, size: number): string {
  let id = "";
  for (let k = 0, n = i; k < 16; k++, n = Math.floor(n / 32)) id = CROCKFORD[n % 32] + id;
  return encodeEvent({
    ...SAMPLE_EVENT,
    event_id: `01KHJVJWDM${id}`,
    aggregate_id: "041-shape",
    lamport_clock: i + 1,
    payload: { ...SAMPLE_EVENT.payload, cost_usd: 0.25, transcript: "x".repeat(size) },
  } as never);
}

/** Writes `chunks()` as one feature's log; returns its size. */
async function writeLog(dir: string, chunks: () => AsyncIterable<Uint8Array>): Promise<number> {
  const folder = join(dir, "kitty-specs", "041-shape");
  await Deno.mkdir(folder, { recursive: true });
  const file = await Deno.open(join(folder, "execution.events.jsonl"), {
    write: true,
    create: true,
    truncate: true,
  });
  let size = 0;
  for await (const bytes of chunks()) {
    size += bytes.length;
    for (let at = 0; at < bytes.length;) at += await file.write(bytes.subarray(at));
  }
  file.close();
  return size;
}

const encoder = new TextEncoder();
async function* repeat(text: string, times: number): AsyncIterable<Uint8Array> {
  const bytes = encoder.encode(text);
  for (let i = 0; i < times; i++) yield bytes;
}

/**
 * The generated project's lines, `copies` times, each copy's ids made its
 * own by the id's last character, the copy's number (so no id repeats across
 * copies, and `cost` meets no duplicates).
 */
async function* repeatedProject(
  from: string,
  copies: number,
  edit = (text: string) => text,
): AsyncIterable<Uint8Array> {
  const specs = join(from, "kitty-specs");
  const logs: string[] = [];
  for await (const entry of Deno.readDir(specs)) {
    logs.push(join(specs, entry.name, "execution.events.jsonl"));
  }
  logs.sort();
  const ID_END = /("event_id": ?"[0-9A-Z]{25})[0-9A-Z]/g;
  for (let copy = 0; copy < copies; copy++) {
    for (const path of logs) {
      const text = await Deno.readTextFile(path);
      yield encoder.encode(edit(text.replace(ID_END, `$1${CROCKFORD[copy]}`)));
    }
  }
}

interface Shape {
  name: string;
  write: (dir: string) => Promise<number>;
  /** A project of (about) the same lines: `cost`'s time per byte on it, to compare. */
  smaller?: string;
}

const SHAPES: Shape[] = ([
  {
    name: "256 MB without a newline",
    write: (dir) => writeLog(dir, () => repeat(`{"event_id":"${"a".repeat(1 << 20)}`, 256)),
  },
  {
    name: "64M one-byte lines",
    write: (dir) => writeLog(dir, () => repeat("7\n".repeat(1 << 20), 64)),
  },
  {
    name: "4,096 events with a 64 KiB unknown field",
    write: (dir) =>
      writeLog(dir, async function* () {
        for (let i = 0; i < 4096; i++) yield encoder.encode(withUnknown(i, 65_536) + "\n");
      }),
  },
  {
    name: "1M events with a key of an orchestrator's own (`ticket`)",
    write: (dir) =>
      writeLog(dir, () =>
        repeatedProject(
          values["big-from"],
          1,
          (text) =>
            text.replaceAll('"payload":{', '"payload":{"ticket":"ABC-123",')
              .replaceAll('"payload": {', '"payload": {"ticket": "ABC-123", '),
        )),
    smaller: values["big-from"],
  },
  {
    name: "one 4.2 GB log (9M events)",
    write: (dir) => writeLog(dir, () => repeatedProject(values["big-from"], 9)),
    smaller: values["big-from"],
  },
] as Shape[]).filter((shape) => values.only === undefined || shape.name.includes(values.only));

/** A run that must succeed (warnings about the shape's lines are expected). */
async function measure(script: string, args: string[]): Promise<Sample> {
  const sample = await timedRun(script, args);
  if (sample.failed && !/warning|note/.test(sample.failed)) {
    throw new Error(`${script} ${args.join(" ")} failed: ${sample.failed}`);
  }
  return sample;
}

const rows: string[] = [];
const linear: string[] = [];

async function projectBytes(root: string): Promise<number> {
  let total = 0;
  for await (const entry of Deno.readDir(join(root, "kitty-specs"))) {
    total +=
      (await Deno.stat(join(root, "kitty-specs", entry.name, "execution.events.jsonl"))).size;
  }
  return total;
}
for (const shape of SHAPES) {
  const dir = join(data, shape.name.replace(/\W+/g, "_"));
  const size = await shape.write(dir);
  const path = join(dir, "kitty-specs", "041-shape", "execution.events.jsonl");
  log(`${shape.name}: ${(size / MB).toFixed(0)} MB written`);
  const read: Sample[] = [];
  const cost: Sample[] = [];
  await measure(join(here, "read_once.ts"), [path]); // warm-up: page cache, module cache
  for (let r = 0; r < runs; r++) {
    read.push(await measure(join(here, "read_once.ts"), [path]));
    cost.push(await measure(main, ["cost", "--json", "--root", dir]));
  }
  const best = (s: Sample[]) => Math.min(...s.map((x) => x.seconds));
  const ratio = best(cost) / best(read);
  if (shape.smaller) {
    const small: Sample[] = [];
    for (let r = 0; r < runs; r++) {
      small.push(await measure(main, ["cost", "--json", "--root", shape.smaller]));
    }
    const bytes = await projectBytes(shape.smaller);
    linear.push(
      `- ${shape.name}: \`cost\` ${(best(cost) / (size / 1e9)).toFixed(2)} s per GB, against ${
        (best(small) / (bytes / 1e9)).toFixed(2)
      } s per GB on the ${(bytes / MB).toFixed(0)} MB project it is made from (same run).`,
    );
    log(linear.at(-1)!);
  }
  const rss = Math.max(...cost.map((x) => x.rssMb));
  rows.push(
    `| ${shape.name} | ${(size / MB).toFixed(0)} MB | ${best(read).toFixed(2)} s | ${
      best(cost).toFixed(2)
    } s | ${ratio.toFixed(2)}x ${ratio <= 2 ? "✅" : "❌"} | ${rss.toFixed(0)} MB |`,
  );
  log(rows.at(-1)!);
  if (values.keep) log(`kept ${dir}`);
  else await Deno.remove(dir, { recursive: true });
}

const section = `## Shapes

${
  new Date().toISOString().slice(0, 10)
}, ${navigator.hardwareConcurrency} cores, Deno ${Deno.version.deno}; \`deno task bench:shapes\`, best of ${runs} alternating runs. \`cost --json\` on
inputs of an awkward shape against reading the same bytes once (bench/read_once.ts: 1 MiB reads, the
newlines counted; a fresh process too). Target: at most about 2x. The 4.2 GB log is the 1M-event
project's lines nine times, each copy with ids of its own; its valid events are decoded and summed,
where the other shapes are skipped or counted.

| shape | size | read once | \`cost\` | cost / read | \`cost\` peak RSS |
| ----- | ---: | ---: | ---: | ---: | ---: |
${rows.join("\n")}
${linear.length ? `\n${linear.join("\n")}\n` : ""}`;
await replaceSection(values.out, "Shapes", section);
log(`wrote ${values.out}`);
