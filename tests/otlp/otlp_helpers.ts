/**
 * Helpers for the OpenTelemetry tests: the official-definitions validator
 * (PyPI `opentelemetry-proto`, found once at load) and projects of events
 * written straight into a log.
 *
 * @module
 */
import { join } from "node:path";
import { encodeEvent } from "../../src/event/line_encode.ts";
import type { Event } from "../../src/event/envelope.ts";
import { ulidFactory } from "../../src/event/ulid.ts";
import { payload, REPO_ROOT, tempProject } from "../helpers.ts";

const VALIDATOR = join(import.meta.dirname!, "validate_otlp.py");

async function findPython(): Promise<{ python?: string; why: string }> {
  const candidates = [
    Deno.env.get("KITTY_OTLP_PYTHON"),
    join(REPO_ROOT, ".tools", "otel", "bin", "python"),
    "python3",
  ].filter((c): c is string => c !== undefined && c !== "");
  const tried: string[] = [];
  for (const python of candidates) {
    try {
      const out = await new Deno.Command(python, {
        args: ["-c", "import opentelemetry.proto.trace.v1.trace_pb2, google.protobuf.json_format"],
        stdout: "null",
        stderr: "piped",
      }).output();
      if (out.success) return { python, why: "" };
      tried.push(`${python}: ${new TextDecoder().decode(out.stderr).trim().split("\n").at(-1)}`);
    } catch (error) {
      tried.push(`${python}: ${(error as Error).message}`);
    }
  }
  return {
    why: `skipped: no Python with opentelemetry-proto (.ci/run installs it into .tools/otel; ${
      tried.join("; ")
    })`,
  };
}

/** The Python that has the official OTLP definitions, or why there is none. */
export const OTLP_PYTHON = await findPython();
if (!OTLP_PYTHON.python) console.log(OTLP_PYTHON.why);

/**
 * Parses OTLP/JSON lines strictly into the signal's message; resolves to the
 * number of lines parsed, or rejects with the validator's words.
 */
export async function validateOtlp(signal: string, lines: string): Promise<number> {
  const child = new Deno.Command(OTLP_PYTHON.python!, {
    args: [VALIDATOR, signal],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  // Read while writing: a validator blocked on a full pipe would never read on.
  const output = child.output();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(lines)).catch(() => {});
  await writer.close().catch(() => {});
  const out = await output;
  if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
  return Number(new TextDecoder().decode(out.stdout));
}

/** Writes events into a feature's log of a fresh project; returns the root and the events. */
export async function projectWith(
  count: number,
  overrides: (i: number) => Record<string, unknown> = () => ({}),
  feature = "043-otel",
): Promise<{ root: string; events: Event[] }> {
  const root = await tempProject();
  const dir = join(root, "kitty-specs", feature);
  await Deno.mkdir(dir, { recursive: true });
  const ids = ulidFactory({ now: () => 1_767_225_600_000, random: (b) => b.fill(7) });
  const events: Event[] = [];
  for (let i = 0; i < count; i++) {
    events.push({
      event_id: ids(),
      event_type: "ExecutionEvent",
      aggregate_id: feature,
      lamport_clock: i + 1,
      node_id: "n1",
      causation_id: null,
      timestamp: new Date(1_767_225_600_000 + i * 60_000).toISOString().replace("Z", "+00:00"),
      payload: payload(overrides(i)),
    });
  }
  await Deno.writeTextFile(
    join(dir, "execution.events.jsonl"),
    events.map((e) => encodeEvent(e) + "\n").join(""),
  );
  return { root, events };
}

/** The attributes of an OTLP span or record as a plain object. */
export function attrs(item: { attributes: { key: string; value: Record<string, unknown> }[] }) {
  const out: Record<string, unknown> = Object.create(null);
  for (const { key, value } of item.attributes) out[key] = Object.values(value)[0];
  return out;
}

/**
 * Node n1's events of `feature` at `clocks`, their ids told apart by the
 * clock and `tag` (one Crockford letter), each payload `payload()` with
 * `overrides(clock)`.
 */
export function eventsAt(
  feature: string,
  clocks: number[],
  tag: string,
  overrides: (clock: number) => Record<string, unknown> = () => ({}),
): Event[] {
  return clocks.map((clock) => ({
    event_id: `01KHJVJWDM0HGAGYGX${tag}${String(clock).padStart(7, "0")}`,
    event_type: "ExecutionEvent",
    aggregate_id: feature,
    lamport_clock: clock,
    node_id: "n1",
    causation_id: null,
    timestamp: "2026-01-01T00:00:00+00:00",
    payload: payload(overrides(clock)) as never,
  }));
}

/** Writes `events` as the log of the feature folder `folder` (replacing it). */
export async function writeLog(root: string, folder: string, events: Event[]): Promise<void> {
  const dir = join(root, "kitty-specs", folder);
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(
    join(dir, "execution.events.jsonl"),
    events.map((e) => encodeEvent(e) + "\n").join(""),
  );
}

/** A push of the project at `root` to `host` as its own process, run as the docs run it. */
export function pushProcess(host: string, root: string): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      "--no-prompt",
      "--allow-read",
      "--allow-write",
      "--allow-env",
      "--allow-sys=hostname",
      `--allow-net=${host}`,
      join(REPO_ROOT, "main.ts"),
      "export",
      "--endpoint",
      `http://${host}`,
      "--root",
      root,
    ],
    stdout: "null",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
}
