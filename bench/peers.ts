/**
 * The peers the cost benchmark compares against, how to make them available
 * (the bench installs what it can and skips the rest with a reason), and the
 * check that every peer computes the same answer as kitty-telemetry.
 */
import { join } from "node:path";

/** Per model (null as "(none)"): event count, token sums, reported cost sum. */
export type Totals = Record<string, Record<string, number>>;

export interface Peer {
  name: string;
  /** Largest event count the peer is run at (slow peers). */
  maxEvents?: number;
  command(root: string, files: string[]): string[];
}

export const DUCKDB = "duckdb (node-api, 2 threads) read_json + GROUP BY";
export const ORJSON = "python3 + orjson";
export const PYJSON = "python3 + json (stdlib)";
export const JQ = "jq reduce inputs";
export const JQ_MAX_EVENTS = 100_000;
const FIELDS = ["input_tokens", "output_tokens", "cache_read_tokens", "cache_write_tokens"];

export async function run(cmd: string[]): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  try {
    const out = await new Deno.Command(cmd[0], {
      args: cmd.slice(1),
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = (b: Uint8Array) => new TextDecoder().decode(b).trim();
    return { ok: out.success, stdout: text(out.stdout), stderr: text(out.stderr) };
  } catch (e) {
    return { ok: false, stdout: "", stderr: String(e) };
  }
}

const lastLine = (s: string) => s.split("\n").filter(Boolean).at(-1) ?? "";

/** jq from PATH, else `apt-get install jq` (with one `apt-get update` if needed). */
async function ensureJq(log: (s: string) => void): Promise<string | null> {
  let v = await run(["jq", "--version"]);
  if (v.ok) return null;
  log("jq not found; installing it with apt-get");
  let inst = await run(["apt-get", "install", "-y", "-q", "jq"]);
  if (!inst.ok) {
    await run(["apt-get", "update", "-q"]);
    inst = await run(["apt-get", "install", "-y", "-q", "jq"]);
  }
  v = await run(["jq", "--version"]);
  return v.ok ? null : `jq is missing and apt-get could not install it: ${lastLine(inst.stderr)}`;
}

/** Finds or installs each peer; returns the usable ones, versions, and skip reasons. */
export async function preparePeers(here: string, deno: string, log: (s: string) => void) {
  const peers: Peer[] = [];
  const versions: string[] = [];
  const skipped: string[] = [];
  /** DuckDB writing every event in the total order as JSON lines, when it loads. */
  let duckExport: ((root: string) => string[]) | undefined;
  /** DuckDB grouping by UTC day, when it loads. */
  let duckDay: ((root: string) => string[]) | undefined;
  const duckArgs = [
    deno,
    "run",
    "--no-config", // keep the project's deno.json and deno.lock out of it
    "--no-lock",
    "--allow-read",
    "--allow-env",
    "--allow-ffi",
    "--allow-sys",
    join(here, "peer_duckdb.ts"),
  ];
  // The first probe downloads the npm package and its native binding into Deno's cache.
  const duck = await run([...duckArgs, "--probe"]);
  if (duck.ok) {
    versions.push(`${duck.stdout} via npm:@duckdb/node-api under Deno`);
    peers.push({ name: DUCKDB, command: (root) => [...duckArgs, root] });
    duckExport = (root) => [...duckArgs, "--export", root];
    duckDay = (root) => [...duckArgs, "--by-day", root];
  } else skipped.push(`${DUCKDB}: Deno could not load it: ${lastLine(duck.stderr)}`);

  const py = await run(["python3", "--version"]);
  const orjson = await run(["python3", "-c", "import orjson; print(orjson.__version__)"]);
  const script = join(here, "peer_cost.py");
  if (!py.ok) skipped.push(`python3 peers: python3 not found`);
  else {
    if (orjson.ok) {
      versions.push(`${py.stdout}, orjson ${orjson.stdout}`);
      peers.push({ name: ORJSON, command: (root) => ["python3", script, root] });
    } else skipped.push(`${ORJSON}: orjson is not installed (PyPI unreachable here)`);
    if (!orjson.ok) versions.push(py.stdout);
    peers.push({ name: PYJSON, command: (root) => ["python3", script, "--stdlib-json", root] });
  }

  const jqProblem = await ensureJq(log);
  if (jqProblem) skipped.push(`${JQ}: ${jqProblem}`);
  else {
    versions.push((await run(["jq", "--version"])).stdout);
    const filter = join(here, "peer_cost.jq");
    peers.push({
      name: JQ,
      maxEvents: JQ_MAX_EVENTS,
      command: (_root, files) => ["jq", "-c", "-n", "-f", filter, ...files],
    });
  }
  return { peers, versions, skipped, duckExport, duckDay };
}

/** kitty-telemetry's `cost --json --group-by KEY` output (model by default), in the peers' shape. */
export function ourTotals(stdout: string, key = "model"): Totals {
  const report = JSON.parse(stdout);
  const out: Totals = {};
  for (const g of report.groups) {
    out[g.key[key] ?? "(none)"] = {
      events: g.event_count,
      ...Object.fromEntries(FIELDS.map((f) => [f, g[`total_${f}`]])),
      cost_usd: g.reported_cost_usd,
    };
  }
  return out;
}

/** Differences between two answers: counts and tokens exact, cost to 1e-6 USD or 1e-9 relative. */
export function diffTotals(ours: Totals, theirs: Totals): string[] {
  const diffs: string[] = [];
  for (const model of new Set([...Object.keys(ours), ...Object.keys(theirs)])) {
    const a = ours[model], b = theirs[model];
    if (!a || !b) {
      diffs.push(`model ${model}: only in ${a ? "ours" : "theirs"}`);
      continue;
    }
    for (const f of ["events", ...FIELDS]) {
      if (a[f] !== b[f]) diffs.push(`model ${model} ${f}: ours ${a[f]}, theirs ${b[f]}`);
    }
    // Peers sum floats; ours sums exactly and rounds to 6 decimals.
    if (!(Math.abs(a.cost_usd - b.cost_usd) <= Math.max(1e-6, 1e-9 * Math.abs(a.cost_usd)))) {
      diffs.push(`model ${model} cost_usd: ours ${a.cost_usd}, theirs ${b.cost_usd}`);
    }
  }
  return diffs;
}
