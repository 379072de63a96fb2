/**
 * The progress line of every long read (`query`, `export` to a file, to
 * stdout and pushed, `verify`, `verify --repair`, `import`), at the CLI
 * with a fake terminal on stderr and a clock that moves 400 ms on each
 * reading of it: the line shows on a long read, is redrawn several times
 * while one log is read (not once per file), is erased before anything
 * else is written and before the command ends, and never goes to stdout;
 * off a terminal nothing of it is written.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  cli,
  type CliOptions,
  type CliRun,
  type CliWrite,
  payload,
  tempProject,
} from "./helpers.ts";
import { encodeEvent } from "../src/event/line_encode.ts";
import type { Event } from "../src/event/envelope.ts";
import { pushIo } from "../src/cli/export_push.ts";

const FEATURE = "043-big";
const EVENTS = 6000;
/** A clock that moves 400 ms on each reading: a second passes within a few reads. */
const TERMINAL: CliOptions = { stderrTty: true, clockStep: 400 };
/** A drawn line, between `\r` and `\x1b[K` (erase to the line's end). */
const DRAW = /^(reading|exporting|verifying|importing) \d+( \/ \d+)? MB( \(pass \d\))?, \d+ MB\/s$/;
const ERASE = "\r\x1b[K";

/** A project of one log of about 3.4 MB (a few reads of the block reader), with `extra` lines. */
async function oneBigLog(extra = ""): Promise<{ root: string; log: string }> {
  const root = await tempProject();
  const dir = join(root, "kitty-specs", FEATURE);
  await Deno.mkdir(dir, { recursive: true });
  const lines: string[] = [];
  for (let i = 0; i < EVENTS; i++) {
    const event: Event = {
      event_id: `01KHJVJWDM${String(i).padStart(16, "0")}`,
      event_type: "ExecutionEvent",
      aggregate_id: FEATURE,
      lamport_clock: i + 1,
      node_id: "n1",
      causation_id: null,
      timestamp: new Date(Date.UTC(2026, 1, 1) + i * 60_000).toISOString(),
      payload: payload({ wp_id: `WP${i % 7}`, input_tokens: 1000 + i, output_tokens: i }),
    };
    lines.push(encodeEvent(event));
  }
  const log = join(dir, "execution.events.jsonl");
  await Deno.writeTextFile(log, lines.join("\n") + "\n" + extra);
  return { root, log };
}

/** A run and its writes in order. */
type Recorded = CliRun & { writes: CliWrite[] };

/** Runs the CLI in-process (see `cli`), recording its writes in order. */
async function recorded(args: string[], options: CliOptions = {}): Promise<Recorded> {
  const writes: CliWrite[] = [];
  return { ...await cli(args, { ...options, writes }), writes };
}

/**
 * Plays the writes on a terminal: no write to stderr while the line is
 * shown but a redraw or its erase (nor to stdout, unless `piped`: stdout is
 * not the terminal); stdout never holds it; erased at the end. Returns the
 * lines drawn.
 */
function drawsOf(run: Recorded, piped = false): string[] {
  const draws: string[] = [];
  let shown = false;
  for (const [stream, text] of run.writes) {
    if (stream === "out") {
      assert.ok(!text.includes("\r") && !text.includes("\x1b"), `progress on stdout: ${text}`);
      assert.ok(piped || !shown, `stdout written over the progress line: ${text.slice(0, 80)}`);
    } else if (text === ERASE) {
      assert.ok(shown, "erased twice or never drawn");
      shown = false;
    } else if (text.startsWith("\r")) {
      assert.ok(text.endsWith("\x1b[K"), JSON.stringify(text));
      assert.match(text.slice(1, -3), DRAW);
      draws.push(text);
      shown = true;
    } else assert.ok(!shown, `stderr written over the progress line: ${text}`);
  }
  assert.ok(!shown, "the progress line is left on the terminal");
  return draws;
}

/**
 * Runs `args` with stderr a fake terminal and without one (stdout a pipe):
 * the same outcome; progress only on the terminal.
 */
async function both(args: string[], options: CliOptions = {}) {
  const plain = await recorded(args, options);
  const tty = await recorded(args, { ...options, ...TERMINAL });
  assert.deepEqual(plain.writes.filter(([s, t]) => s === "err" && t.includes("\r")), []);
  const draws = drawsOf(tty, true);
  return { plain, tty, draws };
}

Deno.test("query: several redraws while one log is read, erased before the warnings", async () => {
  const { root } = await oneBigLog("not json\n");
  const { plain, tty, draws } = await both(["query", "--root", root]);
  assert.equal(tty.code, 0, tty.stderr);
  assert.ok(draws.length >= 3, `one log, ${draws.length} redraw(s)`);
  assert.equal(tty.stdout, plain.stdout);
  assert.match(plain.stderr, /^warning: .*: skipped malformed line/);
  // The warning is there, after the erase, as it is off the terminal.
  assert.ok(tty.stderr.endsWith(ERASE + plain.stderr), JSON.stringify(tty.stderr.slice(-200)));
  assert.match(draws[0], /^\rreading \d+ \/ 3 MB, /);
});

Deno.test("query --format table and --order time read with the line too", async () => {
  const { root } = await oneBigLog();
  for (const extra of [["--format", "table"], ["--order", "time"], ["--fields", "wp_id"]]) {
    const { plain, tty, draws } = await both(["query", ...extra, "--root", root]);
    assert.equal(tty.stdout, plain.stdout);
    assert.ok(draws.length >= 3, `${extra}: ${draws.length} redraw(s)`);
  }
});

