/** Shared test helpers: an in-process CLI with exact outputs, temp projects. */
import { join } from "node:path";
import { runCli } from "../src/cli/run.ts";
import type { CliIo } from "../src/cli/io.ts";
import { ulidFactory } from "../src/event/ulid.ts";
import type { CostPartial } from "../src/cost/cost_reducer.ts";
import type { Event } from "../src/event/envelope.ts";

/**
 * The Python implementation's reference files (a copy of shared/reference,
 * so the suite runs from any clone; a test checks the copy is faithful
 * where shared/ is present).
 */
export const REFERENCE_ROOT = join(import.meta.dirname!, "fixtures", "reference");
/** The repository root. */
export const REPO_ROOT = join(import.meta.dirname!, "..");

/** What a CLI run produced. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** One write of a run, in the order made: to stdout (`out`) or stderr (`err`). */
export type CliWrite = ["out" | "err", string];

/** Options for {@linkcode cli}. */
export interface CliOptions {
  stdin?: string;
  /** Raw stdin bytes (for input that is not valid UTF-8). */
  stdinBytes?: Uint8Array;
  env?: Record<string, string>;
  cwd?: string;
  now?: Date;
  tty?: boolean;
  /** Whether stderr is a terminal (progress lines show only then; default false). */
  stderrTty?: boolean;
  /** Milliseconds the clock moves on each `io.now()` (default 1). */
  clockStep?: number;
  /** Filled with every write, in the order made (to see what came before what). */
  writes?: CliWrite[];
}

let cliCalls = 0;

/**
 * Fixed random bytes, different for each `cli()` call of a test process:
 * every run mints its own ids (as real runs do), yet the same ones each time.
 */
function randomFor(call: number, bytes: Uint8Array): Uint8Array {
  bytes.fill(7);
  bytes[bytes.length - 1] = call & 0xff;
  bytes[bytes.length - 2] = (call >> 8) & 0xff;
  return bytes;
}

/** Runs the CLI in-process with a fixed clock, deterministic ids and no real env. */
export async function cli(args: string[], options: CliOptions = {}): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  let tick = 0;
  const step = options.clockStep ?? 1;
  const writes = options.writes ?? [];
  const now = options.now ?? new Date("2026-03-02T10:00:00.000Z");
  const call = ++cliCalls;
  const io: CliIo = {
    stdout: (t) => {
      stdout += t;
      writes.push(["out", t]);
      return Promise.resolve();
    },
    stderr: (t) => {
      stderr += t;
      writes.push(["err", t]);
      return Promise.resolve();
    },
    stdin: new Blob([options.stdinBytes ?? options.stdin ?? ""] as BlobPart[]).stream(),
    env: (name) => options.env?.[name],
    cwd: options.cwd ?? Deno.cwd(),
    now: () => new Date(now.getTime() + step * tick++),
    newId: ulidFactory({ now: () => now.getTime(), random: (b) => randomFor(call, b) }),
    hostname: () => "testhost",
    stdoutIsTty: options.tty ?? false,
    stderrIsTty: options.stderrTty ?? false,
  };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}

/**
 * Runs `emit` into feature 043-x of `root`, agent "a" and role "r" unless
 * `flags` give them, and fails the test unless it exits 0.
 */
export async function emitted(
  root: string,
  flags: string[] = [],
  options: CliOptions = {},
): Promise<CliRun> {
  const defaults = [["--feature", "043-x"], ["--agent", "a"], ["--role", "r"]]
    .filter(([flag]) => !flags.includes(flag)).flat();
  const run = await cli(["emit", "--root", root, ...defaults, ...flags], options);
  if (run.code !== 0) throw new Error(`emit ${flags.join(" ")} exited ${run.code}: ${run.stderr}`);
  return run;
}

/**
 * Writes feature 043-x's log: one event a row, ids and clocks in order,
 * each payload `payload()` with the row's fields. Returns the log's path.
 */
export async function writeLog(
  root: string,
  rows: { timestamp: string; fields: Record<string, unknown> }[],
): Promise<string> {
  const dir = join(root, "kitty-specs", "043-x");
  await Deno.mkdir(dir, { recursive: true });
  const text = rows.map(({ timestamp, fields }, i) =>
    JSON.stringify({
      ...baseEvent(),
      event_id: `01KHJVJWDM0HGAGYGXJYKD1J${"0123456789"[i]}0`,
      aggregate_id: "043-x",
      lamport_clock: i + 1,
      timestamp,
      payload: payload(fields),
    }) + "\n"
  ).join("");
  const log = join(dir, "execution.events.jsonl");
  await Deno.writeTextFile(log, text);
  return log;
}

/** A fresh temporary project root. */
export async function tempProject(): Promise<string> {
  return await Deno.makeTempDir({ prefix: "kitty-test-" });
}

/** The text of a file, or null when it does not exist. */
export async function readOrNull(path: string): Promise<string | null> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}

/** Copies the reference features into a fresh project and returns its root. */
export async function referenceProject(): Promise<string> {
  const root = await tempProject();
  for await (const feature of Deno.readDir(join(REFERENCE_ROOT, "kitty-specs"))) {
    const from = join(REFERENCE_ROOT, "kitty-specs", feature.name);
    const to = join(root, "kitty-specs", feature.name);
    await Deno.mkdir(to, { recursive: true });
    for await (const file of Deno.readDir(from)) {
      await Deno.writeFile(join(to, file.name), await Deno.readFile(join(from, file.name)));
    }
  }
  return root;
}

/** A minimal valid execution payload (for building events by hand). */
export function payload(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    wp_id: "WP01",
    agent: "claude",
    role: "implementer",
    model: "claude-sonnet-4-5",
    input_tokens: 100,
    output_tokens: 10,
    cache_read_tokens: null,
    cache_write_tokens: null,
    cache_write_1h_tokens: null,
    reasoning_tokens: null,
    cost_usd: null,
    duration_ms: 5,
    success: true,
    error: null,
    exit_code: 0,
    ...overrides,
  };
}

/** A valid execution event, as a parsed line (tests edit a copy: each call is new). */
export function baseEvent(): Event {
  return {
    event_id: "01KHJVJWDM0HGAGYGXJYKD1JQG",
    event_type: "ExecutionEvent",
    aggregate_id: "043-x",
    lamport_clock: 3,
    node_id: "n1",
    causation_id: null,
    timestamp: "2026-02-16T09:12:58.036Z",
    payload: payload(),
  };
}

/**
 * stderr without the `note: ` lines (`cost` names unpriced events there in
 * every format), for tests about other diagnostics.
 */
export function withoutNotes(stderr: string): string {
  return stderr.split("\n").filter((l) => !l.startsWith("note: ")).join("\n");
}

/**
 * Cost sums in a form to compare: groups in key order, the ids sorted (the
 * threads and readers that add them differ in order, not in content).
 */
export function comparable(partial: CostPartial) {
  return {
    groups: partial.groups.map((g) => ({ ...g })).sort((a, b) =>
      JSON.stringify(a.key) < JSON.stringify(b.key) ? -1 : 1
    ),
    total: partial.total,
    ids: partial.ids.flatMap((part) => [...part]).sort((a, b) => a - b),
  };
}
