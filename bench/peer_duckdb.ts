/**
 * Peer for the cost benchmark: DuckDB (npm:@duckdb/node-api, native binding)
 * with 2 threads, `read_json` over every feature log, GROUP BY payload.model.
 * Prints {"<model or (none)>": {"events": n, "input_tokens": n, ...}} as JSON.
 *
 * With --export ROOT it writes every event ordered by (lamport_clock, node_id,
 * event_id) as JSON lines on stdout instead (the peer of `query`). With
 * --by-day ROOT it groups by the UTC day of each event's timestamp (the peer
 * of `cost --group-by day`), keys `YYYY-MM-DD`.
 *
 * Usage: deno run --no-config --no-lock --allow-read --allow-env --allow-ffi --allow-sys \
 *   bench/peer_duckdb.ts ROOT | --export ROOT | --by-day ROOT | --probe
 * (--no-config/--no-lock: the project's deno.lock is not touched.)
 */

/** The pinned package; a variable specifier keeps `deno check bench/` off the npm graph. */
const SPEC: string = "npm:@duckdb/node-api@1.5.6-r.1";

interface Reader {
  getRowObjectsJson(): Record<string, unknown>[];
}
interface DuckDb {
  DuckDBInstance: {
    create(path: string, options: Record<string, string>): Promise<{
      connect(): Promise<{ runAndReadAll(sql: string): Promise<Reader> }>;
    }>;
  };
}

const exporting = Deno.args[0] === "--export";
const byDay = Deno.args[0] === "--by-day";
const arg = exporting || byDay ? Deno.args[1] : Deno.args[0];
if (!arg) {
  console.error("usage: peer_duckdb.ts ROOT | --export ROOT | --by-day ROOT | --probe");
  Deno.exit(2);
}
const { DuckDBInstance } = (await import(SPEC)) as DuckDb;
const db = await DuckDBInstance.create(":memory:", { threads: "2" });
const conn = await db.connect();
if (arg === "--probe") {
  const [row] = (await conn.runAndReadAll("SELECT version() AS v")).getRowObjectsJson();
  console.log(`duckdb ${row.v}`);
  Deno.exit(0);
}
const glob = `${arg}/kitty-specs/*/execution.events.jsonl`.replaceAll("'", "''");
if (exporting) {
  // Every event in the total order, as JSON lines on stdout: what `query` prints.
  const envelope = "event_id: 'VARCHAR', event_type: 'VARCHAR', aggregate_id: 'VARCHAR', " +
    "lamport_clock: 'BIGINT', node_id: 'VARCHAR', causation_id: 'VARCHAR', " +
    "timestamp: 'VARCHAR', payload: 'JSON'";
  await conn.runAndReadAll(`
    COPY (SELECT * FROM read_json('${glob}', format = 'newline_delimited',
      ignore_errors = true, columns = {${envelope}})
      ORDER BY lamport_clock, node_id, event_id)
    TO '/dev/stdout' (FORMAT JSON)`);
  Deno.exit(0);
}
// One explicit schema: the tool's and the Python writer's layouts share the keys.
const payload = "STRUCT(model VARCHAR, input_tokens BIGINT, output_tokens BIGINT, " +
  "cache_read_tokens BIGINT, cache_write_tokens BIGINT, cost_usd DOUBLE)";
// The instant in UTC (offsets applied), then its calendar day: what `cost` groups by. Through
// epoch microseconds: a TIMESTAMPTZ cast to TIMESTAMP is in the session's time zone (the
// machine's, with ICU), and the TimeZone setting cannot be set where ICU does not autoload.
const key = byDay
  ? "strftime(make_timestamp(epoch_us(CAST(timestamp AS TIMESTAMPTZ))), '%Y-%m-%d')"
  : "payload.model";
const rows = (await conn.runAndReadAll(`
  SELECT ${key} AS model, count(*) AS events,
    coalesce(sum(payload.input_tokens), 0) AS input_tokens,
    coalesce(sum(payload.output_tokens), 0) AS output_tokens,
    coalesce(sum(payload.cache_read_tokens), 0) AS cache_read_tokens,
    coalesce(sum(payload.cache_write_tokens), 0) AS cache_write_tokens,
    coalesce(sum(payload.cost_usd), 0) AS cost_usd
  FROM read_json('${glob}', format = 'newline_delimited', ignore_errors = true,
    columns = {event_type: 'VARCHAR', timestamp: 'VARCHAR', payload: '${payload}'})
  WHERE event_type = 'ExecutionEvent'
  GROUP BY ALL`)).getRowObjectsJson();
const out: Record<string, Record<string, number>> = {};
for (const { model, ...sums } of rows) {
  out[model === null ? "(none)" : String(model)] = Object.fromEntries(
    Object.entries(sums).map(([k, v]) => [k, Number(v)]),
  );
}
console.log(JSON.stringify(out));
