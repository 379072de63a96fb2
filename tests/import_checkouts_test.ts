/**
 * `import` of other checkouts as streams (`cli/import_sorted.ts`,
 * `merge/sorted_import.ts`): on random projects and checkouts, with and
 * without twists (a conflict, an id moved, lines shuffled, junk, a blank
 * line, CRLF, a line twice, an empty project, the project as its own
 * source, a log out of order, ...), the streamed import gives exactly what
 * the in-memory import gives (`KITTY_TELEMETRY_IMPORT_IN_MEMORY=1`): exit
 * code, stdout, stderr and every file's bytes; and the common case is
 * streamed, not handed to the fallback.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, payload, tempProject } from "./helpers.ts";
import { encodeEvent } from "../src/event/line_codec.ts";
import { importCheckouts, importPath } from "../src/cli/import_sorted.ts";
import { ProjectLayout } from "../src/store/project_layout.ts";
import { checkFeature } from "../src/merge/sorted_import.ts";

const FEATURES = ["041-a", "042-b"];
const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const IN_MEMORY = { KITTY_TELEMETRY_IMPORT_IN_MEMORY: "1" };

/** A seeded generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function id(n: number): string {
  let tail = "";
  for (let i = 0; i < 6; i++) tail = CROCKFORD[(n >> (5 * i)) & 31] + tail;
  return `01KHJVJWDM0HGAGYGXJYKD${tail.slice(2)}`;
}

interface Ev {
  n: number;
  clock: number;
  node: string;
  tokens: number;
  feature: string;
}

const line = (e: Ev) =>
  encodeEvent({
    event_id: id(e.n),
    event_type: "ExecutionEvent",
    aggregate_id: e.feature,
    lamport_clock: e.clock,
    node_id: e.node,
    causation_id: null,
    timestamp: "2026-03-01T10:00:00.000Z",
    payload: payload({ input_tokens: e.tokens }),
  });

const order = (a: Ev, b: Ev) =>
  a.clock - b.clock || (a.node < b.node ? -1 : a.node > b.node ? 1 : 0) || a.n - b.n;

export const TWISTS = [
  "none",
  "none-2",
  "conflict-with-log",
  "conflict-between-sources",
  "id-moved",
  "shuffled",
  "junk",
  "blank-line",
  "crlf",
  "line-twice",
  "empty-project",
  "source-is-project",
  "junk-in-log",
  "log-out-of-order",
  "foreign-event",
  "corrupt-clock",
  "log-without-newline",
  "one-feature",
  "blank-end-of-log",
  "junk-in-both-logs",
  "bom",
  "other-layout",
  "uppercase-log-id",
  "empty-file",
] as const;

type Twist = typeof TWISTS[number];

async function writeFeature(root: string, feature: string, text: string, clock?: string) {
  const dir = join(root, "kitty-specs", feature);
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(join(dir, "execution.events.jsonl"), text);
  if (clock !== undefined) await Deno.writeTextFile(join(dir, ".telemetry-clock.json"), clock);
}

/** A project (written twice, for both paths) and two checkouts, with `twist` applied. */
async function scenario(seed: number, twist: Twist) {
  const rand = random(seed);
  const pick = <T>(list: T[]) => list[Math.floor(rand() * list.length)];
  const project = new Map<string, Ev[]>();
  const sources = [new Map<string, Ev[]>(), new Map<string, Ev[]>()];
  let n = seed * 1000;
  for (const feature of FEATURES) {
    const pool: Ev[] = [];
    const count = 3 + Math.floor(rand() * 12);
    for (let i = 0; i < count; i++) {
      pool.push({
        n: n++,
        clock: 1 + Math.floor(rand() * 20),
        node: pick(["a", "b"]),
        tokens: 1,
        feature,
      });
    }
    pool.sort(order);
    // Where each event is: the project only, the sources, or both; newer ones go to the sources.
    const cut = Math.floor(rand() * pool.length);
    project.set(
      feature,
      twist === "empty-project" ? [] : pool.filter((_, i) => i < cut || rand() < 0.3),
    );
    // Each source holds one event at least (a feature with none to import goes in memory).
    for (const s of sources) {
      const some = pool.filter(() => rand() < 0.6);
      s.set(feature, some.length > 0 ? some : [pool[0]]);
    }
  }
  const f = FEATURES[0];
  const [s0, s1] = sources;
  const logLines = (feature: string) => project.get(feature)!.map(line);
  const srcLines = (s: Map<string, Ev[]>, feature: string) => s.get(feature)!.map(line);
  let log0 = logLines(f);
  let src0 = srcLines(s0, f);
  let src1 = srcLines(s1, f);
  const first = s0.get(f)![0] ?? project.get(f)![0];
  const other: Ev = { n: n++, clock: 5, node: "a", tokens: 1, feature: f };
  switch (twist) {
    case "conflict-with-log":
      log0 = [...project.get(f)!, other].sort(order).map(line);
      src0 = [...s0.get(f)!, { ...other, tokens: 2 }].sort(order).map(line);
      break;
    case "conflict-between-sources":
      src0 = [...s0.get(f)!, other].sort(order).map(line);
      src1 = [...s1.get(f)!, { ...other, tokens: 9 }].sort(order).map(line);
      break;
    case "id-moved":
      log0 = [...project.get(f)!, other].sort(order).map(line);
      src0 = [...s0.get(f)!, { ...other, clock: 6 }].sort(order).map(line);
      break;
    case "shuffled":
      src0 = [...s0.get(f)!, other, { ...other, n: n++, clock: 1 }].map(line);
      break;
    case "junk":
      src0.splice(1, 0, "not json at all");
      break;
    case "blank-line":
      src0.splice(1, 0, "");
      break;
    case "crlf":
      src0 = src0.map((l, i) => (i === 0 ? l + "\r" : l));
      break;
    case "line-twice":
      if (src0.length > 0) src0.splice(1, 0, src0[0]);
      break;
    case "junk-in-log":
    case "junk-in-both-logs":
      log0.push("<<<<<<< HEAD");
      break;
    case "bom":
      if (src0.length > 0) src0[0] = "\uFEFF" + src0[0];
      break;
    case "other-layout":
      // The log's event again in another layout (spaces after the colons): equal, not identical.
      log0 = [...project.get(f)!, other].sort(order).map(line);
      src0 = [...s0.get(f)!, other].sort(order).map((e) =>
        e === other ? line(e).replaceAll('":', '": ') : line(e)
      );
      break;
    case "uppercase-log-id":
      // One id in two spellings is one event.
      log0 = [...project.get(f)!, other].sort(order).map((e) =>
        e === other ? line(e).replace(id(e.n), id(e.n).toLowerCase()) : line(e)
      );
      src0 = [...s0.get(f)!, other].sort(order).map(line);
      break;
    case "blank-end-of-log":
      log0.push("");
      break;
    case "log-out-of-order":
      log0 = [...project.get(f)!, other, { ...other, n: n++, clock: 1 }].map(line);
      break;
    case "foreign-event":
      src1.push(line({ ...other, clock: 99, feature: "099-z" }));
      break;
  }
  if (first === undefined) void 0;
  const projects: string[] = [];
  for (let copy = 0; copy < 2; copy++) {
    const root = await tempProject();
    await Deno.mkdir(join(root, "kitty-specs"));
    for (const feature of FEATURES) {
      const lines = feature === f ? log0 : logLines(feature);
      if (twist === "junk-in-both-logs" && feature !== f) lines.push(">>>>>>> theirs");
      if (lines.length === 0) continue;
      const text = lines.join("\n") + (twist === "log-without-newline" ? "" : "\n");
      await writeFeature(root, feature, text, `{"a": 1}`);
    }
    projects.push(root);
  }
  const checkouts: string[] = [];
  for (const [i, s] of sources.entries()) {
    const root = await tempProject();
    // The first checkout without the first feature: features are met out of their order.
    const held = twist === "one-feature"
      ? [f]
      : twist === "junk-in-both-logs" && i === 0
      ? FEATURES.slice(1)
      : FEATURES;
    for (const feature of held) {
      const lines = feature === f ? (i === 0 ? src0 : src1) : srcLines(s, feature);
      const clock = twist === "corrupt-clock" && i === 1 ? "{nope" : `{"c${i}": 30}`;
      await writeFeature(root, feature, lines.map((l) => l + "\n").join(""), clock);
    }
    checkouts.push(root);
  }
  return { projects, checkouts };
}