Deno.test("query to a terminal's stdout draws no line: the data shows the read moving", async () => {
  const { root } = await oneBigLog();
  const run = await recorded(["query", "--root", root], { ...TERMINAL, tty: true });
  assert.equal(run.code, 0);
  assert.deepEqual(drawsOf(run), []);
  assert.equal(run.stderr, "");
});

Deno.test("export --out and to stdout: the line says exporting; same bytes as off a terminal", async () => {
  const { root } = await oneBigLog();
  const out = join(root, "x.json");
  const file = await both(["export", "--out", out, "--root", root]);
  assert.equal(file.tty.code, 0, file.tty.stderr);
  assert.ok(file.draws.length >= 3, `${file.draws.length} redraw(s)`);
  assert.match(file.draws[0], /^\rexporting /);
  const piped = await both(["export", "--root", root]);
  assert.ok(piped.draws.length >= 3);
  assert.equal(piped.tty.stdout, piped.plain.stdout);
  assert.equal(await Deno.readTextFile(out), piped.plain.stdout);
  const metrics = await both(["export", "--signal", "metrics", "--out", out, "--root", root]);
  assert.ok(metrics.draws.length >= 3);
});

Deno.test("export with a repeated id reads four times (cost's scan and its copies between): pass 4", async () => {
  const { root, log } = await oneBigLog();
  const first = (await Deno.readTextFile(log)).split("\n")[0];
  await Deno.writeTextFile(log, first + "\n", { append: true });
  const { tty, draws } = await both(["export", "--out", join(root, "x.json"), "--root", root]);
  assert.equal(tty.code, 0, tty.stderr);
  assert.ok(draws.some((d) => d.includes("(pass 2)")), draws.join(" | "));
  assert.ok(draws.some((d) => d.includes("(pass 3)")), draws.join(" | "));
  assert.ok(draws.some((d) => d.includes("(pass 4)")), draws.join(" | "));
  assert.ok(!draws.some((d) => d.includes("(pass 5)")), draws.join(" | "));
});

Deno.test("export --endpoint: the line while reading, erased before `sent N event(s)`", async () => {
  const { root } = await oneBigLog();
  const fetch = pushIo.fetch;
  pushIo.fetch = () => Promise.resolve(Response.json({}));
  try {
    const run = await recorded(
      ["export", "--endpoint", "http://127.0.0.1:9", "--root", root],
      TERMINAL,
    );
    assert.equal(run.code, 0, run.stderr);
    assert.ok(drawsOf(run).length >= 3);
    assert.ok(run.stderr.includes(`${ERASE}export: sent 6000 event(s)`), run.stderr);
  } finally {
    pushIo.fetch = fetch;
  }
});

Deno.test("verify and verify --repair: the line says verifying, a repair's read is pass 2", async () => {
  const { root, log } = await oneBigLog();
  const check = await both(["verify", "--root", root]);
  assert.equal(check.tty.code, 0, check.tty.stderr);
  assert.equal(check.tty.stdout, check.plain.stdout);
  assert.ok(check.draws.length >= 3, `${check.draws.length} redraw(s)`);
  assert.match(check.draws[0], /^\rverifying \d+ \/ 3 MB/);
  // A conflict marker to take out: a clean log is not read again (nothing to repair).
  await Deno.writeTextFile(log, "=======\n", { append: true });
  const repair = await recorded(["verify", "--repair", "--root", root], TERMINAL);
  assert.equal(repair.code, 0, repair.stderr);
  const draws = drawsOf(repair);
  assert.ok(draws.some((d) => d.includes("(pass 2)")), draws.join(" | "));
});

Deno.test("import of a file and of stdin: the line counts the input's bytes", async () => {
  const { log } = await oneBigLog();
  for (const from of ["file", "stdin"]) {
    const target = await tempProject();
    await Deno.mkdir(join(target, ".git"));
    const args = ["import", from === "file" ? log : "-", "--root", target];
    const stdin = from === "stdin" ? await Deno.readTextFile(log) : undefined;
    const run = await recorded(args, { ...TERMINAL, stdin });
    assert.equal(run.code, 0, run.stderr);
    const draws = drawsOf(run);
    assert.ok(draws.length >= 3, `${from}: ${draws.length} redraw(s)`);
    assert.match(draws[0], /^\rimporting \d+ \/ 3 MB/);
    const plain = await recorded(["query", "--root", target]);
    assert.equal(plain.stdout.split("\n").length, EVENTS + 1);
  }
});

Deno.test("a short read shows nothing: the line waits a second", async () => {
  const { root } = await oneBigLog();
  const run = await recorded(["verify", "--root", root], { stderrTty: true });
  assert.equal(run.stderr, "");
});

Deno.test("progressLine: redrawn at most every 250 ms, passes past the total, no total", async () => {
  const { progressLine } = await import("../src/cli/progress.ts");
  const written: string[] = [];
  let clock = 0;
  const io = { stderrIsTty: true, stderr: (t: string) => Promise.resolve(void written.push(t)) };
  const progress = progressLine(io as never, () => clock, "exporting");
  for (
    const [at, bytes, total] of [[1000, 40e6, 100e6], [1200, 60e6, 100e6], [1250, 150e6, 100e6]]
  ) {
    clock = at;
    progress.update(bytes, total);
  }
  clock = 2000;
  progress.update(7e6, 0);
  await progress.done();
  await progress.done();
  assert.deepEqual(written, [
    "\rexporting 40 / 100 MB, 40 MB/s\x1b[K",
    "\rexporting 50 / 100 MB (pass 2), 120 MB/s\x1b[K",
    "\rexporting 7 MB, 4 MB/s\x1b[K",
    ERASE,
  ]);
});