/** Every file under the project's kitty-specs/, by relative path. */
async function files(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const specs = join(root, "kitty-specs");
  for await (const feature of Deno.readDir(specs)) {
    for await (const entry of Deno.readDir(join(specs, feature.name))) {
      out.set(
        `${feature.name}/${entry.name}`,
        await Deno.readTextFile(join(specs, feature.name, entry.name)),
      );
    }
  }
  return out;
}

/** Which paths are files (0: none, 1: the second, 2: both): all three for each twist in turn. */
const shapeOf = (seed: number) => Math.floor(seed / TWISTS.length) % 3;

/** A checkout's logs as one file (both features' lines, the second feature's first). */
async function asFile(checkout: string, only?: string): Promise<string> {
  let text = "";
  for (const f of only ? [only] : [...FEATURES].reverse()) {
    text += await Deno.readTextFile(join(checkout, "kitty-specs", f, "execution.events.jsonl"))
      .catch(() => "");
  }
  const file = join(checkout, "all.jsonl");
  await Deno.writeTextFile(file, text);
  return file;
}

async function both(seed: number, twist: Twist, args: string[] = []) {
  const { projects, checkouts } = await scenario(seed, twist);
  // Some seeds give files instead of checkouts: the second, or both.
  const given = [...checkouts];
  const only = args.includes("--feature") ? FEATURES[0] : undefined;
  if (shapeOf(seed) !== 0) given[1] = await asFile(checkouts[1], only);
  if (shapeOf(seed) === 2) given[0] = await asFile(checkouts[0], only);
  if (twist === "empty-file") {
    given[1] = join(checkouts[1], "empty.jsonl");
    await Deno.writeTextFile(given[1], seed % 2 === 0 ? "" : "\n\n");
  }
  const runs = [];
  for (const [i, root] of projects.entries()) {
    const paths = twist === "source-is-project" ? [root, given[0]] : given;
    const env = i === 0 ? {} : IN_MEMORY;
    const run = await cli(["import", "--root", root, ...args, ...paths], { env });
    const path = importPath.last;
    const inMemory = importPath.inMemory;
    runs.push({ ...run, stderr: run.stderr.replaceAll(root, "ROOT"), path, inMemory });
  }
  return { runs, projects };
}

Deno.test("a streamed import of checkouts = the in-memory import (random seeds, every twist)", async () => {
  const seeds = Number(Deno.env.get("KITTY_SEED") ?? 0) || 1;
  const taken = new Map<string, number>();
  let filesStreamed = 0;
  for (let seed = seeds; seed < seeds + 6 * TWISTS.length; seed++) {
    const twist = TWISTS[seed % TWISTS.length];
    const args = seed % 5 === 0
      ? ["--feature", FEATURES[0]]
      : seed % 7 === 3
      ? ["--route-by-feature"]
      : [];
    const { runs, projects } = await both(seed, twist, args);
    const [streamed, memory] = runs;
    const at = `seed ${seed} (${twist}) ${args.join(" ")}`;
    assert.equal(memory.path, "in-memory", at);
    assert.deepEqual(
      [streamed.code, streamed.stdout, streamed.stderr],
      [memory.code, memory.stdout, memory.stderr],
      at,
    );
    assert.deepEqual(await files(projects[0]), await files(projects[1]), at);
    taken.set(
      `${streamed.path}:${streamed.code}`,
      (taken.get(`${streamed.path}:${streamed.code}`) ?? 0) + 1,
    );
    if (shapeOf(seed) !== 0 && streamed.path === "streamed") filesStreamed++;
    const clean = ["none", "none-2", "source-is-project", "empty-project", "one-feature"];
    // (--route-by-feature with a checkout among the paths is left to the in-memory import.)
    const checkout = shapeOf(seed) !== 2 || twist === "source-is-project";
    const routed = args.includes("--route-by-feature") && checkout;
    if (clean.includes(twist) && !routed) {
      assert.deepEqual([streamed.path, streamed.inMemory], ["streamed", []], at);
    }
    if (routed) assert.equal(streamed.path, "not-for-stream", at);
    // A log the stream cannot take: that feature alone goes in memory.
    // (A log out of order whose tail sorts before every new event is appended to as before.)
    if (twist === "junk-in-log" && !routed) {
      assert.deepEqual([streamed.path, streamed.inMemory], ["streamed", [FEATURES[0]]], at);
    }
    // (In a file, an event of another feature is routed to it: no error.)
    const whole = ["shuffled", "junk", ...(shapeOf(seed) === 0 ? ["foreign-event"] : [])];
    // (A file's junk or disorder is found by its survey: "not-for-stream".)
    if (whole.includes(twist)) assert.notEqual(streamed.path, "streamed", at);
  }
  assert.ok(filesStreamed >= 20, `files among the paths streamed only ${filesStreamed} times`);
  // Both ways were taken, and each exit code the twists lead to.
  for (const key of ["streamed:0", "streamed:1", "streamed:2", "in-memory:0", "in-memory:2"]) {
    assert.ok((taken.get(key) ?? 0) > 0, `${key} never ran: ${[...taken]}`);
  }
});

Deno.test("the common case streams: appended into an empty project, merged when present", async () => {
  const { projects, checkouts } = await scenario(7, "empty-project");
  const root = projects[0];
  const io = { cwd: root, env: () => undefined };
  const layout = new ProjectLayout(root);
  const first = await importCheckouts(io, layout, checkouts, undefined, false, () => {});
  assert.deepEqual(first?.map((o) => o.wrote), ["appended", "appended"]);
  const before = await files(root);
  const again = await importCheckouts(io, layout, checkouts, undefined, false, () => {});
  assert.deepEqual(again?.map((o) => [o.wrote, o.added, o.changed]), [
    ["streamed", 0, false],
    ["streamed", 0, false],
  ]);
  assert.ok(again.every((o) => o.alreadyPresent > 0));
  assert.deepEqual(await files(root), before);
  // The same import in memory writes the same bytes.
  const run = await cli(["import", "--root", projects[1], ...checkouts], { env: IN_MEMORY });
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(await files(projects[1]), before);
});

const FILE_TWISTS: Twist[] = [
  "none",
  "none-2",
  "conflict-with-log",
  "id-moved",
  "shuffled",
  "junk",
  "blank-line",
  "crlf",
  "line-twice",
  "empty-project",
  "source-is-project",
  "junk-in-log",
  "log-without-newline",
  "bom",
  "other-layout",
  "uppercase-log-id",
];

Deno.test("a file whose events cannot all be appended is streamed too, = the in-memory import", async () => {
  const seeds = Number(Deno.env.get("KITTY_SEED") ?? 0) || 1;
  let streamedRuns = 0;
  for (let seed = seeds; seed < seeds + 4 * FILE_TWISTS.length; seed++) {
    const twist = FILE_TWISTS[seed % FILE_TWISTS.length];
    const { projects, checkouts } = await scenario(seed, twist);
    const rand = random(seed);
    // Both features' lines, interleaved (each feature's in its order), or the first feature's.
    const mixed = seed % 2 === 0;
    const logOf = (root: string, f: string) =>
      join(root, "kitty-specs", f, "execution.events.jsonl");
    const queues = [];
    for (const f of mixed ? FEATURES : FEATURES.slice(0, 1)) {
      queues.push((await Deno.readTextFile(logOf(checkouts[0], f))).split("\n").slice(0, -1));
    }
    const lines: string[] = [];
    while (queues.some((q) => q.length > 0)) {
      const q = queues.filter((q) => q.length > 0);
      lines.push(q[Math.floor(rand() * q.length)].shift()!);
    }
    const file = join(checkouts[1], "in.jsonl");
    await Deno.writeTextFile(file, lines.map((l) => l + "\n").join(""));
    const runs = [];
    for (const [i, root] of projects.entries()) {
      const input = twist === "source-is-project" ? logOf(root, FEATURES[0]) : file;
      importPath.last = "";
      const env = i === 0 ? {} : IN_MEMORY;
      const run = await cli(["import", "--root", root, input], { env });
      const path: string = importPath.last; // set by the run (TypeScript sees only the "" above)
      runs.push({ ...run, stderr: run.stderr.replaceAll(root, "ROOT"), path });
    }
    const [streamed, memory] = runs;
    const at = `seed ${seed} (${twist}${mixed ? ", mixed" : ""})`;
    assert.deepEqual(
      [streamed.code, streamed.stdout, streamed.stderr],
      [memory.code, memory.stdout, memory.stderr],
      at,
    );
    assert.deepEqual(await files(projects[0]), await files(projects[1]), at);
    assert.ok(memory.path === "" || memory.path === "in-memory", at);
    if (streamed.path === "streamed") streamedRuns++;
    // Present events make the append give way; with a clean file the stream takes the rest.
    // ("" or "not-for-stream": the rest was never asked for, as when all was appended or the
    // project had no log to be its own source.)
    const asked = streamed.path === "streamed" || streamed.path === "in-memory";
    if (["none", "none-2", "source-is-project"].includes(twist) && asked) {
      assert.equal(streamed.path, "streamed", at);
    }
  }
  assert.ok(streamedRuns >= 10, `only ${streamedRuns} runs streamed`);
});

Deno.test("a lone source with a blank line, or no last newline, is merged, never copied as it is", async () => {
  const ev = (n: number, clock: number): Ev => ({
    n,
    clock,
    node: "a",
    tokens: 1,
    feature: "041-a",
  });
  const [a, b] = [line(ev(1, 1)), line(ev(2, 2))];
  for (const text of [`${a}\n\n${b}`, `${a}\n\n${b}\n`, `${a}\n${b}`, `${a}\r\n${b}\r\n`]) {
    for (const present of ["", `${a}\n`, `${a}\n\n${b}`]) {
      const checkout = await tempProject();
      await writeFeature(checkout, "041-a", text);
      const logs = [];
      for (const env of [{}, IN_MEMORY]) {
        const root = await tempProject();
        await Deno.mkdir(join(root, "kitty-specs"));
        if (present !== "") await writeFeature(root, "041-a", present);
        const run = await cli(["import", "--root", root, checkout], { env });
        logs.push([run.code, run.stdout, run.stderr.replaceAll(root, "ROOT"), await files(root)]);
      }
      assert.deepEqual(logs[0], logs[1], JSON.stringify([text, present]));
    }
  }
});

Deno.test("checkFeature: a clean lone source is verbatim (copied), a blank line or two sources not", async () => {
  const ev = (n: number, clock: number): Ev => ({
    n,
    clock,
    node: "a",
    tokens: 1,
    feature: "041-a",
  });
  const text = `${line(ev(1, 1))}\n${line(ev(2, 2))}\n`;
  const source = (t: string) => ({
    label: "in",
    open: () => Promise.resolve(new Blob([t]).stream()),
  });
  const clean = await checkFeature("041-a", [source(text)]);
  assert.deepEqual([clean?.verbatim, clean?.count, clean?.bytes], [true, 2, text.length]);
  assert.equal((await checkFeature("041-a", [source("\n" + text)]))?.verbatim, false);
  assert.equal((await checkFeature("041-a", [source(text), source(text)]))?.verbatim, false);
  assert.equal(await checkFeature("042-b", [source(text)]), undefined);
});

Deno.test("stdin among several paths is read as stdin (a file named - beside it is not)", async () => {
  const { projects, checkouts } = await scenario(3, "none");
  const stdin = await Deno.readTextFile(await asFile(checkouts[1]));
  const decoy = await Deno.readTextFile(await asFile(checkouts[0]));
  const runs = [];
  for (const [i, root] of projects.entries()) {
    await Deno.writeTextFile(join(root, "-"), decoy);
    const env = i === 0 ? {} : IN_MEMORY;
    const run = await cli(["import", "--root", root, "-", checkouts[0]], { env, stdin, cwd: root });
    runs.push([run.code, run.stdout, run.stderr.replaceAll(root, "ROOT"), await files(root)]);
  }
  assert.equal(runs[0][0], 0, String(runs[0][2]));
  assert.match(String(runs[0][1]), /041-a: [1-9]\d* added/);
  assert.deepEqual(runs[0], runs[1]);
});
